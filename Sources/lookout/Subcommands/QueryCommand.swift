import ArgumentParser
import DashboardCore
import FoundationEssentials
import Glibc
import LookoutApp
import PrometheusAPI
import SafeText

/// `lookout query EXPR`: one PromQL query for scripts and runbooks.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one PromQL query and print the result as a table, JSON or CSV.",
        discussion: """
            Instant by default (now, or --at); with --range, a range query ending now (or at --at or --to) with \
            --step between points (default: range / 60); with --from (RFC 3339, or a time ago such as -3h), a range \
            query from then to --to (default: now, or --from plus --range).

            Exit codes:
              0   the result has data
              1   the result is empty ("no data" on stderr)
              3   the server could not answer (unreachable, timeout, HTTP or API error)
              64  bad flags, or a PromQL parse error (a caret marks its place on stderr)
            """
    )

    enum Output: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @OptionGroup var connection: ConnectionFlags

    @Argument(help: ArgumentHelp("The PromQL expression.", valueName: "expr"))
    var expr: String

    @Option(help: ArgumentHelp("Evaluation time: RFC 3339 (2026-11-26T03:00:00Z) or Unix seconds.", valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp("A range query over this duration (5m, 1h, 7d).", valueName: "duration"))
    var range: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Start of a range query: RFC 3339, now, or a time ago such as -3h.", valueName: "time"))
    var from: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("End of a range query: RFC 3339, now, or a time ago such as -1h.", valueName: "time"))
    var to: String?

    @Option(help: ArgumentHelp("Seconds between the points of a range query (15s, 1m).", valueName: "duration"))
    var step: String?

    @Option(name: .customLong("var"), help: ArgumentHelp(
        "A value for $name, ${name} or [[name]] in the expression, as name=value (repeat it for each); Grafana's built-ins ($__rate_interval, $__interval, $__range) are computed for the query.",
        valueName: "name=value"))
    var vars: [String] = []

    @Option(help: "Output format: text, json or csv.")
    var output: Output = .text

    func time() throws -> Date? {
        guard let at else { return nil }
        if let seconds = Double(at), seconds.isFinite, seconds >= 0, seconds < 1e11 { return Date(timeIntervalSince1970: seconds) }
        guard let date = RFC3339.parse(at) else {
            throw ValidationError("bad --at '\(SafeText.clip(at, 40))': expected RFC 3339 (2026-11-26T03:00:00Z) or Unix seconds")
        }
        return date
    }

    /// The range query's window (start, end) and step; nil for an instant query.
    func rangeWindow(now: Date = Date()) throws -> (start: Date, end: Date, step: TimeInterval)? {
        if at != nil, from != nil || to != nil { throw ValidationError("--at is for an instant query: use --from and --to for a range") }
        if from != nil, to != nil, range != nil { throw ValidationError("--range with both --from and --to: give two of the three") }
        if to != nil, from == nil, range == nil { throw ValidationError("--to needs --from or --range") }
        guard range != nil || from != nil else {
            if step != nil { throw ValidationError("--step needs --range or --from") }
            return nil
        }
        let seconds: TimeInterval
        if let range {
            guard let parsed = ValueFormat.parseDuration(range), parsed >= 1, parsed <= 366 * 86_400 else {
                throw ValidationError("bad --range '\(SafeText.clip(range, 40))': expected a duration from 1s to 366d, such as 15m, 1h or 7d")
            }
            seconds = parsed
        } else {
            seconds = 3600
        }
        let end: Date
        let length: TimeInterval
        if from != nil || to != nil {
            let window: TimeWindow
            switch TimeWindow.from(from, to: to, range: range == nil && to == nil ? 366 * 86_400 : seconds, now: now) {
            case .success(let w): window = w
            case .failure(let error): throw ValidationError(error.description)
            }
            guard window.rangeSeconds <= 366 * 86_400 else { throw ValidationError("--from must be at most 366d before the end") }
            end = window.pinnedEnd ?? now
            length = window.rangeSeconds
        } else {
            end = try time() ?? now
            length = seconds
        }
        let stepSeconds = try self.stepSeconds(over: length)
        return (end.addingTimeInterval(-length), end, stepSeconds)
    }

    func stepSeconds(over seconds: TimeInterval) throws -> TimeInterval {
        let stepSeconds: TimeInterval
        if let step {
            guard let s = ValueFormat.parseDuration(step), s >= 0.001, seconds / s <= 11_000 else {
                throw ValidationError("bad --step '\(SafeText.clip(step, 40))': expected a duration that gives at most 11,000 points over the range")
            }
            stepSeconds = s
        } else {
            stepSeconds = max(1, (seconds / 60).rounded())
        }
        return stepSeconds
    }

    func validate() throws {
        guard !expr.trimmingSpaces().isEmpty else { throw ValidationError("the query is empty") }
        _ = try rangeWindow()
        _ = try time()
        _ = try VariableFlags.parse(vars)
    }

    /// The expression with the `--var` values (each escaped for a quoted string) and Grafana's built-ins for the
    /// window (`step` the range query's, else 15 s, Grafana's scrape interval) in place of their names.
    func expression(window: (Date, Date, TimeInterval)?, at when: Date?) throws -> String {
        let given = try VariableFlags.parse(vars)
        let variables = given.keys.sorted().map { Variable(name: $0, kind: .textbox, current: [given[$0] ?? ""]) }
        let substituted = Variable.substitute(expr, Variable.resolve(variables, choices: [:], options: [:]))
        let (start, end, step) = window ?? ((when ?? Date()).addingTimeInterval(-GrafanaBuiltins.scrapeInterval), when ?? Date(), GrafanaBuiltins.scrapeInterval)
        return GrafanaBuiltins.substitute(substituted, start: start, end: end, step: step)
    }

    func run() async throws {
        let options = try connection.resolve().options
        let when = try time()
        let window = try rangeWindow()
        let expr = try expression(window: window, at: when)
        let answer: APIResponse<QueryResult>
        do {
            answer = try await withPrometheusClient(options) { client in
                if let (start, end, step) = window {
                    return try await client.queryRange(expr, range: QueryRange(start: start, end: end, step: step))
                }
                return try await client.query(expr, at: when)
            }
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        } catch let error as PrometheusError {
            if case .api("bad_data", let message, _) = error, let caret = QueryReport.caretLines(query: expr, error: message) {
                StandardError.write(error.description)
                for line in caret { StandardError.write(line, prefix: "") }
                throw ExitCode(QueryReport.ExitCode.badInput)
            }
            throw CommandError(description: error.description, exitCode: QueryReport.ExitCode.serverError)
        }
        let report = QueryReport(result: answer.data, warnings: answer.warnings)
        switch output {
        case .text: print(report.text(), terminator: "")
        case .json: print(try report.json(), terminator: "")
        case .csv: print(report.csv(), terminator: "")
        }
        if output != .text { for warning in answer.warnings { StandardError.write("warning: " + warning) } }
        if report.isEmpty {
            // An empty answer is not an error, but a script's reader should not have to guess from the exit code.
            StandardError.write("no data: the query matched no series\(window == nil ? "" : " in the range")")
            throw ExitCode(QueryReport.ExitCode.empty)
        }
    }
}
