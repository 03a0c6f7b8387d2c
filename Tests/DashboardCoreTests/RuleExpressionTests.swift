import DashboardCore
import Testing

/// Splitting an alerting rule's expression at its top-level comparison: the seed's four rules and twenty other
/// shapes found in real rule files.
@Suite("Rule expressions: what fires, against what")
struct RuleExpressionTests {
    static let seedErrorRate = """
        (
          sum(rate(http_requests_total{status_code=~"5.."}[5m])) by (service)
          /
          sum(rate(http_requests_total[5m])) by (service)
        ) > 0.05
        """

    static let cases: [(String, RuleExpression)] = [
        // The source design's rules.
        (seedErrorRate, RuleExpression(
            left: """
                (
                  sum(rate(http_requests_total{status_code=~"5.."}[5m])) by (service)
                  /
                  sum(rate(http_requests_total[5m])) by (service)
                )
                """, comparison: ">", right: .threshold(0.05))),
        ("histogram_quantile(0.95,\n  sum(rate(http_request_duration_seconds_bucket[5m])) by (service, le)\n) > 1",
         RuleExpression(left: "histogram_quantile(0.95,\n  sum(rate(http_request_duration_seconds_bucket[5m])) by (service, le)\n)", comparison: ">", right: .threshold(1))),
        ("rate(kube_pod_container_status_restarts_total[5m]) > 0",
         RuleExpression(left: "rate(kube_pod_container_status_restarts_total[5m])", comparison: ">", right: .threshold(0))),
        ("kube_deployment_spec_replicas != kube_deployment_status_available_replicas",
         RuleExpression(left: "kube_deployment_spec_replicas", comparison: "!=", right: .series("kube_deployment_status_available_replicas"))),
        // Other shapes.
        ("up == 0", RuleExpression(left: "up", comparison: "==", right: .threshold(0))),
        ("up{job=\"node\"} < 1", RuleExpression(left: "up{job=\"node\"}", comparison: "<", right: .threshold(1))),
        ("node_filesystem_avail_bytes / node_filesystem_size_bytes * 100 <= 10",
         RuleExpression(left: "node_filesystem_avail_bytes / node_filesystem_size_bytes * 100", comparison: "<=", right: .threshold(10))),
        ("node_load1 >= 2.5e1", RuleExpression(left: "node_load1", comparison: ">=", right: .threshold(25))),
        ("sum(x) > bool 3", RuleExpression(left: "sum(x)", comparison: ">", isBool: true, right: .threshold(3))),
        ("sum(x) == bool sum(y)", RuleExpression(left: "sum(x)", comparison: "==", isBool: true, right: .series("sum(y)"))),
        ("absent(up{job=\"api\"})", RuleExpression(left: "absent(up{job=\"api\"})")),
        ("absent_over_time(up{job=\"api\"}[5m])", RuleExpression(left: "absent_over_time(up{job=\"api\"}[5m])")),
        ("rate(errors_total[5m]) > 0.1 and rate(requests_total[5m]) > 1",
         RuleExpression(left: "rate(errors_total[5m])", comparison: ">", right: .threshold(0.1))),
        ("(hour() > 8) and x > 5", RuleExpression(left: "(hour() > 8)")),
        ("up == 0 unless on(instance) maintenance == 1", RuleExpression(left: "up", comparison: "==", right: .threshold(0))),
        ("increase(x[1h]) > 10 or vector(0)", RuleExpression(left: "increase(x[1h])", comparison: ">", right: .threshold(10))),
        ("rate(x[5m] offset 1d) * 2 < rate(x[5m])",
         RuleExpression(left: "rate(x[5m] offset 1d) * 2", comparison: "<", right: .series("rate(x[5m])"))),
        ("max_over_time(rate(x[1m])[30m:1m]) > 100",
         RuleExpression(left: "max_over_time(rate(x[1m])[30m:1m])", comparison: ">", right: .threshold(100))),
        ("a > on(instance) group_left(job) b",
         RuleExpression(left: "a", comparison: ">", right: .series("b"))),
        ("a != ignoring(mode) b", RuleExpression(left: "a", comparison: "!=", right: .series("b"))),
        ("count by (order_id) (x) > 1", RuleExpression(left: "count by (order_id) (x)", comparison: ">", right: .threshold(1))),
        ("label_replace(up, \"x\", \">\", \"\", \"\") == 0",
         RuleExpression(left: "label_replace(up, \"x\", \">\", \"\", \"\")", comparison: "==", right: .threshold(0))),
        ("x{le=\"+Inf\"} > 1_000", RuleExpression(left: "x{le=\"+Inf\"}", comparison: ">", right: .threshold(1000))),
        ("time() - process_start_time_seconds < 300",
         RuleExpression(left: "time() - process_start_time_seconds", comparison: "<", right: .threshold(300))),
    ]

    @Test(arguments: 0..<cases.count)
    func splits(index: Int) {
        let (expr, expected) = Self.cases[index]
        #expect(RuleExpression.split(expr) == expected, "\(expr)")
    }
}
