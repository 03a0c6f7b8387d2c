import Foundation
import LookoutApp
import PrometheusAPI
import Testing
import TestSupport

/// The config file: its shape, its errors (file:line:column), the refusal of secrets written in it, and how flags,
/// the context and the defaults combine.
@Suite("Config file and contexts")
struct ConfigTests {
    static let good = """
        theme: mono
        refresh: 5s
        range: 3h
        utc: true
        mouse: false
        contexts:
          - name: prod-eu
            url: https://prometheus.eu.example/prometheus
            alertmanagers: [https://am-0.eu.example, https://am-1.eu.example]
            bearerTokenFile: ~/prod-eu.token
            headers: {X-Scope-OrgID: team-a}
            caFile: /etc/ssl/corp-ca.pem
            color: red
          - name: staging
            url: http://prometheus.staging:9090
            basicAuth: {user: oncall, passwordEnv: STAGING_PROM_PASSWORD}
            readOnly: true
            dashboard: microservices
        """

    @Test func theDocumentedShapeParses() throws {
        let config = try LookoutConfig.parse(yaml: Self.good, source: "c.yaml")
        #expect(config.defaults.theme == "mono" && config.defaults.refresh == "5s" && config.defaults.range == "3h")
        #expect(config.defaults.utc == true && config.defaults.mouse == false)
        #expect(config.contexts.map(\.name) == ["prod-eu", "staging"])
        let prod = config.contexts[0]
        #expect(prod.alertmanagers.count == 2 && prod.connection.headers == ["X-Scope-OrgID: team-a"] && prod.color == "red")
        #expect(prod.connection.bearerTokenFile == "~/prod-eu.token", "tildes are expanded when loading, not parsing")
        let staging = config.contexts[1]
        #expect(staging.connection.basicAuthUser == "oncall" && staging.connection.basicAuthPasswordEnv == "STAGING_PROM_PASSWORD" && staging.readOnly)
        // What `config view` prints reads back the same.
        let again = try LookoutConfig.parse(yaml: config.yaml(), source: "view")
        #expect(again.contexts == config.contexts && again.defaults == config.defaults)
    }

    static let broken: [(String, String)] = [
        ("contexts:\n  - name: a\n    url: http://x\n    bearerToken: abc\n",
         "c.yaml:4:5: contexts[0].bearerToken: a secret written in the config file is refused"),
        ("contexts:\n  - name: a\n    url: http://x\n    basicAuth: {user: u, password: hunter2}\n",
         "c.yaml:4:26: contexts[0].basicAuth.password: a secret written in the config file is refused"),
        ("refresh: soon\n", "c.yaml:1:10: refresh: 'soon' is not a duration"),
        ("contexts:\n  - url: http://x\n", "c.yaml:2:5: contexts[0]: missing name"),
        ("contexts:\n  - name: a\n", "c.yaml:2:5: contexts[0]: missing url"),
        ("contexts:\n  - {name: a, url: http://x}\n  - {name: a, url: http://y}\n", "c.yaml:3:12: contexts[1].name: a second context named 'a'"),
        ("contexts:\n  - {name: a, url: http://x, color: bluish}\n", "c.yaml:2:37: contexts[0].color: 'bluish' is not a colour"),
        ("contexts:\n  - {name: a, url: http://x, readOnly: maybe}\n", "c.yaml:2:40: contexts[0].readOnly: expected true or false"),
        ("themes: dark\n", "c.yaml:1:1: unknown key 'themes'"),
        ("contexts: {a: 1}\n", "c.yaml:1:11: contexts: expected a list of contexts"),
        ("contexts:\n  - {name: \"a\\u001b[2Jb\", url: http://x}\n", "c.yaml:2:12: contexts[0].name: 'ab' is not a context name"),
    ]

    @Test(arguments: broken.indices)
    func aBrokenFileIsOneLineWithItsPlace(index: Int) {
        let (yaml, expected) = Self.broken[index]
        do {
            _ = try LookoutConfig.parse(yaml: yaml, source: "c.yaml")
            Issue.record("no error for \(yaml)")
        } catch {
            #expect(error.message.hasPrefix(expected), "\(error.message)")
            #expect(!error.message.contains("\n") && !error.message.contains("\u{1B}"))
        }
    }

