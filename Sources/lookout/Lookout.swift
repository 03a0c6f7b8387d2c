import ArgumentParser
import CBuildInfo
import FoundationEssentials
import Glibc
import SafeText

struct Lookout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookout",
        abstract: "A terminal dashboard for Prometheus: service health, request rate, error rate, p95 latency, alerts.",
        discussion: """
            The server comes from --url, else the config file's context (--context, LOOKOUT_CONTEXT, the last one \
            chosen with :ctx, else the first; see 'lookout config'), else LOOKOUT_URL, else PROMETHEUS_URL, else \
            http://localhost:9090.

            Secrets are read from files or environment variables, never from flag values.
            """,
        version: BuildInfo.version,
        subcommands: [WatchCommand.self, SnapshotCommand.self, ReportCommand.self, CheckCommand.self, QueryCommand.self, ConfigCommand.self, MockCommand.self, DemoCommand.self, DashboardCommand.self],
        defaultSubcommand: WatchCommand.self
    )
}

/// What `lookout --version` says: `git describe` at build time (scripts/version.sh).
enum BuildInfo {
    static let version = String(cString: lookout_build_version())
}

/// Entry point: parses, runs, and turns any error into one line on stderr and a non-zero exit code.
@main
enum Main {
    static func main() async {
        do {
            var command = try Lookout.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitFor(error)
        }
    }

    static func exitFor(_ error: any Error) -> Never {
        if let error = error as? CommandError {
            StandardError.write(error.description)
            exit(error.exitCode)
        }
        let code = Lookout.exitCode(for: error)
        if code == .success {
            print(Lookout.fullMessage(for: error))
            exit(0)
        }
        let message = Lookout.message(for: error)
            .split(separator: "\n").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            .joined(separator: "; ")
        if !message.isEmpty {
            let hint = code == .validationFailure ? " (see 'lookout --help')" : ""
            StandardError.write("\(message)\(hint)")
        }
        exit(code.rawValue)
    }
}

/// A failure of a subcommand, already worded for the user.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32
}

/// Every line lookout writes to stderr: prefixed, sanitised (file names, flag values and server text are quoted in
/// messages) and cut, so no control character or escape sequence reaches the terminal this way either.
enum StandardError {
    /// One line on stderr, sanitised and bounded, after `prefix`.
    static func write(_ message: String, prefix: String = "lookout: ") {
        StandardStream.error.write("\(prefix)\(SafeText.clip(message, 2 * InputLimits.messageCharacters))\n")
    }
}
