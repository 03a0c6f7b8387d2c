import DashboardCore
import Dispatch
import FoundationEssentials
import Glibc
import Logging
import LookoutUI
import PrometheusAPI
import SafeText
import TerminalCanvas

/// The interactive app's run loop. One stream of events (keys, signals, resizes, ticks, query results) feeds the pure
/// `AppState.update`; its effects (fetch, theme, quit) are carried out here; every event redraws. The UI never waits
/// on the network: queries run in tasks that post their results as events.
@MainActor
public final class DashboardApp {
    public private(set) var app: AppState
    public var state: DashboardState { app.model }
    private let terminal: any Terminal
    private var client: PrometheusClient
    private var alertmanager: AlertmanagerCluster?
    /// The graphs' range queries, kept between refreshes so that each asks only for what is new (a new one per
    /// server).
    private var rangeCache: RangeCache?
    /// The contexts `:ctx` switches between (a config file with contexts), and the colour of the current one.
    private let switcher: ContextSwitcher?
    private var contextColor: Color?
    /// The server's client and the Alertmanagers' at the end (after any `:ctx` switch), to shut down.
    public var clients: (PrometheusClient, AlertmanagerCluster?) { (client, alertmanager) }
    private let authorFile: AuthorFile?
    private var theme: Theme
    /// The theme given at start (possibly a file), so cycling with `t` can come back to it.
    private let startTheme: Theme
    private var options: RenderOptions
    private let logger: Logger
    private let events: AsyncStream<AppEvent>
    private let continuation: AsyncStream<AppEvent>.Continuation
    private var fetchTask: Task<Void, Never>?
    private let history: HistoryFile?
    private var canvas: Canvas
    /// When the first panel data arrived, and how long until it was on screen (logged, for the performance report).
    private var firstDataArrived: ContinuousClock.Instant?
    private var firstDataFrameLogged = false
    /// Asking the current server for its retention (a switch of context asks the new one and drops this answer).
    /// When the pipeline's checks were last asked for (at most once a minute, with a refresh).
    private var pipelineAskedAt: Date?
    private var pipelineTask: Task<Void, Never>?
    /// How often the pipeline is checked, at most.
    public static let pipelineSeconds: TimeInterval = 60
    /// The time and the ticks (a clock the test moves, in tests).
    private let clock: any AppClock
    /// How a client of another server is made (`:ctx`, its probes): over AsyncHTTPClient, or a test's transport.
    private let makeClient: @Sendable (ConnectionOptions) throws -> PrometheusClient
    /// The work started for the effects (refreshes, requests, files), until each has ended.
    /// Called once the run loop listens for the quit signals: the product arms its watchdog then
    /// (`QuitWatchdog.arm`), which ends the process a second after a quit signal if the loop has not.
    public var onSignalsHeard: (@MainActor () -> Void)?
    private var running: [Int: Task<Void, Never>] = [:]
    private var nextTaskID = 0

    public init(
        terminal: any Terminal, client: PrometheusClient, dashboard: Dashboard, theme: Theme, themes: [String],
        rangeSeconds: TimeInterval, refreshSeconds: TimeInterval, options: RenderOptions, logger: Logger,
        alertmanager: AlertmanagerCluster? = nil, history: HistoryFile? = nil, clipboard: Bool = true,
        silences: SilenceSettings = SilenceSettings(), utc: Bool = false, pinnedEnd: Date? = nil,
        context: LookoutConfig.Context? = nil, switcher: ContextSwitcher? = nil, incremental: Bool = true,
        variables: [String: String] = [:], clock: any AppClock = SystemClock(),
        makeClient: @escaping @Sendable (ConnectionOptions) throws -> PrometheusClient = { try PrometheusClient(options: $0) }
    ) {
        self.switcher = switcher
        self.clock = clock
        self.makeClient = makeClient
        rangeCache = incremental ? RangeCache(now: { clock.now() }) : nil
        contextColor = context?.color.flatMap { Color(parsing: $0) }
        self.authorFile = silences.author
        self.history = history
        self.terminal = terminal
        self.client = client
        self.alertmanager = alertmanager
        self.theme = Self.colouring(theme, contextColor)
        self.startTheme = theme
        var options = options
        options.seriesMarks = theme.isMono
        self.options = options
        self.logger = logger
        var state = DashboardState(
            dashboard: dashboard, server: client.options.displayHost, rangeSeconds: rangeSeconds,
            refreshSeconds: refreshSeconds)
        state.themeName = theme.name
        state.themes = themes
        state.clipboard = clipboard
        state.utc = utc
        state.pinnedEnd = pinnedEnd
        state.variableValues = variables
        state.paused = pinnedEnd != nil
        state.silences = SilencesState(
            available: alertmanager != nil, readOnly: silences.readOnly,
            author: silences.author?.author ?? Silencing.defaultAuthor(environment: [:], hostname: "localhost"))
        state.requestTimeout = Double(client.options.timeout.totalNanoseconds) / 1e9
        state.tlsUnverified = client.options.tls.insecureSkipVerify
        state.columns = terminal.width
        state.rows = terminal.height
        state.contextName = context?.name
        state.pipeline.watchdogNames = context?.watchdog ?? []
        state.customDashboard = Dashboard.builtins.values.contains(dashboard) ? nil : dashboard
        state.contexts = switcher?.config.contexts.map { ContextEntry(name: $0.name, url: $0.url) } ?? []
        if let place = LookoutConfig.location(flag: nil, environment: ProcessInfo.processInfo.environment)?.path {
            state.configFile = SafeText.clip(place, 200)
        }
        app = AppState(model: state, history: history?.queries ?? [])
        canvas = Canvas(width: terminal.width, height: terminal.height)
        (events, continuation) = AsyncStream.makeStream(of: AppEvent.self, bufferingPolicy: .unbounded)
    }

