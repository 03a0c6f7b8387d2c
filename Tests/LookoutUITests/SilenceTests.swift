import DashboardCore
import Foundation
@testable import LookoutUI
import PrometheusModels
import TerminalCanvas
import Testing

/// Silences from the TUI: the form `S` opens, what it sends, what it keeps when Alertmanager says no; the list's
/// expire and extend; read-only and no-Alertmanager refusals.
@Suite("Silences: the form and the list")
struct SilenceTests {
    static let now = Date(timeIntervalSince1970: 1_795_615_999)

    static func model(available: Bool = true, readOnly: Bool = false) -> DashboardState {
        var model = DashboardState(dashboard: .microservices, server: "p", now: now)
        model.silences = SilencesState(available: available, readOnly: readOnly, author: "oncall@bastion")
        let alerts = [
            Alert(labels: ["alertname": "HighErrorRate", "service": "payment-service", "severity": "critical"], state: .firing, activeAt: now),
            Alert(labels: ["alertname": "PodCrashLooping", "pod": "payment-7d9f", "namespace": "shop", "severity": "critical"], state: .firing, activeAt: now),
        ]
        _ = model.update(.alertsLoaded(generation: 0, items: AlertItem.sorted(alerts), error: nil, at: now))
        return model
    }

    /// The app with the alert list open and `S` pressed on its first alert.
    static func form(_ model: DashboardState = model()) -> (AppState, [DashboardEffect]) {
        var app = AppState(model: model)
        _ = app.update(.key(.char("a")))
        let effects = app.update(.key(.char("S")))
        return (app, effects)
    }

    static func type(_ text: String, into app: inout AppState) {
        for c in text { _ = app.update(.key(.char(c))) }
    }

