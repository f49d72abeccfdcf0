// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "FedHPD",
    products: [
        .library(name: "HPDTensor", targets: ["HPDTensor"]),
        .library(name: "HPDNN", targets: ["HPDNN"]),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .target(name: "HPDTensor", dependencies: ["CBLAS"], swiftSettings: swiftSettings),
        .target(name: "HPDNN", dependencies: ["HPDTensor"], swiftSettings: swiftSettings),
        .testTarget(name: "HPDNNTests", dependencies: ["HPDNN", "HPDTensor"], swiftSettings: swiftSettings),
        .testTarget(name: "HPDTensorTests", dependencies: ["HPDTensor"], swiftSettings: swiftSettings),
    ]
)
