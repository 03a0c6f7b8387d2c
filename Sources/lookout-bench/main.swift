// Measures how long a full dashboard frame takes to render into a canvas: 200x60, 4 panels x 10 series x 200 points,
// every alert of the source design firing. Run: swift run -c release lookout-bench [frames]
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
var samples: [Double] = []
samples.reserveCapacity(frames)
let begin = clock.now
for _ in 0..<frames {
    let start = clock.now
    AppView.render(AppState(model: state), into: &canvas)
    samples.append(milliseconds(clock.now - start))
}
let mean = milliseconds(clock.now - begin) / Double(max(1, frames))
samples.sort()
let p50 = samples.isEmpty ? 0 : samples[samples.count / 2]
let p99 = samples.isEmpty ? 0 : samples[min(samples.count - 1, samples.count * 99 / 100)]
print(String(format: "render 200x60, 4 panels x 10 series x 200 points: mean %.3f ms, p50 %.3f ms, p99 %.3f ms over %d frames (target <= 1 ms)",
             mean, p50, p99, frames))
