import PromQL
import Testing

/// The mock's regular expressions: RE2 syntax as Prometheus' label matchers use it, fully anchored, matched in time
/// linear in the text (a catastrophic pattern for a backtracking engine is no slower than any other).
@Suite("Linear-time regular expressions", .timeLimit(.minutes(1)))
struct LinearRegexTests {
    static let matches: [(String, String, Bool)] = [
        // Prometheus-typical matchers
        (".*-service", "payment-service", true), (".*-service", "payment-svc", false), (".*-service", "-service", true),
        ("payment-service|order-service", "order-service", true), ("payment-service|order-service", "payment-service", true),
        ("payment-service|order-service", "user-service", false), ("payment-service|order-service", "order-service2", false),
        ("5..", "500", true), ("5..", "404", false), ("5..", "5000", false), ("5..", "50", false),
        ("api/v[12]/.*", "api/v1/users", true), ("api/v[12]/.*", "api/v2/", true), ("api/v[12]/.*", "api/v3/x", false),
        ("api/v[12]/.*", "/api/v1/x", false),
        ("(?i)GET", "get", true), ("(?i)GET", "GeT", true), ("(?i)GET", "POST", false), ("(?i)GET", "GETS", false),
        ("", "", true), ("", "a", false), (".+", "", false), (".+", "x", true), (".+", "xyz", true),
        ("a{2,3}", "a", false), ("a{2,3}", "aa", true), ("a{2,3}", "aaa", true), ("a{2,3}", "aaaa", false),
        ("2..|3..", "302", true), ("2..|3..", "404", false), (".*foo.*", "xfooy", true), (".*foo.*", "fo", false),
        ("node_.*", "node_cpu_seconds_total", true), ("[a-z_]+_total", "http_requests_total", true),
        ("[a-z_]+_total", "http_requests_Total", false), (".*(error|fail).*", "job failed", true),
        ("instance-\\d+", "instance-42", true), ("instance-\\d+", "instance-", false),
        ("10\\.0\\.0\\.\\d{1,3}:9100", "10.0.0.17:9100", true), ("10\\.0\\.0\\.\\d{1,3}:9100", "10.0.0.1700:9100", false),
        ("10\\.0\\.0\\.\\d{1,3}:9100", "10x0.0.1:9100", false), ("prod|staging", "prod", true), ("prod|staging", "production", false),
        (".*", "", true), (".*", "anything at all", true),
        // Empty alternatives and groups
        ("a|", "", true), ("a|", "a", true), ("|a", "a", true), ("(a|)b", "b", true), ("(a|)b", "ab", true),
        ("()", "", true), ("(?:)", "", true), ("(|a)+", "aa", true), ("(a?){3}", "a", true), ("((a)|b)+", "abba", true),
        // Quantifiers
        ("a*", "", true), ("a*", "aaaa", true), ("a*", "aab", false), ("a+?", "aaa", true), ("a??", "", true), ("a??", "a", true),
        ("a{0}", "", true), ("a{0}", "a", false), ("a{2}", "aa", true), ("a{2}", "aaa", false), ("a{2,}", "aaaaa", true),
        ("a{2,}", "a", false), ("a{1,2}?", "aa", true), ("a{0,1}", "", true), ("(ab){2}", "abab", true),
        ("(a*)*", "aaa", true), ("(a*)*", "b", false), ("(a*)+", "", true), ("(a|b)*c", "ababc", true), ("(a|b)*c", "abab", false),
        ("(?:ab)+", "abab", true), ("(?:ab)+", "aba", false), ("^*a", "a", true),
        (String(repeating: "(", count: 60) + "a" + String(repeating: ")+", count: 60), "aaa", true),  // no copies for `+`
        ("(?:" + String(repeating: "(a|b)", count: 20) + "){2}", String(repeating: "ab", count: 20), true),
        (String(repeating: "a", count: 3) + "{1000}", String(repeating: "a", count: 1002), true),
        ("a{1000}", String(repeating: "a", count: 1000), true), ("a{1000}", String(repeating: "a", count: 999), false),
        // `{` that is not a count is a literal, as in RE2
        ("a{,2}", "a{,2}", true), ("a{", "a{", true), ("{", "{", true), ("}", "}", true), ("]", "]", true),
        ("a{01}", "a{01}", true), ("x{2}{", "xx{", true), ("a{1,x}", "a{1,x}", true),
        // Anchors and assertions
        ("^abc$", "abc", true), ("a^b", "ab", false), ("^", "", true), ("$", "", true), ("^$", "", true), ("a$b", "ab", false),
        ("(?m)^a$\\n^b$", "a\nb", true), ("a$\\n^b", "a\nb", false), ("(?m)a$", "a", true),
        ("\\bfoo\\b", "foo", true), ("a\\bb", "ab", false), ("a\\Bb", "ab", true), ("a\\b-", "a-", true), ("\\Aabc\\z", "abc", true),
        // Dot and newlines
        (".", "\n", false), ("(?s).", "\n", true), ("[^a]", "\n", true), ("\\n", "\n", true), ("(?s:.)a", "\na", true),
        ("a.c", "abc", true), ("a.c", "ac", false),
        // Perl classes (ASCII, as in RE2)
        ("\\d+", "123", true), ("\\d+", "12a", false), ("\\D", "a", true), ("\\D", "1", false), ("\\w+", "ab_9", true),
        ("\\w+", "a-b", false), ("\\W", "-", true), ("\\s", " ", true), ("\\s", "\t", true), ("\\s", "\u{0B}", false),
        ("\\S+", "abc", true), ("\\w", "é", false), ("\\d", "٣", false),
        // Bracket classes
        ("[abc]", "b", true), ("[abc]", "d", false), ("[^abc]", "d", true), ("[^abc]", "a", false), ("[a-z0-9_]+", "ab_09", true),
        ("[\\d\\s]+", "1 2", true), ("[.]", ".", true), ("[.]", "a", false), ("[a-c-]+", "a-c", true), ("[]a]+", "]a", true),
        ("[^]a]", "b", true), ("[^]a]", "]", false), ("[a-]", "-", true), ("[-a]", "-", true), ("[\\D]", "x", true),
        ("[^\\d]", "5", false), ("[\\]]", "]", true), ("[\\x41-\\x43]+", "ABC", true), ("[a\\-z]", "-", true), ("[a\\-z]", "b", false),
        ("[[:alpha:]]+", "abcXYZ", true), ("[[:alpha:]]+", "ab1", false), ("[[:digit:][:upper:]]+", "A1", true),
        ("[[:^alpha:]]", "1", true), ("[[:^alpha:]]", "a", false), ("[[:xdigit:]]+", "dEadBEEF", true), ("[[:xdigit:]]", "g", false),
        ("[[:punct:]]", "!", true), ("[[:space:]]", "\u{0B}", true), ("[[:word:]]+", "a_1", true), ("[[:lower:]]", "A", false),
        ("[[:upper:]]", "A", true), ("[[:alnum:]]+", "a1B2", true), ("[[:alnum:]]", "-", false), ("[[a]", "[", true),
        // Escapes
        ("\\.\\\\\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\/\\-", ".\\*+?()[]{}|^$/-", true), ("\\t\\n\\r\\f\\v", "\t\n\r\u{0C}\u{0B}", true),
        ("\\x41", "A", true), ("\\x{263a}", "☺", true), ("\\x{1F600}", "😀", true), ("\\x{0}", "\0", true),
        ("\\_\\ ", "_ ", true), ("\\:", ":", true),
        // Unicode text
        (".", "日", true), ("..", "日本", true), ("日本.*", "日本語", true), (".", "😀", true), ("..", "👍🏽", true), (".", "👍🏽", false),
        ("[日本]+", "本日", true), ("[😀-😂]", "😁", true), ("[^😀]", "😁", true), (".{3}", "日本語", true), (".{3}", "日本", false),
        ("é", "e\u{301}", false), ("[^a]", "é", true), ("a.b", "a😀b", true), ("(?i)ÄÖ", "äö", true), ("(?i)σ", "Σ", true),
        ("(?i)k", "\u{212A}", true), ("(?i)\u{212A}", "k", true), ("(?i)[a-z]+", "\u{212A}", true), ("Straße", "STRASSE", false),
        ("(?i)日本", "日本", true), ("服务-.*", "服务-支付", true),
        // Flags
        ("(?i:a)b", "Ab", true), ("(?i:a)b", "AB", false), ("a(?i)b|c", "aB", true), ("a(?i)b|c", "C", true), ("(a(?i)b)c", "aBC", false),
        ("(?i)a(?-i)b", "Ab", true), ("(?i)a(?-i)b", "AB", false), ("(?i)(?-i:a)", "A", false), ("(?is).", "\n", true),
        ("(?U)a+", "aa", true), ("(?i)[^a]", "A", false), ("(?i)[a-c]+", "ABC", true), ("(?i)\\W", "a", false),
        ("(?i)[[:lower:]]", "A", true), ("(?)a", "a", true), ("(?i)", "", true), ("(?sm-i:a.)", "a\n", true),
        // Named groups
        ("(?P<name>a+)b", "aab", true), ("(?<n>x)", "x", true), ("(?P<a>x)|(?P<b>y)", "y", true),
    ]

