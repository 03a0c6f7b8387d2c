import FoundationEssentials
import Glibc
import SafeText

/// Converts a Grafana dashboard JSON into a lookout `Dashboard`: stat and gauge panels become stat panels, graph and
/// timeseries panels become graphs, with their Prometheus targets (PromQL and legend format), unit and threshold
/// steps, each at its `gridPos`. Rows become section headers (`PanelKind.row`, collapsed or not) followed by their
/// panels, in the grid's order; old dashboards' `rows[]` with `span`s get the same positions. Grafana's built-ins (`$__rate_interval`, `$__interval`)
/// stay as written and are computed for each fetch (`GrafanaBuiltins`); template variables become lookout variables. Panels it
/// cannot show are listed in `warnings`, never dropped silently.
public enum GrafanaImport {
    public struct Result: Sendable, Equatable {
        public var dashboard: Dashboard
        public var warnings: [String]
    }

    /// Reads and converts a Grafana JSON file of at most `InputLimits.grafanaFileBytes`.
    public static func convert(file path: String) throws -> Result {
        do {
            let bytes = try BoundedFile.read(path, limit: InputLimits.grafanaFileBytes, what: "Grafana dashboard")
            return try convert(json: Data(bytes), source: path)
        } catch let error as BoundedFile.Failure {
            throw DashboardFileError(message: error.message)
        }
    }

