import PrometheusModels
import SafeText

/// Grafana's legend templates: `{{service}}` or `{{ service }}` is replaced by the label's value, a missing label
/// by nothing; an empty template, `__auto` (or one that renders empty) names the series in PromQL form,
/// `up{instance="a", job="b"}`. The result is sanitised: it is server text.
public enum LegendTemplate {
    public static func render(_ template: String, labels: Labels) -> String {
        // `__auto`, Grafana's default since v9, names the series as Prometheus does, as no template does.
        let trimmed = template.trimmingSpaces()
        if trimmed.isEmpty || trimmed == "__auto" { return seriesName(labels) }
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{") {
            output += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstRange(of: "}}") else {
                output += rest[open.lowerBound...]
                rest = ""
                break
            }
            let name = afterOpen[..<close.lowerBound].trimmingSpaces()
            output += labels[name] ?? ""
            rest = afterOpen[close.upperBound...]
        }
        output += rest
        let safe = SafeText.clip(output, InputLimits.labelCharacters)
        return safe.trimmingSpaces().isEmpty ? seriesName(labels) : safe
    }

    /// The label names a template uses, when it uses at least one and each is a plain label name (so that a query
    /// can be aggregated `by` them without changing the names it renders); nil otherwise.
    public static func labelNames(_ template: String) -> [String]? {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstRange(of: "}}") else { return nil }
            let name = afterOpen[..<close.lowerBound].trimmingSpaces()
            guard let first = name.first, first.isLetter || first == "_",
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else { return nil }
            if !names.contains(name) { names.append(name) }
            rest = afterOpen[close.upperBound...]
        }
        return names.isEmpty ? nil : names
    }

    /// The series' names in PromQL form with only what tells them apart: the labels whose values differ between
    /// them (and the metric name when it differs), for a column too narrow for the whole label sets. Two series
    /// that differ only in their last label no longer read the same once cut from the right.
    public static func distinguishing(_ labelSets: [Labels]) -> [String] {
        guard labelSets.count > 1 else { return labelSets.map(seriesName) }
        let keys = Set(labelSets.flatMap(\.keys)).sorted()
        let differing = keys.filter { key in Set(labelSets.map { $0[key] ?? "" }).count > 1 }
        return labelSets.map { labels in
            let name = differing.contains("__name__") ? labels["__name__"] ?? "" : ""
            let pairs = differing.filter { $0 != "__name__" }.compactMap { key in labels[key].map { "\(key)=\"\($0)\"" } }
            let text = pairs.isEmpty ? (name.isEmpty ? seriesName(labels) : name) : name + "{" + pairs.joined(separator: ", ") + "}"
            return SafeText.clip(text, InputLimits.labelCharacters)
        }
    }

    /// The names to show in a column `width` wide: each series' legend, except that series named by their whole
    /// label sets (no template) are named by the labels that tell them apart when one of them does not fit.
    public static func shown(_ series: [SeriesSummary], width: Int) -> [String] {
        let named = series.map { $0.legend == seriesName($0.labels) }
        guard zip(series, named).contains(where: { $1 && DisplayWidth.of($0.legend) > width }) else { return series.map(\.legend) }
        return zip(zip(series, named), distinguishing(series.map(\.labels))).map { pair, short in pair.1 ? short : pair.0.legend }
    }

    /// `name{a="1", b="2"}` with labels sorted, `{}` for an empty label set.
    public static func seriesName(_ labels: Labels) -> String {
        let name = labels["__name__"] ?? ""
        let pairs = labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\"\($0.value)\"" }
        if pairs.isEmpty && !name.isEmpty { return SafeText.clip(name, InputLimits.labelCharacters) }
        return SafeText.clip(name + "{" + pairs.joined(separator: ", ") + "}", InputLimits.labelCharacters)
    }
}
