import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import PrometheusModels

/// Something that happened to the dashboard's data: a resize, a timer, or a query's result. Keys and signals go
/// to the app (`AppEvent`), which turns them into `DashboardAction`s.
public enum DashboardEvent: Sendable, Equatable {
    case resize(width: Int, height: Int)
    /// A clock tick (once a second): ages and countdowns move on, and a due refresh starts.
    case tick(Date)
    case panelLoaded(index: Int, generation: Int, outcome: PanelOutcome, at: Date)
    /// The alerts of a refresh (nil with an `error` when none could be read); `unreadable` describes those that
    /// could not be read among the others.
    case alertsLoaded(generation: Int, items: [AlertItem]?, error: String?, at: Date, unreadable: [String] = [])
    /// Alertmanager's silences of a refresh (nil with an `error` when none could be read), and the members of its
    /// cluster that did not answer.
    case silencesLoaded(generation: Int, silences: [Silence]?, error: String?, down: [AlertmanagerMemberDown], at: Date)
    /// The values a dashboard variable can take.
    case variableOptions(name: String, values: [String])
    /// Every query of a generation has answered. `unreachable` holds the error when the server could not be talked
    /// to at all; `retryAfter` the pause the server asked for (HTTP 429 / 503 `Retry-After`), when it did.
    case fetchFinished(generation: Int, unreachable: String?, at: Date, retryAfter: TimeInterval? = nil)
    /// How long the server keeps its data (`/api/v1/status/runtimeinfo`), asked once at start.
    case retention(TimeInterval)
    /// What the alerting pipeline's checks read.
    case pipelineRead(PipelineReading)
}

/// What the run loop must do after an event.
public enum DashboardEffect: Sendable, Equatable {
    /// Query the panels (`panels` only when given: those on screen, a screen above and below, and the zoomed one)
    /// and the alerts, tagging the results with `generation`, with `points` steps per range, with the dashboard's
    /// variables set to `variables`.
    case fetch(generation: Int, rangeSeconds: TimeInterval, points: Int, variables: [String: String], end: Date? = nil, panels: Set<Int>? = nil)
    case setTheme(String)
    /// Carry out a screen's request and answer with `AppEvent.response(screen:id:_)`.
    case request(screen: Int, id: Int, ScreenRequest)
    /// Append a query to the history file.
    case appendHistory(String)
    /// Put text on the user's clipboard (OSC 52).
    case copy(String)
    /// Keep the author of silences in the state folder, for the next time.
    case rememberAuthor(String)
    /// Talk to another context of the config file (`:ctx`): new clients, a fresh dashboard.
    case switchContext(String)
    case quit
}

extension DashboardState {
    /// Seconds to wait after `failures` failed attempts in a row: 5, 10, 20, 40, then 60.
    public static func backoff(failures: Int) -> TimeInterval {
        guard failures > 0 else { return 0 }
        return min(60, 5 * pow(2, Double(min(failures - 1, 6))))
    }

    /// Points per range query: one per column of the widest sparkline (of the zoomed chart, two per column for its
    /// braille dots), at least 30.
    public var queryPoints: Int {
        if zoomed { return max(30, min(1000, (columns - 12) * 2)) }
        // As many points as the widest graph panel has columns: a row of fewer panels (the graphs after a stat row,
        // a wide panel) is wider than a quarter or a half.
        if let width = DashboardLayout.widestGraph(self) { return max(30, min(600, width - 2)) }
        let perRow = columns >= 160 ? 4 : (columns >= 80 ? 2 : 1)
        let graphRows = DashboardLayout.gridRows(dashboard, perRow: perRow).filter { row in row.contains { dashboard.panels[$0].kind == .graph } }
        let panelWidth = perRow == 1 ? columns : columns / max(1, graphRows.map(\.count).min() ?? perRow)
        return max(30, min(600, panelWidth - 2))
    }

