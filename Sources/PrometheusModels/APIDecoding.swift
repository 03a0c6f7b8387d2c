import FoundationEssentials
import Glibc
import SafeText

/// Turns an HTTP answer of the Prometheus or Alertmanager API into models or a one-line `PrometheusError`. Pure (no
/// networking), so the fuzz targets and the unit tests run exactly what the client runs.
///
/// Duplicate keys are read as Go reads them (the last wins, `DuplicateKeys`); warnings are sanitised and at most
/// `InputLimits.warningsPerAnswer` are kept.
public enum APIDecoding {
    /// An `/api/v1/...` answer: the envelope, then its `data`.
    public static func decode<Payload: Decodable & Sendable>(
        _: Payload.Type, status: Int, reason: String, body: Data, url: String
    ) throws(PrometheusError) -> APIResponse<Payload> {
        let bytes = DuplicateKeys.lastKeyWins(body)
        let decoder = JSONDecoder()
        guard let envelope = try? decoder.decode(EnvelopeHeader.self, from: bytes) else {
            throw .unexpectedResponse(url: url, httpStatus: status, reason: reason, firstLine: firstLine(of: bytes))
        }
        if envelope.status == "error" {
            throw .api(errorType: envelope.errorType ?? "unknown", message: envelope.error ?? "", httpStatus: status)
        }
        guard envelope.status == "success", (200..<300).contains(status) else {
            throw .unexpectedResponse(url: url, httpStatus: status, reason: reason, firstLine: firstLine(of: bytes))
        }
        do {
            let full = try decoder.decode(Envelope<Payload>.self, from: bytes)
            return APIResponse(data: full.data, warnings: keptWarnings(full.warnings ?? []))
        } catch {
            throw .decoding(url: url, detail: describeDecodingError(error))
        }
    }

    /// Alertmanager's `/api/v2/alerts`: a bare array, read alert by alert.
    public static func alertmanagerAlerts(status: Int, reason: String, body: Data, url: String) throws(PrometheusError) -> LossyList<AlertmanagerAlert> {
        try alertmanager(LossyList<AlertmanagerAlert>.self, status: status, reason: reason, body: body, url: url)
    }

    /// An answer of Alertmanager's v2 API: bare JSON (no envelope), its errors a JSON string or plain text.
    public static func alertmanager<Payload: Decodable>(
        _: Payload.Type, status: Int, reason: String, body: Data, url: String
    ) throws(PrometheusError) -> Payload {
        let bytes = DuplicateKeys.lastKeyWins(body)
        guard (200..<300).contains(status) else {
            // A 400 explains itself in a JSON string ("silence invalid: …"): that is the line to show.
            if (400..<500).contains(status), status != 401, status != 403, status != 404,
               let message = try? JSONDecoder().decode(String.self, from: bytes) {
                throw .api(errorType: "rejected", message: clip(message, 200), httpStatus: status)
            }
            throw .unexpectedResponse(url: url, httpStatus: status, reason: reason, firstLine: firstLine(of: bytes))
        }
        do {
            return try JSONDecoder().decode(Payload.self, from: bytes)
        } catch is DecodingError where JSONValue.parse(bytes) == nil {
            throw .unexpectedResponse(url: url, httpStatus: status, reason: reason, firstLine: firstLine(of: bytes))
        } catch {
            throw .decoding(url: url, detail: describeDecodingError(error))
        }
    }

    /// Sanitised warnings, at most `InputLimits.warningsPerAnswer`, then one line that counts the rest.
    static func keptWarnings(_ warnings: [String]) -> [String] {
        let limit = InputLimits.warningsPerAnswer
        var kept = warnings.prefix(limit).map { SafeText.clip($0, InputLimits.messageCharacters) }
        if warnings.count > limit { kept.append("\(warnings.count - limit) more warnings not shown") }
        return kept
    }

    /// The first line of a body that is not the API's JSON (a proxy's HTML, a plain 404), sanitised and short.
    public static func firstLine(of bytes: Data) -> String {
        let prefix = bytes.prefix(512)
        let text = String(decoding: prefix, as: UTF8.self)
        let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
        return clip(line, 160)
    }
}

struct EnvelopeHeader: Decodable {
    var status: String
    var errorType: String?
    var error: String?
}

struct Envelope<Payload: Decodable>: Decodable {
    var data: Payload
    var warnings: [String]?
}

/// A decoding error as one line with the JSON path where it happened: `expected String at .data.result[0].metric`.
public func describeDecodingError(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return clip("\(error)", 200) }
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return keys.isEmpty ? "" : " at \(keys)"
    }
    switch error {
    case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
    case .valueNotFound(let type, let context): return "missing \(type) value\(path(context))"
    case .keyNotFound(let key, let context): return "missing key \"\(clip(key.stringValue, 80))\"\(path(context))"
    case .dataCorrupted(let context): return "\(clip(context.debugDescription, 200))\(path(context))"
    @unknown default: return clip("\(error)", 200)
    }
}

