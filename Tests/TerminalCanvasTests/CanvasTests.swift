import SafeText
import Testing
import TerminalCanvas

/// Canvas writes, with untouched cells filled with "x" to show exactly what was drawn.
@Suite("Canvas")
struct CanvasTests {
    func canvas(_ width: Int, _ height: Int = 1) -> Canvas { Canvas(width: width, height: height, fill: Cell("x")) }

    @Test func textIsClippedAtTheAreaEdges() {
        var c = canvas(10)
        let end = c.put("hello world", x: 2, y: 0, clip: Rect(x: 3, y: 0, width: 5, height: 1))
        #expect(c.lines == ["xxxello xx"])
        #expect(end == 8)
    }

    @Test func textStartingLeftOfTheCanvasShowsOnlyItsVisiblePart() {
        var c = canvas(5)
        c.put("abcdef", x: -2, y: 0)
        #expect(c.lines == ["cdefx"])
    }

    @Test func writesOutsideTheCanvasAreIgnored() {
        var c = canvas(3, 2)
        c.put("abc", x: 0, y: 5)
        c.put("abc", x: 0, y: -1)
        #expect(c.lines == ["xxx", "xxx"])
    }

    @Test func aWideCharacterTakesTwoCells() {
        var c = canvas(6)
        let end = c.put("日本", x: 1, y: 0)
        #expect(end == 5)
        #expect(c.lines == ["x日本x"])
        #expect(c[2, 0].isContinuation && c[4, 0].isContinuation)
    }

    @Test func aWideCharacterIsNeverSplitAtTheRightEdge() {
        var c = canvas(4)
        c.put("ab日", x: 1, y: 0)
        #expect(c.lines == ["xabx"])
        var d = canvas(4)
        d.put("🔥🔥", x: 1, y: 0)
        #expect(d.lines == ["x🔥x"])
    }

    @Test func combiningMarksStayWithTheirBase() {
        var c = canvas(4)
        c.put("e\u{301}a", x: 0, y: 0)
        #expect(c[0, 0].text == "e\u{301}")
        #expect(c.lines == ["éaxx"])
    }

    /// A ZWJ sequence is drawn as its first emoji: terminals disagree on the width of the whole (TerminalWidthTests).
    @Test func emojiSequencesAreTheirFirstEmojiInOneWideCell() {
        var c = canvas(4)
        c.put("👩‍💻", x: 0, y: 0)
        #expect(c[0, 0].text == "👩")
        #expect(c[1, 0].isContinuation)
        #expect(c.lines == ["👩xx"])
    }

    @Test func controlCharactersAreRefused() {
        var c = canvas(8)
        c.put("a\u{1B}[2Jb\u{7}c\u{9B}d", x: 0, y: 0)
        #expect(c.lines == ["a[2Jbcdx"])
        #expect(!c.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } })
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var c = canvas(4)
        c.put("日本", x: 0, y: 0)
        c.put("a", x: 1, y: 0)
        #expect(c.lines == [" a本"])
        c.put("b", x: 2, y: 0)
        #expect(c.lines == [" ab "])
    }

    @Test(arguments: [
        ("a", 1), ("日", 2), ("🔥", 2), ("e\u{301}", 1), ("\u{301}", 0), ("☀\u{FE0F}", 1), ("ｱ", 1), ("Ａ", 2), ("한", 2),
    ])
    func displayWidths(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    @Test func rectSplits() {
        let r = Rect(x: 0, y: 0, width: 10, height: 5)
        #expect(r.columns(3).map(\.width) == [3, 3, 4])
        #expect(r.splitTop(2).1 == Rect(x: 0, y: 2, width: 10, height: 3))
        #expect(r.inset(1) == Rect(x: 1, y: 1, width: 8, height: 3))
        #expect(Rect(x: 0, y: 0, width: 1, height: 1).inset(1).isEmpty)
    }
}