    @Test func flagsOverTheContextOverTheDefaults() {
        var context = ConnectionSettings()
        context.url = "http://context:9090"
        context.bearerTokenFile = "/ctx/token"
        context.headers = ["X-Scope-OrgID: team-a", "X-Other: 1"]
        context.caFile = "/ctx/ca.pem"
        context.timeout = "20s"
        var flags = ConnectionSettings()
        flags.basicAuthUser = "me"
        flags.basicAuthPasswordEnv = "PW"
        flags.headers = ["x-scope-orgid: team-b"]
        flags.timeout = "5s"
        let merged = flags.overriding(context)
        #expect(merged.url == "http://context:9090")
        #expect(merged.bearerTokenFile == nil && merged.basicAuthUser == "me" && merged.basicAuthPasswordEnv == "PW", "auth from flags replaces the context's")
        #expect(merged.headers == ["X-Other: 1", "x-scope-orgid: team-b"])
        #expect(merged.caFile == "/ctx/ca.pem" && merged.timeout == "5s")
        #expect(ConnectionSettings().overriding(context) == context, "no flags: the context as it is")
    }

    @Test func theContextIsTheFlagThenTheRememberedOneThenTheFirst() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("config.yaml", Self.good)
        chmod(file.path, 0o600)
        let state = dir.url.appendingPathComponent("state").path
        let environment = ["HOME": dir.url.path, "XDG_STATE_HOME": state, "STAGING_PROM_PASSWORD": "pw"]
        func choose(_ flags: ConnectionSettings = ConnectionSettings(), context: String? = nil, env: [String: String] = [:]) throws -> ContextChoice {
            try ContextChoice.choose(
                flags: flags, alertmanagerFlags: [], configFlag: file.path, contextFlag: context, environment: environment.merging(env) { $1 })
        }
        #expect(try choose().context?.name == "prod-eu", "the first")
        #expect(try choose().connection.bearerTokenFile == dir.url.path + "/prod-eu.token", "~ is the home folder")
        #expect(try choose().alertmanagerURLs.count == 2)
        #expect(ContextChoice.remember("staging", environment: environment) == nil)
        #expect(try choose().context?.name == "staging", "the remembered one")
        #expect(try choose(context: "prod-eu").context?.name == "prod-eu")
        #expect(try choose(env: ["LOOKOUT_CONTEXT": "prod-eu"]).context?.name == "prod-eu")
        var url = ConnectionSettings()
        url.url = "http://typed:9090"
        #expect(try choose(url).context == nil, "--url alone: no context, so no context's secret goes to a typed server")
        #expect(try choose(url, context: "staging").connection.url == "http://typed:9090")
        #expect(throws: ConfigFileError.self) { try choose(context: "nope") }
        let resolved = try ResolvedConnection(try choose(context: "staging"), environment: environment)
        #expect(resolved.options.baseURL.absoluteString == "http://prometheus.staging:9090")
        #expect(resolved.options.authorization == .basic(username: "oncall", password: "pw"))
    }

    @Test func filesOthersCanReadAreWarnedAbout() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let token = try dir.write("token", "t\n")
        chmod(token.path, 0o644)
        let file = try dir.write("config.yaml", "contexts:\n  - {name: a, url: http://x, bearerTokenFile: \(token.path)}\n")
        chmod(file.path, 0o644)
        var warnings: [String] = []
        _ = try LookoutConfig.load(flag: file.path, environment: [:], warn: { warnings.append($0) })
        #expect(warnings.count == 2)
        #expect(warnings.allSatisfy { $0.contains("can be read by other users (mode 0644)") })
        chmod(file.path, 0o600)
        chmod(token.path, 0o600)
        warnings = []
        _ = try LookoutConfig.load(flag: file.path, environment: [:], warn: { warnings.append($0) })
        #expect(warnings.isEmpty)
        // A named file that is missing is an error; the default one missing is no config.
        #expect(throws: ConfigFileError.self) { try LookoutConfig.load(flag: dir.url.path + "/none.yaml", environment: [:]) }
        #expect(try LookoutConfig.load(flag: nil, environment: ["HOME": dir.url.path]) == nil)
    }
}
