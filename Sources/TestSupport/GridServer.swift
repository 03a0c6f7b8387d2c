import Foundation
import Synchronization

/// A `query_range` endpoint whose answer is a function of time, for the incremental refresh's tests: `series` series
/// (`series="s0"` …), each with the value `t / 60 + index` at every step of the asked grid, and series `s1` absent
/// after `stopAfter` (a series that stops). Every asked range is logged as (start, end). Served by
/// `AdversarialServer` (plain sockets, no NIO server to stop while a client connects).
public enum GridServer {
    public final class Log: Sendable {
        private let ranges = Mutex<[(start: Double, end: Double)]>([])
        public init() {}
        public var asked: [(start: Double, end: Double)] { ranges.withLock { $0 } }
        func add(_ start: Double, _ end: Double) { ranges.withLock { $0.append((start, end)) } }
    }

    public static func start(series: Int = 3, stopAfter: Double = .infinity, log: Log) throws -> AdversarialServer {
        try AdversarialServer { request in
            guard request.path.hasSuffix("/api/v1/query_range"), let start = request.number("start"),
                  let end = request.number("end"), let step = request.number("step"), step > 0
            else { return .json(#"{"status":"error","errorType":"bad_data","error":"not a range query"}"#, status: 400) }
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
            return .json(#"{"status":"success","data":{"resultType":"matrix","result":[\#(streams.joined(separator: ","))]}}"#)
        }
    }
}
