import DashboardCore
import Foundation
@testable import LookoutUI
import PrometheusModels
import TerminalCanvas
import Testing

@Suite("Explore: the line editor")
struct LineEditorTests {
    /// (start text, keys, text after, cursor after)
    static let cases: [(String, [Key], String, Int)] = [
        ("", [.char("u"), .char("p")], "up", 2),
        ("up", [.left, .char("_")], "u_p", 2),
        ("rate(x)", [.home, .char("i")], "irate(x)", 1),
        ("rate(x)", [.ctrl("a"), .ctrl("e"), .char("!")], "rate(x)!", 8),
        ("abc", [.left, .left, .end, .backspace], "ab", 2),
        ("abc", [.home, .backspace], "abc", 0),
        ("abc", [.home, .ctrl("d")], "bc", 0),
        ("sum by (job) (up)", [.ctrl("w")], "sum by (job) ", 13),
        ("sum by (job) (up)", [.left, .left, .left, .left, .ctrl("u")], "(up)", 0),
        ("sum by (job) (up)", [.home, .right, .right, .right, .ctrl("k")], "sum", 3),
        ("x", [.right, .right, .left, .left, .left], "x", 0),
        ("日本", [.left, .char("の")], "日の本", 2),
    ]

    @Test(arguments: 0..<cases.count)
    func keysEditTheLine(index: Int) {
        let (start, keys, text, cursor) = Self.cases[index]
        var editor = LineEditor(start)
        for key in keys { _ = editor.handle(key) }
        #expect(editor.string == text, "\(start) + \(keys)")
        #expect(editor.cursor == cursor, "\(start) + \(keys)")
    }

    @Test func pastesLoseControlsAndNewlinesAndStopAtTheLimit() {
        var editor = LineEditor("a")
        editor.insert("b\nc\u{1B}[2Jd\te")
        #expect(editor.string == "ab c[2Jd e")
        editor.insert(String(repeating: "x", count: 10_000))
        #expect(editor.text.count == LineEditor.maxLength)
        #expect(!editor.handle(.tab) && !editor.handle(.enter) && !editor.handle(.up))
    }

    @Test func theVisiblePartFollowsTheCursor() {
        var editor = LineEditor(String(repeating: "a", count: 30) + "XYZ")
        #expect(editor.visible(width: 10) == ("aaaaaaXYZ", 9))
        _ = editor.handle(.home)
        #expect(editor.visible(width: 10) == ("aaaaaaaaaa", 0))
    }
}

@Suite("Explore: what the cursor completes")
struct CompletionContextTests {
    /// The query with `|` where the cursor is, and the context expected there.
    static let cases: [(String, CompletionContext)] = [
        ("|", .metricOrFunction(prefix: "")),
        ("up|", .metricOrFunction(prefix: "up")),
        ("rate(http_req|", .metricOrFunction(prefix: "http_req")),
        ("rate(http_req|uests_total[5m])", .metricOrFunction(prefix: "http_req")),
        ("sum(|", .metricOrFunction(prefix: "")),
        ("sum(rate(x[5m])) + |", .metricOrFunction(prefix: "")),
        ("sum(rate(x[5m])) / su|", .metricOrFunction(prefix: "su")),
        ("histogram_quantile(0.95, |", .metricOrFunction(prefix: "")),
        ("histogram_quantile(0.9|", .none),
        ("http_requests_total{|", .labelName(metric: "http_requests_total", prefix: "")),
        ("http_requests_total{ser|", .labelName(metric: "http_requests_total", prefix: "ser")),
        ("http_requests_total{service=\"a\", |", .labelName(metric: "http_requests_total", prefix: "")),
        ("http_requests_total{service=\"a\",st|", .labelName(metric: "http_requests_total", prefix: "st")),
        ("{__name__=~\"http.*\", jo|", .labelName(metric: nil, prefix: "jo")),
        ("rate(http_requests_total{|}[5m])", .labelName(metric: "http_requests_total", prefix: "")),
        ("http_requests_total {|", .labelName(metric: "http_requests_total", prefix: "")),
        ("http_requests_total{service=\"|", .labelValue(metric: "http_requests_total", label: "service", prefix: "")),
        ("http_requests_total{service=\"pay|", .labelValue(metric: "http_requests_total", label: "service", prefix: "pay")),
        ("http_requests_total{service!=\"pay|", .labelValue(metric: "http_requests_total", label: "service", prefix: "pay")),
        ("http_requests_total{service=~\"pay|", .labelValue(metric: "http_requests_total", label: "service", prefix: "pay")),
        ("http_requests_total{service!~'us|", .labelValue(metric: "http_requests_total", label: "service", prefix: "us")),
        ("x{a=\"1\", service=\"o|", .labelValue(metric: "x", label: "service", prefix: "o")),
        ("x{a=\"a\\\"b|", .labelValue(metric: "x", label: "a", prefix: "a\\\"b")),
        ("x{a=\"1\"}|", .none),
        ("x{a=|", .none),
        ("rate(x[|", .duration(prefix: "")),
        ("rate(x[5|", .duration(prefix: "5")),
        ("rate(x[5m|", .duration(prefix: "5m")),
        ("rate(x[5m:|", .duration(prefix: "")),
        ("sum by (|", .labelName(metric: nil, prefix: "")),
        ("sum by (serv|", .labelName(metric: nil, prefix: "serv")),
        ("sum without(job, |", .labelName(metric: nil, prefix: "")),
        ("a / on(|", .labelName(metric: nil, prefix: "")),
        ("a * ignoring (inst|", .labelName(metric: nil, prefix: "inst")),
        ("a * on(x) group_left(|", .labelName(metric: nil, prefix: "")),
        ("sum by (service) (|", .metricOrFunction(prefix: "")),
        ("label_replace(up, \"dst|", .none),
        ("up offset 5|", .none),
        ("up)|", .none),
        ("1.5|", .none),
    ]

