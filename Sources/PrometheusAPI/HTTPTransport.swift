import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOHTTP1
import SafeText

/// One HTTP request as `PrometheusClient` makes it: the method, the whole URL, the headers (the client's own and the
/// user's, in order) and the body.
public struct TransportRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [Header]
    public var body: Data?

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(method: String, url: String, headers: [Header] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The URL's path, without the query string.
    public var path: String {
        let parts = url.split(separator: "://", maxSplits: 1)
        let afterScheme = parts.count == 2 ? parts[1] : url[...]
        let fromPath = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        return String(fromPath.prefix { $0 != "?" })
    }

    /// The form fields of a POST body or the URL's query string, decoded.
    public var form: [(name: String, value: String)] {
        var text = ""
        if let body, header("Content-Type") == "application/x-www-form-urlencoded" {
            text = String(decoding: body, as: UTF8.self)
        } else if let query = url.firstIndex(of: "?") {
            text = String(url[url.index(after: query)...])
        }
        return text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring?) -> String {
                let plain = String(s ?? "").replacing("+", with: " ")
                return PercentEncoding.decode(plain) ?? plain
            }
            return (decode(parts.first), decode(parts.count > 1 ? parts[1] : nil))
        }
    }

    /// The value of one form field (`query`, `time`, `start`…).
    public func field(_ name: String) -> String? {
        form.first { $0.name == name }?.value
    }
}

/// An HTTP answer: the status, the headers and the body (at most the client's limit).
public struct TransportResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var headers: [TransportRequest.Header]
    public var body: Data

    public init(status: Int, reason: String = "", headers: [TransportRequest.Header] = [], body: Data) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// What carries `PrometheusClient`'s requests: AsyncHTTPClient for real servers (`AsyncHTTPTransport`), a scripted
/// transport in tests, so that the fetcher and the run loop run in process against answers a test controls. The
/// client adds the whole-answer deadline and maps errors; a transport sends, and throws what its library throws.
public protocol HTTPTransport: Sendable {
    /// Sends the request and collects at most `bodyLimit` bytes of the answer (more is an error).
    func send(_ request: TransportRequest, deadline nanoseconds: Int64, bodyLimit: Int) async throws -> TransportResponse
    func shutdown() async
}

/// The real transport: AsyncHTTPClient, with the TLS, redirect, proxy, decompression and time-out settings of the
/// connection.
public final class AsyncHTTPTransport: HTTPTransport {
    private let http: HTTPClient

    public init(options: ConnectionOptions, bodyLimit: Int) throws {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try PrometheusClient.tlsConfiguration(options.tls)
        // Redirects are followed by the client (`PrometheusClient.following`), which decides what may go on.
        configuration.redirectConfiguration = .disallow
        // A refused connection is an answer: report it at once instead of retrying until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .enabled(limit: .size(bodyLimit))
        let seconds = Int64(options.timeout.components.seconds)
        let connect = TimeAmount.seconds(max(1, min(seconds, 10)))
        configuration.timeout = .init(connect: connect, read: .nanoseconds(options.timeout.totalNanoseconds))
        if let proxy = options.proxy {
            let auth: HTTPClient.Authorization? = proxy.username.map { .basic(username: $0, password: proxy.password ?? "") }
            configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: auth)
        }
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func send(_ request: TransportRequest, deadline nanoseconds: Int64, bodyLimit: Int) async throws -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(outgoing, deadline: .now() + .nanoseconds(nanoseconds))
        let headers = response.headers.map { TransportRequest.Header(name: $0.name, value: $0.value) }
        // A throttled answer's body is not read: the client reports the pause.
        if response.status.code == 429 || (response.status.code == 503 && response.headers.first(name: "Retry-After") != nil) {
            return TransportResponse(status: Int(response.status.code), reason: response.status.reasonPhrase, headers: headers, body: Data())
        }
        let body = try await response.body.collect(upTo: bodyLimit)
        return TransportResponse(
            status: Int(response.status.code), reason: response.status.reasonPhrase, headers: headers,
            body: Data(body.readableBytesView))
    }

    public func shutdown() async {
        try? await http.shutdown()
    }
}
