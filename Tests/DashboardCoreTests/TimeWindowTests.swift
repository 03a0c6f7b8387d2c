import DashboardCore
import Foundation
import Testing

/// The window the graphs show: pan, zoom around the centre, centre on an instant, live; aligned ends; the flags.
@Suite("Time window")
struct TimeWindowTests {
    static let now = Date(timeIntervalSince1970: 1_795_615_999)

    func at(_ offset: TimeInterval) -> Date { Self.now.addingTimeInterval(offset) }

    @Test func panningBackPinsAndForwardComesBackToLive() {
        var w = TimeWindow(rangeSeconds: 3600)
        w.pan(-0.5, now: Self.now)
        #expect(w.pinnedEnd == at(-1800))
        w.pan(-0.5, now: Self.now)
        w.pan(-0.5, now: Self.now)
        #expect(w.pinnedEnd == at(-5400) && w.start(now: Self.now) == at(-9000))
        w.pan(0.5, now: Self.now)
        #expect(w.pinnedEnd == at(-3600))
        w.pan(0.5, now: Self.now)
        w.pan(0.5, now: Self.now)
        #expect(w.isLive, "a window that would end now or later is live")
    }

    @Test func zoomKeepsAPinnedWindowsCentreAndALiveOneLive() {
        var live = TimeWindow(rangeSeconds: 3600)
        live.zoom(to: 10_800, now: Self.now)
        #expect(live.isLive && live.rangeSeconds == 10_800)
        var pinned = TimeWindow(rangeSeconds: 3600, pinnedEnd: at(-7200))
        pinned.zoom(to: 900, now: Self.now)
        #expect(pinned.centre(now: Self.now) == at(-9000) && pinned.pinnedEnd == at(-8550))
        pinned.zoom(to: 86_400, now: Self.now)
        #expect(pinned.isLive, "zoomed out past now: live")
    }

    @Test func centringOnAnAlertsStart() {
        var w = TimeWindow(rangeSeconds: 3600)
        w.centre(on: at(-3 * 3600), now: Self.now)
        #expect(w.pinnedEnd == at(-3 * 3600 + 1800))
        w.centre(on: at(-600), now: Self.now)
        #expect(w.isLive, "an alert that started within the last half range is seen live")
        w.pan(-0.5, now: Self.now)
        w.goLive()
        #expect(w.isLive)
    }

    @Test func consecutiveRefreshesOfAPinnedWindowLandOnTheSameSteps() {
        let step: TimeInterval = 60
        let a = TimeWindow.aligned(at(-1800), step: step)
        let b = TimeWindow.aligned(at(-1800 + 0.4), step: step)
        #expect(a == b && a.timeIntervalSince1970.truncatingRemainder(dividingBy: step) == 0 && a <= at(-1800))
        #expect(TimeWindow.aligned(at(0), step: 0) == at(0), "no step, no alignment")
    }

    @Test(arguments: [
        ("now", 0.0), ("-3h", -10_800.0), ("now-90m", -5400.0), ("2026-11-25T13:13:19Z", -3600.0),
    ])
    func instantsAsTheFlagsTakeThem(text: String, offset: Double) {
        #expect(TimeWindow.instant(text, now: Self.now) == at(offset))
    }

    @Test func fromAndToMakeAWindow() throws {
        let both = try TimeWindow.from("-3h", to: "-1h", range: 3600, now: Self.now).get()
        #expect(both.rangeSeconds == 7200 && both.pinnedEnd == at(-3600))
        let toOnly = try TimeWindow.from(nil, to: "-2h", range: 900, now: Self.now).get()
        #expect(toOnly.rangeSeconds == 900 && toOnly.pinnedEnd == at(-7200))
        let fromOnly = try TimeWindow.from("-6h", to: nil, range: 3600, now: Self.now).get()
        #expect(fromOnly.rangeSeconds == 3600 && fromOnly.pinnedEnd == at(-18_000))
        let live = try TimeWindow.from("-30m", to: nil, range: 3600, now: Self.now).get()
        #expect(live.isLive && live.rangeSeconds == 1800)
        #expect(TimeWindow.from("yesterday", to: nil, range: 3600, now: Self.now).failureText?.hasPrefix("bad --from 'yesterday'") == true)
        #expect(TimeWindow.from("-1h", to: "-2h", range: 3600, now: Self.now).failureText == "--from must be at least 1m before --to")
        #expect(TimeWindow.from(nil, to: "2030-01-01T00:00:00Z", range: 3600, now: Self.now).failureText == "--to is in the future")
    }

    @Test func clockTimesInUTCWithTheDateWhenNotToday() {
        #expect(ClockFormat.short(at(-60), now: Self.now, utc: true) == "14:12")
        #expect(ClockFormat.short(at(-86_400), now: Self.now, utc: true) == "Nov 24 14:13")
        #expect(ClockFormat.zoneName(utc: true, at: Self.now) == "UTC")
    }
}

extension Result where Failure == TimeWindowError {
    var failureText: String? {
        if case .failure(let error) = self { return error.description }
        return nil
    }
}

@Suite("Time window: back and forth a moment later")
struct TimeWindowLaterTests {
    @Test func forwardAFewSecondsAfterBackIsLive() {
        let then = Date(timeIntervalSince1970: 1_795_615_999)
        var w = TimeWindow(rangeSeconds: 3600)
        w.pan(-0.5, now: then)
        w.pan(0.5, now: then.addingTimeInterval(7))
        #expect(w.isLive, "the clock moved on between the two keys")
    }
}
