import Foundation
import PrometheusAPI
import Testing
import TestSupport

@testable import MockPrometheus

/// The mock as Prometheus protects itself: a deadline per query, a bound on concurrent evaluations, health checks
/// that never wait behind queries, and a stop that does not wait for queries in flight. Each is answered in
/// Prometheus' error shape.
@Suite("The mock under attack", .timeLimit(.minutes(1)))
struct MockUnderAttackTests {
    @discardableResult
    func withClient<T: Sendable>(
        _ limits: EvaluationLimits, _ body: (PrometheusClient, MockPrometheusServer) async throws -> T
    ) async throws -> T {
        var configuration = MockPrometheusServer.Configuration()
        configuration.limits = limits
        return try await withMockPrometheus(configuration) { server in
            let options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.baseURL))
            return try await withPrometheusClient(options) { client in try await body(client, server) }
        }
    }

    @Test func aQueryPastItsDeadlineIsATimeoutError() async throws {
        var limits = EvaluationLimits()
        limits.timeout = .zero
        try await withClient(limits) { client, _ in
            await #expect(throws: PrometheusError.api(errorType: "timeout", message: "query timed out in query execution", httpStatus: 503)) {
                try await client.query("up")
            }
        }
    }

    @Test func tooManyConcurrentQueriesAreUnavailableWhileHealthStillAnswers() async throws {
        var limits = EvaluationLimits()
        limits.maxConcurrent = 0
        try await withClient(limits) { client, server in
            await #expect {
                try await client.query("up")
            } throws: { error in
                guard case PrometheusError.api("unavailable", _, 503) = error else { return false }
                return (error as? PrometheusError)?.isConnectionFailure == true
            }
            let health = try await runCommand("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", server.baseURL + "/-/healthy"], timeLimit: 10)
            #expect(health.stdout == "200")
        }
    }

    @Test func aStoppingServerEndsQueriesInFlight() throws {
        let engine = Engine(source: World(seed: 1, scenario: .incident))
        engine.limits.stop.raise()
        #expect(throws: QueryError.timeout("query cancelled: the server is stopping")) {
            try engine.instantQuery("sum(rate(http_requests_total[5m]))", at: 1_795_618_807_000)
        }
    }

    @Test func aCatastrophicRegexAnswersLikeAnyOtherQuery() async throws {
        try await withClient(EvaluationLimits()) { client, _ in
            let result = try await client.query(#"up{service=~"(.*)*.*(.*)*.*x"}"#)
            #expect(result.data == .vector([]))
        }
    }
}

/// `lookout mock --listen` warns when the address reaches beyond this machine (the mock has no authentication).
@Suite("The mock's listen address")
struct MockListenAddressTests {
    @Test("loopback or not", arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true), ("LOCALHOST", true),
        ("0.0.0.0", false), ("::", false), ("192.168.1.5", false), ("10.0.0.1", false), ("example.com", false),
        ("127.0.0.256", false), ("127.evil.com", false),
    ])
    func loopback(_ host: String, _ expected: Bool) {
        #expect(MockPrometheusServer.isLoopback(host) == expected)
    }
}
