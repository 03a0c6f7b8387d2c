import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import TerminalCanvas

/// Everything that reaches the app: keys, signals, and what happens to the dashboard's data.
public enum AppEvent: Sendable, Equatable {
    case key(Key)
    /// Text pasted into the terminal (bracketed paste).
    case paste(String)
    /// The answer to a screen's request.
    case response(screen: Int, id: Int, ScreenResponse)
    /// A click or a wheel turn.
    case mouse(MouseEvent)
    /// One line for the user from the run loop (the history cannot be written).
    case notice(String)
    /// SIGINT, SIGTERM, SIGHUP or SIGQUIT: the app quits and gives the terminal back.
    case signal(Int32)
    case dashboard(DashboardEvent)
}

/// The app: the shared dashboard model, a stack of screens (the dashboard at the bottom), and the overlays drawn
/// over whatever screen is on top (help, the filter line). `update` is pure: it returns what the run loop must do.
public struct AppState: Sendable {
    public var model: DashboardState
    public private(set) var stack: [any Screen]
    /// Each screen's id, for answers to its requests (parallel to `stack`).
    public private(set) var screenIDs: [Int] = [0]
    private var nextScreenID = 1
    /// The key help, over the top screen.
    public var showHelp = false {
        didSet { if showHelp != oldValue { helpOffset = 0 } }
    }
    /// The first line of the help shown (it scrolls when it does not fit).
    public var helpOffset = 0
    /// Typing a filter after `/`: keys go to the filter text.
    public var isEditingFilter = false
    /// The `:` command line, while it is open.
    public var commandLine: LineEditor?
    /// One line for the user (an unknown command, history kept in memory only), until the next key.
    public var notice: String?
    /// Explore's queries, oldest first, at most `historyLimit`.
    public var history: [String] = []
    public static let historyLimit = 1000

    public init(model: DashboardState, history: [String] = []) {
        self.model = model
        self.history = Array(history.suffix(Self.historyLimit))
        stack = [DashboardScreen()]
    }

    public var top: any Screen { stack.last ?? DashboardScreen() }

    /// The app over another server (`:ctx`): `model` with the stack back to the dashboard, the history kept, and the
    /// counters carried on, so that answers already on their way from the old server (a refresh of an earlier
    /// generation, a request of a screen of the old stack) find nothing they belong to and are dropped.
    public func switched(to model: DashboardState) -> AppState {
        var next = AppState(model: model, history: history)
        next.model.generation = max(model.generation, self.model.generation)
        next.screenIDs = [nextScreenID]
        next.nextScreenID = nextScreenID + 1
        return next
    }

    public func context(_ options: RenderOptions = RenderOptions()) -> ScreenContext {
        ScreenContext(model: model, options: options, history: history)
    }

    /// The titles of the stack, bottom first.
    public var breadcrumbs: [String] {
        let context = context()
        return stack.map { $0.title(context) }
    }

    public mutating func update(_ event: AppEvent) -> [DashboardEffect] {
        let window = (model.pinnedEnd, model.rangeSeconds)
        let board = model.dashboard
        var effects = dispatch(event)
        // Another dashboard (compared as a value: two dashboards may share a title): the screens over the old one
        // close, the focus starts again.
        if model.dashboard != board {
            stack = [DashboardScreen()]
            screenIDs = [screenIDs.first ?? 0]
        }
        // Screens over the dashboard that chart the window (explore, an alert's detail) follow it when it moves.
        if window != (model.pinnedEnd, model.rangeSeconds) {
            for id in screenIDs.dropFirst() {
                guard let index = screenIDs.firstIndex(of: id), stack.indices.contains(index) else { continue }
                var screen = stack[index]
                let asked = screen.windowChanged(context: context())
                stack[index] = screen
                effects += apply(asked, from: id)
            }
        }
        // Zooming in or out changes how many points the queries ask for: fetch again at the new width.
        let zoomed = top is PanelScreen
        let zoomedPanel = (top as? PanelScreen)?.panel
        if zoomedPanel != model.zoomedPanel {
            // Another panel zoomed (←/→ in the zoomed panel) is asked for with those on the dashboard's screen.
            let asked = model.askedPanels
            let unseen = zoomedPanel.map { panel in asked.map { !$0.contains(panel) } ?? false } ?? false
            model.zoomedPanel = zoomedPanel
            if unseen, zoomed == model.zoomed, model.updatedOnce, !effects.contains(where: { if case .fetch = $0 { true } else { false } }) {
                effects += model.perform(.refresh)
            }
        }
        if zoomed != model.zoomed {
            model.zoomed = zoomed
            if !effects.contains(where: { if case .fetch = $0 { true } else { false } }), model.updatedOnce {
                effects += model.perform(.refresh)
            }
        }
        return effects
    }

