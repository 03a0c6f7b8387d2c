import DashboardCore
import Foundation
import PrometheusModels
import Testing

/// `/api/v1/targets` read leniently and grouped: pools with trouble first, unhealthy targets first in each.
@Suite("Targets, grouped")
struct TargetGroupsTests {
    static let json = #"""
        {"activeTargets":[
          {"labels":{"instance":"b:1","job":"web","service":"b"},"scrapePool":"web","scrapeUrl":"http://b:1/metrics","health":"up","lastError":"","lastScrape":"2026-11-26T03:00:00.5Z","lastScrapeDuration":0.01},
          {"labels":{"instance":"a:1","job":"web","service":"a"},"scrapePool":"web","scrapeUrl":"http://a:1/metrics","health":"up","lastError":"","lastScrape":"0001-01-01T00:00:00Z"},
          {"labels":{"instance":"z:1","job":"api","service":"z"},"scrapePool":"api","scrapeUrl":"http://z:1/metrics","health":"down","lastError":"connect: connection refused\u001b[2J","lastScrapeDuration":"fast"},
          {"labels":"not labels","scrapePool":"odd","health":"sideways"},
          42
        ],"droppedTargets":[{"discoveredLabels":{"__address__":"x"}},{"nothing":1}]}
        """#

    @Test func oneOddTargetDoesNotHideTheOthersAndTroubleComesFirst() throws {
        let result = try JSONDecoder().decode(TargetsResult.self, from: Data(Self.json.utf8))
        #expect(result.activeTargets.count == 4, "the number 42 is skipped; the odd object is kept with what could be read")
        let groups = TargetGroups(result)
        #expect(groups.pools.map(\.name) == ["api", "odd", "web"], "pools with a target not up first")
        #expect(groups.pools[2].targets.map(\.instance) == ["a:1", "b:1"])
        let down = groups.targets[0]
        #expect(down.health == .down && down.lastError == "connect: connection refused", "escape sequences removed")
        #expect(down.scrapeDuration == nil)
        #expect(groups.targets[1].health == .unknown)
        #expect(groups.pools[2].targets[0].lastScrape == nil, "the zero time is never scraped")
        #expect(groups.dropped == 2)
        #expect(TargetGroups(result, services: ["z"]).targets.map(\.service) == ["z"])
    }
}
