import LookoutUI
import SafeText
import DashboardCore
import Foundation
import PrometheusModels
import Testing

/// The run loop's logic, event in, effects out. Time comes only from the events: `t(n)` is n seconds after start.
@Suite("Dashboard state update")
struct StateUpdateTests {
    static let start = Date(timeIntervalSince1970: 1_000_000)
    func t(_ seconds: TimeInterval) -> Date { Self.start.addingTimeInterval(seconds) }

    func fresh() -> DashboardState {
        var state = DashboardState(dashboard: .microservices, server: "p:9090", rangeSeconds: 3600, refreshSeconds: 15, now: Self.start)
        state.columns = 120
        return state
    }

    func finishedOK(_ state: inout DashboardState, at seconds: TimeInterval) {
        let g = state.generation
        for i in 0..<4 {
            _ = state.update(.panelLoaded(index: i, generation: g, outcome: .loaded(PanelData()), at: t(seconds)))
        }
        _ = state.update(.alertsLoaded(generation: g, items: [], error: nil, at: t(seconds)))
        _ = state.update(.fetchFinished(generation: g, unreachable: nil, at: t(seconds)))
    }

    @Test func theFirstRefreshFetchesEverythingWithAPointPerColumn() {
        var state = fresh()
        #expect(state.perform(.refresh) == [.fetch(generation: 1, rangeSeconds: 3600, points: 118, variables: [:])])
        #expect(state.panels.allSatisfy { $0.isLoading })
    }

    @Test func aRefreshIsDueOneIntervalAfterTheLastOne() {
        var state = fresh()
        _ = state.perform(.refresh)
        finishedOK(&state, at: 1)
        #expect(state.connection == .connected)
        #expect(state.update(.tick(t(15))) == [])
        #expect(state.update(.tick(t(16))) == [.fetch(generation: 2, rangeSeconds: 3600, points: 118, variables: [:])])
    }

    @Test func resultsOfAnOlderGenerationAreDropped() {
        var state = fresh()
        _ = state.perform(.refresh)
        _ = state.perform(.widerRange)  // generation 2, range 3h
        let old = PanelData(series: [SeriesSummary(legend: "old", labels: [:], points: [], thresholds: nil)])
        _ = state.update(.panelLoaded(index: 1, generation: 1, outcome: .loaded(old), at: t(1)))
        #expect(state.panels[1].data == nil)
        _ = state.update(.fetchFinished(generation: 1, unreachable: "connection refused", at: t(1)))
        #expect(state.connection == .connecting)
        _ = state.update(.panelLoaded(index: 1, generation: 2, outcome: .loaded(old), at: t(2)))
        #expect(state.panels[1].data == old)
    }

    @Test func anUnreachableServerIsRetriedWithBackOffUpToAMinute() {
        var state = fresh()
        var retries: [TimeInterval] = []
        var now: TimeInterval = 0
        _ = state.perform(.refresh)
        for _ in 0..<7 {
            _ = state.update(.fetchFinished(generation: state.generation, unreachable: "connection refused", at: t(now)))
            guard case .unreachable(let message, let retryAt) = state.connection else {
                Issue.record("not unreachable")
                return
            }
            #expect(message == "connection refused")
            retries.append(retryAt.timeIntervalSince(t(now)))
            now = retryAt.timeIntervalSince(Self.start)
            #expect(state.update(.tick(t(now - 1))) == [])
            #expect(state.update(.tick(t(now))).count == 1)
        }
        #expect(retries == [5, 10, 20, 40, 60, 60, 60])
        finishedOK(&state, at: now + 1)
        #expect(state.connection == .connected)
        #expect(state.failures == 0)
    }

    @Test func aFailureMidRunKeepsTheLastDataAndMarksItStale() {
        var state = fresh()
        _ = state.perform(.refresh)
        let data = PanelData(series: [SeriesSummary(legend: "a", labels: [:], points: [SamplePair(timestamp: 1, value: 1)], thresholds: nil)])
        _ = state.update(.panelLoaded(index: 1, generation: 1, outcome: .loaded(data), at: t(0)))
        _ = state.update(.fetchFinished(generation: 1, unreachable: nil, at: t(0)))
        _ = state.update(.tick(t(15)))
        _ = state.update(.panelLoaded(index: 1, generation: 2, outcome: .failed("cannot reach"), at: t(16)))
        #expect(state.panels[1].data == data)
        #expect(state.panels[1].error == "cannot reach")
        #expect(state.staleAge(ofPanel: 1) == nil)
        _ = state.update(.tick(t(31)))
        #expect(state.staleAge(ofPanel: 1) == 31)
    }

