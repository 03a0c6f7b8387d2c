import FoundationEssentials
import Glibc
import Logging
import SafeText
import Synchronization

/// A swift-log handler that appends lines to a file. The dashboard owns the terminal, so logs never go there:
/// without `--log-file` nothing is logged.
public struct FileLogHandler: LogHandler {
    final class Sink: Sendable {
        let fd: Mutex<Int32>
        init(_ fd: Int32) { self.fd = Mutex(fd) }
        func write(_ line: String) {
            fd.withLock { FileDescriptorText.write(line, to: $0) }
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
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LogFileError(message: "cannot write --log-file '\(SafeText.clip(path, 200))': \(String(cString: strerror(errno)))")
        }
        let sink = Sink(fd)
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
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var t = tm()
        gmtime_r(&seconds, &t)
        return cFormat(
            "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
            Int32(now.tv_nsec / 1_000_000))
    }
}
