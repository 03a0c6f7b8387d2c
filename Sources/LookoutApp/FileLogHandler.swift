import Foundation
import Logging
import SafeText
import Synchronization

/// A swift-log handler that appends lines to a file. The dashboard owns the terminal, so logs never go there:
/// without `--log-file` nothing is logged.
public struct FileLogHandler: LogHandler {
    final class Sink: Sendable {
        let handle: Mutex<FileHandle>
        init(_ handle: FileHandle) { self.handle = Mutex(handle) }
        func write(_ line: String) {
            handle.withLock { $0.write(Data(line.utf8)) }
        }
    }

    private let sink: Sink
    private let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Opens (creating or appending to) the file; throws with the path when it cannot.
    public static func open(path: String) throws -> @Sendable (String) -> any LogHandler {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw LogFileError(message: "cannot create --log-file '\(path)'")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw LogFileError(message: "cannot write --log-file '\(path)'")
        }
        handle.seekToEndOfFile()
        let sink = Sink(handle)
        return { label in FileLogHandler(sink: sink, label: label) }
    }

    init(sink: Sink, label: String) {
        self.sink = sink
        self.label = label
    }

    public func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        // A log is read with cat and less: server text in it is untrusted like anywhere else.
        let line = SafeText.clip("\(event.message)\(meta)", 4 * InputLimits.messageCharacters)
        sink.write("\(RFC3339Clock.now()) \(event.level) \(label): \(line)\n")
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        log(event: LogEvent(level: level, message: message, metadata: metadata, source: source, file: file, function: function, line: line))
    }
}

public struct LogFileError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

enum RFC3339Clock {
    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}
