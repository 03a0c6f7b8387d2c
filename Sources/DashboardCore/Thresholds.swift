import FoundationEssentials
import Glibc
import SafeText

/// A panel's thresholds as Grafana keeps them: a base step and steps at values, each with a colour; a value takes the
/// step of the highest value it reaches. The state of a step comes from its colour (the red family is critical,
/// orange and yellow a warning, green, blue and the rest ok), not from its place, so a red base under a green step
/// at 1 (a health panel where 1 is good) is critical below 1 and ok from it. In percentage mode the values are
/// percents of the panel's min to max (without them, of 0 to 100 for a percent unit, 0 to 1 for a ratio, else of
/// the series' own range).
public struct Thresholds: Sendable, Equatable, Codable {
    public struct Step: Sendable, Equatable, Codable {
        /// Nil for the base step, below every other.
        public var value: Double?
        public var state: ThresholdState
        /// Grafana's colour (`green`, `dark-red`, `#EAB839`), kept for the export.
        public var color: String

        public init(value: Double?, state: ThresholdState, color: String) {
            self.value = value
            self.state = state
            self.color = SafeText.clip(color, 40)
        }

        public init(value: Double?, color: String) {
            self.init(value: value, state: Thresholds.state(ofColour: color), color: color)
        }

        /// A step of `state` in its usual colour (green, orange, red), for thresholds that name no colour.
        public init(value: Double?, state: ThresholdState) {
            self.init(value: value, state: state, color: state == .critical ? "red" : state == .warning ? "orange" : "green")
        }
    }

    /// The base step first, then the others by value.
    public private(set) var steps: [Step]
    /// Step values are percents of `min`…`max`.
    public var percentage: Bool
    /// The panel's min and max (Grafana's `min`, `max`), for percentage steps.
    public var min: Double?
    public var max: Double?

    /// lookout's two levels: ok below `warning`, a warning from it, critical from `critical`.
    public init(warning: Double, critical: Double) {
        self.init(steps: [
            Step(value: nil, state: .ok),
            Step(value: Swift.min(warning, critical), state: .warning),
            Step(value: critical, state: .critical),
        ])
    }

    /// Steps in any order; without a base step, the lowest becomes the base (as Grafana treats it).
    public init(steps: [Step], percentage: Bool = false, min: Double? = nil, max: Double? = nil) {
        let finite = steps.filter { $0.value.map(\.isFinite) ?? true }
        var base = finite.first { $0.value == nil }
        var levels = finite.filter { $0.value != nil }.enumerated()
            .sorted { ($0.element.value ?? 0, $0.offset) < ($1.element.value ?? 0, $1.offset) }.map(\.element)
        if base == nil, !levels.isEmpty { base = Step(value: nil, state: levels[0].state, color: levels[0].color); levels.removeFirst() }
        self.steps = (base.map { [$0] } ?? [Step(value: nil, state: .ok)]) + levels
        self.percentage = percentage
        self.min = min.flatMap { $0.isFinite ? $0 : nil }
        self.max = max.flatMap { $0.isFinite ? $0 : nil }
    }

    /// The steps at a value: what a chart draws as lines.
    public var levels: [Step] { steps.filter { $0.value != nil } }

    /// The lowest level's value (the first line a chart's axis reaches for).
    public var warning: Double { levels.first?.value ?? .infinity }
    /// The lowest critical level's value.
    public var critical: Double { levels.first { $0.state == .critical }?.value ?? levels.last?.value ?? .infinity }

    /// lookout's two levels as `init(warning:critical:)` makes them: a file writes them as `warning` and `critical`.
    public var isTwoLevels: Bool {
        levels.count == 2 && !percentage && min == nil && max == nil
            && self == Thresholds(warning: levels[0].value ?? 0, critical: levels[1].value ?? 0)
    }

    /// Whether any step is a warning or critical: thresholds that only colour values ok say nothing.
    public var canAlarm: Bool { steps.contains { $0.state >= .warning } }

