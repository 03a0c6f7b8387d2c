import Testing
@testable import TerminalCanvas

/// The key decoder: the sequences of every common terminal, whatever TERM says; unknown sequences swallowed whole.
@Suite("Keys from every terminal")
struct KeyDecoderTests {
    /// Everything `input` means, fed at once and followed by a pause (as a terminal sends a key's bytes together).
    static func decode(_ input: String) -> [TerminalEvent] {
        var decoder = KeyDecoder()
        var events = input.unicodeScalars.flatMap { decoder.feed($0.value) }
        events += decoder.idle()
        return events
    }

    static func keys(_ input: String) -> [Key] {
        decode(input).compactMap { if case .key(let key) = $0 { key } else { nil } }
    }

    /// Each terminal's Home, End, Insert, Delete, PgUp and PgDn (from their terminfo entries and manuals).
    static let sequences: [(terminal: String, sequence: String, key: Key)] = [
        ("xterm", "\u{1B}[H", .home), ("xterm", "\u{1B}[F", .end),
        ("xterm (application mode)", "\u{1B}OH", .home), ("xterm (application mode)", "\u{1B}OF", .end),
        ("xterm, ctrl", "\u{1B}[1;5H", .home), ("xterm, shift", "\u{1B}[1;2F", .end),
        ("tmux, screen, PuTTY, Linux console", "\u{1B}[1~", .home), ("tmux, screen, PuTTY, Linux console", "\u{1B}[4~", .end),
        ("rxvt", "\u{1B}[7~", .home), ("rxvt", "\u{1B}[8~", .end), ("rxvt, shift", "\u{1B}[7$", .home), ("rxvt, ctrl", "\u{1B}[8^", .end),
        ("vt220", "\u{1B}[2~", .insert), ("vt220", "\u{1B}[3~", .delete),
        ("vt220", "\u{1B}[5~", .pageUp), ("vt220", "\u{1B}[6~", .pageDown), ("xterm, ctrl", "\u{1B}[5;5~", .pageUp),
        ("vt100", "\u{1B}OA", .up), ("vt100", "\u{1B}OB", .down), ("vt100", "\u{1B}OC", .right), ("vt100", "\u{1B}OD", .left),
        ("xterm", "\u{1B}[A", .up), ("xterm", "\u{1B}[Z", .backTab),
        ("vt100 PF1", "\u{1B}OP", .function(1)), ("vt100 PF4", "\u{1B}OS", .function(4)),
        ("xterm, shift", "\u{1B}[1;2P", .function(1)),
        ("vt220, PuTTY", "\u{1B}[11~", .function(1)), ("vt220", "\u{1B}[15~", .function(5)), ("vt220", "\u{1B}[17~", .function(6)),
        ("vt220", "\u{1B}[21~", .function(10)), ("vt220", "\u{1B}[23~", .function(11)), ("vt220", "\u{1B}[24~", .function(12)),
        ("Linux console", "\u{1B}[[A", .function(1)), ("Linux console", "\u{1B}[[E", .function(5)),
        ("keypad Enter", "\u{1B}OM", .enter),
    ]

    @Test(arguments: sequences.indices)
    func eachTerminalsKey(_ index: Int) {
        let (terminal, sequence, key) = Self.sequences[index]
        #expect(Self.decode(sequence) == [.key(key)], "\(terminal): \(sequence.debugDescription)")
        // Followed by typing: the sequence is one key, the typing is itself.
        #expect(Self.decode(sequence + "q") == [.key(key), .key(.char("q"))], "\(terminal): \(sequence.debugDescription)q")
    }

    @Test func unknownSequencesAreSwallowedWhole() {
        // A device attributes reply, an SGR mouse report ncurses did not take, a CSI no terminal sends for a key, a
        // tilde key with no name, an SS3 with a letter no key has: nothing, and the key after each is itself.
        for sequence in ["\u{1B}[?1;2c", "\u{1B}[<0;5;5M", "\u{1B}[99;99;99z", "\u{1B}[99~", "\u{1B}[16~", "\u{1B}Oz", "\u{1B}[>0;276;0c", "\u{1B}[1;2$y"] {
            #expect(Self.decode(sequence + "j") == [.key(.char("j"))], "\(sequence.debugDescription)")
        }
        // One that goes on past the bound is still swallowed up to its final byte.
        let long = "\u{1B}[" + String(repeating: "1;", count: 200) + "5~"
        #expect(Self.decode(long + "k") == [.key(.char("k"))])
    }

