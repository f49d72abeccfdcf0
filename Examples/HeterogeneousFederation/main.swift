// Three agents with different networks learn a custom task together with FedHPD, through a custom aggregation.
//
//     swift run -c release HeterogeneousFederation [--episodes N] [--seed S]
//
// Every 5 episodes the agents report π_k(·|s) on a shared public state set; the server combines the reports with a
// median (defined below) and every agent takes KL-distillation steps toward it. The same agents also train without
// federation (NoFed), and both system means are printed.
import FedHPD

/// The 1-D corridor of the CustomEnvironmentReinforce example: walk left (0) or right (1) to the goal.
/// Observation [position / 10, (goal − position) / 10]; reward −0.01 per step, ±0.1 per step toward/away from the
/// goal, +1 on reaching it.
struct Corridor: Environment {
    let length = 10
    private(set) var position = 0
    private(set) var goal = 0
    private var generator = RandomGenerator(seed: 0)

    var observationSize: Int { 2 }
    var actionSpace: ActionSpace { .discrete(count: 2) }
    var observation: [Float] { [Float(position) / Float(length), Float(goal - position) / Float(length)] }

    mutating func reset(seed: UInt64?) -> [Float] {
        if let seed { generator = RandomGenerator(seed: seed) }
        repeat {
            position = generator.integer(below: length + 1)
            goal = generator.integer(below: length + 1)
        } while position == goal
        return observation
    }

    mutating func step(_ action: EnvironmentAction) -> StepResult {
        guard case .discrete(let move) = action, move == 0 || move == 1 else {
            preconditionFailure("bad action \(action)")
        }
        let distanceBefore = abs(goal - position)
        position = min(max(position + (move == 1 ? 1 : -1), 0), length)
        let distanceAfter = abs(goal - position)
        let reward = -0.01 + 0.1 * Double(distanceBefore - distanceAfter) + (distanceAfter == 0 ? 1 : 0)
        return StepResult(observation: observation, reward: reward, terminated: distanceAfter == 0, truncated: false)
    }
}

/// A robust consensus: for every state and action, the median of the agents' probabilities, each row renormalised
/// to sum to 1. With three agents, one agent's odd report cannot drag the consensus (unlike the mean).
struct MedianOfProbabilities: AggregationStrategy {
    func aggregate(_ distributions: [ActionDistribution]) -> ActionDistribution {
        let reports = distributions.map { distribution -> Tensor in
            guard case .categorical(let probabilities) = distribution else {
                preconditionFailure("MedianOfProbabilities handles categorical policies only")
            }
            return probabilities
        }
        var consensus = reports[0]
        for row in 0..<consensus.rows {
            for action in 0..<consensus.columns {
                let sorted = reports.map { $0[row, action] }.sorted()
                let middle = sorted.count / 2
                consensus[row, action] =
                    sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            }
            let total = (0..<consensus.columns).reduce(Float(0)) { $0 + consensus[row, $1] }
            for action in 0..<consensus.columns { consensus[row, action] /= total }
        }
        return .categorical(probabilities: consensus)
    }
}

func integerArgument(_ name: String, default fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1])
    else { return fallback }
    return value
}

let episodes = max(20, integerArgument("--episodes", default: 200))
let seed = UInt64(integerArgument("--seed", default: 20))

// The task as the trainer sees it: sizes, defaults, and a factory making one fresh environment per agent.
let agentDefaults = ReinforceConfiguration(learningRate: 0.01)
let corridor = EnvironmentSpecification(
    id: "Corridor", aliases: [], observationSize: 2, actionSpace: .discrete(count: 2), thresholds: [0.8],
    defaultEpisodes: 200, publicStateCount: 200, presetAgents: [], agentDefaults: agentDefaults,
    publicStateRecipe: PublicStateRecipe(
        agent: AgentSpecification(hiddenSizes: [16], activations: [.tanh], reinforce: agentDefaults), episodes: 100,
        firstCheckpoint: 50, checkpointEvery: 50, testSeeds: 5, greedy: true, standardize: true, principalComponents: 2,
        clusters: 4),
    makeEnvironment: { _ in TimeLimit(Corridor(), maxEpisodeSteps: 40) })

// Two architectures (and learning rates) across three agents. Nothing about them is shared with the server.
let agents = [
    AgentSpecification(hiddenSizes: [16], activations: [.tanh], reinforce: ReinforceConfiguration(learningRate: 0.01)),
    AgentSpecification(
        hiddenSizes: [32, 32], activations: [.relu, .relu], reinforce: ReinforceConfiguration(learningRate: 0.005)),
    AgentSpecification(hiddenSizes: [16], activations: [.tanh], reinforce: ReinforceConfiguration(learningRate: 0.003)),
]

// The public state set: 200 start states of the corridor (uniform over (position, goal) pairs).
var sampler = Corridor()
_ = sampler.reset(seed: 1_000)
let stateRows = (0..<200).map { _ in sampler.reset() }
let publicStates = PublicStateSet(
    states: Tensor(rows: stateRows.count, columns: 2, scalars: stateRows.flatMap { $0 }),
    source: "200 corridor start states")

print("Corridor, 3 heterogeneous agents, \(episodes) episodes, seed \(seed)")
for method in [FederationConfiguration.Method.fedhpd, .nofed] {
    var configuration = FederationConfiguration(
        environment: corridor.id, method: method, interval: 5, episodes: episodes, seed: seed, loops: 5, partSize: 100,
        agents: agents, publicStates: method == .fedhpd ? PublicStatesRecord(publicStates) : nil)
    configuration.aggregation = "median-of-probabilities"
    let training = try FederatedTraining(
        configuration: configuration, environment: corridor, publicStates: method == .fedhpd ? publicStates : nil,
        aggregation: MedianOfProbabilities(), threads: 2)
    training.run()
    let system = training.returns.map { LearningCurve.mean($0) }  // per episode: the mean over agents
    let whole = formatted(LearningCurve.mean(system))
    let recent = formatted(LearningCurve.lastMean(system, count: 20))
    let events = training.timings.distillationEvents
    print("\(configuration.settingLabel): system mean return \(whole) (whole run), \(recent) (last 20 episodes);")
    print("  distillation events: \(events)")
}

func formatted(_ value: Double) -> String { String(Double(Int((value * 1000).rounded())) / 1000) }