    /// The state of `value`; `range` is the series' own min and max, for percentage steps without a panel range.
    public func state(of value: Double, range: (min: Double, max: Double)? = nil) -> ThresholdState {
        if value.isNaN { return .unknown }
        var v = value
        if percentage {
            guard let lo = min ?? range?.min, let hi = max ?? range?.max, hi > lo else { return .unknown }
            v = (value - lo) / (hi - lo) * 100
        }
        var state = steps.first?.state ?? .ok
        for step in steps {
            if let at = step.value, v >= at { state = step.state }
        }
        return state
    }

    /// A colour's state: Grafana's names by their family (`dark-red`, `semi-dark-orange`, `light-yellow`), `#rgb`,
    /// `#rrggbb` and `rgb(a)(…)` by their hue.
    public static func state(ofColour colour: String) -> ThresholdState {
        let c = colour.lowercased()
        if c.contains("red") { return .critical }
        if c.contains("orange") || c.contains("yellow") { return .warning }
        guard let (r, g, b) = rgb(c) else { return .ok }
        let hi = Swift.max(r, g, b), lo = Swift.min(r, g, b)
        guard hi > 0, (hi - lo) / hi > 0.35 else { return .ok }  // grey, white, black: no alarm
        var hue: Double
        if hi == r { hue = 60 * ((g - b) / (hi - lo)) } else if hi == g { hue = 60 * ((b - r) / (hi - lo) + 2) } else { hue = 60 * ((r - g) / (hi - lo) + 4) }
        if hue < 0 { hue += 360 }
        if hue < 18 || hue >= 335 { return .critical }
        if hue < 65 { return .warning }
        return .ok
    }

    static func rgb(_ c: String) -> (Double, Double, Double)? {
        if c.hasPrefix("#") {
            let hex = Array(c.dropFirst())
            func value(_ s: ArraySlice<Character>) -> Double? { UInt8(String(s), radix: 16).map(Double.init) }
            if hex.count == 3 || hex.count == 4 {
                guard let r = value([hex[0], hex[0]][...]), let g = value([hex[1], hex[1]][...]), let b = value([hex[2], hex[2]][...]) else { return nil }
                return (r, g, b)
            }
            guard hex.count == 6 || hex.count == 8, let r = value(hex[0..<2]), let g = value(hex[2..<4]), let b = value(hex[4..<6]) else { return nil }
            return (r, g, b)
        }
        guard c.hasPrefix("rgb"), let open = c.firstIndex(of: "("), let close = c.lastIndex(of: ")"), open < close else { return nil }
        let parts = c[c.index(after: open)..<close].split(separator: ",").map { Double(String($0).trimmingSpaces()) }
        guard parts.count >= 3, let r = parts[0], let g = parts[1], let b = parts[2] else { return nil }
        return (r, g, b)
    }

    // A file's form: `{warning, critical}` for lookout's two levels, else the steps.
    private enum CodingKeys: String, CodingKey { case warning, critical, steps, mode, min, max }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let steps = try c.decodeIfPresent([Step].self, forKey: .steps) {
            self.init(steps: steps, percentage: try c.decodeIfPresent(String.self, forKey: .mode) == "percentage",
                      min: try c.decodeIfPresent(Double.self, forKey: .min), max: try c.decodeIfPresent(Double.self, forKey: .max))
        } else {
            self.init(warning: try c.decode(Double.self, forKey: .warning), critical: try c.decode(Double.self, forKey: .critical))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if isTwoLevels {
            try c.encode(warning, forKey: .warning)
            try c.encode(critical, forKey: .critical)
        } else {
            try c.encode(steps, forKey: .steps)
            if percentage { try c.encode("percentage", forKey: .mode) }
            try c.encodeIfPresent(min, forKey: .min)
            try c.encodeIfPresent(max, forKey: .max)
        }
    }
}
