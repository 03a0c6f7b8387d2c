import DashboardCore
import Foundation
import LookoutUI
import PrometheusModels
import TerminalCanvas
import Testing

/// What a new user meets first: help that fits and scrolls, and a word for every key whose effect does not show at
/// once.
@Suite("First impressions: help, feedback")
struct FirstImpressionTests {
    static let start = Date(timeIntervalSince1970: 1_000_000)

    static func app(width: Int = 80, height: Int = 24, themes: [String] = ["default", "light", "mono"]) -> AppState {
        var model = DashboardState(dashboard: .microservices, server: "p:9090", now: start)
        model.themes = themes
        model.columns = width
        model.rows = height
        return AppState(model: model)
    }

    static func screen(_ app: AppState, width: Int = 80, height: Int = 24, ascii: Bool = false) -> [String] {
        var canvas = Canvas(width: width, height: height)
        AppView.render(app, into: &canvas, options: RenderOptions(ascii: ascii))
        return canvas.trimmedLines
    }

    /// At 80x24 the help does not fit; ↓, PgDn and End reach every line of it, the frame says which lines show,
    /// and every section's title is seen on the way.
    @Test func theHelpScrollsToEveryLineAt80x24() {
        var app = Self.app()
        _ = app.update(.key(.char("?")))
        let all = app.help.lines.map(\.text)
        var seen = Set<String>()
        var first = Self.screen(app)
        #expect(first.joined().contains("1–21 of \(all.count) ↓"), "\(first.joined(separator: "\n"))")
        for _ in 0..<all.count {
            for line in Self.screen(app) { seen.insert(line) }
            _ = app.update(.key(.pageDown))
        }
        for title in ["Dashboard", "Screens", "Everywhere", "Commands (:)"] {
            #expect(seen.contains { $0.contains("│ \(title)") }, "section \(title) never shown")
        }
        for key in ["z", "o", "/", ":", "s", "v", "t", "D"] {
            #expect(seen.contains { $0.contains("│ \(key)  ") || $0.contains("│ \(key),") }, "key \(key) never shown")
        }
        _ = app.update(.key(.end))
        let last = Self.screen(app)
        let frame = last.first { $0.contains("┌ Keys") } ?? ""
        #expect(frame.contains("of \(all.count) ↑ "), "\(last.joined(separator: "\n"))")
        #expect(!frame.contains("↑↓"), "more below the end")
        _ = app.update(.key(.home))
        first = Self.screen(app)
        #expect(first.joined().contains("1–21 of"))
        // j/k and ↑/↓ move a line; the help stays open and nothing under it moves.
        _ = app.update(.key(.down))
        _ = app.update(.key(.char("j")))
        #expect(app.helpOffset == 2)
        _ = app.update(.key(.up))
        #expect(app.helpOffset == 1)
        #expect(app.showHelp)
        #expect((app.top as? DashboardScreen)?.focusedPanel == 0, "the arrow keys moved the focus under the help")
        _ = app.update(.key(.function(1)))
        #expect(!app.showHelp)
        // Opened again, it starts at the top.
        _ = app.update(.key(.char("?")))
        #expect(app.helpOffset == 0)
    }

    /// A help line wider than the box ends in an ellipsis; in ASCII, in ~.
    @Test func longHelpLinesAreCutWithAnEllipsis() {
        var app = Self.app(width: 44, height: 20)
        _ = app.update(.key(.char("?")))
        let lines = Self.screen(app, width: 44, height: 20)
        #expect(lines.contains { $0.contains("…│") }, "\(lines.joined(separator: "\n"))")
        let ascii = Self.screen(app, width: 44, height: 20, ascii: true)
        #expect(ascii.contains { $0.contains("~|") })
        #expect(ascii.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) }, "\(ascii.joined(separator: "\n"))")
    }

    @Test func everyKeySaysWhatItDid() {
        var app = Self.app()
        _ = app.update(.key(.char("o")))
        #expect(app.notice == "rows ordered by name (o: by value next)")
        #expect(Self.screen(app).contains { $0.contains("2 Request Rate · by name") }, "the order in the panel's title")
        _ = app.update(.key(.char("o")))
        #expect(app.notice == "rows ordered by value (o: worst first next)")
        _ = app.update(.key(.char("o")))
        #expect(app.notice == "rows ordered worst first (o: by name next)")
        #expect(!Self.screen(app).contains { $0.contains("· worst first") }, "the default order is not named in titles")
        _ = app.update(.key(.char("t")))
        #expect(app.notice == "theme light")
        _ = app.update(.key(.char("v")))
        #expect(app.notice == "this dashboard has no variables (v does nothing here)")
        _ = app.update(.key(.char("s")))
        #expect(app.notice == "silenced and inhibited alerts hidden (s shows them)")
        _ = app.update(.key(.char("s")))
        #expect(app.notice == "silenced and inhibited alerts shown (s hides them)")
        _ = app.update(.key(.char("z")))
        #expect(app.notice == "times in UTC")
        // The next key clears the notice.
        _ = app.update(.key(.char("r")))
        #expect(app.notice == nil)
        // A key that no table of the screen knows says so.
        _ = app.update(.key(.char("x")))
        #expect(app.notice == "'x' does nothing here (? lists the keys)")
        _ = app.update(.key(.function(7)))
        #expect(app.notice == "F7 does nothing here (? lists the keys)")
        var lonely = Self.app(themes: ["default"])
        _ = lonely.update(.key(.char("t")))
        #expect(lonely.notice == "theme default: the only theme there is")
    }

