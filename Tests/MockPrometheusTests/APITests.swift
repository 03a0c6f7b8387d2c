import AsyncHTTPClient
import DashboardCore
import Foundation
import NIOCore
import NIOHTTP1
import PrometheusAPI
import Testing
import TestSupport

@testable import MockPrometheus

/// The mock over HTTP: answers decode with lookout's own client and have the structure of answers recorded from a
/// real Prometheus 2.42 (Sources/TestSupport/Fixtures).
@Suite("Mock Prometheus HTTP API", .timeLimit(.minutes(2)))
struct APITests {
    /// 2026-11-25 15:00:07 UTC.
    static let now = Date(timeIntervalSince1970: 1_795_618_807)

    static func configuration(_ scenario: Scenario = .incident) -> MockPrometheusServer.Configuration {
        var configuration = MockPrometheusServer.Configuration()
        configuration.scenario = scenario
        configuration.seed = 7
        configuration.now = { APITests.now }
        return configuration
    }

    func withClient<T: Sendable>(
        _ scenario: Scenario = .incident, _ body: (PrometheusClient, MockPrometheusServer) async throws -> T
    ) async throws -> T {
        try await withMockPrometheus(APITests.configuration(scenario)) { server in
            // As long as `fetch` waits: these tests check answers, and a debug build of the mock evaluating the rules
            // on a machine busy with the other suites took more than the client's default 10 s once.
            let options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.baseURL), timeout: .seconds(30))
            return try await withPrometheusClient(options) { client in try await body(client, server) }
        }
    }

    /// A raw request: status, content type and body.
    func fetch(_ url: String, method: HTTPMethod = .GET, form: String? = nil) async throws -> (Int, String, String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), response.headers.first(name: "Content-Type") ?? "", String(buffer: body))
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    func fixture(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Fixtures.data(name))
    }

    /// The keys of a JSON object at a path of keys and indices.
    func keys(_ value: Any, _ path: [Any] = []) -> Set<String> {
        var current: Any? = value
        for step in path {
            if let key = step as? String { current = (current as? [String: Any])?[key] }
            if let index = step as? Int { current = (current as? [Any]).flatMap { $0.indices.contains(index) ? $0[index] : nil } }
        }
        return Set((current as? [String: Any])?.keys.map { $0 } ?? [])
    }

    @Test("the dashboard's four queries decode with PrometheusClient, instant and range")
    func dashboardQueries() async throws {
        try await withClient { client, _ in
            for panel in Dashboard.microservices.panels {
                for target in panel.targets {
                    let instant = try await client.query(target.expr).data
                    guard case .vector(let samples) = instant else {
                        Issue.record("\(target.expr): \(instant)")
                        continue
                    }
                    #expect(Set(samples.compactMap { $0.metric["service"] }) == Set(World.serviceNames), "\(target.expr)")
                    #expect(samples.allSatisfy { $0.value.timestamp == APITests.now.timeIntervalSince1970 })
                    let range = QueryRange(start: APITests.now.addingTimeInterval(-3600), end: APITests.now, step: 60)
                    let matrix = try await client.queryRange(target.expr, range: range).data
                    guard case .matrix(let streams) = matrix else {
                        Issue.record("\(target.expr): not a matrix")
                        continue
                    }
                    #expect(streams.count == 4)
                    #expect(streams.allSatisfy { $0.values.count == 61 })
                }
            }
            let health = try await client.query(#"up{job="microservices"} == 1"#).data.streams
            #expect(health.count == 4)
        }
    }

    @Test("alerts, rules, targets and build info decode; the incident fires all four rules")
    func otherEndpoints() async throws {
        try await withClient { client, _ in
            let alerts = try await client.alerts().data
            #expect(Set(alerts.map(\.name)) == ["HighErrorRate", "HighLatency", "PodCrashLooping", "DeploymentReplicasMismatch"])
            #expect(alerts.allSatisfy { $0.state == .firing })
            let activeAt = try #require(alerts.first?.activeAt)
            #expect(abs(activeAt.timeIntervalSince(APITests.now.addingTimeInterval(-3600)) - 23) < 1, "since the first evaluation")
            let highError = try #require(alerts.first { $0.name == "HighErrorRate" })
            #expect(highError.annotations["description"]?.hasPrefix("payment-service has an error rate of ") == true)
            #expect(highError.annotations["description"]?.hasSuffix("%") == true)
            #expect((highError.value ?? 0) > 0.05)

            let groups = try await client.rules().data
            #expect(groups.map(\.name) == ["microservices.rules", "operations"])
            #expect(groups.last?.rules.allSatisfy { $0.state == .inactive && $0.health == "ok" } == true, "the backups are fine in the incident")
            #expect(groups.first?.interval == 30)
            #expect(groups.first?.rules.map(\.name) == ["HighErrorRate", "HighLatency", "PodCrashLooping", "DeploymentReplicasMismatch"])
            #expect(groups.first?.rules.allSatisfy { $0.state == .firing && $0.duration == 300 && $0.health == "ok" } == true)

            let targets = try await client.targets().data
            #expect(targets.activeTargets.map { $0.labels["service"] ?? "" } == World.serviceNames)
            #expect(targets.activeTargets.allSatisfy { $0.health == .up })

            let build = try await client.buildInfo().data
            #expect(build.version.hasPrefix("2.42.0"))
        }
        try await withClient(.outage) { client, server in
            let down = try #require(server.api.world.downService)
            let targets = try await client.targets().data
            #expect(targets.activeTargets.first { $0.labels["service"] == down }?.health == .down)
            #expect(targets.activeTargets.first { $0.labels["service"] == down }?.lastError.contains("connection refused") == true)
        }
        try await withClient(.calm) { client, _ in
            let alerts = try await client.alerts().data
            #expect(alerts.isEmpty)
            let rules = try await client.rules().data
            #expect(rules.first?.rules.allSatisfy { $0.state == .inactive } == true)
        }
    }

    @Test("backup-stale: the last backup 30 h ago and its job failed fire BackupTooOld and BackupJobFailed, nothing else")
    func backupStale() async throws {
        try await withClient(.backupStale) { client, _ in
            let alerts = try await client.alerts().data
            #expect(Set(alerts.map(\.name)) == ["BackupTooOld", "BackupJobFailed"])
            #expect(alerts.allSatisfy { $0.state == .firing })
            let old = try #require(alerts.first { $0.name == "BackupTooOld" })
            #expect(old.annotations["description"]?.contains("last succeeded 1d 6h ") == true, "\(old.annotations)")
            let age = try await client.query(#"time() - kube_cronjob_status_last_successful_time{cronjob="postgresql-backup"}"#).data
            guard case .vector(let samples) = age else { Issue.record("not a vector"); return }
            #expect(samples.first.map { abs($0.value.value - 30 * 3600) < 120 } == true)
        }
    }

    @Test("answers have the structure of a real Prometheus' answers")
    func structure() async throws {
        try await withClient { _, server in
            let base = server.baseURL
            func get(_ path: String) async throws -> Any {
                let (status, type, body) = try await fetch(base + path)
                #expect(status == 200, "\(path): \(body)")
                #expect(type == "application/json")
                return try json(body)
            }
            let vector = try await get("/api/v1/query?query=up")
            let vectorFixture = try fixture("query_vector.json")
            #expect(keys(vector) == keys(vectorFixture))
            #expect(keys(vector, ["data"]) == keys(vectorFixture, ["data"]))
            #expect(keys(vector, ["data", "result", 0]) == keys(vectorFixture, ["data", "result", 0]))
            let pair = ((vector as? [String: Any])?["data"] as? [String: Any]).flatMap { ($0["result"] as? [[String: Any]])?.first?["value"] as? [Any] }
            #expect(pair?.count == 2 && pair?[0] is NSNumber && pair?[1] is String)

            let range = try await get("/api/v1/query_range?query=up&start=1795615200&end=1795615260&step=15")
            let rangeFixture = try fixture("query_range_matrix.json")
            #expect(keys(range, ["data"]) == keys(rangeFixture, ["data"]))
            #expect(keys(range, ["data", "result", 0]) == keys(rangeFixture, ["data", "result", 0]))

            let scalar = try await get("/api/v1/query?query=1.5e-7&time=1795616011.812")
            #expect((scalar as? NSDictionary)?.isEqual(to: ["status": "success", "data": ["resultType": "scalar", "result": [1795616011.812, "0.00000015"]]]) == true)
            let string = try await get("/api/v1/query?query=%22hello%22&time=1795616012.067")
            #expect((string as? NSDictionary)?.isEqual(to: try fixture("query_string.json") as? [String: Any] ?? [:]) == true)

            for (path, name) in [("/api/v1/alerts", "alerts.json"), ("/api/v1/targets", "targets.json")] {
                let answer = try await get(path)
                let recorded = try fixture(name)
                #expect(keys(answer, ["data"]) == keys(recorded, ["data"]), "\(path)")
                let list = path.hasSuffix("alerts") ? "alerts" : "activeTargets"
                #expect(keys(answer, ["data", list, 0]) == keys(recorded, ["data", list, 0]), "\(path)")
            }
            let rules = try await get("/api/v1/rules")
            let rulesFixture = try fixture("rules.json")
            #expect(keys(rules, ["data", "groups", 0]) == keys(rulesFixture, ["data", "groups", 0]))
            #expect(keys(rules, ["data", "groups", 0, "rules", 0]) == keys(rulesFixture, ["data", "groups", 0, "rules", 0]))
            #expect(keys(rules, ["data", "groups", 0, "rules", 0, "alerts", 0]) == keys(rulesFixture, ["data", "groups", 0, "rules", 0, "alerts", 0]))
            let build = try await get("/api/v1/status/buildinfo")
            #expect(keys(build, ["data"]) == keys(try fixture("buildinfo.json"), ["data"]))
        }
    }

    @Test("errors: bad_data with Prometheus' messages and status codes, plain 404, 405")
    func errors() async throws {
        try await withClient { client, server in
            let base = server.baseURL
            func expectError(_ path: String, form: String? = nil, equalTo fixtureName: String) async throws {
                let (status, _, body) = try await fetch(base + path, method: form == nil ? .GET : .POST, form: form)
                #expect(status == 400)
                #expect((try json(body) as? NSDictionary)?.isEqual(to: try fixture(fixtureName) as? [String: Any] ?? [:]) == true, "\(body)")
            }
            try await expectError("/api/v1/query", form: "query=sum(rate(http_requests_total%5B5m%5D))%20by%20(service", equalTo: "error_bad_data.json")
            try await expectError("/api/v1/query_range?query=up&start=0&end=100&step=0", equalTo: "error_bad_step.json")
            try await expectError("/api/v1/query_range?query=up&start=0&end=100000&step=1", equalTo: "error_too_many_points.json")

            let apiError = await #expect(throws: PrometheusError.self) { _ = try await client.query("") }
            guard case .api(let type, let message, let status) = apiError else {
                Issue.record("expected an API error, got \(String(describing: apiError))")
                return
            }
            #expect(type == "bad_data" && status == 400)
            #expect(message == "invalid parameter \"query\": 1:1: parse error: no expression found in input")

            let unsupported = await #expect(throws: PrometheusError.self) { _ = try await client.query("predict_linear(up[5m], 60)") }
            #expect(unsupported?.description.contains("unsupported function \"predict_linear\"") == true)

            let many = await #expect(throws: PrometheusError.self) { _ = try await client.query("up + on (job) up") }
            guard case .api(let manyType, _, let manyStatus) = many else {
                Issue.record("many-to-many matching is not an API error: \(String(describing: many))")
                return
            }
            #expect(manyType == "execution" && manyStatus == 422)

            let (notFound, notFoundType, notFoundBody) = try await fetch(base + "/api/v1/nope")
            #expect("\(notFound)" == (try Fixtures.text("unknown_path_status.txt")).trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(notFoundType.hasPrefix("text/plain") && notFoundBody == "404 page not found\n")
            let (notAllowed, _, _) = try await fetch(base + "/api/v1/alerts", method: .POST, form: "")
            #expect(notAllowed == 405)
            let (badTime, _, timeBody) = try await fetch(base + "/api/v1/query?query=up&time=abc")
            #expect(badTime == 400 && timeBody.contains(#"invalid parameter \"time\""#))
            let (badStep, _, stepBody) = try await fetch(base + "/api/v1/query_range?query=up&start=0&end=100&step=1e300")
            #expect(badStep == 400 && stepBody.contains("It overflows int64"))
            let (backwards, _, backwardsBody) = try await fetch(base + "/api/v1/query_range?query=up&start=100&end=0&step=1")
            #expect(backwards == 400 && backwardsBody.contains("end timestamp must not be before start time"))
        }
    }

    @Test("GET and form POST give the same answer; series, labels and label values")
    func metadata() async throws {
        try await withClient { _, server in
            let base = server.baseURL
            let expr = #"sum(rate(http_requests_total{status_code=~"5.."}[5m])) by (service)"#
            let encoded = expr.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let (_, _, viaGet) = try await fetch(base + "/api/v1/query?query=\(encoded)")
            let (_, _, viaPost) = try await fetch(base + "/api/v1/query", method: .POST, form: "query=\(encoded)")
            #expect((try json(viaGet) as? NSDictionary)?.isEqual(to: try json(viaPost) as? [String: Any] ?? [:]) == true)

            let (_, _, series) = try await fetch(base + "/api/v1/series?match%5B%5D=up&match%5B%5D=kube_deployment_spec_replicas%7Bdeployment%3D%22order-service%22%7D")
            let list = (try json(series) as? [String: Any])?["data"] as? [[String: String]]
            #expect(list?.count == 5)
            #expect(list?.contains(["__name__": "kube_deployment_spec_replicas", "namespace": "microservices-app", "deployment": "order-service"]) == true)
            let (missing, _, missingBody) = try await fetch(base + "/api/v1/series")
            #expect(missing == 400 && missingBody.contains("no match[] parameter provided"))
            let (badMatch, _, badBody) = try await fetch(base + "/api/v1/series?match%5B%5D=sum(up)")
            #expect(badMatch == 400 && badBody.contains(#"invalid parameter \"match[]\""#))

            let (_, _, labels) = try await fetch(base + "/api/v1/labels")
            let names = (try json(labels) as? [String: Any])?["data"] as? [String]
            #expect(names == [
                "__name__", "alertname", "alertstate", "container", "cronjob", "deployment", "instance", "job", "job_name", "le", "namespace",
                "persistentvolumeclaim", "pod", "service", "severity", "status_code",
            ])
            let (_, _, values) = try await fetch(base + "/api/v1/label/service/values")
            #expect(((try json(values) as? [String: Any])?["data"] as? [String]) == World.serviceNames.sorted())
            let (_, _, metricNames) = try await fetch(base + "/api/v1/label/__name__/values")
            #expect(((try json(metricNames) as? [String: Any])?["data"] as? [String])?.contains("http_request_duration_seconds_bucket") == true)
            let (badName, _, badNameBody) = try await fetch(base + "/api/v1/label/a-b/values")
            #expect(badName == 400 && badNameBody.contains(#"invalid label name: \"a-b\""#))

            let (healthy, _, healthyBody) = try await fetch(base + "/-/healthy")
            #expect(healthy == 200 && healthyBody == "Prometheus Server is Healthy.\n")
            let (ready, _, _) = try await fetch(base + "/-/ready")
            #expect(ready == 200)
            let (metrics, metricsType, exposition) = try await fetch(base + "/metrics")
            #expect(metrics == 200 && metricsType == "text/plain; version=0.0.4; charset=utf-8")
            #expect(exposition == server.api.world.exposition(at: Int64(APITests.now.timeIntervalSince1970 * 1000)))
        }
    }

    /// Each hostile query is an API error (bad_data or execution): one that made the mock work without bound would
    /// be the client's timeout instead, a transport error, and fail the test. How fast is the benchmarks' business.
    @Test("hostile queries get errors, not unbounded work, and the server keeps answering")
    func hostileInput() async throws {
        try await withClient(.calm) { client, server in
            let hostile = [
                String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000),
                (0..<20_000).map { _ in "up" }.joined(separator: " + "),
                String(repeating: "sum(", count: 20_000) + "up" + String(repeating: ")", count: 20_000),
                "rate(http_requests_total[100y])",
                "rate(http_requests_total[9223372036854775807ms])",
                "\u{0}\u{1}garbage\u{7F}",
                "up{job=~\"[\"}",
                "sum(up) by (" + String(repeating: "a,", count: 50_000) + ")) by (b)",
            ]
            for query in hostile {
                let result = await #expect(throws: PrometheusError.self) { _ = try await client.query(query) }
                guard case .api(let type, _, _)? = result else {
                    Issue.record("not an API error: \(String(describing: result))")
                    continue
                }
                #expect(type == "bad_data" || type == "execution")
            }
            // Odd but valid: answered normally.
            for query in ["up{job=~\"(a+)+$\"}", "histogram_quantile(9e999, up)", "-(-(-up))", "1e308 * 10", "0x7FFFFFFFFFFFFFFF"] {
                _ = try await client.query(query)
            }
            let base = server.baseURL
            for path in [
                "/api/v1/query_range?query=up&start=0&end=1e12&step=0.001",
                "/api/v1/query_range?query=up&start=-1e300&end=1e300&step=1",
                "/api/v1/query_range?query=up&start=NaN&end=1&step=1",
                "/api/v1/query?query=up&time=1e300",
                "/api/v1/query_range?query=up&start=0&end=1&step=-5",
            ] {
                let (status, _, _) = try await fetch(base + path)
                #expect(status == 400, "\(path)")
            }
            #expect(try await client.query("vector(1)").data.streams.count == 1)
        }
    }

    @Test("the server binds a free port, reports it, and stops")
    func lifecycle() async throws {
        let server = try await MockPrometheusServer.start(APITests.configuration())
        #expect(server.port > 0)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
        let (status, _, _) = try await fetch(server.baseURL + "/-/ready")
        #expect(status == 200)
        await server.stop()
        // lookout's client does not retry a refused connection (HTTPClient.shared would, until its deadline).
        let options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(server.baseURL))
        try await withPrometheusClient(options) { client in
            let error = await #expect(throws: PrometheusError.self) { _ = try await client.buildInfo() }
            guard case .transport? = error else {
                Issue.record("expected a refused connection, got \(String(describing: error))")
                return
            }
        }
        await server.stop()
        var taken = APITests.configuration()
        taken.port = server.port
        let again = try await MockPrometheusServer.start(taken)
        #expect(again.port == server.port, "the port is free again")
        var clash = APITests.configuration()
        clash.port = again.port
        await #expect(throws: MockServerError.self) { _ = try await MockPrometheusServer.start(clash) }
        await again.stop()
    }
}
