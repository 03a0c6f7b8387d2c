import DashboardCore
import Foundation
import LookoutApp
import PrometheusAPI
import PrometheusModels
import Testing
import TestSupport

/// Thousands of series: graphs ask for their top 50 and say how many more; a health panel with thousands of
/// instances lets the server count them per service. A scripted server on 127.0.0.1 answers as Prometheus would.
@Suite("Many series")
struct ScaleTests {
    /// 3,000 instances of three services (one instance of svc-2 down), and a graph query with 3,000 series.
    static func answers(_ request: AdversarialServer.Request) -> AdversarialServer.Behaviour {
        let query = request.query ?? ""
        let now = request.number("time") ?? request.number("end") ?? 0
        func vector(_ samples: [(String, String)]) -> AdversarialServer.Behaviour {
            let items = samples.map { #"{"metric":\#($0.0),"value":[\#(now),"\#($0.1)"]}"# }
            return .json(#"{"status":"success","data":{"resultType":"vector","result":[\#(items.joined(separator: ","))]}}"#)
        }
        if request.path.hasSuffix("/query") {
            if query.hasPrefix("count(") { return vector([("{}", "3000")]) }
            if query.hasPrefix("count by (service) (up{job=\"microservices\"} == 1)") {
                return vector([(#"{"service":"svc-0"}"#, "1000"), (#"{"service":"svc-1"}"#, "1000"), (#"{"service":"svc-2"}"#, "999")])
            }
            if query.hasPrefix("count by (service) (up{job=\"microservices\"})") {
                return vector((0..<3).map { (#"{"service":"svc-\#($0)"}"#, "1000") })
            }
            return .json(#"{"status":"error","errorType":"bad_data","error":"per-instance health asked"}"#, status: 400)
        }
        if request.path.hasSuffix("/query_range") {
            let step = request.number("step") ?? 60
            let end = request.number("end") ?? 0
            let k = query.hasPrefix("topk(50,") ? 50 : (query.hasPrefix("count by") ? 3 : 3000)
            let series = (0..<k).map { i in
                #"{"metric":{"service":"svc-\#(i)"},"values":[[\#(end - step),"\#(Double(i) / 100)"],[\#(end),"\#(Double(i) / 100)"]]}"#
            }
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(series.joined(separator: ","))]}}"#)
        }
        return .json(#"{"status":"success","data":{"alerts":[]}}"#)
    }

    @Test func aGraphAsksForItsTop50AndAHealthPanelIsCountedPerService() async throws {
        let server = try AdversarialServer(Self.answers)
        defer { server.stop() }
        try await withPrometheusClient(ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.url))) { client in
            let dashboard = Dashboard.microservices
            let fetcher = DashboardFetcher(client: client, dashboard: dashboard, rangeCache: RangeCache())
            let range = QueryRange.aligned(last: 3600, now: Date(), points: 60)

            let graph = try await fetcher.fetchResult(panel: dashboard.panels[1], range: range).get()
            #expect(graph.series.count == 50)
            #expect(graph.moreSeries == 2950)
            #expect(server.requests.compactMap(\.query).contains { $0.hasPrefix("topk(50, sum(rate(http_requests_total[5m])) by (service))") })

            let health = try await fetcher.fetchResult(panel: dashboard.panels[0], range: range).get()
            #expect(health.services == [
                ServiceHealth(name: "svc-2", status: .partial(up: 999, total: 1000)),
                ServiceHealth(name: "svc-0", status: .up), ServiceHealth(name: "svc-1", status: .up),
            ])
        }
    }

    @Test func countsPerNameGiveTheSameHealthAsTheSeries() {
        let expected: [Labels] = [["service": "a", "i": "1"], ["service": "a", "i": "2"], ["service": "b", "i": "1"], ["service": "c", "i": "1"]]
        let present: [Labels] = [["service": "a", "i": "1"], ["service": "b", "i": "1"]]
        let seen: [Labels] = [["service": "gone"]]
        let bySeries = HealthEvaluator.evaluate(present: present, expected: expected, seen: seen, legendFormat: "{{service}}")
        let byCounts = HealthEvaluator.evaluate(
            presentCounts: [(["service": "a"], 1), (["service": "b"], 1)],
            expectedCounts: [(["service": "a"], 2), (["service": "b"], 1), (["service": "c"], 1)], seen: seen, legendFormat: "{{service}}")
        #expect(byCounts == bySeries)
        #expect(bySeries.map(\.name) == ["a", "c", "gone", "b"])
    }

    @Test func theLabelsALegendNamesAreReadOnlyWhenPlain() {
        #expect(LegendTemplate.labelNames("{{service}}") == ["service"])
        #expect(LegendTemplate.labelNames("{{ service }} on {{instance}}") == ["service", "instance"])
        #expect(LegendTemplate.labelNames("") == nil)
        #expect(LegendTemplate.labelNames("static") == nil)
        #expect(LegendTemplate.labelNames("{{service") == nil)
        #expect(LegendTemplate.labelNames("{{ bad-name }}") == nil)
    }
}