    mutating func dispatch(_ event: AppEvent) -> [DashboardEffect] {
        switch event {
        case .signal: return [.quit]
        case .dashboard(let event): return model.update(event)
        case .key(let key):
            notice = nil
            return handle(key)
        case .mouse(let event):
            return handle(event)
        case .notice(let text):
            notice = text
            return []
        case .paste(let text):
            if commandLine != nil {
                commandLine?.insert(text)
            } else if var top = stack.last, top.paste(text) {
                stack[stack.count - 1] = top
            }
            return []
        case .response(let screen, let id, let response):
            guard let index = screenIDs.firstIndex(of: screen) else { return [] }
            var target = stack[index]
            let effects = target.receive(response, id: id, context: context())
            stack[index] = target
            return apply(effects, from: screen)
        }
    }

    mutating func handle(_ key: Key) -> [DashboardEffect] {
        if isEditingFilter { return editFilter(key) }
        if commandLine != nil { return editCommand(key) }
        if showHelp, scrollHelp(key) { return [] }
        var top = self.top
        if let effects = top.handle(key, context: context()) {
            if !stack.isEmpty { stack[stack.count - 1] = top }
            return apply(effects, from: screenIDs.last ?? 0)
        }
        if let entry = ScreenCatalog.entries.first(where: { $0.key == key }) {
            return apply([self.top.id == entry.name ? .pop : .push(entry.make(context()))])
        }
        switch GlobalKeys.table.action(for: key) {
        case .quit: return [.quit]
        case .help: showHelp.toggle()
        case .filter: isEditingFilter = true
        case .command: commandLine = LineEditor()
        case .back:
            if stack.count > 1 {
                pop()
            } else if !model.filter.isEmpty {
                model.filter = ""
            }
        case .dashboard(let action): return perform(action)
        case nil:
            // A key no table of this screen knows is not silently dropped: a new user learns where the keys are.
            switch key {
            case .char(let c) where c != " ": notice = "'\(SafeText.sanitize(String(c)))' does nothing here (? lists the keys)"
            case .function(let n): notice = "F\(n) does nothing here (? lists the keys)"
            default: break
            }
        }
        return []
    }

    /// A dashboard action, and the notice that says what it did.
    mutating func perform(_ action: DashboardAction) -> [DashboardEffect] {
        let effects = model.perform(action)
        if let feedback = Self.feedback(after: action, model) { notice = feedback }
        return effects
    }

    /// What a key that changes no data on screen at once says it did (nil for the keys whose effect shows).
    static func feedback(after action: DashboardAction, _ model: DashboardState) -> String? {
        switch action {
        case .cycleOrder:
            return "rows ordered \(model.seriesOrder.label) (o: \(model.seriesOrder.next.label) next)"
        case .cycleTheme:
            guard model.themes.count > 1 else { return "theme \(SafeText.clip(model.themeName, 40)): the only theme there is" }
            return "theme \(SafeText.clip(model.themeName, 40))"
        case .nextVariableValue:
            guard let variable = model.dashboard.variables.first else { return "this dashboard has no variables (v does nothing here)" }
            let value = model.resolvedVariables[variable.name]?.display ?? Variable.all
            return "$\(SafeText.clip(variable.name, 40)) = \(SafeText.clip(value, 60))"
        case .toggleSuppressed:
            return model.hideSuppressed
                ? "silenced and inhibited alerts hidden (s shows them)" : "silenced and inhibited alerts shown (s hides them)"
        case .toggleUTC:
            return model.utc ? "times in UTC" : "times in local time (\(ClockFormat.zoneName(utc: false, at: model.now)))"
        default:
            return nil
        }
    }

    /// The help of the top screen, the screens, the keys of every screen and the commands.
    public var help: KeyHelp {
        KeyHelp(sections: [top.keyHelp, ScreenCatalog.help, GlobalKeys.table.help("Everywhere"), Commands.help], offset: helpOffset)
    }

    /// Keys while the help is open: Esc, ? and F1 close it; ↑ ↓ k j PgUp PgDn space Home End g G scroll it (within
    /// the rows the terminal has). False for any other key, which does what it does under the help.
    mutating func scrollHelp(_ key: Key) -> Bool {
        // The help is drawn below the status bar.
        let rows = max(0, model.rows - 1)
        let help = self.help
        let page = max(1, help.visibleLines(height: rows) - 1)
        let last = help.maxOffset(height: rows)
        switch key {
        case .escape, .char("?"), .function(1): showHelp = false
        case .up, .char("k"): helpOffset -= 1
        case .down, .char("j"): helpOffset += 1
        case .pageUp, .char("b"): helpOffset -= page
        case .pageDown, .char(" "): helpOffset += page
        case .home, .char("g"): helpOffset = 0
        case .end, .char("G"): helpOffset = last
        default: return false
        }
        helpOffset = max(0, min(helpOffset, last))
        return true
    }

