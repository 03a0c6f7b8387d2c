import Foundation
import Testing
import PrometheusModels
@testable import PrometheusAPI

/// Alertmanager's silences as its v2 API writes them (recorded from Debian's Alertmanager 0.25), the body lookout
/// posts, its errors, and how a cluster's answers are merged.
@Suite("Alertmanager silences")
struct SilenceDecodingTests {
    static let recorded = #"""
        [{"id":"5f0c2a71-6a4e-4d1c-9f55-0b1c9e1e2f3a","status":{"state":"active"},"updatedAt":"2026-11-25T14:03:19.280Z",
          "comment":"slow disk","createdBy":"alice@bastion","endsAt":"2026-11-25T15:03:19.280Z",
          "matchers":[{"isEqual":true,"isRegex":false,"name":"alertname","value":"HighLatency"},{"isEqual":false,"isRegex":true,"name":"service","value":"inv.*"}],
          "startsAt":"2026-11-25T14:03:19.280Z"},
         {"id":"bad","status":{"state":"sleeping"},"comment":"","createdBy":"","endsAt":"2026-11-25T15:03:19Z","matchers":[],"startsAt":"2026-11-25T14:03:19Z"},
         {"id":"old\u001b[31m","status":{"state":"expired"},"comment":"a\u0007b","createdBy":"bob","endsAt":"2026-11-25T13:03:19Z",
          "matchers":[{"name":"job","value":"x"}],"startsAt":"2026-11-25T12:03:19Z"}]
        """#

    @Test func silencesAreReadOneByOneAndWhatIsShownIsSanitised() throws {
        let list = try APIDecoding.alertmanager(LossyList<Silence>.self, status: 200, reason: "OK", body: Data(Self.recorded.utf8), url: "u")
        #expect(list.elements.map(\.id) == ["5f0c2a71-6a4e-4d1c-9f55-0b1c9e1e2f3a", "old"])
        #expect(list.failures.count == 1 && list.failures[0].contains("sleeping"))
        let first = list.elements[0]
        #expect(first.state == .active && first.createdBy == "alice@bastion")
        #expect(first.matcherText == #"alertname="HighLatency", service!~"inv.*""#)
        #expect(list.elements[1].comment == "ab" && list.elements[1].matchers[0].isEqual, "isEqual absent (before 0.22) means equal")
    }

    @Test func theDraftIsTheJSONAlertmanagerTakes() throws {
        let draft = SilenceDraft(
            matchers: [SilenceMatcher(name: "alertname", value: "HighErrorRate")], startsAt: Date(timeIntervalSince1970: 1_795_615_999),
            endsAt: Date(timeIntervalSince1970: 1_795_619_599), createdBy: "oncall@bastion", comment: "rolling back")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(draft), as: UTF8.self)
        #expect(json == #"{"comment":"rolling back","createdBy":"oncall@bastion","endsAt":"2026-11-25T15:13:19.000Z","matchers":[{"isEqual":true,"isRegex":false,"name":"alertname","value":"HighErrorRate"}],"startsAt":"2026-11-25T14:13:19.000Z"}"#)
    }

    @Test func alertmanagersOwnErrorIsTheLineShown() {
        #expect(throws: PrometheusError.api(errorType: "rejected", message: "silence invalid: at least one matcher required", httpStatus: 400)) {
            _ = try APIDecoding.alertmanager(SilenceCreated.self, status: 400, reason: "Bad Request",
                                             body: Data(#""silence invalid: at least one matcher required""#.utf8), url: "u")
        }
        let error = PrometheusError.api(errorType: "rejected", message: "silence invalid", httpStatus: 400)
        #expect(error.description == "rejected (HTTP 400): silence invalid")
        #expect(throws: PrometheusError.unexpectedResponse(url: "u", httpStatus: 401, reason: "Unauthorized", firstLine: "no")) {
            _ = try APIDecoding.alertmanager(SilenceCreated.self, status: 401, reason: "Unauthorized", body: Data("no".utf8), url: "u")
        }
    }

    static func alert(_ fingerprint: String, silencedBy: [String] = [], state: String = "active") throws -> AlertmanagerAlert {
        let json = #"{"fingerprint":"\#(fingerprint)","labels":{"alertname":"A"},"status":{"state":"\#(state)","silencedBy":\#(silencedBy),"inhibitedBy":[]}}"#
        return try JSONDecoder().decode(AlertmanagerAlert.self, from: Data(json.utf8))
    }

    @Test func aClustersAlertsAreMergedByFingerprintSuppressedWinning() throws {
        let merged = AlertmanagerCluster.mergeAlerts([
            [try Self.alert("f1"), try Self.alert("f2")],
            [try Self.alert("f2", silencedBy: ["s"], state: "suppressed"), try Self.alert("f3")],
        ])
        #expect(merged.map(\.fingerprint) == ["f1", "f2", "f3"])
        #expect(merged[1].status.silencedBy == ["s"] && merged[1].status.state == "suppressed",
                "a silence gossiped to one member already mutes the alert")
    }

    @Test func aClustersSilencesAreListedOnceTheLatestUpdateWinning() {
        func silence(_ id: String, updated: Double, comment: String) -> Silence {
            Silence(id: id, matchers: [], startsAt: .distantPast, endsAt: .distantFuture, updatedAt: Date(timeIntervalSince1970: updated),
                    createdBy: "a", comment: comment, state: .active)
        }
        let merged = AlertmanagerCluster.mergeSilences([
            [silence("1", updated: 10, comment: "old"), silence("2", updated: 5, comment: "two")],
            [silence("1", updated: 20, comment: "extended"), silence("3", updated: 1, comment: "three")],
        ])
        #expect(merged.map(\.id) == ["1", "2", "3"])
        #expect(merged[0].comment == "extended")
    }
}
