import Foundation

/// What a key does in the dashboard.
public enum KeyAction: String, Sendable, Equatable, CaseIterable {
    case quit, refresh, togglePause, widerRange, narrowerRange, zoom, unzoom, focusNext, focusPrevious
    case alertView, toggleSuppressed, nextVariableValue, cycleTheme, filter, help
}

/// One line of the key map: the keys, what they are called in help, and what they do.
public struct KeyBinding: Sendable, Equatable {
    /// Key names as the terminal layer reports them: `q`, `ctrl-c`, `space`, `esc`, `tab`, `left`, `1`…
    public var keys: [String]
    /// How the keys are shown in help: `q, Ctrl-C`.
    public var label: String
    public var help: String
    public var action: KeyAction
}

/// The one table of keys and their help text; the run loop dispatches from it and the help overlay is drawn
/// from it, so the two cannot disagree.
public enum KeyMap {
    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: ["q", "ctrl-c"], label: "q, Ctrl-C", help: "quit", action: .quit),
        KeyBinding(keys: ["r"], label: "r", help: "refresh now", action: .refresh),
        KeyBinding(keys: ["p", "space"], label: "p, space", help: "pause / resume refreshing", action: .togglePause),
        KeyBinding(keys: ["+", "="], label: "+", help: "longer range (5m … 7d)", action: .widerRange),
        KeyBinding(keys: ["-", "_"], label: "-", help: "shorter range", action: .narrowerRange),
        KeyBinding(keys: ["1", "2", "3", "4"], label: "1-4", help: "zoom a panel", action: .zoom),
        KeyBinding(keys: ["esc"], label: "Esc", help: "back (from zoom, alerts, help, filter)", action: .unzoom),
        KeyBinding(keys: ["tab", "right", "down"], label: "Tab, arrows", help: "move the focus", action: .focusNext),
        KeyBinding(keys: ["backtab", "left", "up"], label: "Shift-Tab", help: "move the focus back", action: .focusPrevious),
        KeyBinding(keys: ["a"], label: "a", help: "alerts: scroll, Enter shows one alert", action: .alertView),
        KeyBinding(keys: ["s"], label: "s", help: "hide / show silenced and inhibited alerts", action: .toggleSuppressed),
        KeyBinding(keys: ["v"], label: "v", help: "next value of the dashboard variable", action: .nextVariableValue),
        KeyBinding(keys: ["t"], label: "t", help: "next colour theme", action: .cycleTheme),
        KeyBinding(keys: ["/"], label: "/", help: "filter series by text", action: .filter),
        KeyBinding(keys: ["?", "h"], label: "?", help: "this help", action: .help),
    ]

    /// The binding of a key name, if any.
    public static func binding(for key: String) -> KeyBinding? {
        bindings.first { $0.keys.contains(key) }
    }

    /// The ranges `+` and `-` step through, in seconds.
    public static let ranges: [TimeInterval] = [300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 604_800]
}
