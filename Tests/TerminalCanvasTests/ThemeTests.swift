import Foundation
import Testing
import TerminalCanvas
import TestSupport

@Suite("Themes")
struct ThemeTests {
    static let themesDirectory = Repository.root.appendingPathComponent("themes")

    static var shippedFiles: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: themesDirectory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
    }

    @Test func atLeastTheFiveRequiredThemesShip() {
        let names = Set(Self.shippedFiles.map { $0.deletingPathExtension().lastPathComponent })
        #expect(names.isSuperset(of: ["default", "light", "mono", "high-contrast", "solarized-dark"]))
    }

    @Test(arguments: shippedFiles)
    func everyShippedThemeLoadsAndStylesEveryRole(file: URL) throws {
        let theme = try Theme.load(file: file.path)
        #expect(theme.name == file.deletingPathExtension().lastPathComponent)
        #expect(Set(theme.styles.keys) == Set(StyleRole.allCases.filter { $0.seriesIndex == nil }), "\(file.lastPathComponent) styles every role")
        #expect(theme.series.count >= 8, "\(file.lastPathComponent) has a series palette of 8 or more")
        #expect(Set((0..<8).map { theme.style(.series($0)) }).count == 8, "\(file.lastPathComponent): eight lines, eight looks")
        // The binary carries the same themes (scripts/embed-themes.sh).
        #expect(try Theme.named(theme.name) == theme, "run scripts/embed-themes.sh after editing \(file.lastPathComponent)")
    }

    @Test func aSeriesPaletteIsColoursOrStylesAndABadOneIsNamed() throws {
        let theme = try Theme.parse(yaml: "name: t\nroles: {text: {}, sparkline: {fg: cyan}}\nseries: [red, {bold: true}]\n", source: "t.yaml")
        #expect(theme.style(.series(0)).foreground == .indexed(1))
        #expect(theme.style(.series(1)).attributes.contains(.bold))
        #expect(theme.style(.series(2)).foreground == .indexed(1), "the palette repeats")
        let plain = try Theme.parse(yaml: "name: t\nroles: {text: {}, sparkline: {fg: cyan}}\n", source: "t.yaml")
        #expect(plain.style(.series(3)).foreground == .indexed(6), "without a palette, lines look like sparklines")
        #expect(throws: ThemeError(message: "t.yaml:3:15: series[1]: bad colour 'purpleish' (expected a name such as red, 0-255, or #rrggbb)")) {
            _ = try Theme.parse(yaml: "name: t\nroles: {text: {}}\nseries: [red, purpleish]\n", source: "t.yaml")
        }
    }

    @Test func monoHasNoColourAndMarksCriticalWithReverse() throws {
        let mono = try Theme.named("mono")
        #expect(mono.isMono)
        #expect(mono.style(.critical).attributes.contains(.reverse))
        #expect(try !Theme.named("default").isMono)
    }

    @Test func solarizedUsesThePublishedColours() throws {
        let theme = try Theme.named("solarized-dark")
        #expect(theme.style(.text).background == .rgb(0x00, 0x2B, 0x36))
        #expect(theme.style(.critical).foreground == .rgb(0xDC, 0x32, 0x2F))
        #expect(theme.style(.ok).foreground == .rgb(0x85, 0x99, 0x00))
    }

    @Test(arguments: [
        ("name: x\nroles:\n  text: {fg: grean}\n", "bad.yaml:3:14: roles.text.fg: bad colour 'grean' (expected a name such as red, 0-255, or #rrggbb)"),
        ("name: x\nroles:\n  text: {}\n  sparkles: {fg: red}\n", "bad.yaml:4:3: unknown role 'sparkles'"),
        ("name: x\nroles:\n  text: {fg: 256}\n", "bad.yaml:3:14: roles.text.fg: bad colour '256'"),
        ("name: x\nroles:\n  text: {bold: maybe}\n", "bad.yaml:3:16: roles.text.bold: expected true or false"),
        ("name: x\nroles:\n  text: {colour: red}\n", "bad.yaml:3:10: roles.text: unknown key 'colour'"),
        ("roles:\n  text: {}\n", "bad.yaml:1:1: missing 'name'"),
        ("name: x\nroles:\n  ok: {}\n", "bad.yaml:1:1: missing roles.text"),
        ("name: x\nrolez: {}\n", "bad.yaml:2:1: unknown key 'rolez'"),
        ("name: [unclosed\n", "bad.yaml:2:1: not valid YAML: did not find expected ',' or ']' while parsing a flow sequence"),
        ("", "bad.yaml: the file is empty"),
    ])
    func aBadThemeNamesTheFileTheLineTheColumnAndTheKey(yaml: String, message: String) {
        #expect {
            try Theme.parse(yaml: yaml, source: "bad.yaml")
        } throws: { error in
            (error as? ThemeError)?.message.hasPrefix(message) == true
        }
    }

    @Test func unknownThemeNamesListTheShippedOnes() {
        #expect(throws: ThemeError.self) { try Theme.named("neon") }
        #expect(throws: ThemeError(message: "/nonexistent/t.yaml: cannot read the theme file: No such file or directory")) { try Theme.named("/nonexistent/t.yaml") }
    }

    @Test(arguments: [
        ("red", Color.indexed(1)), ("bright-white", .indexed(15)), ("208", .indexed(208)), ("#ff8700", .rgb(255, 135, 0)),
        ("default", .default), ("DEFAULT", .default),
    ])
    func coloursParse(text: String, color: Color) {
        #expect(Color(parsing: text) == color)
    }

    @Test func coloursMapDownToWhatTheTerminalShows() {
        #expect(Color.rgb(255, 135, 0).mapped(to: .trueColor) == .rgb(255, 135, 0))
        #expect(Color.rgb(255, 135, 0).mapped(to: .colors256) == .indexed(208))
        // A deterministic mapping has one answer: the nearest palette entry.
        #expect(Color.rgb(0x00, 0x2B, 0x36).mapped(to: .colors256) == .indexed(234))
        #expect(Color.rgb(220, 50, 47).mapped(to: .colors16) == .indexed(1))
        #expect(Color.rgb(220, 50, 47).mapped(to: .colors8) == .indexed(1))
        #expect(Color.indexed(9).mapped(to: .colors8) == .indexed(1))
        #expect(Color.indexed(196).mapped(to: .colors8) == .indexed(1))
        #expect(Color.indexed(46).mapped(to: .colors16) == .indexed(10))
        #expect(Color.indexed(3).mapped(to: .mono) == .default)
        #expect(Color.default.mapped(to: .colors8) == .default)
    }

    @Test func noColorSelectsMono() throws {
        #expect(try Theme.select(requested: nil, environment: ["NO_COLOR": "1"]).name == "mono")
        #expect(try Theme.select(requested: "light", environment: ["NO_COLOR": "1"]).name == "mono")
        #expect(try Theme.select(requested: nil, environment: ["NO_COLOR": ""]).name == "default")
        #expect(try Theme.select(requested: "light", environment: [:]).name == "light")
    }
}
