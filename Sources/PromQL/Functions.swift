/// The PromQL functions the mock knows: those it evaluates, and the rest of Prometheus 2.42's functions, which it
/// names in an `unsupported function` error (an unknown name is `unknown function with name …`, as in Prometheus).
package enum Functions {
    package struct Signature {
        package var arguments: [ValueType]
        /// How many trailing arguments may be left out.
        package var optional = 0
        package var returns: ValueType
    }

    /// Functions the evaluator implements.
    package static let supported: [String: Signature] = {
        var table: [String: Signature] = [
            "time": Signature(arguments: [], returns: .scalar),
            "vector": Signature(arguments: [.scalar], returns: .vector),
            "scalar": Signature(arguments: [.vector], returns: .scalar),
            "histogram_quantile": Signature(arguments: [.scalar, .vector], returns: .vector),
            "clamp_min": Signature(arguments: [.vector, .scalar], returns: .vector),
            "clamp_max": Signature(arguments: [.vector, .scalar], returns: .vector),
        ]
        for name in rangeFunctions {
            table[name] = Signature(arguments: [.matrix], returns: .vector)
        }
        for name in mathFunctions.keys {
            table[name] = Signature(arguments: [.vector], returns: .vector)
        }
        return table
    }()

    package static let rangeFunctions: Set<String> = [
        "rate", "irate", "increase", "delta", "idelta",
        "sum_over_time", "avg_over_time", "min_over_time", "max_over_time", "count_over_time",
    ]

    package static let mathFunctions: [String: @Sendable (Double) -> Double] = [
        "abs": { Swift.abs($0) }, "ceil": { $0.rounded(.up) }, "floor": { $0.rounded(.down) },
    ]

    /// Prometheus 2.42's other functions: known, but not evaluated by the mock.
    package static let unsupported: Set<String> = [
        "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "changes", "clamp", "cos",
        "cosh", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "deg", "deriv", "exp", "histogram_count",
        "histogram_fraction", "histogram_sum", "holt_winters", "hour", "label_join", "label_replace", "last_over_time",
        "ln", "log10", "log2", "minute", "month", "pi", "predict_linear", "present_over_time", "quantile_over_time",
        "rad", "resets", "round", "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt", "stddev_over_time",
        "stdvar_over_time", "tan", "tanh", "timestamp", "year",
    ]

    /// Aggregations the evaluator implements; Prometheus' others are reported as unsupported.
    package static let supportedAggregations: Set<String> = ["sum", "avg", "min", "max", "count", "group"]

}
