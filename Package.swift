// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "lookout",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lookout", targets: ["lookout"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // The one sanitiser for untrusted (server) text: no control characters or escape sequences get through.
        .target(name: "SafeText"),
        // Prometheus HTTP API: wire models, typed errors, the client.
        .target(
            name: "PrometheusAPI",
            dependencies: [
                "SafeText",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The dashboard as data: panels, units, thresholds, legends, health, formatting.
        .target(name: "DashboardCore", dependencies: ["PrometheusAPI", "SafeText"]),
        // Wiring: snapshot, fetching, (later) the run loop.
        .target(name: "LookoutApp", dependencies: ["PrometheusAPI", "DashboardCore", "SafeText"]),
        // A Prometheus look-alike: the HTTP API over a synthetic, deterministic world, a small PromQL evaluator and
        // the source design's alert rules (`lookout mock`, and `lookout demo` later).
        .target(
            name: "MockPrometheus",
            dependencies: [
                "PrometheusAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "lookout",
            dependencies: [
                "LookoutApp", "DashboardCore", "PrometheusAPI", "MockPrometheus",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the tests: fixtures, free ports, child processes, the test exporter.
        .target(
            name: "TestSupport",
            dependencies: [
                "PrometheusAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SafeTextTests", dependencies: ["SafeText"]),
        .testTarget(name: "PrometheusAPITests", dependencies: ["PrometheusAPI", "TestSupport"]),
        .testTarget(name: "DashboardCoreTests", dependencies: ["DashboardCore", "TestSupport"]),
        .testTarget(name: "LookoutAppTests", dependencies: ["LookoutApp", "TestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["LookoutApp", "TestSupport"]),
        .testTarget(name: "MockPrometheusTests", dependencies: ["MockPrometheus", "PrometheusAPI", "DashboardCore", "TestSupport"]),
    ]
)
