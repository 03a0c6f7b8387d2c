import DashboardCore
import Foundation
import SafeText

/// The author of silences, remembered: `$XDG_STATE_HOME/lookout/author` (beside explore's history), one line, mode
/// 0600. Without it, `$USER@hostname`.
public struct AuthorFile: Sendable {
    public let path: String?
    /// The author to prefill: the one last used, else `$USER@hostname`.
    public let author: String

    public init(environment: [String: String], hostname: String = ProcessInfo.processInfo.hostName) {
        path = HistoryFile.path(environment: environment).map { ($0 as NSString).deletingLastPathComponent + "/author" }
        let saved = path.flatMap { try? BoundedFile.text($0, limit: 4096, what: "author file") }
            .map { SafeText.clip($0.trimmingCharacters(in: .whitespacesAndNewlines), InputLimits.labelCharacters) }
        author = saved.flatMap { $0.isEmpty ? nil : $0 } ?? Silencing.defaultAuthor(environment: environment, hostname: hostname)
    }

    /// Keeps `author` for the next time; a problem in one line, or nil.
    public func save(_ author: String) -> String? {
        guard let path else { return nil }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let clean = SafeText.clip(author, InputLimits.labelCharacters)
            guard FileManager.default.createFile(atPath: path, contents: Data((clean + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                return "cannot keep the author in \(SafeText.sanitize(path))"
            }
            return nil
        } catch {
            return "cannot keep the author in \(SafeText.sanitize(path)): \(SafeText.clip("\(error)", 120))"
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
