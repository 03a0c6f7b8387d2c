import AsyncHTTPClient
import Foundation
import NIOCore

/// Plain HTTP for tests that poke a real server themselves (its `/metrics`, `POST /-/reload`).
public enum HTTPGet {
    /// The body of a GET, as text (at most 16 MiB).
    public static func text(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        return String(buffer: body)
    }

    /// The status of a POST without a body.
    public static func post(_ url: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
