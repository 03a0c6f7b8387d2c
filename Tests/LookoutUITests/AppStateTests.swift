import DashboardCore
import Foundation
import LookoutUI
import PrometheusModels
import TerminalCanvas
import Testing

/// The app's pure update: keys go to the top screen, then to the screens' catalog, then to the global keys; Esc
/// closes help, then pops a screen, then clears the filter; signals quit.
@Suite("App state: screens, overlays, keys")
struct AppStateTests {
    static let start = Date(timeIntervalSince1970: 1_000_000)

    func fresh(panels: Int = 4) -> AppState {
        var board = Dashboard.microservices
        while board.panels.count < panels { board.panels.append(Panel(title: "Extra \(board.panels.count + 1)", kind: .graph, targets: [Target(expr: "up")])) }
        var model = DashboardState(dashboard: board, server: "p:9090", now: Self.start)
        model.themes = ["default", "light", "mono"]
        return AppState(model: model)
    }

    func ids(_ app: AppState) -> [String] { app.stack.map(\.id) }

    /// Dashboards are told apart as values: `D` from a file's dashboard to the built-in one of the same title closes
    /// the panel zoomed on the first (its index may not exist on the second).
    @Test func anotherDashboardOfTheSameTitleClosesTheZoomedPanel() {
        var app = fresh(panels: 5)
        app.model.customDashboard = app.model.dashboard
        #expect(app.model.dashboard.title == Dashboard.microservices.title)
        _ = app.update(.key(.char("5")))
        #expect((app.top as? PanelScreen)?.panel == 4)
        _ = app.update(.key(.char("D")))
        #expect(app.model.dashboard == .microservices)
        #expect(ids(app) == ["dashboard"], "the zoomed panel of the other dashboard stayed open")
    }

    @Test func enterZoomsTheFocusedPanelAndEscGoesBack() {
        var app = fresh()
        _ = app.update(.key(.tab))
        _ = app.update(.key(.tab))
        _ = app.update(.key(.enter))
        #expect(ids(app) == ["dashboard", "panel"])
        #expect((app.top as? PanelScreen)?.panel == 2)
        #expect(app.breadcrumbs == ["Microservices Health Dashboard", "3 Error Rate"])
        _ = app.update(.key(.tab))
        #expect((app.top as? PanelScreen)?.panel == 3)
        _ = app.update(.key(.escape))
        #expect(ids(app) == ["dashboard"])
        #expect((app.top as? DashboardScreen)?.focusedPanel == 2)
    }

    @Test func digitsZoomEveryPanelUpToNine() {
        var app = fresh(panels: 11)
        _ = app.update(.key(.char("9")))
        #expect((app.top as? PanelScreen)?.panel == 8)
        _ = app.update(.key(.escape))
        #expect(ids(app) == ["dashboard"])
        // Panels past nine: Tab to them (the focus is on 9 since it was zoomed), Enter zooms.
        for _ in 0..<2 { _ = app.update(.key(.tab)) }
        _ = app.update(.key(.enter))
        #expect((app.top as? PanelScreen)?.panel == 10)
        #expect(app.breadcrumbs.last == "11 Extra 11")
    }

    @Test func aDigitWithoutAPanelDoesNothing() {
        var app = fresh()
        _ = app.update(.key(.char("9")))
        #expect(ids(app) == ["dashboard"])
    }

    @Test func helpIsAnOverlayThatEscClosesFirst() {
        var app = fresh()
        _ = app.update(.key(.char("1")))
        _ = app.update(.key(.char("?")))
        #expect(app.showHelp)
        _ = app.update(.key(.escape))
        #expect(!app.showHelp)
        #expect(ids(app) == ["dashboard", "panel"], "Esc closed the help, not the screen")
        _ = app.update(.key(.escape))
        #expect(ids(app) == ["dashboard"])
    }