    public static func convert(json data: Data, source: String) throws -> Result {
        guard data.count <= InputLimits.grafanaFileBytes else {
            throw DashboardFileError(message: "\(source): the Grafana dashboard is larger than \(BoundedFile.describe(bytes: InputLimits.grafanaFileBytes)), the limit")
        }
        guard let object = JSONValue.parse(data) else { throw DashboardFileError(message: "\(source): not valid JSON") }
        // Exported dashboards are sometimes wrapped: {"dashboard": {...}, "meta": {...}}.
        guard object.object != nil else { throw DashboardFileError(message: "\(source): expected a JSON object") }
        var root = object
        if let inner = root["dashboard"], inner.object != nil { root = inner }
        guard let title = root["title"]?.string, !title.isEmpty else {
            throw DashboardFileError(message: "\(source): not a Grafana dashboard (no title)")
        }
        var warnings: [String] = []
        var panels: [Panel] = []
        // Grafana's order is the grid's, top to bottom and left to right; a collapsed row keeps its panels inside it,
        // an open one has them after it.
        func walk(_ list: [JSONValue]) {
            for panel in Self.inGridOrder(list) {
                let type = panel["type"]?.string ?? "?"
                let name = panel["title"]?.string ?? "(untitled)"
                // lookout's export of a panel it lays out itself: the position was written for Grafana only.
                let gridPos = panel["lookout"]?["grid"]?.bool == false ? nil : Self.gridPos(of: panel)
                if type == "row" {
                    var row = Panel.row(name, collapsed: panel["collapsed"]?.bool ?? false, gridPos: gridPos ?? GridPos(x: 0, y: 0, w: 24, h: 1))
                    row.repeatOver = Self.repeatRule(of: panel)
                    panels.append(row)
                    walk(panel["panels"]?.objects ?? [])
                    continue
                }
                let kind: PanelKind
                switch type {
                case "stat", "singlestat": kind = .stat
                case "gauge": kind = .gauge
                case "bargauge": kind = .bargauge
                case "graph", "timeseries": kind = .graph
                default:
                    warnings.append("skipped panel '\(name)' (type \(type)): lookout shows stat, gauge, bargauge, graph and timeseries panels")
                    continue
                }
                let targets = (panel["targets"]?.objects ?? []).compactMap { target -> Target? in
                    guard let expr = target["expr"]?.string, !expr.isEmpty else { return nil }
                    if target["hide"]?.bool == true { return nil }
                    return Target(expr: expr, legendFormat: target["legendFormat"]?.string ?? "")
                }
                guard !targets.isEmpty else {
                    warnings.append("skipped panel '\(name)' (type \(type)): no Prometheus query")
                    continue
                }
                let (unit, unitWarning) = self.unit(of: panel)
                if let unitWarning { warnings.append("panel '\(name)': \(unitWarning)") }
                // lookout's own fields, as its export writes them (an expected-series query for a health panel,
                // the wide hint); a query like the panel's own, in a file already bounded.
                let own = panel["lookout"]
                let expected = own?["expectedSeries"]?.string.flatMap { $0.isEmpty ? nil : $0 }
                var mappings = Self.mappings(of: panel, warnings: &warnings, name: name)
                // lookout's export gives a health panel UP/DOWN: its own, not a mapping of the dashboard's.
                if kind == .stat, expected != nil, mappings == ValueMapping.upDown { mappings = [] }
                // A stat's reducer; lastNotNull (Grafana's default) is the value at the end, as lookout asks it.
                var reducer: Reducer?
                if kind != .graph, let calc = panel["options"]?["reduceOptions"]?["calcs"]?.array?.first?.string {
                    if let known = Reducer(rawValue: calc) {
                        reducer = known.needsRange ? known : nil
                    } else {
                        warnings.append("panel '\(name)': the reducer \(SafeText.clip(calc, 30)) is not kept; the value at the end is shown")
                    }
                }
                var converted = Panel(
                    title: name, kind: kind, targets: targets, unit: unit, thresholds: thresholds(of: panel, type: type),
                    expectedSeries: kind == .stat ? expected : nil, wide: own?["wide"]?.bool ?? false, mappings: mappings, reducer: reducer,
                    gridPos: gridPos)
                if kind == .stat {
                    // A stat's text and sparkline (a gauge has neither: its value alone).
                    let options = panel["options"]
                    converted.textMode = options?["textMode"]?.string.flatMap(StatText.init(rawValue:)) ?? .auto
                    converted.sparkline = type == "stat" && options?["graphMode"]?.string != "none"
                        || type == "singlestat" && panel["sparkline"]?["show"]?.bool == true
                    if type == "singlestat" { converted.textMode = .value }
                }
                converted.repeatOver = Self.repeatRule(of: panel)
                if kind == .bargauge {
                    converted.barMode = panel["options"]?["displayMode"]?.string.flatMap(BarMode.init(rawValue:)) ?? .gradient
                    if panel["options"]?["orientation"]?.string == "vertical" {
                        warnings.append("panel '\(name)': its vertical bars are drawn horizontally")
                    }
                }
                panels.append(converted)
            }
        }
        walk(root["panels"]?.objects ?? [])
        // Very old dashboards keep panels in rows[].panels, 12 spans to a row, each row `height` pixels tall.
        var rowY = 0
        for row in root["rows"]?.objects ?? [] {
            let height = Self.oldRowHeight(row["height"])
            if row["showTitle"]?.bool == true || row["collapse"]?.bool == true {
                panels.append(.row(row["title"]?.string ?? "(untitled)", collapsed: row["collapse"]?.bool ?? false, gridPos: GridPos(x: 0, y: rowY, w: 24, h: 1)))
                rowY += 1
            }
            var x = 0
            let placed = (row["panels"]?.objects ?? []).map { panel -> JSONValue in
                let w = min(24, max(1, 2 * Int((Self.number(panel["span"]) ?? 12).rounded())))
                if x + w > 24 { x = 0; rowY += height }
                let at = JSONValue.object(["x": .number(Double(x)), "y": .number(Double(rowY)), "w": .number(Double(w)), "h": .number(Double(height))])
                x += w
                guard case .object(var fields) = panel else { return panel }
                fields["gridPos"] = at
                return .object(fields)
            }
            walk(placed)
            rowY += height
        }
        guard panels.contains(where: { !$0.isRow }) else { throw DashboardFileError(message: "\(source): no panel lookout can show" + (warnings.isEmpty ? "" : " (\(warnings.joined(separator: "; ")))")) }

        var variables: [Variable] = []
        let templating = root["templating"]?["list"]?.objects ?? []
        for variable in templating {
            guard let name = variable["name"]?.string, !name.isEmpty,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { continue }
            if let converted = Self.variable(variable, name: name, warnings: &warnings) { variables.append(converted) }
        }
        // The limits of a lookout dashboard: what is beyond them is said, not dropped silently.
        if panels.count > InputLimits.panels {
            let cut = panels[InputLimits.panels...].map { "'\(SafeText.clip($0.title, 60))'" }
            let named = cut.prefix(10).joined(separator: ", ") + (cut.count > 10 ? " and \(cut.count - 10) more" : "")
            warnings.append("\(cut.count) panels beyond the limit of \(InputLimits.panels) were left out: \(named)")
            panels.removeLast(cut.count)
        }
        for i in panels.indices where panels[i].targets.count > InputLimits.targetsPerPanel {
            warnings.append("panel '\(panels[i].title)': \(panels[i].targets.count - InputLimits.targetsPerPanel) queries beyond the limit of \(InputLimits.targetsPerPanel) were left out")
            panels[i].targets.removeLast(panels[i].targets.count - InputLimits.targetsPerPanel)
        }
        if variables.count > InputLimits.variables {
            warnings.append("\(variables.count - InputLimits.variables) variables beyond the limit of \(InputLimits.variables) were left out")
            variables.removeLast(variables.count - InputLimits.variables)
        }
        return Result(
            dashboard: Dashboard(title: title, panels: panels, variables: variables),
            warnings: warnings.map { SafeText.clip($0, InputLimits.messageCharacters) })
    }

