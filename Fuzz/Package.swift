// swift-tools-version:6.0
// The fuzz targets of lookout, built with libFuzzer and AddressSanitizer: `make fuzz` (see README, "Reliability").
// A package of its own, so that the main build never links libFuzzer's main; the targets themselves are
// FuzzEntryPoints in the main package, which the unit tests also run.
import PackageDescription

let package = Package(
    name: "lookout-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "lookout", path: "..")],
    targets: [
        .executableTarget(
            name: "lookout-fuzz",
            dependencies: [.product(name: "LookoutFuzzEntryPoints", package: "lookout")],
            // libFuzzer brings main(); the Swift file must not.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
