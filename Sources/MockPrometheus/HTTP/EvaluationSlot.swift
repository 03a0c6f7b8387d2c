import Synchronization

public struct EvaluationSlot: Sendable {
    let counter: InFlight
    public func leave() { counter.leave() }
}

/// How many queries are being evaluated.
final class InFlight: Sendable {
    private let count = Atomic<Int>(0)
    func enter(limit: Int) -> Bool {
        let (_, now) = count.add(1, ordering: .relaxed)
        if now <= limit { return true }
        count.subtract(1, ordering: .relaxed)
        return false
    }
    func leave() { count.subtract(1, ordering: .relaxed) }
}
