// swift-tools-version:6.2
// findoc: finance documents into labelled, queryable data on one machine. See ../shared/DESIGN.md.
import PackageDescription

/// Every target compiles in Swift 6 language mode and treats warnings as errors.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "findoc",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "findoc", targets: ["findoc"]),
        .library(name: "FinDocCore", targets: ["FinDocCore"]),
        .library(name: "FinDocXML", targets: ["FinDocXML"]),
        .library(name: "FinDocIngest", targets: ["FinDocIngest"]),
        .library(name: "FinDocML", targets: ["FinDocML"]),
        .library(name: "FinDocStore", targets: ["FinDocStore"]),
        .library(name: "FinDocPipeline", targets: ["FinDocPipeline"]),
        .library(name: "FinDocCommands", targets: ["FinDocCommands"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        .target(name: "CFinDocKernels", path: "Sources/CFinDocKernels"),
        .target(name: "FinDocCore", dependencies: ["CFinDocKernels"], swiftSettings: strict),
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "CXMLEvents", dependencies: ["CLibXML2"], path: "Sources/CXMLEvents"),
        .target(name: "FinDocXML", dependencies: ["FinDocCore", "CLibXML2", "CXMLEvents"], swiftSettings: strict),
        .target(name: "FinDocIngest", dependencies: ["FinDocCore", "FinDocXML", "CFinDocKernels"], swiftSettings: strict),
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "FinDocML", dependencies: ["FinDocCore", "COpenBLAS", "CFinDocKernels"], swiftSettings: strict),
        .target(
            name: "FinDocStore",
            dependencies: [
                "FinDocCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .target(
            name: "FinDocPipeline",
            dependencies: ["FinDocCore", "FinDocIngest", "FinDocML", "FinDocStore"],
            swiftSettings: strict),
        .target(
            name: "FinDocCommands",
            dependencies: [
                "FinDocCore", "FinDocIngest", "FinDocML", "FinDocStore", "FinDocPipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "findoc", dependencies: ["FinDocCommands"], swiftSettings: strict),
        .executableTarget(
            name: "findoc-bench",
            dependencies: ["FinDocCore", "FinDocIngest", "FinDocML", "FinDocStore", "FinDocPipeline"],
            path: "Sources/FinDocBench",
            swiftSettings: strict),
        .executableTarget(
            name: "findoc-encoder-bench", dependencies: ["FinDocML"], path: "Sources/FinDocEncoderBench",
            swiftSettings: strict),
        .testTarget(name: "FinDocCoreTests", dependencies: ["FinDocCore"], swiftSettings: strict),
        .testTarget(name: "FinDocXMLTests", dependencies: ["FinDocXML"], swiftSettings: strict),
        .testTarget(
            name: "FinDocIngestTests", dependencies: ["FinDocIngest"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "FinDocMLTests", dependencies: ["FinDocML"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "FinDocStoreTests", dependencies: ["FinDocStore"], swiftSettings: strict),
        .testTarget(
            name: "FinDocPipelineTests", dependencies: ["FinDocPipeline", "FinDocStore", "FinDocIngest"],
            swiftSettings: strict),
        .testTarget(
            name: "FinDocCommandsTests", dependencies: ["FinDocCommands", "FinDocStore"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
