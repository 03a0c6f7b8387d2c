import SafeText
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport
import PrometheusModels

@testable import PrometheusAPI

/// Decoding of answers recorded from a real Prometheus 2.42 (Sources/TestSupport/Fixtures).
@Suite("Decoding Prometheus answers")
struct DecodingTests {
    let url = "http://prometheus.test/api/v1/query"

    func decode<T: Decodable & Sendable>(
        _ fixture: String, as: T.Type, status: HTTPResponseStatus = .ok
    ) throws -> APIResponse<T> {
        try PrometheusClient.decode(T.self, status: status, body: ByteBuffer(bytes: try Fixtures.data(fixture)), url: url)
    }

    func decodeError(_ fixture: String, status: HTTPResponseStatus) throws -> PrometheusError? {
        do {
            _ = try decode(fixture, as: QueryResult.self, status: status)
            return nil
        } catch let error as PrometheusError {
            return error
        }
    }

    @Test func anInstantVectorKeepsEverySampleAndItsLabels() throws {
        guard case .vector(let samples) = try decode("query_vector.json", as: QueryResult.self).data else {
            Issue.record("not a vector")
            return
        }
        #expect(samples.count == 2)
        let down = try #require(samples.first { $0.metric["job"] == "microservices" })
        #expect(down.metric["service"] == "payment-service")
        #expect(down.metric["__name__"] == "up")
        #expect(down.value.value == 0)
        #expect(down.value.timestamp > 1_700_000_000)
    }

    @Test func specialValuesAndExponentFormsBecomeDoubles() throws {
        let result = try decode("query_specials.json", as: QueryResult.self).data
        let byName = Dictionary(uniqueKeysWithValues: result.streams.map { ($0.metric["v"] ?? "", $0.values[0].value) })
        #expect(byName["nan"]?.isNaN == true)
        #expect(byName["+inf"] == .infinity)
        #expect(byName["-inf"] == -.infinity)
        #expect(byName["tiny"] == 1.1426999057377495e-21)
        #expect(byName["huge"] == 6.02e23)
    }

    @Test func aScalarAndAStringDecode() throws {
        guard case .scalar(let pair) = try decode("query_scalar.json", as: QueryResult.self).data else {
            Issue.record("not a scalar")
            return
        }
        #expect(pair.value == 1.5e-7)
        guard case .string(let text) = try decode("query_string.json", as: QueryResult.self).data else {
            Issue.record("not a string")
            return
        }
        #expect(text.value == "hello")
    }

    @Test func aMatrixWithMissingStepsIsKeptAsSent() throws {
        guard case .matrix(let streams) = try decode("query_range_gaps.json", as: QueryResult.self).data else {
            Issue.record("not a matrix")
            return
        }
        let times = try #require(streams.first).values.map(\.timestamp)
        #expect(times.count >= 3)
        let steps = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect(steps.contains { $0 > 1 }, "the recorded answer skips steps: \(times)")
        #expect(times == times.sorted())
    }

    @Test func aMatrixOfNaNAndInfinityDecodes() throws {
        let streams = try decode("query_range_nan.json", as: QueryResult.self).data.streams
        #expect(streams.count == 2)
        #expect(streams.contains { $0.values.allSatisfy { $0.value.isNaN } })
        #expect(streams.contains { $0.values.allSatisfy { $0.value == .infinity } })
    }

    @Test func anEmptyResultIsAnEmptyVector() throws {
        #expect(try decode("query_empty.json", as: QueryResult.self).data == .vector([]))
    }

    @Test func alertsCarryStateTimeValueAndRenderedAnnotations() throws {
        let alerts = try decode("alerts.json", as: AlertsData.self).data.alerts
        let firing = try #require(alerts.first { $0.state == .firing })
        #expect(firing.name == "AlwaysFiring")
        #expect(firing.labels["severity"] == "critical")
        #expect(firing.annotations["description"] == "payment-service has an error rate of 11.43%")
        #expect(firing.value == 0.1142699905737749)
        let activeAt = try #require(firing.activeAt)
        #expect(RFC3339.format(activeAt).hasPrefix("2026-11-25T14:13:19.28"))
        #expect(alerts.contains { $0.state == .pending && $0.name == "SlowToFire" })
    }