    @Test func aQueryErrorStaysInItsPanel() {
        var state = fresh()
        _ = state.perform(.refresh)
        _ = state.update(.panelLoaded(index: 2, generation: 1, outcome: .failed("Prometheus API error bad_data"), at: t(1)))
        _ = state.update(.panelLoaded(index: 1, generation: 1, outcome: .loaded(PanelData()), at: t(1)))
        _ = state.update(.fetchFinished(generation: 1, unreachable: nil, at: t(1)))
        #expect(state.connection == .connected)
        #expect(state.panels[2].error == "Prometheus API error bad_data")
        #expect(state.panels[1].error == nil)
    }

    @Test func pauseStopsRefreshingAndResumeRefreshesAtOnce() {
        var state = fresh()
        _ = state.perform(.refresh)
        finishedOK(&state, at: 0)
        #expect(state.perform(.togglePause) == [])
        #expect(state.paused)
        #expect(state.update(.tick(t(100))) == [])
        #expect(state.perform(.togglePause) == [.fetch(generation: 2, rangeSeconds: 3600, points: 118, variables: [:])])
    }

    @Test func rangeKeysStepThroughTheListAndStopAtItsEnds() {
        var state = fresh()
        #expect(state.perform(.widerRange) == [.fetch(generation: 1, rangeSeconds: 10_800, points: 118, variables: [:])])
        for _ in 0..<10 { _ = state.perform(.widerRange) }
        #expect(state.rangeSeconds == 604_800)
        #expect(state.perform(.widerRange) == [])
        for _ in 0..<10 { _ = state.perform(.narrowerRange) }
        #expect(state.rangeSeconds == 300)
    }

    @Test func aResizeChangesThePointsAndRefetches() {
        var state = fresh()
        _ = state.perform(.refresh)
        finishedOK(&state, at: 0)
        // 201 columns: the three graphs share the row under the health panel, 67 columns each.
        #expect(state.update(.resize(width: 201, height: 60)) == [.fetch(generation: 2, rangeSeconds: 3600, points: 65, variables: [:])])
        #expect(state.update(.resize(width: 202, height: 60)) == [])
    }

}

@Suite("Dashboard variables")
struct VariableTests {
    static let board = Dashboard(
        title: "Per service", panels: [Panel(title: "Rate", kind: .graph, targets: [
            Target(expr: #"sum(rate(http_requests_total{service=~"$service"}[5m])) by (service)"#, legendFormat: "{{service}}"),
            Target(expr: #"up{service=~"${service}", x="$service_name"}"#),
        ])],
        variables: [Variable(name: "service"), Variable(name: "service_name", label: "name")])

    @Test func queriesTakeTheChosenValueOrMatchEverything() {
        let all = Self.board.substituting([:])
        #expect(all.panels[0].targets[0].expr == #"sum(rate(http_requests_total{service=~".+"}[5m])) by (service)"#)
        let one = Self.board.substituting(["service": "payment-service", "service_name": "p"])
        #expect(one.panels[0].targets[0].expr == #"sum(rate(http_requests_total{service=~"payment-service"}[5m])) by (service)"#)
        #expect(one.panels[0].targets[1].expr == #"up{service=~"payment-service", x="p"}"#)
    }

    @Test func variablesRoundTripThroughYAML() throws {
        #expect(try Dashboard.parse(yaml: Self.board.yaml(), source: "v.yaml") == Self.board)
        #expect(throws: DashboardFileError.self) {
            try Dashboard.parse(yaml: "title: x\npanels: [{title: a, type: graph, targets: [{expr: up}]}]\nvariables: [{name: \"a b\"}]\n", source: "v.yaml")
        }
    }

    @Test func vCyclesThroughAllAndTheValuesAndRefetches() {
        var state = DashboardState(dashboard: Self.board, server: "p", now: Date(timeIntervalSince1970: 0))
        state.columns = 120
        _ = state.update(.variableOptions(name: "service", values: ["order-service", "payment-service"]))
        #expect(state.perform(.nextVariableValue) == [.fetch(generation: 1, rangeSeconds: 3600, points: 118, variables: ["service": "order-service"])])
        _ = state.perform(.nextVariableValue)
        #expect(state.variableValues["service"] == "payment-service")
        _ = state.perform(.nextVariableValue)
        #expect(state.variableValues["service"] == "All")
    }
}
