import Foundation
import HPDFederation
import HPDNN
import HPDRL
import HPDTensor
import TestSupport
import Testing

/// Whether `python3` can import torch, safetensors and numpy. CI installs them (`.ci/run`), so there a missing
/// PyTorch fails the tests instead of skipping them.
enum PythonTorch {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let isAvailable: Bool = (try? run(["-c", "import torch, safetensors, numpy"]).status) == 0
    static let isRequired = ProcessInfo.processInfo.environment["CI"] == "true"

    static func run(_ arguments: [String]) throws -> ProcessRunner.Outcome {
        try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments)
    }
}

/// Policy files exchanged with PyTorch in both directions (python/fedhpd_client/policy.py).
@Suite(
    .enabled(
        if: PythonTorch.isAvailable || PythonTorch.isRequired,
        "SKIPPED: needs python3 with torch, safetensors and numpy (pip install --no-deps 'torch==2.13.0+cpu' … — see .ci/run)"
    ))
struct PyTorchInteropTests {
    /// A 1-D point mass pushed towards a target: a continuous task for the Gaussian policy.
    struct PointMass: Environment {
        var observationSize: Int { 4 }
        var actionSpace: ActionSpace { .continuous(low: [-3], high: [3]) }
        var generator = RandomGenerator(seed: 0)
        var state: [Float] = [0, 0, 0, 0]

        mutating func reset(seed: UInt64?) -> [Float] {
            if let seed { generator = RandomGenerator(seed: seed) }
            state = [
                Float(generator.uniform(-1, 1)), Float(generator.uniform(-0.1, 0.1)), Float(generator.uniform(-1, 1)),
                0,
            ]
            return state
        }

        mutating func step(_ action: EnvironmentAction) -> StepResult {
            guard case .continuous(let force) = action else { fatalError("PointMass takes one force") }
            state[1] += 0.1 * min(max(force[0], -3), 3)
            state[0] += 0.1 * state[1]
            state[3] += 1
            return StepResult(
                observation: state, reward: -Double(abs(state[0] - state[2])), terminated: false,
                truncated: state[3] >= 50)
        }
    }

    static let pointMass = EnvironmentSpecification(
        id: "PointMass", observationSize: 4, actionSpace: .continuous(low: [-3], high: [3]),
        makeEnvironment: { _ in PointMass() })

    /// Categorical relu, categorical tanh and Gaussian with mixed activations, with their environments.
    func policies() -> [(name: String, policy: Policy, environment: EnvironmentSpecification)] {
        var generator = RandomGenerator(seed: 123)
        func architecture(
            _ family: PolicyArchitecture.Family, _ actions: Int, _ sizes: [Int], _ activations: [Activation]
        ) -> PolicyArchitecture {
            PolicyArchitecture(
                family: family, observationSize: 4, actionSize: actions, hiddenSizes: sizes, activations: activations)
        }
        return [
            (
                "categorical-relu",
                CategoricalPolicy(
                    architecture: architecture(.categorical, 2, [64, 32], [.relu, .relu]), generator: &generator),
                .cartPole
            ),
            (
                "categorical-tanh",
                CategoricalPolicy(
                    architecture: architecture(.categorical, 2, [32, 32, 16], [.tanh, .tanh, .tanh]),
                    generator: &generator), .cartPole
            ),
            (
                "gaussian-mixed",
                GaussianPolicy(
                    architecture: architecture(.gaussian, 1, [16, 32], [.tanh, .relu]), generator: &generator),
                Self.pointMass
            ),
        ]
    }

    /// Fixed states, 4 columns, spread over ±2.
    static let states: [[Float]] = (0..<16).map { row in
        (0..<4).map { column in Float((row * 7 + column * 3) % 17) / 4 - 2 }
    }

    /// Writes each case as `<root>/<name>.safetensors` (with `agentIndex` in its metadata, if given); returns the files
    /// in the cases' order.
    func write(
        _ cases: [(name: String, policy: Policy, environment: EnvironmentSpecification)], in root: URL,
        agentIndex: Int? = nil
    ) throws -> [URL] {
        try cases.map { item in
            let url = root.appendingPathComponent("\(item.name).safetensors")
            try SavedPolicy(
                policy: item.policy, environment: item.environment.id, actionSpace: item.environment.actionSpace,
                agentIndex: agentIndex
            ).write(to: url)
            return url
        }
    }

