import DashboardCore
import Foundation
import Testing
import TerminalCanvas
import TestSupport

/// The whole dashboard for fixed states and sizes, compared with golden text files in Tests/TerminalCanvasTests/Golden.
/// A difference leaves a `.actual` file beside the golden one and fails; after a deliberate change, read the diff and
/// move the `.actual` file over the golden file.
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
        let actual = file.deletingPathExtension().appendingPathExtension("actual")
        let expected = try String(contentsOf: file, encoding: .utf8)
        // A difference is written beside the golden file as `.actual` (compare, then move it over the golden file
        // after a deliberate change); the test fails either way. There is no mode that passes without comparing.
        if text != expected {
            try text.write(to: actual, atomically: true, encoding: .utf8)
        } else {
            try? FileManager.default.removeItem(at: actual)
        }
        #expect(text == expected, "\(file.lastPathComponent) differs: see \(actual.lastPathComponent) beside it")
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
