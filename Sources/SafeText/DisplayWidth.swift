/// How many terminal columns a character takes: 0 (combining marks, zero-width characters), 1, or 2 (East Asian
/// wide and fullwidth characters, emoji shown as emoji). A `Character` is a whole grapheme cluster, so a base with
/// its combining marks, or an emoji ZWJ sequence, is measured as one.
///
/// Terminals disagree on emoji sequences: ncurses and tmux add up the C library's `wcwidth` of each scalar, while a
/// font may draw a sequence as one glyph of another width. So lookout draws every grapheme in its `terminalForm`,
/// whose width every terminal agrees on, and measures that form: the canvas and the screen always agree.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count == 1 { return scalarWidth(first) }
        var total = 0
        for form in terminalForm(character) {
            if let base = form.unicodeScalars.first { total += scalarWidth(base) }
        }
        return total
    }

    /// The grapheme as lookout draws it, each character a base with combining marks only:
    /// - emoji and text presentation selectors (U+FE0F, U+FE0E) and skin-tone modifiers are dropped (`⚠️` → `⚠`,
    ///   one column as `wcwidth` says, where a font would draw two);
    /// - a ZWJ sequence keeps its first emoji (`👨‍👩‍👧‍👦` → `👨`);
    /// - regional indicators become the letters they stand for (🇯🇵 → `JP`), as terminals draw flags at one, two or four
    ///   columns.
    public static func terminalForm(_ character: Character) -> [Character] {
        let scalars = character.unicodeScalars
        guard scalars.count > 1 || scalars.first.map(isRegionalIndicator) == true else { return [character] }
        var out: [Character] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { out.append(Character(String(current))) }
            current = String.UnicodeScalarView()
        }
        for scalar in scalars {
            let v = scalar.value
            if v == 0xFE0F || v == 0xFE0E || (0x1F3FB...0x1F3FF).contains(v) { continue }
            if v == 0x200D { break }  // the rest of a ZWJ sequence
            if (0xE0020...0xE007F).contains(v) { continue }  // tag characters of subdivision flags
            if isRegionalIndicator(scalar) {
                flush()
                out.append(Character(Unicode.Scalar(UInt8(v - 0x1F1E6) + 65)))
                continue
            }
            if current.isEmpty || scalarWidth(scalar) > 0 {
                flush()
            }
            current.append(scalar)
        }
        flush()
        return out
    }

    static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool { (0x1F1E6...0x1F1FF).contains(scalar.value) }

    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    static func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        // Box drawing, block elements, geometric shapes up to U+25FC, and braille: what panels and charts are made of.
        if (v >= 0x2500 && v <= 0x25FC) || (v >= 0x2800 && v <= 0x28FF) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return v == 0x00AD ? 1 : 0
        default: break
        }
        if v == 0x200B { return 0 }
        if (0x1160...0x11FF).contains(v) { return 0 }  // Hangul medial vowels and final consonants
        if scalar.properties.isEmojiPresentation { return 2 }
        return isWide(v) ? 2 : 1
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges (Unicode 15, abridged to blocks).
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
            0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD,
            0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0,
            0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
            0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004, 0x1F0CF, 0x1F18E,
            0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
            0x1F260...0x1F265, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393,
            0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440,
            0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A,
            0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC, 0x1F6D0...0x1F6D2,
            0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB,
            0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF,
            0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
