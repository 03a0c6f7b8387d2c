import DashboardCore
import FoundationEssentials
import LookoutUI
import PrometheusAPI
import SafeText
import TerminalCanvas

// MARK: - Text

extension Snapshot {
    /// The plain-text report: health, each graph series with a sparkline and figures, then the active alerts.
    public func text(sparklineWidth: Int = 30, ascii: Bool = false) -> String {
        var lines: [String] = []
        let rangeLabel = ValueFormat.rangeLabel(range.end.timeIntervalSince(range.start))
        // A window in the past (`--to`) says where it ends; the alerts are the current ones either way.
        let window = takenAt.timeIntervalSince(range.end) > range.step ? " ending \(Self.clock(range.end))" : ""
        let unverified = model.tlsUnverified ? " — TLS NOT VERIFIED" : ""
        lines.append("\(dashboard.title) — \(SafeText.sanitize(server))\(unverified) — range \(rangeLabel)\(window) — \(Self.clock(takenAt))")
        if !dashboard.variables.isEmpty {
            let resolved = model.resolvedVariables
            lines.append("variables: " + dashboard.variables.filter { $0.kind != .constant }
                .map { "\($0.name)=\(SafeText.clip(resolved[$0.name]?.display ?? Variable.all, InputLimits.labelCharacters))" }.joined(separator: ", "))
        }
        if let oldest = dataBefore, let retentionSeconds {
            lines.append("no data before \(Self.clock(oldest)) (the server keeps \(ValueFormat.rangeLabel(retentionSeconds)))")
        }
        // The pipeline first when it is not healthy: what follows ("no alerts firing") cannot be trusted.
        if let (_, summary, _) = model.pipelineSummary {
            lines += ["", summary]
            for check in model.pipelineChecks where check.state >= .degraded {
                lines.append("  \(check.state.word.uppercased()) \(check.area): \(check.reason)")
                lines += check.evidence.prefix(5).map { "    " + $0 }
            }
        }
        for (panel, outcome) in zip(dashboard.panels, panels) {
            lines.append("")
            lines += panelLines(panel, outcome, sparklineWidth: sparklineWidth, ascii: ascii)
        }
        lines.append("")
        lines += alertLines()
        // The one boundary: whatever a line holds (titles from a dashboard file, server text), no control character
        // or escape sequence reaches stdout, and no line is unbounded.
        // --ascii: ASCII only, the separators and a server's text included.
        return lines.map { line in
            let safe = SafeText.clip(line, 4 * InputLimits.messageCharacters)
            return ascii ? TextLayout.ascii(safe) : safe
        }.joined(separator: "\n") + "\n"
    }

    func panelLines(_ panel: Panel, _ outcome: PanelOutcome, sparklineWidth: Int, ascii: Bool) -> [String] {
        var panel = panel
        panel.title = Variable.substitute(panel.title, model.resolvedVariables, display: true)
        if panel.isRow {
            let rule = ascii ? "--" : "──"
            return ["\(rule) \(panel.title) \(rule)\(panel.collapsed ? " (collapsed)" : "")"]
        }
        guard case .loaded(let data) = outcome else {
            if case .failed(let message) = outcome { return [panel.title, "  query failed: \(message)"] }
            return [panel.title]
        }
        var lines: [String] = []
        if panel.isHealth {
            let up = data.services.filter { $0.status == .up }.count
            lines.append("\(panel.title)  (\(up)/\(data.services.count) up)")
            let width = data.services.map { $0.status.word.count }.max() ?? 0
            for service in data.services {
                lines.append("  " + TextLayout.pad(service.status.word, to: width) + "  " + service.name)
            }
        } else {
            lines.append(panel.title)
            let names = LegendTemplate.shown(data.series, width: 36)
            let legendWidth = min(36, names.map { DisplayWidth.of($0) }.max() ?? 0)
            let start = range.start.timeIntervalSince1970
            let end = range.end.timeIntervalSince1970
            let figures = data.series.map { series in
                [series.lastText(panel.unit)] + [series.min, series.max].map { ValueFormat.format($0, unit: panel.unit) }
            }
            let figureWidth = figures.flatMap { $0 }.map { DisplayWidth.of($0) }.max() ?? 0
            for ((series, values), name) in zip(zip(data.series, figures), names) {
                let columns = SparklineModel.columns(series.points, start: start, end: end, width: sparklineWidth)
                var line = "  " + TextLayout.fit(name, to: legendWidth) + "  "
                line += SparklineModel.text(columns, ascii: ascii)
                line += "  last " + TextLayout.pad(values[0], to: figureWidth)
                line += "  min " + TextLayout.pad(values[1], to: figureWidth)
                line += "  max " + TextLayout.pad(values[2], to: figureWidth)
                if panel.thresholds != nil { line += "  " + series.state.word }
                switch freshness(series) {
                case .fresh: break
                case .stale(let age): line += "  STALE (no data for \(ValueFormat.age(age)))"
                case .ahead(let by): line += "  CLOCK AHEAD \(ValueFormat.age(by)) (a sample from the future)"
                }
                lines.append(TextLayout.trimmingTrailingSpaces(line))
            }
        }
        if data.isEmpty { lines.append("  no data") }
        if data.moreSeries > 0 {
            lines.append("  +\(data.moreSeries) more series (the top \(PanelData.seriesLimit) by value were asked for)")
        }
        for warning in data.warnings { lines.append("  warning: \(SafeText.clip(warning, InputLimits.messageCharacters))") }
        return lines
    }

