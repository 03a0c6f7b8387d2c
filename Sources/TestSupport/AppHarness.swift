import Foundation
import Logging
import LookoutApp
import PrometheusAPI
import TerminalCanvas

/// Runs the dashboard's run loop against `url` in a `width` x `height` `MemoryTerminal` until `body` returns (or
/// throws), then posts SIGTERM, waits for the loop to end and shuts the client down.
/// `alertmanagerURL`: the alerts and silences from that Alertmanager, as `--alertmanager-url` gives them.
@MainActor
public func withDashboardApp(
    url: String, alertmanagerURL: String? = nil, width: Int = 120, height: Int = 40, timeout: Duration = .seconds(15),
    themes: [String] = [], rangeSeconds: TimeInterval = 3600, _ body: @MainActor (DashboardApp, MemoryTerminal) async throws -> Void
) async throws {
    let client = try PrometheusClient(options: ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(url), timeout: timeout))
    let cluster = try alertmanagerURL.map {
        AlertmanagerCluster(members: [try PrometheusClient(options: ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL($0), timeout: timeout))])
    }
    try await withDashboardApp(
        client: client, width: width, height: height, themes: themes, rangeSeconds: rangeSeconds, alertmanager: cluster, body)
}

/// The request time-out of `withScriptedApp`'s client, in seconds.
public let scriptedTimeoutSeconds: Int64 = 60

/// The run loop in process: its client answered by `transport`, its time from `clock` (which the test moves), in a
/// `MemoryTerminal`. Nothing here waits for the network or for real seconds.
@MainActor
public func withScriptedApp(
    _ transport: ScriptedTransport, clock: ManualClock = ManualClock(), width: Int = 120, height: Int = 40,
    themes: [String] = ["default", "light"], rangeSeconds: TimeInterval = 3600, refreshSeconds: TimeInterval = 60,
    alertmanager: ScriptedTransport? = nil, pinnedEnd: Date? = nil,
    switcher: ContextSwitcher? = nil, makeClient: (@Sendable (ConnectionOptions) throws -> PrometheusClient)? = nil,
    _ body: @MainActor (DashboardApp, MemoryTerminal, ManualClock) async throws -> Void
) async throws {
    // The client's own deadline is real time: far beyond any test's wait, so that a loaded machine never turns a
    // scripted answer into a time-out. The run loop's deadline (this plus 2 s) is on the test's clock.
    let options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL("http://prometheus.test:9090"), timeout: .seconds(scriptedTimeoutSeconds))
    let client = PrometheusClient(options: options, transport: transport)
    let cluster = try alertmanager.map {
        AlertmanagerCluster(members: [
            PrometheusClient(options: ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL("http://alertmanager.test:9093")), transport: $0)
        ])
    }
    try await withDashboardApp(
        client: client, width: width, height: height, themes: themes, rangeSeconds: rangeSeconds,
        refreshSeconds: refreshSeconds, alertmanager: cluster, pinnedEnd: pinnedEnd, clock: clock, switcher: switcher,
        makeClient: makeClient
    ) { app, terminal in
        try await body(app, terminal, clock)
    }
}

@MainActor
func withDashboardApp(
    client: PrometheusClient, width: Int, height: Int, themes: [String], rangeSeconds: TimeInterval,
    refreshSeconds: TimeInterval = 60, alertmanager: AlertmanagerCluster? = nil, pinnedEnd: Date? = nil,
    clock: (any AppClock)? = nil, switcher: ContextSwitcher? = nil,
    makeClient: (@Sendable (ConnectionOptions) throws -> PrometheusClient)? = nil,
    _ body: @MainActor (DashboardApp, MemoryTerminal) async throws -> Void
) async throws {
    let terminal = MemoryTerminal(width: width, height: height)
    let app = DashboardApp(
        terminal: terminal, client: client, dashboard: .microservices, theme: try Theme.named("default"), themes: themes,
        rangeSeconds: rangeSeconds, refreshSeconds: refreshSeconds, options: RenderOptions(),
        logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, alertmanager: alertmanager, pinnedEnd: pinnedEnd,
        switcher: switcher, clock: clock ?? SystemClock(), makeClient: makeClient ?? { try PrometheusClient(options: $0) })
    let loop = Task { @MainActor in await app.run() }
    var failure: (any Error)?
    do {
        try await body(app, terminal)
    } catch {
        failure = error
    }
    app.post(.signal(SIGTERM))
    _ = await loop.value
    let (last, lastAlertmanager) = app.clients
    await last.shutdown()
    await lastAlertmanager?.shutdown()
    if last !== client { await client.shutdown() }
    if let failure { throw failure }
}

/// Waits until `condition` holds, checked at once and after each frame the terminal draws (the run loop draws after
/// every event); fails after `timeout` seconds with the terminal's last frame. The timeout is a bound on a wait
/// that follows events, never a pause.
@MainActor
public func waitUntil(
    _ terminal: MemoryTerminal, _ what: String, timeout: Double = 15, _ condition: @MainActor () -> Bool
) async throws {
    if condition() { return }
    let (frames, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    let previous = terminal.onDraw
    terminal.onDraw = { canvas in
        previous?(canvas)
        continuation.yield()
    }
    let deadline = Task {
        try? await Task.sleep(for: .seconds(timeout))
        continuation.finish()
    }
    defer {
        terminal.onDraw = previous
        deadline.cancel()
    }
    for await _ in frames where condition() { return }
    throw TestFailure("timed out after \(Int(timeout)) s waiting for \(what); the screen:\n\(terminal.screen.joined(separator: "\n"))")
}

/// Waits until the terminal's last frame satisfies `condition`, and returns it.
@MainActor
public func waitForScreen(
    _ terminal: MemoryTerminal, _ what: String, timeout: Double = 15, _ condition: (String) -> Bool
) async throws -> String {
    try await waitUntil(terminal, what, timeout: timeout) { condition(terminal.screen.joined(separator: "\n")) }
    return terminal.screen.joined(separator: "\n")
}
