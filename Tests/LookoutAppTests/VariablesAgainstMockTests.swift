import DashboardCore
import Foundation
import LookoutApp
import LookoutUI
import MockPrometheus
import PrometheusAPI
import Testing

/// A dashboard variable filled from the label values of the mock Prometheus, and the queries it narrows.
@Suite("Dashboard variables against the mock")
struct VariablesAgainstMockTests {
    /// A client of the in-process mock, stopped after `body` whatever happens. The mock shares the test process with
    /// the rest of the suite: a generous deadline.
    static func withMock(_ body: (PrometheusClient) async throws -> Void) async throws {
        let server = try await MockPrometheusServer.start()
        do {
            try await withPrometheusClient(ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.baseURL), timeout: .seconds(60)), body)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func theChosenServiceNarrowsThePanel() async throws {
        let board = Dashboard(
            title: "Per service",
            panels: [Panel(title: "Rate", kind: .graph, targets: [
                Target(expr: #"sum(rate(http_requests_total{service=~"$service"}[5m])) by (service)"#, legendFormat: "{{service}}"),
            ], unit: .requestsPerSecond)],
            variables: [Variable(name: "service")])
        try await Self.withMock { client in
            let values = try await client.labelValues("service").data
            #expect(values.contains("payment-service") && values.contains("user-service"))
            let range = QueryRange(last: 600, end: Date(), points: 10)
            let all = await DashboardFetcher(client: client, dashboard: board.substituting([:])).fetch(panel: board.substituting([:]).panels[0], range: range)
            let one = board.substituting(["service": "payment-service"])
            let narrowed = await DashboardFetcher(client: client, dashboard: one).fetch(panel: one.panels[0], range: range)
            guard case .loaded(let allData) = all, case .loaded(let oneData) = narrowed else {
                Issue.record("queries failed: \(all) \(narrowed)")
                return
            }
            #expect(allData.series.count == 4)
            #expect(oneData.series.map(\.legend) == ["payment-service"])
        }
    }

    @Test("a refresh asks a variable's values first (its selector's variable resolved), then the panels with the saved value")
    func aRefreshResolvesChainedVariablesBeforeThePanels() async throws {
        let board = Dashboard(
            title: "Per service",
            panels: [Panel(title: "Rate", kind: .graph, targets: [
                Target(expr: #"sum(rate(http_requests_total{service="$service"}[5m])) by (service)"#, legendFormat: "{{service}}"),
            ], unit: .requestsPerSecond)],
            variables: [
                // Declared before the one its selector uses.
                Variable(name: "service", selector: #"up{job="$job"}"#, kind: .query, current: ["payment-service"]),
                Variable(name: "job", kind: .query, current: ["microservices"]),
            ])
        try await Self.withMock { client in
            let fetcher = DashboardFetcher(client: client, dashboard: board)
            var events: [DashboardEvent] = []
            for await event in fetcher.refresh(generation: 1, range: QueryRange(last: 600, end: Date(), points: 10)) { events.append(event) }
            let options = events.compactMap { event -> (String, [String])? in
                if case .variableOptions(let name, let values) = event { return (name, values) }
                return nil
            }
            #expect(options.map(\.0) == ["job", "service"], "the job first")
            #expect(options.last?.1.contains("payment-service") == true, "\(options)")
            let firstPanel = events.firstIndex { if case .panelLoaded = $0 { return true } else { return false } }
            let lastOptions = events.lastIndex { if case .variableOptions = $0 { return true } else { return false } }
            #expect(lastOptions != nil && firstPanel != nil && lastOptions! < firstPanel!, "the values before the panels")
            let loaded = events.compactMap { event -> PanelData? in
                if case .panelLoaded(_, _, .loaded(let data), _) = event { return data }
                return nil
            }
            #expect(loaded.first?.series.map(\.legend) == ["payment-service"], "the saved value, offered, narrows the panel")
        }
    }

    @Test("a stat panel with a reducer asks the window and shows each series' reduction; without, the value at the end")
    func aStatWithAReducerAsksTheWindow() async throws {
        let expr = #"sum(rate(http_requests_total[1m])) by (service)"#
        let mean = Panel(title: "Mean rate", kind: .stat, targets: [Target(expr: expr, legendFormat: "{{service}}")], reducer: .mean)
        let plain = Panel(title: "Rate", kind: .stat, targets: [Target(expr: expr, legendFormat: "{{service}}")])
        try await Self.withMock { client in
            let range = QueryRange(last: 600, end: Date(), points: 10)
            let board = Dashboard(title: "s", panels: [mean, plain])
            let fetcher = DashboardFetcher(client: client, dashboard: board)
            guard case .loaded(let reduced) = await fetcher.fetch(panel: mean, range: range),
                  case .loaded(let atEnd) = await fetcher.fetch(panel: plain, range: range) else {
                Issue.record("queries failed")
                return
            }
            let series = try #require(reduced.series.first { $0.legend == "payment-service" })
            #expect(series.points.count > 1, "the window's points")
            let average = series.points.map(\.value).reduce(0, +) / Double(series.points.count)
            #expect(abs(series.last - average) < 1e-9, "the mean of the window")
            #expect(atEnd.series.first { $0.legend == "payment-service" }?.points.count == 1, "one value at the end")
        }
    }
}
