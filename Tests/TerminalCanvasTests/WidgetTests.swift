import SafeText
import TerminalCanvas
import Testing

/// Each generic widget drawn alone, with untouched cells filled with "x".
@Suite("Widgets")
struct WidgetTests {
    func canvas(_ width: Int, _ height: Int) -> Canvas { Canvas(width: width, height: height, fill: Cell("x")) }

    @Test func aPanelFrameHasItsTitleOnTheTopEdge() {
        var c = canvas(16, 4)
        let inner = PanelFrame(title: "Errors", badge: ("CRIT", .critical)).draw(into: &c, area: Rect(x: 0, y: 0, width: 16, height: 4))
        #expect(c.lines == ["┌ Errors  CRIT ┐", "│xxxxxxxxxxxxxx│", "│xxxxxxxxxxxxxx│", "└──────────────┘"])
        #expect(inner == Rect(x: 1, y: 1, width: 14, height: 2))
        #expect(c[9, 0].style.role == .critical && c[2, 0].style.role == .title && c[0, 1].style.role == .border)
        var a = canvas(10, 3)
        PanelFrame(title: "A long title", focused: true, ascii: true).render(into: &a, area: a.bounds)
        #expect(a.lines == ["+ A long +", "|xxxxxxxx|", "+--------+"])
        #expect(a[0, 0].style.role == .focus)
        var heavy = canvas(6, 3)
        PanelFrame(title: "", focused: true).render(into: &heavy, area: heavy.bounds)
        #expect(heavy.lines == ["┏━━━━┓", "┃xxxx┃", "┗━━━━┛"], "no title, no gap")
    }

    @Test func aFrameTooSmallDrawsNothing() {
        var c = canvas(3, 1)
        let inner = PanelFrame(title: "x").draw(into: &c, area: c.bounds)
        #expect(inner.isEmpty)
        #expect(c.lines == ["xxx"])
    }

    @Test func aSparklineDrawsLevelsGapsAndClampedColumns() {
        var c = canvas(8, 1)
        let columns: [Sparkline.Column] = [
            .init(level: 0), .init(level: 7, role: .critical), .init(level: nil), .init(level: nil),
            .init(level: 7, clamped: true), .init(level: 4, role: .warning),
        ]
        Sparkline(columns: columns).render(into: &c, area: Rect(x: 1, y: 0, width: 6, height: 1))
        #expect(c.lines == ["x▁█  ↑▅x"])
        #expect([c[2, 0], c[5, 0], c[6, 0]].map(\.style.role) == [.critical, .clamped, .warning])
        var a = canvas(4, 1)
        Sparkline(columns: [0, 2, 5, 7].map { .init(level: $0) } + [.init(level: 0, clamped: true)], ascii: true).render(into: &a, area: a.bounds)
        #expect(a.lines == ["_-+#"], "clipped to the area")
        #expect(Sparkline.text(levels: [0, nil, 7], ascii: false) == "▁ █")
    }