    /// Writes the engine's files, runs python/tests/crosscheck.py on them and returns PyTorch's outputs and the folder
    /// holding the PyTorch-written copies.
    func crosscheck(
        _ files: [URL], in root: URL
    ) throws -> (
        outputs: [String: [String: [[Double]]]], pytorchFolder: URL
    ) {
        #expect(PythonTorch.isAvailable, "python3 with torch, safetensors and numpy is required when CI=true")
        let pytorchFolder = root.appendingPathComponent("pytorch")
        try FileManager.default.createDirectory(at: pytorchFolder, withIntermediateDirectories: true)
        let job = root.appendingPathComponent("job.json")
        try JSONSerialization.data(withJSONObject: [
            "files": files.map(\.path), "states": Self.states, "out": pytorchFolder.path,
        ]).write(to: job)
        let script = PythonTorch.repository.appendingPathComponent("python/tests/crosscheck.py")
        let result = try PythonTorch.run([script.path, job.path])
        #expect(result.status == 0, "crosscheck.py failed: \(result.error)")
        let outputs = try JSONDecoder().decode([String: [String: [[Double]]]].self, from: Data(result.output.utf8))
        return (outputs, pytorchFolder)
    }

    @Test func thePythonPackagesOwnUnitTestsPass() throws {
        #expect(PythonTorch.isAvailable, "python3 with torch, safetensors and numpy is required when CI=true")
        let python = PythonTorch.repository.appendingPathComponent("python")
        let result = try PythonTorch.run([
            "-m", "unittest", "discover", "-s", python.appendingPathComponent("tests").path, "-t", python.path,
        ])
        #expect(result.status == 0 && result.error.contains("OK"), "\(result.error)")
    }

    @Test func pyTorchComputesTheEnginesProbabilitiesMeansAndDeviationsWithin1e5() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-torch-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let cases = policies()
        let files = try write(cases, in: root)
        let (outputs, _) = try crosscheck(files, in: root)
        let states = Tensor(rows: Self.states.count, columns: 4, scalars: Self.states.flatMap { $0 })
        for (item, file) in zip(cases, files) {
            let pytorch = try #require(outputs[file.path])
            var engine: [String: Tensor] = [:]
            if let categorical = item.policy as? CategoricalPolicy {
                engine["probabilities"] = categorical.probabilities(states)
            } else {
                let (mean, deviation) = (item.policy as! GaussianPolicy).distribution(states)
                engine["mean"] = mean
                engine["std"] = deviation
            }
            for (key, tensor) in engine {
                let values = try #require(pytorch[key], "\(item.name): PyTorch gave no \(key)")
                let difference =
                    zip(values.flatMap { $0 }, tensor.scalars).map { abs($0 - Double($1)) }.max() ?? .infinity
                #expect(
                    values.count == tensor.rows && difference <= 1e-5,
                    "\(item.name) \(key): max |PyTorch − engine| = \(difference)")
            }
        }
    }

    @Test func aPyTorchWrittenFileLoadsTheSameWeightsAndEvaluatesIdentically() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-torch-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let cases = policies()
        let files = try write(cases, in: root, agentIndex: 3)
        let (_, pytorchFolder) = try crosscheck(files, in: root)
        for (item, file) in zip(cases, files) {
            let written = pytorchFolder.appendingPathComponent(file.lastPathComponent)
            #expect(
                try Data(contentsOf: written) != Data(contentsOf: file), "PyTorch's layout differs from the engine's")
            let loaded = try SavedPolicy.load(from: written)
            #expect(loaded.policy.parameters.map(\.value) == item.policy.parameters.map(\.value))
            #expect(loaded.agentIndex == 3 && loaded.environment == item.environment.id)
            for mode in PolicyEvaluation.Mode.allCases {
                let evaluation = PolicyEvaluation(environment: item.environment, episodes: 5, seed: 9, mode: mode)
                let original = try evaluation.returns(of: [(3, item.policy)], threads: 1)
                let fromPyTorch = try evaluation.returns(of: [(3, loaded.policy)], threads: 2)
                #expect(original == fromPyTorch, "\(item.name) \(mode)")
            }
        }
        // A warm start (`--init-policies`) from the PyTorch-written categorical relu file.
        let warm = root.appendingPathComponent("warm")
        try FileManager.default.createDirectory(at: warm, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: pytorchFolder.appendingPathComponent("categorical-relu.safetensors"),
            to: warm.appendingPathComponent("agent-1.safetensors"))
        var configuration = FederationTests.configuration(method: .nofed, episodes: 2)
        configuration.agents = [
            AgentSpecification(
                hiddenSizes: [64, 32], activations: [.relu, .relu], reinforce: AgentPresets.discreteDefaults())
        ]
        configuration.initialPolicies = try InitialPoliciesRecord(folder: warm, agentCount: 1)
        let training = try FederatedTraining(
            configuration: configuration, environment: .cartPole, publicStates: nil, threads: 1)
        try training.loadInitialPolicies(configuration.initialPolicies!)
        #expect(
            (training.agents[0] as! ReinforceAgent).learner.policy.parameters.map(\.value)
                == cases[0].policy.parameters.map(\.value))
    }
}