    @Test func aVariableSaysItsNewValue() {
        var app = Self.app()
        app.model.dashboard.variables = [Variable(name: "service")]
        app.model.variableOptions["service"] = ["order-service", "user-service"]
        // One variable: v opens on its values, All first and current.
        _ = app.update(.key(.char("v")))
        #expect(app.top.id == VariablePickerScreen.id)
        _ = app.update(.key(.down))
        let effects = app.update(.key(.enter))
        #expect(app.notice == "$service = order-service: the panels are asked again")
        #expect(app.top.id != VariablePickerScreen.id, "the picker closes")
        #expect(effects.contains { if case .fetch(_, _, _, let variables, _, _) = $0 { return variables == ["service": "order-service"] } else { return false } })
        var none = Self.app()
        _ = none.update(.key(.char("v")))
        #expect(none.notice == "this dashboard has no variables (v does nothing here)" && none.top.id != VariablePickerScreen.id)
    }

    /// Node Exporter Full's shape: a job, then the node of that job. `v` lists both with their values; Enter on the
    /// node lists its values, letters filter them, Enter picks one and the panels are asked with it.
    @Test func thePickerChoosesAnyVariableAndFiltersItsValues() {
        var app = Self.app(width: 100, height: 30)
        app.model.dashboard.variables = [
            Variable(name: "job", kind: .query, current: ["node"]),
            Variable(name: "node", label: "instance", selector: #"node_uname_info{job="$job"}"#, kind: .query, current: ["a:9100"]),
            Variable(name: "ds", kind: .constant, options: ["prometheus"]),
        ]
        app.model.variableOptions = ["job": ["node"], "node": ["a:9100", "b:9100", "db-1:9100"]]
        _ = app.update(.key(.char("v")))
        var screen = Self.screen(app, width: 100, height: 30)
        #expect(screen.contains { $0.contains("job") && $0.contains("= node") }, "\(screen)")
        #expect(screen.contains { $0.contains("node") && $0.contains("= a:9100") })
        #expect(!screen.contains { $0.contains("ds") && $0.contains("prometheus") }, "a constant is not picked")
        _ = app.update(.key(.down))
        _ = app.update(.key(.enter))
        for c in "db" { _ = app.update(.key(.char(c))) }
        screen = Self.screen(app, width: 100, height: 30)
        #expect(screen.contains { $0.contains("filter: db") } && screen.contains { $0.contains("db-1:9100") } && !screen.contains { $0.contains("b:9100") && !$0.contains("db-1") }, "\(screen)")
        // q is a letter of the filter here, not quit.
        _ = app.update(.key(.char("q")))
        #expect(Self.screen(app, width: 100, height: 30).contains { $0.contains("nothing matches 'dbq'") })
        _ = app.update(.key(.backspace))
        let effects = app.update(.key(.enter))
        #expect(effects.contains { if case .fetch(_, _, _, let variables, _, _) = $0 { return variables["node"] == "db-1:9100" } else { return false } })
        #expect(app.model.resolvedVariables["node"]?.values == ["db-1:9100"])
    }

    /// `s` hides silenced alerts: the header says they are there, and hidden.
    @Test func theHeaderSaysSilencedAlertsAreHidden() {
        var app = Self.app(width: 120, height: 40)
        var silenced = AlertItem(Alert(labels: ["alertname": "HighErrorRate", "service": "order-service"], state: .firing, activeAt: Self.start))
        silenced.suppression = .silenced
        app.model.alerts.items = [silenced]
        app.model.alerts.updatedAt = Self.start
        #expect(Self.screen(app, width: 120, height: 40).contains { $0.contains("1 silenced") && !$0.contains("hidden") })
        _ = app.update(.key(.char("s")))
        #expect(Self.screen(app, width: 120, height: 40).contains { $0.contains("1 silenced, hidden") })
    }

    /// `--ascii`: every screen, at every sample state, small and large, holds ASCII only.
    @Test func asciiFramesOfEveryScreenHoldASCIIOnly() {
        let apps = SampleStates.all.map { ($0.0, AppState(model: $0.1)) } + SampleStates.views + SampleStates.help + SampleStates.explore
            + SampleStates.alertDetail + SampleStates.silences + SampleStates.targetsAndContexts
        for (name, app) in apps {
            for (width, height) in [(40, 10), (80, 24), (160, 45)] {
                let lines = Self.screen(app, width: width, height: height, ascii: true)
                let bad = lines.filter { !$0.unicodeScalars.allSatisfy(\.isASCII) }
                #expect(bad.isEmpty, "\(name) at \(width)x\(height): \(bad.first ?? "")")
            }
        }
    }

    /// The service that is down is on screen at every size from 40x10, in the compact layout and the grid, with
    /// eight services in the health panel; every panel keeps at least its title line.
    @Test func theDownServiceIsVisibleAtEverySize() {
        var state = SampleStates.eightServices
        for (width, height) in [(40, 10), (44, 12), (50, 14), (60, 16), (79, 24), (80, 24), (100, 30), (160, 45)] {
            state.columns = width
            state.rows = height
            let lines = Self.screen(AppState(model: state), width: width, height: height)
            let text = lines.joined(separator: "\n")
            #expect(text.contains(/shipping-service +DOWN/), "\(width)x\(height):\n\(text)")
            for title in state.dashboard.panels.map(\.title) {
                #expect(lines.contains { $0.contains(String(title.prefix(12))) }, "\(width)x\(height): panel '\(title)' missing:\n\(text)")
            }
        }
    }
}
