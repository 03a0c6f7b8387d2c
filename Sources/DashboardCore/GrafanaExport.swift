import FoundationEssentials
import Glibc
import SafeText

/// Grafana's dashboard JSON from the same `Dashboard` value: one config, two dashboards that cannot drift.
/// Health panels become stat panels with UP/DOWN value mappings, graphs become timeseries panels; queries and
/// legend formats are copied verbatim; units are Grafana's ids (reqps, percentunit, s, bytes, …) with their decimals, thresholds to steps; the
/// Prometheus data source is a dashboard variable (`${datasource}`).
extension Dashboard {
    public func grafanaJSON(refresh: String = "15s", range: String = "1h") throws -> String {
        let datasource = GrafanaDatasource(type: "prometheus", uid: "${datasource}")
        let exported = self.panels.enumerated().map { index, panel -> GrafanaPanel in
            let width = 12
            // Its place on the grid, else two to a row in order.
            let grid = panel.gridPos.map { GrafanaGridPos(h: $0.h, w: $0.w, x: $0.x, y: $0.y) }
                ?? GrafanaGridPos(h: 8, w: width, x: (index % 2) * width, y: (index / 2) * 8)
            if panel.isRow {
                return GrafanaPanel(
                    id: index + 1, type: "row", title: panel.title, gridPos: grid,
                    lookout: panel.gridPos == nil ? GrafanaLookoutFields(grid: false) : nil, collapsed: panel.collapsed, panels: [],
                    repeat: panel.repeatOver?.variable)
            }
            let targets = panel.targets.enumerated().map { i, target in
                GrafanaTarget(
                    refId: String(UnicodeScalar(UInt8(65 + i % 26))), expr: target.expr, legendFormat: target.legendFormat,
                    datasource: datasource)
            }
            let steps = panel.thresholds?.steps.map { GrafanaStep(color: $0.color, value: $0.value) } ?? [GrafanaStep(color: "green", value: nil)]
            // A health panel without mappings of its own: UP and DOWN.
            let mappings = Self.grafanaMappings(panel.mappings.isEmpty && panel.isHealth ? ValueMapping.upDown : panel.mappings)
            // What Grafana has no field for rides along under "lookout" (Grafana keeps a panel's unknown keys), so an
            // import of the export is the same dashboard.
            // A panel lookout lays out itself says so, and its import keeps it so (the position is Grafana's only).
            let own = panel.expectedSeries != nil || panel.wide || panel.gridPos == nil
                ? GrafanaLookoutFields(expectedSeries: panel.expectedSeries, wide: panel.wide ? true : nil, grid: panel.gridPos == nil ? false : nil) : nil
            return GrafanaPanel(
                id: index + 1, type: panel.kind == .graph ? "timeseries" : panel.kind.rawValue, title: panel.title,
                datasource: datasource, gridPos: grid, targets: targets,
                fieldConfig: GrafanaFieldConfig(defaults: GrafanaDefaults(
                    unit: Self.grafanaUnit(panel.unit), decimals: panel.unit.decimals,
                    thresholds: GrafanaThresholds(mode: panel.thresholds?.percentage == true ? "percentage" : "absolute", steps: steps),
                    min: panel.thresholds?.min, max: panel.thresholds?.max, mappings: mappings,
                    // A time series draws its thresholds only when asked to: as lines, as lookout's charts do.
                    custom: panel.kind == .graph && panel.thresholds != nil ? GrafanaCustom(thresholdsStyle: GrafanaThresholdsStyle(mode: "line")) : nil)),
                options: panel.isInstant
                    ? GrafanaPanelOptions(
                        reduceOptions: GrafanaReduceOptions(calcs: [(panel.reducer ?? .lastNotNull).rawValue]),
                        textMode: panel.kind == .stat ? panel.textMode.rawValue : nil, graphMode: panel.kind == .stat ? (panel.sparkline ? "area" : "none") : nil,
                        displayMode: panel.kind == .bargauge ? panel.barMode.rawValue : nil, orientation: panel.kind == .bargauge ? "horizontal" : nil)
                    : nil,
                lookout: own, repeat: panel.repeatOver?.variable, repeatDirection: panel.repeatOver.map { $0.vertical ? "v" : "h" },
                maxPerRow: panel.repeatOver?.maxPerRow)
        }
        // A collapsed row keeps its panels inside it, as Grafana saves it; an open one has them after it.
        var panels: [GrafanaPanel] = []
        var closedRow: Int?
        for (panel, out) in zip(self.panels, exported) {
            if panel.isRow {
                panels.append(out)
                closedRow = panel.collapsed ? panels.count - 1 : nil
            } else if let row = closedRow {
                panels[row].panels?.append(out)
            } else {
                panels.append(out)
            }
        }
        let dashboard = GrafanaDashboard(
            title: title, uid: Self.grafanaUID(title), tags: ["lookout"], schemaVersion: 39, version: 1,
            refresh: refresh, time: GrafanaTime(from: "now-\(range)", to: "now"),
            templating: GrafanaTemplating(list: [GrafanaVariable(
                name: "datasource", label: "Prometheus", type: "datasource", query: "prometheus")]),
            panels: panels)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return SafeText.escapeJSON(String(decoding: try encoder.encode(dashboard), as: UTF8.self)) + "\n"
    }

    public static func grafanaUnit(_ unit: Unit) -> String { unit.id }

