import DashboardCore
import PrometheusAPI
import FoundationEssentials
import SafeText

/// What `:ctx` switches between: the config's contexts, with the flags given at start (all but the server's URLs)
/// over each, and the dashboard and read-only flags kept.
public struct ContextSwitcher: Sendable {
    public var config: LookoutConfig
    public var flags: ConnectionSettings
    /// `--dashboard`, when given: it stays over every context's own.
    public var dashboardFlag: String?
    public var readOnlyFlag: Bool
    public var environment: [String: String]

    public init(config: LookoutConfig, flags: ConnectionSettings, dashboardFlag: String?, readOnlyFlag: Bool, environment: [String: String]) {
        var flags = flags
        flags.url = nil
        self.config = config
        self.flags = flags
        self.dashboardFlag = dashboardFlag
        self.readOnlyFlag = readOnlyFlag
        self.environment = environment
    }

    /// Everything needed to talk to context `name`; one line naming the context and the problem otherwise.
    public func target(_ name: String) throws -> (connection: ResolvedConnection, dashboard: Dashboard) {
        guard let context = config.contexts.first(where: { $0.name == name }) else {
            throw ConfigurationError("no context named '\(SafeText.clip(name, 80))'")
        }
        let choice = ContextChoice(config: config, context: context, connection: flags.overriding(context.connection), alertmanagerURLs: context.alertmanagers)
        let resolved = try ResolvedConnection(choice, environment: environment)
        let dashboard: Dashboard
        do {
            dashboard = try Dashboard.named(dashboardFlag ?? context.dashboard)
        } catch {
            throw ConfigurationError("context '\(context.name)': \(error.message)")
        }
        return (resolved, dashboard)
    }
}