    @Test(arguments: 0..<cases.count)
    func theContextAtTheCursor(index: Int) {
        let (marked, expected) = Self.cases[index]
        let cursor = marked.distance(from: marked.startIndex, to: marked.firstIndex(of: "|") ?? marked.endIndex)
        let query = marked.replacingOccurrences(of: "|", with: "")
        #expect(CompletionContext.at(query, cursor: cursor) == expected, "\(marked)")
    }

    @Test func choicesPreferPrefixesThenContaining() {
        let names = ["http_requests_total", "http_request_duration_seconds_bucket", "go_http_total", "up"]
        #expect(CompletionChoices.filter(names, prefix: "http_req") == ["http_request_duration_seconds_bucket", "http_requests_total"])
        #expect(CompletionChoices.filter(names, prefix: "http") == ["http_request_duration_seconds_bucket", "http_requests_total", "go_http_total"])
        #expect(CompletionChoices.filter(names, prefix: "up") == [], "the word already typed is not a choice")
        // A whole duration typed: no other that merely contains it (Enter after 5m must not take 15m).
        #expect(CompletionChoices.filter(CompletionChoices.durations, prefix: "5m") == [])
        #expect(CompletionChoices.filter(CompletionChoices.durations, prefix: "1") == ["10m", "12h", "15m", "1d", "1h", "1m"])
        #expect(CompletionChoices.filter(CompletionChoices.durations, prefix: "h") == ["12h", "1h", "3h", "6h"])
    }
}

@Suite("Explore: the screen and the command line")
struct ExploreScreenTests {
    static let start = Date(timeIntervalSince1970: 1_000_000)

    func app() -> AppState {
        var model = DashboardState(dashboard: .microservices, server: "p:9090", now: Self.start)
        model.columns = 80
        return AppState(model: model, history: ["up", "rate(x[5m])"])
    }

    func type(_ text: String, _ app: inout AppState) -> [DashboardEffect] {
        text.flatMap { app.update(.key(.char($0))) }
    }

    var explore: (AppState) -> ExploreScreen? { { $0.top as? ExploreScreen } }

    @Test func commandsOpenScreensAndUnknownOnesAreAnswered() {
        var app = app()
        _ = app.update(.key(.char(":")))
        _ = type("exp", &app)
        _ = app.update(.key(.tab))
        #expect(app.commandLine?.string == "explore ")
        _ = app.update(.key(.enter))
        #expect(app.top is ExploreScreen)
        #expect(app.commandLine == nil)
        _ = app.update(.key(.escape))
        for (line, check) in [("alerts", { (a: AppState) in a.top is AlertListScreen }), ("help", { $0.showHelp })] {
            var a = self.app()
            _ = a.update(.key(.char(":")))
            _ = type(line, &a)
            _ = a.update(.key(.enter))
            #expect(check(a), "\(line)")
        }
        var deep = self.app()
        _ = deep.update(.key(.char("a")))
        _ = deep.update(.key(.char(":")))
        _ = type("dashboard", &deep)
        _ = deep.update(.key(.enter))
        #expect(deep.stack.count == 1)
        var q = self.app()
        _ = q.update(.key(.char(":")))
        _ = type("q", &q)
        #expect(q.update(.key(.enter)) == [.quit])
        var unknown = self.app()
        _ = unknown.update(.key(.char(":")))
        _ = type("frobnicate", &unknown)
        _ = unknown.update(.key(.enter))
        #expect(unknown.notice == "unknown command 'frobnicate' (commands: explore, alerts, history, health, rules, silences, targets, ctx, dashboard, help, quit)")
        _ = unknown.update(.key(.char("r")))
        #expect(unknown.notice == nil, "a notice lasts until the next key")
    }

