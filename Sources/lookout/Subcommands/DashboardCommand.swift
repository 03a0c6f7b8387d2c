import ArgumentParser
import DashboardCore
import FoundationEssentials
import Glibc
import SafeText

/// `lookout dashboard …`: dashboard files.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Dashboard files: print as YAML (run an edited copy with --dashboard FILE), export to or import from Grafana.",
        subcommands: [Print.self, Export.self, Import.self]
    )

    struct Print: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the built-in dashboard (the source design's, as Swift data) or a dashboard file as YAML.")

        @Option(help: ArgumentHelp("A dashboard YAML file to check and print instead.", valueName: "file"))
        var dashboard: String?

        func run() throws {
            print(try DashboardChoice.load(dashboard).yaml(), terminator: "")
        }
    }
}

extension DashboardCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the dashboard as a Grafana dashboard JSON (same queries, legends, units and thresholds).",
            usage: "lookout dashboard export grafana [--dashboard FILE]")

        enum Format: String, ExpressibleByArgument { case grafana }

        @Argument(help: "The format: grafana.")
        var format: Format

        @Option(help: ArgumentHelp("A dashboard YAML file instead of the built-in one.", valueName: "file"))
        var dashboard: String?

        func run() throws {
            print(try DashboardChoice.load(dashboard).grafanaJSON(), terminator: "")
        }
    }
}

extension DashboardCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a Grafana dashboard JSON into lookout YAML (stdout); panels it cannot show are listed on stderr.",
            usage: "lookout dashboard import grafana FILE.json > my.yaml")

        @Argument(help: "The format: grafana.")
        var format: Export.Format

        @Argument(help: "The Grafana dashboard JSON file.")
        var file: String

        func run() throws {
            let result: GrafanaImport.Result
            do {
                result = try GrafanaImport.convert(file: file)
            } catch let error as DashboardFileError {
                throw ValidationError(error.message)
            }
            for warning in result.warnings { StandardError.write("warning: \(warning)") }
            print(result.dashboard.yaml(), terminator: "")
        }
    }
}

/// `--dashboard FILE` or the built-in one; a bad file is a usage error naming file, line and column.
enum DashboardChoice {
    static func load(_ path: String?) throws -> Dashboard {
        do {
            return try Dashboard.named(path)
        } catch {
            throw ValidationError(error.message)
        }
    }
}
