import DashboardCore
import Dispatch
import Foundation
import Logging
import PrometheusAPI
import SafeText
import TerminalCanvas

/// The interactive dashboard's run loop. One stream of events (keys, resizes, ticks, query results) feeds the pure
/// `DashboardState.update`; its effects (fetch, theme, quit) are carried out here; every event redraws. The UI
/// never waits on the network: queries run in tasks that post their results as events.
@MainActor
public final class DashboardApp {
    public private(set) var state: DashboardState
    private let terminal: any Terminal
    private let client: PrometheusClient
    private let alertmanager: PrometheusClient?
    private var theme: Theme
    /// The theme given at start (possibly a file), so cycling with `t` can come back to it.
    private let startTheme: Theme
    private let themes: [String]
    private let options: RenderOptions
    private let logger: Logger
    private let events: AsyncStream<DashboardEvent>
    private let continuation: AsyncStream<DashboardEvent>.Continuation
    private var fetchTask: Task<Void, Never>?
    private var canvas: Canvas
    /// When the first panel data arrived, and how long until it was on screen (logged, for the performance report).
    private var firstDataArrived: ContinuousClock.Instant?
    private var firstDataFrameLogged = false

    public init(
        terminal: any Terminal, client: PrometheusClient, dashboard: Dashboard, theme: Theme, themes: [String],
        rangeSeconds: TimeInterval, refreshSeconds: TimeInterval, options: RenderOptions, logger: Logger,
        alertmanager: PrometheusClient? = nil
    ) {
        self.terminal = terminal
        self.client = client
        self.alertmanager = alertmanager
        self.theme = theme
        self.startTheme = theme
        self.themes = themes
        self.options = options
        self.logger = logger
        var state = DashboardState(
            dashboard: dashboard, server: client.options.displayHost, rangeSeconds: rangeSeconds,
            refreshSeconds: refreshSeconds)
        state.themeName = theme.name
        state.requestTimeout = Double(client.options.timeout.totalNanoseconds) / 1e9
        state.columns = terminal.width
        state.rows = terminal.height
        self.state = state
        canvas = Canvas(width: terminal.width, height: terminal.height)
        (events, continuation) = AsyncStream.makeStream(of: DashboardEvent.self, bufferingPolicy: .unbounded)
    }

    /// Runs until the user quits or a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) arrives. The caller restores the terminal.
    public func run() async {
        let continuation = self.continuation
        let terminalEvents = terminal.events
        let forward = Task {
            for await event in terminalEvents {
                switch event {
                case .key(let key): continuation.yield(.key(key))
                case .resize(let w, let h): continuation.yield(.resize(width: w, height: h))
                }
            }
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                continuation.yield(.tick(Date()))
            }
        }
        var signalSources: [any DispatchSourceSignal] = []
        // SIGQUIT (Ctrl-\) too: otherwise Swift's backtracer would print into the screen and keep the terminal.
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
            source.setEventHandler {
                continuation.yield(.key("ctrl-c"))
            }
            source.resume()
            signalSources.append(source)
        }
        defer {
            forward.cancel()
            ticker.cancel()
            fetchTask?.cancel()
            signalSources.forEach { $0.cancel() }
        }
        logger.info("dashboard started", metadata: ["server": "\(client.options.baseURL)"])
        state.now = Date()
        perform(state.update(.key("r"), themes: themes))
        render()
        for await event in events {
            if case .resize(let w, let h) = event { canvas = Canvas(width: w, height: h) }
            if firstDataArrived == nil, case .panelLoaded(_, _, .loaded, _) = event { firstDataArrived = .now }
            let effects = state.update(event, themes: themes)
            for effect in effects {
                if effect == .quit {
                    logger.info("quit")
                    return
                }
                perform([effect])
            }
            render()
        }
    }

    private func perform(_ effects: [DashboardEffect]) {
        for effect in effects {
            switch effect {
            case .fetch(let generation, let rangeSeconds, let points, let variables):
                startFetch(generation: generation, rangeSeconds: rangeSeconds, points: points, variables: variables)
            case .setTheme(let name):
                do {
                    theme = name == startTheme.name ? startTheme : try Theme.named(name)
                } catch {
                    logger.error("theme \(name): \(error)")
                }
            case .quit:
                break
            }
        }
    }

    private func startFetch(generation: Int, rangeSeconds: TimeInterval, points: Int, variables: [String: String]) {
        fetchTask?.cancel()
        let fetcher = DashboardFetcher(
            client: client, dashboard: state.dashboard.substituting(variables), alertmanager: alertmanager)
        let declared = state.dashboard.variables
        let continuation = self.continuation
        let logger = self.logger
        let panelCount = state.dashboard.panels.count
        fetchTask = Task.detached {
            let range = QueryRange(last: rangeSeconds, end: Date(), points: points)
            let failures = await withTaskGroup(of: PrometheusError?.self) { group -> [PrometheusError?] in
                for (index, panel) in fetcher.dashboard.panels.enumerated() {
                    group.addTask {
                        let result = await fetcher.fetchResult(panel: panel, range: range)
                        guard !Task.isCancelled else { return nil }
                        switch result {
                        case .success(let data):
                            continuation.yield(.panelLoaded(index: index, generation: generation, outcome: .loaded(data), at: Date()))
                            return nil
                        case .failure(let error):
                            continuation.yield(.panelLoaded(index: index, generation: generation, outcome: .failed(error.description), at: Date()))
                            return error
                        }
                    }
                }
                group.addTask {
                    let result = await fetcher.fetchAlerts()
                    guard !Task.isCancelled else { return nil }
                    switch result {
                    case .success(let fetched):
                        continuation.yield(.alertsLoaded(
                            generation: generation, items: fetched.items, error: nil, at: Date(), unreadable: fetched.unreadable))
                        return nil
                    case .failure(let error):
                        continuation.yield(.alertsLoaded(generation: generation, items: nil, error: error.description, at: Date()))
                        return error
                    }
                }
                var all: [PrometheusError?] = []
                for await failure in group { all.append(failure) }
                return all
            }
            // The values each variable can take, for `v` (a failure keeps the previous list).
            for variable in declared {
                if let values = try? await fetcher.client.labelValues(variable.label).data {
                    continuation.yield(.variableOptions(name: variable.name, values: values.map(SafeText.sanitize)))
                }
            }
            guard !Task.isCancelled else { return }
            let errors = failures.compactMap { $0 }
            // The server is unreachable when nothing at all got through and the failures are connection failures.
            let unreachable = errors.count == panelCount + 1 && errors.allSatisfy(\.isConnectionFailure)
            if let first = errors.first {
                logger.warning("refresh \(generation): \(errors.count) of \(panelCount + 1) queries failed: \(first)")
            }
            let retryAfter = errors.compactMap(\.retryAfter).max()
            continuation.yield(.fetchFinished(
                generation: generation, unreachable: unreachable ? errors.first?.shortReason : nil, at: Date(), retryAfter: retryAfter))
        }
    }

    private func render() {
        if canvas.width != terminal.width || canvas.height != terminal.height {
            canvas = Canvas(width: terminal.width, height: terminal.height)
        }
        DashboardView.render(state, into: &canvas, options: options)
        terminal.draw(canvas, theme: theme)
        if !firstDataFrameLogged, let arrived = firstDataArrived {
            firstDataFrameLogged = true
            let elapsed = ContinuousClock.now - arrived
            logger.info("first frame with data on screen \(elapsed.components.attoseconds / 1_000_000_000_000) µs after the answer arrived")
        }
    }
}
