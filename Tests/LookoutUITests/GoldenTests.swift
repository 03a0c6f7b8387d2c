import LookoutUI
import SafeText
import DashboardCore
import Foundation
import Testing
import TerminalCanvas
import TestSupport

/// The whole app for fixed states and sizes, compared with golden files in Tests/LookoutUITests/Golden: the text,
/// then a line `--- roles` and one letter per cell for its style role (`GoldenTests.letters`), so colours, focus
/// and selection are compared too.
/// A difference leaves a `.actual` file beside the golden one and fails; after a deliberate change, read the diff and
/// move the `.actual` file over the golden file.
@Suite("Dashboard golden files")
struct GoldenTests {
    static let sizes = [(80, 24), (120, 40), (200, 60)]
    static var cases: [(String, Int, Int)] {
        SampleStates.all.flatMap { name, _ in sizes.map { (name, $0.0, $0.1) } }
            + SampleStates.views.map { ($0.0, 100, 30) }
            + SampleStates.help.map { ($0.0, 80, 24) }
            + SampleStates.small.flatMap { name, _ in [("small-" + name, 40, 10), ("small-" + name, 50, 14)] }
            + (SampleStates.explore + SampleStates.alertDetail + SampleStates.silences + SampleStates.targetsAndContexts + SampleStates.history + SampleStates.pipeline).flatMap { name, _ in [(name, 80, 24), (name, 160, 45)] }
            + GridSamples.cases.map { ($0.name, $0.width, $0.height) }
    }

    /// One letter per style role; a reversed cell (a selection) is `*`.
    static let letters: [StyleRole: Character] = [
        .text: ".", .dim: "d", .border: "b", .title: "T", .ok: "o", .warning: "w", .critical: "c", .unknown: "u",
        .sparkline: "s", .clamped: "C", .alertFiring: "f", .alertPending: "p", .statusBar: "S", .statusError: "E", .context: "x",
        .focus: "F", .help: "h", .filter: "/",
        .series1: "1", .series2: "2", .series3: "3", .series4: "4", .series5: "5", .series6: "6", .series7: "7", .series8: "8",
    ]

    /// The canvas' text, then `--- roles` and a role letter per cell (a wide character's two cells both carry its
    /// letter, so the letters line up with the text in an editor); trailing spaces and plain-text roles trimmed.
    static func golden(_ canvas: Canvas) -> String {
        var roles: [String] = []
        for y in 0..<canvas.height {
            var line = ""
            for x in 0..<canvas.width {
                let style = canvas[x, y].style
                line.append(style.attributes.contains(.reverse) ? "*" : letters[style.role] ?? "?")
            }
            while line.last == "." { line.removeLast() }
            roles.append(line)
        }
        return (canvas.trimmedLines + ["--- roles"] + roles).joined(separator: "\n") + "\n"
    }

    @Test func everyRoleHasItsOwnLetter() {
        #expect(Set(StyleRole.allCases) == Set(Self.letters.keys))
        #expect(Set(Self.letters.values).count == Self.letters.count)
    }

    static let directory = Repository.root.appendingPathComponent("Tests/LookoutUITests/Golden")

    @Test(arguments: cases)
    func matchesGolden(name: String, width: Int, height: Int) throws {
        let apps = SampleStates.all.map { ($0.0, AppState(model: $0.1)) } + SampleStates.views + SampleStates.help
            + SampleStates.small.map { ("small-" + $0.0, AppState(model: $0.1)) } + SampleStates.explore + SampleStates.alertDetail
            + SampleStates.silences + SampleStates.targetsAndContexts + SampleStates.history + SampleStates.pipeline
        let grid = GridSamples.cases.first { $0.name == name && $0.width == width && $0.height == height }?.app
        let app = try #require(grid ?? apps.first { $0.0 == name }?.1)
        var canvas = Canvas(width: width, height: height)
        AppView.render(app, into: &canvas, options: RenderOptions(ascii: name.hasSuffix("ascii"), seriesMarks: name.hasSuffix("mono")))
        let text = Self.golden(canvas)
        let file = Self.directory.appendingPathComponent("\(name)-\(width)x\(height).txt")
        let actual = file.deletingPathExtension().appendingPathExtension("actual")
        // A missing golden file fails like a different one, and leaves the `.actual` to review and move.
        let expected = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
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
