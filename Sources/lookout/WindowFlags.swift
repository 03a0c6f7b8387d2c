import ArgumentParser
import DashboardCore
import FoundationEssentials
import LookoutApp

/// The window's edges and the exit code's severity, shared by the commands that read a window once and exit
/// (`snapshot`, `report`); each names its own duration flag (`--range`, `--since`).
struct WindowFlags: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Start of the window instead of the duration: RFC 3339, or a time ago such as -3h (with --to, the duration is the difference).", valueName: "time"))
    var from: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("End of the window: RFC 3339, now, or a time ago such as -1h (default now).", valueName: "time"))
    var to: String?

    @Option(help: ArgumentHelp("Which alerts firing now set the exit code: warning (and critical), or critical only.", valueName: "severity"))
    var failOn: Snapshot.FailOn = .warning

    /// The window, `seconds` long unless `--from` says otherwise; a bad edge is a usage error naming it.
    func window(seconds: Double, now: Date) throws -> TimeWindow {
        do {
            return try TimeWindow.from(from, to: to, range: seconds, now: now).get()
        } catch {
            throw ValidationError(error.description)
        }
    }
}
