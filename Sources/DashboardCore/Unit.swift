import FoundationEssentials
import Glibc
import SafeText

/// The unit of a panel's values, which decides how they are printed: one of Grafana's unit ids (`bytes`,
/// `percentunit`, `s`, `reqps`, …; `ValueFormat` knows the catalog). An id lookout does not know prints its values as
/// plain numbers, and the import names it once.
public struct Unit: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Grafana's id (`fieldConfig.defaults.unit`).
    public let id: String
    /// Digits after the point (Grafana's `decimals`, 0 to 10); nil: three significant figures.
    public var decimals: Int?

    public init(grafana id: String, decimals: Int? = nil) {
        self.id = SafeText.clip(id, 40)
        self.decimals = decimals.map { min(10, max(0, $0)) }
    }

    /// Requests per second: `48.2 req/s`, `1.2k req/s` (Grafana's `reqps`).
    public static let requestsPerSecond = Unit(grafana: "reqps")
    /// A ratio between 0 and 1, shown as a percentage: `11.4 %` (Grafana's `percentunit`).
    public static let percent = Unit(grafana: "percentunit")
    /// Seconds, shown as `850 ms` or `4.05 s` (Grafana's `s`).
    public static let seconds = Unit(grafana: "s")
    /// A plain number.
    public static let none = Unit(grafana: "none")

    /// lookout's names for the units of its own dashboards, as YAML and JSON write them; Grafana's percent of 0 to 100
    /// is `percent100` there, since lookout's `percent` has always been a ratio.
    static let ownNames: [(name: String, id: String)] = [
        ("req/s", "reqps"), ("percent", "percentunit"), ("seconds", "s"), ("none", "none"), ("percent100", "percent"),
    ]

    /// The unit a dashboard file names: one of lookout's names, else a Grafana id.
    public init(name: String, decimals: Int? = nil) {
        self.init(grafana: Self.ownNames.first { $0.name == name }?.id ?? name, decimals: decimals)
    }

    /// The name a dashboard file writes.
    public var name: String { Self.ownNames.first { $0.id == id }?.name ?? id }

    public var description: String { name }

    /// Whether `ValueFormat` prints this unit (else its values are plain numbers).
    public var isKnown: Bool { ValueFormat.knows(self) }

    /// The same unit with other decimals.
    public func with(decimals: Int?) -> Unit { Unit(grafana: id, decimals: decimals) }

    /// As a file writes it: the name (the panel writes `decimals` beside it).
    public init(from decoder: any Decoder) throws {
        self.init(name: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}
