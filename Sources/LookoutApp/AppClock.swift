import FoundationEssentials

/// Where the run loop and the fetcher take the time from: the wall clock and a tick a second in the product; a clock
/// the test moves in tests, so that nothing there waits for real seconds (`ManualClock` in TestSupport).
public protocol AppClock: Sendable {
    /// The time now.
    func now() -> Date
    /// A tick for each second that passes (the time of the tick), until the consumer stops.
    func ticks() -> AsyncStream<Date>
}

/// The wall clock, ticking every second.
public struct SystemClock: AppClock {
    public init() {}

    public func now() -> Date { Date() }

    public func ticks() -> AsyncStream<Date> {
        AsyncStream { continuation in
            let task = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    continuation.yield(Date())
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