    @Test func patternsMatchAsRE2Does() throws {
        for (pattern, text, expected) in Self.matches {
            #expect(try LinearRegex(pattern).matchesWhole(text) == expected, "\(pattern.debugDescription) on \(text.debugDescription)")
        }
    }

    static let errors: [(String, String, Int)] = [
        ("(a", "missing closing )", 0), ("x(a(b)", "missing closing )", 1), ("a)", "unexpected )", 1), ("(a))", "unexpected )", 3),
        ("[a", "missing closing ]", 0), ("x[^", "missing closing ]", 1), ("[a-", "missing closing ]", 0),
        ("*a", "missing argument to repetition operator", 0), ("a|*", "missing argument to repetition operator", 2),
        ("(*)", "missing argument to repetition operator", 1), ("(?i)*", "missing argument to repetition operator", 4),
        ("a**", "invalid nested repetition operator", 1), ("a*+", "invalid nested repetition operator", 1),
        ("a{2}*", "invalid nested repetition operator", 1), ("a*?+", "invalid nested repetition operator", 1),
        ("a{1001}", "invalid repeat count", 1), ("a{2,1}", "invalid repeat count", 1), ("a{1,1001}", "invalid repeat count", 1),
        ("(a{1000}){1000}", "pattern too large", 0), ("((){1000}){1000}", "pattern too large", 0),
        ("a{99999999999999999999}", "invalid repeat count", 1),
        (String(repeating: "a{1000}", count: 101), "pattern too large", 0),
        (String(repeating: "[ab]{1000}", count: 120), "pattern too large", 0),
        ("\\1", "unsupported: backreference \\1", 0), ("(a)\\1", "unsupported: backreference \\1", 3), ("\\8", "unsupported: backreference", 0),
        ("\\0", "invalid escape sequence \\0", 0), ("\\Qa\\E", "invalid escape sequence \\Q", 0),
        ("(?=a)", "unsupported: lookaround", 0), ("(?!a)", "unsupported: lookaround", 0), ("x(?<=a)", "unsupported: lookaround", 1),
        ("(?<!a)", "unsupported: lookaround", 0), ("(?P=n)", "unsupported: named backreference", 0),
        ("\\pL", "unsupported: Unicode class", 0), ("a\\p{Greek}", "unsupported: Unicode class", 1),
        ("a\\", "trailing backslash at end of expression", 1), ("[a\\", "trailing backslash at end of expression", 2),
        ("\\q", "invalid escape sequence", 0), ("\\Z", "invalid escape sequence", 0), ("[\\b]", "invalid escape sequence", 1),
        ("[a-\\d]", "invalid escape sequence", 3),
        ("[z-a]", "invalid character class range", 1), ("x[[:foo:]]", "invalid character class range", 2),
        ("(?x)", "invalid or unsupported Perl syntax", 0), ("(?i-)", "invalid or unsupported Perl syntax", 0),
        ("(?--i)", "invalid or unsupported Perl syntax", 0), ("(?i", "missing closing )", 0),
        ("(?P<>a)", "invalid named capture", 0), ("(?P<a-b>x)", "invalid named capture", 0), ("(?P<a", "invalid named capture", 0),
        ("\\x4", "invalid escape sequence \\x", 0), ("\\x{110000}", "invalid escape sequence \\x", 0),
        ("\\x{}", "invalid escape sequence \\x", 0), ("\\xZZ", "invalid escape sequence \\x", 0), ("\\x{41", "invalid escape sequence \\x", 0),
        ("日本(", "missing closing )", 2), ("😀😀[", "missing closing ]", 2),
        (String(repeating: "(", count: 101) + "a" + String(repeating: ")", count: 101), "expression nests too deeply", 100),
        ("x" + String(repeating: "(?i:", count: 500), "expression nests too deeply", 401),
    ]

    @Test func badPatternsAreRefusedWithTheirPosition() {
        for (pattern, message, offset) in Self.errors {
            #expect {
                try LinearRegex(pattern)
            } throws: { error in
                guard let error = error as? LinearRegex.SyntaxError else { return false }
                return error.message.hasPrefix(message) && error.offset == offset
            }
        }
    }

    /// `(.*)*.*x` against 100,000 characters took a backtracking engine about a minute; the suite's time limit fails
    /// this test if matching is not linear.
    @Test func catastrophicPatternsStayLinear() throws {
        let long = String(repeating: "a", count: 100_000)
        for pattern in ["(.*)*.*x", "(a|a)*b", "(x+x+)+y", "(a*)*b"] {
            #expect(try !LabelMatcher(name: "l", op: .regexMatch, value: pattern).matches(long))
        }
        #expect(try LabelMatcher(name: "l", op: .regexMatch, value: "(.*)*.*a").matches(long))
    }
}
