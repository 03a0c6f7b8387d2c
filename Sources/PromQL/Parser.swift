/// A recursive-descent PromQL parser with Prometheus' operator precedence, type checks and error wording.
///
/// Untrusted input never crashes it: nesting deeper than `maxDepth` (parentheses, function calls or long operator
/// chains alike) is an error, and so is anything the mock does not evaluate (`offset`, `@`, subqueries,
/// `group_left`, functions such as `predict_linear`), named in the message.
public struct Parser {
    /// Deepest expression tree accepted.
    public static let maxDepth = 64

    private let query: String
    private let tokens: [LexedToken]
    private var index = 0
    private var depth = 0

    private typealias Parsed = (expr: Expr, height: Int)

    private init(_ query: String) {
        self.query = query
        tokens = Lexer.tokenize(query)
    }

    /// Parses a whole query.
    public static func parse(_ query: String) throws(ParseError) -> Expr {
        var parser = Parser(query)
        return try parser.parseQuery()
    }

    /// Parses a series selector (`match[]` of `/api/v1/series`): only `metric{…}` is allowed.
    public static func parseSelector(_ query: String) throws(ParseError) -> VectorSelector {
        let expr = try parse(query)
        guard case .selector(let selector) = expr else {
            throw ParseError(offset: expr.position.start, message: "expected a series selector, got \(expr.type.rawValue)", query: query)
        }
        return selector
    }

    // MARK: - Tokens

    private var current: LexedToken { tokens[min(index, tokens.count - 1)] }

    private var next: LexedToken? { index + 1 < tokens.count ? tokens[index + 1] : nil }

