import FoundationEssentials
import Glibc
import SafeText

/// One matcher of an Alertmanager silence: `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"`.
public struct SilenceMatcher: Sendable, Equatable, Hashable, Codable {
    public var name: String
    public var value: String
    public var isRegex: Bool
    /// False for `!=` and `!~` (Alertmanager 0.22 and later; absent means equal).
    public var isEqual: Bool

    public init(name: String, value: String, isRegex: Bool = false, isEqual: Bool = true) {
        self.name = name
        self.value = value
        self.isRegex = isRegex
        self.isEqual = isEqual
    }

    private enum CodingKeys: String, CodingKey { case name, value, isRegex, isEqual }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        value = try c.decode(String.self, forKey: .value)
        isRegex = try c.decodeIfPresent(Bool.self, forKey: .isRegex) ?? false
        isEqual = try c.decodeIfPresent(Bool.self, forKey: .isEqual) ?? true
    }

    /// `=`, `!=`, `=~` or `!~`.
    public var op: String {
        switch (isEqual, isRegex) {
        case (true, false): return "="
        case (true, true): return "=~"
        case (false, false): return "!="
        case (false, true): return "!~"
        }
    }

    /// The matcher as Alertmanager's `filter` parameter takes it, unsanitised (it goes to the server, not a screen).
    public var filterText: String { name + op + Quote.quoted(value, Quote.go) }

    /// The matcher as Alertmanager and amtool write it (`service="payment-service"`), sanitised for display.
    public var text: String {
        SafeText.sanitize(name) + op + Quote.quoted(SafeText.sanitize(value), Quote.go)
    }
}

/// A silence of Alertmanager's `/api/v2/silences`.
public struct Silence: Sendable, Equatable, Decodable {
    public enum State: String, Sendable, Equatable, Decodable { case active, pending, expired }

    public var id: String
    public var matchers: [SilenceMatcher]
    public var startsAt: Date
    public var endsAt: Date
    public var updatedAt: Date?
    public var createdBy: String
    public var comment: String
    public var state: State

    public init(
        id: String, matchers: [SilenceMatcher], startsAt: Date, endsAt: Date, updatedAt: Date? = nil, createdBy: String,
        comment: String, state: State
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.comment = comment
        self.state = state
    }

    private enum CodingKeys: String, CodingKey { case id, matchers, startsAt, endsAt, updatedAt, createdBy, comment, status }
    private enum StatusKeys: String, CodingKey { case state }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // What is shown is sanitised here (an id, an author, a comment); matchers stay as they are, to be sent back
        // unchanged when the silence is extended, and are sanitised where they are shown (`text`).
        id = SafeText.sanitize(try c.decode(String.self, forKey: .id))
        matchers = try c.decode([SilenceMatcher].self, forKey: .matchers)
        func date(_ key: CodingKeys) throws -> Date {
            let text = try c.decode(String.self, forKey: key)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "'\(SafeText.clip(text, 40))' is not an RFC 3339 time")
            }
            return date
        }
        startsAt = try date(.startsAt)
        endsAt = try date(.endsAt)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt).flatMap(RFC3339.parse)
        createdBy = SafeText.sanitize(try c.decodeIfPresent(String.self, forKey: .createdBy) ?? "")
        comment = SafeText.sanitize(try c.decodeIfPresent(String.self, forKey: .comment) ?? "")
        let status = try c.nestedContainer(keyedBy: StatusKeys.self, forKey: .status)
        let stateText = try status.decode(String.self, forKey: .state)
        guard let state = State(rawValue: stateText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: status, debugDescription: "state '\(SafeText.clip(stateText, 40))' (expected active, pending or expired)")
        }
        self.state = state
    }

    /// `alertname="HighErrorRate", service="payment-service"`, sanitised.
    public var matcherText: String { matchers.map(\.text).joined(separator: ", ") }
}

/// What `POST /api/v2/silences` takes: a new silence, or (with `id`) a change to one.
public struct SilenceDraft: Sendable, Equatable, Encodable {
    public var id: String?
    public var matchers: [SilenceMatcher]
    public var startsAt: Date
    public var endsAt: Date
    public var createdBy: String
    public var comment: String

    public init(id: String? = nil, matchers: [SilenceMatcher], startsAt: Date, endsAt: Date, createdBy: String, comment: String) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
    }

    /// The same silence, ending later (`e` in the silence list): its matchers, author and comment kept.
    public init(extending silence: Silence, to endsAt: Date) {
        self.init(
            id: silence.id, matchers: silence.matchers, startsAt: silence.startsAt, endsAt: endsAt,
            createdBy: silence.createdBy, comment: silence.comment)
    }

    private enum CodingKeys: String, CodingKey { case id, matchers, startsAt, endsAt, createdBy, comment }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(matchers, forKey: .matchers)
        try c.encode(RFC3339.format(startsAt), forKey: .startsAt)
        try c.encode(RFC3339.format(endsAt), forKey: .endsAt)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(comment, forKey: .comment)
    }
}

/// A member of an Alertmanager cluster that did not answer, while another did.
public struct AlertmanagerMemberDown: Sendable, Equatable {
    /// `host:port`.
    public var member: String
    /// Why, in a few words (`connection refused`).
    public var reason: String

    public init(member: String, reason: String) {
        self.member = member
        self.reason = reason
    }

    /// "Alertmanager 127.0.0.1:9093 down (connection refused)", and without the reasons when `short`.
    public static func summary(_ down: [AlertmanagerMemberDown], short: Bool = false) -> String? {
        guard !down.isEmpty else { return nil }
        return "Alertmanager " + down.map { short ? "\($0.member) down" : "\($0.member) down (\($0.reason))" }.joined(separator: ", ")
    }
}

/// The answer to `POST /api/v2/silences`.
public struct SilenceCreated: Sendable, Equatable, Decodable {
    public var silenceID: String
}
