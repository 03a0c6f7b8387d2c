import Foundation
import Testing
import TestSupport

/// `--help` reads as prose: the text above USAGE is wrapped by argument-parser alone (a paragraph is one line in the
/// source), lists keep their indentation, and every flag's help names what the flag takes.
@Suite("Help text")
struct HelpTextTests {
    static let commands: [[String]] = [
        [], ["watch"], ["snapshot"], ["query"], ["config"], ["config", "view"], ["config", "validate"], ["config", "contexts"],
        ["mock"], ["demo"], ["dashboard"], ["dashboard", "print"], ["dashboard", "export"], ["dashboard", "import"],
    ]
    /// argument-parser's width when stdout is not a terminal.
    static let width = 80

    /// The lines of a help's overview and discussion that break where the wrapper would not have: a line followed
    /// by one of the same paragraph whose first word would have fit after it, or a list item wrapped to column 0.
    static func hardBreaks(_ help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let top = lines.prefix { !$0.hasPrefix("USAGE:") }
        var found: [String] = []
        for (a, b) in zip(top, top.dropFirst()) where !a.isEmpty && !b.isEmpty {
            let aIndented = a.first == " "
            let bIndented = b.first == " "
            if aIndented && !bIndented {
                found.append("a list item wrapped to column 0: '\(b)' after '\(a)'")
            } else if !aIndented && !bIndented && !a.hasSuffix(":") {
                let word = b.split(separator: " ").first.map(String.init) ?? b
                // argument-parser keeps a line under the width: it breaks when the next word would reach it.
                if a.count + 1 + word.count < width { found.append("'\(a)' / '\(b)'") }
            }
        }
        return found
    }

    @Test func theRuleFindsAHardBreak() {
        #expect(!Self.hardBreaks("OVERVIEW: x\n\nThe server comes from --url, else the last one\nchosen with :ctx.\n\nUSAGE: x").isEmpty)
        #expect(!Self.hardBreaks("Exit codes:\n  64 bad flags, or a PromQL parse error (with a caret under the position on\nstderr)\nUSAGE:").isEmpty)
        #expect(Self.hardBreaks("Scenarios:\n  calm  nothing\n  outage  down\n\nA long paragraph that the wrapper broke because the next word was far too\nextraordinarily-long-word.\nUSAGE:").isEmpty)
    }

    @Test(arguments: commands)
    func paragraphsFlow(_ command: [String]) async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let result = try await runCommand(binary, command + ["--help"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("USAGE:"))
        #expect(Self.hardBreaks(result.stdout) == [], "lookout \(command.joined(separator: " ")) --help")
    }

    /// What each flag takes, as the code takes it: the snapshot's outputs, the dashboard's names, the ranges.
    @Test func flagsNameWhatTheyTake() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let snapshot = try await runCommand(binary, ["snapshot", "--help"]).stdout
        #expect(snapshot.contains("svg") && snapshot.contains("html"))
        let watch = try await runCommand(binary, ["watch", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(watch.contains("--dashboard <name|file>"), "\(watch)")
        #expect(watch.contains("from 1m to 366d"))
        #expect(!watch.contains("24h"), "+ steps to 1d, and the help says so")
    }

    /// `--version` is the tree's: make writes it before every build (`make test` too), and a build without make says
    /// how to get one.
    @Test func theVersionIsKnown() async throws {
        let binary = try #require(Repository.builtProduct("lookout")).path
        let version = try await runCommand(binary, ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let header = Repository.root.appendingPathComponent("Sources/CBuildInfo/version.h")
        if let text = try? String(contentsOf: header, encoding: .utf8) {
            let written = text.split(separator: "\"").dropFirst().first.map(String.init)
            #expect(version == written, "--version says \(version), version.h \(text)")
            #expect(version.first?.isNumber == true)
        } else {
            #expect(version.hasPrefix("unknown (built without make"))
        }
    }
}
