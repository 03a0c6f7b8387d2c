import Foundation
import Logging
import LookoutApp
import PrometheusAPI
import TerminalCanvas

/// Runs the dashboard's run loop against `url` in a `width` x `height` `MemoryTerminal` until `body` returns (or
/// throws), then posts SIGTERM, waits for the loop to end and shuts the client down.
@MainActor
public func withDashboardApp(
    url: String, width: Int = 120, height: Int = 40, timeout: Duration = .seconds(30), themes: [String] = [],
    rangeSeconds: TimeInterval = 3600, _ body: @MainActor (DashboardApp, MemoryTerminal) async throws -> Void
) async throws {
    let terminal = MemoryTerminal(width: width, height: height)
    let client = try PrometheusClient(options: ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(url), timeout: timeout))
    let app = DashboardApp(
        terminal: terminal, client: client, dashboard: .microservices, theme: try Theme.named("default"), themes: themes,
        rangeSeconds: rangeSeconds, refreshSeconds: 60, options: RenderOptions(),
        logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    let loop = Task { @MainActor in await app.run() }
    var failure: (any Error)?
    do {
        try await body(app, terminal)
    } catch {
        failure = error
    }
    app.post(.signal(SIGTERM))
    _ = await loop.value
    await client.shutdown()
    if let failure { throw failure }
}

/// Waits until `condition` holds (checked every 50 ms); fails after `timeout` seconds with the terminal's last frame.
/// The default allows a loaded machine: the app under test shares the test process' cooperative threads with CPU-bound
/// tests (the size sweep), and its first refresh once took 35–39 s in a full run (a few seconds alone).
@MainActor
public func waitUntil(
    _ terminal: MemoryTerminal, _ what: String, timeout: Double = 75, _ condition: @MainActor () -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestFailure("timed out waiting for \(what); the screen:\n\(terminal.screen.joined(separator: "\n"))")
}

/// Waits until the terminal's last frame satisfies `condition`, and returns it.
@MainActor
public func waitForScreen(
    _ terminal: MemoryTerminal, _ what: String, timeout: Double = 75, _ condition: (String) -> Bool
) async throws -> String {
    try await waitUntil(terminal, what, timeout: timeout) { condition(terminal.screen.joined(separator: "\n")) }
    return terminal.screen.joined(separator: "\n")
}