    /// A panel's or row's `repeat` (a variable's name), with `repeatDirection` and `maxPerRow`.
    static func repeatRule(of panel: JSONValue) -> Repeat? {
        guard let name = panel["repeat"]?.string, !name.isEmpty,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { return nil }
        return Repeat(variable: name, vertical: panel["repeatDirection"]?.string == "v", maxPerRow: whole(panel["maxPerRow"]) ?? 4)
    }

    /// A panel's `gridPos`, clamped to the grid; nil when it has none.
    static func gridPos(of panel: JSONValue) -> GridPos? {
        guard let g = panel["gridPos"], g.object != nil else { return nil }
        return GridPos(x: whole(g["x"]) ?? 0, y: whole(g["y"]) ?? 0, w: whole(g["w"]) ?? 12, h: whole(g["h"]) ?? 8).clamped
    }

    /// Panels in the grid's order (by `gridPos` row, then column; those without one where they were).
    static func inGridOrder(_ list: [JSONValue]) -> [JSONValue] {
        let keyed = list.enumerated().map { i, panel in (i, gridPos(of: panel)) }
        guard keyed.contains(where: { $0.1 != nil }) else { return list }
        var last = (0, 0)
        let keys = keyed.map { i, pos -> (Int, Int, Int) in
            if let pos { last = (pos.y, pos.x) }
            return (last.0, last.1, i)
        }
        return keys.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map { list[$0.2] }
    }

    /// An old row's height (`"250px"`, 250) in grid rows of 30 px: 8 unless said.
    static func oldRowHeight(_ value: JSONValue?) -> Int {
        let pixels = value?.string.flatMap { text in Double(text.trimmingSpaces().hasSuffix("px") ? String(text.trimmingSpaces().dropLast(2)) : text.trimmingSpaces()) } ?? number(value)
        guard let pixels, pixels.isFinite, pixels > 0 else { return 8 }
        return min(GridPos.maxHeight, max(2, Int((pixels / 30).rounded())))
    }

