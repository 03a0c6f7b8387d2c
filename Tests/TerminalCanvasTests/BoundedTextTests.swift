import Foundation
import SafeText
import Testing
import TerminalCanvas

/// Untrusted text is cut before it is laid out: wrapping does the work of what fits, whatever the text's size, and a
/// clipboard copy is cut on a character boundary.
@Suite("Text cut before work", .timeLimit(.minutes(1)))
struct BoundedTextTests {
    @Test("a megabyte word wraps into at most the lines asked, each within the width, the last ending in …",
          arguments: [("x", 1), ("é", 1), ("界", 2)])
    func aMegabyteWord(_ character: String, _ columns: Int) {
        let text = "  runbook_url: https://" + String(repeating: character, count: 1 << 20)
        let lines = WrappedText.lines(text, width: 80, maxLines: 30)
        #expect(lines.count == 30)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
        #expect(lines.last?.hasSuffix("…") == true)
        #expect(lines[2].count == 80 / columns, "whole lines in between")
    }

    @Test func textThatFitsIsNotMarkedCut() {
        #expect(WrappedText.lines("one two three", width: 5, maxLines: 3) == ["one", "two", "three"])
        #expect(WrappedText.lines("one two three four", width: 5, maxLines: 3) == ["one", "two", "thre…"])
        #expect(WrappedText.lines(String(repeating: "a", count: 12), width: 5, maxLines: 3) == ["aaaaa", "aaaaa", "aa"])
        #expect(WrappedText.lines(String(repeating: "a", count: 16), width: 5, maxLines: 3) == ["aaaaa", "aaaaa", "aaaa…"])
    }

    @Test func renderingLooksOnlyAtWhatTheAreaShows() {
        var canvas = Canvas(width: 40, height: 5)
        WrappedText(String(repeating: "word ", count: 400_000)).render(into: &canvas, area: Rect(x: 0, y: 0, width: 40, height: 5))
        #expect(canvas.lines.allSatisfy { $0.contains("word") })
    }

    @Test("the clipboard's 64 KiB are whole characters", arguments: ["é", "界", "👩‍💻", "a"])
    func clipboardCutOnACharacter(_ character: String) throws {
        let sequence = Clipboard.sequence(String(repeating: character, count: 70_000))
        let payload = try #require(sequence.split(separator: ";").last?.dropLast())
        let bytes = try #require(Data(base64Encoded: String(payload)))
        #expect(bytes.count <= Clipboard.limit)
        #expect(bytes.count > Clipboard.limit - 16, "as much as fits: \(bytes.count)")
        let text = try #require(String(data: bytes, encoding: .utf8), "valid UTF-8: no character cut in two")
        #expect(text.allSatisfy { String($0) == character })
    }
}
