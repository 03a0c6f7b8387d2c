import DashboardCore
import Foundation
import PrometheusAPI

/// Runs a dashboard's queries. Graph panels use `query_range` with `points` steps over the range (one point per
/// sparkline column); stat panels use instant queries, and a health panel also asks for its expected series.
public struct DashboardFetcher: Sendable {
    public let client: PrometheusClient
    public let dashboard: Dashboard
    /// Where the alerts come from instead of Prometheus, when set (`--alertmanager-url`).
    public let alertmanager: PrometheusClient?

    public init(client: PrometheusClient, dashboard: Dashboard, alertmanager: PrometheusClient? = nil) {
        self.client = client
        self.dashboard = dashboard
        self.alertmanager = alertmanager
    }

    /// Fetches one panel. Errors become `.failed` with a one-line message; they never throw.
    public func fetch(panel: Panel, range: QueryRange) async -> PanelOutcome {
        switch await fetchResult(panel: panel, range: range) {
        case .success(let data): return .loaded(data)
        case .failure(let error): return .failed(error.description)
        }
    }

    /// Fetches one panel, keeping the error's kind (the run loop tells a down server from a bad query).
    public func fetchResult(panel: Panel, range: QueryRange) async -> Result<PanelData, PrometheusError> {
        do {
            switch panel.kind {
            case .graph:
                var data = PanelData()
                for target in panel.targets {
                    let response = try await client.queryRange(target.expr, range: range)
                    try Self.require(response.data, [.matrix], panel: "a graph panel", url: client.url(for: "/api/v1/query_range"))
                    data.warnings += response.warnings
                    data.series += SeriesSummary.from(
                        response.data.streams, legendFormat: target.legendFormat, thresholds: panel.thresholds)
                }
                return .success(data)
            case .stat:
                var data = PanelData()
                for target in panel.targets {
                    let response = try await client.query(target.expr, at: range.end)
                    data.warnings += response.warnings
                    let present = response.data.streams
                    let url = client.url(for: "/api/v1/query")
                    if let expectedExpr = panel.expectedSeries {
                        // Health needs one series per instance: a scalar is not a service.
                        try Self.require(response.data, [.vector], panel: "a health panel", url: url)
                        let expected = try await client.query(expectedExpr, at: range.end)
                        try Self.require(expected.data, [.vector], panel: "a health panel's expected series", url: url)
                        data.warnings += expected.warnings
                        // What was there during the range, so a service whose series vanished is GONE, not dropped.
                        let window = QueryRange(last: range.end.timeIntervalSince(range.start), end: range.end, points: 30)
                        let seen = try await client.queryRange(expectedExpr, range: window)
                        data.warnings += seen.warnings
                        data.services += HealthEvaluator.evaluate(
                            present: present.map(\.metric), expected: expected.data.streams.map(\.metric),
                            seen: seen.data.streams.map(\.metric), legendFormat: target.legendFormat)
                    } else {
                        try Self.require(response.data, [.vector, .scalar], panel: "a stat panel", url: url)
                        data.series += SeriesSummary.from(
                            present, legendFormat: target.legendFormat, thresholds: panel.thresholds)
                    }
                }
                return .success(data)
            }
        } catch let error as PrometheusError {
            return .failure(error)
        } catch is CancellationError {
            return .failure(.transport(url: client.url(for: "/api/v1"), reason: "request cancelled"))
        } catch {
            return .failure(.transport(url: client.url(for: "/api/v1"), reason: "\(error)"))
        }
    }

    enum ResultKind { case vector, matrix, scalar, string }

    /// A result of a type the panel cannot use is an error in that panel, not data.
    static func require(_ result: QueryResult, _ kinds: [ResultKind], panel: String, url: String) throws(PrometheusError) {
        let (kind, name): (ResultKind, String) = switch result {
        case .vector: (.vector, "an instant vector")
        case .matrix: (.matrix, "a range vector")
        case .scalar: (.scalar, "a scalar")
        case .string: (.string, "a string")
        }
        guard kinds.contains(kind) else {
            throw .decoding(url: url, detail: "the query returned \(name), which \(panel) cannot show")
        }
    }

    /// Fetches every panel concurrently, in the dashboard's order.
    public func fetchAll(range: QueryRange) async -> [PanelOutcome] {
        await withTaskGroup(of: (Int, PanelOutcome).self) { group in
            for (index, panel) in dashboard.panels.enumerated() {
                group.addTask { (index, await fetch(panel: panel, range: range)) }
            }
            var outcomes = [PanelOutcome](repeating: .failed("not fetched"), count: dashboard.panels.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }
    }

    /// The active alerts (from Alertmanager when configured, with silences and inhibitions) and the ones that could
    /// not be read, or the error that kept them all away.
    public func fetchAlerts() async -> Result<FetchedAlerts, PrometheusError> {
        do {
            if let alertmanager {
                let list = try await alertmanager.alertmanagerAlerts()
                return .success(FetchedAlerts(items: AlertItem.arranged(list.elements.map(AlertItem.init)), unreadable: list.failures))
            }
            let data = try await client.alertsData().data
            return .success(FetchedAlerts(items: AlertItem.sorted(data.alerts), unreadable: data.unreadable))
        } catch let error as PrometheusError {
            return .failure(error)
        } catch {
            return .failure(.transport(url: client.url(for: "/api/v1/alerts"), reason: "\(error)"))
        }
    }
}

/// The alerts of one refresh: those that could be read, ready to show, and one line for each that could not.
public struct FetchedAlerts: Sendable, Equatable {
    public var items: [AlertItem]
    public var unreadable: [String]

    public init(items: [AlertItem], unreadable: [String] = []) {
        self.items = items
        self.unreadable = unreadable
    }

    /// One line on the alerts that could not be read; nil when all were read.
    public var unreadableSummary: String? { AlertsState.summary(ofUnreadable: unreadable) }
}
