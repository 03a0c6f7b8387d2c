import DashboardCore
import FoundationEssentials
import Glibc
import SafeText

/// The author of silences, remembered: `$XDG_STATE_HOME/lookout/author` (beside explore's history), one line, mode
/// 0600. Without it, `$USER@hostname`.
public struct AuthorFile: Sendable {
    public let path: String?
    /// The author to prefill: the one last used, else `$USER@hostname`.
    public let author: String

    public init(environment: [String: String], hostname: String = ProcessInfo.processInfo.hostName) {
        path = StateLine.path("author", environment: environment)
        author = path.flatMap(StateLine.read) ?? Silencing.defaultAuthor(environment: environment, hostname: hostname)
    }

    /// Keeps `author` for the next time; a problem in one line, or nil.
    public func save(_ author: String) -> String? {
        path.flatMap { StateLine.save(author, to: $0, what: "the author") }
    }
}

/// One line kept in the state folder (`$XDG_STATE_HOME/lookout/`, beside explore's history), mode 0600: the author of
/// silences, the current context.
public enum StateLine {
    public static func path(_ name: String, environment: [String: String]) -> String? {
        HistoryFile.path(environment: environment).map { FilePath.parent($0) + "/" + name }
    }

    /// The line, sanitised; nil when absent or empty.
    public static func read(_ path: String) -> String? {
        let text = (try? BoundedFile.text(path, limit: 4096, what: "state file"))
            .map { SafeText.clip($0.trimmingSpacesAndNewlines(), InputLimits.labelCharacters) }
        return text.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Writes the line; a problem in one line (naming `what`), or nil.
    public static func save(_ line: String, to path: String, what: String) -> String? {
        let folder = FilePath.parent(path)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let clean = SafeText.clip(line, InputLimits.labelCharacters)
            guard FileManager.default.createFile(atPath: path, contents: Data((clean + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                return "cannot keep \(what) in \(SafeText.sanitize(path))"
            }
            return nil
        } catch {
            return "cannot keep \(what) in \(SafeText.sanitize(path)): \(SafeText.clip("\(error)", 120))"
        }
    }
}

/// How the dashboard may treat silences.
public struct SilenceSettings: Sendable {
    public var readOnly: Bool
    public var author: AuthorFile?

    public init(readOnly: Bool = false, author: AuthorFile? = nil) {
        self.readOnly = readOnly
        self.author = author
    }
}
