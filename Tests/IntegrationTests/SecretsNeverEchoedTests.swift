import Foundation
import Testing
import TestSupport

/// No output of a command contains a secret planted in its flags, files, environment or URLs, whatever else went
/// wrong (issue "hostile input, third round"): each case plants a fresh secret and reads stdout and stderr whole.
@Suite("Secrets never echoed by the commands", .timeLimit(.minutes(3)))
struct SecretsNeverEchoedTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The arguments and the extra environment for a secret and a folder for files.
        var make: @Sendable (_ secret: String, _ dir: TemporaryDirectory, _ server: String) throws -> (arguments: [String], environment: [String: String])
        var testDescription: String { name }
    }

    /// A server that repeats what it was sent in its error: the credentials come back in the answer.
    static func echo(_ request: AdversarialServer.Request) -> AdversarialServer.Behaviour {
        let sent = request.headers.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; ")
        let quoted = sent.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return .json(#"{"status":"error","errorType":"bad_data","error":"you sent \#(quoted)"}"#, status: 400)
    }

    static let cases: [Case] = [
        Case(name: "a bad port in a URL with a password") { s, _, _ in (["snapshot", "--url", "http://user:\(s)@127.0.0.1:70000"], [:]) },
        Case(name: "a bad scheme in a URL with a password") { s, _, _ in (["query", "--url", "ftp://user:\(s)@127.0.0.1", "up"], [:]) },
        Case(name: "a query in a URL with a password") { s, _, _ in (["snapshot", "--url", "http://user:\(s)@127.0.0.1:9?x=1"], [:]) },
        Case(name: "LOOKOUT_URL with a password and no host") { s, _, _ in (["snapshot"], ["LOOKOUT_URL": "http://user:\(s)@"]) },
        Case(name: "an Alertmanager URL with a password") { s, _, server in
            (["snapshot", "--url", server, "--alertmanager-url", "http://am:\(s)@127.0.0.1:70000"], [:])
        },
        Case(name: "HTTP_PROXY with a password") { s, _, server in (["snapshot", "--url", server], ["HTTP_PROXY": "http://puser:\(s)@"]) },
        Case(name: "a token file of two lines") { s, dir, server in
            let file = try dir.write("token", "tok\(s)\n# prod token, rotate monthly\n")
            return (["snapshot", "--url", server, "--bearer-token-file", file.path], [:])
        },
        Case(name: "a token that the server repeats") { s, dir, server in
            let file = try dir.write("token", "tok\(s)\n")
            chmod(file.path, 0o600)
            return (["snapshot", "--url", server, "--bearer-token-file", file.path], [:])
        },
        Case(name: "a token in a variable that the server repeats") { s, _, server in
            (["query", "--url", server, "--bearer-token-env", "PROM_TOKEN", "up"], ["PROM_TOKEN": "tok\(s)"])
        },
        Case(name: "a password that the server repeats (as base64)") { s, dir, server in
            let file = try dir.write("password", "\(s)\n")
            chmod(file.path, 0o600)
            return (["snapshot", "--url", server, "--basic-auth-user", "oncall", "--basic-auth-password-file", file.path], [:])
        },
        Case(name: "an API key header that the server repeats") { s, _, server in
            (["query", "--url", server, "--header", "X-Api-Key: \(s)", "up"], [:])
        },
        Case(name: "a header without a colon") { s, _, server in (["snapshot", "--url", server, "--header", "X-Api-Key \(s)"], [:]) },
        Case(name: "config view of a context with a password in its URL") { s, dir, _ in
            let config = try dir.write("config.yaml", "contexts:\n  - name: a\n    url: http://user:\(s)@127.0.0.1:9090\n")
            chmod(config.path, 0o600)
            return (["config", "view", "--config", config.path], [:])
        },
        Case(name: "a config with a credential header inline") { s, dir, _ in
            let config = try dir.write("config.yaml", "contexts:\n  - name: a\n    url: http://127.0.0.1:9\n    headers: {Authorization: \"Bearer \(s)\"}\n")
            chmod(config.path, 0o600)
            return (["snapshot", "--config", config.path], [:])
        },
    ]

    @Test(arguments: cases)
    func noOutputHoldsTheSecret(_ planted: Case) async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let server = try AdversarialServer(Self.echo)
        defer { server.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let secret = "S3CRET\(UInt32.random(in: 100_000...999_999))PW"
        let (arguments, extra) = try planted.make(secret, dir, server.url)
        var environment = ["PATH": "/usr/bin:/bin", "HOME": dir.url.path, "XDG_CONFIG_HOME": dir.url.path, "XDG_STATE_HOME": dir.url.path]
        environment.merge(extra) { _, new in new }
        let result = try await runCommand(binary, arguments, environment: environment, timeLimit: 30)
        let base64 = Data("oncall:\(secret)".utf8).base64EncodedString()
        for (name, text) in [("stdout", result.stdout), ("stderr", result.stderr)] {
            #expect(!text.contains(secret) && !text.contains(base64), "\(planted.name): \(name) holds the secret: \(text)")
        }
        #expect(!(result.stdout + result.stderr).isEmpty, "\(planted.name): something is said")
    }

    /// Property: whatever command, output, secret source and failure are put together (drawn from a fixed seed, so
    /// a failure is found again), no output holds the secret.
    @Test func noCombinationEchoesTheSecret() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let server = try AdversarialServer(Self.echo)
        defer { server.stop() }
        var state: UInt64 = 27
        func draw(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
        let commands: [[String]] = [["snapshot"], ["snapshot", "--output", "json"], ["query", "up"], ["query", "--output", "json", "up"],
                                    ["query", "--output", "csv", "--range", "5m", "up"], ["config", "validate"]]
        let targets = [server.url, "http://127.0.0.1:9", "http://127.0.0.1:70000", "ftp://127.0.0.1:9"]
        for round in 0..<24 {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let secret = "S3CRET\(100_000 + round)PW"
            var environment = ["PATH": "/usr/bin:/bin", "HOME": dir.url.path, "XDG_CONFIG_HOME": dir.url.path, "XDG_STATE_HOME": dir.url.path]
            var command = commands[draw(commands.count)]
            let target = targets[draw(targets.count)]
            var connection = ["--url", target]
            let source = draw(6)
            switch source {
            case 0:
                connection = ["--url", target.replacingOccurrences(of: "://", with: "://user:\(secret)@")]
            case 1:
                let file = try dir.write("token", "tok\(secret)\n")
                chmod(file.path, 0o600)
                connection += ["--bearer-token-file", file.path]
            case 2:
                environment["PROM_TOKEN"] = "tok\(secret)"
                connection += ["--bearer-token-env", "PROM_TOKEN"]
            case 3:
                let file = try dir.write("password", "\(secret)\n")
                chmod(file.path, 0o600)
                connection += ["--basic-auth-user", "oncall", "--basic-auth-password-file", file.path]
            case 4:
                connection += ["--header", "X-Api-Key: \(secret)"]
            default:
                environment["HTTP_PROXY"] = "http://puser:\(secret)@127.0.0.1:9"
            }
            if command.first == "config" {
                // The config file carries the connection: a context with the secret's source.
                let url = source == 0 ? target.replacingOccurrences(of: "://", with: "://user:\(secret)@") : target
                let config = try dir.write("config.yaml", "contexts:\n  - name: a\n    url: \(url)\n")
                chmod(config.path, 0o600)
                command += ["--config", config.path]
                connection = []
            }
            let arguments = command.first == "query" ? [command[0]] + connection + command.dropFirst() : command + connection
            let result = try await runCommand(binary, arguments, environment: environment, timeLimit: 30)
            let base64 = Data("oncall:\(secret)".utf8).base64EncodedString()
            for (name, text) in [("stdout", result.stdout), ("stderr", result.stderr)] {
                #expect(!text.contains(secret) && !text.contains(base64), "round \(round), lookout \(arguments.joined(separator: " ")): \(name) holds the secret: \(text)")
            }
        }
    }
}
