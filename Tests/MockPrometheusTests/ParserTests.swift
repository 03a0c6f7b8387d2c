import PromQL
import Testing

@testable import MockPrometheus

@Suite("PromQL parser")
struct ParserTests {
    func message(_ query: String) -> String? {
        do {
            _ = try Parser.parse(query)
            return nil
        } catch {
            return error.description
        }
    }

    /// Messages recorded from Debian's Prometheus 2.42 (`invalid parameter "query": …` stripped).
    @Test("errors carry Prometheus' positions and wording", arguments: [
        ("sum(rate(http_requests_total[5m])) by (service", "1:47: parse error: unclosed left parenthesis"),
        ("", "1:1: parse error: no expression found in input"),
        ("foo_bar(", "1:9: parse error: unclosed left parenthesis"),
        ("up{job=\"a\"", "1:11: parse error: unexpected end of input inside braces"),
        ("up[5m", "1:6: parse error: unclosed left bracket"),
        ("rate(up)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        ("sum(up) by", "1:11: parse error: unexpected end of input in grouping opts, expected \"(\""),
        ("1 +", "1:4: parse error: unexpected end of input"),
        ("rate(up[5m]) by (x)", "1:14: parse error: unexpected <by>"),
        ("nope(up)", "1:1: parse error: unknown function with name \"nope\""),
        ("1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        ("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        ("histogram_quantile(0.9)", "1:1: parse error: expected 2 argument(s) in call to \"histogram_quantile\", got 1"),
        ("sum(1)", "1:5: parse error: expected type instant vector in aggregation expression, got scalar"),
        ("vector(\"a\")", "1:8: parse error: expected type scalar in call to function \"vector\", got string"),
        (")", "1:2: parse error: unexpected right parenthesis ')'"),
        ("1 2", "1:3: parse error: unexpected number \"2\""),
        ("$", "1:1: parse error: unexpected character: '$'"),
        ("up and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        ("sum by (a) (up) by (b)", "1:17: parse error: unexpected <by>"),
    ])
    func prometheusErrors(query: String, expected: String) {
        #expect(message(query) == expected)
    }

    @Test("a bad regular expression is reported at its matcher")
    func badRegex() {
        #expect(message("up{job=~\"(\"}")?.hasPrefix("1:4: parse error: error parsing regexp:") == true)
    }

    @Test("positions count lines and columns in multi-line queries")
    func multiLine() {
        #expect(message("sum(\n  rate(up)\n)") == "2:8: parse error: expected type range vector in call to function \"rate\", got instant vector")
    }

    @Test("what the mock does not evaluate is named in the error", arguments: [
        ("predict_linear(up[5m], 3)", "1:1: parse error: unsupported function \"predict_linear\""),
        ("label_replace(up, \"a\", \"b\", \"c\", \"d\")", "1:1: parse error: unsupported function \"label_replace\""),
        ("topk(3, up)", "1:1: parse error: unsupported aggregation \"topk\""),
        ("up offset 5m", "1:4: parse error: unsupported: the offset modifier is not evaluated by the mock"),
        ("up @ 100", "1:4: parse error: unsupported: the @ modifier is not evaluated by the mock"),
        ("rate(up[5m:1m])", "1:8: parse error: unsupported: subqueries (expr[range:resolution]) are not evaluated by the mock"),
        ("up * on (a) group_left up", "1:13: parse error: unsupported vector matching \"group_left\" (many-to-one matching)"),
    ])
    func unsupported(query: String, expected: String) {
        #expect(message(query) == expected)
    }

    @Test("deep nesting is an error, not a crash; the limit itself is fine")
    func nesting() throws {
        let limit = Parser.maxDepth
        let deepParens = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(message(deepParens)?.contains("nests too deeply") == true)
        let longChain = (0..<5_000).map { _ in "1" }.joined(separator: " + ")
        #expect(message(longChain)?.contains("nests too deeply") == true)
        let deepCalls = String(repeating: "abs(", count: 5_000) + "up" + String(repeating: ")", count: 5_000)
        #expect(message(deepCalls)?.contains("nests too deeply") == true)
        let unary = String(repeating: "-", count: 10_000) + "1"
        #expect(message(unary)?.contains("nests too deeply") == true)
        let fine = String(repeating: "(", count: limit / 2 - 1) + "1" + String(repeating: ")", count: limit / 2 - 1)
        #expect(message(fine) == nil)
    }

    /// Seeded, so a failure repeats: every garbage query either parses to an expression that prints and parses
    /// again, or fails with a message that names a position (`1:7: parse error: …`).
    @Test("garbage never crashes the parser")
    func garbage() throws {
        var generator = SplitMix64(seed: 42)
        let alphabet = Array("sum(rate[5m]){}\"'`=~!<>+-*/%^,: 0123456789.eE by without on bool and or x_y \n\\#@")
        var parsed = 0
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let query = String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? " " })
            if let message = message(query) {
                #expect(message.contains("parse error"), "\(query.debugDescription): \(message)")
            } else {
                parsed += 1
                #expect(try Parser.parse(Parser.parse(query).text).text == Parser.parse(query).text, "\(query.debugDescription) prints back")
            }
        }
        #expect(parsed > 0 && parsed < 2_000, "the garbage is neither all valid nor all invalid")
        for query in ["1e999999", "0x", "0xFFFFFFFFFFFFFFFFFFFF", "up[99999999999999999999y]", "up[9223372036854775807ms]",
                      "\"\\u\"", "\"\\xZZ\"", "'unterminated", "`raw", "up{a=\"\\U0011FFFF\"}", "\u{0}"] {
            _ = message(query)
        }
    }

    /// The normalised queries of the seed's rules, as Prometheus 2.42's `/api/v1/rules` printed them.
    @Test("expressions print as Prometheus prints them")
    func printing() throws {
        let expected = [
            "HighErrorRate": #"(sum by (service) (rate(http_requests_total{status_code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))) > 0.05"#,
            "HighLatency": "histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m]))) > 1",
            "PodCrashLooping": "rate(kube_pod_container_status_restarts_total[5m]) > 0",
            "DeploymentReplicasMismatch": "kube_deployment_spec_replicas != kube_deployment_status_available_replicas",
        ]
        for rule in RuleGroupDefinition.microservices.rules {
            #expect(try Parser.parse(rule.expr).text == expected[rule.name], "\(rule.name)")
        }
        #expect(try Parser.parse("sum without (a) (x) + on (b) y * -z").text == "sum without (a) (x) + on (b) y * -z")
        #expect(try Parser.parse("up[1h30m]").text == "up[1h30m]")
        #expect(try Parser.parse("{__name__=\"up\",job!~\"a|b\"}").text == "{__name__=\"up\",job!~\"a|b\"}")
    }

    @Test("numbers, durations and strings")
    func literals() throws {
        func number(_ query: String) throws -> Double? {
            if case .number(let v, _) = try Parser.parse(query) { return v }
            return nil
        }
        #expect(try number("1e3") == 1000)
        #expect(try number(".5") == 0.5)
        #expect(try number("0x1F") == 31)
        #expect(try number("-2") == -2)
        #expect(try number("Inf") == .infinity)
        #expect(try number("nan")?.isNaN == true)
        guard case .matrix(_, let range, _) = try Parser.parse("up[1h30m15s]") else {
            Issue.record("not a range selector")
            return
        }
        #expect(range == 5_415_000)
        guard case .string(let s, _) = try Parser.parse(#""a\"b\n\u00e9""#) else {
            Issue.record("not a string")
            return
        }
        #expect(s == "a\"b\né")
        guard case .string(let raw, _) = try Parser.parse(#"`a\nb`"#) else {
            Issue.record("not a raw string")
            return
        }
        #expect(raw == #"a\nb"#)
        let expected: Int64 = ((((365 + 14 + 3) * 24 + 4) * 60 + 5) * 60 + 6) * 1000 + 7
        #expect(PromDuration.parse("1y2w3d4h5m6s7ms") == expected)
        #expect(PromDuration.parse("5m1h") == nil)
        #expect(PromDuration.parse("99999999999999999999y") == nil)
    }

    @Test("precedence: ^ is right-associative and binds tighter than unary minus")
    func precedence() throws {
        #expect(try Parser.parse("2 + 3 * 4 ^ 2").text == "2 + 3 * 4 ^ 2")
        guard case .binary(.add, _, .binary(.mul, _, .binary(.pow, _, _, _, _, _), _, _, _), _, _, _) = try Parser.parse("2 + 3 * 4 ^ 2") else {
            Issue.record("wrong tree")
            return
        }
        guard case .negate(.binary(.pow, _, _, _, _, _), _) = try Parser.parse("-up ^ 2") else {
            Issue.record("unary minus should apply to the power")
            return
        }
        guard case .binary(.pow, _, .binary(.pow, _, _, _, _, _), _, _, _) = try Parser.parse("2 ^ 3 ^ 2") else {
            Issue.record("^ should be right-associative")
            return
        }
        guard case .binary(.gtr, .binary(.gtr, _, _, _, _, _), _, _, _, _) = try Parser.parse("a > b > c") else {
            Issue.record("comparisons should be left-associative")
            return
        }
        guard case .binary(.or, _, .binary(.and, _, _, _, _, _), _, _, _) = try Parser.parse("a or b and c") else {
            Issue.record("and binds tighter than or")
            return
        }
    }
}

/// A small seeded generator (SplitMix64), so random tests repeat.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
