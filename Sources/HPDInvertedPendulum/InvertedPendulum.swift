import HPDRL
import HPDTensor

/// Gymnasium's InvertedPendulum-v4 on MuJoCo physics: keep a pole upright by pushing the cart it is hinged to.
///
/// - Observation: `[cart position, pole angle, cart velocity, pole angular velocity]` (MuJoCo's `qpos` then `qvel`).
/// - Action: `.continuous([force])`, one value in [−3, 3]; MuJoCo clamps values outside that range.
/// - Each step applies the action for `frameSkip` (2) physics steps of 0.02 s and pays reward 1, including the
///   step that ends the episode (v4 semantics).
/// - Terminated when |pole angle| > 0.2 rad or the state is not finite; truncated after `maxEpisodeSteps` (1000).
/// - `reset(seed:)` sets `qpos = init_qpos + U(−0.01, 0.01)` and `qvel = init_qvel + U(−0.01, 0.01)` per component,
///   drawn from the environment's own `RandomGenerator`, reseeded only when a seed is given.
///
/// Before the first `reset`, the environment rests exactly at its initial state (upright, at rest).
/// A reference type that owns one MuJoCo simulation: copies share it, and one instance must not be stepped from two
/// threads at once (separate instances are independent).
public final class InvertedPendulum: Environment {
    /// Physics steps per environment step (Gymnasium's `frame_skip`).
    public static let frameSkip = 2
    /// The pole angle, in radians, beyond which the episode terminates.
    public static let angleLimit = 0.2
    /// Half-width of the uniform noise added to every position and velocity at reset.
    public static let resetNoiseScale = 0.01
    /// Gymnasium's registered time limit for InvertedPendulum-v4.
    public static let defaultMaxEpisodeSteps = 1000

    /// Four values: cart position, pole angle, cart velocity, pole angular velocity.
    public let observationSize = 4
    /// One continuous dimension bounded by the motor's control range, [−3, 3].
    public let actionSpace: ActionSpace
    /// The number of steps after which an episode is truncated.
    public let maxEpisodeSteps: Int
    /// Seconds of simulated time per environment step (timestep × frame skip, 0.04 s).
    public let stepDuration: Double
    /// Steps taken since the last reset.
    public private(set) var elapsedSteps = 0
    /// The random stream that draws the reset noise; save it with a checkpoint and assign it back to resume the
    /// exact sequence of episodes.
    public var randomGenerator: RandomGenerator

    private let simulation: MuJoCoSimulation
    private let initialPositions: [Double]
    private let initialVelocities: [Double]
    private var noisyPositions: [Double]
    private var noisyVelocities: [Double]

    /// Creates the environment from the bundled model (`defaultModelXML`).
    ///
    /// - Parameters:
    ///   - seed: Seeds the reset-noise stream until a later `reset(seed:)` reseeds it.
    ///   - maxEpisodeSteps: The time limit; Gymnasium registers 1000.
    /// - Throws: `MuJoCoModelError` if MuJoCo cannot load the model.
    public convenience init(seed: UInt64 = 0, maxEpisodeSteps: Int = InvertedPendulum.defaultMaxEpisodeSteps) throws {
        try self.init(modelXML: Self.defaultModelXML, seed: seed, maxEpisodeSteps: maxEpisodeSteps)
    }

    /// Creates the environment from a custom MJCF model with the same structure: one slide joint then one hinge
    /// (`nq = nv = 2`) and one actuator.
    ///
    /// - Throws: `MuJoCoModelError.invalidModelXML` with MuJoCo's message when the XML is corrupt, or
    ///   `.incompatibleModel` when it compiles but has the wrong number of joints or actuators.
    public init(
        modelXML: String, seed: UInt64 = 0, maxEpisodeSteps: Int = InvertedPendulum.defaultMaxEpisodeSteps
    )
        throws
    {
        Precondition.check(maxEpisodeSteps > 0, "maxEpisodeSteps must be positive, got \(maxEpisodeSteps)")
        let simulation = try MuJoCoSimulation(modelXML: modelXML)
        guard simulation.positionCount == 2, simulation.velocityCount == 2, simulation.controlCount == 1 else {
            throw MuJoCoModelError.incompatibleModel(
                reason: "expected nq = 2, nv = 2, nu = 1; got nq = \(simulation.positionCount), "
                    + "nv = \(simulation.velocityCount), nu = \(simulation.controlCount)")
        }
        let range = simulation.controlRange(actuator: 0) ?? (-Double.infinity, Double.infinity)
        self.simulation = simulation
        self.actionSpace = .continuous(low: [Float(range.low)], high: [Float(range.high)])
        self.maxEpisodeSteps = maxEpisodeSteps
        self.stepDuration = simulation.timestep * Double(Self.frameSkip)
        self.randomGenerator = RandomGenerator(seed: seed)
        self.initialPositions = simulation.defaultPositions
        self.initialVelocities = [Double](repeating: 0, count: simulation.velocityCount)
        self.noisyPositions = initialPositions
        self.noisyVelocities = initialVelocities
        simulation.resetData()
        simulation.setState(positions: initialPositions, velocities: initialVelocities)
    }

    /// Starts a new episode near the upright rest state; reseeds the noise stream only when `seed` is given.
    public func reset(seed: UInt64?) -> [Float] {
        if let seed { randomGenerator = RandomGenerator(seed: seed) }
        let scale = Self.resetNoiseScale
        for index in noisyPositions.indices {
            noisyPositions[index] = initialPositions[index] + randomGenerator.uniform(-scale, scale)
        }
        for index in noisyVelocities.indices {
            noisyVelocities[index] = initialVelocities[index] + randomGenerator.uniform(-scale, scale)
        }
        simulation.resetData()
        simulation.setState(positions: noisyPositions, velocities: noisyVelocities)
        elapsedSteps = 0
        return observation()
    }

    /// Starts a new episode continuing the current random stream (callable on a `let` constant, unlike the
    /// protocol's mutating `reset()`).
    public func reset() -> [Float] { reset(seed: nil) }

    /// Applies `.continuous([force])` for two physics steps and reports the new state.
    ///
    /// Forces outside [−3, 3] are clamped by MuJoCo. A discrete action or a wrong action count is a programming
    /// error and stops the program.
    public func step(_ action: EnvironmentAction) -> StepResult {
        guard case .continuous(let values) = action, values.count == 1 else {
            Precondition.failure("InvertedPendulum expects .continuous([force]) with one value, got \(action)")
        }
        simulation.setControl(Double(values[0]), actuator: 0)
        simulation.advance(frames: Self.frameSkip)
        elapsedSteps += 1

        let angle = simulation.position(1)
        let isFinite =
            simulation.position(0).isFinite && angle.isFinite
            && simulation.velocity(0).isFinite && simulation.velocity(1).isFinite
        let terminated = !isFinite || abs(angle) > Self.angleLimit
        return StepResult(
            observation: observation(), reward: 1, terminated: terminated,
            truncated: elapsedSteps >= maxEpisodeSteps)
    }

    /// The current `[x, θ, ẋ, θ̇]`.
    private func observation() -> [Float] {
        [
            Float(simulation.position(0)), Float(simulation.position(1)),
            Float(simulation.velocity(0)), Float(simulation.velocity(1)),
        ]
    }
}
