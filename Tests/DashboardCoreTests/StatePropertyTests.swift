import DashboardCore
import Foundation
import PrometheusModels
import PropertyBased
import Testing

/// `DashboardState.update` over random sequences of keys, ticks, resizes and (possibly stale) results keeps its
/// invariants: generations only grow, focus and selections stay in range, nothing is fetched while paused, and
/// only q or Ctrl-C ends the loop (Ctrl-C always does).
@Suite("State update properties")
struct StatePropertyTests {
    static let keys = [
        "r", "p", "space", "+", "-", "1", "2", "3", "4", "5", "9", "tab", "backtab", "up", "down", "pgup", "pgdn", "a",
        "esc", "enter", "s", "v", "t", "/", "x", "?", "backspace", "k", "j", "q", "ctrl-c",
    ]

    enum Step: Sendable {
        case key(String)
        case tick(Double)
        case resize(Int, Int)
        case panel(index: Int, generationOffset: Int, fails: Bool)
        case alerts(count: Int, generationOffset: Int)
        case finished(generationOffset: Int, unreachable: Bool)
    }

    static let step = PropertyBased.zip(Gen.int(in: 0...9), Gen.element(of: keys), Gen.int(in: 0...80), Gen.int(in: -2...6)).map { input -> Step in
        let (kind, key, n, g) = input
        switch kind {
        case 0, 1, 2, 3: return .key(key ?? "q")
        case 4: return .tick(Double(n))
        case 5: return .resize(1 + n * 3, 1 + n)
        case 6: return .panel(index: g, generationOffset: n % 3 - 1, fails: n % 2 == 0)
        case 7: return .alerts(count: n % 7, generationOffset: n % 3 - 1)
        default: return .finished(generationOffset: n % 3 - 1, unreachable: n % 4 == 0)
        }
    }

    @Test func randomEventSequencesKeepTheInvariants() async {
        await propertyCheck(count: 300, input: Self.step.array(of: 1...60)) { steps in
            var state = DashboardState(dashboard: .microservices, server: "x", rangeSeconds: 3600, refreshSeconds: 5)
            var clock = Date(timeIntervalSince1970: 1_764_000_000)
            state.now = clock
            for step in steps {
                let before = state
                let event: DashboardEvent
                switch step {
                case .key(let key): event = .key(key)
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
                let effects = state.update(event, themes: ["default", "light"])

                #expect(state.generation >= before.generation, "generations only grow")
                #expect(state.dashboard.panels.indices.contains(state.focusedPanel))
                if let zoomed = state.zoomedPanel { #expect(state.dashboard.panels.indices.contains(zoomed)) }
                if let view = state.alertView { #expect(view.selected >= 0 && view.selected <= max(0, state.alerts.items.count - 1)) }
                let fetched = effects.contains { if case .fetch = $0 { true } else { false } }
                if before.paused, case .tick = event { #expect(!fetched, "a tick fetched while paused") }
                if before.paused, case .resize = event { #expect(!fetched, "a resize fetched while paused") }
                if fetched { #expect(state.generation == before.generation + 1, "each fetch has a new generation") }
                if effects.contains(.quit) {
                    #expect(event == .key("q") || event == .key("ctrl-c"), "\(event) quit")
                    return
                }
                if event == .key("ctrl-c") { Issue.record("Ctrl-C did not quit") }
            }
        }
    }
}