    @Test func escAloneAndEscThenAKey() {
        #expect(Self.decode("\u{1B}") == [.key(.escape)])
        #expect(Self.decode("\u{1B}\u{1B}") == [.key(.escape), .key(.escape)])
        // Alt-x (or Esc typed quickly before x): both keys.
        #expect(Self.decode("\u{1B}x") == [.key(.escape), .key(.char("x"))])
        // Esc then [ or O, with nothing after them: typed, not the start of a sequence.
        #expect(Self.decode("\u{1B}[") == [.key(.escape), .key(.char("["))])
        #expect(Self.decode("\u{1B}O") == [.key(.escape), .key(.char("O"))])
        // A control character inside a sequence: the sequence is dropped, the character read.
        #expect(Self.decode("\u{1B}[1\r") == [.key(.enter)])
    }

    @Test func aSequenceSplitAcrossReadsWaitsForItsEnd() {
        var decoder = KeyDecoder()
        var events = "\u{1B}[1".unicodeScalars.flatMap { decoder.feed($0.value) }
        events += decoder.idle()
        #expect(events.isEmpty)
        #expect(decoder.isInsideSequence)
        events += decoder.feed(126)
        #expect(events == [.key(.home)])
        #expect(!decoder.isInsideSequence)
    }

    @Test func aKeyNcursesDecodedEndsWhatWasHalfRead() {
        var decoder = KeyDecoder()
        _ = decoder.feed(27)
        #expect(decoder.interrupt() == [.key(.escape)])
        _ = "\u{1B}[12".unicodeScalars.map { decoder.feed($0.value) }
        #expect(decoder.interrupt() == [])
        #expect(!decoder.isInsideSequence)
    }

    @Test func bracketedPaste() {
        #expect(Self.decode("\u{1B}[200~count(up)\nq\u{1B}[201~j") == [.paste("count(up)\nq"), .key(.char("j"))])
        // Inside a paste, escape sequences are text.
        #expect(Self.decode("\u{1B}[200~a\u{1B}[1~b\u{1B}[201~") == [.paste("a\u{1B}[1~b")])
        // A paste longer than the bound is cut to it, and its end still found.
        let long = String(repeating: "x", count: KeyDecoder.pasteLimit + 500)
        let events = Self.decode("\u{1B}[200~" + long + "\u{1B}[201~q")
        #expect(events.count == 2)
        if case .paste(let text) = events.first { #expect(text.count == KeyDecoder.pasteLimit) } else { Issue.record("no paste") }
        #expect(events.last == .key(.char("q")))
    }

    @Test func plainCharactersAndControls() {
        #expect(Self.keys("aé 日\t\r\u{7F}\u{03}") == [.char("a"), .char("é"), .char(" "), .char("日"), .tab, .enter, .backspace, .ctrl("c")])
        // C1 controls and other C0 controls are no keys.
        #expect(Self.decode("\u{9B}\u{1C}") == [])
    }

    /// Property: any CSI sequence (any parameters, any final byte) is at most one key and never a character.
    @Test func anyCSIIsAtMostOneKey() {
        var generator = SplitMix(seed: 29)
        for _ in 0..<2000 {
            let count = Int(generator.next() % 12)
            let params = (0..<count).map { _ in Unicode.Scalar(UInt8(0x30 + generator.next() % 16)) }
            let final = Unicode.Scalar(UInt8(0x40 + generator.next() % 63))
            let sequence = "\u{1B}[" + String(String.UnicodeScalarView(params)) + String(final)
            let events = Self.decode(sequence)
            #expect(events.count <= 1, "\(sequence.debugDescription)")
            #expect(!events.contains { if case .key(.char) = $0 { true } else { false } }, "\(sequence.debugDescription)")
        }
    }

    @Test func helpNamesTheNewKeys() {
        #expect(Key.function(1).description == "F1")
        #expect(Key.delete.description == "Del")
        #expect(Key.insert.description == "Ins")
    }
}

/// A small deterministic generator for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
