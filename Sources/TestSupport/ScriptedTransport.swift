import Foundation
import PrometheusAPI
import Synchronization

/// A transport that answers `PrometheusClient` in process, with what the test says: the fetcher and the run loop are
/// tested against it in milliseconds, without sockets. Every request is kept (`requests`), and a test can wait for
/// the n-th one (`waitForRequests`), or hold answers at a `Gate` until it opens it: waits follow events, never the
/// clock.
public final class ScriptedTransport: HTTPTransport {
    public typealias Handler = @Sendable (TransportRequest) async throws -> TransportResponse

    private struct State {
        var handler: Handler
        var requests: [TransportRequest] = []
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var shutDown = false
    }

    private let state: Mutex<State>

    public init(_ handler: @escaping Handler) {
        state = Mutex(State(handler: handler))
    }

    /// Answers every request from now on with `handler`.
    public func behave(_ handler: @escaping Handler) {
        state.withLock { $0.handler = handler }
    }

    /// The requests so far, in the order they were sent.
    public var requests: [TransportRequest] { state.withLock { $0.requests } }

    /// The paths asked so far (`/api/v1/query_range`…).
    public var paths: [String] { requests.map(\.path) }

    public var isShutDown: Bool { state.withLock { $0.shutDown } }

    /// Returns once at least `count` requests have been sent.
    public func waitForRequests(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.requests.count >= count { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    public func send(_ request: TransportRequest, deadline nanoseconds: Int64, bodyLimit: Int) async throws -> TransportResponse {
        let (handler, ready) = state.withLock { state -> (Handler, [CheckedContinuation<Void, Never>]) in
            state.requests.append(request)
            let count = state.requests.count
            let ready = state.waiters.filter { $0.count <= count }.map(\.continuation)
            state.waiters.removeAll { $0.count <= count }
            return (state.handler, ready)
        }
        for continuation in ready { continuation.resume() }
        let response = try await handler(request)
        guard response.body.count <= bodyLimit else { throw TransportTooLarge() }
        return response
    }

    public func shutdown() async {
        state.withLock { $0.shutDown = true }
    }

    struct TransportTooLarge: Error {}
}

extension TransportResponse {
    /// A JSON answer.
    public static func json(_ text: String, status: Int = 200) -> TransportResponse {
        TransportResponse(status: status, reason: status == 200 ? "OK" : "", headers: [.init(name: "Content-Type", value: "application/json")], body: Data(text.utf8))
    }
}

/// A one-time latch: `wait()` returns once `open()` was called (at once after it). Answers held at a gate come back
/// exactly when the test says.
public final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init() {}

    public func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    public func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if isOpen { continuation.resume() }
        }
    }
}
