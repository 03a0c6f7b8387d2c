import SafeText
import Testing

/// The YAML composer over libyaml: what dashboards, themes and the config file are read with.
@Suite("YAML documents")
struct YAMLDocumentTests {
    @Test func composesMappingsSequencesAndScalarsWithTheirPositions() throws {
        let yaml = "title: Services\npanels:\n  - title: 'Up'\n    wide: true\n  - {title: \"Rate\", targets: [a, b]}\n"
        let root = try #require(try YAMLDocument.compose(yaml, source: "d.yaml"))
        #expect(root["title"]?.string == "Services")
        #expect(root["title"]?.scalar?.plain == true)
        let panels = try #require(root["panels"]?.sequence)
        #expect(panels.count == 2)
        #expect(panels[0]["title"]?.scalar == YAMLScalar(string: "Up", plain: false, mark: YAMLMark(line: 3, column: 12)))
        #expect(panels[0]["wide"]?.bool == true)
        #expect(panels[1].mark == YAMLMark(line: 5, column: 5))
        #expect(panels[1]["targets"]?.sequence?.compactMap(\.string) == ["a", "b"])
        #expect(root.mapping?.map { $0.key.string ?? "" } == ["title", "panels"], "keys keep their order")
    }

    @Test func anEmptyStreamIsNoDocument() throws {
        #expect(try YAMLDocument.compose("", source: "e.yaml") == nil)
        #expect(try YAMLDocument.compose("# only a comment\n", source: "e.yaml") == nil)
    }

    @Test func aliasesExpandToCopiesOfTheirAnchor() throws {
        let root = try #require(try YAMLDocument.compose("a: &x [1, 2]\nb: *x\n", source: "a.yaml"))
        #expect(root["b"]?.sequence?.compactMap(\.string) == ["1", "2"])
    }

    @Test func expandedNodesAreCounted() {
        // Each level doubles: 2^12 scalars from a few hundred bytes.
        var yaml = "l0: &l0 [x, x]\n"
        for i in 1...12 { yaml += "l\(i): &l\(i) [*l\(i - 1), *l\(i - 1)]\n" }
        #expect(throws: YAMLError(message: "b.yaml: more than 1000 YAML nodes once aliases are expanded, the limit")) {
            try YAMLDocument.compose(yaml, source: "b.yaml", nodeLimit: 1000)
        }
        #expect(throws: Never.self) { try YAMLDocument.compose(yaml, source: "b.yaml", nodeLimit: 100_000) }
    }

    @Test(arguments: [
        ("title: [x", "f.yaml:2:1: not valid YAML: did not find expected ',' or ']' while parsing a flow sequence"),
        ("a: b: c\n", "f.yaml:1:5: not valid YAML: mapping values are not allowed in this context"),
        ("a: *nothing\n", "f.yaml:1:4: not valid YAML: unknown alias 'nothing'"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: more than one YAML document (---); one is expected"),
        ("a: \"\u{1B}[2J\"\n", "f.yaml:1:5: not valid YAML: control characters are not allowed"),
    ])
    func brokenFilesNameTheLineAndColumn(yaml: String, message: String) {
        #expect(throws: YAMLError(message: message)) { try YAMLDocument.compose(yaml, source: "f.yaml") }
    }

    @Test func booleansAreReadInEveryUsualSpelling() throws {
        let root = try #require(try YAMLDocument.compose("a: TRUE\nb: no\nc: 'on'\nd: maybe\n", source: "b.yaml"))
        #expect(root["a"]?.bool == true)
        #expect(root["b"]?.bool == false)
        #expect(root["c"]?.bool == true)
        #expect(root["d"]?.bool == nil)
    }
}
