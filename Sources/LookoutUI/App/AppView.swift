import DashboardCore
import SafeText
import TerminalCanvas

/// Draws the app: the status bar with the breadcrumbs on the first row, the top screen below it, the filter line at
/// the bottom while a filter is set, and the help over everything. Below 40x10 it only says that the terminal is too
/// small.
public enum AppView {
    public static let minimumWidth = 40
    public static let minimumHeight = 10

    /// Where the top screen is drawn in a terminal of this size: below the status bar, above the bottom line.
    public static func mainArea(width: Int, height: Int, bottomLine: Bool) -> Rect {
        let body = Rect(x: 0, y: 1, width: width, height: height - 1)
        return bottomLine ? body.splitTop(body.height - 1).0 : body
    }

    public static func render(_ app: AppState, into canvas: inout Canvas, options: RenderOptions = RenderOptions()) {
        canvas.fill(canvas.bounds)
        let area = canvas.bounds
        guard area.width >= minimumWidth, area.height >= minimumHeight else {
            let message = "terminal too small (need \(minimumWidth)x\(minimumHeight))"
            canvas.put(TextLayout.truncate(message, to: area.width, ascii: options.ascii), x: max(0, (area.width - message.count) / 2), y: area.height / 2, style: Style(.warning))
            if options.ascii { canvas.makeASCII() }
            return
        }
        let context = app.context(options)
        let (statusArea, body) = area.splitTop(1)
        StatusBar.line(app.model, breadcrumbs: app.breadcrumbs, ascii: options.ascii).render(into: &canvas, area: statusArea)
        // The bottom line: the command line while it is open, else a notice, else the filter.
        let hasFilterLine = !app.model.filter.isEmpty || app.isEditingFilter
        let hasBottomLine = app.commandLine != nil || app.notice != nil || hasFilterLine
        let main = hasBottomLine ? body.splitTop(body.height - 1).0 : body
        app.top.render(into: &canvas, area: main, context: context)
        if hasBottomLine {
            let line = body.splitTop(body.height - 1).1
            if let command = app.commandLine {
                canvas.fill(line, with: Cell(" ", style: Style(.filter)))
                let (shown, cursor) = command.visible(width: line.width - 2)
                canvas.put(":" + shown, x: line.x, y: line.y, style: Style(.filter), clip: line)
                canvas.setStyle(Rect(x: line.x + 1 + cursor, y: line.y, width: 1, height: 1), Style(.focus, .reverse))
            } else if let notice = app.notice {
                canvas.fill(line, with: Cell(" ", style: Style(.warning)))
                canvas.put(" " + TextLayout.truncate(notice, to: line.width - 1, ascii: options.ascii), x: line.x, y: line.y, style: Style(.warning), clip: line)
            } else {
                canvas.fill(line, with: Cell(" ", style: Style(.filter)))
                let hint = app.isEditingFilter ? "_   Enter: keep  Esc: clear" : "   Esc: clear"
                canvas.put(" filter: /\(app.model.filter)\(hint)", x: line.x, y: line.y, style: Style(.filter), clip: line)
            }
        }
        if app.showHelp {
            var help = app.help
            help.ascii = options.ascii
            help.render(into: &canvas, area: body)
        }
        // ASCII only means every cell, whatever a widget or a server's text put there.
        if options.ascii { canvas.makeASCII() }
    }
}
