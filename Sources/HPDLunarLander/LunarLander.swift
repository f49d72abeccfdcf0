import HPDRL
import HPDTensor

/// Gymnasium's LunarLander-v3 with discrete actions and no wind, simulated by Box2D 2.4.1.
///
/// **Observation** (8 floats), from the lander's position p, velocity v, angle θ and angular velocity ω in world units
/// (W = 20, H = 13.33, helipad height h = H / 4, leg offset d = 18 / 30, 50 frames per second):
///
///     [ (pₓ − W/2) / (W/2),  (p_y − h − d) / (H/2),  vₓ · (W/2) / 50,  v_y · (H/2) / 50,  θ,  20 · ω / 50,
///       first leg touches ground ? 1 : 0,  second leg touches ground ? 1 : 0 ]
///
/// The first leg is the one attached at +x. Gymnasium's observation box is ±2.5 for positions, ±10 for velocities,
/// ±2π for the angle, 0…1 for the contacts (the values can exceed it in spikes).
///
/// **Actions** (`.discrete(0..<4)`): 0 do nothing, 1 fire the left orientation engine, 2 fire the main engine,
/// 3 fire the right orientation engine. Any other action is a precondition failure.
///
/// **Reward.** With the shaping potential
///
///     Φ(s) = −100 · √(s₀² + s₁²) − 100 · √(s₂² + s₃²) − 100 · |s₄| + 10 · s₆ + 10 · s₇
///
/// each step earns r = Φ(s′) − Φ(s) − 0.30 · [main engine fired] − 0.03 · [side engine fired]. The episode
/// terminates with r = −100 when the lander body touches the ground (a crash) or |s₀| ≥ 1 (it left the viewport),
/// and with r = +100 when Box2D puts the lander to sleep (it came to rest); the latter wins if both happen.
///
/// **Start.** A random terrain (`LunarLanderTerrain`) with a flat helipad at x = 0, the lander at the top centre,
/// a random force uniform in [−1000, 1000]² applied for its first frame; `reset` then takes one no-op step, as
/// Gymnasium does, and returns that step's observation.
///
/// **Time limit.** `step` sets `truncated` once `maxEpisodeSteps` steps (1000 by default, Gymnasium's registration)
/// have been taken since `reset`, unless that step also terminated (as HPDRL's `TimeLimit`); no extra wrapper is
/// needed.
///
/// **Randomness.** Terrain, initial force and the engines' dispersion noise all come from one `RandomGenerator`;
/// `reset(seed:)` replaces it only when a seed is given, so the same seed gives the same trajectory for the same
/// actions. Call `reset` before the first `step`.
public final class LunarLander: Environment {
    /// Gymnasium's registered step limit for LunarLander-v3.
    public static let maxEpisodeSteps = 1000
    /// The observation length, 8.
    public static let observationCount = 8
    /// The number of discrete actions, 4.
    public static let actionCount = 4

    /// The step limit of this instance: `step` reports `truncated` (unless it terminated) once this many steps were
    /// taken since `reset`.
    public let maxEpisodeSteps: Int
    /// The stream index combined with every seed given to `reset(seed:)`.
    public let stream: UInt64
    /// The random stream behind terrain, initial force and engine dispersion.
    public var generator: RandomGenerator
    /// The number of steps taken since the last `reset` (the no-op step inside `reset` is not counted).
    public private(set) var elapsedSteps = 0

    private let world = Box2DWorld()
    /// The helipad's height in world units (H / 4; set by `reset`).
    public private(set) var helipadY = 0.0
    /// The current episode's terrain polyline in world units (set by `reset`), for renderers.
    public private(set) var terrainOutline: [(x: Double, y: Double)] = []
    private var previousShaping: Double?

