#if canImport(Glibc)
import SafeText
import Glibc
#endif
import Testing
import TerminalCanvas

/// The C library's wcwidth (Glibc's module map leaves it out without _XOPEN_SOURCE).
@_silgen_name("wcwidth") func libcWcwidth(_ c: Int32) -> Int32

/// The canvas measures every grapheme as the terminal will draw it: ncurses and tmux add up the C library's
/// `wcwidth` of each scalar, and lookout draws each grapheme in a form whose scalars add up the same.
@Suite("Widths as the terminal has them")
struct TerminalWidthTests {
    static let tricky: [String] = [
        "a", "日", "ｱ", "한", "e\u{301}", "⚠️", "❤️", "☀︎", "☀️", "👨‍👩‍👧‍👦", "👩🏽‍💻", "🇯🇵", "🇺🇸", "👍🏽", "1️⃣", "😀", "🏴󠁧󠁢󠁥󠁮󠁧󠁿",
        "✔", "✖", "◐", "●", "…", "▁", "█", "⠿", "│", "─", "°", "µ", "Ω", "ß", "\u{FFFD}", "あ", "가", "🙂", "⌚", "⭐",
    ]

    @Test(arguments: tricky)
    func eachFormIsAsWideAsWcwidthSays(grapheme: String) throws {
        #expect(setlocale(LC_CTYPE, "C.UTF-8") != nil)
        let character = try #require(grapheme.first)
        var total = 0
        for form in DisplayWidth.terminalForm(character) {
            let c = form.unicodeScalars.reduce(0) { $0 + max(0, Int(libcWcwidth(Int32(bitPattern: $1.value)))) }
            #expect(DisplayWidth.of(form) == c, "\(form.unicodeScalars.map { String($0.value, radix: 16) }) of \(grapheme.debugDescription)")
            total += c
        }
        #expect(DisplayWidth.of(character) == total)
    }

    @Test func emojiSequencesHaveSafeForms() {
        func form(_ s: String) -> String { String(DisplayWidth.terminalForm(Character(s))) }
        #expect(form("⚠️") == "⚠")
        #expect(form("👨‍👩‍👧‍👦") == "👨")
        #expect(form("🇯🇵") == "JP")
        #expect(form("👍🏽") == "👍")
        var canvas = Canvas(width: 12, height: 1)
        canvas.put("⚠️🇯🇵👨‍👩‍👧x", x: 0, y: 0)
        #expect(canvas.lines[0] == "⚠JP👨x      ")
    }
}
