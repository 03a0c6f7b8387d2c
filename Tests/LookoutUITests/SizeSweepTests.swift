import LookoutUI
import SafeText
import DashboardCore
import Foundation
import Testing
import TerminalCanvas

/// Terminal sizes from 20x5 to 300x100 render every sample state and view (zoom, alert list and detail, help,
/// filter, loading) without a crash: every row exactly as wide as the terminal, no control character in any cell,
/// the status bar on the first row, and the panel titles whole wherever the grid has room for them.
///
/// `make test` draws every width and every height, at one size in eight near a layout change and one in thirty-two
/// elsewhere (about 1,700 canvases); `make sweep` (LOOKOUT_SWEEP=full) draws all 26,976 sizes with every state.
@Suite("Every size renders", .serialized)  // CPU-bound: one case at a time leaves a thread for the others
struct SizeSweepTests {
    @Test(arguments: Array(stride(from: 20, through: 300, by: 1)))
    func everyHeightAtThisWidth(width: Int) {
        var filtered = SampleStates.healthy
        filtered.filter = "pay"
        // The four data states and every other view: zoom, alert list and detail, help, filter, ASCII, loading.
        let states = SampleStates.all.map { AppState(model: $0.1) } + SampleStates.views.map(\.1) + SampleStates.silences.map(\.1)
            + [SampleStates.app(filtered, [.char("?")])]
        let full = ProcessInfo.processInfo.environment["LOOKOUT_SWEEP"] == "full"
        for height in 5...100 {
            var canvas = Canvas(width: width, height: height)
            // One size in eight near a layout change and one in thirty-two of the others, on diagonals, so every
            // width meets heights of every remainder and every height widths of every remainder (`make sweep`: all).
            let edge = height < 12 || width < 45 || (78...82).contains(width) || (158...162).contains(width)
            guard full || (width + 3 * height) % (edge ? 8 : 32) == 0 else { continue }
            // One state per size, rotating, so every state meets every layout; all of them on the layout changes.
            let change = width == AppView.minimumWidth || height == AppView.minimumHeight
                || [79, 80, 159, 160].contains(width)
            let small = width < AppView.minimumWidth || height < AppView.minimumHeight
            for (i, state) in states.enumerated() where full || change || (width + height) % states.count == i {
                canvas = Canvas(width: width, height: height)
                AppView.render(state, into: &canvas, options: RenderOptions(ascii: (width + height) % 5 == 0))
                CanvasChecks.expectWellFormed(canvas)
                let lines = canvas.lines
                if small {
                    #expect(lines.joined().contains("terminal too small") || width < 34, "\(width)x\(height)")
                    continue
                }
                let statusRoles: Set<StyleRole> = [.statusBar, .statusError]
                #expect((0..<width).allSatisfy { statusRoles.contains(canvas[$0, 0].style.role) }, "the status bar fills row 0 at \(width)x\(height)")
                // A grid of four panels in a row, or 2x2, has room for every title whole (the alert view takes the screen).
                if state.top is DashboardScreen, !state.showHelp, width >= 120, height >= 24 {
                    for title in state.model.dashboard.panels.prefix(3).enumerated().map({ "\($0.offset + 1) \($0.element.title)" }) {
                        #expect(lines.contains { $0.contains(title) }, "\(title) missing at \(width)x\(height)")
                    }
                }
            }
        }
    }

    @Test func aZoomedPanelHasAxesAndLegend() {
        var canvas = Canvas(width: 100, height: 30)
        AppView.render(SampleStates.app(SampleStates.incident, [.char("3")]), into: &canvas)
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
        AppView.render(AppState(model: state), into: &canvas)
        let lines = canvas.lines
        let first = lines.firstIndex { $0.contains("1 Service Health Status") } ?? -1
        let wide = lines.firstIndex { $0.contains("2 Request Rate") } ?? -1
        #expect(first == 1 && wide > first, "the wide panel starts a row below the health panel")
        #expect(lines[wide].hasPrefix("┌ 2 Request Rate") && lines[wide].hasSuffix("┐"), "and spans the whole width")
        #expect(lines.contains { $0.contains("3 Error Rate") && $0.contains("4 Response Time") })
    }

    @Test func aTinyTerminalSaysSo() {
        var canvas = Canvas(width: 39, height: 12)
        AppView.render(AppState(model: SampleStates.healthy), into: &canvas)
        #expect(canvas.trimmedLines[6].trimmingCharacters(in: .whitespaces) == "terminal too small (need 40x10)")
    }
}
