// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "FedHPD",
    products: [
        .library(name: "FedHPD", targets: ["FedHPD"]),
        .executable(name: "fedhpd", targets: ["fedhpd"]),
        .executable(name: "fedhpd-bench", targets: ["fedhpd-bench"]),
        .library(name: "HPDTensor", targets: ["HPDTensor"]),
        .library(name: "HPDNN", targets: ["HPDNN"]),
        .library(name: "HPDRL", targets: ["HPDRL"]),
        .library(name: "HPDEnvironments", targets: ["HPDEnvironments"]),
        .library(name: "HPDInvertedPendulum", targets: ["HPDInvertedPendulum"]),
        .library(name: "HPDLunarLander", targets: ["HPDLunarLander"]),
        .library(name: "HPDFederation", targets: ["HPDFederation"]),
    ],
    // BEGIN Network trait (multi-process federation over gRPC; see docs/NETWORK.md)
    traits: [
        .trait(name: "Network", description: "fedhpd serve/join: federation across processes over gRPC (HPDNetwork).")
    ],
    // END Network trait
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // `swift package generate-documentation` (scripts/docs.sh); a command plugin, never linked into a product.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // BEGIN Network dependencies (built only with --traits Network)
        .package(url: "https://github.com/grpc/grpc-swift-2", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", exact: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        // END Network dependencies
    ],
    targets: [
        .executableTarget(
            name: "fedhpd",
            dependencies: [
                "HPDCommandLine", "HPDFederation", "HPDLunarLander", "HPDInvertedPendulum", "HPDRL", "HPDNN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // BEGIN Network: serve/join
                .target(name: "HPDNetwork", condition: .when(traits: ["Network"])),
                // END Network
            ],
            swiftSettings: swiftSettings),
        // Command-line option groups shared by the two executables (`fedhpd`, `fedhpd-bench`); `package` access, never
        // a product.
        .target(
            name: "HPDCommandLine",
            dependencies: ["HPDTensor", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings),
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .target(
            name: "FedHPD", dependencies: ["HPDEnvironments", "HPDFederation", "HPDNN", "HPDRL", "HPDTensor"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "CustomEnvironmentReinforce", dependencies: ["FedHPD"], path: "Examples/CustomEnvironmentReinforce",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "HeterogeneousFederation", dependencies: ["FedHPD"], path: "Examples/HeterogeneousFederation",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "RegressionWithAdam", dependencies: ["HPDNN", "HPDTensor"], path: "Examples/RegressionWithAdam",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ExamplesTests",
            dependencies: [
                "FedHPD", "CustomEnvironmentReinforce", "HeterogeneousFederation", "RegressionWithAdam", "TestSupport",
            ],
            swiftSettings: swiftSettings),
        .target(name: "CMemory"),
        .target(name: "CAllocationCounter", path: "Benchmarks/CAllocationCounter"),
        .executableTarget(
            name: "fedhpd-bench",
            dependencies: [
                "CAllocationCounter", "HPDCommandLine", "HPDFederation", "HPDLunarLander", "HPDInvertedPendulum",
                "HPDEnvironments", "HPDRL", "HPDNN", "HPDTensor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/fedhpd-bench", swiftSettings: swiftSettings),
        // Fuzzing (issue 15): scripts/fuzz.sh builds fedhpd-fuzz with -sanitize=fuzzer,address -DFUZZING; a plain
        // build gives its `seeds` and `replay` commands.
        .target(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
        .executableTarget(
            name: "fedhpd-fuzz",
            dependencies: [
                "CFuzzerDriver", "HPDEnvironments", "HPDFederation", "HPDNN", "HPDTensor",
                .target(name: "HPDWireFormat", condition: .when(traits: ["Network"])),
            ],
            path: "Fuzz/fedhpd-fuzz", swiftSettings: swiftSettings),
        .target(name: "CBLASControl", linkerSettings: [.linkedLibrary("openblas"), .linkedLibrary("dl")]),
        // Fused kernels for narrow layers (AVX2 + FMA by per-function target attributes, and a portable variant).
        .target(name: "CSmallKernels"),
        .target(
            name: "HPDTensor",
            dependencies: [
                "CBLAS", "CBLASControl", "CMemory", "CSmallKernels", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(name: "HPDNN", dependencies: ["HPDTensor"], swiftSettings: swiftSettings),
        .target(name: "HPDRL", dependencies: ["HPDNN", "HPDTensor"], swiftSettings: swiftSettings),
        .target(name: "HPDEnvironments", dependencies: ["HPDRL", "HPDTensor"], swiftSettings: swiftSettings),
        .target(
            name: "HPDFederation",
            dependencies: [
                "HPDEnvironments", "HPDRL", "HPDNN", "HPDTensor", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDFederationTests",
            dependencies: [
                "HPDFederation", "HPDEnvironments", "HPDRL", "HPDNN", "HPDTensor", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(name: "CBox2D", linkerSettings: [.linkedLibrary("box2d"), .linkedLibrary("stdc++")]),
        .target(name: "HPDLunarLander", dependencies: ["CBox2D", "HPDRL", "HPDTensor"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDLunarLanderTests", dependencies: ["HPDLunarLander", "HPDRL", "HPDTensor", "TestSupport"],
            swiftSettings: swiftSettings),
        .systemLibrary(name: "CMuJoCo", providers: [.apt(["libmujoco-dev"])]),
        .target(
            name: "HPDInvertedPendulum", dependencies: ["CMuJoCo", "HPDRL", "HPDTensor"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDInvertedPendulumTests",
            dependencies: ["HPDInvertedPendulum", "HPDRL", "HPDTensor", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDRLTests", dependencies: ["HPDRL", "HPDEnvironments", "HPDNN", "HPDTensor", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDEnvironmentsTests", dependencies: ["HPDEnvironments", "HPDRL", "HPDTensor", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["fedhpd", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDNNTests", dependencies: ["HPDNN", "HPDTensor", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDTensorTests",
            dependencies: ["HPDTensor", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        // Helpers of every test target (finite differences, the process runner and executable locator, the episode
        // runner); a plain target, never a product.
        .target(
            name: "TestSupport",
            dependencies: ["HPDRL", "HPDTensor", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport", swiftSettings: swiftSettings),
        // BEGIN Network targets: without the trait they compile to empty modules (sources are `#if Network`) and
        // no gRPC code is built.
        // The protocol's messages and their conversions to the core types, without the transport (fuzzed alone).
        .target(
            name: "HPDWireFormat",
            dependencies: [
                "HPDFederation", "HPDTensor",
                .product(name: "SwiftProtobuf", package: "swift-protobuf", condition: .when(traits: ["Network"])),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "HPDNetwork",
            dependencies: [
                "HPDFederation", "HPDRL", "HPDNN", "HPDTensor", "HPDWireFormat",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRPCCore", package: "grpc-swift-2", condition: .when(traits: ["Network"])),
                .product(
                    name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport",
                    condition: .when(traits: ["Network"])),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf", condition: .when(traits: ["Network"])),
                .product(name: "SwiftProtobuf", package: "swift-protobuf", condition: .when(traits: ["Network"])),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "NetworkTests",
            dependencies: [.target(name: "fedhpd", condition: .when(traits: ["Network"])), "TestSupport"],
            swiftSettings: swiftSettings),
        // END Network targets
    ],
    cxxLanguageStandard: .cxx17
)