    @Test func exploreWithAQueryRunsItAndRemembersIt() {
        var app = app()
        _ = app.update(.key(.char(":")))
        _ = type("explore sum(up)", &app)
        let effects = app.update(.key(.enter))
        let id = app.screenIDs.last ?? -1
        #expect(effects == [.request(screen: id, id: 1, .rangeQuery("sum(up)", rangeSeconds: 3600, points: 136)), .appendHistory("sum(up)")])
        #expect(app.history == ["up", "rate(x[5m])", "sum(up)"])
        let result = QueryResult.matrix([SampleStream(metric: ["job": "a"], values: [SamplePair(timestamp: 999_990, value: 2)])])
        _ = app.update(.response(screen: id, id: 1, .result(result, warnings: [])))
        #expect(explore(app)?.outcome?.result == result)
        #expect(explore(app)?.focus == .results)
        // An answer for a screen that is gone is dropped.
        _ = app.update(.key(.escape))
        #expect(app.update(.response(screen: id, id: 1, .result(result, warnings: []))) == [])
    }

    @Test func aResultFollowsTheDashboardsWindowAndSaysWhichItIs() throws {
        var app = app()
        _ = app.update(.key(.char(":")))
        _ = type("explore sum(up)", &app)
        _ = app.update(.key(.enter))
        let id = app.screenIDs.last ?? -1
        let result = QueryResult.matrix([SampleStream(metric: ["job": "a"], values: [SamplePair(timestamp: 999_990, value: 2)])])
        _ = app.update(.response(screen: id, id: 1, .result(result, warnings: [])))
        // `[` in the results goes to the dashboard; explore runs its query again over the pinned window, without
        // adding it to the history a second time.
        let effects = app.update(.key(.char("[")))
        let end = try #require(app.model.pinnedEnd)
        #expect(effects.filter { if case .fetch = $0 { false } else { true } } == [.request(screen: id, id: 2, .rangeQuery("sum(up)", rangeSeconds: 3600, points: 136, end: end))])
        _ = app.update(.response(screen: id, id: 2, .result(result, warnings: [])))
        #expect(explore(app)?.outcome?.end == end && explore(app)?.outcome?.pinned == true)
        var canvas = Canvas(width: 80, height: 24)
        AppView.render(app, into: &canvas)
        let window = ClockFormat.short(end.addingTimeInterval(-3600), now: app.model.now, utc: false) + " → " + ClockFormat.short(end, now: app.model.now, utc: false)
        #expect(canvas.lines.contains { $0.contains("1 series  " + window) })
        // While a query is being edited, the window moving does not run it.
        var editing = try #require(explore(app))
        editing.focus = .editor
        #expect(editing.windowChanged(context: app.context()).isEmpty)
    }

    @Test func digitsToggleTheChartsSeriesUntilAnotherQuery() {
        var app = app()
        _ = app.update(.key(.char(":")))
        _ = type("explore up", &app)
        _ = app.update(.key(.enter))
        let id = app.screenIDs.last ?? -1
        let result = QueryResult.matrix([
            SampleStream(metric: ["job": "a"], values: [SamplePair(timestamp: 999_990, value: 1)]),
            SampleStream(metric: ["job": "b"], values: [SamplePair(timestamp: 999_990, value: 2)]),
        ])
        _ = app.update(.response(screen: id, id: 1, .result(result, warnings: [])))
        // Numbered by last value, largest first: 1 is job="b".
        _ = app.update(.key(.char("1")))
        #expect(explore(app)?.hidden == [#"job="b""#])
        _ = app.update(.key(.char("3")))
        #expect(app.notice == "the chart has no series 3")
        _ = app.update(.key(.char("r")))
        _ = app.update(.response(screen: id, id: 2, .result(result, warnings: [])))
        #expect(explore(app)?.hidden == [#"job="b""#], "the same query again keeps what was hidden")
        _ = app.update(.key(.char("e")))
        _ = app.update(.key(.ctrl("u")))
        _ = type("sum(up)", &app)
        _ = app.update(.key(.enter))
        _ = app.update(.response(screen: id, id: 3, .result(result, warnings: [])))
        #expect(explore(app)?.hidden == [])
    }