    /// Seconds after the start of a refresh when its missing answers count as failed: the request deadline, and two
    /// seconds for the answers to reach the screen.
    public var refreshDeadline: TimeInterval { requestTimeout + 2 }

    mutating func startFetch(at now: Date) -> [DashboardEffect] {
        generation += 1
        let asked = askedPanels
        // A panel the last generation asked for and this one does not will not be answered: it is not loading.
        for i in panels.indices { panels[i].isLoading = !dashboard.panels[i].isRow && asked?.contains(i) ?? true }
        alerts.isLoading = true
        nextRefreshAt = nil
        fetchDeadline = now.addingTimeInterval(refreshDeadline)
        // A pinned window ends on the step grid, so every refresh of it asks for the same points.
        let end = pinnedEnd.map { TimeWindow.aligned($0, step: queryStep) }
        return [.fetch(generation: generation, rangeSeconds: rangeSeconds, points: queryPoints, variables: variableValues, end: end, panels: asked)]
    }

    /// The panels a refresh asks for: nil (all) unless the dashboard scrolls, else those on screen and a screen above
    /// and below (`DashboardLayout.wanted`), and the zoomed one.
    var askedPanels: Set<Int>? {
        guard var wanted = DashboardLayout.wanted(self) else { return nil }
        if let zoomedPanel { wanted.insert(zoomedPanel) }
        return wanted
    }

    /// After a scroll or a row opened: a panel now wanted that has no data yet (or, live, data older than a refresh)
    /// is asked for now rather than at the next refresh.
    mutating func revealed() -> [DashboardEffect] {
        guard let asked = askedPanels else { return [] }
        let missing = asked.contains { i in
            guard panels.indices.contains(i), !dashboard.panels[i].isRow, !panels[i].isLoading else { return false }
            guard let at = panels[i].updatedAt else { return panels[i].error == nil }
            return pinnedEnd == nil && !paused && now.timeIntervalSince(at) > refreshSeconds
        }
        return missing && connection == .connected ? startFetch(at: now) : []
    }

    /// Applies an event and says what to do next. Pure: the time comes from the events.
    public mutating func update(_ event: DashboardEvent) -> [DashboardEffect] {
        switch event {
        case .tick(let date):
            now = date
            if let deadline = fetchDeadline, date >= deadline { refreshTimedOut(at: date) }
            if !paused || incompleteWindow, let due = nextRefreshAt, date >= due { return startFetch(at: date) }
            return []

        case .resize(let width, let height):
            let before = queryPoints
            columns = width
            rows = height
            // More or fewer columns: fetch again with as many points, unless waiting out a back-off.
            return queryPoints != before && !paused && connection == .connected ? startFetch(at: now) : []

        case .panelLoaded(let index, let gen, let outcome, let at):
            guard gen == generation, panels.indices.contains(index) else { return [] }
            panels[index].isLoading = false
            switch outcome {
            case .loaded(let data):
                panels[index].data = data
                panels[index].updatedAt = at
                panels[index].error = nil
            case .failed(let message):
                panels[index].error = message
            }
            return []

        case .alertsLoaded(let gen, let items, let error, let at, let unreadable):
            guard gen == generation else { return [] }
            if let items {
                alerts.items = items
                alerts.updatedAt = at
                alerts.error = nil
                alerts.unreadable = unreadable
            } else {
                alerts.error = error
            }
            alerts.isLoading = false
            return []

        case .silencesLoaded(let gen, let list, let error, let down, let at):
            guard gen == generation else { return [] }
            if let list {
                silences.items = list
                silences.updatedAt = at
                silences.error = nil
            } else {
                silences.error = error
            }
            silences.membersDown = down
            return []

        case .variableOptions(let name, let values):
            variableOptions[name] = values
            // Repeated panels follow the values on offer: drawn anew, and asked for with them.
            return expandRepeats() ? startFetch(at: now) : []

        case .retention(let seconds):
            retentionSeconds = seconds.isFinite && seconds > 0 ? seconds : nil
            return []

        case .pipelineRead(let reading):
            pipeline.record(reading)
            return []

        case .fetchFinished(let gen, let unreachable, let at, let retryAfter):
            guard gen == generation else { return [] }
            now = at
            fetchDeadline = nil
            alerts.isLoading = false
            for i in panels.indices { panels[i].isLoading = false }
            if let message = unreachable {
                failures += 1
                // The server's own Retry-After wins over the back-off when it asks for longer (at most an hour).
                let pause = Swift.max(Self.backoff(failures: failures), Swift.min(retryAfter ?? 0, 3600))
                let retry = at.addingTimeInterval(pause)
                connection = .unreachable(message: message, retryAt: retry)
                nextRefreshAt = retry
            } else {
                failures = 0
                connection = .connected
                // Something failed while the server answered (a 503 for the alerts, one panel's timeout): ask again
                // sooner than a whole refresh interval (5 s, doubling), so a passing error does not leave the alerts
                // missing for a minute; a clean refresh resets it.
                let partial = alerts.error != nil || panels.contains { $0.error != nil }
                partialFailures = partial ? partialFailures + 1 : 0
                let pause = partial ? Swift.min(refreshSeconds, Self.backoff(failures: partialFailures)) : refreshSeconds
                nextRefreshAt = at.addingTimeInterval(pause)
            }
            return []
        }
    }

