import FoundationEssentials
import Glibc
import PrometheusAPI
import SafeText

/// `lookout query`: one query's result as a table of labels and values (text), as Prometheus' JSON, or as CSV with
/// one column per label. Every label and value from the server is sanitised here, at the output.
public struct QueryReport: Sendable {
    public var result: QueryResult
    public var warnings: [String]

    public init(result: QueryResult, warnings: [String] = []) {
        self.result = result
        self.warnings = warnings
    }

    /// Exit codes of `lookout query`.
    public enum ExitCode {
        public static let data: Int32 = 0
        public static let empty: Int32 = 1
        public static let serverError: Int32 = 3
        public static let badInput: Int32 = 64
    }

    public var isEmpty: Bool {
        switch result {
        case .vector(let v): return v.isEmpty
        case .matrix(let m): return m.isEmpty || m.allSatisfy { $0.values.isEmpty }
        case .scalar, .string: return false
        }
    }

    /// The label names of every series, `__name__` first, then sorted.
    var labelNames: [String] {
        let names = Set(result.streams.flatMap { $0.metric.keys })
        return names.sorted { a, b in a == "__name__" ? b != "__name__" : (b == "__name__" ? false : a < b) }
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // As Prometheus writes values: integers without a fraction, others in their shortest exact form.
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func time(_ seconds: Double) -> String { RFC3339.format(Date(timeIntervalSince1970: seconds)) }

    /// A table: a column per label and the value (a range result: the time and the value, a row per point).
    public func text() -> String {
        if isEmpty { return "" }
        var rows: [[String]]
        let names = labelNames
        switch result {
        case .scalar(let s): return "scalar  \(Self.number(s.value))  at \(Self.time(s.timestamp))\n"
        case .string(let s): return "string  \(SafeText.clip(s.value, InputLimits.messageCharacters))\n"
        case .vector(let samples):
            rows = [names + ["value"]] + samples.map { sample in names.map { sample.metric[$0] ?? "" } + [Self.number(sample.value.value)] }
        case .matrix(let streams):
            rows = [names + ["time", "value"]] + streams.flatMap { stream in
                stream.values.map { point in names.map { stream.metric[$0] ?? "" } + [Self.time(point.timestamp), Self.number(point.value)] }
            }
        }
        rows = rows.map { $0.map { SafeText.clip($0, 200) } }
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        var lines = rows.map { row in
            TextLayout.trimmingTrailingSpaces(zip(row, widths).enumerated().map { i, cell in
                // Values (the last column) are right-aligned.
                TextLayout.pad(cell.0, to: cell.1, alignRight: i == row.count - 1)
            }.joined(separator: "  "))
        }
        lines += warnings.map { "warning: " + SafeText.clip($0, InputLimits.messageCharacters) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Comma-separated: a header of the label names, then `timestamp` and `value`; fields quoted as RFC 4180 says.
    public func csv() -> String {
        let names = labelNames
        func field(_ text: String) -> String {
            let clean = SafeText.sanitize(text)
            return clean.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + clean.replacing("\"", with: "\"\"") + "\"" : clean
        }
        var lines = [(names + ["timestamp", "value"]).map(field).joined(separator: ",")]
        switch result {
        case .scalar(let s): lines.append((names.map { _ in "" } + [Self.time(s.timestamp), Self.number(s.value)]).joined(separator: ","))
        case .string(let s): lines.append(([Self.time(s.timestamp), field(s.value)]).joined(separator: ","))
        case .vector, .matrix:
            for stream in result.streams {
                for point in stream.values {
                    lines.append((names.map { field(stream.metric[$0] ?? "") } + [Self.time(point.timestamp), Self.number(point.value)]).joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"resultType": …, "result": …, "warnings": […]}`, as Prometheus' `data`; strings escaped for a terminal.
    public func json() throws -> String {
        // The server's `data` as it sent it: the result type, the series and their values in Prometheus' own
        // notation (the warnings go to stderr, as Prometheus keeps them outside `data`).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(result)
        return SafeText.escapeJSON(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// For a parse error: the query and a caret under the column Prometheus named (`1:17: parse error: …`).
    public static func caretLines(query: String, error: String) -> [String]? {
        let firstLine = String(query.prefix { $0 != "\n" })
        guard let index = ParseErrorPosition(message: error)?.characterIndex(in: firstLine) else { return nil }
        let columns = DisplayWidth.of(firstLine.prefix(index))
        return ["  " + firstLine, "  " + String(repeating: " ", count: columns) + "^"]
    }
}
