import FoundationEssentials
import PrometheusModels
import SafeText

/// JSON as lookout's reports write it (`snapshot`, `report`, `check`): indented, keys sorted, slashes as they are,
/// times in RFC 3339, infinities as Prometheus writes them, and no control character for a terminal.
public enum ReportJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return SafeText.escapeJSON(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
