import FoundationEssentials
import Glibc
import SafeText
import Dispatch
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A Prometheus look-alike on a loopback port: the HTTP API (`/api/v1/…`), `/-/healthy`, `/-/ready` and `/metrics`
/// over the synthetic `World`, with the source design's alert rules.
///
/// In-process use (tests, `lookout demo`): `let server = try await MockPrometheusServer.start(configuration)`, then
/// `server.baseURL`, and `await server.stop()`. As a program (`lookout mock`): `run(…)`, which stops on SIGINT and
/// SIGTERM.
///
/// HTTP/1.1 straight on SwiftNIO (the client's own HTTP stack): a web framework would add megabytes to the one
/// binary for the few routes a Prometheus look-alike needs (README, "Install").
public final class MockPrometheusServer: Sendable {
    public struct Configuration: Sendable {
        /// Address to bind; loopback unless told otherwise.
        public var host = "127.0.0.1"
        /// Port to bind; 0 picks a free one (see `MockPrometheusServer.port`).
        public var port = 0
        public var seed: UInt64 = 1
        public var scenario: Scenario = .incident
        /// Since when the alert rules count as evaluated (as if Prometheus had been running since then); nil means
        /// an hour before the server starts, so alerts are already pending or firing at start.
        public var rulesSince: Date?
        public var limits = EvaluationLimits()
        /// Walk the rules' history as soon as the server listens, on NIO's blocking pool, so that the first
        /// `/api/v1/alerts` answers at once (`lookout mock` and `lookout demo`). Off by default: a test process that
        /// starts many servers would fill the pool with walks.
        public var warmUp = false
        /// The clock; tests pin it.
        public var now: @Sendable () -> Date = { Date() }

        public init() {}
    }

    /// The bound port.
    public let port: Int
    public let host: String
    public let api: MockPrometheusAPI
    private let channel: any Channel
    private let connections: Connections
    /// The server's own threads for evaluations, so that one server's queries never wait behind another's (tests
    /// start many in one process).
    private let pool: NIOThreadPool

    /// `http://host:port`.
    public var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    private init(host: String, port: Int, api: MockPrometheusAPI, channel: any Channel, connections: Connections, pool: NIOThreadPool) {
        self.pool = pool
        self.host = host
        self.port = port
        self.api = api
        self.channel = channel
        self.connections = connections
    }

    /// The API of a configuration (the world, the engine and the rules).
    public static func makeAPI(_ configuration: Configuration) -> MockPrometheusAPI {
        let start = configuration.now()
        return MockPrometheusAPI(
            world: World(seed: configuration.seed, scenario: configuration.scenario),
            rulesSince: configuration.rulesSince ?? start.addingTimeInterval(-3600),
            limits: configuration.limits,
            now: configuration.now)
    }

    /// The answer to one request. Health checks never wait behind queries; evaluating a query is CPU work of up to
    /// its deadline, done on the server's own threads, not on the cooperative pool that the rest of the process (the
    /// dashboard of `lookout demo`) runs on.
    static func answer(
        _ api: MockPrometheusAPI, pool: NIOThreadPool, method: String, path: String, parameters: FormParameters
    ) async -> HTTPAnswer {
        if MockPrometheusAPI.isLight(path) { return api.handle(method: method, path: path, parameters: parameters) }
        guard let slot = api.enterEvaluation() else { return api.tooBusy() }
        defer { slot.leave() }
        do {
            return try await pool.runIfActive {
                api.handle(method: method, path: path, parameters: parameters)
            }
        } catch {
            return HTTPAnswer(status: 503, contentType: "text/plain; charset=utf-8", body: "the server is stopping\n")
        }
    }

    /// Starts a server in this process and returns once it listens.
    public static func start(_ configuration: Configuration = Configuration()) async throws -> MockPrometheusServer {
        let api = makeAPI(configuration)
        let connections = Connections()
        // A thread for every query admitted at once and one for the warm-up: an admitted query never queues behind
        // another. The rules' first walk through their history holds a thread (and a second `/api/v1/alerts` waits
        // for it on another); with fewer threads than that the cheap range queries of a dashboard's first refresh
        // waited behind it, past the client's deadline, on a busy machine.
        let pool = NIOThreadPool(numberOfThreads: max(1, configuration.limits.maxConcurrent) + 1)
        pool.start()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MockHTTPHandler(api: api, pool: pool))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            try? await pool.shutdownGracefully()
            throw MockServerError("cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
        if configuration.warmUp {
            Task.detached { try? await pool.runIfActive { api.warmUp() } }
        }
        return MockPrometheusServer(
            host: configuration.host, port: channel.localAddress?.port ?? configuration.port, api: api, channel: channel,
            connections: connections, pool: pool)
    }

