import CYAML

/// A position in a YAML text, counted from 1.
public struct YAMLMark: Sendable, Equatable {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// What follows a file name in a message: `:3:7`, nothing without a mark.
    public static func suffix(_ mark: YAMLMark?) -> String { mark.map { ":\($0.line):\($0.column)" } ?? "" }
}

/// A scalar as written: its text, and whether it was written plain (unquoted, so `true` may be a boolean).
public struct YAMLScalar: Sendable, Equatable {
    public let string: String
    public let plain: Bool
    public let mark: YAMLMark

    public init(string: String, plain: Bool, mark: YAMLMark) {
        self.string = string
        self.plain = plain
        self.mark = mark
    }
}

/// A composed YAML node: aliases are expanded into copies of what they point at (bounded, see `YAMLDocument`).
public indirect enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case mapping([(key: YAMLNode, value: YAMLNode)], YAMLMark)
    case sequence([YAMLNode], YAMLMark)

    public var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .mapping(_, let mark), .sequence(_, let mark): mark
        }
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    /// The text of a scalar, nil for a collection.
    public var string: String? { scalar?.string }

    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs, _) = self { return pairs }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }

    /// The value under a scalar key of a mapping (the first, if written twice).
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.string == key }?.value
    }

    /// A boolean scalar: true/false, and YAML 1.1's yes/no/on/off, in any case.
    public var bool: Bool? {
        switch scalar?.string.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }
}

/// A YAML file refused: the message names the source, the line and column where known, and what was wrong.
public struct YAMLError: Error, Sendable, Equatable {
    public let message: String

    public init(message: String) { self.message = message }
}

/// Dashboards, themes and the config file are read through libyaml's event parser into `YAMLNode`s. The composer
/// keeps its own stack (no recursion, so nesting is bounded exactly, not estimated), and counts nodes as aliases
/// expand, so an alias fan-out of a few hundred bytes is refused long before it stands for a billion nodes.
public enum YAMLDocument {
    /// Deepest nesting accepted; real dashboards nest about ten levels.
    public static let maxDepth = 128

    /// The first document of `text`, nil for an empty stream. `source` names the file in errors.
    public static func compose(_ text: String, source: String, nodeLimit: Int = InputLimits.yamlNodes) throws(YAMLError) -> YAMLNode? {
        let shown = SafeText.clip(source, 200)
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return nil }
        var composer = Composer(nodeLimit: nodeLimit, maxDepth: maxDepth)
        let outcome: Result<YAMLNode?, Composer.Failure> = bytes.withUnsafeMutableBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return .failure(.init(mark: nil, what: "out of memory")) }
            defer { yaml_parser_delete(&parser) }
            guard let base = buffer.baseAddress else { return .success(nil) }
            yaml_parser_set_input_string(&parser, base, buffer.count)
            return composer.run(&parser, input: UnsafeBufferPointer(buffer))
        }
        switch outcome {
        case .success(let node): return node
        case .failure(let failure):
            let at = YAMLMark.suffix(failure.mark)
            throw YAMLError(message: "\(shown)\(at): \(failure.what)")
        }
    }
}

private struct Composer {
    struct Failure: Error {
        let mark: YAMLMark?
        let what: String
    }

    private enum Frame {
        case sequence(items: [YAMLNode], mark: YAMLMark, anchor: String?, size: Int)
        case mapping(pairs: [(key: YAMLNode, value: YAMLNode)], key: YAMLNode?, mark: YAMLMark, anchor: String?, size: Int)
    }

    let nodeLimit: Int
    let maxDepth: Int
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var expanded = 0
    private var root: YAMLNode?
    private var documents = 0

    init(nodeLimit: Int, maxDepth: Int) {
        self.nodeLimit = nodeLimit
        self.maxDepth = maxDepth
    }

