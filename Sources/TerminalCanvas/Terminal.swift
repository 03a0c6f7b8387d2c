/// What the terminal tells the application.
public enum TerminalEvent: Sendable, Equatable {
    /// A key, by name: `q`, `ctrl-c`, `esc`, `enter`, `tab`, `backtab`, `up`, `down`, `left`, `right`, `backspace`,
    /// `space`, `pgup`, `pgdn`, or the character typed.
    case key(String)
    case resize(width: Int, height: Int)
}

/// A screen the dashboard can draw on. The ncurses backend is one; tests use an in-memory one.
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
}
