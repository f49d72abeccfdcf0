// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v5)]

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
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "fedhpd",
            dependencies: [
                "HPDFederation", "HPDLunarLander", "HPDInvertedPendulum", "HPDRL", "HPDNN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
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
            dependencies: ["FedHPD", "CustomEnvironmentReinforce", "HeterogeneousFederation", "RegressionWithAdam"],
            swiftSettings: swiftSettings),
        .target(name: "CMemory"),
        .target(name: "CAllocationCounter", path: "Benchmarks/CAllocationCounter"),
        .executableTarget(
            name: "fedhpd-bench",
            dependencies: [
                "CAllocationCounter", "HPDFederation", "HPDLunarLander", "HPDInvertedPendulum", "HPDEnvironments",
                "HPDRL", "HPDNN", "HPDTensor", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/fedhpd-bench", swiftSettings: swiftSettings),
        .target(name: "HPDTensor", dependencies: ["CBLAS", "CMemory"], swiftSettings: swiftSettings),
        .target(name: "HPDNN", dependencies: ["HPDTensor"], swiftSettings: swiftSettings),
        .target(name: "HPDRL", dependencies: ["HPDNN", "HPDTensor"], swiftSettings: swiftSettings),
        .target(name: "HPDEnvironments", dependencies: ["HPDRL", "HPDTensor"], swiftSettings: swiftSettings),
        .target(
            name: "HPDFederation", dependencies: ["HPDEnvironments", "HPDRL", "HPDNN", "HPDTensor"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDFederationTests", dependencies: ["HPDFederation", "HPDEnvironments", "HPDRL", "HPDNN", "HPDTensor"],
            swiftSettings: swiftSettings),
        .target(name: "CBox2D", linkerSettings: [.linkedLibrary("box2d"), .linkedLibrary("stdc++")]),
        .target(name: "HPDLunarLander", dependencies: ["CBox2D", "HPDRL", "HPDTensor"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDLunarLanderTests", dependencies: ["HPDLunarLander", "HPDRL", "HPDTensor"],
            swiftSettings: swiftSettings),
        .systemLibrary(name: "CMuJoCo", providers: [.apt(["libmujoco-dev"])]),
        .target(
            name: "HPDInvertedPendulum", dependencies: ["CMuJoCo", "HPDRL", "HPDTensor"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDInvertedPendulumTests", dependencies: ["HPDInvertedPendulum", "HPDRL", "HPDTensor"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HPDRLTests", dependencies: ["HPDRL", "HPDEnvironments", "HPDNN", "HPDTensor"],
            swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["fedhpd"], swiftSettings: swiftSettings),
        .testTarget(name: "HPDNNTests", dependencies: ["HPDNN", "HPDTensor"], swiftSettings: swiftSettings),
        .testTarget(name: "HPDTensorTests", dependencies: ["HPDTensor"], swiftSettings: swiftSettings),
    ],
    cxxLanguageStandard: .cxx17
)
