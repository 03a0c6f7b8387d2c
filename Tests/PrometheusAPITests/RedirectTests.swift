import Foundation
import PrometheusAPI
import Testing
import TestSupport

/// Redirects, followed by the client itself: credentials and the user's headers stay with the server they were given
/// for; HTTPS never turns into plain HTTP (issue "hostile input, third round").
@Suite("Redirects")
struct RedirectTests {
    static let empty = #"{"status":"success","data":{"resultType":"vector","result":[]}}"#

    static func options(_ base: String) throws -> ConnectionOptions {
        var options = ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(base))
        options.authorization = .bearer(token: "t0ken-\(UInt32.random(in: 0...UInt32.max))")
        options.headers = [HeaderField(name: "X-Api-Key", value: "k3y"), HeaderField(name: "X-Scope-OrgID", value: "team-a")]
        return options
    }

    static func redirect(_ status: Int, to location: String) -> TransportResponse {
        TransportResponse(status: status, reason: "Moved", headers: [.init(name: "Location", value: location)], body: Data())
    }

    func names(_ request: TransportRequest) -> Set<String> { Set(request.headers.map { $0.name.lowercased() }) }

    @Test("another host, port or scheme gets none of the credentials or the user's headers", arguments: [
        "http://other.test/api/v1/query", "http://prometheus.test:9091/api/v1/query", "https://prometheus.test/api/v1/query",
    ])
    func anotherOrigin(_ location: String) async throws {
        let transport = ScriptedTransport { request in
            request.url.hasPrefix("http://prometheus.test/") ? Self.redirect(307, to: location) : .json(Self.empty)
        }
        let client = PrometheusClient(options: try Self.options("http://prometheus.test"), transport: transport)
        _ = try await client.query("up")
        await client.shutdown()
        let (first, second) = (transport.requests[0], transport.requests[1])
        #expect(names(first).isSuperset(of: ["authorization", "x-api-key", "x-scope-orgid", "user-agent"]))
        #expect(second.url == location && second.method == "POST" && second.body == first.body, "307 keeps the method and the form")
        #expect(names(second).isDisjoint(with: ["authorization", "x-api-key", "x-scope-orgid"]), "\(names(second))")
        #expect(names(second).contains("user-agent"))
    }

    @Test func theSameOriginKeepsEverything() async throws {
        let transport = ScriptedTransport { request in
            request.url.contains("/prometheus/") ? .json(Self.empty) : Self.redirect(308, to: "/prometheus/api/v1/query")
        }
        let client = PrometheusClient(options: try Self.options("http://prometheus.test"), transport: transport)
        _ = try await client.query("up")
        await client.shutdown()
        #expect(transport.requests.count == 2)
        #expect(transport.requests[1].url == "http://prometheus.test/prometheus/api/v1/query")
        #expect(names(transport.requests[1]).isSuperset(of: ["authorization", "x-api-key", "x-scope-orgid"]))
    }

    @Test func httpsToPlainHTTPIsRefused() async throws {
        let transport = ScriptedTransport { _ in Self.redirect(302, to: "http://prometheus.test/api/v1/query") }
        let client = PrometheusClient(options: try Self.options("https://prometheus.test"), transport: transport)
        await #expect {
            _ = try await client.query("up")
        } throws: { error in
            "\(error)".contains("redirected from HTTPS to plain HTTP (http://prometheus.test/api/v1/query): refused")
        }
        await client.shutdown()
        #expect(transport.requests.count == 1, "nothing is sent over plain HTTP")
    }

    @Test func seeOtherAsksAgainWithGET() async throws {
        let transport = ScriptedTransport { request in
            request.url.hasSuffix("/moved") ? .json(Self.empty) : Self.redirect(303, to: "/moved")
        }
        let client = PrometheusClient(options: try Self.options("http://prometheus.test"), transport: transport)
        _ = try await client.query("up")
        await client.shutdown()
        #expect(transport.requests[1].method == "GET" && transport.requests[1].body == nil)
    }

    @Test func aLoopOfRedirectsEnds() async throws {
        let transport = ScriptedTransport { request in Self.redirect(302, to: request.url.hasSuffix("/a") ? "/b" : "/a") }
        let client = PrometheusClient(options: try Self.options("http://prometheus.test"), transport: transport)
        await #expect {
            _ = try await client.query("up")
        } throws: { error in
            "\(error)".contains("more than 5 redirects")
        }
        await client.shutdown()
        #expect(transport.requests.count == 6)
    }

    /// The real transport over loopback: it hands the redirect to the client instead of following it itself, and
    /// the second server, on another port, gets neither the token nor the API key.
    @Test func overHTTPTheOtherPortGetsNoSecrets() async throws {
        let target = try AdversarialServer { _ in .json(Self.empty) }
        defer { target.stop() }
        let first = try AdversarialServer { _ in .json("", status: 307, headers: ["Location": target.url + "/api/v1/query"]) }
        defer { first.stop() }
        try await withPrometheusClient(try Self.options(first.url)) { client in
            _ = try await client.query("up")
        }
        let asked = try #require(target.requests.last)
        #expect(first.requests.first?.headers["authorization"]?.hasPrefix("Bearer t0ken-") == true)
        #expect(asked.headers["authorization"] == nil && asked.headers["x-api-key"] == nil && asked.headers["x-scope-orgid"] == nil)
        #expect(asked.path == "/api/v1/query")
    }
}