    /// Creates the environment; the random stream starts as `RandomGenerator(seed: seed, stream: stream)`.
    /// `stream` (e.g. an agent index) is kept for later seeded resets, so equal seeds on different streams differ.
    public init(seed: UInt64 = 0, stream: UInt64 = 0, maxEpisodeSteps: Int = LunarLander.maxEpisodeSteps) {
        Precondition.check(maxEpisodeSteps > 0, "maxEpisodeSteps must be positive, got \(maxEpisodeSteps)")
        self.stream = stream
        self.generator = RandomGenerator(seed: seed, stream: stream)
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    /// The length of every observation, 8.
    public var observationSize: Int { Self.observationCount }

    /// Four discrete actions: no-op, left engine, main engine, right engine.
    public var actionSpace: ActionSpace { .discrete(count: Self.actionCount) }

    /// Builds a new world (terrain, lander, legs, random initial force), takes one no-op step and returns its
    /// observation. Only when `seed` is given does it restart the random stream, as `RandomGenerator(seed: seed,
    /// stream: stream)` with this instance's `stream`; otherwise it continues the current stream.
    public func reset(seed: UInt64?) -> [Float] {
        if let seed { generator = RandomGenerator(seed: seed, stream: stream) }
        let terrain = LunarLanderTerrain(using: &generator)
        helipadY = terrain.helipadY
        terrainOutline = Array(zip(terrain.pointX, terrain.pointY))
        let force = LunarLanderConstants.initialRandomForce
        let initialForce = (x: generator.uniform(-force, force), y: generator.uniform(-force, force))
        let start = (x: LunarLanderConstants.worldWidth / 2, y: LunarLanderConstants.worldHeight)
        world.buildEpisode(terrain: terrain, start: start, initialForce: initialForce)
        previousShaping = nil
        elapsedSteps = 0
        return advance(action: 0).observation
    }

    /// Fires the chosen engine, advances the world by 1/50 s and returns the observation, the shaped reward and the
    /// flags (see the type's documentation for the formulas). `action` must be `.discrete(0..<4)`.
    ///
    /// Stepping on after `terminated` or `truncated` keeps simulating (as Gymnasium's unwrapped environment does);
    /// callers should `reset` instead.
    public func step(_ action: EnvironmentAction) -> StepResult {
        guard case .discrete(let index) = action, (0..<Self.actionCount).contains(index) else {
            Precondition.failure("LunarLander takes .discrete(0..<\(Self.actionCount)) actions, got \(action)")
        }
        Precondition.check(world.hasEpisode, "call LunarLander.reset(seed:) before step")
        var result = advance(action: index)
        elapsedSteps += 1
        result.truncated = !result.terminated && elapsedSteps >= maxEpisodeSteps
        return result
    }

    /// One Gymnasium `step`: engines, physics, observation, reward and termination (without the time limit).
    private func advance(action: Int) -> StepResult {
        let before = world.state
        let engines = LunarLanderEngines(
            position: before.position, angle: before.angle,
            dispersion: (
                generator.uniform(-1, 1) / LunarLanderConstants.scale,
                generator.uniform(-1, 1) / LunarLanderConstants.scale
            ))
        var mainEnginePower = 0.0
        var sideEnginePower = 0.0
        switch action {
        case 2:
            mainEnginePower = 1
            let thrust = engines.mainEngineImpulse()
            world.applyImpulse(thrust.impulse, at: thrust.point)
        case 1, 3:
            sideEnginePower = 1
            let thrust = engines.sideEngineImpulse(direction: Double(action - 2))
            world.applyImpulse(thrust.impulse, at: thrust.point)
        default:
            break
        }
        world.stepFrame()

        let after = world.state
        let state = observation(of: after)
        let shaping = Self.shaping(state)
        var reward = previousShaping.map { shaping - $0 } ?? 0
        previousShaping = shaping
        reward -= mainEnginePower * LunarLanderConstants.mainEngineFuelCost
        reward -= sideEnginePower * LunarLanderConstants.sideEngineFuelCost

        var terminated = false
        if after.landerBodyContact || abs(state[0]) >= 1 {
            terminated = true
            reward = -100
        }
        if !after.landerAwake {
            terminated = true
            reward = 100
        }
        return StepResult(
            observation: state.map { Float($0) }, reward: reward, terminated: terminated, truncated: false)
    }

    /// The observation in double precision (Gymnasium computes it in Python floats, then stores float32).
    private func observation(of body: LanderBodyState) -> [Double] {
        let halfWidth = LunarLanderConstants.worldWidth / 2
        let halfHeight = LunarLanderConstants.worldHeight / 2
        let fps = LunarLanderConstants.framesPerSecond
        return [
            (body.position.x - halfWidth) / halfWidth,
            (body.position.y - (helipadY + LunarLanderConstants.legDown / LunarLanderConstants.scale))
                / halfHeight,
            body.velocity.x * halfWidth / fps,
            body.velocity.y * halfHeight / fps,
            body.angle,
            20 * body.angularVelocity / fps,
            body.firstLegContact ? 1 : 0,
            body.secondLegContact ? 1 : 0,
        ]
    }

    /// The shaping potential Φ(s) = −100·√(s₀² + s₁²) − 100·√(s₂² + s₃²) − 100·|s₄| + 10·s₆ + 10·s₇.
    static func shaping(_ state: [Double]) -> Double {
        -100 * (state[0] * state[0] + state[1] * state[1]).squareRoot()
            - 100 * (state[2] * state[2] + state[3] * state[3]).squareRoot()
            - 100 * abs(state[4])
            + 10 * state[6]
            + 10 * state[7]
    }
}
