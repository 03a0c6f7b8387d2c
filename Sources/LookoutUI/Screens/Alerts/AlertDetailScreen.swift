import DashboardCore
import Foundation
import PrometheusModels
import TerminalCanvas

/// One alert: state, severity, since when, every label and annotation (long ones wrap). It shows the alert as it
/// was when opened, with its age kept current.
public struct AlertDetailScreen: Screen {
    public static let id = "alert"
    public var id: String { Self.id }
    public var alert: AlertItem

    public init(alert: AlertItem) {
        self.alert = alert
    }

    public var keyHelp: KeyHelp.Section { KeyHelp.Section(title: "Alert", rows: [("Esc", "back to the list")]) }

    public func title(_ context: ScreenContext) -> String { alert.name }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        key == .enter ? [.pop] : nil
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let model = context.model
        let ascii = context.options.ascii
        let (header, _) = AlertRows.header(model.visibleAlerts, ascii: ascii)
        let inner = PanelFrame(
            title: "Alerts: \(header)  (\(ascii ? "up/down" : "↑↓") select, Enter details, Esc back)",
            badge: model.alerts.error.map { _ in ("stale", .warning) }, focused: true, ascii: ascii
        ).draw(into: &canvas, area: area)
        guard !inner.isEmpty else { return }
        let item = alert
        var lines: [(String, StyleRole)] = [
            ("\(item.state == .pending ? "PENDING" : "FIRING") \(item.severity.badge)  \(item.name)", item.severity == .critical ? .critical : .warning),
            ("active since \(item.activeAt.map { RFC3339.format($0) } ?? "?") (\(item.activeAt.map { ValueFormat.age(model.now.timeIntervalSince($0)) } ?? "?"))", .dim),
            ("", .text), ("Labels", .title),
        ]
        lines += item.labels.sorted { $0.key < $1.key }.map { ("  \($0.key) = \($0.value)", .text) }
        lines += [("", .text), ("Annotations", .title)]
        lines += item.annotations.sorted { $0.key < $1.key }.map { ("  \($0.key): \($0.value)", .text) }
        var y = inner.y
        for (text, role) in lines where y < inner.maxY {
            // Long annotations wrap instead of being cut.
            var rest = Substring(text)
            repeat {
                let piece = String(rest.prefix(max(1, inner.width)))
                canvas.put(piece, x: inner.x, y: y, style: Style(role), clip: inner)
                rest = rest.dropFirst(piece.count)
                y += 1
            } while !rest.isEmpty && y < inner.maxY
        }
    }
}