    @Test func sOpensTheFormPrefilledAndCountsWhatItSelects() throws {
        let (app, effects) = Self.form()
        let form = try #require(app.top as? SilenceFormScreen)
        #expect(form.matchers.map(\.matcher) == [
            SilenceMatcher(name: "alertname", value: "HighErrorRate"), SilenceMatcher(name: "service", value: "payment-service"),
        ])
        #expect(form.focus == .comment && form.duration.string == "1h" && form.author.string == "oncall@bastion")
        #expect(effects == [.request(screen: app.screenIDs.last ?? -1, id: 101, .alertsMatching(form.matchers.map(\.matcher)))])
    }

    @Test func aPodAlertIsSilencedByPodAndNamespace() {
        let item = AlertItem(Alert(labels: ["alertname": "PodCrashLooping", "pod": "p-1", "namespace": "shop", "severity": "critical"], state: .firing, activeAt: nil))
        #expect(Silencing.matchers(for: item).map(\.text) == [#"alertname="PodCrashLooping""#, #"pod="p-1""#, #"namespace="shop""#])
    }

    @Test func sCommentEnterSavesForAnHourAndTheAlertIsFetchedAgain() throws {
        var (app, _) = Self.form()
        let screen = app.screenIDs.last ?? -1
        Self.type("rolling back 1.4.2 (q quits? no)", into: &app)
        #expect(app.stack.count == 3, "letters typed into the form stay in it: q did not quit or pop")
        let effects = app.update(.key(.enter))
        let draft = SilenceDraft(
            matchers: [SilenceMatcher(name: "alertname", value: "HighErrorRate"), SilenceMatcher(name: "service", value: "payment-service")],
            startsAt: Self.now, endsAt: Self.now.addingTimeInterval(3600), createdBy: "oncall@bastion", comment: "rolling back 1.4.2 (q quits? no)")
        #expect(effects == [.request(screen: screen, id: 1, .saveSilence(draft))])
        #expect(app.update(.key(.enter)) == [], "a second Enter while saving sends nothing")
        let after = app.update(.response(screen: screen, id: 1, .saved(id: "abc-123")))
        #expect(app.top is AlertListScreen, "the form closes")
        #expect(after.contains(.rememberAuthor("oncall@bastion")), "the author is kept for the next silence")
        #expect(after.contains { if case .fetch = $0 { true } else { false } }, "a refresh shows SIL at once")
        #expect(app.notice?.contains("for 1h (silence abc-123)") == true, "\(app.notice ?? "")")
    }

    @Test func anErrorIsOneLineAndTheFormKeepsWhatWasTyped() throws {
        var (app, _) = Self.form()
        let screen = app.screenIDs.last ?? -1
        Self.type("deploying", into: &app)
        _ = app.update(.key(.enter))
        _ = app.update(.response(screen: screen, id: 1, .failure("rejected (HTTP 400): silence invalid: invalid label matcher 0")))
        let form = try #require(app.top as? SilenceFormScreen)
        #expect(form.problem == "not saved: rejected (HTTP 400): silence invalid: invalid label matcher 0")
        #expect(form.comment.string == "deploying" && !form.saving)
    }

    @Test func nothingIsSentWithoutAComment() throws {
        var (app, _) = Self.form()
        #expect(app.update(.key(.enter)) == [])
        #expect((app.top as? SilenceFormScreen)?.problem?.hasPrefix("a comment is required") == true)
    }

    @Test func tabMovesAndTheDurationStepsThroughThePresets() throws {
        var (app, _) = Self.form()
        _ = app.update(.key(.tab))
        #expect((app.top as? SilenceFormScreen)?.focus == .duration)
        _ = app.update(.key(.up))
        #expect((app.top as? SilenceFormScreen)?.duration.string == "4h")
        _ = app.update(.key(.up))
        _ = app.update(.key(.up))
        #expect((app.top as? SilenceFormScreen)?.duration.string == "1d")
        _ = app.update(.key(.down))
        #expect((app.top as? SilenceFormScreen)?.duration.string == "4h")
        for _ in 0..<3 { _ = app.update(.key(.backspace)) }
        Self.type("90m", into: &app)
        let form = try #require(app.top as? SilenceFormScreen)
        #expect(try form.seconds.get() == 5400)
        for key: Key in [.backspace, .backspace, .backspace] { _ = app.update(.key(key)) }
        Self.type("soon", into: &app)
        #expect((app.top as? SilenceFormScreen)?.seconds.failureMessage?.hasPrefix("duration 'soon'") == true)
    }

    @Test func aMatcherCanBeMadeARegexNegatedOrRemovedAndTheCountIsAskedAgain() throws {
        var (app, _) = Self.form()
        let screen = app.screenIDs.last ?? -1
        for _ in 0..<4 { _ = app.update(.key(.tab)) }  // comment, duration, author, alertname, service
        #expect((app.top as? SilenceFormScreen)?.focus == .matcher(1))
        for _ in 0..<"payment-service".count { _ = app.update(.key(.backspace)) }
        Self.type("pay.*", into: &app)
        let effects = app.update(.key(.ctrl("r")))
        let regex = SilenceMatcher(name: "service", value: "pay.*", isRegex: true)
        #expect(effects == [.request(screen: screen, id: 122, .alertsMatching([SilenceMatcher(name: "alertname", value: "HighErrorRate"), regex]))])
        _ = app.update(.key(.ctrl("n")))
        #expect((app.top as? SilenceFormScreen)?.matchers[1].matcher.text == #"service!~"pay.*""#)
        _ = app.update(.key(.ctrl("x")))
        _ = app.update(.key(.ctrl("x")))
        let form = try #require(app.top as? SilenceFormScreen)
        #expect(form.matchers.count == 1 && form.problem == "a silence needs at least one matcher")
        // An answer to an older count is dropped.
        _ = app.update(.response(screen: screen, id: 101, .alertCount(9, active: 9)))
        #expect((app.top as? SilenceFormScreen)?.selected == nil)
    }

    /// A count that failed (an invalid regex) says so until the matchers change, instead of "counting…" for ever.
    @Test func aFailedCountSaysWhyUntilTheMatchersChange() throws {
        var (app, _) = Self.form()
        let screen = app.screenIDs.last ?? -1
        let id = try #require((app.top as? SilenceFormScreen)?.countRequest)
        _ = app.update(.response(screen: screen, id: id, .failure("invalid regex 'pay(': missing )")))
        _ = app.update(.key(.char("x")))
        var canvas = Canvas(width: 120, height: 30)
        AppView.render(app, into: &canvas)
        let text = canvas.trimmedLines.joined(separator: "\n")
        #expect(text.contains("cannot count the alerts it selects: invalid regex 'pay(': missing )"), "\(text)")
        #expect(!text.contains("counting the alerts"))
        for _ in 0..<4 { _ = app.update(.key(.tab)) }
        _ = app.update(.key(.char("y")))
        #expect((app.top as? SilenceFormScreen)?.countFailure == nil, "a new count is asked for")
    }

    @Test func readOnlyAndNoAlertmanagerRefuseAndSaySo() {
        let (readOnly, _) = Self.form(Self.model(readOnly: true))
        #expect(readOnly.top is AlertListScreen)
        #expect(readOnly.notice == "read-only: lookout was started with --read-only, so silences cannot be changed")
        let (none, _) = Self.form(Self.model(available: false))
        #expect(none.notice == "silences need an Alertmanager: start lookout with --alertmanager-url")
    }

    static func listApp(readOnly: Bool = false) -> AppState {
        var model = model(readOnly: readOnly)
        model.silences.items = [
            Silence(id: "s-1", matchers: [SilenceMatcher(name: "alertname", value: "HighErrorRate")], startsAt: now.addingTimeInterval(-60),
                    endsAt: now.addingTimeInterval(600), createdBy: "alice", comment: "fix", state: .active),
            Silence(id: "s-old", matchers: [SilenceMatcher(name: "alertname", value: "X")], startsAt: now.addingTimeInterval(-200_000),
                    endsAt: now.addingTimeInterval(-100_000), createdBy: "bob", comment: "", state: .expired),
        ]
        var app = AppState(model: model)
        for key in [Key.char(":")] + "silences".map({ Key.char($0) }) + [.enter] { _ = app.update(.key(key)) }
        return app
    }

    @Test func theListLeavesOutSilencesThatEndedOverADayAgo() {
        let app = Self.listApp()
        #expect(app.top is SilenceListScreen)
        #expect(Silencing.listed(app.model.silences.items, now: Self.now).map(\.id) == ["s-1"])
    }

    @Test func xAsksThenExpires() {
        var app = Self.listApp()
        let screen = app.screenIDs.last ?? -1
        #expect(app.update(.key(.char("x"))) == [])
        #expect((app.top as? SilenceListScreen)?.mode == .confirmExpire(id: "s-1"))
        #expect(app.update(.key(.char("n"))) == [])
        #expect(app.notice == "not expired")
        _ = app.update(.key(.char("x")))
        #expect(app.update(.key(.char("y"))) == [.request(screen: screen, id: 1, .expireSilence(id: "s-1"))])
        let after = app.update(.response(screen: screen, id: 1, .done))
        #expect(app.notice == "silence expired" && after.contains { if case .fetch = $0 { true } else { false } })
    }

    @Test func eExtendsFromTheCurrentEnd() {
        var app = Self.listApp()
        let screen = app.screenIDs.last ?? -1
        _ = app.update(.key(.char("e")))
        for _ in 0..<2 { _ = app.update(.key(.backspace)) }
        Self.type("4h", into: &app)
        let effects = app.update(.key(.enter))
        let expected = SilenceDraft(
            id: "s-1", matchers: [SilenceMatcher(name: "alertname", value: "HighErrorRate")], startsAt: Self.now.addingTimeInterval(-60),
            endsAt: Self.now.addingTimeInterval(600 + 4 * 3600), createdBy: "alice", comment: "fix")
        #expect(effects == [.request(screen: screen, id: 2, .saveSilence(expected))])
    }

    @Test func writesInTheListAreRefusedWhenReadOnly() {
        var app = Self.listApp(readOnly: true)
        #expect(app.update(.key(.char("x"))) == [])
        #expect(app.notice?.hasPrefix("read-only") == true)
        #expect(app.update(.key(.char("e"))) == [])
        #expect((app.top as? SilenceListScreen)?.mode == .browse)
    }

    @Test func enterShowsTheAlertsTheSilenceMutes() {
        var model = Self.model()
        model.alerts.items[0].silencedBy = ["s-1"]
        model.silences.items = Self.listApp().model.silences.items
        var app = AppState(model: model)
        for key in [Key.char(":")] + "silences".map({ Key.char($0) }) + [.enter, .enter] { _ = app.update(.key(key)) }
        let list = app.top as? AlertListScreen
        #expect(list?.silenceID == "s-1")
        #expect(list.map { $0.items(app.model).map(\.name) } == ["HighErrorRate"])
    }

    @Test func aSilencedAlertSaysWhoUntilWhenAndWhy() {
        let silence = Silence(id: "s-1", matchers: [], startsAt: Self.now, endsAt: Self.now.addingTimeInterval(3480), createdBy: "alice@bastion", comment: "replacing the disk", state: .active)
        var item = AlertItem(Alert(labels: ["alertname": "A"], state: .firing, activeAt: nil))
        item.silencedBy = ["s-1"]
        #expect(Silencing.silencedLine(item, silences: [silence], now: Self.now)
                == "silenced by alice@bastion until 15:11 UTC (58m left): replacing the disk")
        item.silencedBy = ["gone"]
        #expect(Silencing.silencedLine(item, silences: [silence], now: Self.now) == "silenced by silence gone")
    }

    @Test func theDashboardsAlertRowsTakeTheFocusAndEnterOpensTheAlert() {
        var app = AppState(model: Self.model())
        for _ in 0..<4 { _ = app.update(.key(.tab)) }
        #expect((app.top as? DashboardScreen)?.focusedAlert == 0)
        _ = app.update(.key(.down))
        #expect((app.top as? DashboardScreen)?.focusedAlert == 1)
        _ = app.update(.key(.enter))
        #expect((app.top as? AlertDetailScreen)?.alert.name == "PodCrashLooping")
        _ = app.update(.key(.escape))
        _ = app.update(.key(.tab))
        #expect((app.top as? DashboardScreen).map { $0.focusedAlert == nil && $0.focusedPanel == 0 } == true, "Tab leaves the alerts")
    }
}

