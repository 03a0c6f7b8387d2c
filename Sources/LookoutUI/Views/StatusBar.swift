import DashboardCore
import PrometheusModels
import SafeText
import TerminalCanvas

/// The top line: where you are (the dashboard's title, and the screens opened over it), server, range, refresh,
/// age of the last update, and trouble. When the line is too narrow, the breadcrumbs drop the dashboard's title,
/// then the least important parts go (refresh, help, age, the title at the bottom screen, range); the server, the
/// screens you opened and any trouble stay.
enum StatusBar {
    static func line(_ model: DashboardState, breadcrumbs: [String], ascii: Bool) -> StatusLine {
        let dash = ascii ? "-" : "—"
        let separator = ascii ? " > " : " › "
        var parts: [StatusLine.Part] = [
            breadcrumbs.count > 1
                ? StatusLine.Part(
                    ([model.dashboard.title] + breadcrumbs.dropFirst()).joined(separator: separator), priority: 1,
                    short: breadcrumbs.dropFirst().joined(separator: separator))
                : StatusLine.Part(model.dashboard.title, priority: 4),
            StatusLine.Part(model.server, priority: 1),
            StatusLine.Part("range \(ValueFormat.rangeLabel(model.rangeSeconds))", priority: 2),
            StatusLine.Part("every \(ValueFormat.rangeLabel(model.refreshSeconds))", priority: 6),
        ]
        // Right after the range: LIVE, PAUSED, or the pinned window.
        let time: StatusLine.Part
        if let pinned = model.pinnedEnd {
            // `14:05 → 15:05 UTC (paused)`: the window, not the present.
            let arrow = ascii ? "->" : "→"
            let start = pinned.addingTimeInterval(-model.rangeSeconds)
            let zone = ClockFormat.zoneName(utc: model.utc, at: pinned)
            time = StatusLine.Part(
                "\(ClockFormat.short(start, now: model.now, utc: model.utc)) \(arrow) \(ClockFormat.short(pinned, now: model.now, utc: model.utc)) \(zone) (paused; 0: live)",
                role: .statusError, priority: 0, short: "\(ClockFormat.short(pinned, now: model.now, utc: model.utc)) \(zone)", shortenAt: 3)
        } else {
            time = StatusLine.Part(model.paused ? "PAUSED" : "LIVE", role: model.paused ? .statusError : .statusBar, priority: model.paused ? 0 : 5)
        }
        parts.insert(time, at: 3)
        if model.tlsUnverified { parts.insert(StatusLine.Part("TLS NOT VERIFIED", role: .statusError, priority: 0), at: 2) }
        // A broken alerting pipeline before anything else: "no alerts" means nothing while it is broken.
        if let (_, text, short) = model.pipelineSummary {
            parts.insert(StatusLine.Part(text, role: .statusError, priority: 0, short: short, shortenAt: 2), at: 0)
        }
        // The context first, in its colour: prod is never mistaken for staging.
        if let context = model.contextName { parts.insert(StatusLine.Part(" \(context) ", role: .context, priority: 0), at: 0) }
        if let note = model.dataBeforeNote {
            parts.insert(StatusLine.Part(note, role: .statusError, priority: 1), at: 4)
        }
        if let last = model.lastUpdate {
            parts.append(StatusLine.Part("updated \(ValueFormat.age(model.now.timeIntervalSince(last))) ago", priority: 3))
        }
        if breadcrumbs.count <= 1, let position = DashboardLayout.position(model, ascii: ascii) {
            parts.append(StatusLine.Part(position, priority: 2))
        }
        let resolved = model.resolvedVariables
        for variable in model.dashboard.variables where variable.kind != .constant {
            parts.append(StatusLine.Part("\(variable.name)=\(resolved[variable.name]?.display ?? Variable.all)", priority: 1))
        }
        switch model.connection {
        case .connecting: parts.append(StatusLine.Part("connecting…", priority: 0))
        case .connected: break
        case .unreachable(let message, let retryAt):
            let seconds = max(0, Int(saturating: retryAt.timeIntervalSince(model.now).rounded(.up)))
            parts.append(StatusLine.Part("cannot reach \(model.server) \(dash) retrying in \(seconds)s: \(message)", role: .statusError, priority: 0))
        }
        if let down = AlertmanagerMemberDown.summary(model.silences.membersDown) {
            // One member of the cluster down is worth knowing, not an error while another answers.
            parts.append(StatusLine.Part(
                down, role: .statusError, priority: 2, short: AlertmanagerMemberDown.summary(model.silences.membersDown, short: true)))
        }
        if model.silences.readOnly { parts.append(StatusLine.Part("read-only", priority: 4)) }
        parts.append(StatusLine.Part("? help", priority: 5, rightAligned: true))
        return StatusLine(parts: parts, ascii: ascii)
    }
}
