#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file that came from somewhere else (a dashboard, a theme, a Grafana export, a token) with a size limit,
/// so a 50 MB file or a device that never ends cannot keep lookout busy. The error is one line naming the file and
/// what was wrong; the path is sanitised.
public enum BoundedFile {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        /// True when the file was larger than the limit (as opposed to unreadable).
        public var tooLarge: Bool
        public var description: String { message }
    }

    /// The file's bytes, at most `limit`; a larger file is an error that says so.
    public static func read(_ path: String, limit: Int, what: String = "file") throws(Failure) -> [UInt8] {
        let shown = SafeText.clip(path, 200)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw Failure(message: "\(shown): cannot read the \(what): \(String(cString: strerror(errno)))", tooLarge: false)
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw Failure(message: "\(shown): cannot read the \(what): it is a directory", tooLarge: false)
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    throw Failure(message: "\(shown): cannot read the \(what): not a regular file", tooLarge: false)
                }
                throw Failure(message: "\(shown): cannot read the \(what): \(String(cString: strerror(errno)))", tooLarge: false)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit {
                throw Failure(message: "\(shown): the \(what) is larger than \(describe(bytes: limit)), the limit", tooLarge: true)
            }
        }
        return bytes
    }

    /// The file as UTF-8 text (invalid bytes become U+FFFD), at most `limit` bytes.
    public static func text(_ path: String, limit: Int, what: String = "file") throws(Failure) -> String {
        String(decoding: try read(path, limit: limit, what: what), as: UTF8.self)
    }

    public static func describe(bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
