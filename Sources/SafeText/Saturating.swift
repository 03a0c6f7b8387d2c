extension Int {
    /// `value` rounded toward zero and clamped to Int's range; NaN is 0. Values from a server (a sample, a span
    /// of -1e308…1e308, a timestamp) go through this instead of `Int(_:)`, which traps on them.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9.2e18 {
            self = .max
        } else if value <= -9.2e18 {
            self = .min
        } else {
            self = Int(value)
        }
    }
}
