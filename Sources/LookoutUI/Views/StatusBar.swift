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
        if let last = model.lastUpdate {
            parts.append(StatusLine.Part("updated \(ValueFormat.age(model.now.timeIntervalSince(last))) ago", priority: 3))
        }
        for variable in model.dashboard.variables {
            parts.append(StatusLine.Part("\(variable.name)=\(model.variableValues[variable.name] ?? Variable.all)", priority: 1))
        }
        if model.paused { parts.append(StatusLine.Part("PAUSED", role: .statusError, priority: 0)) }
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
