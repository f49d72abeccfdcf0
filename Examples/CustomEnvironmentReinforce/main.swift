// Train one policy with REINFORCE on an environment defined right here.
//
//     swift run -c release CustomEnvironmentReinforce [--episodes N] [--seed S]
//
// The task is a 1-D corridor: the agent stands on one of the cells 0…10, a goal sits on another, and each step it
// walks one cell left or right. It is paid −0.01 per step, +0.1 for every step that brings it closer to the goal
// (−0.1 for a step away) and +1 for reaching it; episodes are cut after 40 steps by `TimeLimit`.
import FedHPD

/// The corridor. Conforming to `Environment` is all a task needs to be trained on (and federated).
struct Corridor: Environment {
    /// The last cell; cells are 0…length.
    let length = 10
    private(set) var position = 0
    private(set) var goal = 0
    private var generator = RandomGenerator(seed: 0)

    var observationSize: Int { 2 }
    var actionSpace: ActionSpace { .discrete(count: 2) }  // 0 = left, 1 = right

    /// Observation: [position / length, (goal − position) / length].
    var observation: [Float] { [Float(position) / Float(length), Float(goal - position) / Float(length)] }

    /// Gymnasium's rule: reseed only when a seed is given, otherwise continue the random stream.
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
            preconditionFailure("Corridor takes action 0 or 1, got \(action)")
        }
        let distanceBefore = abs(goal - position)
        position = min(max(position + (move == 1 ? 1 : -1), 0), length)
        let distanceAfter = abs(goal - position)
        let reachedGoal = distanceAfter == 0
        let reward = -0.01 + 0.1 * Double(distanceBefore - distanceAfter) + (reachedGoal ? 1 : 0)
        return StepResult(observation: observation, reward: reward, terminated: reachedGoal, truncated: false)
    }
}

/// The integer after `name` on the command line, or `fallback`.
func integerArgument(_ name: String, default fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
        let value = Int(arguments[index + 1])
    else { return fallback }
    return value
}

let episodes = max(40, integerArgument("--episodes", default: 300))
let seed = UInt64(integerArgument("--seed", default: 1))

// A small categorical policy π(a|s) = softmax(MLP(s)): 2 inputs → 16 tanh → 2 logits.
var weights = RandomGenerator(seed: seed, stream: 1)
let policy = CategoricalPolicy(
    observationSize: 2, actionCount: 2, hiddenSizes: [16], activation: .tanh, generator: &weights)

// REINFORCE with Adam; returns are normalised per episode, the learning rate decays ×0.95 every 100 episodes.
let learner = ReinforceLearner(
    policy: policy, environment: TimeLimit(Corridor(), maxEpisodeSteps: 40),
    configuration: ReinforceConfiguration(learningRate: 0.01),
    environmentSeed: seed, generator: RandomGenerator(seed: seed, stream: 2))

print("Corridor (cells 0…10, 40-step limit), REINFORCE, \(episodes) episodes, seed \(seed)")
var returns: [Double] = []
for episode in 1...episodes {
    returns.append(learner.runEpisode())  // sample a_t ~ π(·|s_t) until the episode ends
    learner.update()  // one Adam step on L = Σ_t −log π(a_t|s_t) · Ĝ_t
    if episode % 50 == 0 || episode == episodes {
        let average = LearningCurve.lastMean(returns, count: 20)
        print("episode \(episode): mean return of the last 20 episodes \(formatted(average))")
    }
}

let first = LearningCurve.mean(Array(returns.prefix(20)))
let last = LearningCurve.lastMean(returns, count: 20)
print("mean return, first 20 episodes: \(formatted(first))")
print("mean return, last 20 episodes: \(formatted(last))")

// The greedy policy on a few hand-picked situations: it should walk toward the goal.
for (position, goal) in [(2, 8), (8, 2), (5, 6), (5, 4)] {
    let observation: [Float] = [Float(position) / 10, Float(goal - position) / 10]
    let direction = policy.greedyAction(observation) == 1 ? "right" : "left"
    print("at \(position), goal \(goal): walks \(direction)")
}

func formatted(_ value: Double) -> String { String(Double(Int((value * 1000).rounded())) / 1000) }
