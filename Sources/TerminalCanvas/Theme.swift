import FoundationEssentials
import Glibc
import SafeText

/// What a piece of the screen means. Themes map roles to colours and attributes; widgets only name roles.
public enum StyleRole: String, Sendable, CaseIterable, Hashable {
    case text, dim, border, title
    case ok, warning, critical, unknown
    case sparkline, clamped
    case alertFiring, alertPending
    case statusBar, statusError
    /// The current context's name in the status bar; a context's `color` replaces its background.
    case context
    case focus, help, filter
    /// The lines of a chart, one per series: the theme's `series:` palette, in turn.
    case series1, series2, series3, series4, series5, series6, series7, series8

    /// The role of the `index`th colour of the series palette (0-based; past 8, round again).
    public static func series(_ index: Int) -> StyleRole {
        let all: [StyleRole] = [.series1, .series2, .series3, .series4, .series5, .series6, .series7, .series8]
        return all[((index % all.count) + all.count) % all.count]
    }

    /// 0–7 for a series role, else nil.
    public var seriesIndex: Int? {
        [.series1, .series2, .series3, .series4, .series5, .series6, .series7, .series8].firstIndex(of: self)
    }
}

/// A terminal colour as a theme names it.
public enum Color: Sendable, Hashable, CustomStringConvertible {
    /// The terminal's own foreground or background.
    case `default`
    /// One of the 256 indexed colours (0–15 are the named ones).
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    public static let names: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Parses a colour name, an index 0–255 or `#rrggbb`.
    public init?(parsing text: String) {
        let t = text.trimmingSpaces().lowercased()
        if t == "default" || t == "none" {
            self = .default
        } else if let index = Self.names[t] {
            self = .indexed(index)
        } else if let n = Int(t), (0...255).contains(n) {
            self = .indexed(UInt8(n))
        } else if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .default: return "default"
        case .indexed(let i): return "\(i)"
        case .rgb(let r, let g, let b):
            return "#" + [r, g, b].map { String($0, radix: 16).leftPadded(2) }.joined()
        }
    }

    /// The RGB value of an indexed colour (xterm's palette).
    public static func rgbOf(index: UInt8) -> (Int, Int, Int) {
        let i = Int(index)
        let base16: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
            (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if i < 16 { return base16[i] }
        if i < 232 {
            let levels = [0, 95, 135, 175, 215, 255]
            let c = i - 16
            return (levels[c / 36], levels[c / 6 % 6], levels[c % 6])
        }
        let gray = 8 + (i - 232) * 10
        return (gray, gray, gray)
    }

    /// The nearest colour a terminal with `depth` colours can show.
    public func mapped(to depth: ColorDepth) -> Color {
        switch (self, depth) {
        case (.default, _), (_, .trueColor): return self
        case (_, .mono): return .default
        case (.indexed(let i), .colors256): return .indexed(i)
        case (.rgb(let r, let g, let b), .colors256): return .indexed(Self.nearest256(Int(r), Int(g), Int(b)))
        case (.indexed(let i), .colors16) where i < 16: return self
        case (.indexed(let i), .colors8) where i < 8: return self
        case (.indexed(let i), .colors8) where i < 16: return .indexed(i - 8)
        case (.indexed(let i), _):
            let (r, g, b) = Self.rgbOf(index: i)
            return .indexed(Self.nearest(r, g, b, among: depth == .colors16 ? 16 : 8))
        case (.rgb(let r, let g, let b), _):
            return .indexed(Self.nearest(Int(r), Int(g), Int(b), among: depth == .colors16 ? 16 : 8))
        }
    }

    static func nearest256(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        // The 6x6x6 cube or the gray ramp, whichever is closer.
        func cubeLevel(_ v: Int) -> Int { v < 48 ? 0 : (v < 115 ? 1 : (v - 35) / 40) }
        let (cr, cg, cb) = (cubeLevel(r), cubeLevel(g), cubeLevel(b))
        let cube = 16 + 36 * cr + 6 * cg + cb
        let average = (r + g + b) / 3
        let grayIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
        let gray = 232 + grayIndex
        let cubeRGB = rgbOf(index: UInt8(cube))
        let grayRGB = rgbOf(index: UInt8(gray))
        return distance((r, g, b), cubeRGB) <= distance((r, g, b), grayRGB) ? UInt8(cube) : UInt8(gray)
    }

    static func nearest(_ r: Int, _ g: Int, _ b: Int, among count: Int) -> UInt8 {
        var best = 0
        var bestDistance = Int.max
        for i in 0..<count {
            let d = distance((r, g, b), rgbOf(index: UInt8(i)))
            if d < bestDistance {
                best = i
                bestDistance = d
            }
        }
        return UInt8(best)
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }
}

