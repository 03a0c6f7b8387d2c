// Measures how long a frame takes to render into a canvas at 200x60: the full dashboard (4 panels x 10 series x 200
// points, every alert of the source design firing), and a zoomed chart of 10 series x 400 points with the inspect
// cursor; and the dashboard at scale. Run: swift run -c release lookout-bench [frames]
import DashboardCore
import LookoutUI
import Foundation
import PrometheusModels
import TerminalCanvas

let frames = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 2000
let now = Date(timeIntervalSince1970: 1_795_615_999)
var state = DashboardState(dashboard: .microservices, server: "prometheus:9090", rangeSeconds: 3600, refreshSeconds: 15, now: now)
state.connection = .connected

func series(_ panel: Int, _ i: Int) -> SeriesSummary {
    let points = (0..<200).map { k -> SamplePair in
        let t = now.timeIntervalSince1970 - 3600 + Double(k) * 18
        let v = (1 + sin(Double(k) / 9 + Double(i))) * Double(panel * 10 + i + 1) / 100
        return SamplePair(timestamp: t, value: k % 37 == 5 ? .nan : v)
    }
    return SeriesSummary(legend: "service-\(i)-\(panel)", labels: ["service": "service-\(i)"], points: points, thresholds: Dashboard.microservices.panels[panel].thresholds)
}

state.panels[0] = PanelState(data: PanelData(services: (0..<10).map { ServiceHealth(name: "service-\($0)", status: $0 == 3 ? .down : .up) }), updatedAt: now)
for panel in 1..<4 { state.panels[panel] = PanelState(data: PanelData(series: (0..<10).map { series(panel, $0) }), updatedAt: now) }
state.alerts = AlertsState(items: AlertItem.sorted(["HighErrorRate", "HighLatency", "PodCrashLooping", "DeploymentReplicasMismatch"].enumerated().map {
    Alert(labels: ["alertname": $0.element, "severity": $0.offset % 2 == 0 ? "critical" : "warning", "service": "service-\($0.offset)"],
          annotations: ["summary": "\($0.element) on service-\($0.offset)"], state: .firing, activeAt: now.addingTimeInterval(-600))
}), updatedAt: now)

var canvas = Canvas(width: 200, height: 60)
for _ in 0..<50 { AppView.render(AppState(model: state), into: &canvas) }  // warm-up
func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

let clock = ContinuousClock()

/// Renders `app` `frames` times; mean, p50 and p99 in milliseconds.
@MainActor
func measure(_ app: AppState) -> (mean: Double, p50: Double, p99: Double) {
    var samples: [Double] = []
    samples.reserveCapacity(frames)
    let begin = clock.now
    for _ in 0..<frames {
        let start = clock.now
        AppView.render(app, into: &canvas)
        samples.append(milliseconds(clock.now - start))
    }
    let mean = milliseconds(clock.now - begin) / Double(max(1, frames))
    samples.sort()
    let p50 = samples.isEmpty ? 0 : samples[samples.count / 2]
    let p99 = samples.isEmpty ? 0 : samples[min(samples.count - 1, samples.count * 99 / 100)]
    return (mean, p50, p99)
}

let full = measure(AppState(model: state))
print(String(format: "render 200x60, 4 panels x 10 series x 200 points: mean %.3f ms, p50 %.3f ms, p99 %.3f ms over %d frames (target <= 1 ms)",
             full.mean, full.p50, full.p99, frames))

// The zoomed chart: 10 series x 400 points, coloured lines, the inspect cursor.
var zoomedState = state
zoomedState.panels[2] = PanelState(data: PanelData(series: (0..<10).map { i in
    let points = (0..<400).map { k in
        SamplePair(timestamp: now.timeIntervalSince1970 - 3600 + Double(k) * 9, value: (1 + sin(Double(k) / 13 + Double(i))) * Double(i + 1) / 100)
    }
    return SeriesSummary(legend: "service-\(i)", labels: ["service": "service-\(i)"], points: points, thresholds: Dashboard.microservices.panels[2].thresholds)
}), updatedAt: now)
var zoomed = AppState(model: zoomedState)
for key: Key in [.char("3"), .char("i"), .left] { _ = zoomed.update(.key(key)) }
for _ in 0..<50 { AppView.render(zoomed, into: &canvas) }  // warm-up
let chart = measure(zoomed)
print(String(format: "render 200x60, a zoomed chart of 10 series x 400 points with the inspect cursor: mean %.3f ms, p50 %.3f ms, p99 %.3f ms over %d frames (target <= 2 ms)",
             chart.mean, chart.p50, chart.p99, frames))

// At scale (#16): 200 services in the health panel, each graph its top 50 series of 10,000 (the rest counted), and
// 5,000 firing alerts.
var scaleState = state
scaleState.panels[0] = PanelState(data: PanelData(services: (0..<200).map {
    ServiceHealth(name: "svc-\($0)", status: $0 % 17 == 3 ? .partial(up: 49, total: 50) : .up)
}), updatedAt: now)
for panel in 1..<4 {
    var data = PanelData(series: (0..<50).map { series(panel, $0) })
    data.moreSeries = 9_950
    scaleState.panels[panel] = PanelState(data: data, updatedAt: now)
}
scaleState.alerts = AlertsState(items: AlertItem.sorted((0..<5_000).map { i in
    Alert(labels: ["alertname": "HighErrorRate", "severity": i % 3 == 0 ? "critical" : "warning", "service": "svc-\(i % 200)", "instance": "pod-\(i)"],
          annotations: ["summary": "High error rate detected"], state: .firing, activeAt: now.addingTimeInterval(-600))
}), updatedAt: now)
let scaleApp = AppState(model: scaleState)
for _ in 0..<50 { AppView.render(scaleApp, into: &canvas) }  // warm-up
let scale = measure(scaleApp)
print(String(format: "render 200x60 at scale, 200 services, 3 graphs x top 50 of 10,000 series x 200 points, 5,000 alerts: mean %.3f ms, p50 %.3f ms, p99 %.3f ms over %d frames (target <= 5 ms)",
             scale.mean, scale.p50, scale.p99, frames))