    /// A Grafana template variable as lookout's: query (`label_values`), custom, interval (its values), constant and
    /// textbox; a data source variable needs nothing (one server); anything else is said and left as written.
    static func variable(_ v: JSONValue, name: String, warnings: inout [String]) -> Variable? {
        let type = v["type"]?.string ?? "query"
        let query = v["query"]?.string ?? v["query"]?["query"]?.string ?? ""
        // The saved value: a string or a list; `$__all` is All.
        let saved = v["current"]?["value"]
        let current = (saved?.array?.compactMap(\.string) ?? saved?.string.map { [$0] } ?? [])
            .map { $0 == "$__all" ? Variable.all : $0 }.prefix(64).map { SafeText.clip($0, InputLimits.labelCharacters) }
        let includeAll = v["includeAll"]?.bool ?? false
        let allValue = (v["allValue"]?.string).flatMap { $0.isEmpty ? nil : $0 }
        let multi = v["multi"]?.bool ?? false
        let regex = v["regex"]?.string
        // Custom and interval values: the options Grafana saved, else the query's comma-separated list.
        func listed() -> [String] {
            let options = (v["options"]?.objects ?? []).compactMap { $0["value"]?.string }.filter { $0 != "$__all" && $0 != "$__auto" }
            let values = options.isEmpty ? query.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty } : options
            return values.prefix(InputLimits.variableValues).map { SafeText.clip($0, InputLimits.labelCharacters) }
        }
        switch type {
        case "datasource": return nil
        case "query":
            guard let (selector, label) = labelValues(query) else {
                warnings.append("variable '\(name)': the query \(SafeText.clip(query, 80)) is not label_values(…): its uses stay as written")
                return nil
            }
            return Variable(name: name, label: label, selector: selector, kind: .query, current: current, includeAll: includeAll,
                            allValue: allValue, multi: multi, regex: regex)
        case "custom", "interval":
            return Variable(name: name, kind: .custom, options: listed(), current: current, includeAll: includeAll, allValue: allValue,
                            multi: multi, regex: type == "custom" ? nil : regex)
        case "constant": return Variable(name: name, kind: .constant, options: [SafeText.clip(query, InputLimits.labelCharacters)])
        case "textbox": return Variable(name: name, kind: .textbox, options: [SafeText.clip(query, InputLimits.labelCharacters)], current: current)
        default:
            warnings.append("variable '\(name)' (type \(SafeText.clip(type, 20))) is not kept: its uses stay as written")
            return nil
        }
    }

    /// `label_values(up{job="x"}, service)` → (`up{job="x"}`, `service`); `label_values(service)` → (nil, `service`).
    static func labelValues(_ query: String) -> (selector: String?, label: String)? {
        let q = query.trimmingSpaces()
        guard q.hasPrefix("label_values("), q.hasSuffix(")") else { return nil }
        let inner = q.dropFirst("label_values(".count).dropLast()
        let comma = inner.lastIndex(of: ",")
        let label = (comma.map { inner[inner.index(after: $0)...] } ?? inner).trimmingSpaces()
        guard let first = label.first, first.isLetter || first == "_",
              label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { return nil }
        let selector = comma.map { inner[..<$0].trimmingSpaces() }
        return (selector.flatMap { $0.isEmpty ? nil : $0 }, label)
    }

    /// A JSON number, or a string holding one (old dashboards write `"80"`).
    static func number(_ value: JSONValue?) -> Double? {
        value?.number ?? value?.string.flatMap { Double($0.trimmingSpaces()) }
    }

    /// A whole number from a JSON number (`decimals`): rounded toward zero, a huge one clamped, not trapped on.
    static func whole(_ value: JSONValue?) -> Int? {
        (value?.number).flatMap { $0.isFinite ? Int(saturating: $0) : nil }
    }

    /// The panel's unit and decimals: Grafana's id when lookout knows it (`UnitCatalog.swift`), else a plain number
    /// and a warning naming the unit.
    static func unit(of panel: JSONValue) -> (Unit, String?) {
        let defaults = panel["fieldConfig"]?["defaults"]
        var grafana = (defaults?["unit"]?.string).flatMap { $0.isEmpty ? nil : $0 }
        var decimals = whole(defaults?["decimals"])
        if grafana == nil, let first = panel["yaxes"]?.objects.first {
            grafana = first["format"]?.string  // the old graph panel
            decimals = decimals ?? whole(panel["decimals"])
        }
        if grafana == nil, let format = panel["format"]?.string { grafana = format }  // singlestat
        let unit = Unit(grafana: grafana ?? "none", decimals: decimals)
        guard unit.isKnown else {
            return (Unit.none.with(decimals: decimals), "unit '\(unit.id)' has no lookout equivalent; values are shown as plain numbers")
        }
        return (unit, nil)
    }

    /// Grafana's value mappings (value, range, special; a regex one is said and left out), and singlestat's
    /// `valueMaps` and `rangeMaps`; at most 64.
    static func mappings(of panel: JSONValue, warnings: inout [String], name: String) -> [ValueMapping] {
        var out: [ValueMapping] = []
        var unread: Set<String> = []
        for mapping in panel["fieldConfig"]?["defaults"]?["mappings"]?.objects ?? [] {
            let options = mapping["options"]
            switch mapping["type"]?.string {
            case "value":
                // {"0": {text, color, index}}, in the order of their index.
                let entries = (options?.object ?? [:]).compactMap { key, result -> (Int, ValueMapping)? in
                    guard let value = Double(key.trimmingSpaces()) else { unread.insert("a value mapping of '\(SafeText.clip(key, 20))'"); return nil }
                    let index = number(result["index"]).map { Int(saturating: $0) } ?? Int.max
                    return (index, ValueMapping(.value(value), text: result["text"]?.string, color: result["color"]?.string))
                }
                out += entries.sorted { $0.0 < $1.0 }.map(\.1)
            case "range":
                let result = options?["result"]
                out.append(ValueMapping(.range(from: number(options?["from"]), to: number(options?["to"])), text: result?["text"]?.string, color: result?["color"]?.string))
            case "special":
                let result = options?["result"]
                switch options?["match"]?.string {
                case "null", "nan", "null+nan":
                    out.append(ValueMapping(.noValue, text: result?["text"]?.string, color: result?["color"]?.string))
                case let other: unread.insert("a special mapping of \(SafeText.clip(other ?? "?", 20))")
                }
            case let other: unread.insert("a \(SafeText.clip(other ?? "?", 20)) mapping")
            }
        }
        // singlestat: [{value: "1", text: "UP"}] and [{from, to, text}].
        for map in panel["valueMaps"]?.objects ?? [] {
            guard let value = number(map["value"]) else { continue }
            out.append(ValueMapping(.value(value), text: map["text"]?.string))
        }
        for map in panel["rangeMaps"]?.objects ?? [] {
            out.append(ValueMapping(.range(from: number(map["from"]), to: number(map["to"])), text: map["text"]?.string))
        }
        for what in unread.sorted() { warnings.append("panel '\(name)': \(what) is not kept") }
        return Array(out.prefix(64))
    }

    /// The thresholds Grafana draws for this panel, with their colours: nil when it draws none (a time series'
    /// `thresholdsStyle` off or absent, a stat's `colorMode: none`, a singlestat colouring nothing) or when every step
    /// is ok-coloured (nothing can be a warning).
    static func thresholds(of panel: JSONValue, type: String) -> Thresholds? {
        let defaults = panel["fieldConfig"]?["defaults"]
        let drawn: Bool
        switch type {
        case "timeseries":
            let mode = defaults?["custom"]?["thresholdsStyle"]?["mode"]?.string ?? "off"
            drawn = mode != "off"
        case "stat": drawn = (panel["options"]?["colorMode"]?.string ?? "value") != "none"
        case "singlestat": drawn = panel["colorValue"]?.bool == true || panel["colorBackground"]?.bool == true
        default: drawn = true
        }
        guard drawn else { return nil }
        var thresholds: Thresholds?
        if let steps = defaults?["thresholds"]?["steps"]?.array, !steps.isEmpty {
            thresholds = Thresholds(
                steps: steps.prefix(32).map { Thresholds.Step(value: number($0["value"]), color: $0["color"]?.string ?? "green") },
                percentage: defaults?["thresholds"]?["mode"]?.string == "percentage",
                min: number(defaults?["min"]), max: number(defaults?["max"]))
        } else if type == "singlestat", let text = panel["thresholds"]?.string {
            // "80,90" and colors [base, at 80, at 90].
            let colours = panel["colors"]?.array?.compactMap(\.string) ?? []
            let values = text.split(separator: ",").compactMap { Double(String($0).trimmingSpaces()) }
            let base = colours.first ?? "green"
            thresholds = Thresholds(steps: [Thresholds.Step(value: nil, color: base)] + values.prefix(31).enumerated().map { i, v in
                colours.indices.contains(i + 1) ? Thresholds.Step(value: v, color: colours[i + 1]) : Thresholds.Step(value: v, state: i == 0 ? .warning : .critical)
            })
        } else if let old = panel["thresholds"]?.array, !old.isEmpty {
            // The old graph panel: [{value, colorMode: critical|warning|ok|custom, op: gt|lt}].
            var steps = [Thresholds.Step(value: nil, state: .ok)]
            for item in old.prefix(31) {
                guard let value = number(item["value"]), item["op"]?.string ?? "gt" == "gt" else { continue }
                let state: ThresholdState = switch item["colorMode"]?.string {
                case "critical": .critical
                case "warning": .warning
                case "custom": Thresholds.state(ofColour: item["lineColor"]?.string ?? item["fillColor"]?.string ?? "")
                default: .ok
                }
                steps.append(Thresholds.Step(value: value, state: state))
            }
            thresholds = Thresholds(steps: steps)
        }
        guard let thresholds, thresholds.canAlarm else { return nil }
        return thresholds
    }
}