    @Test func theFilterTakesTypedKeysAndEscAtTheBottomClearsIt() {
        var app = fresh()
        _ = app.update(.key(.char("/")))
        for c in "payq" { #expect(app.update(.key(.char(c))) == []) }
        _ = app.update(.key(.backspace))
        #expect(app.model.filter == "pay")
        _ = app.update(.key(.enter))
        #expect(!app.isEditingFilter)
        _ = app.update(.key(.escape))
        #expect(app.model.filter == "")
        #expect(app.update(.key(.char("q"))) == [.quit])
    }

    @Test func theAlertListScrollsOpensAnAlertAndEscGoesBackOneScreenAtATime() {
        var app = fresh()
        let items = (0..<3).map { AlertItem(Alert(labels: ["alertname": "A\($0)"], state: .firing, activeAt: Self.start)) }
        _ = app.update(.dashboard(.alertsLoaded(generation: 0, items: items, error: nil, at: Self.start)))
        _ = app.update(.key(.char("a")))
        #expect(ids(app) == ["dashboard", "alerts"])
        for _ in 0..<5 { _ = app.update(.key(.down)) }
        #expect((app.top as? AlertListScreen)?.selected == 2)
        _ = app.update(.key(.enter))
        #expect(ids(app) == ["dashboard", "alerts", "alert"])
        #expect(app.breadcrumbs == ["Microservices Health Dashboard", "Alerts", "A2"])
        _ = app.update(.key(.escape))
        #expect((app.top as? AlertListScreen)?.selected == 2)
        _ = app.update(.key(.char("a")))
        #expect(ids(app) == ["dashboard"], "a closes the list it opened")
    }

    @Test func globalKeysWorkOnEveryScreen() {
        var app = fresh()
        _ = app.update(.key(.char("a")))
        #expect(app.update(.key(.char("r"))) == [.fetch(generation: 1, rangeSeconds: 3600, points: 118, variables: [:])])
        #expect(app.update(.key(.char("t"))) == [.setTheme("light")])
        #expect(app.update(.key(.char("t"))) == [.setTheme("mono")])
        #expect(app.update(.key(.char("t"))) == [.setTheme("default")])
        _ = app.update(.key(.char("s")))
        #expect(app.model.hideSuppressed)
    }

    @Test func ctrlCAndSignalsQuitFromEveryScreenAndOverlay() {
        for keys: [Key] in [[], [.char("/")], [.char("a")], [.char("a"), .enter], [.char("2")], [.char("?")]] {
            var app = fresh()
            for key in keys { _ = app.update(.key(key)) }
            #expect(app.update(.key(.ctrl("c"))) == [.quit], "after \(keys)")
            var signalled = fresh()
            for key in keys { _ = signalled.update(.key(key)) }
            #expect(signalled.update(.signal(SIGTERM)) == [.quit], "after \(keys)")
        }
    }

    @Test func helpListsTheTopScreensKeysTheCatalogAndTheGlobalKeys() {
        var app = fresh()
        _ = app.update(.key(.char("a")))
        _ = app.update(.key(.char("?")))
        var canvas = Canvas(width: 120, height: 50)
        AppView.render(app, into: &canvas)
        let text = canvas.lines.joined(separator: "\n")
        #expect(text.contains("Alerts"))
        #expect(text.contains("previous alert"))
        for binding in GlobalKeys.table.bindings { #expect(text.contains(binding.help), "\(binding.help)") }
        for entry in ScreenCatalog.entries { #expect(text.contains(entry.help), "\(entry.help)") }
        #expect(text.contains("q, Ctrl-C"))
    }

    @Test func theStatusBarShowsTheBreadcrumbs() {
        var app = fresh()
        app.model.connection = .connected
        _ = app.update(.key(.char("3")))
        var canvas = Canvas(width: 120, height: 30)
        AppView.render(app, into: &canvas)
        #expect(canvas.lines[0].hasPrefix(" Microservices Health Dashboard › 3 Error Rate   p:9090"))
    }
}

/// `:ctx` as a pure update: the contexts are asked about once each, the answers mark them, Enter closes the screens
/// and asks the run loop to switch.
@Suite("Contexts screen")
struct ContextScreenTests {
    @Test func enterSwitchesToTheChosenContext() {
        var model = DashboardState(dashboard: .microservices, server: "p:9090", now: Date(timeIntervalSince1970: 1_000_000))
        model.contextName = "prod"
        model.contexts = [ContextEntry(name: "prod", url: "http://prod:9090"), ContextEntry(name: "staging", url: "http://staging:9090")]
        var app = AppState(model: model)
        _ = app.update(.key(.char("a")))
        _ = app.update(.key(.char(":")))
        for c in "ctx" { _ = app.update(.key(.char(c))) }
        let asked = app.update(.key(.enter))
        let screen = app.screenIDs.last ?? -1
        #expect(asked == [.request(screen: screen, id: 1, .probeContext("prod")), .request(screen: screen, id: 2, .probeContext("staging"))])
        _ = app.update(.response(screen: screen, id: 2, .failure("connection refused")))
        #expect((app.top as? ContextListScreen)?.reachable["staging"] == .some("connection refused"))
        #expect((app.top as? ContextListScreen)?.selected == 0, "the current context is selected first")
        _ = app.update(.key(.down))
        #expect(app.update(.key(.enter)) == [.switchContext("staging")])
        #expect(app.stack.count == 1, "back to the dashboard")
    }
}
