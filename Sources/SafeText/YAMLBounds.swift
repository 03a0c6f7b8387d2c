import Yams

/// Bounds on a YAML document, shared by dashboards and themes.
public enum YAMLBounds {
    /// Deepest nesting accepted. The composer recurses once per level, so a file of a million `[` would overflow the
    /// stack before any node count is reached; real dashboards nest about ten levels.
    public static let maxDepth = 128

    /// An upper bound of the nesting depth of `text`, read before parsing: per line, the indentation, compact
    /// sequence dashes (`- - - x`) and open flow brackets (outside quotes and comments), at the deepest line. It
    /// over-estimates (an indentation of 4 per level counts 4), which errs on the safe side.
    public static func depthEstimate(_ text: String) -> Int {
        var deepest = 0
        var flow = 0
        var quote: UInt8 = 0  // the open quote character, 0 outside quotes
        var lineStart = true
        var indent = 0
        var dashes = 0
        var comment = false
        var escaped = false
        var previous: UInt8 = 0x20
        for byte in text.utf8 {
            if byte == 0x0A {
                lineStart = true
                indent = 0
                dashes = 0
                comment = false
                previous = 0x20
                continue
            }
            if comment { continue }
            if lineStart {
                if byte == 0x20 {
                    if previous != 0x2D && previous != 0x3F { indent += 1 }  // the space after `- ` is no level
                    continue
                }
                if (byte == 0x2D || byte == 0x3F) && quote == 0 { dashes += 1; previous = byte; continue }  // - ?
                if byte == 0x09, previous == 0x2D || previous == 0x3F { continue }
                lineStart = false
            }
            if escaped {
                escaped = false
                previous = 0x41
                continue
            }
            switch byte {
            case 0x5C where quote == 0x22: escaped = true  // \ in a double-quoted string
            case 0x22, 0x27:  // " '
                // A quote opens a string only where a scalar starts (not the apostrophe of `Don't`).
                if quote == 0, [0x20, 0x09, 0x3A, 0x2C, 0x5B, 0x7B, 0x2D, 0x3F].contains(previous) {
                    quote = byte
                } else if quote == byte {
                    quote = 0
                }
            case 0x23 where quote == 0 && (previous == 0x20 || previous == 0x09): comment = true  // #
            case 0x5B where quote == 0, 0x7B where quote == 0: flow += 1  // [ {
            case 0x5D where quote == 0, 0x7D where quote == 0: flow = max(0, flow - 1)  // ] }
            default: break
            }
            previous = byte
            deepest = max(deepest, indent + dashes + flow)
        }
        return max(deepest, indent + dashes + flow)
    }

    /// The number of nodes of the tree with every alias expanded, counting no further than just past `limit`
    /// (an alias fan-out of a few KB would otherwise stand for millions of nodes).
    public static func nodeCount(_ root: Node, limit: Int) -> Int {
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            count += 1
            if count > limit { return count }
            switch node {
            case .scalar: break
            case .mapping(let mapping):
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            case .sequence(let sequence): stack.append(contentsOf: sequence)
            case .alias: break
            }
        }
        return count
    }
}
