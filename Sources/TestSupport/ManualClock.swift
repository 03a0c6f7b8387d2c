import Foundation
import LookoutApp
import Synchronization

/// A clock that moves only when the test says (`advance`): each step is one tick to the run loop, so a test of
/// refresh intervals, deadlines and back-offs takes no real time.
public final class ManualClock: AppClock {
    private let state: Mutex<(now: Date, streams: [Int: AsyncStream<Date>.Continuation], next: Int)>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_764_000_000)) {
        state = Mutex((start, [:], 0))
    }

    public func now() -> Date { state.withLock { $0.now } }

    public func ticks() -> AsyncStream<Date> {
        let (stream, continuation) = AsyncStream.makeStream(of: Date.self, bufferingPolicy: .unbounded)
        let id = state.withLock { state -> Int in
            state.next += 1
            state.streams[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.streams.removeValue(forKey: id) }
        }
        return stream
    }

    /// Moves the time on by `seconds`, one tick per whole second (and one for the rest), as the wall clock would.
    public func advance(by seconds: TimeInterval) {
        var left = seconds
        while left > 0 {
            let step = min(1, left)
            left -= step
            let (now, streams) = state.withLock { state -> (Date, [AsyncStream<Date>.Continuation]) in
                state.now = state.now.addingTimeInterval(step)
                return (state.now, Array(state.streams.values))
            }
            for stream in streams { stream.yield(now) }
        }
    }

    /// Whether the run loop is listening for ticks yet.
    public var hasListeners: Bool { state.withLock { !$0.streams.isEmpty } }
}
