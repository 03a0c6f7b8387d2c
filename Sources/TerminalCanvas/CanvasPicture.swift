import SafeText

/// A canvas as a picture, in a theme's colours with monospaced text: SVG for chat and incident notes, HTML for a
/// browser. The same cells the terminal shows; every text is escaped for XML.
public enum CanvasPicture {
    /// Pixels per cell, for a 14 px monospaced font.
    public static let cellWidth = 8.4
    public static let cellHeight = 17.0
    public static let fontSize = 14.0
    public static let fontFamily = "DejaVu Sans Mono, Menlo, Consolas, monospace"

    /// The terminal's own colours when a role says `default`: light text on dark, or dark text on light for a
    /// theme whose text is dark.
    static func defaults(_ theme: Theme) -> (foreground: String, background: String) {
        let text = theme.style(.text)
        if let bg = rgb(text.background) { return (rgb(text.foreground).map(hex) ?? "#d0d0d0", hex(bg)) }
        return theme.light ? ("#1d1f21", "#ffffff") : ("#d0d0d0", "#1c1c1c")
    }

    static func rgb(_ color: Color) -> (Int, Int, Int)? {
        switch color {
        case .default: return nil
        case .indexed(let i): return Color.rgbOf(index: i)
        case .rgb(let r, let g, let b): return (Int(r), Int(g), Int(b))
        }
    }

    static func hex(_ rgb: (Int, Int, Int)) -> String {
        "#" + [rgb.0, rgb.1, rgb.2].map { String(max(0, min(255, $0)), radix: 16).leftPadded(2) }.joined()
    }

    /// The colours and weight a cell is drawn with.
    struct Look: Equatable {
        var foreground: String
        var background: String
        var bold: Bool
        var dim: Bool
        var underline: Bool
    }

    static func look(_ style: Style, theme: Theme, defaults: (foreground: String, background: String)) -> Look {
        let role = theme.style(style.role)
        var fg = rgb(role.foreground).map(hex) ?? defaults.foreground
        var bg = rgb(role.background).map(hex) ?? defaults.background
        let attributes = role.attributes.union(style.attributes)
        if attributes.contains(.reverse) { swap(&fg, &bg) }
        return Look(foreground: fg, background: bg, bold: attributes.contains(.bold), dim: attributes.contains(.dim), underline: attributes.contains(.underline))
    }

    /// Runs of cells of one look on one row: (first column, columns, text, look).
    static func runs(_ canvas: Canvas, row y: Int, theme: Theme, defaults: (foreground: String, background: String)) -> [(Int, Int, String, Look)] {
        var runs: [(Int, Int, String, Look)] = []
        for x in 0..<canvas.width {
            let cell = canvas[x, y]
            if cell.isContinuation {
                if !runs.isEmpty { runs[runs.count - 1].1 += 1 }
                continue
            }
            let look = look(cell.style, theme: theme, defaults: defaults)
            if let last = runs.last, last.3 == look {
                runs[runs.count - 1].1 += 1
                runs[runs.count - 1].2 += cell.text
            } else {
                runs.append((x, 1, cell.text, look))
            }
        }
        return runs
    }

    /// `&`, `<`, `>`, `"` escaped; anything that is not plain text (there should be none in a canvas) dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in SafeText.sanitize(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    public static func svg(_ canvas: Canvas, theme: Theme) -> String {
        let defaults = defaults(theme)
        let width = Double(canvas.width) * cellWidth
        let height = Double(canvas.height) * cellHeight
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(number(width))" height="\#(number(height))" viewBox="0 0 \#(number(width)) \#(number(height))">"# + "\n"
        out += #"<rect width="100%" height="100%" fill="\#(defaults.background)"/>"# + "\n"
        out += #"<g font-family="\#(fontFamily)" font-size="\#(number(fontSize))" xml:space="preserve">"# + "\n"
        for y in 0..<canvas.height {
            let top = Double(y) * cellHeight
            let baseline = top + cellHeight * 0.78
            // Each row's glyphs stay in the row (a braille dot or a block drawn taller than the cell by the font would
            // cross into the panel below, or over its frame).
            out += #"<clipPath id="r\#(y)"><rect x="0" y="\#(number(top))" width="\#(number(width))" height="\#(number(cellHeight))"/></clipPath>"# + "\n"
            out += #"<g clip-path="url(#r\#(y))">"# + "\n"
            defer { out += "</g>\n" }
            for (x, columns, text, look) in runs(canvas, row: y, theme: theme, defaults: defaults) {
                if look.background != defaults.background {
                    out += #"<rect x="\#(number(Double(x) * cellWidth))" y="\#(number(top))" width="\#(number(Double(columns) * cellWidth))" height="\#(number(cellHeight))" fill="\#(look.background)"/>"# + "\n"
                }
                guard !text.allSatisfy({ $0 == " " }) else { continue }
                var attributes = #"x="\#(number(Double(x) * cellWidth))" y="\#(number(baseline))" fill="\#(look.foreground)""#
                attributes += #" textLength="\#(number(Double(columns) * cellWidth))" lengthAdjust="spacingAndGlyphs""#
                if look.bold { attributes += #" font-weight="bold""# }
                if look.dim { attributes += #" fill-opacity="0.6""# }
                if look.underline { attributes += #" text-decoration="underline""# }
                out += "<text \(attributes)>\(escape(text))</text>\n"
            }
        }
        out += "</g>\n</svg>\n"
        return out
    }

    public static func html(_ canvas: Canvas, theme: Theme, title: String) -> String {
        let defaults = defaults(theme)
        var out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(escape(title))</title>\n"
        out += "<style>body{margin:0;background:\(defaults.background)}pre{margin:0;padding:8px;font:\(number(fontSize))px/\(number(cellHeight))px \(fontFamily);color:\(defaults.foreground)}</style>\n"
        out += "</head><body><pre>"
        for y in 0..<canvas.height {
            for (_, _, text, look) in runs(canvas, row: y, theme: theme, defaults: defaults) {
                var css = ""
                if look.foreground != defaults.foreground { css += "color:\(look.foreground);" }
                if look.background != defaults.background { css += "background:\(look.background);" }
                if look.bold { css += "font-weight:bold;" }
                if look.dim { css += "opacity:0.6;" }
                if look.underline { css += "text-decoration:underline;" }
                out += css.isEmpty ? escape(text) : "<span style=\"\(css)\">\(escape(text))</span>"
            }
            out += "\n"
        }
        out += "</pre></body></html>\n"
        return out
    }
}
