import Foundation

/// JSON answers recorded from a real Prometheus 2.42 by `scripts/record-fixtures.sh`.
public enum Fixtures {
    public struct Missing: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "fixture \(name) not found in the TestSupport bundle" }
    }

    public static func data(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw Missing(name: name)
        }
        return try Data(contentsOf: url)
    }

    public static func text(_ name: String) throws -> String {
        String(decoding: try data(name), as: UTF8.self)
    }
}

/// Paths of the checkout, for tests that read its files or run its binaries.
public enum Repository {
    /// The package root (the folder of Package.swift).
    public static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A product built next to the test bundle (`.build/<triple>/debug/lookout`).
    public static func builtProduct(_ name: String) -> URL? {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            var dir = URL(fileURLWithPath: first)
            // The test binary sits inside `lookoutPackageTests.xctest` (a folder on some platforms).
            for _ in 0..<4 {
                dir = dir.deletingLastPathComponent()
                candidates.append(dir.appendingPathComponent(name))
            }
        }
        candidates.append(root.appendingPathComponent(".build/debug/\(name)"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
