import AsyncHTTPClient
import Foundation
import NIOCore

/// Plain HTTP for tests that poke a real server themselves (its `/metrics`, `POST /-/reload`).
///
/// Each request has a connection of its own (`Connection: close`): a pooled connection can outlive the server it was
/// opened to (a harness stopped, its port handed to the next one), and a request sent on it is reset. A request that
/// is reset or refused before any answer is sent once more, on a new connection.
public enum HTTPGet {
    /// The body of a GET, as text (at most 16 MiB).
    public static func text(_ url: String) async throws -> String {
        try await send(HTTPClientRequest(url: url)) { response in
            String(buffer: try await response.body.collect(upTo: 16 << 20))
        }
    }

    /// The status of a POST, without a body or with a JSON one.
    public static func post(_ url: String, json: Data? = nil) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        return try await send(request) { response in
            _ = try await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        }
    }

    static func send<T>(_ request: HTTPClientRequest, _ read: (HTTPClientResponse) async throws -> T) async throws -> T {
        var request = request
        request.headers.replaceOrAdd(name: "connection", value: "close")
        do {
            return try await read(try await HTTPClient.shared.execute(request, timeout: .seconds(10)))
        } catch let error where isConnectionLevel(error) {
            return try await read(try await HTTPClient.shared.execute(request, timeout: .seconds(10)))
        }
    }

    /// A connection reset or closed under the request, or refused: not an answer of the server's.
    static func isConnectionLevel(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return error == .remoteConnectionClosed
        }
        if let error = error as? IOError {
            return [ECONNRESET, ECONNREFUSED, EPIPE].contains(error.errnoCode)
        }
        return false
    }
}