    /// A refresh that has not been answered by its deadline has failed for what is missing: those panels keep their
    /// last data (which goes stale) with the error, the status bar says so, and the next refresh is scheduled with the
    /// back-off of a failure.
    mutating func refreshTimedOut(at date: Date) {
        fetchDeadline = nil
        let message = "no answer within \(ValueFormat.age(refreshDeadline))"
        for i in panels.indices where panels[i].isLoading {
            panels[i].isLoading = false
            panels[i].error = message
        }
        if alerts.isLoading {
            alerts.isLoading = false
            alerts.error = message
        }
        failures += 1
        // The back-off of a failure, as for a server that did not answer at all: a 1 m refresh interval does not
        // leave the screen without its answers for a minute because one refresh was slow.
        let retry = date.addingTimeInterval(Self.backoff(failures: failures))
        connection = .unreachable(message: "refresh timed out: \(message)", retryAt: retry)
        nextRefreshAt = retry
    }

    /// Carries out what the user asked for with a key.
    public mutating func perform(_ action: DashboardAction) -> [DashboardEffect] {
        switch action {
        case .refresh: return startFetch(at: now)
        case .togglePause:
            paused.toggle()
            return paused ? [] : startFetch(at: now)
        case .widerRange, .narrowerRange:
            let ranges = Self.ranges
            let current = ranges.firstIndex { $0 >= rangeSeconds } ?? (ranges.count - 1)
            let next = action == .widerRange ? min(ranges.count - 1, current + 1) : max(0, current - 1)
            guard ranges[next] != rangeSeconds else { return [] }
            // A pinned window zooms around its centre.
            window.zoom(to: ranges[next], now: now)
            return moved()
        case .panBack:
            window.pan(-0.5, now: now)
            return moved()
        case .panForward:
            guard pinnedEnd != nil else { return [] }
            window.pan(0.5, now: now)
            return moved()
        case .live:
            guard pinnedEnd != nil else { return [] }
            window.goLive()
            return moved()
        case .centre(let instant):
            window.centre(on: instant, now: now)
            return moved()
        case .toggleUTC:
            utc.toggle()
            return []
        case .cycleOrder:
            seriesOrder = seriesOrder.next
            return []
        case .nextVariableValue:
            // Cycles the first variable through All (when offered) and its values; the panels are fetched again with it.
            guard let variable = dashboard.variables.first else { return [] }
            let choices = variable.choices(offered: variableOptions[variable.name] ?? variable.offered([]))
            guard !choices.isEmpty else { return [] }
            let shown = resolvedVariables[variable.name]?.values.first ?? Variable.all
            let current = choices.firstIndex(of: shown) ?? -1
            variableValues[variable.name] = choices[(current + 1) % choices.count]
            _ = expandRepeats()
            return startFetch(at: now)
        case .setVariable(let name, let value):
            guard dashboard.variables.contains(where: { $0.name == name }) else { return [] }
            variableValues[name] = value
            _ = expandRepeats()
            return startFetch(at: now)
        case .toggleSuppressed:
            hideSuppressed.toggle()
            return []
        case .cycleTheme:
            guard !themes.isEmpty else { return [] }
            let index = themes.firstIndex(of: themeName).map { ($0 + 1) % themes.count } ?? 0
            themeName = themes[index]
            return [.setTheme(themeName)]
        case .setFilter(let text):
            filter = text
            return []
        case .scroll(let top):
            scrollTop = DashboardLayout.clampedScroll(self, top)
            return revealed()
        case .toggleRow(let index):
            guard dashboard.panels.indices.contains(index), dashboard.panels[index].isRow else { return [] }
            if closedRows.contains(index) { closedRows.remove(index) } else { closedRows.insert(index) }
            scrollTop = DashboardLayout.clampedScroll(self, scrollTop)
            return revealed()
        case .showDashboard(let name):
            guard let board = Dashboard.builtins[name], board != (repeatSource ?? dashboard) else { return [] }
            return use(board)
        case .nextDashboard:
            let choices = (customDashboard.map { [$0] } ?? []) + Dashboard.builtinNames.compactMap { Dashboard.builtins[$0] }
            guard choices.count > 1 else { return [] }
            let next = choices.firstIndex(of: repeatSource ?? dashboard).map { ($0 + 1) % choices.count } ?? 0
            return use(choices[next])
        }
    }

