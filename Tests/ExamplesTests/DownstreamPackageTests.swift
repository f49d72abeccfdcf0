import Foundation
import TestSupport
import Testing

/// Builds a fresh package that depends on this one exactly as a user would (by path, product "FedHPD" only), defines
/// its own environment and trains on it — proving that the public API is enough and that the FedHPD product builds
/// without the physics engines or swift-argument-parser being compiled.
///
/// The nested `swift build -c release` compiles the library from scratch into a temporary scratch folder: about
/// 25 s on 2 otherwise-busy cores (measured 2026-11-27); the time is printed. Skipped, with the reason, only when no
/// `swift` executable is on PATH.
@Suite struct DownstreamPackageTests {
    static let swift = ProcessRunner.onPath("swift")

    @Test(
        .enabled(if: DownstreamPackageTests.swift != nil, "no `swift` on PATH: cannot build a downstream package"),
        .timeLimit(.minutes(30)))
    func downstreamPackageBuildsAndTrainsOnItsOwnEnvironment() throws {
        let swift = try #require(Self.swift)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-downstream-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        // The dependency is reached through a link named like a clone of the repository, so the manifest below reads
        // exactly like the README's "Use it as a library" section (the package identity is the last path component).
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("FedHPD-Swift"), withDestinationURL: ProcessRunner.packageRoot)
        let package = root.appendingPathComponent("Downstream")
        let sources = package.appendingPathComponent("Sources/Downstream")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        try Self.manifest.write(to: package.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try Self.program.write(to: sources.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)

        let scratch = package.appendingPathComponent(".build")
        let start = Date()
        let build = try ProcessRunner.run(
            swift, ["build", "-c", "release", "--package-path", package.path, "--scratch-path", scratch.path],
            in: package, environment: ["TMPDIR": root.path])  // SwiftPM's lock files go with the folder
        let seconds = Date().timeIntervalSince(start)
        print("downstream package: swift build -c release took \(Int(seconds.rounded())) s")
        try #require(build.status == 0, "swift build failed:\n\(build.output)\n\(build.error)")
        // Only the FedHPD product's modules were compiled: no physics engine, no argument parser.
        let modules =
            (try? FileManager.default.contentsOfDirectory(
                atPath: scratch.appendingPathComponent("release/Modules").path)) ?? []
        #expect(modules.contains("FedHPD.swiftmodule"), "\(modules)")
        #expect(
            !modules.contains {
                $0.hasPrefix("ArgumentParser") || $0.hasPrefix("HPDLunarLander") || $0.hasPrefix("HPDInvertedPendulum")
            },
            "\(modules)")

        let run = try ProcessRunner.run(scratch.appendingPathComponent("release/Downstream"), [])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("downstream: trained 40 episodes of SignTask"), "\(run.output)")
        let last = try #require(
            ProcessRunner.number(after: "downstream: mean return, last 10 episodes:", in: run.output))
        #expect(last.isFinite && last >= 0 && last <= 10)
    }

    static let manifest = """
        // swift-tools-version: 6.1
        import PackageDescription

        let package = Package(
            name: "Downstream",
            dependencies: [.package(path: "../FedHPD-Swift")],
            targets: [
                .executableTarget(
                    name: "Downstream", dependencies: [.product(name: "FedHPD", package: "FedHPD-Swift")],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
            ]
        )

        """

    static let program = """
        import FedHPD

        /// Observe a random sign s ∈ {−1, +1}; action 1 pays 1 when s > 0, action 0 pays 1 when s < 0.
        struct SignTask: Environment {
            var generator = RandomGenerator(seed: 0)
            var sign: Float = 1
            var observationSize: Int { 1 }
            var actionSpace: ActionSpace { .discrete(count: 2) }

            mutating func reset(seed: UInt64?) -> [Float] {
                if let seed { generator = RandomGenerator(seed: seed) }
                sign = generator.uniformFloat() < 0.5 ? -1 : 1
                return [sign]
            }

            mutating func step(_ action: EnvironmentAction) -> StepResult {
                guard case .discrete(let choice) = action else { preconditionFailure("SignTask is discrete") }
                let reward: Double = (choice == 1) == (sign > 0) ? 1 : 0
                sign = generator.uniformFloat() < 0.5 ? -1 : 1
                return StepResult(observation: [sign], reward: reward, terminated: false, truncated: false)
            }
        }

        var weights = RandomGenerator(seed: 5)
        let policy = CategoricalPolicy(
            observationSize: 1, actionCount: 2, hiddenSizes: [8], activation: .tanh, generator: &weights)
        let learner = ReinforceLearner(
            policy: policy, environment: TimeLimit(SignTask(), maxEpisodeSteps: 10),
            configuration: ReinforceConfiguration(learningRate: 0.02), environmentSeed: 5,
            generator: RandomGenerator(seed: 5, stream: 1))
        var returns: [Double] = []
        for _ in 0..<40 {
            returns.append(learner.runEpisode())
            learner.update()
        }
        print("downstream: trained \\(returns.count) episodes of SignTask")
        print("downstream: mean return, first 10 episodes: \\(LearningCurve.mean(Array(returns.prefix(10))))")
        print("downstream: mean return, last 10 episodes: \\(LearningCurve.lastMean(returns, count: 10))")

        """
}
