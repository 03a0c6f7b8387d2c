import DashboardCore
import Foundation
import PrometheusModels
@testable import LookoutUI
import Testing

/// Rows worst first (and `o`), and each series' colour kept by name.
@Suite("Series order and colours")
struct SeriesOrderTests {
    static func series(_ name: String, _ value: Double, _ state: ThresholdState) -> SeriesSummary {
        var s = SeriesSummary(legend: name, labels: [:], points: [SamplePair(timestamp: 0, value: value)], thresholds: nil)
        s.state = state
        return s
    }

    static let rows = [
        series("inventory", 0.006, .ok), series("order", 0.012, .ok), series("payment", 0.114, .critical),
        series("shipping", .nan, .unknown), series("user", 0.04, .warning),
    ]

    @Test func worstFirstThenByNameThenByValue() {
        #expect(SeriesOrder.worstFirst.apply(Self.rows).map(\.legend) == ["payment", "user", "order", "inventory", "shipping"])
        #expect(SeriesOrder.name.apply(Self.rows.reversed()).map(\.legend) == ["inventory", "order", "payment", "shipping", "user"])
        #expect(SeriesOrder.value.apply(Self.rows).map(\.legend) == ["payment", "user", "order", "inventory", "shipping"])
        #expect(SeriesOrder.worstFirst.next == .name && SeriesOrder.value.next == .worstFirst)
    }

    @Test func theCompactLayoutShowsTheWorstSeriesNotTheFirstByName() {
        var state = SampleStates.incident
        state.panels[2].data?.series = Self.rows
        #expect(state.visibleSeries(ofPanel: 2).first?.legend == "payment")
        _ = state.perform(.cycleOrder)
        #expect(state.visibleSeries(ofPanel: 2).first?.legend == "inventory")
    }

    @Test func aSeriesKeepsItsColourWhateverTheOrderAndFourServicesGetFourColours() {
        let names = ["user-service", "order-service", "inventory-service", "payment-service"]
        let colours = SeriesPalette.assign(names)
        #expect(Set(colours.values).count == 4)
        #expect(SeriesPalette.assign(names.reversed()) == colours)
        #expect(Set(SeriesPalette.assign(names + ["shipping-service"]).values).count == 5, "a fifth series takes a free colour")
        let many = (0..<12).map { "s\($0)" }
        #expect(Set(SeriesPalette.assign(many).values) == Set(0..<8), "past eight, colours repeat")
    }
}

@Suite("A window in the past that failed to load")
struct IncompleteWindowTests {
    @Test func isFetchedAgainAlthoughPaused() {
        var state = SampleStates.incident
        _ = state.perform(.panBack)
        #expect(state.paused)
        let generation = state.generation
        _ = state.update(.alertsLoaded(generation: generation, items: nil, error: "HTTP 503", at: state.now))
        _ = state.update(.fetchFinished(generation: generation, unreachable: nil, at: state.now))
        let due = state.nextRefreshAt ?? state.now
        let effects = state.update(.tick(due.addingTimeInterval(1)))
        #expect(effects.count == 1 && state.generation == generation + 1, "the failed part is asked again")
        _ = state.update(.alertsLoaded(generation: state.generation, items: [], error: nil, at: state.now))
        _ = state.update(.fetchFinished(generation: state.generation, unreachable: nil, at: state.now))
        #expect(state.update(.tick((state.nextRefreshAt ?? state.now).addingTimeInterval(1))) == [], "a complete window stays paused")
    }
}
