import FoundationEssentials
import Glibc
import NIOCore
import NIOPosix
import NIOSSL
import PrometheusModels
import SafeText
import Synchronization

/// Why a server's certificate is not trusted, told apart: BoringSSL says only `CERTIFICATE_VERIFY_FAILED`, the same
/// for a self-signed certificate, one from an unknown authority and an expired one, and each needs another fix.
///
/// A handshake of its own reads the server's certificate: it stops at the certificate (nothing is sent after it, no
/// credential, no request), within a few seconds, and only after a request failed that way. Through a proxy it is
/// not tried (the diagnosis would reach another path than the request did).
enum TLSDiagnosis {
    enum Finding: Sendable, Equatable {
        case expired(Date)
        case notYetValid(Date)
        case selfSigned
        case unknownAuthority(issuer: String)
    }

    /// The one line for a finding.
    static func describe(_ finding: Finding) -> String {
        switch finding {
        case .expired(let date):
            return "TLS: the server's certificate expired on \(day(date)): renew it on the server"
        case .notYetValid(let date):
            return "TLS: the server's certificate is valid only from \(day(date)): check this machine's clock and the server's"
        case .selfSigned:
            return "TLS: the server's certificate is self-signed: give it with --ca-file (caFile in a context) to trust it"
        case .unknownAuthority(let issuer):
            let name = issuer.isEmpty ? "" : " (\(clip(issuer, 80)))"
            return "TLS: the server's certificate is from an authority this machine does not trust\(name): give the authority's certificate with --ca-file (caFile in a context)"
        }
    }

    static func day(_ date: Date) -> String {
        let text = RFC3339.format(date)
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5)) + " UTC"
    }

    /// What is wrong with `leaf`, a certificate `trusted` would not verify, at `now`: its dates first (a fix on the
    /// server), then whether it signed itself, else its issuer is unknown here.
    static func classify(_ leaf: NIOSSLCertificate, now: Date) -> Finding {
        let notAfter = Date(timeIntervalSince1970: Double(leaf.notValidAfter))
        let notBefore = Date(timeIntervalSince1970: Double(leaf.notValidBefore))
        if notAfter < now { return .expired(notAfter) }
        if notBefore > now { return .notYetValid(notBefore) }
        let issuer = leaf.issuerName
        if leaf.subjectName == issuer { return .selfSigned }
        let commonName = issuer.first { $0.type == .commonName }?.value
        return .unknownAuthority(issuer: SafeText.sanitize(commonName ?? issuer.map(\.value).joined(separator: ", ")))
    }

    /// The server's own certificate at `host`:`port`, read in a handshake that stops there; nil when the handshake
    /// did not get that far within `timeout`.
    static func leafCertificate(host: String, port: Int, timeout: TimeAmount) async -> NIOSSLCertificate? {
        let captured = Mutex<NIOSSLCertificate?>(nil)
        var configuration = TLSConfiguration.makeClientConfiguration()
        // The callback below is asked with the chain; host name checks are not what this is for.
        configuration.certificateVerification = .noHostnameVerification
        guard let context = try? NIOSSLContext(configuration: configuration) else { return nil }
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(
                        context: context, serverHostname: isAddress ? nil : host,
                        customVerificationCallback: { certificates, promise in
                            if let leaf = certificates.first { captured.withLock { $0 = leaf } }
                            // Stop here: nothing more is wanted from this server.
                            promise.succeed(.failed)
                        })
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        guard let channel = try? await bootstrap.connect(host: host, port: port).get() else { return nil }
        // The handshake ends with the callback's refusal, which closes the channel; a server that stalls is cut off.
        let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        try? await channel.closeFuture.get()
        deadline.cancel()
        return captured.withLock { $0 }
    }

    /// The finding for a request to `url` that failed as not trusted, or nil (no certificate read, or a proxy).
    static func diagnose(url: URL, options: ConnectionOptions, now: Date = Date()) async -> Finding? {
        guard options.proxy == nil, let host = url.host, !host.isEmpty else { return nil }
        let port = url.port ?? 443
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let seconds = min(3, max(1, Double(options.timeout.totalNanoseconds) / 1e9))
        guard let leaf = await leafCertificate(host: bare, port: port, timeout: .milliseconds(Int64(seconds * 1000))) else { return nil }
        return classify(leaf, now: now)
    }
}
