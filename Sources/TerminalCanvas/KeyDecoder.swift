/// Turns the characters a terminal sends into keys and pastes, whatever `TERM` says.
///
/// ncurses decodes the sequences its terminfo entry names; what it does not know reaches lookout as characters:
/// tmux with `TERM=xterm-256color` and PuTTY send Home as `ESC [ 1 ~`, rxvt as `ESC [ 7 ~`, the Linux console F1 as
/// `ESC [ [ A`. This decoder knows the sequences of xterm, tmux, screen, rxvt, the Linux console, PuTTY and the
/// vt100 for the cursor keys, Home, End, Insert, Delete, PgUp, PgDn and F1–F12, in both the `CSI n ~` and the
/// `SS3`/`CSI` letter forms, with or without modifiers; a sequence it does not know is swallowed whole, up to its
/// final byte, and never replayed as the keys it is made of. Bracketed paste (`ESC [200~ … ESC [201~`) arrives as
/// one text.
///
/// Pure and bounded: the state holds at most `sequenceLimit` characters of a sequence and `pasteLimit` of a paste.
public struct KeyDecoder: Sendable {
    /// The longest paste taken (the rest is dropped).
    public static let pasteLimit = 64 * 1024
    /// The longest escape sequence kept; a longer one is still swallowed up to its final byte.
    static let sequenceLimit = 32
    static let pasteEnd: [UInt32] = [27, 91, 50, 48, 49, 126]  // ESC [ 2 0 1 ~

    enum State: Sendable, Equatable {
        case ground
        /// ESC read.
        case escape
        /// ESC [ and the parameter and intermediate bytes so far (`overlong` once past the limit).
        case csi(params: [UInt32], overlong: Bool)
        /// ESC [ [ (the Linux console's F1–F5).
        case linuxFunction
        /// ESC O and the parameter bytes so far.
        case ss3(params: [UInt32])
    }

    var state: State = .ground
    /// The text pasted so far, while inside a paste.
    var pasted: [UInt32]?

    public init() {}

    /// Whether an escape sequence is half read.
    public var isInsideSequence: Bool { state != .ground }
    /// How many characters of a paste are held, while inside one.
    public var heldPaste: Int? { pasted?.count }
    /// The most characters of a paste held at once.
    public static let pasteHoldLimit = pasteLimit + pasteEnd.count

    /// What one character sent by the terminal means, given those before it.
    public mutating func feed(_ c: UInt32) -> [TerminalEvent] {
        if pasted != nil { return paste(c) }
        switch state {
        case .ground:
            if c == 27 {
                state = .escape
                return []
            }
            return Self.key(character: c).map { [.key($0)] } ?? []
        case .escape:
            switch c {
            case 91:  // [
                state = .csi(params: [], overlong: false)
                return []
            case 79:  // O
                state = .ss3(params: [])
                return []
            case 27:  // Esc pressed twice: the first is a key, the second may start a sequence
                return [.key(.escape)]
            default:
                // Esc then a key (how a terminal sends Alt with a key): both, as pressed.
                state = .ground
                return [.key(.escape)] + feed(c)
            }
        case .csi(var params, let overlong):
            if params.isEmpty, !overlong, c == 91 {  // ESC [ [
                state = .linuxFunction
                return []
            }
            // rxvt's modified keys end in $, ^ or @ after the number (ESC [ 7 $ is Shift-Home).
            let rxvtFinal = (c == 36 || c == 94) && !params.isEmpty && params.allSatisfy { (48...57).contains($0) }
            if (0x20...0x3F).contains(c), !rxvtFinal {
                if params.count < Self.sequenceLimit { params.append(c) }
                state = .csi(params: params, overlong: overlong || params.count >= Self.sequenceLimit)
                return []
            }
            state = .ground
            if (0x40...0x7E).contains(c) || rxvtFinal {
                if overlong { return [] }
                if c == 126, params == [50, 48, 48] {  // ESC [ 200 ~: a paste starts
                    pasted = []
                    return []
                }
                return Self.csiKey(params: params, final: c).map { [.key($0)] } ?? []
            }
            // Not a sequence after all (a control character inside it): the sequence is dropped, the character is
            // read as itself.
            return feed(c)
        case .linuxFunction:
            state = .ground
            guard (0x40...0x7E).contains(c) else { return feed(c) }
            return (65...69).contains(c) ? [.key(.function(Int(c) - 64))] : []
        case .ss3(var params):
            if (0x30...0x3F).contains(c) {
                if params.count < Self.sequenceLimit { params.append(c) }
                state = .ss3(params: params)
                return []
            }
            state = .ground
            guard (0x40...0x7E).contains(c) else { return feed(c) }
            return Self.ss3Key(final: c).map { [.key($0)] } ?? []
        }
    }

