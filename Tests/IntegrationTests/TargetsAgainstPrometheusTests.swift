import Foundation
import LookoutApp
import LookoutUI
import Testing
import TestSupport

/// The targets screen against Debian's Prometheus scraping the test exporter, with one target that nothing listens
/// on: it is DOWN with the real error Prometheus gives, and Enter on the health panel goes straight to it.
@Suite("Targets against a real Prometheus", .timeLimit(.minutes(3)))
struct TargetsAgainstPrometheusTests {
    @Test func theDownTargetShowsItsRealError() async throws {
        var options = PrometheusHarness.Options()
        options.withAlertmanager = false
        try await withPrometheusHarness(options) { harness in
            try await Self.drive(url: harness.prometheusURL)
        }
    }

    @MainActor static func drive(url: String) async throws {
        try await withDashboardApp(url: url, width: 160, height: 45) { app, terminal in
            // The down target is scraped (and fails) within a few seconds of Prometheus starting.
            app.post(.key(.char("T")))
            var list = ""
            for _ in 0..<40 {
                list = try await waitForScreen(terminal, "the targets") { $0.contains("Targets:") && !$0.contains("reading") }
                let ups = list.components(separatedBy: " UP ").count - 1
                // Only the target nothing listens on: on a loaded machine another can miss its 1 s scrape for a moment.
                let downs = list.components(separatedBy: "DOWN").count - 1
                if downs == 1 && list.contains("connection refused") && ups >= TestExporter.services.count { break }
                try await Task.sleep(for: .seconds(1))
                app.post(.key(.char("r")))
            }
            let lines = list.split(separator: "\n").map(String.init)
            let down = try #require(lines.firstIndex { $0.contains("DOWN") })
            #expect(lines[down].contains(PrometheusHarness.downService))
            for service in TestExporter.services { #expect(list.contains(service.name)) }
            let upRows = lines.indices.filter { lines[$0].contains(" UP ") && !lines[$0].contains("DOWN") }
            #expect(upRows.min().map { $0 > down } == true, "down first")
            app.post(.key(.enter))
            let detail = try await waitForScreen(terminal, "the target whole") { $0.contains("Last error") }
            #expect(detail.contains("connect: connection refused"))
            app.post(.key(.escape))
            app.post(.key(.escape))
            app.post(.key(.char("r")))
            // On the dashboard, Enter on the health panel (focused first) opens the down service's targets only.
            _ = try await waitForScreen(terminal, "the dashboard with a service down") { $0.contains("DOWN") && $0.contains("1 Service Health") }
            app.post(.key(.enter))
            let only = try await waitForScreen(terminal, "the down service's targets") { $0.contains("Targets of \(PrometheusHarness.downService)") && $0.contains("0/1 up") }
            #expect(!only.contains(TestExporter.services[0].name))
        }
    }
}
