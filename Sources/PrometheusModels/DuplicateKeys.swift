import FoundationEssentials
import Glibc
import SafeText

/// JSON allows an object to repeat a key. Go's decoder, and so Prometheus, Alertmanager and every Go client, keeps
/// the last value; Foundation's JSONDecoder keeps the first. `lastKeyWins` rewrites a JSON text so that every
/// decoder reads what Go reads: the earlier members of a repeated key are blanked out with spaces (the text stays
/// valid JSON, its length and offsets unchanged).
///
/// It is one linear pass with an explicit stack (no recursion, so no depth can overflow it). Text that is not
/// valid JSON is returned unchanged, for the decoder to report.
public enum DuplicateKeys {
    public static func lastKeyWins(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        guard let spans = duplicateSpans(bytes), !spans.isEmpty else { return data }
        for span in spans { for i in span where bytes.indices.contains(i) { bytes[i] = 0x20 } }
        return Data(bytes)
    }

    /// The byte ranges of members overridden by a later member of the same key; nil when the text is not JSON.
    static func duplicateSpans(_ bytes: [UInt8]) -> [Range<Int>]? {
        struct Object {
            /// Decoded key -> the range of its member so far (from the key's quote to just past the following comma).
            var members: [[UInt8]: Range<Int>] = [:]
            var currentKey: [UInt8] = []
            var currentStart = 0
        }
        enum Frame { case object(Object), array }
        var stack: [Frame] = []
        var spans: [Range<Int>] = []
        var i = 0
        let n = bytes.count

        func skipSpace() { while i < n, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 } }
        /// Reads a string at `i` (which is a quote); returns its decoded bytes when `decode`, else [].
        func string(decode: Bool) -> [UInt8]? {
            guard i < n, bytes[i] == 0x22 else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < n {
                let b = bytes[i]
                if b == 0x22 { i += 1; return out }
                if b < 0x20 { return nil }
                if b == 0x5C {
                    guard i + 1 < n else { return nil }
                    let e = bytes[i + 1]
                    switch e {
                    case 0x22, 0x5C, 0x2F: if decode { out.append(e) }; i += 2
                    case 0x62: if decode { out.append(0x08) }; i += 2
                    case 0x66: if decode { out.append(0x0C) }; i += 2
                    case 0x6E: if decode { out.append(0x0A) }; i += 2
                    case 0x72: if decode { out.append(0x0D) }; i += 2
                    case 0x74: if decode { out.append(0x09) }; i += 2
                    case 0x75:
                        guard i + 6 <= n, let unit = UInt16(String(decoding: bytes[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16) else {
                            return nil
                        }
                        // Surrogate halves are kept as their code units: equal escapes still compare equal.
                        if decode { out.append(contentsOf: [0x5C, 0x75, UInt8(unit >> 8), UInt8(unit & 0xFF)]) }
                        i += 6
                    default: return nil
                    }
                } else {
                    if decode { out.append(b) }
                    i += 1
                }
            }
            return nil
        }
        func scalarEnd() -> Bool {
            let start = i
            while i < n {
                let b = bytes[i]
                if b == 0x2C || b == 0x7D || b == 0x5D || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { break }
                i += 1
            }
            return i > start
        }

        /// After a value: close containers, or move to the next member or element.
        func afterValue() -> Bool {
            while true {
                skipSpace()
                guard let top = stack.last else { return true }
                guard i < n else { return false }
                let b = bytes[i]
                switch top {
                case .object(var object):
                    if b == 0x2C {
                        i += 1
                        object.members[object.currentKey] = object.currentStart..<i
                        stack[stack.count - 1] = .object(object)
                        return true  // a key comes next
                    }
                    guard b == 0x7D else { return false }
                    i += 1
                    stack.removeLast()
                case .array:
                    if b == 0x2C { i += 1; return true }
                    guard b == 0x5D else { return false }
                    i += 1
                    stack.removeLast()
                }
            }
        }

        // The grammar, driven by what the top frame expects next.
        var expectKey = false
        while true {
            skipSpace()
            guard i < n else { return stack.isEmpty ? spans : nil }
            if expectKey {
                guard case .object(var object)? = stack.last else { return nil }
                let start = i
                guard let key = string(decode: true) else { return nil }
                skipSpace()
                guard i < n, bytes[i] == 0x3A else { return nil }
                i += 1
                if let earlier = object.members[key] { spans.append(earlier) }
                object.currentKey = key
                object.currentStart = start
                stack[stack.count - 1] = .object(object)
                expectKey = false
                continue
            }
            // A value.
            guard stack.count < 10_000 else { return nil }
            switch bytes[i] {
            case 0x7B:
                i += 1
                stack.append(.object(Object()))
                skipSpace()
                if i < n, bytes[i] == 0x7D {
                    i += 1
                    stack.removeLast()
                } else {
                    expectKey = true
                    continue
                }
            case 0x5B:
                i += 1
                stack.append(.array)
                skipSpace()
                if i < n, bytes[i] == 0x5D {
                    i += 1
                    stack.removeLast()
                } else {
                    continue
                }
            case 0x22:
                guard string(decode: false) != nil else { return nil }
            default:
                guard scalarEnd() else { return nil }
            }
            if stack.isEmpty {
                skipSpace()
                return i == n ? spans : nil
            }
            guard afterValue() else { return nil }
            if stack.isEmpty {
                skipSpace()
                return i == n ? spans : nil
            }
            if case .object = stack.last { expectKey = true }
        }
    }
}