    /// Shows another dashboard: its panels empty until the fetch that starts now answers.
    mutating func use(_ board: Dashboard) -> [DashboardEffect] {
        dashboard = board
        repeatSource = board.hasRepeats ? board : nil
        panels = Array(repeating: PanelState(), count: board.panels.count)
        closedRows = Self.closedRows(of: board)
        scrollTop = 0
        variableValues = [:]
        variableOptions = [:]
        _ = expandRepeats()
        return startFetch(at: now)
    }

    /// A window in the past whose last fetch failed somewhere: it is fetched again on the refresh schedule (with
    /// the back-off) although paused, or it would stay broken.
    var incompleteWindow: Bool {
        pinnedEnd != nil && fetchDeadline == nil && (alerts.error != nil || panels.contains { $0.error != nil })
    }

    /// After the window moved: a pinned window is paused (the past does not need refreshing), a live one refreshes
    /// again; either way its data is fetched now.
    mutating func moved() -> [DashboardEffect] {
        paused = pinnedEnd != nil
        return startFetch(at: now)
    }

    /// The ranges `+` and `-` step through, in seconds.
    public static let ranges: [TimeInterval] = [300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 604_800]
}

/// What a key can ask of the dashboard's data and settings.
public enum DashboardAction: Sendable, Equatable {
    case refresh, togglePause, widerRange, narrowerRange, nextVariableValue, toggleSuppressed, cycleTheme
    /// `[` and `]`: half a range back or forward; `0`: live again; `z`: UTC or local time.
    case panBack, panForward, live, toggleUTC
    /// `o`: worst first, by name, by value.
    case cycleOrder
    /// A variable's value picked (`v`): the panels are asked again with it.
    case setVariable(name: String, value: String)
    /// Centre the window on an instant (`g` on an alert: its start).
    case centre(Date)
    case setFilter(String)
    /// Another built-in dashboard (`:dashboard operations`).
    case showDashboard(String)
    /// The next dashboard: the one given at start (a file), then the built-in ones (`D`).
    case nextDashboard
    /// The dashboard scrolled to this row (PgUp/PgDn, Home/End, the wheel, the focus moving off screen).
    case scroll(Int)
    /// A row opened or closed (Enter on it).
    case toggleRow(Int)
}
