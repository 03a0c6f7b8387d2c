#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What lookout took from Foundation's NSString side, written against the standard library and libc, so that the
// binary links FoundationEssentials only (no ICU, whose data alone is 34 MB; README, "Install").

extension StringProtocol {
    /// Without the spaces and tabs at either end (Foundation's `trimmingCharacters(in: .whitespaces)`).
    public func trimmingSpaces() -> String { trimming { $0.isWhitespace && !$0.isNewline } }

    /// Without whitespace or line breaks at either end.
    public func trimmingSpacesAndNewlines() -> String { trimming { $0.isWhitespace } }

    /// Without line breaks at either end.
    public func trimmingNewlines() -> String { trimming { $0.isNewline } }

    private func trimming(_ drop: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// printf-style formatting of numbers (`%.3f`, `%02d`, `%.2g`, `%04X`) through the C library, in the C locale's
/// notation: lookout sets only `LC_CTYPE` from the environment, so a decimal point is always a point.
public func cFormat(_ format: String, _ arguments: CVarArg...) -> String {
    withVaList(arguments) { list in
        var buffer = [CChar](repeating: 0, count: 128)
        let needed = buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 128, format, list) }
        if needed < 0 { return "" }
        if needed < 128 { return String(decoding: buffer.prefix(Int(needed)).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return withVaList(arguments) { again in
            var large = [CChar](repeating: 0, count: Int(needed) + 1)
            _ = large.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, Int(needed) + 1, format, again) }
            return String(decoding: large.prefix(Int(needed)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

/// Writing to standard output or standard error, whole (short writes and interrupted calls are retried).
public enum StandardStream {
    case output, error

    public func write(_ text: String) {
        FileDescriptorText.write(text, to: self == .output ? 1 : 2)
    }
}

/// Text written to a file descriptor, whole.
public enum FileDescriptorText {
    public static func write(_ text: String, to fd: Int32) {
        Array(text.utf8).withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, base + offset, raw.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }
}

/// Paths as text.
public enum FilePath {
    /// The folder that holds `path` (`/a/b` → `/a`, `/a` → `/`, `b` → ``), as NSString's `deletingLastPathComponent`.
    public static func parent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }
}

/// Percent-encoding of URL parts: everything but ASCII letters, digits and the characters given is written `%XX`.
public enum PercentEncoding {
    public static func encode(_ text: String, keeping extra: String) -> String {
        let keep = Set(extra.utf8)
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            let alnum = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            if alnum || keep.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + cFormat("%02X", UInt32(byte))
            }
        }
        return out
    }

    /// `%XX` written back as bytes; nil when an escape is cut short or the result is not UTF-8.
    public static func decode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == 0x25 else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}

extension StringProtocol {
    /// Whether `other` occurs in this text, ignoring case (a filter typed by a person).
    public func containsIgnoringCase(_ other: some StringProtocol) -> Bool {
        other.isEmpty || lowercased().contains(other.lowercased())
    }
}
