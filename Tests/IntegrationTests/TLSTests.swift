import Foundation
import PrometheusAPI
import Testing
import TestSupport

/// A Prometheus serving HTTPS and requiring client certificates (mutual TLS), with a CA made for the test.
@Suite("TLS against a real Prometheus", .timeLimit(.minutes(2)))
struct TLSTests {
    struct Certificates {
        var ca: URL
        var serverCert: URL
        var serverKey: URL
        var clientCert: URL
        var clientKey: URL
    }

    static let unknownAuthority = "TLS: the server's certificate is from an authority this machine does not trust (lookout-test-ca):"
        + " give the authority's certificate with --ca-file (caFile in a context)"

    static func openssl(_ arguments: [String]) async throws {
        let result = try await runCommand("/usr/bin/openssl", arguments)
        guard result.exitCode == 0 else { throw TestFailure("openssl \(arguments.first ?? ""): \(result.stderr)") }
    }

    /// The reason a client with `tls` gives for failing to reach `url`, nil when it reached it.
    static func reason(_ url: String, _ tls: TLSOptions) async -> String? {
        do {
            _ = try await withPrometheusClient(ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(url), tls: tls, timeout: .seconds(5))) {
                try await $0.buildInfo()
            }
            return nil
        } catch PrometheusError.transport(_, let reason) {
            return reason
        } catch {
            return "\(error)"
        }
    }

    /// The three causes BoringSSL calls by one name, told apart: a self-signed certificate, and one that expired
    /// (signed by the CA the client is given, its dates in 2020).
    @Test func selfSignedAndExpiredAreToldApart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let d = dir.url
        func at(_ name: String) -> String { d.appendingPathComponent(name).path }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await Self.openssl(["req", "-x509"] + ec + ["-keyout", at("self.key"), "-out", at("self.crt"), "-days", "2", "-subj", "/CN=self",
                                                          "-addext", "subjectAltName=IP:127.0.0.1"])
        try await Self.openssl(["req", "-x509"] + ec + ["-keyout", at("ca.key"), "-out", at("ca.crt"), "-days", "2", "-subj", "/CN=lookout-test-ca"])
        try await Self.openssl(["req"] + ec + ["-keyout", at("old.key"), "-out", at("old.csr"), "-subj", "/CN=old", "-addext", "subjectAltName=IP:127.0.0.1"])
        try FileManager.default.createDirectory(at: d.appendingPathComponent("db"), withIntermediateDirectories: true)
        _ = try dir.write("db/index.txt", "")
        _ = try dir.write("db/serial", "01\n")
        _ = try dir.write("ca.cnf", """
            [ca]
            default_ca = d
            [d]
            database = \(at("db/index.txt"))
            serial = \(at("db/serial"))
            new_certs_dir = \(at("db"))
            default_md = sha256
            policy = p
            copy_extensions = copy
            [p]
            commonName = supplied

            """)
        try await Self.openssl(["ca", "-batch", "-config", at("ca.cnf"), "-cert", at("ca.crt"), "-keyfile", at("ca.key"), "-in", at("old.csr"),
                                "-out", at("old.crt"), "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-notext"])
        for (name, tls, expected) in [
            ("self", TLSOptions(), "TLS: the server's certificate is self-signed: give it with --ca-file (caFile in a context) to trust it"),
            ("old", TLSOptions(caFile: at("ca.crt")), "TLS: the server's certificate expired on 2020-01-02 00:00 UTC: renew it on the server"),
        ] {
            var options = PrometheusHarness.Options()
            options.withExporter = false
            options.withAlertmanager = false
            options.webConfig = "tls_server_config:\n  cert_file: \(d.path)/\(name).crt\n  key_file: \(d.path)/\(name).key\n"
            try await withPrometheusHarness(options) { harness in
                let https = "https://127.0.0.1:\(harness.prometheusPort)"
                try await PrometheusHarness.eventually(20, "Prometheus to answer over TLS") {
                    await Self.reason(https, TLSOptions(insecureSkipVerify: true)) == nil
                }
                #expect(await Self.reason(https, tls) == expected, "\(name)")
            }
        }
    }

    /// A CA, a server certificate for `serverAddress` and a client certificate, all signed by the CA.
    func makeCertificates(in dir: TemporaryDirectory, serverAddress: String = "127.0.0.1") async throws -> Certificates {
        let d = dir.url.path
        func openssl(_ arguments: [String]) async throws {
            let result = try await runCommand("/usr/bin/openssl", arguments)
            guard result.exitCode == 0 else { throw TestFailure("openssl \(arguments.first ?? ""): \(result.stderr)") }
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await openssl(["req", "-x509"] + ec + ["-keyout", "\(d)/ca.key", "-out", "\(d)/ca.crt", "-days", "2", "-subj", "/CN=lookout-test-ca"])
        for (name, ext) in [("server", "subjectAltName=IP:\(serverAddress)\nextendedKeyUsage=serverAuth"), ("client", "extendedKeyUsage=clientAuth")] {
            _ = try dir.write("\(name).ext", ext + "\n")
            try await openssl(["req"] + ec + ["-keyout", "\(d)/\(name).key", "-out", "\(d)/\(name).csr", "-subj", "/CN=\(name)"])
            try await openssl([
                "x509", "-req", "-in", "\(d)/\(name).csr", "-CA", "\(d)/ca.crt", "-CAkey", "\(d)/ca.key", "-CAcreateserial",
                "-out", "\(d)/\(name).crt", "-days", "2", "-extfile", "\(d)/\(name).ext",
            ])
        }
        return Certificates(
            ca: dir.url.appendingPathComponent("ca.crt"),
            serverCert: dir.url.appendingPathComponent("server.crt"), serverKey: dir.url.appendingPathComponent("server.key"),
            clientCert: dir.url.appendingPathComponent("client.crt"), clientKey: dir.url.appendingPathComponent("client.key"))
    }

    @Test("a CA file and a client certificate reach a Prometheus that requires mutual TLS")
    func mutualTLS() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let certs = try await makeCertificates(in: dir)
        var options = PrometheusHarness.Options()
        options.withExporter = false
        options.withAlertmanager = false
        options.webConfig = """
            tls_server_config:
              cert_file: \(certs.serverCert.path)
              key_file: \(certs.serverKey.path)
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: \(certs.ca.path)
            """
        try await withPrometheusHarness(options) { harness in
            let url = try ConnectionOptions.parseBaseURL("https://127.0.0.1:\(harness.prometheusPort)")
            func attempt(_ tls: TLSOptions) async throws -> String {
                try await withPrometheusClient(ConnectionOptions(baseURL: url, tls: tls, timeout: .seconds(5))) { client in
                    try await client.buildInfo().data.version
                }
            }
            let full = TLSOptions(caFile: certs.ca.path, certFile: certs.clientCert.path, keyFile: certs.clientKey.path)
            try await PrometheusHarness.eventually(20, "Prometheus to answer over mutual TLS") {
                (try? await attempt(full)) != nil
            }
            #expect(try await attempt(full).hasPrefix("2."))

            // Without the CA, the server's certificate is not trusted.
            await #expect {
                _ = try await attempt(TLSOptions(certFile: certs.clientCert.path, keyFile: certs.clientKey.path))
            } throws: { error in
                guard case PrometheusError.transport(_, let reason) = error else { return false }
                // In words, with the fix: not BoringSSL's error stack, and which of the causes it is.
                return reason == Self.unknownAuthority
            }
            // Without a client certificate, the server refuses the handshake.
            await #expect(throws: PrometheusError.self) { _ = try await attempt(TLSOptions(caFile: certs.ca.path)) }
            // Skipping verification trusts any server certificate; the client certificate is still needed.
            let insecure = TLSOptions(certFile: certs.clientCert.path, keyFile: certs.clientKey.path, insecureSkipVerify: true)
            #expect(try await attempt(insecure).hasPrefix("2."))
        }
    }

    @Test("each TLS failure is one line in words: not trusted, not for this name, not TLS at all")
    func failuresInWords() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // A server certificate for another address than the one lookout connects to.
        let certs = try await makeCertificates(in: dir, serverAddress: "127.0.0.2")
        var options = PrometheusHarness.Options()
        options.withExporter = false
        options.withAlertmanager = false
        options.webConfig = "tls_server_config:\n  cert_file: \(certs.serverCert.path)\n  key_file: \(certs.serverKey.path)\n"
        try await withPrometheusHarness(options) { harness in
            func reason(_ url: String, _ tls: TLSOptions) async -> String? {
                do {
                    _ = try await withPrometheusClient(ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL(url), tls: tls, timeout: .seconds(5))) {
                        try await $0.buildInfo()
                    }
                    return nil
                } catch PrometheusError.transport(_, let reason) {
                    return reason
                } catch {
                    return "\(error)"
                }
            }
            let https = "https://127.0.0.1:\(harness.prometheusPort)"
            // Prometheus listens before it serves: the first answer of any kind.
            try await PrometheusHarness.eventually(20, "Prometheus to answer over TLS") {
                await reason(https, TLSOptions(insecureSkipVerify: true)) == nil
            }
            #expect(await reason(https, TLSOptions()) == Self.unknownAuthority)
            #expect(await reason(https, TLSOptions(caFile: certs.ca.path)) == "TLS: the server's certificate is not for this host name or address: use a name it lists in the URL")
        }
        // https:// to a Prometheus that speaks plain HTTP (it answers the handshake with an HTTP 400).
        var plainOptions = PrometheusHarness.Options()
        plainOptions.withExporter = false
        plainOptions.withAlertmanager = false
        try await withPrometheusHarness(plainOptions) { plain in
            var notTLS: String?
            do {
                _ = try await withPrometheusClient(ConnectionOptions(baseURL: try ConnectionOptions.parseBaseURL("https://127.0.0.1:\(plain.prometheusPort)"), timeout: .seconds(5))) {
                    try await $0.buildInfo()
                }
            } catch PrometheusError.transport(_, let reason) {
                notTLS = reason
            }
            #expect(notTLS == "TLS: the server does not speak TLS on this port: try http:// instead of https://", "\(notTLS ?? "no error")")
        }
    }
}
