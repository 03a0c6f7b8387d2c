/// The one sanitiser for text that comes from a server (label values, annotations, error messages, bodies).
///
/// Terminal control never survives it: C0 and C1 control characters, DEL, escape sequences of every kind (CSI,
/// OSC — including OSC 52 clipboard writes —, DCS, SOS, PM, APC, single-character escapes such as `ESC c`, their
/// 8-bit forms such as U+009B), and bidirectional overrides and isolates that could reorder what the user reads.
/// An unterminated string sequence swallows the rest of the text, as a terminal would.
/// Tabs and line breaks become single spaces, so one value stays on one line.
public enum SafeText {
    public static func sanitize(_ text: String) -> String {
        // Fast path: nothing to remove (the common case for label values).
        if text.unicodeScalars.allSatisfy({ isPlain($0) }) { return text }
        var output = String.UnicodeScalarView()
        var state = State.normal
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch state {
            case .normal:
                if isPlain(scalar) {
                    output.append(scalar)
                } else if v == 0x1B {
                    state = .escape
                } else if v == 0x9B {
                    state = .csi
                } else if v == 0x90 || v == 0x98 || v == 0x9D || v == 0x9E || v == 0x9F {
                    state = .string
                } else if v == 0x09 || v == 0x0A || v == 0x0D {
                    if output.last != " " { output.append(" ") }
                }
                // Any other control or bidi control is dropped.
            case .escape:
                switch v {
                case 0x5B: state = .csi  // [
                case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .string  // ] P X ^ _
                case 0x20...0x2F: state = .escapeIntermediate  // ESC ( B and friends
                case 0x1B: state = .escape
                default: state = .normal  // ESC c, ESC 7, …: the one character is part of the sequence
                }
            case .escapeIntermediate:
                if !(0x20...0x2F).contains(v) { state = .normal }
            case .csi:
                if (0x40...0x7E).contains(v) {
                    state = .normal
                } else if !(0x20...0x3F).contains(v) {
                    // Not part of a CSI sequence: the sequence is cut here and the character judged on its own.
                    state = .normal
                    if isPlain(scalar) { output.append(scalar) } else if v == 0x1B { state = .escape }
                }
            case .string:
                if v == 0x07 || v == 0x9C { state = .normal } else if v == 0x1B { state = .stringEscape }
            case .stringEscape:
                state = v == 0x5C ? .normal : (v == 0x1B ? .stringEscape : .string)
            }
        }
        return String(output)
    }

    /// True for a character that may reach a terminal cell as it is.
    public static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return false }
        return !isBidiControl(v)
    }

    static func isBidiControl(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
    }

    private enum State { case normal, escape, escapeIntermediate, csi, string, stringEscape }
}