    /// A click goes to the screen under it; the wheel, unless the screen takes it, is ↑/↓. Nothing while the help,
    /// the filter or the command line is open (the keyboard is complete without the mouse).
    mutating func handle(_ event: MouseEvent) -> [DashboardEffect] {
        guard !showHelp, !isEditingFilter, commandLine == nil else { return [] }
        // The layout the click was made on: with the notice's line, if one was shown.
        let area = AppView.mainArea(width: model.columns, height: model.rows, bottomLine: !model.filter.isEmpty || notice != nil)
        notice = nil
        var top = self.top
        if let effects = top.mouse(event, area: area, context: context()) {
            if !stack.isEmpty { stack[stack.count - 1] = top }
            return apply(effects, from: screenIDs.last ?? 0)
        }
        switch event.action {
        case .wheelUp: return handle(Key.up)
        case .wheelDown: return handle(Key.down)
        case .click, .doubleClick: return []
        }
    }

    mutating func editFilter(_ key: Key) -> [DashboardEffect] {
        switch key {
        case .enter: isEditingFilter = false
        case .escape:
            isEditingFilter = false
            model.filter = ""
        case .backspace: if !model.filter.isEmpty { model.filter.removeLast() }
        case .ctrl("c"): return [.quit]
        case .char(let c): model.filter.append(c)
        default: break
        }
        return []
    }

    mutating func apply(_ effects: [ScreenEffect], from screen: Int = 0) -> [DashboardEffect] {
        var out: [DashboardEffect] = []
        for effect in effects {
            switch effect {
            case .push(let screen):
                push(screen)
                out += startScreen()
            case .pop: pop()
            case .popToRoot: while stack.count > 1 { pop() }
            case .replace(let screen): stack[stack.count - 1] = screen
            case .dashboard(let action): out += perform(action)
            case .request(let id, let request): out.append(.request(screen: screen, id: id, request))
            case .remember(let query):
                let query = query.trimmingSpaces()
                guard !query.isEmpty else { break }
                history.removeAll { $0 == query }
                history.append(query)
                if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
                out.append(.appendHistory(query))
            case .copy(let text, let what):
                if model.clipboard {
                    out.append(.copy(text))
                    notice = "copied \(what) to the clipboard"
                } else {
                    notice = "the clipboard is off (--no-clipboard)"
                }
            case .notice(let text): notice = text
            case .rememberAuthor(let author):
                model.silences.author = author
                out.append(.rememberAuthor(author))
            case .switchContext(let name): out.append(.switchContext(name))
            case .quit: out.append(.quit)
            }
        }
        return out
    }

    mutating func push(_ screen: any Screen) {
        stack.append(screen)
        screenIDs.append(nextScreenID)
        nextScreenID += 1
        showHelp = false
    }

    mutating func pop() {
        guard stack.count > 1 else { return }
        stack.removeLast()
        screenIDs.removeLast()
    }

    /// The `:` line: Enter runs it, Esc closes it, Tab completes the command's name.
    mutating func editCommand(_ key: Key) -> [DashboardEffect] {
        guard var line = commandLine else { return [] }
        switch key {
        case .escape:
            commandLine = nil
            return []
        case .ctrl("c"): return [.quit]
        case .tab:
            let text = line.string.drop { $0 == " " }
            let names = Commands.completions(String(text.prefix { $0 != " " }))
            if !text.contains(" "), names.count == 1, let only = names.first {
                line.set(only + " ")
            } else {
                notice = names.joined(separator: "  ")
            }
            commandLine = line
            return []
        case .enter:
            commandLine = nil
            switch Commands.parse(line.string) {
            case .failure(let error):
                notice = error.message
                return []
            case .success(let (command, argument)):
                switch command.run(argument, context()) {
                case .push(let screen):
                    return apply([.push(screen)])
                case .popToRoot:
                    while stack.count > 1 { pop() }
                case .dashboard(let action):
                    if case .showDashboard(let name) = action, Dashboard.builtins[name] == nil {
                        notice = "no dashboard named '\(SafeText.clip(name, 40))' (built-in: \(Dashboard.builtinNames.joined(separator: ", ")))"
                        return []
                    }
                    while stack.count > 1 { pop() }
                    return model.perform(action)
                case .help: showHelp = true
                case .quit: return [.quit]
                }
                return []
            }
        default:
            _ = line.handle(key)
            commandLine = line
            return []
        }
    }

    /// Lets a screen just pushed ask for what it needs at once (explore with a query runs it).
    mutating func startScreen() -> [DashboardEffect] {
        guard var top = stack.last else { return [] }
        let effects = top.start(context: context())
        stack[stack.count - 1] = top
        return apply(effects, from: screenIDs.last ?? 0)
    }
}
