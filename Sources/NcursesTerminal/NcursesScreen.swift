import CNcurses
import Dispatch
import FoundationEssentials
import Glibc
import SafeText
import TerminalCanvas

/// The only code that calls ncurses. Everything happens on the main actor; input is read when stdin becomes
/// readable (no polling), resizes arrive through SIGWINCH.
@MainActor
public final class NcursesScreen: Terminal {
    public private(set) var width: Int
    public private(set) var height: Int
    public let colorDepth: ColorDepth
    public let events: AsyncStream<TerminalEvent>
    private let continuation: AsyncStream<TerminalEvent>.Continuation
    private var input: (any DispatchSourceRead)?
    private var winch: (any DispatchSourceSignal)?
    private var active = true
    private var previous: Canvas?
    private var previousTheme: Theme?
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    /// What the characters ncurses did not decode mean (sequences of other terminals, bracketed paste).
    private var decoder = KeyDecoder()
    /// Bytes ncurses wrote to the terminal, when counting was asked for (benchmarks).
    public private(set) var drawCalls = 0

    public struct NoTerminal: Error, CustomStringConvertible {
        public var description: String
    }

    struct PairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    /// Whether the given locale uses UTF-8 (else the dashboard draws ASCII only).
    public static var localeIsUTF8: Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Takes over the terminal. Fails with a clear message when stdin or stdout is not a terminal.
    /// `mouse`: report clicks and the wheel (`--no-mouse` turns it off; the keyboard does everything).
    public init(mouse: Bool = true) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw NoTerminal(description: "the dashboard needs a terminal (stdin and stdout must be a TTY); for a report on stdout use 'lookout snapshot'")
        }
        setlocale(LC_CTYPE, "")  // wide characters; numbers stay in the C notation (cFormat)
        // ncurses installs its own SIGWINCH handler only while the signal has its default action; ours comes
        // through a dispatch source instead.
        signal(SIGWINCH, SIG_IGN)
        // Whatever happens from here on, a crash leaves the terminal as it found it.
        lookout_arm_crash_restore()
        // newterm, unlike initscr, returns nil for an unknown TERM instead of exiting the process.
        guard lookout_newterm() != nil else {
            lookout_disarm_crash_restore()
            let term = ProcessInfo.processInfo.environment["TERM"] ?? "unset"
            throw NoTerminal(description: "unknown terminal type TERM=\(term) (no terminfo entry); try TERM=xterm-256color")
        }
        cbreak()
        noecho()
        nonl()
        keypad(lookout_stdscr(), true)
        lookout_mouse(mouse ? 1 : 0)
        nodelay(lookout_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        // Bracketed paste: a paste arrives between ESC [200~ and ESC [201~, as text rather than keys.
        StandardStream.output.write("\u{1B}[?2004h")
        if has_colors() {
            start_color()
            use_default_colors()
            let colors = lookout_colors()
            colorDepth = colors >= 1 << 24 ? .trueColor
                : (colors >= 256 ? .colors256 : (colors >= 16 ? .colors16 : (colors >= 8 ? .colors8 : .mono)))
        } else {
            colorDepth = .mono
        }
        width = Int(lookout_cols())
        height = Int(lookout_lines())
        (events, continuation) = AsyncStream.makeStream(of: TerminalEvent.self, bufferingPolicy: .bufferingNewest(256))

        let input = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: .main)
        input.setEventHandler { [weak self] in MainActor.assumeIsolated { self?.readKeys() } }
        input.resume()
        self.input = input
        let winch = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .main)
        winch.setEventHandler { [weak self] in MainActor.assumeIsolated { self?.resized() } }
        winch.resume()
        self.winch = winch
    }

    private func readKeys() {
        guard active else { return }
        var ch: wint_t = 0
        while true {
            let r = lookout_get_key(&ch)
            if r == ERR {
                // Nothing more to read for now: a lone Esc was the Esc key.
                yield(decoder.idle())
                break
            }
            if r == lookout_key_code_yes() {
                yield(decoder.interrupt())
                // resizeterm (called on SIGWINCH) queues KEY_RESIZE: the size is already taken, nothing to do.
                if Int32(ch) == lookout_key_resize() { sizeChanged(); continue }
                if Int32(ch) == lookout_key_mouse() {
                    var x: Int32 = 0
                    var y: Int32 = 0
                    let actions: [Int32: MouseEvent.Action] = [1: .click, 2: .doubleClick, 3: .wheelUp, 4: .wheelDown]
                    if let action = actions[lookout_get_mouse(&x, &y)] {
                        continuation.yield(.mouse(MouseEvent(x: Int(x), y: Int(y), action: action)))
                    }
                    continue
                }
                if let name = Self.keyName(code: Int32(ch)) { continuation.yield(.key(name)) }
            } else {
                yield(decoder.feed(UInt32(ch)))
            }
        }
    }

    private func yield(_ events: [TerminalEvent]) {
        for event in events { continuation.yield(event) }
    }

    /// A key ncurses decoded from its terminfo entry.
    static func keyName(code: Int32) -> Key? {
        switch code {
        case lookout_key_up(): return .up
        case lookout_key_down(): return .down
        case lookout_key_left(): return .left
        case lookout_key_right(): return .right
        case lookout_key_btab(): return .backTab
        case lookout_key_enter(): return .enter
        case lookout_key_backspace(): return .backspace
        case lookout_key_ppage(), lookout_key_a3(): return .pageUp
        case lookout_key_npage(), lookout_key_c3(): return .pageDown
        // Find and Select are where a vt220 keyboard has Home and End (terminfo's kfnd, kslt: ESC [ 1 ~, ESC [ 4 ~).
        case lookout_key_home(), lookout_key_find(), lookout_key_a1(): return .home
        case lookout_key_end(), lookout_key_select(), lookout_key_c1(): return .end
        case lookout_key_ic(): return .insert
        case lookout_key_dc(): return .delete
        case (lookout_key_f0() + 1)...(lookout_key_f0() + 12): return .function(Int(code - lookout_key_f0()))
        default: return nil
        }
    }

    /// SIGWINCH: tells ncurses the new size.
    private func resized() {
        guard active else { return }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
            resizeterm(Int32(size.ws_row), Int32(size.ws_col))
        }
        sizeChanged()
    }

    /// Reports the size when it changed; the next draw repaints everything.
    private func sizeChanged() {
        let (w, h) = (Int(lookout_cols()), Int(lookout_lines()))
        guard w != width || h != height else { return }
        width = w
        height = h
        previous = nil
        clear()
        continuation.yield(.resize(width: width, height: height))
    }

    public func draw(_ canvas: Canvas, theme: Theme) {
        guard active else { return }
        if previousTheme != theme {
            previous = nil
            previousTheme = theme
            pairs = [:]
            nextPair = 1
        }
        let same = previous.map { $0.width == canvas.width && $0.height == canvas.height } ?? false
        var buffer: [wchar_t] = []
        for y in 0..<min(canvas.height, height) {
            var x = 0
            while x < min(canvas.width, width) {
                let cell = canvas[x, y]
                if cell.isContinuation || (same && previous?[x, y] == cell) {
                    x += 1
                    continue
                }
                // A run of changed cells with the same style goes out in one call.
                let style = cell.style
                let start = x
                buffer.removeAll(keepingCapacity: true)
                while x < min(canvas.width, width) {
                    let c = canvas[x, y]
                    if c.isContinuation { x += 1; continue }
                    if c.style != style || (same && previous?[x, y] == c && x > start) { break }
                    for scalar in c.text.unicodeScalars { buffer.append(wchar_t(bitPattern: scalar.value)) }
                    x += 1
                }
                apply(style, theme: theme)
                buffer.withUnsafeBufferPointer { _ = lookout_put(Int32(y), Int32(start), $0.baseAddress, Int32($0.count)) }
                drawCalls += 1
            }
        }
        previous = canvas
        refresh()
    }

    private func apply(_ style: Style, theme: Theme) {
        let role = theme.style(style.role)
        var attributes = lookout_a_normal()
        let all = role.attributes.union(style.attributes)
        if all.contains(.bold) { attributes |= lookout_a_bold() }
        if all.contains(.dim) { attributes |= lookout_a_dim() }
        if all.contains(.underline) { attributes |= lookout_a_underline() }
        if all.contains(.reverse) { attributes |= lookout_a_reverse() }
        var pair: Int32 = 0
        if colorDepth != .mono {
            let key = PairKey(foreground: index(role.foreground), background: index(role.background))
            if key.foreground != -1 || key.background != -1 {
                if let existing = pairs[key] {
                    pair = existing
                } else if nextPair < lookout_color_pairs() {
                    _ = lookout_init_pair(nextPair, key.foreground, key.background)
                    pairs[key] = nextPair
                    pair = nextPair
                    nextPair += 1
                }
            }
        }
        _ = lookout_attr_set(attributes, pair)
    }

    /// The ncurses colour number: a palette index, or on a direct-colour terminal the RGB value itself.
    private func index(_ color: Color) -> Int32 {
        switch color.mapped(to: colorDepth) {
        case .default: return -1
        case .indexed(let i):
            guard colorDepth == .trueColor else { return Int32(i) }
            let (r, g, b) = Color.rgbOf(index: i)
            return Int32(r << 16 | g << 8 | b)
        case .rgb(let r, let g, let b): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }

    public func copyToClipboard(_ text: String) {
        guard active else { return }
        StandardStream.output.write(Clipboard.sequence(text))
    }

    public func restore() {
        guard active else { return }
        active = false
        input?.cancel()
        winch?.cancel()
        continuation.finish()
        curs_set(1)
        lookout_mouse(0)
        endwin()
        // Bracketed paste and every mouse report off, whatever the terminal was told.
        StandardStream.output.write("\u{1B}[?2004l\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l")
        lookout_disarm_crash_restore()
    }
}

/// A quit signal (SIGINT — Ctrl-C —, SIGTERM, SIGHUP, SIGQUIT) ends lookout within a second whatever the run loop is
/// doing. The run loop hears signals through dispatch sources on the main queue, which a busy main thread does not
/// serve; `arm()` puts a C handler in front of dispatch's own for each (it passes the signal on) that also sets an
/// alarm of one second, and the alarm's handler gives the terminal back (unless that was done) and exits with code 0,
/// as a quit does. Everything it does is async-signal-safe.
public enum QuitWatchdog {
    /// Call once the run loop's signal sources are listening (their handlers are the ones passed on to).
    public static func arm() { lookout_arm_quit_watchdog() }
}
