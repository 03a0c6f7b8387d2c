import SafeText
import Testing

@Suite("SafeText: server text never controls the terminal")
struct SafeTextTests {
    /// Real attack strings: what each would do to a terminal, and what must be left of it.
    @Test(arguments: [
        ("OSC 52 clipboard write (BEL)", "pay\u{1B}]52;c;ZWNobyBwd25lZA==\u{07}ment", "payment"),
        ("OSC 52 clipboard write (ST)", "a\u{1B}]52;c;ZWNobyBwd25lZA==\u{1B}\\b", "ab"),
        ("OSC 8 hyperlink", "\u{1B}]8;;http://evil.example\u{1B}\\click\u{1B}]8;;\u{1B}\\", "click"),
        ("window title", "\u{1B}]0;owned\u{07}title", "title"),
        ("clear screen", "\u{1B}[2J\u{1B}[Hboom", "boom"),
        ("colour", "\u{1B}[31;1mred\u{1B}[0m", "red"),
        ("private mode (alternate screen off)", "x\u{1B}[?1049ly", "xy"),
        ("full reset ESC c", "before\u{1B}cafter", "beforeafter"),
        ("charset designation ESC ( 0", "a\u{1B}(0qqq\u{1B}(Bb", "aqqqb"),
        ("8-bit CSI", "a\u{9B}2Jb", "ab"),
        ("8-bit OSC", "a\u{9D}52;c;eA==\u{9C}b", "ab"),
        ("DCS", "a\u{1B}P1$qm\u{1B}\\b", "ab"),
        ("APC", "a\u{1B}_Gf=100;AAAA\u{1B}\\b", "ab"),
        ("PM", "a\u{1B}^privacy\u{1B}\\b", "ab"),
        ("SOS", "a\u{1B}Xstring\u{1B}\\b", "ab"),
        ("unterminated OSC swallows the rest", "ok\u{1B}]52;c;AAAA and more", "ok"),
        ("bidi override (Trojan Source)", "user\u{202E}ecivres-tnemyap\u{202C}", "userecivres-tnemyap"),
        ("bidi isolates", "a\u{2066}b\u{2069}c\u{2067}d\u{2068}e", "abcde"),
        ("C0 controls", "a\u{00}b\u{07}c\u{08}d\u{7F}e", "abcde"),
        ("C1 controls", "a\u{85}b\u{8D}c", "abc"),
        ("line breaks become one space", "line one\r\nline two\ttab", "line one line two tab"),
    ])
    func attackStringsAreDefused(name: String, input: String, expected: String) {
        let output = SafeText.sanitize(input)
        #expect(output == expected, "\(name)")
        #expect(!output.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(name)")
    }

    @Test func plainTextIsReturnedUnchanged() {
        for text in ["payment-service", "日本語のサービス", "🔥 hot", "e\u{301}", "👩‍💻 dev", ""] {
            #expect(SafeText.sanitize(text) == text)
        }
    }

    @Test func aCSISequenceCutByAnotherCharacterDoesNotEatText() {
        #expect(SafeText.sanitize("\u{1B}[12日本") == "日本")
        #expect(SafeText.sanitize("\u{1B}[1\u{1B}[31mx") == "x")
    }

    @Test func isPlainRejectsControlsAndBidi() {
        #expect(!SafeText.isPlain("\u{1B}"))
        #expect(!SafeText.isPlain("\u{9B}"))
        #expect(!SafeText.isPlain("\u{202E}"))
        #expect(SafeText.isPlain("a"))
        #expect(SafeText.isPlain("█"))
    }
}
