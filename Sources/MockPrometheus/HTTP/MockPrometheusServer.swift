import FoundationEssentials
import Glibc
import SafeText
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A Prometheus look-alike on a loopback port: the HTTP API (`/api/v1/…`), `/-/healthy`, `/-/ready` and `/metrics`
/// over the synthetic `World`, with the source design's alert rules.
///
/// In-process use (tests, `lookout demo`): `let server = try await MockPrometheusServer.start(configuration)`, then
/// `server.baseURL`, and `await server.stop()`. As a program (`lookout mock`): `makeApplication(…)` and
/// `runService()`, which stops on SIGINT and SIGTERM.
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
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// `http://host:port`.
    public var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    private init(host: String, port: Int, api: MockPrometheusAPI, group: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.api = api
        self.group = group
        self.task = task
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

    /// The Hummingbird responder of an API.
    public static func responder(_ api: MockPrometheusAPI) -> CallbackResponder<BasicRequestContext> {
        CallbackResponder { request, _ in
            var request = request
            var parameters = FormParameters()
            let contentType = request.headers[.contentType] ?? ""
            if request.method == .post, contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
                let body: ByteBuffer
                do {
                    body = try await request.collectBody(upTo: 1 << 20)
                } catch {
                    return Response(
                        status: .contentTooLarge, headers: [.contentType: "text/plain; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: "request body too large\n")))
                }
                parameters.pairs += FormParameters(encoded: String(buffer: body)).pairs
            }
            if let query = request.uri.query { parameters.pairs += FormParameters(encoded: query).pairs }
            let path = request.uri.path.removingPercentEncoding ?? request.uri.path
            let method = request.method.rawValue
            let pairs = parameters
            let answer: HTTPAnswer
            if MockPrometheusAPI.isLight(path) {
                // Health checks never wait behind queries.
                answer = api.handle(method: method, path: path, parameters: pairs)
            } else if let slot = api.enterEvaluation() {
                // Evaluating a query is CPU work of up to its deadline: on NIO's blocking-work pool, not on the
                // cooperative pool that the rest of the process (the dashboard of `lookout demo`) runs on.
                defer { slot.leave() }
                answer = try await NIOThreadPool.singleton.runIfActive {
                    api.handle(method: method, path: path, parameters: pairs)
                }
            } else {
                answer = api.tooBusy()
            }
            var headers: HTTPFields = [.contentType: answer.contentType]
            for (name, value) in answer.headers {
                if let field = HTTPField.Name(name) { headers[field] = value }
            }
            let body = request.method == .head ? ByteBuffer() : ByteBuffer(string: answer.body)
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: body))
        }
    }

    /// Serves `configuration` until SIGINT or SIGTERM (`lookout mock`); queries in flight end when the signal comes.
    public static func run(
        _ configuration: Configuration, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let api = makeAPI(configuration)
        var logger = Logger(label: "lookout-mock")
        logger.logLevel = .error
        let group = ServiceGroup(configuration: .init(
            services: [makeApplication(api, configuration, onServerRunning: onServerRunning), StopEvaluations(signal: api.limits.stop)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// An application serving `configuration`; `onServerRunning` gets the bound port.
    public static func makeApplication(
        _ configuration: Configuration, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        makeApplication(makeAPI(configuration), configuration, onServerRunning: onServerRunning)
    }

    private static func makeApplication(
        _ api: MockPrometheusAPI, _ configuration: Configuration, onServerRunning: @escaping @Sendable (Int) async -> Void
    ) -> Application<CallbackResponder<BasicRequestContext>> {
        var logger = Logger(label: "lookout-mock")
        logger.logLevel = .error
        return Application(
            responder: responder(api),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                if configuration.warmUp {
                    Task.detached { try? await NIOThreadPool.singleton.runIfActive { api.warmUp() } }
                }
                await onServerRunning(channel.localAddress?.port ?? 0)
            },
            logger: logger)
    }

    /// Starts a server in this process and returns once it listens.
    public static func start(_ configuration: Configuration = Configuration()) async throws -> MockPrometheusServer {
        let api = makeAPI(configuration)
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = makeApplication(api, configuration) { port in
            continuation.yield(port)
            continuation.finish()
        }
        // A service group without signal handlers, so that `stop()` can shut the server down gracefully: it stops
        // listening, finishes requests in flight and closes idle keep-alive connections.
        var logger = Logger(label: "lookout-mock")
        logger.logLevel = .error
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            let failure: (any Error)?
            do {
                try await task.value
                failure = nil
            } catch {
                failure = error
            }
            throw MockServerError(
                "cannot listen on \(configuration.host):\(configuration.port)" + (failure.map { ": \($0)" } ?? ""))
        }
        return MockPrometheusServer(host: configuration.host, port: port, api: api, group: group, task: task)
    }

    /// Stops the server and waits until it has stopped. Safe to call twice. Queries in flight end at once.
    public func stop() async {
        api.limits.stop.raise()
        await group.triggerGracefulShutdown()
        _ = try? await task.value
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

/// Raises the stop signal as soon as a graceful shutdown begins, so queries in flight do not hold the server.
struct StopEvaluations: Service {
    let signal: StopSignal
    func run() async throws {
        try? await gracefulShutdown()
        signal.raise()
    }
}
