import Foundation
@testable import FuzzEntryPoints
import Testing

/// Every input in Fuzz/corpus (the seeds) and Fuzz/crashes (what the fuzzer once found) runs through its target:
/// a crash found once stays fixed.
@Suite("Fuzz corpora and crashes")
struct FuzzCorpusTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func files(_ folder: String) -> [URL] {
        let root = fuzzFolder.appendingPathComponent(folder)
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
    }

    /// A broken invariant is a failed expectation of the replay, with its message, not a trap of the test process.
    @Test func aBrokenInvariantIsReportedNotATrap() {
        #expect(FuzzTargets.violations("no-such-target", []) == nil)
        #expect(FuzzTargets.violations("safetext", Array("plain".utf8)) == [])
        let broken = FuzzTargets.$violationLog.withValue(ViolationLog()) { () -> [String] in
            FuzzTargets.require(false, "a test's own broken invariant")
            return FuzzTargets.violationLog?.entries ?? []
        }
        #expect(broken == ["a test's own broken invariant"])
    }

    @Test func everyTargetHasSeeds() {
        for target in FuzzTargets.names {
            #expect(!Self.files("corpus/\(target)").isEmpty, "no seed for \(target)")
        }
    }

    @Test func everySeedRunsThroughItsTarget() throws {
        for target in FuzzTargets.names {
            for file in Self.files("corpus/\(target)") {
                let broken = FuzzTargets.violations(target, [UInt8](try Data(contentsOf: file)))
                #expect(broken == [], "\(file.lastPathComponent) through \(target)")
            }
        }
    }

    /// Crash files are named `<target>-crash-<hash>` (or `-timeout-`, `-oom-`) by scripts/fuzz.sh.
    @Test func everyCrashFoundStaysFixed() throws {
        for file in Self.files("crashes") {
            let name = file.lastPathComponent
            let target = try #require(FuzzTargets.names.first { name.hasPrefix($0 + "-") }, "\(name) names no target")
            let broken = FuzzTargets.violations(target, [UInt8](try Data(contentsOf: file)))
            #expect(broken == [], "\(name) through \(target)")
        }
    }
}
