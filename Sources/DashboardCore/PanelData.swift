import PrometheusModels

/// What one panel's queries returned.
public struct PanelData: Sendable, Equatable {
    /// Graph (and plain stat) panels: the named series.
    public var series: [SeriesSummary]
    /// Health panels: one entry per service.
    public var services: [ServiceHealth]
    /// Warnings the server attached to the answers.
    public var warnings: [String]
    /// Series the panel's queries have beyond those asked for: a query with more than
    /// `PanelData.seriesLimit` series is asked for its top ones by value (`topk`), and says how many more there are.
    public var moreSeries = 0

    /// The most series a graph's query is asked for; the view says how many more there are.
    public static let seriesLimit = 50

    public init(series: [SeriesSummary] = [], services: [ServiceHealth] = [], warnings: [String] = []) {
        self.series = series
        self.services = services
        self.warnings = warnings
    }

    public var isEmpty: Bool { series.isEmpty && services.isEmpty }
}

/// A panel's data or why there is none.
public enum PanelOutcome: Sendable, Equatable {
    case loaded(PanelData)
    /// The query failed: a one-line, sanitised message.
    case failed(String)
}
