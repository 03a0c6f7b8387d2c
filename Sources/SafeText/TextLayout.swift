/// Width-aware text layout, one implementation for the TUI, `lookout snapshot` and every other column of text: widths
/// are terminal columns (`DisplayWidth`), so CJK and emoji line up with ASCII.
public enum TextLayout {
    /// The ASCII stand-ins of the symbols lookout draws (`--ascii`, or a locale that is not UTF-8).
    public static let asciiForms: [Character: Character] = [
        "–": "-", "—": "-", "…": "~", "·": ",", "→": ">", "←": "<", "↑": "^", "↓": "v", "▲": "^", "▼": "v",
        "●": "+", "○": "o", "✖": "x", "◐": "!", "✔": "+", "✓": "+", "✗": "x", "•": "*", "│": "|", "─": "-",
        "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "━": "=",
        "┃": "|", "┏": "+", "┓": "+", "┗": "+", "┛": "+", "×": "x", "≥": ">", "≤": "<", "°": "o", "µ": "u",
        "“": "\"", "”": "\"", "‘": "'", "’": "'", "▏": "|", "█": "#", "░": ".", "▒": ":", "▓": "#", "╌": "-",
    ]

    /// `text` in ASCII: lookout's own symbols by their stand-ins, any other character that is not ASCII (a server's
    /// label in another script) as `?`.
    public static func ascii(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        return String(text.map { c in c.unicodeScalars.allSatisfy(\.isASCII) ? c : (asciiForms[c] ?? "?") })
    }

    /// `text` padded with spaces to `width` columns, left-aligned or right-aligned. Longer text is left as it is.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let gap = String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
        return alignRight ? gap + text : text + gap
    }

    /// `text` cut to at most `width` columns, ending in `…` (or `~` in ASCII) when cut. A wide character that would
    /// straddle the edge is left out whole.
    public static func truncate(_ text: String, to width: Int, ascii: Bool = false) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + (ascii ? "~" : "…")
    }

    /// `text` cut and then padded to exactly `width` columns (a wide character cut at the edge leaves a space).
    public static func fit(_ text: String, to width: Int, alignRight: Bool = false, ascii: Bool = false) -> String {
        pad(truncate(text, to: width, ascii: ascii), to: width, alignRight: alignRight)
    }

    /// `text` without the spaces at its end.
    public static func trimmingTrailingSpaces(_ text: String) -> String {
        var s = Substring(text)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
