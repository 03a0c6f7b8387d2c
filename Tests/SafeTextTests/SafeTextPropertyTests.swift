import PropertyBased
import SafeText
import Testing

/// Invariants of the sanitiser over random text that leans towards the dangerous: controls, ESC sequences, C1,
/// bidi controls, combining marks, emoji and CJK among plain letters.
@Suite("SafeText properties")
struct SafeTextPropertyTests {
    static let pieces: [String] = [
        "a", "Z", " ", "[", "]", ";", "\u{07}", "\u{1B}", "\u{1B}[", "\u{1B}]52;c;", "\u{1B}P", "\u{9B}", "\u{9D}", "\u{9C}",
        "\u{0}", "\n", "\t", "\r", "\u{7F}", "\u{85}", "\u{202E}", "\u{2066}", "\u{200E}", "\u{61C}", "\u{301}", "\u{200D}",
        "\u{FE0F}", "⚠", "👨", "日", "\u{1F1EF}", "\\", "m", "2J", "\u{FFFD}",
    ]
    static let text = Gen.element(of: pieces).array(of: 0...40).map { $0.compactMap { $0 }.joined() }

    @Test func sanitisedTextHoldsNoControlAndSanitisingTwiceChangesNothing() async {
        await propertyCheck(count: 2000, input: Self.text) { text in
            let once = SafeText.sanitize(text)
            #expect(once.unicodeScalars.allSatisfy(SafeText.isPlain))
            #expect(!once.unicodeScalars.contains { $0.value == 0x1B || (0x80...0x9F).contains($0.value) || $0.value == 0x7F })
            #expect(SafeText.sanitize(once) == once)
        }
    }

    @Test func clipIsBoundedSafeAndAPrefixOfTheSanitisedText() async {
        await propertyCheck(count: 1000, input: Self.text, Gen.int(in: 1...30)) { text, limit in
            let clipped = SafeText.clip(text, limit)
            #expect(clipped.count <= limit)
            #expect(clipped.unicodeScalars.allSatisfy(SafeText.isPlain))
            let whole = SafeText.sanitize(text)
            if whole.count <= limit {
                #expect(clipped == whole)
            } else {
                #expect(clipped.hasSuffix("…"))
                #expect(whole.hasPrefix(String(clipped.dropLast())))
            }
        }
    }

    @Test func sanitisedKeysNeverCollideOrLoseAnEntry() async {
        await propertyCheck(count: 500, input: Self.text.array(of: 0...6)) { keys in
            var labels: [String: String] = [:]
            for (i, key) in keys.enumerated() { labels[key] = "v\(i)" }
            let clean = SafeText.sanitizeKeys(labels)
            #expect(clean.count == labels.count)
            #expect(clean.keys.allSatisfy { $0.unicodeScalars.allSatisfy(SafeText.isPlain) })
        }
    }

    @Test func escapedJSONHoldsNoControlAndKeepsEveryOtherCharacter() async {
        await propertyCheck(count: 500, input: Self.text) { text in
            let escaped = SafeText.escapeJSON(text)
            #expect(escaped.unicodeScalars.allSatisfy { $0.value == 0x0A || SafeText.isPlain($0) })
            let plain = text.unicodeScalars.filter { $0.value == 0x0A || SafeText.isPlain($0) }
            #expect(plain.count <= escaped.unicodeScalars.count)
        }
    }
}
