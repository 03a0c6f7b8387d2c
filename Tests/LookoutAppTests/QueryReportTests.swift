import Foundation
import LookoutApp
import PrometheusAPI
import Testing

/// `lookout query`'s output formats.
@Suite("lookout query: text, CSV, JSON")
struct QueryReportTests {
    static let vector = QueryResult.vector([
        Sample(metric: ["__name__": "up", "service": "日本-svc", "job": "a"], value: SamplePair(timestamp: 1_764_000_000, value: 1)),
        Sample(metric: ["__name__": "up", "service": "b,\"c\"", "job": "a"], value: SamplePair(timestamp: 1_764_000_000, value: 0.25)),
    ])

    @Test func textIsATableAlignedByDisplayWidth() {
        let text = QueryReport(result: Self.vector).text()
        #expect(text == """
            __name__  job  service   value
            up        a    日本-svc      1
            up        a    b,"c"      0.25

            """)
    }

    @Test func csvHasAColumnPerLabelAndQuotesWhatNeedsIt() {
        #expect(QueryReport(result: Self.vector).csv() == [
            "__name__,job,service,timestamp,value",
            "up,a,日本-svc,2025-11-24T16:00:00.000Z,1",
            #"up,a,"b,""c""",2025-11-24T16:00:00.000Z,0.25"#,
        ].joined(separator: "\n") + "\n")
    }

    @Test func jsonIsPrometheusDataAndEscapesControls() throws {
        let hostile = QueryResult.vector([Sample(metric: ["x": "\u{1B}]52;c;AAAA\u{07}"], value: SamplePair(timestamp: 1, value: .nan))])
        let json = try QueryReport(result: hostile, warnings: ["w"]).json()
        #expect(!json.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        let decoded = try JSONDecoder().decode(QueryResult.self, from: Data(json.utf8))
        guard case .vector(let samples) = decoded else { Issue.record("not a vector"); return }
        #expect(samples.first?.value.value.isNaN == true)
        #expect(!json.contains("warnings"), "the warnings go to stderr; the JSON is Prometheus' data")
    }

    /// Values in Prometheus' own notation (strconv 'f', shortest): "1" stays "1", nothing is added to `data`.
    @Test func jsonKeepsTheServersValues() throws {
        let result = QueryResult.vector([
            Sample(metric: ["job": "a"], value: SamplePair(timestamp: 1_700_000_000.5, value: 1)),
            Sample(metric: ["job": "b"], value: SamplePair(timestamp: 1_700_000_000.5, value: 0.000015)),
            Sample(metric: ["job": "c"], value: SamplePair(timestamp: 1_700_000_000.5, value: 1e21)),
        ])
        let json = try QueryReport(result: result, warnings: []).json()
        #expect(json == #"{"result":[{"metric":{"job":"a"},"value":[1700000000.5,"1"]},{"metric":{"job":"b"},"value":[1700000000.5,"0.000015"]},{"metric":{"job":"c"},"value":[1700000000.5,"1000000000000000000000"]}],"resultType":"vector"}"# + "\n")
    }

    @Test func emptyScalarAndRangeResults() {
        #expect(QueryReport(result: .vector([])).isEmpty && QueryReport(result: .vector([])).text() == "")
        #expect(QueryReport(result: .matrix([SampleStream(metric: ["a": "b"], values: [])])).isEmpty)
        #expect(QueryReport(result: .scalar(SamplePair(timestamp: 0, value: 2))).text() == "scalar  2  at 1970-01-01T00:00:00.000Z\n")
        let range = QueryReport(result: .matrix([SampleStream(metric: ["a": "b"], values: [SamplePair(timestamp: 60, value: -.infinity)])]))
        #expect(range.text() == "a  time                      value\nb  1970-01-01T00:01:00.000Z   -Inf\n")
    }

    @Test func theCaretStandsUnderPrometheusColumn() {
        #expect(QueryReport.caretLines(query: "sum(rate(up[5m])", error: "1:17: parse error: unclosed left parenthesis")
            == ["  sum(rate(up[5m])", "                  ^"])
        #expect(QueryReport.caretLines(query: "x", error: "some other error") == nil)
    }
}

/// Prometheus' `storageRetention` as its runtime info writes it: the time part, or nothing for a size only.
@Suite("The server's retention")
struct RetentionTests {
    @Test(arguments: [
        ("15d", 15 * 86_400.0), ("15d or 10GiB", 15 * 86_400.0), ("1y2w", 379 * 86_400.0), ("2h", 7200.0),
        ("10GiB", nil), ("", nil), ("0s", nil), ("forever", nil),
    ] as [(String, Double?)])
    func theTimePart(text: String, seconds: Double?) {
        #expect(DashboardFetcher.retention(text) == seconds)
    }
}