    /// Stops the server and waits until it has stopped: it stops listening and closes its connections. Safe to call
    /// twice. Queries in flight end at once.
    public func stop() async {
        api.limits.stop.raise()
        try? await channel.close()
        await connections.closeAll()
        try? await pool.shutdownGracefully()
    }

    /// Whether `host` is only reachable from this machine: 127.0.0.0/8, ::1, localhost.
    public static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower == "::1" || lower == "0:0:0:0:0:0:0:1" { return true }
        let octets = lower.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Serves `configuration` until SIGINT or SIGTERM (`lookout mock`); `onServerRunning` gets the bound port.
    public static func run(
        _ configuration: Configuration, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let server = try await start(configuration)
        await onServerRunning(server.port)
        await StopSignals.wait()
        await server.stop()
    }
}

/// The open connections of a server, closed when it stops.
final class Connections: Sendable {
    private let open = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        open.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.open.withLock { $0.removeValue(forKey: id) }
        }
    }

    func closeAll() async {
        let channels = open.withLock { Array($0.values) }
        for channel in channels { try? await channel.close() }
    }
}

/// One connection's requests: HTTP/1.1 with keep-alive (NIO's pipeline handler answers them in order), a form body
/// of at most 1 MiB, HEAD without a body.
final class MockHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maxBodyBytes = 1 << 20
    let api: MockPrometheusAPI
    let pool: NIOThreadPool
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(api: MockPrometheusAPI, pool: NIOThreadPool) {
        self.api = api
        self.pool = pool
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
            tooLarge = false
        case .body(var chunk):
            if body.readableBytes + chunk.readableBytes > Self.maxBodyBytes { tooLarge = true } else { body.writeBuffer(&chunk) }
        case .end:
            guard let head else { return }
            self.head = nil
            if tooLarge {
                respond(context, head, HTTPAnswer(status: 413, contentType: "text/plain; charset=utf-8", body: "request body too large\n"))
                return
            }
            var parameters = FormParameters()
            let contentType = head.headers["content-type"].first ?? ""
            if head.method == .POST, contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
                parameters.pairs += FormParameters(encoded: String(buffer: body)).pairs
            }
            let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            let rawPath = String(parts.first ?? "")
            if parts.count == 2 { parameters.pairs += FormParameters(encoded: String(parts[1])).pairs }
            let path = PercentEncoding.decode(rawPath) ?? rawPath
            let method = head.method.rawValue
            let api = self.api
            let pool = self.pool
            let pairs = parameters
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.makeFutureWithTask {
                await MockPrometheusServer.answer(api, pool: pool, method: method, path: path, parameters: pairs)
            }.whenSuccess { answer in
                let (handler, context) = bound.value
                handler.respond(context, head, answer)
            }
        }
    }

    private func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ answer: HTTPAnswer) {
        let bytes = ByteBuffer(string: answer.body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: answer.contentType)
        for (name, value) in answer.headers.sorted(by: { $0.key < $1.key }) { headers.replaceOrAdd(name: name, value: value) }
        headers.add(name: "Content-Length", value: String(bytes.readableBytes))
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: answer.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(bytes))), promise: nil) }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { bound.value.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// SIGINT or SIGTERM, waited for without a default handler ending the process first.
enum StopSignals {
    static func wait() async {
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
        var iterator = signals.makeAsyncIterator()
        _ = await iterator.next()
        for source in sources { source.cancel() }
    }
}

/// The mock server could not start.
public struct MockServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs `body` with a started server and stops it afterwards, also when `body` throws.
public func withMockPrometheus<T: Sendable>(
    _ configuration: MockPrometheusServer.Configuration = .init(), _ body: (MockPrometheusServer) async throws -> T
) async throws -> T {
    let server = try await MockPrometheusServer.start(configuration)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
