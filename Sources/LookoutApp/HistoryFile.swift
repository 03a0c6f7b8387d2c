import FoundationEssentials
import Glibc
import SafeText
import Synchronization

/// Explore's history on disk: `$XDG_STATE_HOME/lookout/history` (default `~/.local/state/lookout/history`), one
/// query a line, the newest last, at most 1,000, mode 0600. When the folder cannot be written the history lives in
/// memory only and `problem` says why, once.
public final class HistoryFile: Sendable {
    public let path: String?
    public static let limit = 1000
    /// Why the history is not kept on disk (nil when it is).
    public var problem: String? { state.withLock { $0.failure } }
    private let state: Mutex<(failure: String?, entries: [String])>

    /// The history file for this environment.
    public static func path(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/lookout/history"
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.local/state/lookout/history"
    }

    public init(path: String?) {
        self.path = path
        var failure: String?
        var entries: [String] = []
        if let path {
            if FileManager.default.fileExists(atPath: path) {
                do {
                    let text = try BoundedFile.text(path, limit: 4 << 20, what: "history file")
                    entries = text.split(separator: "\n").map { SafeText.sanitize(String($0)) }.filter { !$0.isEmpty }.suffix(Self.limit).map { $0 }
                } catch {
                    failure = "history in memory only: \(error.description)"
                }
            }
        } else {
            failure = "history in memory only: neither XDG_STATE_HOME nor HOME is set"
        }
        state = Mutex((failure, entries))
    }

    public var queries: [String] { state.withLock { $0.entries } }

    /// Adds a query (an earlier copy moves to the end) and writes the file; a failure is kept in `problem`, the
    /// history goes on in memory, and the problem is returned this once.
    @discardableResult
    public func append(_ query: String) -> String? {
        let line = query.replacing("\n", with: " ")
        let snapshot: [String] = state.withLock { state in
            state.entries.removeAll { $0 == line }
            state.entries.append(line)
            if state.entries.count > Self.limit { state.entries.removeFirst(state.entries.count - Self.limit) }
            return state.entries
        }
        guard let path, problem == nil else { return nil }
        do {
            let folder = FilePath.parent(path)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let temporary = path + ".tmp-\(getpid())"
            let data = Data((snapshot.joined(separator: "\n") + "\n").utf8)
            guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission)
            }
            guard rename(temporary, path) == 0 else {
                unlink(temporary)
                throw CocoaError(.fileWriteUnknown)
            }
        } catch {
            let message = "history in memory only: cannot write \(SafeText.clip(path, 200))"
            state.withLock { $0.failure = message }
            return message
        }
        return nil
    }
}
