import TerminalCanvas

extension DashboardApp {
    /// A theme with the context's colour as the background of its name in the status bar.
    static func colouring(_ theme: Theme, _ colour: Color?) -> Theme {
        guard let colour, !theme.isMono else { return theme }
        var theme = theme
        let (r, g, b): (Int, Int, Int)
        switch colour {
        case .rgb(let red, let green, let blue): (r, g, b) = (Int(red), Int(green), Int(blue))
        case .indexed(let i): (r, g, b) = Color.rgbOf(index: i)
        case .default: (r, g, b) = (0, 0, 0)
        }
        // Black on light colours, white on dark ones.
        let light = 299 * r + 587 * g + 114 * b > 128_000
        theme.styles[.context] = RoleStyle(foreground: .indexed(light ? 0 : 15), background: colour, attributes: [.bold])
        return theme
    }
}
