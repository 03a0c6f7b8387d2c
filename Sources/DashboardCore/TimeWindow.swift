import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText

/// The window of time the graphs show: `range` seconds ending now (live), or ending at a pinned instant in the past.
/// Pure arithmetic for the keys that move it: `[` and `]` pan by half the range, `+` and `-` zoom around the centre,
/// `g` centres it on an instant, `0` goes back to live. A window never ends in the future: one that would is live.
public struct TimeWindow: Sendable, Equatable {
    public var rangeSeconds: TimeInterval
    /// The end, when pinned; nil when live.
    public var pinnedEnd: Date?

    public init(rangeSeconds: TimeInterval, pinnedEnd: Date? = nil) {
        self.rangeSeconds = rangeSeconds
        self.pinnedEnd = pinnedEnd
    }

    public var isLive: Bool { pinnedEnd == nil }

    public func end(now: Date) -> Date { pinnedEnd.map { min($0, now) } ?? now }
    public func start(now: Date) -> Date { end(now: now).addingTimeInterval(-rangeSeconds) }
    public func centre(now: Date) -> Date { end(now: now).addingTimeInterval(-rangeSeconds / 2) }

    /// Pins the end at `end`, or goes live when that is now, later, or so close to now (a sixtieth of the range, at
    /// least 5 s: `]` pressed a few seconds after `[`) that the window would be the live one.
    mutating func pin(_ end: Date, now: Date) {
        pinnedEnd = end >= now.addingTimeInterval(-max(5, rangeSeconds / 60)) ? nil : end
    }

    /// Moves by `fraction` of the range: -0.5 is `[`, +0.5 is `]`.
    public mutating func pan(_ fraction: Double, now: Date) {
        pin(end(now: now).addingTimeInterval(rangeSeconds * fraction), now: now)
    }

    /// A new range: live stays live; a pinned window keeps its centre.
    public mutating func zoom(to range: TimeInterval, now: Date) {
        let middle = centre(now: now)
        rangeSeconds = range
        if !isLive { pin(middle.addingTimeInterval(range / 2), now: now) }
    }

    /// Centres the window on `instant` (an alert's start); live when that centre is within the last half range.
    public mutating func centre(on instant: Date, now: Date) {
        pin(instant.addingTimeInterval(rangeSeconds / 2), now: now)
    }

    public mutating func goLive() { pinnedEnd = nil }

    /// An instant as `--from` and `--to` take it: RFC 3339 (`2026-11-25T14:00:00Z`), `now`, or relative to now
    /// (`-3h`, `now-90m`).
    public static func instant(_ text: String, now: Date) -> Date? {
        let t = text.trimmingSpaces()
        if t == "now" { return now }
        let relative = t.hasPrefix("now-") ? String(t.dropFirst(3)) : t
        if relative.hasPrefix("-"), let seconds = ValueFormat.parseDuration(String(relative.dropFirst())) {
            return now.addingTimeInterval(-seconds)
        }
        return RFC3339.parse(t)
    }

    /// The window `--from`, `--to` and `--range` describe: from–to when both are given, `range` ending at `to`, or
    /// `range` from `from`; live when the end is now. A bad value is one line naming the flag.
    public static func from(_ from: String?, to: String?, range: TimeInterval, now: Date) -> Result<TimeWindow, TimeWindowError> {
        func parse(_ text: String, _ flag: String) -> Result<Date, TimeWindowError> {
            guard let date = instant(text, now: now) else {
                return .failure(TimeWindowError(
                    "bad \(flag) '\(SafeText.clip(text, 40))': expected an RFC 3339 time (2026-11-25T14:00:00Z), now, or a time ago such as -3h"))
            }
            guard date <= now.addingTimeInterval(60) else { return .failure(TimeWindowError("\(flag) is in the future")) }
            return .success(min(date, now))
        }
        var end = now
        var length = range
        switch (from.map { parse($0, "--from") }, to.map { parse($0, "--to") }) {
        case (.failure(let e)?, _), (_, .failure(let e)?): return .failure(e)
        case (.success(let start)?, .success(let stop)?):
            guard stop.timeIntervalSince(start) >= 60 else { return .failure(TimeWindowError("--from must be at least 1m before --to")) }
            end = stop
            length = stop.timeIntervalSince(start)
        case (.success(let start)?, nil):
            end = min(now, start.addingTimeInterval(range))
            length = end.timeIntervalSince(start)
            guard length >= 60 else { return .failure(TimeWindowError("--from must be at least 1m ago")) }
        case (nil, .success(let stop)?): end = stop
        case (nil, nil): break
        }
        var window = TimeWindow(rangeSeconds: length)
        window.pin(end, now: now)
        return .success(window)
    }

    /// The oldest instant a server keeping `retention` seconds of data still has, when a window starting at `start`
    /// reaches back past it; nil otherwise (or when the retention is unknown).
    public static func noDataBefore(start: Date, now: Date, retention: TimeInterval?) -> Date? {
        guard let retention else { return nil }
        let oldest = now.addingTimeInterval(-retention)
        return start < oldest ? oldest : nil
    }

    /// The end a pinned window's queries use: down to a multiple of the step, so that every refresh of the same
    /// window asks for the same points (live windows end now).
    public static func aligned(_ end: Date, step: TimeInterval) -> Date {
        guard step > 0, step.isFinite else { return end }
        return Date(timeIntervalSince1970: (end.timeIntervalSince1970 / step).rounded(.down) * step)
    }
}

public struct TimeWindowError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Times as lookout writes them: `15:05` in UTC or in the local time zone (`z` switches, `--utc` starts in UTC).
public enum ClockFormat {
    /// `15:05`, with the date (`Nov 25 15:05`) when `date` is not on the same day as `now`.
    public static func short(_ date: Date, now: Date, utc: Bool) -> String {
        let zone = utc ? TimeZone(identifier: "UTC") ?? .current : .current
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.month, .day, .hour, .minute], from: date)
        let time = cFormat("%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        guard !calendar.isDate(date, inSameDayAs: now) else { return time }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = parts.month.flatMap { months.indices.contains($0 - 1) ? months[$0 - 1] : nil } ?? "?"
        return "\(month) \(parts.day ?? 0) \(time)"
    }

    /// `15:05:42 UTC` (or the local time and zone): an instant to the second, for the inspect cursor.
    public static func seconds(_ date: Date, utc: Bool) -> String {
        time(date, utc: utc) + " " + zoneName(utc: utc, at: date)
    }

    /// `15:05:42`, in UTC or the local time zone.
    public static func time(_ date: Date, utc: Bool) -> String {
        let zone = utc ? TimeZone(identifier: "UTC") ?? .current : .current
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        return cFormat("%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// Seconds east of UTC of the times shown: 0 in UTC, else the local zone's at `date`.
    public static func offset(utc: Bool, at date: Date) -> Int {
        utc ? 0 : TimeZone.current.secondsFromGMT(for: date)
    }

    /// `UTC`, or the local zone's abbreviation (`CET`).
    public static func zoneName(utc: Bool, at date: Date) -> String {
        // A zone at UTC all year is called UTC, as beside it (Foundation says GMT).
        guard !utc else { return "UTC" }
        let zone = TimeZone.current
        let universal: Set<String> = ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu", "Etc/UCT", "UCT"]
        if universal.contains(zone.identifier) || zone.identifier.hasPrefix("GMT") && zone.secondsFromGMT(for: date) == 0 { return "UTC" }
        return zone.abbreviation(for: date) ?? zone.identifier
    }
}