    /// Value mappings as Grafana writes them: consecutive value mappings in one `value` object (keys are values,
    /// `index` the order of all), each range and special one in its own.
    static func grafanaMappings(_ mappings: [ValueMapping]) -> [GrafanaMapping] {
        var out: [GrafanaMapping] = []
        for (index, mapping) in mappings.enumerated() {
            let result = GrafanaMappingResult(text: mapping.text, color: mapping.color, index: index)
            switch mapping.match {
            case .value(let v):
                let key = Dashboard.number(v)
                if case .values(var values)? = out.last?.options, values[key] == nil {
                    values[key] = result
                    out[out.count - 1].options = .values(values)
                } else {
                    out.append(GrafanaMapping(type: "value", options: .values([key: result])))
                }
            case .range(let from, let to): out.append(GrafanaMapping(type: "range", options: .range(from: from, to: to, result: result)))
            case .noValue: out.append(GrafanaMapping(type: "special", options: .special(match: "null+nan", result: result)))
            }
        }
        return out
    }

    static func grafanaUID(_ title: String) -> String {
        let slug = title.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return "lookout-" + String(String(slug).split(separator: "-").joined(separator: "-").prefix(30))
    }
}

struct GrafanaDashboard: Encodable {
    var title: String
    var uid: String
    var tags: [String]
    var schemaVersion: Int
    var version: Int
    var refresh: String
    var time: GrafanaTime
    var templating: GrafanaTemplating
    var panels: [GrafanaPanel]
}

struct GrafanaTime: Encodable { var from: String; var to: String }
struct GrafanaTemplating: Encodable { var list: [GrafanaVariable] }
struct GrafanaVariable: Encodable { var name: String; var label: String; var type: String; var query: String }
struct GrafanaDatasource: Encodable { var type: String; var uid: String }
struct GrafanaGridPos: Encodable { var h: Int; var w: Int; var x: Int; var y: Int }

struct GrafanaTarget: Encodable {
    var refId: String
    var expr: String
    var legendFormat: String
    var datasource: GrafanaDatasource
}

struct GrafanaPanel: Encodable {
    var id: Int
    var type: String
    var title: String
    var datasource: GrafanaDatasource?
    var gridPos: GrafanaGridPos
    var targets: [GrafanaTarget]?
    var fieldConfig: GrafanaFieldConfig?
    var options: GrafanaPanelOptions?
    var lookout: GrafanaLookoutFields?
    /// A row's: closed, and (closed) the panels in it.
    var collapsed: Bool?
    var panels: [GrafanaPanel]?
    /// Repeated per value of this variable.
    var `repeat`: String?
    var repeatDirection: String?
    var maxPerRow: Int?
}

/// A stat panel's options: the reducer of each series (`lastNotNull` is lookout's value at the end).
struct GrafanaPanelOptions: Encodable {
    var reduceOptions: GrafanaReduceOptions
    var textMode: String?
    var graphMode: String?
    var displayMode: String?
    var orientation: String?
}
struct GrafanaReduceOptions: Encodable { var calcs: [String]; var values = false }

/// A panel's lookout fields that Grafana has no place for.
struct GrafanaLookoutFields: Encodable {
    var expectedSeries: String?
    var wide: Bool?
    /// false: the panel is laid out by lookout's own rules, its `gridPos` written for Grafana only.
    var grid: Bool?
}

struct GrafanaFieldConfig: Encodable {
    var defaults: GrafanaDefaults
    var overrides: [String] = []
}

struct GrafanaDefaults: Encodable {
    var unit: String
    var decimals: Int?
    var thresholds: GrafanaThresholds
    var min: Double?
    var max: Double?
    var mappings: [GrafanaMapping]
    var custom: GrafanaCustom?
}

struct GrafanaCustom: Encodable { var thresholdsStyle: GrafanaThresholdsStyle }
struct GrafanaThresholdsStyle: Encodable { var mode: String }

struct GrafanaThresholds: Encodable { var mode: String; var steps: [GrafanaStep] }

/// A threshold step; the base step's value is an explicit JSON null, as Grafana writes it.
struct GrafanaStep: Encodable {
    var color: String
    var value: Double?

    enum CodingKeys: String, CodingKey { case color, value }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(color, forKey: .color)
        if let value { try c.encode(value, forKey: .value) } else { try c.encodeNil(forKey: .value) }
    }
}

/// A value mapping as Grafana writes it: `{type: value, options: {"0": result}}`, `{type: range, options: {from, to,
/// result}}`, `{type: special, options: {match, result}}`.
struct GrafanaMapping: Encodable {
    enum Options {
        case values([String: GrafanaMappingResult])
        case range(from: Double?, to: Double?, result: GrafanaMappingResult)
        case special(match: String, result: GrafanaMappingResult)
    }

    var type = "value"
    var options: Options

    enum CodingKeys: String, CodingKey { case type, options }
    enum OptionKeys: String, CodingKey { case from, to, result, match }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        switch options {
        case .values(let values): try c.encode(values, forKey: .options)
        case .range(let from, let to, let result):
            var o = c.nestedContainer(keyedBy: OptionKeys.self, forKey: .options)
            if let from { try o.encode(from, forKey: .from) } else { try o.encodeNil(forKey: .from) }
            if let to { try o.encode(to, forKey: .to) } else { try o.encodeNil(forKey: .to) }
            try o.encode(result, forKey: .result)
        case .special(let match, let result):
            var o = c.nestedContainer(keyedBy: OptionKeys.self, forKey: .options)
            try o.encode(match, forKey: .match)
            try o.encode(result, forKey: .result)
        }
    }
}

struct GrafanaMappingResult: Encodable { var text: String?; var color: String?; var index: Int }
