import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A Hummingbird server on 127.0.0.1 and a free port, for tests: stub answers and the test exporter.
public final class TestHTTPServer: Sendable {
    public let port: Int
    private let task: Task<Void, any Error>

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    public static func start(router: Router<BasicRequestContext>) async throws -> TestHTTPServer {
        var logger = Logger(label: "test-http-server")
        logger.logLevel = .critical
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task { try await app.run() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw TestFailure("test HTTP server did not start")
        }
        return TestHTTPServer(port: port, task: task)
    }

    /// A server whose `/health` answers 200 `ok`, or 503 once `failing` is raised: the API gateway's endpoint, as the
    /// DR script's smoke test sees it. (Failing by answer, not by stopping the server: a server stopped while a probe
    /// connects traps in NIO's debug checks.)
    public static func health(failing: HealthSwitch) async throws -> TestHTTPServer {
        let router = Router()
        router.get("/health") { _, _ -> Response in
            failing.isFailing
                ? Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "down\n")))
                : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        return try await start(router: router)
    }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// Runs `body` with a server and stops the server afterwards, also when `body` throws.
public func withTestHTTPServer<T: Sendable>(
    _ router: Router<BasicRequestContext>, _ body: (TestHTTPServer) async throws -> T
) async throws -> T {
    try await using(try await TestHTTPServer.start(router: router), release: { await $0.stop() }, body)
}

/// Whether a test's `/health` endpoint fails.
public final class HealthSwitch: Sendable {
    private let failing = Atomic<Bool>(false)
    public init() {}
    public var isFailing: Bool { failing.load(ordering: .relaxed) }
    public func fail() { failing.store(true, ordering: .relaxed) }
}