extension Result where Failure == FormProblem {
    var failureMessage: String? {
        if case .failure(let problem) = self { return problem.message }
        return nil
    }
}

/// Time travel from the keys: `[`, `]`, `0`, `+` around the centre, `g` on an alert, `z`.
@Suite("Time travel keys")
struct TimeTravelKeyTests {
    static let now = SilenceTests.now

    @Test func bracketsPanAndPauseZeroGoesLive() {
        var app = AppState(model: SilenceTests.model())
        let effects = app.update(.key(.char("[")))
        #expect(app.model.pinnedEnd == Self.now.addingTimeInterval(-1800) && app.model.paused)
        let step = app.model.queryStep
        let aligned = Date(timeIntervalSince1970: (Self.now.addingTimeInterval(-1800).timeIntervalSince1970 / step).rounded(.down) * step)
        #expect(effects == [.fetch(generation: 1, rangeSeconds: 3600, points: app.model.queryPoints, variables: [:], end: aligned)])
        _ = app.update(.key(.char("-")))
        #expect(app.model.rangeSeconds == 1800 && app.model.window.centre(now: Self.now) == Self.now.addingTimeInterval(-3600),
                "a pinned window zooms around its centre")
        _ = app.update(.key(.char("0")))
        #expect(app.model.pinnedEnd == nil && !app.model.paused)
        #expect(app.update(.key(.char("]"))) == [], "live cannot go forward")
        _ = app.update(.key(.char("z")))
        #expect(app.model.utc)
    }

    @Test func gOnAnAlertCentresTheDashboardOnItsStart() {
        var model = SilenceTests.model()
        model.alerts.items[0].activeAt = Self.now.addingTimeInterval(-3 * 3600)
        var app = AppState(model: model)
        _ = app.update(.key(.char("a")))
        _ = app.update(.key(.enter))
        _ = app.update(.key(.char("g")))
        #expect(app.top is DashboardScreen, "back on the dashboard")
        #expect(app.model.pinnedEnd == Self.now.addingTimeInterval(-3 * 3600 + 1800))
    }
}