    /// Posts an event as if it had arrived from the terminal, a signal or a query (tests drive the loop with it).
    public func post(_ event: AppEvent) {
        continuation.yield(event)
    }

    /// Runs until the user quits or a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) arrives. The caller restores the terminal.
    public func run() async {
        let continuation = self.continuation
        let terminalEvents = terminal.events
        let forward = Task {
            for await event in terminalEvents {
                switch event {
                case .key(let key): continuation.yield(.key(key))
                case .resize(let w, let h): continuation.yield(.dashboard(.resize(width: w, height: h)))
                case .paste(let text): continuation.yield(.paste(text))
                case .mouse(let event): continuation.yield(.mouse(event))
                }
            }
        }
        let ticks = clock.ticks()
        let ticker = Task {
            for await now in ticks { continuation.yield(.dashboard(.tick(now))) }
        }
        var signalSources: [any DispatchSourceSignal] = []
        // SIGQUIT (Ctrl-\) too: otherwise Swift's backtracer would print into the screen and keep the terminal.
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
            source.setEventHandler {
                continuation.yield(.signal(number))
            }
            source.resume()
            signalSources.append(source)
        }
        onSignalsHeard?()
        defer {
            forward.cancel()
            ticker.cancel()
            fetchTask?.cancel()
            signalSources.forEach { $0.cancel() }
        }
        logger.info("dashboard started", metadata: ["server": "\(client.options.baseURL)"])
        app.model.now = clock.now()
        if let problem = history?.problem { app.notice = problem }
        perform(app.model.perform(.refresh))
        defer { pipelineTask?.cancel() }
        render()
        for await event in events {
            if case .dashboard(.resize(let w, let h)) = event { canvas = Canvas(width: w, height: h) }
            if firstDataArrived == nil, case .dashboard(.panelLoaded(_, _, .loaded, _)) = event { firstDataArrived = .now }
            if case .signal(let number) = event { logger.info("signal \(number)") }
            let effects = app.update(event)
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
            case .fetch(let generation, let rangeSeconds, let points, let variables, let end, let panels):
                startFetch(generation: generation, rangeSeconds: rangeSeconds, points: points, variables: variables, end: end, panels: panels)
            case .switchContext(let name):
                track(Task {
                    await switchContext(to: name)
                    render()
                })
            case .setTheme(let name):
                do {
                    theme = Self.colouring(name == startTheme.name ? startTheme : try Theme.named(name), contextColor)
                    options.seriesMarks = theme.isMono
                } catch {
                    logger.error("theme \(name): \(error)")
                }
            case .copy(let text):
                terminal.copyToClipboard(text)
            case .request(let screen, let id, let request):
                startRequest(screen: screen, id: id, request)
            case .rememberAuthor(let author):
                guard let authorFile else { break }
                let continuation = self.continuation
                spawn {
                    if let problem = authorFile.save(author) { continuation.yield(.notice(problem)) }
                }
            case .appendHistory(let query):
                guard let history else { break }
                let continuation = self.continuation
                spawn {
                    if let problem = history.append(query) { continuation.yield(.notice(problem)) }
                }
            case .quit:
                break
            }
        }
    }

    private func startFetch(generation: Int, rangeSeconds: TimeInterval, points: Int, variables: [String: String], end: Date?, panels: Set<Int>?) {
        fetchTask?.cancel()
        let now = clock.now()
        // A live window ends at the last whole step, so refreshes share one grid and ask only for what is new;
        // stat panels are still asked at now. A pinned window is asked as it is.
        let range = end.map { QueryRange(last: rangeSeconds, end: $0, points: points) }
            ?? QueryRange.aligned(last: rangeSeconds, now: now, points: points)
        let fetcher = DashboardFetcher(
            client: client, dashboard: state.dashboard, alertmanager: alertmanager,
            rangeCache: rangeCache, instant: end ?? now, liveEdge: end == nil, now: { [clock] in clock.now() })
        let continuation = self.continuation
        let logger = self.logger
        fetchTask = spawn {
            var failed = 0
            for await event in fetcher.refresh(generation: generation, range: range, choices: variables, only: panels) {
                guard !Task.isCancelled else { return }
                switch event {
                case .panelLoaded(_, _, .failed, _), .alertsLoaded(_, nil, _, _, _): failed += 1
                case .fetchFinished(_, let unreachable, _, _) where failed > 0:
                    logger.warning("refresh \(generation): \(failed) queries failed\(unreachable.map { ", server unreachable: \($0)" } ?? "")")
                default: break
                }
                continuation.yield(.dashboard(event))
            }
            // The pipeline is checked once the refresh has answered, not beside it: its requests never compete with
            // the panels' (a server that limits concurrent requests would refuse some). Started from here, it is
            // background work before this refresh ends (`waitForBackgroundWork` waits for it too).
            guard !Task.isCancelled else { return }
            await self.checkPipeline()
        }
    }

    /// Starts work for an effect off the main actor, and keeps it until it has ended (`waitForBackgroundWork`).
    @discardableResult
    private func spawn(_ operation: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        track(Task.detached { await operation() })
    }

    /// Keeps `task` until it has ended (`waitForBackgroundWork`).
    @discardableResult
    private func track(_ task: Task<Void, Never>) -> Task<Void, Never> {
        let id = nextTaskID
        nextTaskID += 1
        running[id] = task
        Task { [weak self] in
            _ = await task.value
            self?.running[id] = nil
        }
        return task
    }

    /// Returns once every piece of work started so far, and any it started in turn, has ended: whatever it had to
    /// post is then in the event stream, ahead of any event posted after this returns (tests follow events with it).
    public func waitForBackgroundWork() async {
        var seen = Set<Int>()
        while let (id, task) = running.first(where: { !seen.contains($0.key) }) {
            seen.insert(id)
            await task.value
        }
    }

    /// The server's retention, once per server: a window that reaches past it says so.
    /// Reads the pipeline's checks after a refresh, unless they were read less than a minute ago (or are being
    /// read).
    private func checkPipeline() {
        let now = clock.now()
        if let asked = pipelineAskedAt, now.timeIntervalSince(asked) < Self.pipelineSeconds { return }
        pipelineAskedAt = now
        let client = self.client
        let alertmanager = self.alertmanager
        let continuation = self.continuation
        let clock = self.clock
        // The health panel's own answer says whether it selects anything (`DashboardState.pipelineChecks`).
        pipelineTask = spawn {
            let reading = await PipelineProbe.read(client, alertmanager: alertmanager, now: clock.now())
            guard !Task.isCancelled else { return }
            // How long the server keeps its data comes with it (runtimeinfo), for "no data before".
            if case .success(let info) = reading.runtime, let seconds = info.storageRetention.flatMap(DashboardFetcher.retention) {
                continuation.yield(.dashboard(.retention(seconds)))
            }
            continuation.yield(.dashboard(.pipelineRead(reading)))
        }
    }

    /// `:ctx` chose another context: new clients, a new model over the same terminal (the stack back to the dashboard),
    /// the choice remembered for the next start. A context that cannot be used says why in one line and changes nothing.
    private func switchContext(to name: String) async {
        guard let switcher else {
            app.notice = "no config file with contexts"
            return
        }
        let target: (connection: ResolvedConnection, dashboard: Dashboard)
        var made: PrometheusClient?
        let newClient: PrometheusClient
        let newAlertmanager: AlertmanagerCluster?
        do {
            target = try switcher.target(name)
            newClient = try makeClient(target.connection.options)
            made = newClient
            newAlertmanager = try await AlertmanagerCluster.make(target.connection.alertmanagers, makeClient: makeClient)
        } catch {
            await made?.shutdown()
            app.notice = SafeText.clip((error as? ConfigurationError)?.message ?? "\(error)", InputLimits.messageCharacters)
            return
        }
        fetchTask?.cancel()
        let (oldClient, oldAlertmanager) = (client, alertmanager)
        Task.detached { await DashboardLaunch.shutdown(oldClient, oldAlertmanager) }
        client = newClient
        rangeCache = rangeCache == nil ? nil : RangeCache(now: { [clock] in clock.now() })
        alertmanager = newAlertmanager
        let context = target.connection.context
        contextColor = context?.color.flatMap { Color(parsing: $0) }
        theme = Self.colouring(theme.name == startTheme.name ? startTheme : ((try? Theme.named(theme.name)) ?? startTheme), contextColor)
        let old = app.model
        var state = DashboardState(
            dashboard: target.dashboard, server: newClient.options.displayHost, rangeSeconds: old.rangeSeconds,
            refreshSeconds: old.refreshSeconds)
        state.themeName = old.themeName
        state.themes = old.themes
        state.clipboard = old.clipboard
        state.utc = old.utc
        state.pinnedEnd = old.pinnedEnd
        state.paused = old.paused
        state.silences = SilencesState(
            available: newAlertmanager != nil, readOnly: switcher.readOnlyFlag || context?.readOnly == true, author: old.silences.author)
        state.requestTimeout = Double(newClient.options.timeout.totalNanoseconds) / 1e9
        state.tlsUnverified = newClient.options.tls.insecureSkipVerify
        state.columns = old.columns
        state.rows = old.rows
        state.contextName = context?.name
        state.pipeline.watchdogNames = context?.watchdog ?? []
        state.contexts = old.contexts
        state.configFile = old.configFile
        app = app.switched(to: state)
        if let problem = ContextChoice.remember(name, environment: switcher.environment) { app.notice = problem }
        logger.info("context switched", metadata: ["context": "\(name)", "server": "\(newClient.options.baseURL)"])
        // The old server's pipeline is not the new one's: asked again with the first refresh.
        pipelineTask?.cancel()
        pipelineAskedAt = nil
        perform(app.model.perform(.refresh))
    }

    /// Carries out a screen's request; the answer goes back to the screen as an event.
    private func startRequest(screen: Int, id: Int, _ request: ScreenRequest) {
        let client = self.client
        let alertmanager = self.alertmanager
        let readOnly = state.silences.readOnly
        let continuation = self.continuation
        let switcher = self.switcher
        let makeClient = self.makeClient
        let clock = self.clock
        spawn {
            let response: ScreenResponse
            do {
                switch request {
                case .probeContext(let name):
                    guard let switcher else { throw ConfigurationError("no config file with contexts") }
                    let probe = try makeClient(try switcher.target(name).connection.options)
                    do {
                        _ = try await probe.buildInfo()
                        await DashboardLaunch.shutdown(probe, within: .seconds(1))
                    } catch {
                        await DashboardLaunch.shutdown(probe, within: .seconds(1))
                        throw error
                    }
                    response = .done
                case .alertsMatching(let matchers):
                    guard let alertmanager else { throw PrometheusError.transport(url: "", reason: "no Alertmanager configured") }
                    let alerts = try await alertmanager.alerts(matching: matchers)
                    response = .alertCount(alerts.count, active: alerts.filter { $0.status.silencedBy.isEmpty }.count)
                case .saveSilence(let draft):
                    // The screens never ask when read-only; this is the last guard.
                    guard !readOnly, let alertmanager else { throw PrometheusError.transport(url: "", reason: "read-only") }
                    response = .saved(id: SafeText.sanitize(try await alertmanager.saveSilence(draft)))
                case .expireSilence(let id):
                    guard !readOnly, let alertmanager else { throw PrometheusError.transport(url: "", reason: "read-only") }
                    try await alertmanager.expireSilence(id: id)
                    response = .done
                case .rangeQuery(let query, let rangeSeconds, let points, let end):
                    let answer = try await client.queryRange(query, range: QueryRange(last: rangeSeconds, end: end ?? clock.now(), points: points))
                    response = .result(answer.data, warnings: answer.warnings.map { SafeText.clip($0, InputLimits.messageCharacters) })
                case .alertHistory(let from, let to):
                    let (alerts, heartbeat) = try await HistoryFetch.fetch(client, from: from, to: to)
                    response = .history(alerts: alerts, heartbeat: heartbeat)
                case .rules:
                    response = .rules(try await client.rules().data)
                case .targets:
                    response = .targets(try await client.targets().data)
                case .metricNames:
                    response = .names(try await client.labelValues("__name__").data.map(SafeText.sanitize))
                case .labelNames(let selector):
                    response = .names(try await client.labelNames(matching: selector).data.map(SafeText.sanitize))
                case .labelValues(let label, let selector):
                    response = .names(try await client.labelValues(label, matching: selector).data.map(SafeText.sanitize))
                }
            } catch let error as PrometheusError {
                response = .failure(error.description)
            } catch {
                response = .failure(SafeText.clip("\(error)", InputLimits.messageCharacters))
            }
            continuation.yield(.response(screen: screen, id: id, response))
        }
    }

    private func render() {
        if canvas.width != terminal.width || canvas.height != terminal.height {
            canvas = Canvas(width: terminal.width, height: terminal.height)
        }
        AppView.render(app, into: &canvas, options: options)
        terminal.draw(canvas, theme: theme)
        if !firstDataFrameLogged, let arrived = firstDataArrived {
            firstDataFrameLogged = true
            let elapsed = ContinuousClock.now - arrived
            let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
            logger.info("first frame with data on screen \(micros) µs after the answer arrived")
        }
    }
}
