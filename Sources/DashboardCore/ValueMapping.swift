import FoundationEssentials
import SafeText

/// Grafana's value mappings: a value (`0` → `DOWN`), a range (`0…10` → `low`) or a special value (no value, NaN)
/// shown as a text, and optionally in a colour, whose family gives the state (`Thresholds.state(ofColour:)`). The first
/// mapping that matches wins, as in Grafana.
public struct ValueMapping: Sendable, Equatable, Codable {
    public enum Match: Sendable, Equatable, Codable {
        case value(Double)
        /// Either end open when nil.
        case range(from: Double?, to: Double?)
        /// NaN: Prometheus' "no defined value" (Grafana's `nan`, `null` and `null+nan` alike).
        case noValue
    }

    public var match: Match
    /// Shown instead of the number; nil keeps the number (a mapping for the colour alone).
    public var text: String?
    /// Grafana's colour (`green`, `dark-red`, `#EAB839`).
    public var color: String?

    public init(_ match: Match, text: String?, color: String? = nil) {
        self.match = match
        self.text = text.flatMap { $0.isEmpty ? nil : SafeText.clip($0, InputLimits.labelCharacters) }
        self.color = color.flatMap { $0.isEmpty ? nil : SafeText.clip($0, 40) }
    }

    /// The state its colour gives; nil without a colour (the thresholds decide).
    public var state: ThresholdState? { color.map(Thresholds.state(ofColour:)) }

    public func matches(_ value: Double) -> Bool {
        switch match {
        case .value(let v): return value == v
        case .range(let from, let to): return !value.isNaN && value >= (from ?? -.infinity) && value <= (to ?? .infinity)
        case .noValue: return value.isNaN
        }
    }

    /// The first of `mappings` that matches `value`.
    public static func first(_ mappings: [ValueMapping], for value: Double) -> ValueMapping? {
        mappings.first { $0.matches(value) }
    }

    /// lookout's export of a health panel: 0 is DOWN in red, 1 UP in green.
    public static let upDown = [
        ValueMapping(.value(1), text: "UP", color: "green"), ValueMapping(.value(0), text: "DOWN", color: "red"),
    ]
}
