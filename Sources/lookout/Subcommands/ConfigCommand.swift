import ArgumentParser
import FoundationEssentials
import Glibc
import LookoutApp
import PrometheusAPI
import SafeText

/// `lookout config view|validate|contexts`: the config file as lookout reads it.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show and check the config file (defaults and named contexts).",
        discussion: """
            The file is --config, else $LOOKOUT_CONFIG, else $XDG_CONFIG_HOME/lookout/config.yaml (default \
            ~/.config/lookout/config.yaml). Secrets are never in it: a context names a file or a variable that holds \
            them, and 'view' shows that name.
            """,
        subcommands: [View.self, Validate.self, Contexts.self],
        defaultSubcommand: View.self
    )

    struct Location: ParsableArguments {
        @Option(help: ArgumentHelp("The config file.", valueName: "file"))
        var config: String?

        /// The config, or a usage error (exit 64) in one line; warnings (a file others can read) on stderr.
        func load(mustExist: Bool = true) throws -> LookoutConfig {
            let environment = ProcessInfo.processInfo.environment
            let loaded: LookoutConfig?
            do {
                loaded = try LookoutConfig.load(flag: config, environment: environment, warn: { StandardError.write($0, prefix: "lookout: ") })
            } catch {
                throw ValidationError(error.message)
            }
            guard let loaded else {
                let place = LookoutConfig.location(flag: config, environment: environment)?.path ?? "~/.config/lookout/config.yaml"
                throw ValidationError("no config file at \(SafeText.clip(place, 200))")
            }
            return loaded
        }
    }

    struct View: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the config as lookout reads it (secrets as their file or variable name).")
        @OptionGroup var location: Location
        func run() throws { print(try location.load().yaml(), terminator: "") }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the config and every context's settings (secret files and variables readable, URLs, TLS files); exit 0 when all are good.")
        @OptionGroup var location: Location
        func run() throws {
            let config = try location.load()
            let environment = ProcessInfo.processInfo.environment
            var problems: [String] = []
            for context in config.contexts {
                let switcher = ContextSwitcher(config: config, flags: .init(), dashboardFlag: nil, readOnlyFlag: false, environment: environment)
                do {
                    _ = try switcher.target(context.name)
                } catch {
                    problems.append(SafeText.clip((error as? ConfigurationError)?.message ?? "context '\(context.name)': \(error)", 300))
                }
            }
            for problem in problems { StandardError.write(problem, prefix: "lookout: ") }
            guard problems.isEmpty else { throw ExitCode(64) }
            print("\(SafeText.sanitize(config.path)): \(config.contexts.count) context\(config.contexts.count == 1 ? "" : "s"), all usable")
        }
    }

    struct Contexts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the contexts: the current one (*), name, URL.")
        @OptionGroup var location: Location
        func run() throws {
            let config = try location.load()
            let environment = ProcessInfo.processInfo.environment
            let current = try? config.context(
                named: environment["LOOKOUT_CONTEXT"].flatMap { $0.isEmpty ? nil : $0 },
                remembered: StateLine.path("context", environment: environment).flatMap(StateLine.read))
            let width = config.contexts.map { $0.name.count }.max() ?? 0
            for context in config.contexts {
                let mark = context.name == current?.name ? "*" : " "
                print("\(mark) \(TextLayout.pad(SafeText.sanitize(context.name), to: width))  \(SafeText.sanitize(context.url))")
            }
        }
    }
}
