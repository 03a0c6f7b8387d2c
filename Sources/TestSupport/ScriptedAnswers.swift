import Foundation
import PrometheusAPI

/// Answers a scripted transport gives as Prometheus would: the built-in dashboard's queries with one series per
/// service, on the grid the request asks for.
public enum ScriptedAnswers {
    public static let services = ["payment-service", "user-service"]

    /// Every query of the built-in dashboard: one series per service whose value is `value` over the range and at
    /// any instant (the health panel's `up` queries answer 1), and no alerts.
    public static func dashboard(value: String) -> ScriptedTransport.Handler {
        { request in answer(request, value: value) }
    }

    /// The answer to one request (see `dashboard(value:)`).
    public static func answer(_ request: TransportRequest, value: String) -> TransportResponse {
        let path = request.path
        if path.hasSuffix("/alerts") { return .json(#"{"status":"success","data":{"alerts":[]}}"#) }
        if path.hasSuffix("/status/runtimeinfo") {
            return .json(#"{"status":"success","data":{"storageRetention":"15d"}}"#)
        }
        if path.hasSuffix("/status/buildinfo") {
            return .json(#"{"status":"success","data":{"version":"2.42.0","revision":"","branch":"","buildUser":"","buildDate":"","goVersion":"go1.19"}}"#)
        }
        if path.contains("/label/") { return .json(#"{"status":"success","data":[]}"#) }
        if path.hasSuffix("/query_range") {
            let end = request.field("end").flatMap(Double.init) ?? 0
            let step = request.field("step").flatMap(Double.init) ?? 60
            let start = request.field("start").flatMap(Double.init) ?? end - 9 * step
            let count = max(1, min(10, Int((end - start) / step) + 1))
            let values = (0..<count).map { #"[\#(end - step * Double(count - 1 - $0)),"\#(value)"]"# }.joined(separator: ",")
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(series(#""values":[\#(values)]"#))]}}"#)
        }
        let query = request.field("query") ?? ""
        let time = request.field("time") ?? "0"
        if query.hasPrefix("count(") {
            return .json(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[\#(time),"\#(services.count)"]}]}}"#)
        }
        // The health panel's `up` queries answer 1; any other instant query (a graph's value at now) `value`.
        let instant = query.hasPrefix("up") ? "1" : value
        return .json(#"{"status":"success","data":{"resultType":"vector","result":[\#(series(#""value":[\#(time),"\#(instant)"]"#))]}}"#)
    }

    static func series(_ values: String) -> String {
        services.map { #"{"metric":{"service":"\#($0)","job":"microservices","instance":"\#($0):8080"},\#(values)}"# }
            .joined(separator: ",")
    }
}
