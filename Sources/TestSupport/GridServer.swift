import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// A `query_range` endpoint whose answer is a function of time, for the incremental refresh's tests: `series` series
/// (`series="s0"` …), each with the value `t / 60 + index` at every step of the asked grid, and series `s1` absent
/// after `stopAfter` (a series that stops). Every asked range is logged as (start, end).
public enum GridServer {
    public final class Log: Sendable {
        private let ranges = Mutex<[(start: Double, end: Double)]>([])
        public init() {}
        public var asked: [(start: Double, end: Double)] { ranges.withLock { $0 } }
        func add(_ start: Double, _ end: Double) { ranges.withLock { $0.append((start, end)) } }
    }

    public static func start(series: Int = 3, stopAfter: Double = .infinity, log: Log) async throws -> TestHTTPServer {
        let router = Router()
        router.post("/api/v1/query_range") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            var form: [String: String] = [:]
            for pair in String(buffer: body).split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { form[String(parts[0])] = String(parts[1]).removingPercentEncoding }
            }
            guard let start = form["start"].flatMap(Double.init), let end = form["end"].flatMap(Double.init),
                  let step = form["step"].flatMap(Double.init), step > 0
            else { return Response(status: .badRequest) }
            log.add(start, end)
            var streams: [String] = []
            for index in 0..<series {
                var values: [String] = []
                var t = start
                while t <= end + 1e-9 {
                    if !(index == 1 && t > stopAfter) { values.append("[\(t),\"\(t / 60 + Double(index))\"]") }
                    t += step
                }
                if !values.isEmpty { streams.append(#"{"metric":{"series":"s\#(index)"},"values":[\#(values.joined(separator: ","))]}"#) }
            }
            let json = #"{"status":"success","data":{"resultType":"matrix","result":[\#(streams.joined(separator: ","))]}}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        return try await TestHTTPServer.start(router: router)
    }
}
