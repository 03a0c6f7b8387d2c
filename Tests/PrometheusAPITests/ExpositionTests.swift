import PrometheusModels
import Testing

@Suite("The text exposition format")
struct ExpositionTests {
    @Test func countersGaugesHistogramsAndEscapes() {
        let text = #"""
            # HELP prometheus_notifications_errors_total Total number of errors sending alert notifications.
            # TYPE prometheus_notifications_errors_total counter
            prometheus_notifications_errors_total{alertmanager="http://127.0.0.1:9093/api/v2/alerts"} 3
            prometheus_notifications_dropped_total 14
            prometheus_config_last_reload_successful 0 1700000000000
            http_request_duration_seconds_bucket{le="+Inf",service="a"} 12
            http_request_duration_seconds_bucket{le="0.5",service="a",} 7
            odd{path="C:\\dir",quote="say \"hi\"",nl="a\nb"} NaN
            inf +Inf
            neg -Inf
            sci 1.5e3
              spaced   { a = "b" }   2
            """#
        let (samples, skipped) = Exposition.parse(text)
        #expect(skipped == 0)
        #expect(samples.count == 10)
        #expect(Exposition.sum(samples, "prometheus_notifications_errors_total", matching: ["alertmanager": "http://127.0.0.1:9093/api/v2/alerts"]) == 3)
        #expect(Exposition.sum(samples, "prometheus_config_last_reload_successful") == 0)
        #expect(Exposition.sum(samples, "http_request_duration_seconds_bucket", matching: ["le": "+Inf"]) == 12)
        let odd = samples.first { $0.name == "odd" }
        #expect(odd?.labels == ["path": #"C:\dir"#, "quote": #"say "hi""#, "nl": "a\nb"])
        #expect(odd?.value.isNaN == true)
        #expect(samples.first { $0.name == "inf" }?.value == .infinity)
        #expect(samples.first { $0.name == "sci" }?.value == 1500)
        #expect(samples.first { $0.name == "spaced" }?.labels == ["a": "b"])
        // NaN is not summed.
        #expect(Exposition.sum(samples, "odd") == nil)
    }

    @Test func garbageIsSkippedNeverFatal() {
        let lines = [
            "9starts_with_digit 1", "name{unclosed=\"x} 1", "name{a=\"1\",a=\"2\"} 1", "name 1 2 3", "name one", "name{a=b} 1",
            "name", "{a=\"b\"} 1", "name 1 notatimestamp", "name{a=\"\\", "name 0x10",
        ]
        let (samples, skipped) = Exposition.parse((lines + ["ok 1"]).joined(separator: "\n"))
        #expect(samples == [ExpositionSample(name: "ok", value: 1)])
        #expect(skipped == lines.count)
    }

    @Test func limitsHold() {
        let many = (0..<50).map { "m{i=\"\($0)\"} \($0)" }.joined(separator: "\n")
        let (samples, skipped) = Exposition.parse(many, maxSamples: 10)
        #expect(samples.count == 10 && skipped == 40)
        let long = "m{a=\"" + String(repeating: "x", count: Exposition.maxLineBytes) + "\"} 1"
        #expect(Exposition.parse(long).samples.isEmpty)
        #expect(Exposition.parse(long).skipped == 1)
    }
}
