import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText
import TerminalCanvas

/// The active alerts, one per row: severity badge, name, main label, age, summary. Pending, silenced and inhibited
/// alerts are dimmed; what does not fit is counted in a last "+N more" line.
struct AlertRows: Widget {
    var items: [AlertItem]
    var now: Date
    /// The row drawn selected (reversed badge), relative to `items`.
    var selected: Int?
    /// Alertmanager's silences: a silenced row says who silenced it, until when, and why.
    var silences: [Silence] = []
    var moreHint = " (a: all alerts)"
    var ascii: Bool

    func render(into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty, !items.isEmpty else { return }
        canvas.fill(Rect(x: area.x, y: area.y, width: area.width, height: min(area.height, items.count)))
        let fits = items.count <= area.height ? items.count : max(0, area.height - 1)
        let shown = Array(items.prefix(fits))
        let nameWidth = min(28, shown.map { DisplayWidth.of($0.name) + ($0.count > 1 ? 2 + String($0.count).count : 0) }.max() ?? 0)
        let subjectWidth = min(max(8, area.width / 4), shown.map { DisplayWidth.of($0.subject) }.max() ?? 0)
        for (i, item) in shown.enumerated() {
            let y = area.y + i
            let quiet = item.state == .pending || item.suppression != nil
            let badgeRole: StyleRole = quiet ? .alertPending : (item.severity == .critical ? .critical : (item.severity == .warning ? .warning : .text))
            let textRole: StyleRole = quiet ? .alertPending : .text
            // The name in its severity's colour, as its badge: a warning is not painted as a page.
            let nameRole: StyleRole = quiet ? .alertPending : (item.severity == .critical ? .alertFiring : (item.severity == .warning ? .warning : .text))
            let row = Rect(x: area.x, y: y, width: area.width, height: 1)
            let badge = item.suppression.map { $0 == .silenced ? "SIL " : "INH " } ?? (item.state == .pending ? "PEND" : item.severity.badge)
            var x = canvas.put(badge, x: area.x, y: y, style: Style(badgeRole, selected == i ? .reverse : []), clip: row)
            let name = item.count > 1 ? "\(item.name) ×\(item.count)" : item.name
            x = canvas.put("  " + TextLayout.fit(name, to: nameWidth, ascii: ascii), x: x, y: y, style: Style(nameRole), clip: row)
            x = canvas.put("  " + TextLayout.fit(item.subject, to: subjectWidth, ascii: ascii), x: x, y: y, style: Style(textRole), clip: row)
            let age = item.activeAt.map { ValueFormat.age(now.timeIntervalSince($0)) } ?? "?"
            x = canvas.put("  " + TextLayout.pad(age, to: 3, alignRight: true), x: x, y: y, style: Style(.dim), clip: row)
            let room = area.maxX - x - 2
            if room > 0 {
                let text = Silencing.silencedLine(item, silences: silences, now: now) ?? item.text
                canvas.put("  " + TextLayout.truncate(text, to: room, ascii: ascii), x: x, y: y, style: Style(textRole), clip: row)
            }
        }
        if fits < items.count {
            canvas.put("+\(items.count - fits) more\(moreHint)", x: area.x, y: area.y + fits, style: Style(.dim), clip: area)
        }
    }

    /// `FIRING 2 critical · 2 warning · 1 pending`, or that nothing fires, and its role; `1 silenced, hidden` while
    /// `s` hides the silenced and inhibited alerts.
    static func header(_ items: [AlertItem], ascii: Bool, suppressedHidden: Bool = false, pipeline: PipelineState? = nil) -> (String, StyleRole) {
        let counts = AlertCounts(items)
        let silenced = "\(counts.suppressed) silenced" + (suppressedHidden ? ", hidden" : "")
        let dot = ascii ? "," : " ·"
        guard counts.firing > 0 else {
            var text = "No alerts firing"
            if counts.pending > 0 { text += "\(dot) \(counts.pending) pending" }
            if counts.suppressed > 0 { text += "\(dot) \(silenced)" }
            // Never alone while the pipeline is broken: it is what a broken pipeline looks like.
            if let pipeline, pipeline >= .degraded {
                return (text + "\(dot) but the alerting pipeline is \(pipeline.word) (H)", .critical)
            }
            return (text, counts.pending > 0 ? .alertPending : .ok)
        }
        var parts: [String] = []
        if counts.critical > 0 { parts.append("\(counts.critical) critical") }
        if counts.warning > 0 { parts.append("\(counts.warning) warning") }
        if counts.info > 0 { parts.append("\(counts.info) info") }
        if counts.pending > 0 { parts.append("\(counts.pending) pending") }
        if counts.suppressed > 0 { parts.append(silenced) }
        return ("FIRING " + parts.joined(separator: "\(dot) "), counts.critical > 0 ? .critical : .warning)
    }
}