    func alertLines() -> [String] {
        switch alerts {
        case .failure(let error):
            return ["Alerts: unavailable: \(error.description)"]
        case .success(let items):
            let counts = AlertCounts(items)
            var header = "Alerts: "
            if counts.firing == 0 {
                header += "nothing firing"
            } else {
                var parts: [String] = []
                if counts.critical > 0 { parts.append("\(counts.critical) critical") }
                if counts.warning > 0 { parts.append("\(counts.warning) warning") }
                if counts.info > 0 { parts.append("\(counts.info) info") }
                header += parts.joined(separator: ", ") + " firing"
            }
            if counts.pending > 0 { header += ", \(counts.pending) pending" }
            if counts.suppressed > 0 { header += ", \(counts.suppressed) silenced or inhibited" }
            var lines = [header]
            if let summary = FetchedAlerts(items: items, unreadable: unreadableAlerts).unreadableSummary {
                lines.append("  " + SafeText.clip(summary, InputLimits.messageCharacters))
            }
            let nameWidth = min(32, items.map { DisplayWidth.of($0.name) + ($0.count > 1 ? 2 + String($0.count).count : 0) }.max() ?? 0)
            let subjectWidth = min(32, items.map { DisplayWidth.of($0.subject) }.max() ?? 0)
            func row(_ item: AlertItem) -> String {
                let badge = item.suppression.map { $0 == .silenced ? "sil" : "inh" }
                    ?? (item.state == .pending ? "pend" : item.severity.badge)
                let age = item.activeAt.map { ValueFormat.age(takenAt.timeIntervalSince($0)) } ?? "?"
                let name = item.count > 1 ? "\(item.name) ×\(item.count)" : item.name
                let text = Silencing.silencedLine(item, silences: silences ?? [], now: takenAt) ?? item.text
                let line = "  " + TextLayout.pad(badge, to: 4) + "  " + TextLayout.fit(name, to: nameWidth)
                    + "  " + TextLayout.fit(item.subject, to: subjectWidth) + "  "
                    + TextLayout.pad(age, to: 4, alignRight: true) + "  " + text
                return TextLayout.trimmingTrailingSpaces(line)
            }
            lines += items.filter { $0.suppression == nil }.map(row)
            // Silenced and inhibited alerts in a group of their own: known, and someone is on them.
            let quiet = items.filter { $0.suppression != nil }
            if !quiet.isEmpty {
                lines.append("")
                lines.append("Silenced or inhibited (\(quiet.reduce(0) { $0 + $1.count }))")
                lines += quiet.map(row)
            }
            return lines + silenceLines()
        }
    }

    /// The silences that end within the hour: what starts paging again tonight.
    func silenceLines() -> [String] {
        var lines: [String] = []
        if let problem = silencesProblem { lines += ["", "Alertmanager: " + problem] }
        guard let silences else { return lines }
        let soon = Silencing.endingSoon(silences, now: takenAt)
        guard !soon.isEmpty else { return lines }
        lines += ["", "Silences ending within the hour (\(soon.count))"]
        for silence in soon {
            let left = ValueFormat.age(silence.endsAt.timeIntervalSince(takenAt))
            let comment = silence.comment.isEmpty ? "" : "  " + silence.comment
            lines.append("  ends \(ClockFormat.short(silence.endsAt, now: takenAt, utc: true)) (\(left))  \(silence.matcherText)  by \(silence.createdBy)\(comment)")
        }
        return lines
    }

    static func clock(_ date: Date) -> String {
        let text = RFC3339.format(date)
        return String(text.prefix(19)).replacing("T", with: " ") + " UTC"
    }
}

// MARK: - JSON

extension Snapshot {
    struct JSONReport: Encodable {
        var dashboard: String
        var server: String
        var takenAt: String
        var range: JSONRange
        var panels: [JSONPanel]
        var alerts: [AlertItem]?
        var alertsError: String?
        var unreadableAlerts: [String]
        var silencesEndingWithinAnHour: [JSONSilence]?
        var silencesProblem: String?
        /// RFC 3339: the range starts before the oldest data the server keeps.
        var noDataBefore: String?
        /// Present (true) when the server's certificate was not checked.
        var tlsNotVerified: Bool?
        /// The alerting pipeline's checks.
        var pipeline: [PipelineCheck]?
        /// Each variable's value(s) as the queries used them.
        var variables: [String: [String]]?
        var exitCode: Int32
    }

