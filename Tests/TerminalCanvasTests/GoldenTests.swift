import DashboardCore
import Foundation
import Testing
import TerminalCanvas
import TestSupport

/// The whole dashboard for fixed states and sizes, compared with golden text files in Tests/TerminalCanvasTests/Golden.
/// Run with LOOKOUT_RECORD_GOLDEN=1 to rewrite them after a deliberate change, then read the diff.
@Suite("Dashboard golden files")
struct GoldenTests {
    static let sizes = [(80, 24), (120, 40), (200, 60)]
    static var cases: [(String, Int, Int)] {
        SampleStates.all.flatMap { name, _ in sizes.map { (name, $0.0, $0.1) } }
            + SampleStates.views.map { ($0.0, 100, 30) }
    }

    static let directory = Repository.root.appendingPathComponent("Tests/TerminalCanvasTests/Golden")

    @Test(arguments: cases)
    func matchesGolden(name: String, width: Int, height: Int) throws {
        let state = try #require((SampleStates.all + SampleStates.views).first { $0.0 == name }?.1)
        var canvas = Canvas(width: width, height: height)
        DashboardView.render(state, into: &canvas, options: RenderOptions(ascii: name.hasSuffix("ascii")))
        let text = canvas.trimmedLines.joined(separator: "\n") + "\n"
        let file = Self.directory.appendingPathComponent("\(name)-\(width)x\(height).txt")
        if ProcessInfo.processInfo.environment["LOOKOUT_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "\(file.lastPathComponent) differs; run with LOOKOUT_RECORD_GOLDEN=1 to see the new rendering")
        if text != expected {
            let a = text.split(separator: "\n", omittingEmptySubsequences: false)
            let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, (x, y)) in zip(a, b).enumerated() where x != y {
                Issue.record("line \(i + 1):\n got  [\(x)]\n want [\(y)]")
                break
            }
        }
    }
}
