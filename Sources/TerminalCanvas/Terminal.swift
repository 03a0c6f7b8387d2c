import FoundationEssentials
import Glibc
import SafeText

/// A key as the terminal reports it.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character (space included).
    case char(Character)
    /// Ctrl with a letter: `.ctrl("c")`.
    case ctrl(Character)
    case enter, escape, tab, backTab, backspace
    case up, down, left, right, pageUp, pageDown, home, end, insert, delete
    /// F1 … F12.
    case function(Int)

    /// How help text names the key: `q`, `Ctrl-C`, `Enter`, `Esc`, `Tab`, `Shift-Tab`, `↑`…
    public var description: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-\(c.uppercased())"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .insert: return "Ins"
        case .delete: return "Del"
        case .function(let n): return "F\(n)"
        }
    }
}

/// A mouse click or wheel turn at a cell (0-based, from the top left).
public struct MouseEvent: Sendable, Equatable {
    public enum Action: Sendable, Equatable { case click, doubleClick, wheelUp, wheelDown }
    public var x: Int
    public var y: Int
    public var action: Action

    public init(x: Int, y: Int, action: Action) {
        self.x = x
        self.y = y
        self.action = action
    }
}

/// What the terminal tells the application.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    /// Text pasted into a terminal with bracketed paste.
    case paste(String)
    case resize(width: Int, height: Int)
    case mouse(MouseEvent)
}

/// A screen the application can draw on: the ncurses backend, or `MemoryTerminal` in tests.
/// All calls happen on the main actor: terminal libraries are not thread-safe.
@MainActor
public protocol Terminal: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// How many colours the terminal shows.
    var colorDepth: ColorDepth { get }
    /// Copies the canvas to the screen, sending only what changed.
    func draw(_ canvas: Canvas, theme: Theme)
    /// Keys and resizes, as they come.
    var events: AsyncStream<TerminalEvent> { get }
    /// Gives the terminal back as it was. Safe to call more than once.
    func restore()
    /// Puts text on the clipboard of the terminal's user (OSC 52, through ssh and tmux).
    func copyToClipboard(_ text: String)
}

/// OSC 52: sets the clipboard to `text` (sanitised, at most 64 KiB), base64-encoded as the sequence requires.
public enum Clipboard {
    public static let limit = 64 * 1024

    public static func sequence(_ text: String) -> String {
        // At most `limit` bytes of whole characters: a cut inside one would paste as a replacement character. Only a
        // prefix is sanitised (a character is at least one byte).
        let safe = SafeText.sanitize(String(text.prefix(limit)))
        var end = safe.startIndex
        var bytes = 0
        for index in safe.indices {
            let size = safe[index].utf8.count
            guard bytes + size <= limit else { break }
            bytes += size
            end = safe.index(after: index)
        }
        let encoded = Data(safe[..<end].utf8).base64EncodedString()
        return "\u{1B}]52;c;\(encoded)\u{07}"
    }
}

/// A terminal in memory: it keeps every frame drawn and takes keys and resizes from the test that drives it.
@MainActor
public final class MemoryTerminal: Terminal {
    public private(set) var width: Int
    public private(set) var height: Int
    public let colorDepth: ColorDepth
    public let events: AsyncStream<TerminalEvent>
    private let continuation: AsyncStream<TerminalEvent>.Continuation
    /// Every canvas drawn, oldest first, and the theme it was drawn with.
    public private(set) var frames: [(canvas: Canvas, theme: String)] = []
    public private(set) var restored = 0
    /// Called after each frame (tests wait on it).
    public var onDraw: ((Canvas) -> Void)?

    public init(width: Int, height: Int, colorDepth: ColorDepth = .colors256) {
        self.width = width
        self.height = height
        self.colorDepth = colorDepth
        (events, continuation) = AsyncStream.makeStream(of: TerminalEvent.self)
    }

    public func draw(_ canvas: Canvas, theme: Theme) {
        frames.append((canvas, theme.name))
        onDraw?(canvas)
    }

    public func restore() { restored += 1 }

    /// Everything copied to the clipboard, oldest first.
    public private(set) var clipboard: [String] = []
    public func copyToClipboard(_ text: String) { clipboard.append(text) }

    /// Types a key.
    public func press(_ key: Key) { continuation.yield(.key(key)) }

    /// Pastes text, as a terminal with bracketed paste would.
    public func paste(_ text: String) { continuation.yield(.paste(text)) }

    /// Changes the size, as a SIGWINCH would.
    public func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        continuation.yield(.resize(width: width, height: height))
    }

    /// The last frame's text.
    public var screen: [String] { frames.last?.canvas.trimmedLines ?? [] }
}
