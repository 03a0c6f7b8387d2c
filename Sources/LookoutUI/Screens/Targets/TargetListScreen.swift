import DashboardCore
import FoundationEssentials
import Glibc
import PrometheusModels
import SafeText
import TerminalCanvas

/// The scrape targets (`:targets`, `T`): grouped by scrape pool, the pools with a target down first and in each the
/// unhealthy targets first; health, instance, service, last scrape, its duration and the last error. Enter shows one
/// target whole (its error, URL and labels). Opened from a DOWN service on the dashboard, it shows that service's
/// targets: is it down, or just not scraped?
public struct TargetListScreen: Screen {
    public static let id = "targets"
    public var id: String { Self.id }
    /// Only these services' targets (Enter on the health panel with services down); nil: all.
    public var services: Set<String>?
    public var groups: TargetGroups?
    public var problem: String?
    public var selected = 0
    /// One target shown whole.
    public var detail = false
    public var loading = false
    /// When the list was read, for "scraped 12s ago".
    public var readAt: Date?
    var request = 0

    public init(services: Set<String>? = nil) {
        self.services = services
    }

    enum Action: Sendable, Equatable { case move(ListMove), open, reload }

    static let keys = KeyTable<Action>(ListMove.bindings(Action.move, item: "target") + [
        KeyBinding([.enter], "Enter", "the target whole: its error, URL and labels", .open),
        KeyBinding([.char("r")], "r", "read the targets again", .reload),
    ])

    public var keyHelp: KeyHelp.Section { Self.keys.help("Targets") }

    public func title(_ context: ScreenContext) -> String {
        services.map { "Targets of " + $0.sorted().joined(separator: ", ") } ?? "Targets"
    }

    public mutating func start(context: ScreenContext) -> [ScreenEffect] { reload() }

    mutating func reload() -> [ScreenEffect] {
        request += 1
        loading = true
        return [.request(id: request, .targets)]
    }

    public mutating func handle(_ key: Key, context: ScreenContext) -> [ScreenEffect]? {
        let targets = groups?.targets ?? []
        if detail {
            guard key == .escape || key == .enter else { return key == .ctrl("c") ? nil : [] }
            detail = false
            return []
        }
        guard let action = Self.keys.action(for: key) else { return nil }
        selected = max(0, min(selected, targets.count - 1))
        switch action {
        case .move(let move): selected = move.apply(to: selected, count: targets.count)
        case .open: detail = targets.indices.contains(selected)
        case .reload: return reload()
        }
        return []
    }

    public mutating func receive(_ response: ScreenResponse, id: Int, context: ScreenContext) -> [ScreenEffect] {
        guard id == request else { return [] }
        loading = false
        switch response {
        case .targets(let result):
            groups = TargetGroups(result, services: services)
            problem = nil
            readAt = context.model.now
        case .failure(let message): problem = "targets unavailable: " + message
        default: problem = "unexpected answer for the targets"
        }
        return []
    }

    /// "12s ago", or "never" before the first scrape.
    static func scraped(_ target: TargetItem, now: Date) -> String {
        guard let at = target.lastScrape else { return "never" }
        return "\(ValueFormat.age(max(0, now.timeIntervalSince(at)))) ago"
    }

    static func word(_ health: ActiveTarget.Health) -> (String, StyleRole) {
        switch health {
        case .up: return ("UP", .ok)
        case .down: return ("DOWN", .critical)
        case .unknown: return ("UNKNOWN", .unknown)
        }
    }

