import DashboardCore
import Foundation
import PrometheusModels
import Testing
import TestSupport

@Suite("The night's alert history")
struct AlertHistoryTests {
    static let end = 1_795_615_200
    static let night = NightFixture(end: end)
    static var to: Date { Date(timeIntervalSince1970: Double(end)) }
    static var from: Date { to.addingTimeInterval(-12 * 3600) }

    static func built(live: Bool = false, silences: [Silence] = []) -> AlertHistory.Night {
        AlertHistory.night(alerts: night.alertStreams, heartbeat: night.heartbeatStreams, silences: silences, from: from, to: to, live: live)
    }

    static func row(_ name: String, in night: AlertHistory.Night) -> AlertHistory.Row? { night.rows.first { $0.name == name } }

    @Test func firingsAreCountedWithTheirTimes() throws {
        let night = Self.built()
        let errors = try #require(Self.row("HighErrorRate", in: night))
        #expect(errors.firings.count == 3)
        #expect(errors.pendings.count == 3)
        for (span, (ago, seconds)) in zip(errors.firings, NightFixture.errorFirings) {
            #expect(span.start == Self.to.addingTimeInterval(-Double(ago)))
            #expect(span.duration == Double(seconds))
        }
        #expect(errors.totalFiring == 2700)
        #expect(errors.instance == "service=payment-service")
        let blip = try #require(Self.row("PodCrashLooping", in: night))
        #expect(blip.firings.count == 1)
        #expect(blip.firings[0].start == Self.to.addingTimeInterval(-Double(NightFixture.blipAgo)))
        #expect(blip.firings[0].duration == 40)
        let latency = try #require(Self.row("HighLatency", in: night))
        #expect(latency.firings.isEmpty)
        #expect(latency.pendings.map(\.duration) == [120])
        #expect(!night.rows.contains { $0.firesNow })
    }

    @Test func criticalFirstThenTheLatest() {
        #expect(Self.built().rows.map(\.name) == ["PodCrashLooping", "HighErrorRate", "DeploymentReplicasMismatch", "HighLatency"])
    }

    @Test func theOutageIsFoundAndNothingElse() throws {
        let night = Self.built()
        let outage = try #require(night.outages.first)
        #expect(night.outages.count == 1)
        #expect(abs(outage.start.timeIntervalSince(Self.to.addingTimeInterval(-Double(NightFixture.outageAgo)))) <= 15)
        #expect(abs(outage.duration - Double(NightFixture.outageSeconds)) <= 15)
        #expect(!night.heartbeatMissing)
        // Without a heartbeat, nothing can be said (and the night says so).
        let blind = AlertHistory.night(alerts: Self.night.alertStreams, heartbeat: nil, silences: [], from: Self.from, to: Self.to, live: false)
        #expect(blind.outages.isEmpty && blind.heartbeatMissing)
    }

    @Test func aBlipNarrowerThanAColumnMarksItsColumn() throws {
        let night = Self.built()
        let blip = try #require(Self.row("PodCrashLooping", in: night))
        // 72 columns of 10 minutes each: the 40-second blip is one column, exactly where it was.
        let strip = AlertHistory.strip(blip, night: night, width: 72)
        #expect(strip.filter { $0 == .firing }.count == 1)
        #expect(strip.firstIndex(of: .firing) == 36)
        // The outage is unknown on every row, not quiet.
        #expect(strip.filter { $0 == .unknown }.count == 2 || strip.filter { $0 == .unknown }.count == 3)
        #expect(strip[54] == .unknown)
        // At 1 column per 12 hours, it is still there.
        #expect(AlertHistory.strip(blip, night: night, width: 1) == [.firing])
    }

    @Test func firingWinsOverPendingAndTheChosenFiringIsMarked() throws {
        let night = Self.built()
        let errors = try #require(Self.row("HighErrorRate", in: night))
        let strip = AlertHistory.strip(errors, night: night, width: 144)
        #expect(strip.contains(.pending) && strip.contains(.firing))
        let chosen = AlertHistory.strip(errors, night: night, width: 144, chosen: 1)
        #expect(chosen.filter { $0 == .chosen }.count == 2)
        #expect(chosen.filter { $0 == .firing }.count == strip.filter { $0 == .firing }.count - 2)
    }