    /// Nothing more to read for now. A lone Esc was the Esc key; `ESC [` or `ESC O` with nothing after them were
    /// typed (Esc, then the key); a longer sequence half read waits for the rest, which the terminal sent at once.
    public mutating func idle() -> [TerminalEvent] {
        switch state {
        case .escape:
            state = .ground
            return [.key(.escape)]
        case .csi(let params, let overlong) where params.isEmpty && !overlong:
            state = .ground
            return [.key(.escape), .key(.char("["))]
        case .ss3(let params) where params.isEmpty:
            state = .ground
            return [.key(.escape), .key(.char("O"))]
        default:
            return []
        }
    }

    /// A key ncurses decoded arrived: whatever was half read before it was the keys it was made of, if it was typed
    /// (as `idle`), or is dropped.
    public mutating func interrupt() -> [TerminalEvent] {
        let events = idle()
        state = .ground
        return events
    }

    private mutating func paste(_ c: UInt32) -> [TerminalEvent] {
        guard var text = pasted else { return [] }
        text.append(c)
        let end = Self.pasteEnd
        if text.count >= end.count, Array(text.suffix(end.count)) == end {
            let body = text.dropLast(end.count).prefix(Self.pasteLimit)
            pasted = nil
            return [.paste(String(String.UnicodeScalarView(body.compactMap(Unicode.Scalar.init))))]
        }
        if text.count > Self.pasteLimit + end.count {
            // Too long: only the tail is kept past the limit, to find the end marker.
            text = Array(text.prefix(Self.pasteLimit)) + Array(text.suffix(end.count - 1))
        }
        pasted = text
        return []
    }

    /// A character that is not part of a sequence.
    public static func key(character: UInt32) -> Key? {
        switch character {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        // Ctrl-A … Ctrl-Z (in raw mode Ctrl-C arrives as a key, not as SIGINT).
        case 1...26: return Unicode.Scalar(character + 96).map { .ctrl(Character($0)) }
        case 0..<32, 0x80..<0xA0: return nil
        default: return Unicode.Scalar(character).map { .char(Character($0)) }
        }
    }

    /// `ESC [ params final`. The first number names the key in the `~` form (`1;5~` is Ctrl-Home: the modifier is
    /// not told apart); the letter does in the other.
    static func csiKey(params: [UInt32], final: UInt32) -> Key? {
        let numbers = String(String.UnicodeScalarView(params.compactMap(Unicode.Scalar.init))).split(separator: ";", omittingEmptySubsequences: false)
        // Private parameters (`<`, `=`, `>`, `?`) and intermediates belong to replies and mouse reports, not keys.
        guard params.allSatisfy({ (48...57).contains($0) || $0 == 59 }) else { return nil }
        switch final {
        case 126, 36, 94, 64:  // ~ (xterm, vt220, PuTTY, screen), $ ^ @ (rxvt with Shift, Ctrl, both)
            guard let first = numbers.first, let n = Int(first) else { return nil }
            switch n {
            case 1, 7: return .home
            case 2: return .insert
            case 3: return .delete
            case 4, 8: return .end
            case 5: return .pageUp
            case 6: return .pageDown
            case 11...15: return .function(n - 10)
            case 17...21: return .function(n - 11)
            case 23, 24: return .function(n - 12)
            default: return nil
            }
        case 65: return .up  // A
        case 66: return .down  // B
        case 67: return .right  // C
        case 68: return .left  // D
        case 72: return .home  // H
        case 70: return .end  // F
        case 90: return .backTab  // Z
        case 80...83: return .function(Int(final) - 79)  // P Q R S: F1–F4 with a modifier (xterm)
        default: return nil
        }
    }

    /// `ESC O final` (the application mode of xterm's cursor keys, the vt100's PF keys, xterm's F1–F4).
    static func ss3Key(final: UInt32) -> Key? {
        switch final {
        case 65: return .up
        case 66: return .down
        case 67: return .right
        case 68: return .left
        case 72: return .home
        case 70: return .end
        case 77: return .enter  // the keypad's Enter
        case 80...83: return .function(Int(final) - 79)
        default: return nil
        }
    }
}