    mutating func run(_ parser: inout yaml_parser_t, input: UnsafeBufferPointer<UInt8>) -> Result<YAMLNode?, Failure> {
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(Self.parseFailure(parser, input: input)) }
            defer { yaml_event_delete(&event) }
            let mark = YAMLMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            do throws(Failure) {
                switch event.type {
                case YAML_STREAM_END_EVENT, YAML_NO_EVENT:
                    return .success(root)
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 { throw Failure(mark: mark, what: "more than one YAML document (---); one is expected") }
                case YAML_SCALAR_EVENT:
                    let data = event.data.scalar
                    let value = Self.text(data.value, Int(data.length))
                    let node = YAMLNode.scalar(YAMLScalar(string: value, plain: data.style == YAML_PLAIN_SCALAR_STYLE, mark: mark))
                    try add(node, size: 1, anchor: Self.text(data.anchor))
                case YAML_ALIAS_EVENT:
                    let name = Self.text(event.data.alias.anchor) ?? ""
                    guard let target = anchors[name] else {
                        throw Failure(mark: mark, what: "not valid YAML: unknown alias '\(SafeText.clip(name, 60))'")
                    }
                    try add(target.node, size: target.size, anchor: nil)
                case YAML_SEQUENCE_START_EVENT:
                    try open(.sequence(items: [], mark: mark, anchor: Self.text(event.data.sequence_start.anchor), size: 1))
                case YAML_MAPPING_START_EVENT:
                    try open(.mapping(pairs: [], key: nil, mark: mark, anchor: Self.text(event.data.mapping_start.anchor), size: 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let frame = stack.popLast() else { break }
                    switch frame {
                    case .sequence(let items, let start, let anchor, let size):
                        try add(.sequence(items, start), size: size, anchor: anchor, counted: true)
                    case .mapping(let pairs, _, let start, let anchor, let size):
                        try add(.mapping(pairs, start), size: size, anchor: anchor, counted: true)
                    }
                default:
                    break
                }
            } catch {
                return .failure(error)
            }
        }
    }

    private mutating func open(_ frame: Frame) throws(Failure) {
        guard stack.count < maxDepth else { throw Failure(mark: nil, what: "nested deeper than \(maxDepth) levels, the limit") }
        try count(1)
        stack.append(frame)
    }

    private mutating func count(_ size: Int) throws(Failure) {
        expanded += size
        if expanded > nodeLimit { throw Failure(mark: nil, what: "more than \(nodeLimit) YAML nodes once aliases are expanded, the limit") }
    }

    /// Adds a finished node to the collection being composed (or makes it the root). A collection's own node was
    /// counted when it opened (`counted`); scalars and aliases count here.
    private mutating func add(_ node: YAMLNode, size: Int, anchor: String?, counted: Bool = false) throws(Failure) {
        if !counted { try count(size) }
        if let anchor { anchors[anchor] = (node, size) }
        guard let top = stack.popLast() else {
            root = node
            return
        }
        switch top {
        case .sequence(var items, let start, let anchor, let total):
            items.append(node)
            stack.append(.sequence(items: items, mark: start, anchor: anchor, size: total + size))
        case .mapping(var pairs, let key, let start, let anchor, let total):
            if let key {
                pairs.append((key, node))
                stack.append(.mapping(pairs: pairs, key: nil, mark: start, anchor: anchor, size: total + size))
            } else {
                stack.append(.mapping(pairs: pairs, key: node, mark: start, anchor: anchor, size: total + size))
            }
        }
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private static func parseFailure(_ parser: yaml_parser_t, input: UnsafeBufferPointer<UInt8>) -> Failure {
        let problem = parser.problem.map { String(cString: $0) } ?? "cannot be parsed"
        let context = parser.context.map { " " + String(cString: $0) } ?? ""
        var mark = YAMLMark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        if parser.error == YAML_READER_ERROR {
            // The reader says where in bytes; count the lines and characters before it.
            let offset = min(Int(parser.problem_offset), input.count)
            let before = input[..<offset]
            let lineStart = (before.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
            let line = before.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + 1
            let column = String(decoding: input[lineStart..<offset], as: UTF8.self).count + 1
            mark = YAMLMark(line: line, column: column)
        }
        return Failure(mark: mark, what: "not valid YAML: \(SafeText.sanitize(problem))\(SafeText.sanitize(context))")
    }
}