    @Test func rulesTargetsAndBuildInfoDecode() throws {
        let groups = try decode("rules.json", as: RulesData.self).data.groups
        let rules = try #require(groups.first).rules
        #expect(rules.map(\.name) == ["AlwaysFiring", "SlowToFire", "job:up:sum"])
        #expect(rules[0].kind == .alerting && rules[0].state == .firing && rules[0].alerts.count == 1)
        #expect(rules[2].kind == .recording)

        let targets = try decode("targets.json", as: TargetsResult.self).data
        let down = try #require(targets.activeTargets.first { $0.scrapePool == "microservices" })
        #expect(down.health == .down)
        #expect(down.lastError.contains("connection refused"))
        #expect(targets.activeTargets.contains { $0.health == .up })

        let build = try decode("buildinfo.json", as: BuildInfo.self).data
        #expect(build.version.hasPrefix("2.42"))
    }

    @Test func apiErrorsKeepTypeMessageAndStatus() throws {
        let parse = try decodeError("error_bad_data.json", status: .badRequest)
        #expect(parse == .api(
            errorType: "bad_data",
            message: #"invalid parameter "query": 1:47: parse error: unclosed left parenthesis"#, httpStatus: 400))
        #expect(parse?.description == #"Prometheus API error bad_data (HTTP 400): invalid parameter "query": 1:47: parse error: unclosed left parenthesis"#)
        guard case .api(_, let step, _) = try decodeError("error_bad_step.json", status: .badRequest) else {
            Issue.record("not an API error")
            return
        }
        #expect(step.contains("zero or negative query resolution step"))
        guard case .api(_, let points, _) = try decodeError("error_too_many_points.json", status: .badRequest) else {
            Issue.record("not an API error")
            return
        }
        #expect(points.contains("11,000 points"))
    }

    @Test func warningsAreSurfacedAndSanitised() throws {
        // Prometheus 2.42 sends warnings only from remote reads; this envelope has the documented shape.
        let body = #"{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["partial response: store \u001b[31mB\u001b[0m down"]}"#
        let response = try PrometheusClient.decode(
            QueryResult.self, status: .ok, body: ByteBuffer(string: body), url: url)
        #expect(response.warnings == ["partial response: store B down"])
    }

    @Test func aNonJSONAnswerNamesStatusAndFirstLine() throws {
        let html = "<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>"
        #expect(throws: PrometheusError.unexpectedResponse(
            url: url, httpStatus: 502, reason: "Bad Gateway",
            firstLine: "<html><head><title>502 Bad Gateway</title></head>")
        ) {
            try PrometheusClient.decode(QueryResult.self, status: .badGateway, body: ByteBuffer(string: html), url: url)
        }
        // Prometheus answers an unknown path with a plain 404 (recorded): decoding it gives the one line.
        let notFound = try Fixtures.text("unknown_path_status.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(notFound == "404")
        #expect {
            try PrometheusClient.decode(QueryResult.self, status: .notFound, body: ByteBuffer(string: "404 page not found\n"), url: url)
        } throws: { error in
            (error as? PrometheusError)?.description
                == "HTTP 404 Not Found from \(url), not a Prometheus API answer (body: 404 page not found)"
        }
    }

    @Test func jsonOfTheWrongShapeIsADecodingError() throws {
        let body = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"fast"]}]}}"#
        #expect {
            try PrometheusClient.decode(QueryResult.self, status: .ok, body: ByteBuffer(string: body), url: url)
        } throws: { error in
            guard case PrometheusError.decoding(_, let detail) = error else { return false }
            return detail.contains("not a number")
        }
    }

    @Test func errorDescriptionsAreOneSanitisedLine() {
        let evil = PrometheusError.api(errorType: "bad_data", message: "line1\n\u{1B}]52;c;AAAA\u{07}line2", httpStatus: 400)
        #expect(evil.description == "Prometheus API error bad_data (HTTP 400): line1 line2")
        // Messages are cut at 2 KB (InputLimits.messageCharacters), with an ellipsis.
        let long = PrometheusError.api(errorType: "execution", message: String(repeating: "x", count: 100_000), httpStatus: 422)
        #expect(long.description.count < InputLimits.messageCharacters + 60)
        #expect(long.description.hasSuffix("x…"))
        #expect(!long.description.contains("\n"))
    }

    @Test(arguments: [
        ("2026-11-25T14:13:19.280829477Z", 1_795_615_999.280829477),
        ("2026-11-25T14:13:19Z", 1_795_615_999.0),
        ("2026-11-25T15:13:19.5+01:00", 1_795_615_999.5),
        ("1970-01-01T00:00:00Z", 0.0),
    ])
    func rfc3339TimesParse(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test func badTimesAreRejected() {
        for text in ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-25 14:13:19Z", "2026-11-25T14:13:19", "2026-11-25T14:13:19.Z"] {
            #expect(RFC3339.parse(text) == nil, "\(text)")
        }
    }
}
