import Synchronization

/// The one redaction rule: no secret reaches an output (an error, a warning, a log line, the status bar, `config
/// view`, a report). Applied by `SafeText.clip`, so every bounded output of untrusted text goes through it; code that
/// builds a message from a URL a user typed redacts it with `url(_:)` first, before the message is cut (a cut inside
/// a password would leave no `@` to find).
///
/// What it hides:
/// - the user information of any `scheme://user:password@host` in the text: `user:***@` (`***@` when there is no
///   password: a token given as the user name);
/// - the credentials after `Bearer ` and `Basic `;
/// - every secret this process read (token and password files, environment variables, header values that are
///   secrets; `register(_:)`), wherever it appears, as `***`.
public enum Redaction {
    /// Shorter secrets are not searched for in free text (a one-letter password would hide that letter everywhere);
    /// the URL and header rules still hide them where they stand.
    public static let shortestSearched = 4
    public static let mask = "***"

    private static let known = Mutex<[String]>([])

    /// Remembers a secret read at run time, so that it is hidden in any text written from now on.
    public static func register(_ secret: String) {
        guard secret.count >= shortestSearched else { return }
        known.withLock { list in
            if !list.contains(secret) {
                list.append(secret)
                // Longest first: a secret that contains another is hidden whole.
                list.sort { $0.count > $1.count }
            }
        }
    }

    /// `text` with every secret this type knows of hidden.
    public static func redact(_ text: String) -> String {
        var out = text
        let secrets = known.withLock { $0 }
        for secret in secrets where out.contains(secret) {
            out = out.replacing(secret, with: mask)
        }
        if out.contains("://") { out = userInfo(in: out) }
        if out.contains("Bearer ") || out.contains("Basic ") { out = credentials(in: out) }
        return out
    }

    /// A URL as a user typed it (with or without a scheme), its user information hidden: for messages that quote it.
    public static func url(_ text: String) -> String {
        let start = text.firstRange(of: "://")?.upperBound ?? text.startIndex
        return hideUserInfo(in: text, authorityFrom: start)
    }

    /// Every `://user:password@` in free text.
    static func userInfo(in text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let marker = rest.firstRange(of: "://") {
            out += rest[..<marker.upperBound]
            let after = rest[marker.upperBound...]
            let end = after.firstIndex { " \t\n/?#'\"<>()[]{}".contains($0) } ?? after.endIndex
            let authority = String(after[..<end])
            out += hideUserInfo(in: authority, authorityFrom: authority.startIndex)
            rest = after[end...]
        }
        return out + rest
    }

    /// The authority starting at `start` (up to a slash, `?`, `#` or the end): user information before its last `@`
    /// hidden.
    private static func hideUserInfo(in text: String, authorityFrom start: String.Index) -> String {
        let tail = text[start...]
        let end = tail.firstIndex { "/?#".contains($0) } ?? tail.endIndex
        let authority = tail[..<end]
        guard let at = authority.lastIndex(of: "@") else { return text }
        let userInfo = authority[..<at]
        let hidden = userInfo.firstIndex(of: ":").map { userInfo[..<$0] + ":" + mask } ?? Substring(mask)
        return String(text[..<start]) + hidden + String(text[at...])
    }

    /// The word after `Bearer ` or `Basic ` (a token, base64 of user:password), up to a space or a quote.
    static func credentials(in text: String) -> String {
        var out = text
        for scheme in ["Bearer ", "Basic "] {
            var result = ""
            var rest = Substring(out)
            while let found = rest.firstRange(of: scheme) {
                result += rest[..<found.upperBound]
                let after = rest[found.upperBound...]
                let end = after.firstIndex { " \t\n'\"\\,;)]}".contains($0) } ?? after.endIndex
                if after.startIndex != end { result += mask }
                rest = after[end...]
            }
            out = result + rest
        }
        return out
    }
}
