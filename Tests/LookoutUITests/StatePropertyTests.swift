import LookoutUI
import SafeText
import DashboardCore
import Foundation
import PrometheusModels
import PropertyBased
import TerminalCanvas
import Testing

/// `AppState.update` over random sequences of keys, signals, ticks, resizes and (possibly stale) results keeps its
/// invariants: generations only grow, the dashboard stays at the bottom of the stack, focus and zoom stay in
/// range, nothing is fetched while paused, only q, Ctrl-C or a signal ends the loop (Ctrl-C and signals always
/// do), and whatever screens and overlays are open draw a well-formed canvas.
@Suite("State update properties")
struct StatePropertyTests {
    static let keys: [Key] = [
        .char("r"), .char("p"), .char(" "), .char("+"), .char("-"), .char("1"), .char("2"), .char("3"), .char("4"),
        .char("5"), .char("9"), .tab, .backTab, .up, .down, .pageUp, .pageDown, .char("a"), .escape, .enter, .char("s"),
        .char("v"), .char("t"), .char("/"), .char("x"), .char("?"), .backspace, .char("k"), .char("j"), .char("q"),
        .ctrl("c"),
    ]

    enum Step: Sendable {
        case key(Key)
        case signal
        case tick(Double)
        case resize(Int, Int)
        case panel(index: Int, generationOffset: Int, fails: Bool)
        case alerts(count: Int, generationOffset: Int)
        case finished(generationOffset: Int, unreachable: Bool)
    }

    static let step = PropertyBased.zip(Gen.int(in: 0...9), Gen.element(of: keys), Gen.int(in: 0...80), Gen.int(in: -2...6)).map { input -> Step in
        let (kind, key, n, g) = input
        switch kind {
        case 0, 1, 2: return .key(key ?? .char("q"))
        case 3: return n == 0 ? .signal : .key(key ?? .char("q"))
        case 4: return .tick(Double(n))
        case 5: return .resize(1 + n * 3, 1 + n)
        case 6: return .panel(index: g, generationOffset: n % 3 - 1, fails: n % 2 == 0)
        case 7: return .alerts(count: n % 7, generationOffset: n % 3 - 1)
        default: return .finished(generationOffset: n % 3 - 1, unreachable: n % 4 == 0)
        }
    }

    @Test func randomEventSequencesKeepTheInvariants() async {
        await propertyCheck(count: 300, input: Self.step.array(of: 1...60)) { steps in
            var model = DashboardState(dashboard: .microservices, server: "x", rangeSeconds: 3600, refreshSeconds: 5)
            var clock = Date(timeIntervalSince1970: 1_764_000_000)
            model.now = clock
            model.themes = ["default", "light"]
            var app = AppState(model: model)
            for step in steps {
                let before = app.model
                let state = app.model
                let event: DashboardEvent
                switch step {
                case .key(let key):
                    let effects = app.update(.key(key))
                    if effects.contains(.quit) {
                        #expect(key == .char("q") || key == .ctrl("c"), "\(key) quit")
                        return
                    }
                    if key == .ctrl("c") { Issue.record("Ctrl-C did not quit") }
                    checkStack(app)
                    continue
                case .signal:
                    #expect(app.update(.signal(SIGTERM)) == [.quit])
                    return
                case .tick(let seconds):
                    clock = clock.addingTimeInterval(seconds)
                    event = .tick(clock)
                case .resize(let w, let h): event = .resize(width: w, height: h)
                case .panel(let index, let offset, let fails):
                    let outcome: PanelOutcome = fails ? .failed("boom") : .loaded(PanelData())
                    event = .panelLoaded(index: index, generation: state.generation + offset, outcome: outcome, at: clock)
                case .alerts(let count, let offset):
                    let items = AlertItem.sorted((0..<count).map {
                        Alert(labels: ["alertname": "A\($0)"], state: .firing, activeAt: clock)
                    })
                    event = .alertsLoaded(generation: state.generation + offset, items: items, error: nil, at: clock)
                case .finished(let offset, let unreachable):
                    event = .fetchFinished(generation: state.generation + offset, unreachable: unreachable ? "refused" : nil, at: clock)
                }
                let effects = app.update(.dashboard(event))
                let state2 = app.model
                #expect(state2.generation >= before.generation, "generations only grow")
                checkStack(app)
                let fetched = effects.contains { if case .fetch = $0 { true } else { false } }
                if before.paused, case .tick = event { #expect(!fetched, "a tick fetched while paused") }
                if before.paused, case .resize = event { #expect(!fetched, "a resize fetched while paused") }
                if fetched { #expect(state2.generation == before.generation + 1, "each fetch has a new generation") }
                #expect(!effects.contains(.quit), "\(event) quit")
            }
            var canvas = Canvas(width: 80, height: 24)
            AppView.render(app, into: &canvas)
            CanvasChecks.expectWellFormed(canvas)
        }
    }

    func checkStack(_ app: AppState) {
        #expect(app.stack.first is DashboardScreen, "the dashboard stays at the bottom")
        #expect(app.stack.dropFirst().allSatisfy { !($0 is DashboardScreen) })
        let panels = app.model.dashboard.panels.indices
        if let dashboard = app.stack.first as? DashboardScreen { #expect(panels.contains(dashboard.focusedPanel)) }
        for case let panel as PanelScreen in app.stack { #expect(panels.contains(panel.panel)) }
    }
}