    @Test func eOnThePanelExploresItsQueryWithVariablesSubstituted() {
        var app = app()
        _ = app.update(.key(.tab))
        let effects = app.update(.key(.char("e")))
        let expr = Dashboard.microservices.panels[1].targets[0].expr
        #expect(explore(app)?.editor.string == expr.replacingOccurrences(of: "\n", with: " "))
        #expect(effects.contains { if case .request(_, _, .rangeQuery) = $0 { true } else { false } })
    }

    @Test func tabAsksForNamesOnceAMinuteAndTypingNarrowsTheChoices() {
        var app = app()
        _ = app.update(.key(.char(":")))
        _ = type("explore", &app)
        _ = app.update(.key(.enter))
        _ = type("rate(http_req", &app)
        let id = app.screenIDs.last ?? -1
        #expect(app.update(.key(.tab)) == [.request(screen: id, id: 1, .metricNames)])
        #expect(explore(app)?.popup?.waiting == true)
        _ = app.update(.response(screen: id, id: 1, .names(["http_requests_total", "http_request_duration_seconds_count", "up"])))
        #expect(explore(app)?.popup?.choices == ["http_request_duration_seconds_count", "http_requests_total"])
        _ = type("uests", &app)
        #expect(explore(app)?.popup?.choices == ["http_requests_total"], "typing narrows")
        _ = app.update(.key(.enter))
        #expect(explore(app)?.editor.string == "rate(http_requests_total")
        #expect(explore(app)?.popup == nil)
        // Cached: the next Tab asks nothing.
        _ = type("{service=\"", &app)
        #expect(app.update(.key(.tab)) == [.request(screen: id, id: 2, .labelValues("service", matching: "http_requests_total"))])
        _ = app.update(.response(screen: id, id: 2, .names(["order-service", "payment-service"])))
        _ = app.update(.key(.down))
        _ = app.update(.key(.tab))
        #expect(explore(app)?.editor.string == "rate(http_requests_total{service=\"payment-service\"")
        _ = app.update(.key(.ctrl("u")))
        _ = type("ra", &app)
        #expect(app.update(.key(.tab)) == [], "metric names are still fresh")
        #expect(explore(app)?.popup?.choices.contains("rate") == true)
        _ = app.update(.key(.escape))
        app.model.now = Self.start.addingTimeInterval(61)
        #expect(app.update(.key(.tab)) == [.request(screen: id, id: 3, .metricNames)], "a minute later they are asked again")
    }

    @Test func aParseErrorPutsTheCaretWherePrometheusSays() {
        var app = app()
        _ = app.update(.key(.char(":")))
        _ = type("explore rate(x[5m]", &app)
        _ = app.update(.key(.enter))
        let id = app.screenIDs.last ?? -1
        _ = app.update(.response(screen: id, id: 1, .failure(#"Prometheus API error bad_data (HTTP 400): invalid parameter "query": 1:11: parse error: unclosed left parenthesis"#)))
        #expect(explore(app)?.problem == ExploreScreen.Problem(message: "1:11: parse error: unclosed left parenthesis", caret: 10))
        #expect(ExploreScreen.caret(in: "1:3: parse error: x", query: "日本x") == 1, "columns count bytes")
    }

    @Test func upAndDownWalkTheHistoryOnAnUneditedLine() {
        var app = app()
        _ = app.update(.key(.char(":")))
        _ = type("explore", &app)
        _ = app.update(.key(.enter))
        _ = app.update(.key(.up))
        #expect(explore(app)?.editor.string == "rate(x[5m])")
        _ = app.update(.key(.up))
        _ = app.update(.key(.up))
        #expect(explore(app)?.editor.string == "up")
        _ = app.update(.key(.down))
        _ = app.update(.key(.down))
        #expect(explore(app)?.editor.string == "")
        _ = type("x", &app)
        _ = app.update(.key(.up))
        #expect(explore(app)?.editor.string == "x", "an edited line is not replaced")
    }

    @Test func aPasteGoesIntoTheQuery() {
        var app = app()
        _ = app.update(.key(.char(":")))
        _ = type("explore", &app)
        _ = app.update(.key(.enter))
        _ = app.update(.paste("sum(\nup)"))
        #expect(explore(app)?.editor.string == "sum( up)")
    }
}