    @Test func aLineChartJoinsPointsInBrailleAndDrawsRulesAndAxes() {
        var c = Canvas(width: 20, height: 5)
        let labels = (top: "10", bottom: "0")
        let dots = LineChart.dotColumns(width: 20, yLabels: labels, ascii: false)
        #expect(dots == 34)
        let rising = (0..<dots).map { LineChart.Point(value: Double($0) / Double(dots - 1) * 10, role: $0 > 30 ? .critical : .sparkline) }
        LineChart(series: [rising], low: 0, high: 10, rules: [(5, .warning, "")], yLabels: labels, xLabels: ("-1h", "-30m", "now"))
            .render(into: &c, area: c.bounds)
        let lines = c.trimmedLines
        #expect(lines[0].hasPrefix("10 "))
        #expect(lines[3].hasPrefix(" 0 ⣀"), "the line starts at the bottom left: \(lines[3])")
        #expect(lines[4] == "   -1h           now")
        #expect(c[19, 0].style.role == .critical, "the top right is the critical end of the line")
        #expect((3..<20).contains { c[$0, 1].text == "╌" || c[$0, 2].text == "╌" }, "the warning rule")
        var a = Canvas(width: 20, height: 5)
        LineChart(series: [[LineChart.Point(value: 10), nil, LineChart.Point(value: 0)]], low: 0, high: 10, yLabels: labels, xLabels: ("-1h", "", "now"), ascii: true)
            .render(into: &a, area: a.bounds)
        #expect(a.trimmedLines[0] == "10 *", "ASCII marks points, one per column")
        #expect(a.trimmedLines[3] == " 0   *")
        var labelled = Canvas(width: 40, height: 5)
        LineChart(series: [], low: 0, high: 10, rules: [(5, .critical, "5.0 %")], yLabels: labels, xLabels: ("-1h", "", "now"))
            .render(into: &labelled, area: labelled.bounds)
        let rule = labelled.trimmedLines.firstIndex { $0.contains("╌") } ?? -1
        #expect(rule >= 0 && labelled.trimmedLines[rule].hasSuffix(" 5.0 %") && labelled.trimmedLines[rule].contains("╌"), "a threshold line says its value at its right end")
        #expect(labelled[38, max(0, rule)].style.role == .critical)
    }

    @Test func tilesFillColumnByColumnAndCountTroubleInTheOverflow() {
        var c = canvas(52, 2)
        let tiles = [
            TileGrid.Tile(marker: "✖", name: "payment-service", word: "DOWN", role: .critical, isTrouble: true),
            TileGrid.Tile(marker: "●", name: "order-service", word: "UP", role: .ok, isTrouble: false),
            TileGrid.Tile(marker: "◐", name: "user-service", word: "1/2 UP", role: .warning, isTrouble: true),
        ]
        TileGrid(tiles: tiles).render(into: &c, area: c.bounds)
        #expect(c.trimmedLines == ["✖ payment-service DOWN    ◐ user-service    1/2 UP", "● order-service   UP"])
        var small = canvas(28, 2)
        var five = (1...5).map { TileGrid.Tile(marker: "+", name: "svc-\($0)", word: "UP", role: .ok, isTrouble: false) }
        five[4].isTrouble = true
        TileGrid(tiles: five, ascii: true).render(into: &small, area: small.bounds)
        #expect(small.trimmedLines == ["+ svc-1 UP    + svc-3 UP", "+ svc-2 UP    +2 more"])
        #expect(small[14, 1].style.role == .critical, "a hidden tile in trouble makes the overflow critical")
    }

    @Test func theStatusLineDropsTheLeastImportantPartsFirst() {
        let parts = [
            StatusLine.Part("Title", priority: 4), StatusLine.Part("server", priority: 1), StatusLine.Part("range 1h", priority: 2),
            StatusLine.Part("every 15s", priority: 6), StatusLine.Part("? help", priority: 5, rightAligned: true),
        ]
        var wide = Canvas(width: 60, height: 1)
        StatusLine(parts: parts).render(into: &wide, area: wide.bounds)
        #expect(wide.trimmedLines == [" Title   server   range 1h   every 15s               ? help"])
        var narrow = Canvas(width: 24, height: 1)
        StatusLine(parts: parts + [StatusLine.Part("DOWN", role: .statusError, priority: 0)]).render(into: &narrow, area: narrow.bounds)
        // Every 15s, help, the title and the range go, in that order; the server and the trouble stay.
        #expect(narrow.trimmedLines == [" server   DOWN"])
        #expect(narrow[10, 0].style.role == .statusError && narrow[1, 0].style.role == .statusBar)
    }