    @discardableResult
    private mutating func advance() -> LexedToken {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func error(_ message: String, at offset: Int) -> ParseError {
        ParseError(offset: offset, message: message, query: query)
    }

    /// An error for the current token; a lexer error is reported as itself.
    private func unexpected(_ context: String = "") -> ParseError {
        let token = current
        if case .error(let message) = token.token { return error(message, at: token.start) }
        return error("unexpected \(Parser.describe(token.token))\(context)", at: token.start)
    }

    /// Prometheus' description of a token in "unexpected …" messages.
    package static func describe(_ token: Token) -> String {
        switch token {
        case .eof: return "end of input"
        case .identifier(let name):
            if Lexer.keywords.contains(name.lowercased()) { return "<\(name)>" }
            if Lexer.aggregators.contains(name.lowercased()) { return "<aggr:\(name)>" }
            return "identifier \(goQuote(name))"
        case .metricIdentifier(let name): return "metric identifier \(goQuote(name))"
        case .number(_, let text): return "number \(goQuote(text))"
        case .string(_, let text): return "string \(goQuote(text))"
        case .duration(_, let text): return "duration \(goQuote(text))"
        case .leftParen: return "\"(\""
        case .rightParen: return "\")\""
        case .leftBrace: return "\"{\""
        case .rightBrace: return "\"}\""
        case .leftBracket: return "\"[\""
        case .rightBracket: return "\"]\""
        case .comma: return "\",\""
        case .colon: return "\":\""
        case .assign: return "\"=\""
        case .at: return "<@>"
        case .op(let op): return "<op:\(op.rawValue)>"
        case .matchOp(let op): return "<op:\(op.rawValue)>"
        case .error(let message): return message
        }
    }

    private func isIdentifier(_ word: String) -> Bool {
        if case .identifier(let name) = current.token, name == word { return true }
        return false
    }

    private mutating func expect(_ token: Token, _ context: String) throws(ParseError) -> LexedToken {
        guard current.token == token else { throw unexpected(context) }
        return advance()
    }

    // MARK: - Expressions

    private mutating func parseQuery() throws(ParseError) -> Expr {
        if case .eof = current.token { throw error("no expression found in input", at: 0) }
        let parsed = try parseExpr(minPrecedence: 0)
        guard case .eof = current.token else { throw unexpected() }
        return parsed.expr
    }

    private mutating func enter() throws(ParseError) {
        depth += 1
        if depth > Parser.maxDepth {
            throw error("expression nests too deeply (more than \(Parser.maxDepth) levels)", at: current.start)
        }
    }

    private func checkHeight(_ height: Int, _ position: PositionRange) throws(ParseError) {
        if height > Parser.maxDepth {
            throw error("expression nests too deeply (more than \(Parser.maxDepth) levels)", at: position.start)
        }
    }

    private mutating func parseExpr(minPrecedence: Int) throws(ParseError) -> Parsed {
        try enter()
        defer { depth -= 1 }
        var lhs = try parseUnary()
        while case .op(let op) = current.token, op.precedence >= minPrecedence {
            let opToken = advance()
            var returnBool = false
            if isIdentifier("bool") {
                advance()
                returnBool = true
            }
            var matching: Grouping?
            if isIdentifier("on") || isIdentifier("ignoring") {
                let excluding = isIdentifier("ignoring")
                advance()
                matching = Grouping(labels: try parseLabelList(), excluding: excluding)
            }
            if isIdentifier("group_left") || isIdentifier("group_right") {
                if case .identifier(let name) = current.token {
                    throw error("unsupported vector matching \(goQuote(name)) (many-to-one matching)", at: current.start)
                }
            }
            let rhs = try parseExpr(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = try makeBinary(op, lhs, rhs, returnBool: returnBool, matching: matching, opToken: opToken)
        }
        return lhs
    }

    private func makeBinary(
        _ op: BinaryOperator, _ lhs: Parsed, _ rhs: Parsed, returnBool: Bool, matching: Grouping?, opToken: LexedToken
    ) throws(ParseError) -> Parsed {
        let position = PositionRange(start: lhs.expr.position.start, end: rhs.expr.position.end)
        for side in [lhs.expr, rhs.expr] where side.type != .scalar && side.type != .vector {
            throw error("binary expression must contain only scalar and instant vector types", at: side.position.start)
        }
        let bothScalar = lhs.expr.type == .scalar && rhs.expr.type == .scalar
        if returnBool && !op.isComparison {
            throw error("bool modifier can only be used on comparison operators", at: opToken.start)
        }
        if op.isComparison && !returnBool && bothScalar {
            throw error("comparisons between scalars must use BOOL modifier", at: opToken.start)
        }
        if op.isSetOperator && (lhs.expr.type == .scalar || rhs.expr.type == .scalar) {
            throw error("set operator \(goQuote(op.rawValue)) not allowed in binary scalar expression", at: position.start)
        }
        if matching != nil && (lhs.expr.type != .vector || rhs.expr.type != .vector) {
            throw error("vector matching only allowed between instant vectors", at: position.start)
        }
        let height = max(lhs.height, rhs.height) + 1
        try checkHeight(height, position)
        return (.binary(op, lhs.expr, rhs.expr, returnBool: returnBool, matching: matching, position), height)
    }

    private mutating func parseUnary() throws(ParseError) -> Parsed {
        guard case .op(let op) = current.token, op == .sub || op == .add else { return try parsePostfix() }
        let start = advance().start
        let operand = try parseExpr(minPrecedence: BinaryOperator.pow.precedence)
        let type = operand.expr.type
        guard type == .scalar || type == .vector else {
            throw error(
                "unary expression only allowed on expressions of type scalar or instant vector, got \(goQuote(type.rawValue))",
                at: start)
        }
        let position = PositionRange(start: start, end: operand.expr.position.end)
        if op == .add { return operand }
        if case .number(let value, _) = operand.expr { return (.number(-value, position), operand.height) }
        let height = operand.height + 1
        try checkHeight(height, position)
        return (.negate(operand.expr, position), height)
    }

    private mutating func parsePostfix() throws(ParseError) -> Parsed {
        var parsed = try parsePrimary()
        while true {
            switch current.token {
            case .leftBracket:
                let bracket = advance()
                guard case .selector(let selector) = parsed.expr else {
                    throw error("ranges only allowed for vector selectors", at: bracket.start)
                }
                guard case .duration(let range, _) = current.token else { throw unexpected(" in range, expected duration") }
                advance()
                if case .colon = current.token {
                    throw error("unsupported: subqueries (expr[range:resolution]) are not evaluated by the mock", at: bracket.start)
                }
                let close = try expect(.rightBracket, " in range, expected \"]\"")
                let position = PositionRange(start: selector.position.start, end: close.end)
                parsed = (.matrix(selector, rangeMilliseconds: range, position), parsed.height + 1)
            case .identifier(let word) where word == "offset":
                throw error("unsupported: the offset modifier is not evaluated by the mock", at: current.start)
            case .at:
                throw error("unsupported: the @ modifier is not evaluated by the mock", at: current.start)
            default:
                return parsed
            }
        }
    }

    private mutating func parsePrimary() throws(ParseError) -> Parsed {
        let token = current
        switch token.token {
        case .number(let value, _):
            advance()
            return (.number(value, PositionRange(start: token.start, end: token.end)), 1)
        case .string(let value, _):
            advance()
            return (.string(value, PositionRange(start: token.start, end: token.end)), 1)
        case .leftParen:
            advance()
            let inner = try parseExpr(minPrecedence: 0)
            let close = try expect(.rightParen, "")
            let position = PositionRange(start: token.start, end: close.end)
            let height = inner.height + 1
            try checkHeight(height, position)
            return (.paren(inner.expr, position), height)
        case .leftBrace:
            return (.selector(try parseSelector(name: nil, start: token.start)), 1)
        case .metricIdentifier(let name):
            advance()
            return (.selector(try parseSelector(name: name, start: token.start)), 1)
        case .identifier(let name):
            if Lexer.aggregators.contains(name) { return try parseAggregation(name) }
            if Lexer.keywords.contains(name) { throw unexpected() }
            if let next, next.token == .leftParen { return try parseCall(name) }
            advance()
            return (.selector(try parseSelector(name: name, start: token.start)), 1)
        default:
            throw unexpected()
        }
    }

    /// Comma-separated expressions up to (not including) the closing parenthesis of a call or an aggregation.
    private mutating func parseArguments() throws(ParseError) -> [Parsed] {
        var arguments: [Parsed] = []
        guard current.token != .rightParen else { return arguments }
        while true {
            arguments.append(try parseExpr(minPrecedence: 0))
            guard current.token == .comma else { return arguments }
            advance()
        }
    }

    private mutating func parseCall(_ name: String) throws(ParseError) -> Parsed {
        let nameToken = advance()
        advance()  // (
        let arguments = try parseArguments()
        let close = try expect(.rightParen, " in function call, expected \",\" or \")\"")
        let position = PositionRange(start: nameToken.start, end: close.end)
        // As in Prometheus, the name is checked once the call is complete.
        guard let signature = Functions.supported[name] else {
            if Functions.unsupported.contains(name) {
                throw error("unsupported function \(goQuote(name))", at: nameToken.start)
            }
            throw error("unknown function with name \(goQuote(name))", at: nameToken.start)
        }
        let required = signature.arguments.count - signature.optional
        if arguments.count < required || arguments.count > signature.arguments.count {
            let expected = signature.optional == 0
                ? "\(required)" : (arguments.count < required ? "at least \(required)" : "at most \(signature.arguments.count)")
            throw error(
                "expected \(expected) argument(s) in call to \(goQuote(name)), got \(arguments.count)", at: position.start)
        }
        for (argument, type) in zip(arguments, signature.arguments) where argument.expr.type != type {
            throw error(
                "expected type \(type.rawValue) in call to function \(goQuote(name)), got \(argument.expr.type.rawValue)",
                at: argument.expr.position.start)
        }
        let height = (arguments.map(\.height).max() ?? 0) + 1
        try checkHeight(height, position)
        return (.call(name: name, arguments: arguments.map(\.expr), position), height)
    }

    private mutating func parseAggregation(_ name: String) throws(ParseError) -> Parsed {
        let nameToken = advance()
        guard Functions.supportedAggregations.contains(name) else {
            throw error("unsupported aggregation \(goQuote(name))", at: nameToken.start)
        }
        var grouping: Grouping?
        if isIdentifier("by") || isIdentifier("without") {
            let excluding = isIdentifier("without")
            advance()
            grouping = Grouping(labels: try parseLabelList(), excluding: excluding)
        }
        _ = try expect(.leftParen, " in aggregation, expected \"(\"")
        let arguments = try parseArguments()
        var close = try expect(.rightParen, " in aggregation, expected \",\" or \")\"")
        guard arguments.count == 1, let argument = arguments.first else {
            throw error(
                "wrong number of arguments for aggregate expression provided, expected 1, got \(arguments.count)",
                at: nameToken.start)
        }
        if grouping == nil, isIdentifier("by") || isIdentifier("without") {
            let excluding = isIdentifier("without")
            advance()
            grouping = Grouping(labels: try parseLabelList(), excluding: excluding)
            close = tokens[max(0, index - 1)]
        }
        guard argument.expr.type == .vector else {
            throw error(
                "expected type instant vector in aggregation expression, got \(argument.expr.type.rawValue)",
                at: argument.expr.position.start)
        }
        let position = PositionRange(start: nameToken.start, end: close.end)
        let height = argument.height + 1
        try checkHeight(height, position)
        return (.aggregate(name: name, argument: argument.expr, grouping: grouping, position), height)
    }

    /// `(a, b, c)` of `by`, `without`, `on` and `ignoring`. Keywords are fine as label names.
    private mutating func parseLabelList() throws(ParseError) -> [String] {
        _ = try expect(.leftParen, " in grouping opts, expected \"(\"")
        var labels: [String] = []
        while true {
            if current.token == .rightParen {
                advance()
                return labels
            }
            guard case .identifier(let label) = current.token else {
                throw unexpected(" in grouping opts, expected label")
            }
            advance()
            labels.append(label)
            switch current.token {
            case .comma: advance()
            case .rightParen: break
            default: throw unexpected(" in grouping opts, expected \")\" or \",\"")
            }
        }
    }

    private mutating func parseSelector(name: String?, start: Int) throws(ParseError) -> VectorSelector {
        var matchers: [LabelMatcher] = []
        var end = tokens[max(0, index - 1)].end
        if current.token == .leftBrace {
            advance()
            while current.token != .rightBrace {
                let labelToken = current
                guard case .identifier(let label) = labelToken.token else {
                    throw unexpected(" in label matching, expected identifier or \"}\"")
                }
                advance()
                guard case .matchOp(let op) = current.token else {
                    throw unexpected(" in label matching, expected label matching operator")
                }
                advance()
                guard case .string(let value, _) = current.token else {
                    throw unexpected(" in label matching, expected string")
                }
                advance()
                do {
                    matchers.append(try LabelMatcher(name: label, op: op, value: value))
                } catch let failure as LinearRegex.SyntaxError {
                    throw self.error("error parsing regexp: \(failure.message): \(goQuote(value))", at: labelToken.start)
                } catch {
                    throw self.error("error parsing regexp: \(goQuote(value)) is not a valid regular expression", at: labelToken.start)
                }
                switch current.token {
                case .comma: advance()
                case .rightBrace: break
                default: throw unexpected(" in label matching, expected \",\" or \"}\"")
                }
            }
            end = advance().end
        }
        if let name {
            if let set = matchers.first(where: { $0.name == "__name__" }) {
                throw error("metric name must not be set twice: \(goQuote(name)) or \(goQuote(set.value))", at: start)
            }
            do {
                matchers.append(try LabelMatcher(name: "__name__", op: .equal, value: name))
            } catch {
                throw self.error("bad metric name", at: start)
            }
        } else if !matchers.contains(where: { !$0.matches("") }) {
            throw error("vector selector must contain at least one non-empty matcher", at: start)
        }
        return VectorSelector(name: name, matchers: matchers, position: PositionRange(start: start, end: end))
    }
}
