import DashboardCore
import FoundationEssentials
import Glibc
import SafeText
import TerminalCanvas

extension SilenceFormScreen {
    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let ascii = context.options.ascii
        let inner = PanelFrame(
            title: "Silence \(alertName)  (Enter save, Tab next field, Esc cancel)", badge: saving ? ("saving…", .dim) : nil,
            focused: true, ascii: ascii
        ).draw(into: &canvas, area: area)
        guard inner.height >= 1, inner.width >= 10 else { return }
        let labelWidth = 10
        var y = inner.y
        func line(_ text: String, _ role: StyleRole, indent: Int = 0) {
            guard y < inner.maxY else { return }
            canvas.put(TextLayout.truncate(text, to: inner.width - indent, ascii: ascii), x: inner.x + indent, y: y, style: Style(role), clip: inner)
            y += 1
        }
        func field(_ label: String, _ editor: LineEditor, _ which: Field, placeholder: String = "", width: Int? = nil) {
            guard y < inner.maxY else { return }
            let w = min(inner.width, width.map { labelWidth + $0 } ?? inner.width)
            TextField(label: label, editor: editor, focused: focus == which, placeholder: placeholder, labelWidth: labelWidth)
                .render(into: &canvas, area: Rect(x: inner.x, y: y, width: w, height: 1))
            y += 1
        }
        field("Comment", comment, .comment, placeholder: "required: why, and who is on it")
        field("Duration", duration, .duration, width: 12)
        if y - 1 < inner.maxY {
            // The presets and when it would end, beside the duration.
            let ends: String
            switch seconds {
            case .success(let length):
                ends = "ends \(ClockFormat.short(context.model.now.addingTimeInterval(length), now: context.model.now, utc: true)) UTC"
            case .failure(let problem): ends = problem.message
            }
            let hint = "  \(ascii ? "up/down" : "↑↓") \(Self.presets.joined(separator: " "))  \(ends)"
            let x = inner.x + min(inner.width, labelWidth + 12)
            canvas.put(hint, x: x, y: y - 1, style: Style(.dim), clip: Rect(x: x, y: y - 1, width: inner.maxX - x, height: 1))
        }
        field("Author", author, .author)
        y += 1
        line("Matchers  (Ctrl-R regex, Ctrl-N not equal, Ctrl-X remove)", .title)
        // Names and operators in one column, so the values line up.
        let nameWidth = min(inner.width / 2, matchers.map { DisplayWidth.of(SafeText.sanitize($0.name)) }.max() ?? 0)
        for (i, matcher) in matchers.enumerated() where y < inner.maxY {
            let label = "  " + TextLayout.fit(SafeText.sanitize(matcher.name), to: nameWidth) + " " + TextLayout.pad(matcher.matcher.op, to: 2)
            TextField(label: label, editor: matcher.value, focused: focus == .matcher(i),
                      placeholder: "(empty)", labelWidth: DisplayWidth.of(label) + 1)
                .render(into: &canvas, area: Rect(x: inner.x, y: y, width: inner.width, height: 1))
            y += 1
        }
        let count: (String, StyleRole)
        if let selected {
            let alerts = selected.all == 1 ? "1 alert" : "\(selected.all) alerts"
            count = selected.all == 0
                ? ("selects no alert now: check the matchers", .warning)
                : ("selects \(alerts) now (\(selected.active) not yet silenced)", .text)
        } else if let countFailure {
            count = ("cannot count the alerts it selects: " + countFailure, .warning)
        } else {
            count = ("counting the alerts it selects…", .dim)
        }
        line(count.0, count.1)
        if let problem {
            y += y < inner.maxY ? 1 : 0
            line(problem, .critical)
        }
    }
}