    @Test func spansSplitAtGapsAndStayOpenAtALiveEnd() {
        let to = Date(timeIntervalSince1970: 1000)
        // Adjacent firings one evaluation apart are one; two evaluations apart are two.
        let spans = AlertHistory.spansForTests([100, 110, 120, 140, 150, 990], interval: 10, to: to, live: true)
        #expect(spans.map { [$0.start.timeIntervalSince1970, $0.end.timeIntervalSince1970] } == [[100, 130], [140, 160], [990, 1000]])
        #expect(spans.map(\.open) == [false, false, true])
        // The same in a window of the past: nothing is open, nothing ends after the window.
        let past = AlertHistory.spansForTests([990, 1000], interval: 10, to: to, live: false)
        #expect(past.map(\.open) == [false] && past[0].end == to)
    }

    @Test func aLoneSampleTakesTheIntervalOfTheOthers() throws {
        let streams = [
            SampleStream(metric: ["alertname": "A", "alertstate": "firing"], values: [100, 130, 160].map { SamplePair(timestamp: $0, value: 1) }),
            SampleStream(metric: ["alertname": "B", "alertstate": "firing"], values: [500].map { SamplePair(timestamp: $0, value: 1) }),
        ]
        let rows = AlertHistory.rows(streams, from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 1000), live: false)
        let b = try #require(rows.first { $0.name == "B" })
        #expect(b.firings.map(\.duration) == [30])
    }

    @Test func silencesCoverTheRowsTheyMatchExpiredOnesIncluded() throws {
        func silence(_ id: String, _ matchers: [SilenceMatcher], hoursAgo: (Double, Double), state: Silence.State) -> Silence {
            Silence(id: id, matchers: matchers, startsAt: Self.to.addingTimeInterval(-hoursAgo.0 * 3600), endsAt: Self.to.addingTimeInterval(-hoursAgo.1 * 3600),
                    createdBy: "alice", comment: "deploy", state: state)
        }
        let silences = [
            silence("a", [SilenceMatcher(name: "alertname", value: "HighErrorRate")], hoursAgo: (10.5, 9.5), state: .expired),
            silence("b", [SilenceMatcher(name: "service", value: "pay.*", isRegex: true)], hoursAgo: (1, -2), state: .active),
            silence("c", [SilenceMatcher(name: "alertname", value: "HighErrorRate"), SilenceMatcher(name: "service", value: "payment-service", isEqual: false)],
                    hoursAgo: (3, 2), state: .expired),
            silence("d", [SilenceMatcher(name: "alertname", value: "HighErrorRate")], hoursAgo: (30, 20), state: .expired),
        ]
        let night = Self.built(silences: silences)
        let errors = try #require(Self.row("HighErrorRate", in: night))
        #expect(errors.silences.map(\.id) == ["a", "b"])
        #expect(!errors.silenced)
        #expect(AlertHistory.filtered(night.rows, "", hideSilenced: true).count == night.rows.count)
        #expect(AlertHistory.filtered(night.rows, "payment", hideSilenced: false).map(\.name).sorted() == ["HighErrorRate", "PodCrashLooping"])
    }

    @Test func longWindowsAreAskedInStepsThatTouch() {
        let to = Date(timeIntervalSince1970: 1_000_000)
        #expect(AlertHistory.query("ALERTS", from: to.addingTimeInterval(-43_200), to: to) == .raw("ALERTS[43200s]", at: to))
        guard case .stepped(let expr, _, _, let step) = AlertHistory.query("ALERTS", from: to.addingTimeInterval(-7 * 86_400), to: to) else {
            Issue.record("a week is asked in steps")
            return
        }
        #expect(step == 121)
        #expect(expr == "max_over_time(ALERTS[121s])")
    }
}
