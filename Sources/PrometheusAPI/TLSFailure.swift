import PrometheusModels
import SafeText

/// A TLS failure in words: what went wrong and what to do, in one line, instead of BoringSSL's error stack (error
/// numbers, source paths of the build).
enum TLSFailure {
    /// How the not-trusted failure begins (`TLSDiagnosis` then tells its cause, when it can).
    static let notTrustedPrefix = "TLS: the server's certificate is not trusted"

    static func describe(_ text: String) -> String {
        func has(_ code: String) -> Bool { text.contains(code) }
        if text.contains("failedToValidateHostname") {
            return "TLS: the server's certificate is not for this host name or address: use a name it lists in the URL"
        }
        if has("CERTIFICATE_VERIFY_FAILED") {
            return notTrustedPrefix + " (self-signed, from an unknown authority, or expired):"
                + " give its authority with --ca-file (caFile in a context)"
        }
        if has("WRONG_VERSION_NUMBER") || has("HTTP_REQUEST") {
            return "TLS: the server does not speak TLS on this port: try http:// instead of https://"
        }
        if has("CERTIFICATE_REQUIRED") || has("SSLV3_ALERT_BAD_CERTIFICATE") || has("TLSV1_ALERT_UNKNOWN_CA") {
            return "TLS: the server refused the handshake without a client certificate it trusts: give --cert-file and --key-file"
        }
        if has("UNSUPPORTED_PROTOCOL") || has("TLSV1_ALERT_PROTOCOL_VERSION") || has("NO_SHARED_CIPHER")
            || has("SSLV3_ALERT_HANDSHAKE_FAILURE") || has("NO_CIPHERS_AVAILABLE") || has("NO_SUPPORTED_VERSIONS_ENABLED") {
            return "TLS: no protocol version or cipher in common with the server (lookout speaks TLS 1.2 and 1.3)"
        }
        if let code = boringSSLCodes(text).first { return "TLS error: \(code.lowercased().replacing("_", with: " "))" }
        return "TLS error: \(clip(text, 120))"
    }

    /// The reason codes of BoringSSL's error stack (`…:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /path…`).
    static func boringSSLCodes(_ text: String) -> [String] {
        var codes: [String] = []
        var rest = Substring(text)
        while let marker = rest.firstRange(of: "OPENSSL_internal:") {
            let after = rest[marker.upperBound...]
            let code = after.prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            if !code.isEmpty { codes.append(String(code)) }
            rest = after.dropFirst(code.count)
        }
        return codes
    }
}
