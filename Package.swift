// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "lookout",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lookout", targets: ["lookout"]),
        .library(name: "LookoutFuzzEntryPoints", targets: ["FuzzEntryPoints"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // Property tests (tests only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // Text from outside and text laid out: the one sanitiser for untrusted text (no control characters or escape
        // sequences get through), input limits, bounded file and YAML reading, display width, pad and truncate.
        // YAML is read with libyaml's event parser (Debian's libyaml-dev), linked statically: Yams would bring
        // Foundation's ICU (34 MB) into the binary (README, "Install").
        .target(
            name: "SafeText", dependencies: ["CYAML"],
            linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libyaml.a"])]
        ),
        .systemLibrary(name: "CYAML", providers: [.apt(["libyaml-dev"])]),
        // The Prometheus API's wire models (vector, matrix, alerts, …), without networking.
        .target(name: "PrometheusModels", dependencies: ["SafeText"]),
        // Prometheus HTTP API: wire models, typed errors, the client.
        .target(
            name: "PrometheusAPI",
            dependencies: [
                "SafeText", "PrometheusModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The dashboard as data: panels, units, thresholds, legends, health, alerts, formatting, YAML and Grafana.
        .target(
            name: "DashboardCore",
            dependencies: ["PrometheusModels", "PromQL", "SafeText"]
        ),
        // A generic text canvas: cells, styles, themes, the Terminal protocol (and an in-memory terminal), and widgets
        // as values (frame, sparkline, line chart, tiles, status line, key help). Knows nothing of dashboards.
        .target(
            name: "TerminalCanvas",
            dependencies: ["SafeText"]
        ),
        // The screens: the app state (a stack of screens, overlays, the shared dashboard model) with its pure update,
        // one folder per screen (Screens/), the views that compose widgets, and the key tables.
        .target(name: "LookoutUI", dependencies: ["DashboardCore", "PrometheusModels", "PromQL", "SafeText", "TerminalCanvas"]),
        // ncursesw, for NcursesTerminal only: a module map and a shim for the macros Swift cannot import.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        // The only code that calls ncurses.
        .target(name: "NcursesTerminal", dependencies: ["CNcurses", "TerminalCanvas"]),
        // `swift run -c release lookout-bench`: frame rendering time (see README, Performance).
        .executableTarget(name: "lookout-bench", dependencies: ["LookoutUI", "TerminalCanvas", "DashboardCore", "PrometheusModels"]),
        // Wiring: fetching, the snapshot, the run loop that carries out the screens' effects.
        .target(
            name: "LookoutApp",
            dependencies: [
                "PrometheusAPI", "DashboardCore", "PromQL", "SafeText", "TerminalCanvas", "LookoutUI",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // PromQL's lexer, parser and syntax tree (Prometheus' precedence, positions and error wording), and Go's
        // number formatting: shared by the mock's evaluator and, later, explore's completion and alert rules.
        .target(name: "PromQL", dependencies: ["PrometheusModels", "SafeText"]),
        // A Prometheus look-alike: the HTTP API over a synthetic, deterministic world, a small PromQL evaluator and
        // the source design's alert rules (`lookout mock`, `lookout demo`).
        .target(
            name: "MockPrometheus",
            dependencies: [
                "PrometheusModels", "PromQL", "SafeText",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The version from `git describe`, written by scripts/version.sh before make builds.
        .target(name: "CBuildInfo"),
        .executableTarget(
            name: "lookout",
            dependencies: [
                "CBuildInfo", "LookoutApp", "LookoutUI", "DashboardCore", "PrometheusAPI", "TerminalCanvas", "NcursesTerminal", "MockPrometheus", "SafeText",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The entry points of the fuzz targets (Fuzz/ builds them with libFuzzer; the tests replay the corpora and
        // every crash found through them). No networking, so the fuzz build stays small.
        .target(
            name: "FuzzEntryPoints",
            dependencies: ["SafeText", "PrometheusModels", "DashboardCore", "TerminalCanvas", "LookoutUI", "PromQL"]
        ),
        // Helpers shared by the tests: fixtures, free ports, child processes, the test exporter, the run loop in a
        // memory terminal.
        .target(
            name: "TestSupport",
            dependencies: [
                "PrometheusAPI", "LookoutApp", "TerminalCanvas", .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SafeTextTests", dependencies: ["SafeText", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "PrometheusAPITests", dependencies: ["PrometheusAPI", "SafeText", "TestSupport"]),
        .testTarget(
            name: "DashboardCoreTests",
            dependencies: ["DashboardCore", "SafeText", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "TerminalCanvasTests",
            dependencies: ["TerminalCanvas", "SafeText", "TestSupport", "FuzzEntryPoints"]),
        .testTarget(
            name: "LookoutUITests",
            dependencies: [
                "LookoutUI", "TerminalCanvas", "DashboardCore", "PrometheusModels", "SafeText", "TestSupport", "FuzzEntryPoints",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Golden"]),
        .testTarget(
            name: "LookoutAppTests",
            dependencies: [
                "LookoutApp", "LookoutUI", "SafeText", "TerminalCanvas", "TestSupport", "MockPrometheus",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["LookoutApp", "LookoutUI", "MockPrometheus", "TerminalCanvas", "TestSupport"]),
        .testTarget(name: "MockPrometheusTests", dependencies: ["MockPrometheus", "PromQL", "PrometheusAPI", "DashboardCore", "TestSupport"]),
    ]
)
