import LookoutUI
import SafeText
import DashboardCore
import Foundation
import PrometheusModels
import PropertyBased
import SafeText
import TerminalCanvas
import Testing

/// Any app state (the dashboard, a zoomed panel, an alert, the help), drawn at any size from 1x1 to 400x120, never traps, keeps every row exactly as wide as the
/// canvas and puts no control character in any cell.
@Suite("Rendering properties")
struct RenderPropertyTests {
    static let values: [Double] = [0, 1, -1, 0.5, 42.8, 1e308, -1e308, .infinity, -.infinity, .nan, 1e-300, 5e9]
    static let names: [String] = ["payment-service", "日本語サービス", "⚠️ x", "\u{1B}[2J", "", String(repeating: "w", count: 300), "a\u{301}\u{301}"]

    static let state = PropertyBased.zip(
        Gen.element(of: values).array(of: 0...12), Gen.element(of: names).array(of: 0...5), Gen.int(in: 0...6),
        Gen.int(in: 0...3), Gen.int(in: 0...2)
    ).map { input -> AppState in
        let (values, names, alerts, view, paused) = input
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        var state = DashboardState(dashboard: .microservices, server: "prometheus:9090", rangeSeconds: 3600, refreshSeconds: 15)
        state.now = now
        state.paused = paused == 1
        let points = values.enumerated().map { SamplePair(timestamp: now.timeIntervalSince1970 - Double(values.count - $0.offset) * 60, value: $0.element ?? 0) }
        let legends = names.compactMap { $0 }
        var data = PanelData()
        data.series = legends.map { SeriesSummary(legend: $0, labels: ["service": $0], points: points, thresholds: Thresholds(warning: 1, critical: 5)) }
        data.services = legends.enumerated().map { ServiceHealth(name: $0.element, status: $0.offset % 2 == 0 ? .up : .down) }
        data.warnings = legends
        for i in state.panels.indices {
            state.panels[i].data = data
            state.panels[i].updatedAt = now
        }
        state.alerts.items = AlertItem.sorted((0..<alerts).map { i in
            Alert(labels: ["alertname": legends.first ?? "A", "severity": i % 2 == 0 ? "critical" : "warning", "service": "s\(i)"],
                  annotations: ["summary": legends.last ?? "s"], state: .firing, activeAt: now.addingTimeInterval(-Double(i) * 60))
        })
        let keys: [Key] = switch view {
        case 1: [.char("3")]
        case 2: [.char("a"), .enter]
        case 3: [.char("?")]
        default: []
        }
        var app = AppState(model: state)
        for key in keys { _ = app.update(.key(key)) }
        return app
    }

    @Test func anyStateAtAnySizeDrawsInsideTheCanvas() async {
        await propertyCheck(count: 400, input: Self.state, Gen.int(in: 1...400), Gen.int(in: 1...120)) { app, width, height in
            var app = app
            app.model.columns = width
            var canvas = Canvas(width: width, height: height)
            AppView.render(app, into: &canvas)
            CanvasChecks.expectWellFormed(canvas)
        }
    }
}

/// What every drawn canvas must satisfy, shared by the size sweep and the property test.
enum CanvasChecks {
    /// Every row is exactly the canvas' width in columns: a wide character is followed by its continuation cell and
    /// nothing else is; no cell holds a control character.
    static func expectWellFormed(_ canvas: Canvas, sourceLocation: SourceLocation = #_sourceLocation) {
        let problem = firstProblem(canvas)
        #expect(problem == nil, "\(problem ?? "")", sourceLocation: sourceLocation)
    }

    /// The first broken rule, or nil (one check per canvas keeps the 27,000 canvases of the size sweep fast).
    static func firstProblem(_ canvas: Canvas) -> String? {
        if canvas.lines.count != canvas.height { return "\(canvas.lines.count) rows in a canvas of \(canvas.height)" }
        for y in 0..<canvas.height {
            var columns = 0
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if cell.text.utf8.count == 1, let b = cell.text.utf8.first, b >= 0x20, b < 0x7F, !cell.isContinuation {
                    columns += 1  // printable ASCII, most cells
                    continue
                }
                if cell.isContinuation {
                    if x == 0 || DisplayWidth.of(canvas[x - 1, y].text) != 2 { return "a continuation without its wide character at \(x),\(y)" }
                    continue
                }
                let w = DisplayWidth.of(cell.text)
                if !(w == 1 || (w == 2 && x + 1 < canvas.width && canvas[x + 1, y].isContinuation)) {
                    return "cell \(x),\(y) \(cell.text.debugDescription) is \(w) wide"
                }
                if !cell.text.unicodeScalars.allSatisfy({ SafeText.isPlain($0) }) { return "a control character at \(x),\(y)" }
                columns += w
            }
            if columns != canvas.width { return "row \(y) is \(columns) columns, not \(canvas.width)" }
        }
        return nil
    }
}
