import FoundationEssentials
import Glibc
import SafeText

/// A dashboard file that cannot be used. The message names the file, the line and column, the key, and what was
/// expected: `my.yaml:12:11: panels[2].type: unknown panel type 'pie' (expected stat, graph, gauge, bargauge or row)`.
public struct DashboardFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The message quotes the file's own text: it is sanitised and cut here, once, for every output.
    public init(message: String) { self.message = SafeText.clip(message, InputLimits.messageCharacters) }
    public var description: String { message }
}

extension Dashboard {
    /// The dashboard as YAML, in the shape `Dashboard.parse(yaml:)` reads back to an equal value.
    public func yaml() -> String {
        var lines = [
            "# A lookout dashboard. Use it with: lookout --dashboard FILE",
            "title: \(Self.quote(title))",
            "panels:",
        ]
        for panel in panels {
            lines.append("  - title: \(Self.quote(panel.title))")
            lines.append("    type: \(panel.kind.rawValue)")
            if let g = panel.gridPos { lines.append("    gridPos: {x: \(g.x), y: \(g.y), w: \(g.w), h: \(g.h)}") }
            if let r = panel.repeatOver {
                lines.append("    repeat: {variable: \(Self.quote(r.variable))\(r.vertical ? ", vertical: true" : ""), maxPerRow: \(r.maxPerRow)}")
            }
            if panel.isRow {
                if panel.collapsed { lines.append("    collapsed: true") }
                continue
            }
            lines.append("    unit: \(Self.quote(panel.unit.name))")
            if let decimals = panel.unit.decimals { lines.append("    decimals: \(decimals)") }
            if let t = panel.thresholds {
                if t.isTwoLevels {
                    lines.append("    thresholds: {warning: \(Self.number(t.warning)), critical: \(Self.number(t.critical))}")
                } else {
                    // Grafana's steps: the base (no value) first, each with its colour and the state it gives.
                    lines.append("    thresholds:")
                    if t.percentage { lines.append("      mode: percentage") }
                    if let min = t.min { lines.append("      min: \(Self.number(min))") }
                    if let max = t.max { lines.append("      max: \(Self.number(max))") }
                    lines.append("      steps:")
                    for step in t.steps {
                        let value = step.value.map { "value: \(Self.number($0)), " } ?? ""
                        lines.append("        - {\(value)color: \(Self.quote(step.color)), state: \(step.state.rawValue)}")
                    }
                }
            }
            if !panel.mappings.isEmpty {
                lines.append("    mappings:")
                for mapping in panel.mappings {
                    var fields: [String]
                    switch mapping.match {
                    case .value(let v): fields = ["value: \(Self.number(v))"]
                    case .range(let from, let to): fields = (from.map { ["from: \(Self.number($0))"] } ?? []) + (to.map { ["to: \(Self.number($0))"] } ?? [])
                    case .noValue: fields = ["noValue: true"]
                    }
                    if let text = mapping.text { fields.append("text: \(Self.quote(text))") }
                    if let color = mapping.color { fields.append("color: \(Self.quote(color))") }
                    lines.append("      - {\(fields.joined(separator: ", "))}")
                }
            }
            if let reducer = panel.reducer { lines.append("    reducer: \(reducer.rawValue)") }
            if panel.kind == .stat, panel.textMode != .valueAndName { lines.append("    textMode: \(panel.textMode.rawValue)") }
            if !panel.sparkline { lines.append("    sparkline: false") }
            if panel.kind == .bargauge { lines.append("    displayMode: \(panel.barMode.rawValue)") }
            if let expected = panel.expectedSeries { lines.append("    expectedSeries: \(Self.quote(expected))") }
            if panel.wide { lines.append("    wide: true") }
            lines.append("    targets:")
            for target in panel.targets {
                lines.append("      - expr: \(Self.quote(target.expr))")
                lines.append("        legendFormat: \(Self.quote(target.legendFormat))")
            }
        }
        if !variables.isEmpty {
            lines.append("variables:")
            for variable in variables {
                lines.append("  - name: \(Self.quote(variable.name))")
                lines.append("    label: \(Self.quote(variable.label))")
                // lookout's own variables are a name and a label; Grafana's keep their fields.
                guard !variable.isPlain else { continue }
                lines.append("    kind: \(variable.kind.rawValue)")
                if let selector = variable.selector { lines.append("    selector: \(Self.quote(selector))") }
                if !variable.options.isEmpty { lines.append("    options: [\(variable.options.map(Self.quote).joined(separator: ", "))]") }
                if !variable.current.isEmpty { lines.append("    current: [\(variable.current.map(Self.quote).joined(separator: ", "))]") }
                lines.append("    includeAll: \(variable.includeAll)")
                if let allValue = variable.allValue { lines.append("    allValue: \(Self.quote(allValue))") }
                if variable.multi { lines.append("    multi: true") }
                if let regex = variable.regex { lines.append("    regex: \(Self.quote(regex))") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quote(_ text: String) -> String { Quote.quoted(text, Quote.yaml) }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// The built-in dashboards by name (`--dashboard NAME`, a context's `dashboard`).
    public static var builtins: [String: Dashboard] { ["microservices": .microservices, "operations": .operations] }

    /// The built-in dashboards' names, in the order `D` steps through them.
    public static let builtinNames = ["microservices", "operations"]

    /// A built-in dashboard by name, else a dashboard file; nil is the microservices dashboard.
    public static func named(_ nameOrPath: String?) throws(DashboardFileError) -> Dashboard {
        guard let nameOrPath else { return .microservices }
        if let builtin = builtins[nameOrPath] { return builtin }
        do {
            return try load(file: nameOrPath)
        } catch let error as DashboardFileError {
            throw error
        } catch {
            throw DashboardFileError(message: "\(error)")
        }
    }

    /// Reads a dashboard file.
    public static func load(file path: String) throws -> Dashboard {
        let text: String
        do {
            text = try BoundedFile.text(path, limit: InputLimits.dashboardFileBytes, what: "dashboard file")
        } catch {
            throw DashboardFileError(message: error.message)
        }
        return try parse(yaml: text, source: path)
    }

    /// Parses a dashboard; `source` names the file in errors.
    public static func parse(yaml: String, source: String) throws -> Dashboard {
        func fail(_ node: YAMLNode?, _ path: String, _ what: String) -> DashboardFileError {
            let at = YAMLMark.suffix(node?.mark)
            return DashboardFileError(message: "\(source)\(at): \(path.isEmpty ? "" : path + ": ")\(what)")
        }
        let root: YAMLNode
        do {
            guard let node = try YAMLDocument.compose(yaml, source: source) else { throw fail(nil, "", "the file is empty") }
            root = node
        } catch let error as YAMLError {
            throw DashboardFileError(message: error.message)
        }
        func mapping(_ node: YAMLNode, _ path: String, keys allowed: [String]) throws -> [(String, YAMLNode, YAMLNode)] {
            guard let map = node.mapping else { throw fail(node, path, "expected a mapping with \(allowed.joined(separator: ", "))") }
            return try map.map { key, value in
                guard let name = key.string, allowed.contains(name) else {
                    throw fail(key, path, "unknown key '\(key.string ?? "?")' (expected \(allowed.joined(separator: ", ")))")
                }
                return (name, key, value)
            }
        }
        func string(_ node: YAMLNode, _ path: String, nonEmpty: Bool = true) throws -> String {
            guard let s = node.scalar?.string, node.scalar != nil else { throw fail(node, path, "expected a string") }
            if nonEmpty && s.trimmingSpaces().isEmpty { throw fail(node, path, "must not be empty") }
            return s
        }
        func number(_ node: YAMLNode, _ path: String) throws -> Double {
            guard let text = node.scalar?.string, let value = Double(text), value.isFinite else {
                throw fail(node, path, "expected a number, got '\(node.scalar?.string ?? "a collection")'")
            }
            return value
        }

        var title: String?
        var panels: [Panel] = []
        var variables: [Variable] = []
        for (key, _, value) in try mapping(root, "", keys: ["title", "panels", "variables"]) {
            switch key {
            case "title": title = try string(value, "title")
            case "variables":
                guard let list = value.sequence else { throw fail(value, "variables", "expected a list of variables") }
                guard list.count <= InputLimits.variables else {
                    throw fail(value, "variables", "\(list.count) variables, more than the limit of \(InputLimits.variables)")
                }
                for (i, node) in list.enumerated() {
                    let path = "variables[\(i)]"
                    var name: String?
                    var label: String?
                    var selector: String?
                    var kind: Variable.Kind?
                    var lists: [String: [String]] = [:]
                    var flags: [String: Bool] = [:]
                    var allValue: String?
                    var regex: String?
                    let keys = ["name", "label", "selector", "kind", "options", "current", "includeAll", "allValue", "multi", "regex"]
                    for (k, _, v) in try mapping(node, path, keys: keys) {
                        let at = "\(path).\(k)"
                        switch k {
                        case "name", "label":
                            let text = try string(v, at)
                            guard text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                                throw fail(v, at, "'\(text)' is not a label name (letters, digits, _)")
                            }
                            if k == "name" { name = text } else { label = text }
                        case "selector": selector = try string(v, at)
                        case "allValue": allValue = try string(v, at, nonEmpty: false)
                        case "regex": regex = try string(v, at)
                        case "kind":
                            let text = try string(v, at)
                            guard let parsed = Variable.Kind(rawValue: text) else { throw fail(v, at, "expected query, custom, constant or textbox") }
                            kind = parsed
                        case "options", "current":
                            guard let items = v.sequence, items.count <= InputLimits.variableValues else { throw fail(v, at, "expected a list of values") }
                            lists[k] = try items.enumerated().map { j, item in try string(item, "\(at)[\(j)]", nonEmpty: false) }
                        default:
                            guard let flag = v.bool else { throw fail(v, at, "expected true or false") }
                            flags[k] = flag
                        }
                    }
                    guard let name else { throw fail(node, path, "missing name") }
                    guard let kind else {
                        variables.append(Variable(name: name, label: label))
                        continue
                    }
                    variables.append(Variable(
                        name: name, label: label, selector: selector, kind: kind, options: lists["options"] ?? [], current: lists["current"] ?? [],
                        includeAll: flags["includeAll"] ?? false, allValue: allValue, multi: flags["multi"] ?? false, regex: regex))
                }
            default:
                guard let list = value.sequence else { throw fail(value, "panels", "expected a list of panels") }
                guard list.count <= InputLimits.panels else {
                    throw fail(value, "panels", "\(list.count) panels, more than the limit of \(InputLimits.panels)")
                }
                for (i, panelNode) in list.enumerated() {
                    let path = "panels[\(i)]"
                    var panelTitle: String?
                    var kind: PanelKind?
                    var unit = Unit.none
                    var thresholds: Thresholds?
                    var expected: String?
                    var targets: [Target]?
                    var wide = false
                    var decimals: Int?
                    var mappings: [ValueMapping] = []
                    var reducer: Reducer?
                    var gridPos: GridPos?
                    var collapsed = false
                    var textMode = StatText.valueAndName
                    var sparkline = true
                    var barMode = BarMode.gradient
                    var repeatOver: Repeat?
                    for (k, _, v) in try mapping(panelNode, path, keys: [
                        "title", "type", "unit", "decimals", "thresholds", "mappings", "reducer", "expectedSeries", "wide", "targets", "gridPos", "collapsed",
                        "textMode", "sparkline", "displayMode", "repeat",
                    ]) {
                        switch k {
                        case "title": panelTitle = try string(v, "\(path).title")
                        case "type":
                            let text = try string(v, "\(path).type")
                            guard let k = PanelKind(rawValue: text) else {
                                throw fail(v, "\(path).type", "unknown panel type '\(text)' (expected stat, graph, gauge, bargauge or row)")
                            }
                            kind = k
                        case "unit":
                            let text = try string(v, "\(path).unit")
                            let u = Unit(name: text)
                            guard u.isKnown else {
                                throw fail(v, "\(path).unit", "unknown unit '\(text)' (expected req/s, percent (0 to 1), seconds, none, or a Grafana unit such as bytes, bps, ms, percent100)")
                            }
                            unit = u
                        case "decimals":
                            let n = try number(v, "\(path).decimals")
                            guard n == n.rounded(), n >= 0, n <= 10 else {
                                throw fail(v, "\(path).decimals", "expected a whole number from 0 to 10")
                            }
                            decimals = Int(n)
                        case "thresholds":
                            var warning: Double?
                            var critical: Double?
                            var steps: [Thresholds.Step]?
                            var percentage = false
                            var range: (min: Double?, max: Double?) = (nil, nil)
                            for (tk, _, tv) in try mapping(v, "\(path).thresholds", keys: ["warning", "critical", "steps", "mode", "min", "max"]) {
                                let at = "\(path).thresholds.\(tk)"
                                switch tk {
                                case "warning": warning = try number(tv, at)
                                case "critical": critical = try number(tv, at)
                                case "min": range.min = try number(tv, at)
                                case "max": range.max = try number(tv, at)
                                case "mode":
                                    let mode = try string(tv, at)
                                    guard mode == "absolute" || mode == "percentage" else { throw fail(tv, at, "expected absolute or percentage") }
                                    percentage = mode == "percentage"
                                default:
                                    guard let list = tv.sequence, !list.isEmpty, list.count <= 32 else { throw fail(tv, at, "expected a list of 1 to 32 steps") }
                                    steps = try list.enumerated().map { j, node in
                                        let sp = "\(at)[\(j)]"
                                        var value: Double?
                                        var colour: String?
                                        var state: ThresholdState?
                                        for (sk, _, sv) in try mapping(node, sp, keys: ["value", "color", "state"]) {
                                            switch sk {
                                            case "value": value = try number(sv, "\(sp).value")
                                            case "color": colour = try string(sv, "\(sp).color")
                                            default:
                                                let word = try string(sv, "\(sp).state")
                                                guard let s = ThresholdState(rawValue: word), s != .unknown else {
                                                    throw fail(sv, "\(sp).state", "expected ok, warning or critical")
                                                }
                                                state = s
                                            }
                                        }
                                        switch (colour, state) {
                                        case (let colour?, let state?): return Thresholds.Step(value: value, state: state, color: colour)
                                        case (let colour?, nil): return Thresholds.Step(value: value, color: colour)
                                        case (nil, let state?): return Thresholds.Step(value: value, state: state)
                                        case (nil, nil): throw fail(node, sp, "needs a color or a state")
                                        }
                                    }
                                }
                            }
                            if let steps {
                                guard warning == nil, critical == nil else { throw fail(v, "\(path).thresholds", "either steps or warning and critical, not both") }
                                thresholds = Thresholds(steps: steps, percentage: percentage, min: range.min, max: range.max)
                                break
                            }
                            guard let w = warning, let c = critical else {
                                throw fail(v, "\(path).thresholds", "needs both warning and critical")
                            }
                            guard w <= c else {
                                throw fail(v, "\(path).thresholds", "warning (\(Self.number(w))) must not be above critical (\(Self.number(c)))")
                            }
                            thresholds = Thresholds(warning: w, critical: c)
                        case "mappings":
                            guard let list = v.sequence, list.count <= 64 else { throw fail(v, "\(path).mappings", "expected a list of at most 64 mappings") }
                            mappings = try list.enumerated().map { j, node in
                                let mp = "\(path).mappings[\(j)]"
                                var fields: [String: Double] = [:]
                                var texts: [String: String] = [:]
                                var noValue = false
                                for (mk, _, mv) in try mapping(node, mp, keys: ["value", "from", "to", "noValue", "text", "color"]) {
                                    switch mk {
                                    case "value", "from", "to": fields[mk] = try number(mv, "\(mp).\(mk)")
                                    case "noValue":
                                        guard let flag = mv.bool else { throw fail(mv, "\(mp).noValue", "expected true or false") }
                                        noValue = flag
                                    default: texts[mk] = try string(mv, "\(mp).\(mk)", nonEmpty: false)
                                    }
                                }
                                let match: ValueMapping.Match
                                if let value = fields["value"] {
                                    guard fields["from"] == nil, fields["to"] == nil, !noValue else { throw fail(node, mp, "either value, from/to or noValue") }
                                    match = .value(value)
                                } else if fields["from"] != nil || fields["to"] != nil {
                                    guard !noValue else { throw fail(node, mp, "either value, from/to or noValue") }
                                    match = .range(from: fields["from"], to: fields["to"])
                                } else if noValue {
                                    match = .noValue
                                } else {
                                    throw fail(node, mp, "needs value, from/to or noValue")
                                }
                                return ValueMapping(match, text: texts["text"], color: texts["color"])
                            }
                        case "reducer":
                            let text = try string(v, "\(path).reducer")
                            guard let r = Reducer(rawValue: text) else {
                                throw fail(v, "\(path).reducer", "unknown reducer '\(text)' (expected \(Reducer.allCases.map(\.rawValue).joined(separator: ", ")))")
                            }
                            reducer = r.needsRange ? r : nil
                        case "expectedSeries": expected = try string(v, "\(path).expectedSeries")
                        case "wide":
                            guard let flag = v.bool else { throw fail(v, "\(path).wide", "expected true or false") }
                            wide = flag
                        case "collapsed":
                            guard let flag = v.bool else { throw fail(v, "\(path).collapsed", "expected true or false") }
                            collapsed = flag
                        case "repeat":
                            var name: String?
                            var vertical = false
                            var perRow = 4
                            for (rk, _, rv) in try mapping(v, "\(path).repeat", keys: ["variable", "vertical", "maxPerRow"]) {
                                switch rk {
                                case "variable": name = try string(rv, "\(path).repeat.variable")
                                case "vertical":
                                    guard let flag = rv.bool else { throw fail(rv, "\(path).repeat.vertical", "expected true or false") }
                                    vertical = flag
                                default:
                                    let n = try number(rv, "\(path).repeat.maxPerRow")
                                    guard n == n.rounded(), n >= 1, n <= 24 else { throw fail(rv, "\(path).repeat.maxPerRow", "expected a whole number from 1 to 24") }
                                    perRow = Int(n)
                                }
                            }
                            guard let name else { throw fail(v, "\(path).repeat", "needs variable (the name of the variable to repeat over)") }
                            repeatOver = Repeat(variable: name, vertical: vertical, maxPerRow: perRow)
                        case "displayMode":
                            let text = try string(v, "\(path).displayMode")
                            guard let mode = BarMode(rawValue: text) else {
                                throw fail(v, "\(path).displayMode", "unknown display mode '\(text)' (expected basic, gradient or lcd)")
                            }
                            barMode = mode
                        case "sparkline":
                            guard let flag = v.bool else { throw fail(v, "\(path).sparkline", "expected true or false") }
                            sparkline = flag
                        case "textMode":
                            let text = try string(v, "\(path).textMode")
                            guard let mode = StatText(rawValue: text) else {
                                throw fail(v, "\(path).textMode", "unknown text mode '\(text)' (expected \(StatText.allCases.map(\.rawValue).joined(separator: ", ")))")
                            }
                            textMode = mode
                        case "gridPos":
                            var fields: [String: Int] = [:]
                            for (gk, _, gv) in try mapping(v, "\(path).gridPos", keys: ["x", "y", "w", "h"]) {
                                let n = try number(gv, "\(path).gridPos.\(gk)")
                                guard n == n.rounded(), n >= 0, n <= 100_000 else {
                                    throw fail(gv, "\(path).gridPos.\(gk)", "expected a whole number from 0 to 100000")
                                }
                                fields[gk] = Int(n)
                            }
                            guard let x = fields["x"], let y = fields["y"], let w = fields["w"], let h = fields["h"] else {
                                throw fail(v, "\(path).gridPos", "needs x, y, w and h (Grafana's 24-column grid)")
                            }
                            gridPos = GridPos(x: x, y: y, w: w, h: h).clamped
                        default:
                            guard let list = v.sequence, !list.isEmpty else {
                                throw fail(v, "\(path).targets", "expected a list of at least one target")
                            }
                            guard list.count <= InputLimits.targetsPerPanel else {
                                throw fail(v, "\(path).targets", "\(list.count) targets, more than the limit of \(InputLimits.targetsPerPanel)")
                            }
                            targets = try list.enumerated().map { j, targetNode in
                                let tpath = "\(path).targets[\(j)]"
                                var expr: String?
                                var legend = ""
                                for (tk, _, tv) in try mapping(targetNode, tpath, keys: ["expr", "legendFormat"]) {
                                    if tk == "expr" { expr = try string(tv, "\(tpath).expr") } else {
                                        legend = try string(tv, "\(tpath).legendFormat", nonEmpty: false)
                                    }
                                }
                                guard let expr else { throw fail(targetNode, tpath, "missing expr (the PromQL query)") }
                                return Target(expr: expr, legendFormat: legend)
                            }
                        }
                    }
                    guard let panelTitle else { throw fail(panelNode, path, "missing title") }
                    guard let kind else { throw fail(panelNode, path, "missing type (stat, graph, gauge, bargauge or row)") }
                    if kind == .row {
                        guard targets == nil else { throw fail(panelNode, path, "a row has no targets (it is a section header)") }
                        var row = Panel.row(panelTitle, collapsed: collapsed, gridPos: gridPos)
                        row.repeatOver = repeatOver
                        panels.append(row)
                        continue
                    }
                    guard let targets else { throw fail(panelNode, path, "missing targets") }
                    var panel = Panel(
                        title: panelTitle, kind: kind, targets: targets, unit: unit.with(decimals: decimals ?? unit.decimals), thresholds: thresholds,
                        expectedSeries: expected, wide: wide, mappings: mappings, reducer: reducer, gridPos: gridPos)
                    panel.textMode = textMode
                    panel.sparkline = sparkline
                    panel.barMode = barMode
                    panel.repeatOver = repeatOver
                    panels.append(panel)
                }
            }
        }
        guard let title else { throw fail(root, "", "missing title") }
        guard !panels.isEmpty else { throw fail(root, "", "missing panels (at least one)") }
        guard panels.contains(where: { !$0.isRow }) else { throw fail(root, "", "missing panels (at least one that is not a row)") }
        return Dashboard(title: title, panels: panels, variables: variables)
    }
}
