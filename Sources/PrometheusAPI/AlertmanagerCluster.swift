import FoundationEssentials
import Glibc
import SafeText

/// The Alertmanagers of one HA cluster (`--alertmanager-url`, repeated). Reads ask every member at once and merge
/// what answers: alerts by fingerprint, silences by id (the latest update wins). A member that is down is named, and
/// is no error while another answers. Writes go to the first member that answers; the cluster gossips them on.
public final class AlertmanagerCluster: Sendable {
    public let members: [PrometheusClient]

    public init(members: [PrometheusClient]) {
        self.members = members
    }

    public func shutdown() async {
        for member in members { await member.shutdown() }
    }

    /// What the members that answered said, merged, and the members that did not answer.
    public struct Answer<Value: Sendable>: Sendable {
        public var value: Value
        /// Each member that could not be read, with why.
        public var down: [AlertmanagerMemberDown]
    }

    /// Every member's alerts, one copy of each (by fingerprint), with the lines that could not be read.
    public func alerts() async throws -> Answer<LossyList<AlertmanagerAlert>> {
        let answers = try await everyMember { try await $0.alertmanagerAlerts() }
        var merged = answers.value.first ?? LossyList<AlertmanagerAlert>(elements: [], failures: [])
        merged.elements = Self.mergeAlerts(answers.value.map(\.elements))
        merged.failures = Array(Set(answers.value.flatMap(\.failures))).sorted()
        return Answer(value: merged, down: answers.down)
    }

    /// Every member's silences, one of each (by id).
    public func silences() async throws -> Answer<[Silence]> {
        let answers = try await everyMember { try await $0.silences().elements }
        return Answer(value: Self.mergeSilences(answers.value), down: answers.down)
    }

    /// The alerts that the matchers select, from the first member that answers.
    public func alerts(matching matchers: [SilenceMatcher]) async throws -> [AlertmanagerAlert] {
        try await firstAnswering { try await $0.alertmanagerAlerts(filter: matchers).elements }
    }

    /// Creates or changes a silence on the first member that answers; returns its id.
    public func saveSilence(_ draft: SilenceDraft) async throws -> String {
        try await firstAnswering { try await $0.saveSilence(draft) }
    }

    /// Expires a silence on the first member that answers.
    public func expireSilence(id: String) async throws {
        try await firstAnswering { try await $0.expireSilence(id: id) }
    }

    // MARK: - Merging (pure)

    /// One alert per fingerprint, in the order they first appear; a copy that is suppressed on one member and
    /// active on another (gossip not yet through) counts as suppressed, with every silence that mutes it.
    public static func mergeAlerts(_ lists: [[AlertmanagerAlert]]) -> [AlertmanagerAlert] {
        var order: [String] = []
        var byIdentity: [String: AlertmanagerAlert] = [:]
        for alert in lists.joined() {
            let key = alert.identity
            guard var existing = byIdentity[key] else {
                byIdentity[key] = alert
                order.append(key)
                continue
            }
            for id in alert.status.silencedBy where !existing.status.silencedBy.contains(id) { existing.status.silencedBy.append(id) }
            for id in alert.status.inhibitedBy where !existing.status.inhibitedBy.contains(id) { existing.status.inhibitedBy.append(id) }
            if alert.status.state == "suppressed" { existing.status.state = "suppressed" }
            byIdentity[key] = existing
        }
        return order.compactMap { byIdentity[$0] }
    }

    /// One silence per id: the most recently updated copy.
    public static func mergeSilences(_ lists: [[Silence]]) -> [Silence] {
        var order: [String] = []
        var byID: [String: Silence] = [:]
        for silence in lists.joined() {
            if let existing = byID[silence.id] {
                if (silence.updatedAt ?? .distantPast) > (existing.updatedAt ?? .distantPast) { byID[silence.id] = silence }
            } else {
                byID[silence.id] = silence
                order.append(silence.id)
            }
        }
        return order.compactMap { byID[$0] }
    }

    // MARK: - Asking members

    /// Asks every member at once; throws the first member's error when none answered.
    private func everyMember<T: Sendable>(_ ask: @escaping @Sendable (PrometheusClient) async throws -> T) async throws -> Answer<[T]> {
        let results = await withTaskGroup(of: (Int, Result<T, PrometheusError>).self) { group in
            for (index, member) in members.enumerated() {
                group.addTask {
                    do {
                        return (index, .success(try await ask(member)))
                    } catch {
                        return (index, .failure(Self.asPrometheusError(error, member)))
                    }
                }
            }
            var results: [(Int, Result<T, PrometheusError>)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }
        }
        var values: [T] = []
        var down: [AlertmanagerMemberDown] = []
        for (index, result) in results {
            switch result {
            case .success(let value): values.append(value)
            case .failure(let error): down.append(AlertmanagerMemberDown(member: members[index].options.displayHost, reason: error.shortReason))
            }
        }
        if values.isEmpty, let first = results.lazy.compactMap({ $0.1.failure }).first { throw first }
        return Answer(value: values, down: down)
    }

    /// Asks the members in turn until one answers: a member that cannot be reached passes the question on, one that
    /// answers with an error (a 400 for a bad silence) ends it.
    private func firstAnswering<T: Sendable>(_ ask: @Sendable (PrometheusClient) async throws -> T) async throws -> T {
        var firstError: PrometheusError?
        for member in members {
            do {
                return try await ask(member)
            } catch {
                let error = Self.asPrometheusError(error, member)
                guard error.isConnectionFailure else { throw error }
                firstError = firstError ?? error
            }
        }
        throw firstError ?? PrometheusError.transport(url: "", reason: "no Alertmanager configured")
    }

    static func asPrometheusError(_ error: any Error, _ member: PrometheusClient) -> PrometheusError {
        (error as? PrometheusError) ?? .transport(url: member.url(for: "/api/v2"), reason: clip("\(error)", 160))
    }
}
