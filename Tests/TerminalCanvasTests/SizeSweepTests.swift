import DashboardCore
import Foundation
import Testing
import TerminalCanvas

/// Every terminal size from 20x5 to 300x100 renders every sample state (and a zoomed panel and the help) without a
/// crash, inside the canvas, with no control characters.
@Suite("Every size renders", .serialized)  // CPU-bound: one case at a time leaves a thread for the others
struct SizeSweepTests {
    @Test(arguments: Array(stride(from: 20, through: 300, by: 1)))
    func everyHeightAtThisWidth(width: Int) {
        var zoomed = SampleStates.incident
        zoomed.zoomedPanel = 3
        var help = SampleStates.healthy
        help.showHelp = true
        help.filter = "pay"
        let states = SampleStates.all.map(\.1) + [zoomed, help]
        for height in 5...100 {
            var canvas = Canvas(width: width, height: height)
            // One state per size, rotating, so every state meets every layout; all of them where layouts change.
            let edge = height < 12 || width < 45 || (78...82).contains(width) || (158...162).contains(width)
            for (i, state) in states.enumerated() where edge || (width + height) % states.count == i {
                DashboardView.render(state, into: &canvas, options: RenderOptions(ascii: (width + height) % 5 == 0))
            }
            #expect(canvas.lines.count == height)
            let small = width < DashboardView.minimumWidth || height < DashboardView.minimumHeight
            if small {
                #expect(canvas.lines.joined().contains("terminal too small") || width < 34, "\(width)x\(height)")
            }
        }
    }

    @Test func aZoomedPanelHasAxesAndLegend() {
        var state = SampleStates.incident
        state.zoomedPanel = 2
        var canvas = Canvas(width: 100, height: 30)
        DashboardView.render(state, into: &canvas)
        let text = canvas.lines.joined(separator: "\n")
        #expect(text.contains("3 Error Rate  (Esc: back)"))
        #expect(text.contains("-1h"))
        #expect(text.contains("-30m"))
        #expect(text.contains("now"))
        #expect(text.contains("0 %"), "y-axis minimum")
        #expect(text.contains("payment-service"))
        #expect(!text.contains("FIRING"), "the zoomed panel takes the whole screen")
    }

    @Test func aWidePanelTakesAGridRowOfItsOwn() {
        var state = SampleStates.incident
        state.dashboard.panels[1].wide = true
        var canvas = Canvas(width: 120, height: 40)
        DashboardView.render(state, into: &canvas)
        let lines = canvas.lines
        let first = lines.firstIndex { $0.contains("1 Service Health Status") } ?? -1
        let wide = lines.firstIndex { $0.contains("2 Request Rate") } ?? -1
        #expect(first == 1 && wide > first, "the wide panel starts a row below the health panel")
        #expect(lines[wide].hasPrefix("┌ 2 Request Rate") && lines[wide].hasSuffix("┐"), "and spans the whole width")
        #expect(lines.contains { $0.contains("3 Error Rate") && $0.contains("4 Response Time") })
    }

    @Test func aTinyTerminalSaysSo() {
        var canvas = Canvas(width: 39, height: 12)
        DashboardView.render(SampleStates.healthy, into: &canvas)
        #expect(canvas.trimmedLines[6].trimmingCharacters(in: .whitespaces) == "terminal too small (need 40x10)")
    }
}