    struct JSONSilence: Encodable {
        var id: String
        var matchers: [String]
        var endsAt: String
        var createdBy: String
        var comment: String
    }

    struct JSONRange: Encodable {
        var start: String
        var end: String
        var step: Double
    }

    struct JSONPanel: Encodable {
        var title: String
        var type: PanelKind
        var unit: DashboardCore.Unit
        var error: String?
        var warnings: [String]
        var services: [ServiceHealth]?
        var series: [JSONSeries]?
        /// Series beyond those asked for (the top `PanelData.seriesLimit` by value are); absent when none.
        var moreSeries: Int?
    }

    struct JSONSeries: Encodable {
        var legend: String
        var labels: Labels
        var last: Double
        /// The last value's text under the panel's value mappings, when one matches.
        var text: String?
        var min: Double
        var max: Double
        var state: ThresholdState
        var stale: Bool
        /// Seconds the newest sample is after the range's end, when it is from the future.
        var clockAheadSeconds: Double?
        var points: [SamplePair]
    }

    /// The same report as JSON, for scripts. NaN and infinities are written as the strings Prometheus uses.
    public func json() throws -> String {
        let panels = zip(dashboard.titled(model.resolvedVariables).panels, self.panels).map { panel, outcome -> JSONPanel in
            if panel.isRow { return JSONPanel(title: panel.title, type: panel.kind, unit: panel.unit, error: nil, warnings: []) }
            switch outcome {
            case .failed(let message):
                return JSONPanel(title: panel.title, type: panel.kind, unit: panel.unit, error: message, warnings: [])
            case .loaded(let data):
                let series = data.series.map { s -> JSONSeries in
                    var stale = false
                    var ahead: Double?
                    switch freshness(s) {
                    case .fresh: break
                    case .stale: stale = true
                    case .ahead(let by): ahead = by
                    }
                    return JSONSeries(
                        legend: s.legend, labels: s.labels, last: s.last, text: s.text, min: s.min, max: s.max, state: s.state,
                        stale: stale, clockAheadSeconds: ahead, points: s.points)
                }
                return JSONPanel(
                    title: panel.title, type: panel.kind, unit: panel.unit, error: nil, warnings: data.warnings,
                    services: panel.isHealth ? data.services : nil, series: panel.isHealth ? nil : series,
                    moreSeries: data.moreSeries > 0 ? data.moreSeries : nil)
            }
        }
        var report = JSONReport(
            dashboard: dashboard.title, server: server, takenAt: RFC3339.format(takenAt),
            range: JSONRange(start: RFC3339.format(range.start), end: RFC3339.format(range.end), step: range.step),
            panels: panels, unreadableAlerts: unreadableAlerts, exitCode: exitCode)
        report.silencesProblem = silencesProblem
        if !dashboard.variables.isEmpty { report.variables = model.resolvedVariables.mapValues(\.values) }
        report.noDataBefore = dataBefore.map(RFC3339.format)
        report.tlsNotVerified = model.tlsUnverified ? true : nil
        report.pipeline = model.pipelineChecks.isEmpty ? nil : model.pipelineChecks
        report.silencesEndingWithinAnHour = silences.map { list in
            Silencing.endingSoon(list, now: takenAt).map {
                JSONSilence(id: $0.id, matchers: $0.matchers.map(\.text), endsAt: RFC3339.format($0.endsAt), createdBy: $0.createdBy, comment: $0.comment)
            }
        }
        switch alerts {
        case .success(let items): report.alerts = items
        case .failure(let error): report.alertsError = error.description
        }
        return try ReportJSON.encode(report) + "\n"
    }
}

// MARK: - Pictures

extension Snapshot {
    /// The dashboard as the TUI would draw it from this snapshot's data, at `width` x `height`.
    public func appState(width: Int, height: Int, utc: Bool = true) -> AppState {
        var model = self.model
        model.columns = width
        model.rows = height
        model.utc = utc
        if takenAt.timeIntervalSince(range.end) > range.step { model.pinnedEnd = range.end }
        model.paused = model.pinnedEnd != nil
        return AppState(model: model)
    }

    /// `host:port` of a base URL, as the status bar shows the server.
    static func hostAndPort(_ server: String) -> String {
        guard let url = URL(string: server), let host = url.host else { return server }
        return url.port.map { "\(host):\($0)" } ?? host
    }

    /// The snapshot drawn as the dashboard (`--output svg|html`), in `theme`'s colours.
    public func picture(svg: Bool, width: Int, height: Int, theme: Theme) -> String {
        var canvas = Canvas(width: width, height: height)
        AppView.render(appState(width: width, height: height), into: &canvas, options: RenderOptions(seriesMarks: theme.isMono))
        return svg ? CanvasPicture.svg(canvas, theme: theme) : CanvasPicture.html(canvas, theme: theme, title: dashboard.title)
    }
}