    @Test func keyHelpListsSectionsInABox() {
        var c = Canvas(width: 40, height: 10)
        KeyHelp(sections: [
            KeyHelp.Section(title: "Here", rows: [("Enter", "open")]),
            KeyHelp.Section(title: "Everywhere", rows: [("q, Ctrl-C", "quit")]),
        ]).render(into: &c, area: c.bounds)
        let text = c.lines.joined(separator: "\n")
        #expect(text.contains("Enter      open") && text.contains("q, Ctrl-C  quit") && text.contains("Everywhere"))
        #expect(c.trimmedLines.contains { $0.contains("┌ Keys ") })
    }

    @Test func wrappedTextBreaksAtSpaces() {
        var c = Canvas(width: 10, height: 3)
        WrappedText("query failed: connection refused", role: .critical).render(into: &c, area: c.bounds)
        #expect(c.trimmedLines == ["query", "failed:", "connection"])
        #expect(c[0, 0].style.role == .critical)
    }

    @Test func theClipboardSequenceIsOSC52WithSanitisedBase64() {
        #expect(Clipboard.sequence("https://x/a") == "\u{1B}]52;c;aHR0cHM6Ly94L2E=\u{07}")
        // An escape inside the text cannot end the sequence early: it is sanitised before encoding.
        let hostile = Clipboard.sequence("a\u{07}\u{1B}]0;title\u{07}")
        #expect(hostile.dropFirst(7).dropLast().allSatisfy { $0.isLetter || $0.isNumber || "+/=".contains($0) })
        #expect(Clipboard.sequence(String(repeating: "x", count: 100_000)).count < Clipboard.limit * 4 / 3 + 16)
    }
}

@Suite("Canvas pictures")
struct CanvasPictureTests {
    @Test func svgAndHTMLEscapeTextAndUseTheThemesColours() throws {
        var canvas = Canvas(width: 12, height: 2)
        canvas.put("a<b&\"c\"", x: 0, y: 0, style: Style(.critical))
        canvas.put("ok", x: 0, y: 1, style: Style(.statusBar))
        let theme = try Theme.named("default")
        let svg = CanvasPicture.svg(canvas, theme: theme)
        #expect(svg.contains(">a&lt;b&amp;&quot;c&quot;</text>"))
        #expect(svg.contains(##"fill="#ff0000""##), "critical is bright red in the default theme")
        #expect(svg.contains(##"<rect x="0" y="17" width="16.8" height="17" fill="#87afd7"/>"##), "the status bar's background under its text")
        #expect(!svg.contains("\u{1B}"))
        let html = CanvasPicture.html(canvas, theme: theme, title: "<t>")
        #expect(html.contains("<title>&lt;t&gt;</title>") && html.contains("a&lt;b&amp;&quot;c&quot;"))
        let light = CanvasPicture.svg(canvas, theme: try Theme.named("light"))
        #expect(light.contains(##"<rect width="100%" height="100%" fill="#ffffff"/>"##), "a light theme on a light page")
    }
}

/// Long texts (an error, a URL, an annotation) wrap at spaces and a word longer than a line is cut into pieces, never
/// lost; the first line keeps its indentation.
@Suite("Wrapped lines")
struct WrappedLinesTests {
    @Test(arguments: [
        ("short", 10, ["short"]),
        ("  key = value", 40, ["  key = value"]),
        ("  dial tcp 10.0.0.1:3000: connect: connection refused", 20, ["  dial tcp", "10.0.0.1:3000:", "connect: connection", "refused"]),
        ("http://payment-service:3000/metrics", 10, ["http://pay", "ment-servi", "ce:3000/me", "trics"]),
        ("aaaaaaaaaa bb", 5, ["aaaaa", "aaaaa", "bb"]),
        ("你好世界你好", 5, ["你好", "世界", "你好"]),
    ] as [(String, Int, [String])])
    func lines(text: String, width: Int, expected: [String]) {
        let lines = WrappedText.lines(text, width: width)
        #expect(lines == expected)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= width })
        #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " }, "nothing is lost")
    }
}
