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
                    if let expectedExpr = panel.expectedSeries {
                        let expected = try await client.query(expectedExpr, at: range.end)
                        data.warnings += expected.warnings
                        data.services += HealthEvaluator.evaluate(
                            present: present.map(\.metric), expected: expected.data.streams.map(\.metric),
                            legendFormat: target.legendFormat)
                    } else {
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

    /// The active alerts (from Alertmanager when configured, with silences and inhibitions), or the error that kept
    /// them away.
    public func fetchAlerts() async -> Result<[AlertItem], PrometheusError> {
        do {
            if let alertmanager {
                return .success(AlertItem.arranged(try await alertmanager.alertmanagerAlerts().map(AlertItem.init)))
            }
            return .success(AlertItem.sorted(try await client.alerts().data))
        } catch let error as PrometheusError {
            return .failure(error)
        } catch {
            return .failure(.transport(url: client.url(for: "/api/v1/alerts"), reason: "\(error)"))
        }
    }
}