    public func render(into canvas: inout Canvas, area: Rect, context: ScreenContext) {
        let ascii = context.options.ascii
        let now = context.model.now
        let targets = groups?.targets ?? []
        let up = targets.filter { $0.health == .up }.count
        var title = "\(title(context)): \(up)/\(targets.count) up"
        if let dropped = groups?.dropped, dropped > 0 { title += ", \(dropped) dropped" }
        title += detail ? "  (Esc back)" : "  (Enter details, r reload, Esc back)"
        let badge: (String, StyleRole)? = loading ? ("reading…", .dim) : (problem != nil && groups != nil ? ("stale", .warning) : nil)
        let inner = PanelFrame(title: title, badge: badge, focused: true, ascii: ascii).draw(into: &canvas, area: area)
        guard !inner.isEmpty else { return }
        guard let groups, !targets.isEmpty else {
            let text = problem ?? (loading ? "reading the targets…" : (services == nil ? "no targets" : "no target of these services: they are not scraped"))
            WrappedText(text, role: problem == nil ? .dim : .critical).render(into: &canvas, area: inner)
            return
        }
        let chosen = max(0, min(selected, targets.count - 1))
        if detail {
            renderDetail(targets[chosen], into: &canvas, area: inner, now: now, ascii: ascii)
            return
        }
        // Rows: a header per pool, then its targets.
        var rows: [(text: String?, target: Int?)] = []
        var index = 0
        for pool in groups.pools {
            rows.append(("\(pool.name)  \(pool.up)/\(pool.targets.count) up", nil))
            for _ in pool.targets {
                rows.append((nil, index))
                index += 1
            }
        }
        let selectedRow = rows.firstIndex { $0.target == chosen } ?? 0
        var body = inner
        if let problem, body.height > 1 {
            canvas.put(TextLayout.truncate(problem, to: body.width, ascii: ascii), x: body.x, y: body.maxY - 1, style: Style(.critical), clip: body)
            body.height -= 1
        }
        let top = ListMove.firstShown(selected: selectedRow, count: rows.count, rows: body.height)
        let instanceWidth = min(32, targets.map { DisplayWidth.of($0.instance) }.max() ?? 8)
        let serviceWidth = min(24, targets.map { DisplayWidth.of($0.service) }.max() ?? 0)
        let scrapedWidth = targets.map { Self.scraped($0, now: now).count }.max() ?? 0
        for (offset, row) in rows.dropFirst(top).prefix(body.height).enumerated() {
            let y = body.y + offset
            let clip = Rect(x: body.x, y: y, width: body.width, height: 1)
            if let text = row.text {
                canvas.put(TextLayout.truncate(text, to: body.width, ascii: ascii), x: body.x, y: y, style: Style(.title), clip: clip)
                continue
            }
            guard let i = row.target else { continue }
            let target = targets[i]
            let (word, role) = Self.word(target.health)
            var x = canvas.put("  " + TextLayout.pad(word, to: 7), x: body.x, y: y, style: Style(role, i == chosen ? .reverse : []), clip: clip)
            x = canvas.put(" " + TextLayout.fit(target.instance, to: instanceWidth, ascii: ascii), x: x, y: y, style: Style(.text), clip: clip)
            x = canvas.put("  " + TextLayout.fit(target.service, to: serviceWidth, ascii: ascii), x: x, y: y, style: Style(.text), clip: clip)
            x = canvas.put("  " + TextLayout.pad(Self.scraped(target, now: now), to: scrapedWidth), x: x, y: y, style: Style(.dim), clip: clip)
            let duration = target.scrapeDuration.map { ValueFormat.format($0, unit: .seconds) } ?? "–"
            x = canvas.put("  " + TextLayout.pad(duration, to: 7, alignRight: true), x: x, y: y, style: Style(.dim), clip: clip)
            if !target.lastError.isEmpty {
                canvas.put(TextLayout.truncate("  " + target.lastError, to: max(0, body.maxX - x), ascii: ascii), x: x, y: y, style: Style(.critical), clip: clip)
            }
        }
    }

    func renderDetail(_ target: TargetItem, into canvas: inout Canvas, area: Rect, now: Date, ascii: Bool) {
        let (word, role) = Self.word(target.health)
        var lines: [(String, StyleRole)] = [
            ("\(word)  \(target.instance)  (\(target.pool))", role),
            ("scraped \(Self.scraped(target, now: now)), in \(target.scrapeDuration.map { ValueFormat.format($0, unit: .seconds) } ?? "–")", .text),
            ("url: " + target.scrapeURL, .focus),
        ]
        if !target.lastError.isEmpty { lines += [("", .text), ("Last error", .title), (target.lastError, .critical)] }
        lines += [("", .text), ("Labels", .title)]
        lines += target.labels.sorted { $0.key < $1.key }.map { ("  \($0.key) = \($0.value)", .text) }
        var y = area.y
        // Long errors wrap instead of being cut.
        for (text, role) in lines {
            for piece in WrappedText.lines(text, width: area.width) where y < area.maxY {
                canvas.put(piece, x: area.x, y: y, style: Style(role), clip: area)
                y += 1
            }
        }
    }
}
