import PrometheusModels

/// Grafana's reducers for a stat or gauge panel (`options.reduceOptions.calcs`): the one value a series is shown by,
/// over the window. NaN points (no defined value) are left out by the `…NotNull` ones and by the arithmetic.
public enum Reducer: String, Sendable, Equatable, Codable, CaseIterable {
    case lastNotNull, last, firstNotNull, first, mean, min, max, sum, count, delta, range, diff, median

    /// Whether the window's points are needed (else the value at the end is).
    public var needsRange: Bool { self != .last && self != .lastNotNull }

    public func reduce(_ points: [SamplePair]) -> Double {
        let values = points.map(\.value)
        let finite = values.filter { !$0.isNaN }
        switch self {
        case .last: return values.last ?? .nan
        case .lastNotNull: return finite.last ?? .nan
        case .first: return values.first ?? .nan
        case .firstNotNull: return finite.first ?? .nan
        case .mean: return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
        case .min: return finite.min() ?? .nan
        case .max: return finite.max() ?? .nan
        case .sum: return finite.reduce(0, +)
        case .count: return Double(values.count)
        case .range: return finite.isEmpty ? .nan : (finite.max() ?? 0) - (finite.min() ?? 0)
        case .diff: return finite.count < 1 ? .nan : (finite.last ?? 0) - (finite.first ?? 0)
        case .delta:
            // Grafana's delta: the rises added up, a fall (a counter reset) counting from zero.
            guard var previous = finite.first else { return .nan }
            var total = 0.0
            for v in finite.dropFirst() {
                total += v >= previous ? v - previous : v
                previous = v
            }
            return total
        case .median:
            let sorted = finite.sorted()
            guard !sorted.isEmpty else { return .nan }
            let mid = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        }
    }
}
