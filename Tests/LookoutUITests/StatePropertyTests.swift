@testable import LookoutUI
import SafeText
import DashboardCore
import Foundation
import PrometheusModels
import PropertyBased
import TerminalCanvas
import Testing

/// `AppState.update` over random sequences of every key, signals, ticks, resizes, mouse events and (possibly stale)
/// results keeps its invariants: generations only grow, the dashboard stays at the bottom of the stack, focus and
/// zoom stay in range, nothing is fetched while paused unless a pinned window's last fetch failed (retried on
/// purpose, with the back-off), only q, Ctrl-C, `:q` or a signal ends the loop (Ctrl-C and signals always do), and
/// whatever screens and overlays are open draw a well-formed canvas.
@Suite("State update properties")
struct StatePropertyTests {
    /// Every key a terminal sends: each printable ASCII character, each Ctrl letter and each named key.
    static let keys: [Key] = (0x20...0x7E).compactMap { Unicode.Scalar($0).map { Key.char(Character($0)) } }
        + "abcdefghijklmnopqrstuvwxyz".map { Key.ctrl($0) }
        + [.enter, .escape, .tab, .backTab, .backspace, .up, .down, .left, .right, .pageUp, .pageDown, .home, .end]
    /// The keys tests must meet often: the window's, the dashboard's, the screens' and the command line's.
    static let frequent: [Key] = "[]0g+-DS:?/rpsvtaeTzo123459 ".map { Key.char($0) } + [.enter, .escape, .tab, .down]

    enum Step: Sendable {
        case key(Key)
        case signal
        case tick(Double)
        case resize(Int, Int)
        case mouse(MouseEvent)
        case panel(index: Int, generationOffset: Int, fails: Bool)
        case alerts(count: Int, generationOffset: Int)
        case finished(generationOffset: Int, unreachable: Bool)
    }

    static let step = PropertyBased.zip(
        Gen.int(in: 0...12), Gen.element(of: keys), Gen.element(of: frequent), Gen.int(in: 0...80), Gen.int(in: -2...6)
    ).map { input -> Step in
        let (kind, key, common, n, g) = input
        let actions: [MouseEvent.Action] = [.click, .doubleClick, .wheelUp, .wheelDown]
        switch kind {
        case 0, 1: return .key(key ?? .char("q"))
        case 2, 3: return .key(common ?? .char("q"))
        case 4: return n == 0 ? .signal : .key(common ?? .char("q"))
        case 5, 6: return .tick(Double(n))
        case 7: return .resize(1 + n * 3, 1 + n)
        case 8: return .mouse(MouseEvent(x: n * 2 - 5, y: n - 3, action: actions[(n + g + 2) % actions.count]))
        case 9: return .panel(index: g, generationOffset: n % 3 - 1, fails: n % 2 == 0)
        case 10: return .alerts(count: n % 7, generationOffset: n % 3 - 1)
        default: return .finished(generationOffset: n % 3 - 1, unreachable: n % 4 == 0)
        }
    }

    @Test func randomEventSequencesKeepTheInvariants() async {
        await propertyCheck(count: 400, input: Self.step.array(of: 1...80)) { steps in
            var model = DashboardState(dashboard: .microservices, server: "x", rangeSeconds: 3600, refreshSeconds: 5)
            var clock = Date(timeIntervalSince1970: 1_764_000_000)
            model.now = clock
            model.themes = ["default", "light"]
            model.silences = SilencesState(available: true, readOnly: false, author: "test")
            var app = AppState(model: model)
            for step in steps {
                let before = app.model
                let state = app.model
                let event: DashboardEvent
                switch step {
                case .key(let key):
                    // `:q` and `:quit` end the loop from the command line, with Enter.
                    let command = app.commandLine.map { $0.string.trimmingCharacters(in: .whitespaces) }
                    let effects = app.update(.key(key))
                    if effects.contains(.quit) {
                        let quitCommand = key == .enter && ["q", "quit"].contains(command ?? "")
                        #expect(key == .char("q") || key == .ctrl("c") || quitCommand, "\(key) quit")
                        return
                    }
                    if key == .ctrl("c") { Issue.record("Ctrl-C did not quit") }
                    checkStack(app)
                    continue
                case .mouse(let mouse):
                    let effects = app.update(.mouse(mouse))
                    #expect(!effects.contains(.quit), "a mouse event quit")
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
                if before.paused, case .tick = event, fetched {
                    // Only a pinned window whose last fetch failed is asked again, and only once its time has come.
                    #expect(before.incompleteWindow, "a tick fetched while paused, the window complete")
                    #expect(before.nextRefreshAt.map { clock >= $0 } == true, "a paused retry before its back-off")
                }
                if before.paused, case .resize = event { #expect(!fetched, "a resize fetched while paused") }
                if fetched { #expect(state2.generation == before.generation + 1, "each fetch has a new generation") }
                #expect(!effects.contains(.quit), "\(event) quit")
            }
            var canvas = Canvas(width: 80, height: 24)
            AppView.render(app, into: &canvas)
            CanvasChecks.expectWellFormed(canvas)
        }
    }

    /// The retry the invariant above allows happens: a pinned window whose fetch failed is asked again after the
    /// back-off, although paused.
    @Test func aPinnedWindowWhoseFetchFailedIsAskedAgainAfterTheBackOff() {
        let start = Date(timeIntervalSince1970: 1_764_000_000)
        var model = DashboardState(dashboard: .microservices, server: "x", rangeSeconds: 3600, refreshSeconds: 5, now: start)
        model.themes = ["default"]
        var app = AppState(model: model)
        _ = app.update(.key(.char("[")))
        #expect(app.model.paused && app.model.pinnedEnd != nil)
        let generation = app.model.generation
        for index in app.model.dashboard.panels.indices {
            _ = app.update(.dashboard(.panelLoaded(index: index, generation: generation, outcome: .failed("boom"), at: start)))
        }
        _ = app.update(.dashboard(.alertsLoaded(generation: generation, items: [], error: nil, at: start)))
        _ = app.update(.dashboard(.fetchFinished(generation: generation, unreachable: nil, at: start)))
        #expect(app.model.incompleteWindow)
        let soon = app.update(.dashboard(.tick(start.addingTimeInterval(1))))
        #expect(!soon.contains { if case .fetch = $0 { true } else { false } }, "asked again before the back-off")
        let later = app.update(.dashboard(.tick(start.addingTimeInterval(61))))
        #expect(later.contains { if case .fetch = $0 { true } else { false } }, "a failed pinned window was not asked again")
    }

    func checkStack(_ app: AppState) {
        #expect(app.stack.first is DashboardScreen, "the dashboard stays at the bottom")
        #expect(app.stack.dropFirst().allSatisfy { !($0 is DashboardScreen) })
        let panels = app.model.dashboard.panels.indices
        if let dashboard = app.stack.first as? DashboardScreen { #expect(panels.contains(dashboard.focusedPanel)) }
        for case let panel as PanelScreen in app.stack { #expect(panels.contains(panel.panel)) }
    }
}
