import DashboardCore
import TerminalCanvas

/// What a screen sees of the app: the shared dashboard model and the drawing options, read-only.
public struct ScreenContext: Sendable {
    public let model: DashboardState
    public let options: RenderOptions
    /// Queries run in explore, oldest first.
    public let history: [String]

    public init(model: DashboardState, options: RenderOptions = RenderOptions(), history: [String] = []) {
        self.model = model
        self.options = options
        self.history = history
    }
}

/// What a screen asks the app to do.
public enum ScreenEffect: Sendable {
    case push(any Screen)
    case pop
    /// Back to the dashboard, closing every screen over it.
    case popToRoot
    /// Replaces this screen with another (the zoomed panel switching panels).
    case replace(any Screen)
    case dashboard(DashboardAction)
    /// Ask the server; the answer comes back to this screen's `receive` with the same id.
    case request(id: Int, ScreenRequest)
    /// Keep a query in the history.
    case remember(String)
    /// Copy text to the clipboard, saying what was copied.
    case copy(String, what: String)
    /// One line for the user, until the next key.
    case notice(String)
    /// The author of the silence just saved, to prefill the next one (and keep on disk).
    case rememberAuthor(String)
    /// Switch to another context of the config file.
    case switchContext(String)
    case quit
}

/// One screen of the stack: its own state, a pure key handler that returns effects, its key table for help, and a
/// view. Screens never call the network or the terminal; the shared model arrives in the context.
public protocol Screen: Sendable {
    /// The catalog name of this kind of screen (`dashboard`, `alerts`, …).
    var id: String { get }
    /// Its breadcrumb in the status bar.
    func title(_ context: ScreenContext) -> String
    /// Its keys, for the help overlay.
    var keyHelp: KeyHelp.Section { get }
    /// Handles a key, or returns nil to leave it to the app's global keys.
    mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]?
    func render(into canvas: inout Canvas, area: Rect, context: ScreenContext)
    /// The answer to one of this screen's requests.
    mutating func receive(_ response: ScreenResponse, id: Int, context: ScreenContext) -> [ScreenEffect]
    /// Pasted text; false when the screen takes no text.
    mutating func paste(_ text: String) -> Bool
    /// Called once when the screen is pushed: what it asks for at once.
    mutating func start(context: ScreenContext) -> [ScreenEffect]
    /// A click or a wheel turn in `area` (where the screen is drawn); nil leaves it to the app (the wheel is ↑/↓).
    mutating func mouse(_ event: MouseEvent, area: Rect, context: ScreenContext) -> [ScreenEffect]?
    /// The dashboard's window moved (panned, zoomed, back to live, another range): what the screen asks for to
    /// follow it. The model in `context` has the new window.
    mutating func windowChanged(context: ScreenContext) -> [ScreenEffect]
}

extension Screen {
    public mutating func start(context: ScreenContext) -> [ScreenEffect] { [] }
    public mutating func receive(_ response: ScreenResponse, id: Int, context: ScreenContext) -> [ScreenEffect] { [] }
    public mutating func paste(_ text: String) -> Bool { false }
    public mutating func mouse(_ event: MouseEvent, area: Rect, context: ScreenContext) -> [ScreenEffect]? { nil }
    public mutating func windowChanged(context: ScreenContext) -> [ScreenEffect] { [] }
}

/// A screen that can be opened from anywhere by a key (and, later, by name from the command line).
public struct ScreenEntry: Sendable {
    public var name: String
    public var key: Key
    public var help: String
    public var make: @Sendable (ScreenContext) -> any Screen
}

/// The screens the app can open from anywhere. Adding a screen: a folder under Screens/, and one line here.
public enum ScreenCatalog {
    public static let entries: [ScreenEntry] = [
        ScreenEntry(name: AlertListScreen.id, key: .char("a"), help: "alerts: scroll, Enter shows one alert") { _ in AlertListScreen() },
        ScreenEntry(name: HistoryScreen.id, key: .char("h"), help: "what fired in the last 12 hours, blips included") { _ in HistoryScreen() },
        ScreenEntry(name: HealthScreen.id, key: .char("H"), help: "the alerting pipeline: rules, delivery, Alertmanagers") { _ in HealthScreen() },
        ScreenEntry(name: TargetListScreen.id, key: .char("T"), help: "scrape targets: down first, with their last error") { _ in TargetListScreen() },
        ScreenEntry(name: VariablePickerScreen.id, key: .char("v"), help: "the dashboard's variables: pick a value (type to filter)") { _ in VariablePickerScreen() },
    ]

    public static var help: KeyHelp.Section {
        KeyHelp.Section(title: "Screens", rows: entries.map { ($0.key.description, $0.help) })
    }
}
