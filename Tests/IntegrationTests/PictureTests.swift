import Foundation
import Testing
import TestSupport

extension AgainstOnePrometheus {
    /// `lookout snapshot --output svg` against Debian's Prometheus: well-formed XML, and Debian's rsvg-convert turns it
    /// into a PNG that is not blank and has the theme's colours where the canvas has them.
    @Suite("Snapshot pictures", .timeLimit(.minutes(3)))
    struct PictureTests {
        @Test func anSVGThatARealRendererDrawsInTheThemesColours() async throws {
            let binary = try #require(Repository.builtProduct("lookout")).path
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert") else {
                throw TestFailure("rsvg-convert is missing: make test installs librsvg2-bin")
            }
            let dir = try TemporaryDirectory(prefix: "lookout-picture")
            defer { dir.remove() }
            try await withSharedPrometheus { harness in
                try await PrometheusHarness.eventually(60, "data in every graph panel") {
                    let text = try await runCommand(binary, ["snapshot", "--url", harness.prometheusURL]).stdout
                    return text.contains("payment-service") && !text.contains("no data")
                }
                let result = try await runCommand(binary, ["snapshot", "--url", harness.prometheusURL, "--output", "svg", "--size", "120x36"])
                #expect([0, 1, 2].contains(result.exitCode), "\(result.stderr)")
                let svg = dir.url.appendingPathComponent("dashboard.svg")
                try result.stdout.write(to: svg, atomically: true, encoding: .utf8)
                #expect(result.stdout.hasPrefix("<?xml") && result.stdout.contains("Service Health Status"))
                // Well-formed XML, by Python's parser.
                let xml = try await runCommand("/usr/bin/python3", ["-c", "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1]); print('ok')", svg.path])
                #expect(xml.stdout.contains("ok"), "\(xml.stderr)")
                let png = dir.url.appendingPathComponent("dashboard.png")
                let render = try await runCommand("/usr/bin/rsvg-convert", ["-o", png.path, svg.path])
                #expect(render.exitCode == 0, "\(render.stderr)")
                // The default theme: the status bar's background (colour 110), the dark page, and a series line colour.
                let tool = Repository.root.appendingPathComponent("Tests/IntegrationTests/tools/png_colours.py").path
                let check = try await runCommand("/usr/bin/python3", [tool, png.path, "#87afd7", "#1c1c1c", "#56b4e9"])
                let report = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
                let matches = report?["matches"] as? [String: Int] ?? [:]
                #expect((report?["width"] as? Int) == 1008 && (report?["height"] as? Int) == 612, "\(check.stdout) \(check.stderr)")
                #expect((report?["colours"] as? Int ?? 0) > 20, "not blank: \(check.stdout)")
                #expect(matches["#87afd7", default: 0] > 120 * 8 * 10, "the status bar's colour across the top row: \(check.stdout)")
                #expect(matches["#1c1c1c", default: 0] > 100_000, "the dark page: \(check.stdout)")
            }
        }
    }
}