/// How many colours the terminal can show.
public enum ColorDepth: Int, Sendable, Comparable {
    case mono = 0, colors8 = 8, colors16 = 16, colors256 = 256, trueColor = 16_777_216
    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
}

/// The look of one role.
public struct RoleStyle: Sendable, Hashable {
    public var foreground: Color
    public var background: Color
    public var attributes: TextAttributes

    public init(foreground: Color = .default, background: Color = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// A colour theme: a style per role. Loaded from YAML (`themes/*.yaml`).
public struct Theme: Sendable, Equatable {
    public var name: String
    public var description: String
    public var styles: [StyleRole: RoleStyle]
    /// The colours (or, in mono, the looks) of chart lines, one per series in turn.
    public var series: [RoleStyle]
    /// Made for a light terminal background (`background: light`): pictures of it are drawn on white.
    public var light = false

    public init(name: String, description: String = "", styles: [StyleRole: RoleStyle], series: [RoleStyle] = []) {
        self.name = name
        self.description = description
        self.styles = styles
        self.series = series
    }

    /// The style of a role; a role the theme leaves out looks like `text` (a series role without a palette like
    /// `sparkline`).
    public func style(_ role: StyleRole) -> RoleStyle {
        if let index = role.seriesIndex, styles[role] == nil {
            return series.isEmpty ? style(.sparkline) : series[index % series.count]
        }
        return styles[role] ?? styles[.text] ?? RoleStyle()
    }

    /// Mono: no colour at all, meaning carried by bold, reverse, underline and dim.
    public var isMono: Bool {
        styles.values.allSatisfy { $0.foreground == .default && $0.background == .default }
    }
}

/// A theme file that cannot be used: the message names the file, the key and the line.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The message quotes the file's own text: it is sanitised and cut here, once, for every output.
    public init(message: String) { self.message = SafeText.clip(message, InputLimits.messageCharacters) }
    public var description: String { message }
}

extension Theme {
    /// Parses a theme. `source` names the file in errors.
    public static func parse(yaml: String, source: String) throws -> Theme {
        func fail(_ what: String, _ node: YAMLNode?) -> ThemeError {
            let line = YAMLMark.suffix(node?.mark)
            return ThemeError(message: "\(source)\(line): \(what)")
        }
        let root: YAMLNode
        do {
            guard let node = try YAMLDocument.compose(yaml, source: source) else { throw fail("the file is empty", nil) }
            root = node
        } catch let error as YAMLError {
            throw ThemeError(message: error.message)
        }
        guard let mapping = root.mapping else { throw fail("expected a mapping with 'name' and 'roles'", root) }
        var name = ""
        var description = ""
        var styles: [StyleRole: RoleStyle] = [:]
        var series: [RoleStyle] = []
        var light = false
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw fail("keys must be strings", keyNode) }
            switch key {
            case "name":
                guard let s = value.string, !s.isEmpty else { throw fail("'name' must be a non-empty string", value) }
                name = s
            case "description":
                description = value.string ?? ""
            case "roles":
                guard let roles = value.mapping else { throw fail("'roles' must be a mapping of role to style", value) }
                for (roleNode, styleNode) in roles {
                    let roleName = roleNode.string ?? ""
                    guard let role = StyleRole(rawValue: roleName) else {
                        let known = StyleRole.allCases.map(\.rawValue).joined(separator: ", ")
                        throw fail("unknown role '\(roleName)' (known roles: \(known))", roleNode)
                    }
                    styles[role] = try parseStyle(styleNode, path: "roles.\(roleName)", fail: fail)
                }
            case "background":
                guard let text = value.string, ["light", "dark"].contains(text) else {
                    throw fail("'background' must be light or dark (the terminal background the theme is made for)", value)
                }
                light = text == "light"
            case "series":
                guard let list = value.sequence, !list.isEmpty else {
                    throw fail("'series' must be a list of colours (or styles), one per chart line", value)
                }
                series = try list.enumerated().map { i, item in
                    if let text = item.string {
                        guard let color = Color(parsing: text) else {
                            throw fail("series[\(i)]: bad colour '\(text)' (expected a name such as red, 0-255, or #rrggbb)", item)
                        }
                        return RoleStyle(foreground: color)
                    }
                    return try parseStyle(item, path: "series[\(i)]", fail: fail)
                }
            default:
                throw fail("unknown key '\(key)' (expected name, description, background, roles, series)", keyNode)
            }
        }
        guard !name.isEmpty else { throw fail("missing 'name'", root) }
        guard styles[.text] != nil else { throw fail("missing roles.text", root) }
        var theme = Theme(name: name, description: description, styles: styles, series: series)
        theme.light = light
        return theme
    }

    static func parseStyle(_ node: YAMLNode, path: String, fail: (String, YAMLNode?) -> ThemeError) throws -> RoleStyle {
        guard let mapping = node.mapping else { throw fail("\(path) must be a mapping (fg, bg, bold, dim, underline, reverse)", node) }
        var style = RoleStyle()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "fg", "bg":
                let text = value.string ?? ""
                guard let color = Color(parsing: text) else {
                    throw fail("\(path).\(key): bad colour '\(text)' (expected a name such as red, 0-255, or #rrggbb)", value)
                }
                if key == "fg" { style.foreground = color } else { style.background = color }
            case "bold", "dim", "underline", "reverse":
                guard let flag = value.bool else { throw fail("\(path).\(key): expected true or false", value) }
                let attribute: TextAttributes = ["bold": .bold, "dim": .dim, "underline": .underline][key] ?? .reverse
                if flag { style.attributes.insert(attribute) }
            default:
                throw fail("\(path): unknown key '\(key)' (expected fg, bg, bold, dim, underline, reverse)", keyNode)
            }
        }
        return style
    }

    /// Loads a theme file.
    public static func load(file path: String) throws -> Theme {
        let text: String
        do {
            text = try BoundedFile.text(path, limit: InputLimits.themeFileBytes, what: "theme file")
        } catch {
            throw ThemeError(message: error.message)
        }
        return try parse(yaml: text, source: path)
    }

    /// A shipped theme by name, or a theme file by path. `NO_COLOR` is applied by the caller (choose `mono`).
    public static func named(_ nameOrPath: String) throws -> Theme {
        if let builtin = BuiltinThemes.sources[nameOrPath] {
            return try parse(yaml: builtin, source: "themes/\(nameOrPath).yaml")
        }
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return try load(file: nameOrPath)
        }
        let known = BuiltinThemes.names.joined(separator: ", ")
        throw ThemeError(message: "unknown theme '\(nameOrPath)' (shipped themes: \(known); or give a file path)")
    }

    /// The theme to use: `NO_COLOR` (set and not empty, per no-color.org) wins and selects mono; then the requested
    /// name or file; then `default`.
    public static func select(requested: String?, environment: [String: String]) throws -> Theme {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return try named("mono") }
        return try named(requested ?? "default")
    }

    /// The names of the shipped themes, in the order `t` cycles through them.
    public static var shippedNames: [String] { BuiltinThemes.names }

    /// The default dark theme, which always loads (it is tested); a plain fallback just in case.
    public static var standard: Theme {
        (try? named("default")) ?? Theme(name: "fallback", styles: [.text: RoleStyle()])
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
