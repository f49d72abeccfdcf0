import HPDRL
import HPDTensor

/// CartPole-v1 exactly as Gymnasium defines it (Barto, Sutton & Anderson, 1983).
///
/// State (x, ẋ, θ, θ̇) in Double; observations are its Float copy. A step pushes the cart with F = ±10 N and
/// integrates with explicit Euler, τ = 0.02 s:
///
///     temp = (F + m_p·l·θ̇²·sin θ) / (m_c + m_p)
///     θ̈ = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ / (m_c + m_p)))
///     ẍ = temp − m_p·l·θ̈·cos θ / (m_c + m_p)
///     x ← x + τẋ,  ẋ ← ẋ + τẍ,  θ ← θ + τθ̇,  θ̇ ← θ̇ + τθ̈
///
/// with g = 9.8, m_c = 1, m_p = 0.1, l = 0.5 (half the pole). The episode terminates when |x| > 2.4 or
/// |θ| > 12°; every step, the terminating one included, pays reward 1. Resets draw the state from U(−0.05, 0.05)⁴.
/// Use `CartPole.makeV1()` for the registered version with the 500-step time limit.
public struct CartPole: RandomStateEnvironment {
    /// g, the gravitational acceleration (m/s²).
    public static let gravity = 9.8
    /// m_c, the cart's mass (kg).
    public static let cartMass = 1.0
    /// m_p, the pole's mass (kg).
    public static let poleMass = 0.1
    /// m_c + m_p.
    public static let totalMass = cartMass + poleMass
    /// l, half the pole's length (m).
    public static let halfPoleLength = 0.5
    /// m_p·l.
    public static let poleMassLength = poleMass * halfPoleLength
    /// |F|, the force of one push (N).
    public static let forceMagnitude = 10.0
    /// τ, the Euler integration step (s).
    public static let timeStep = 0.02
    /// 12° in radians.
    public static let angleThreshold = 12 * 2 * Double.pi / 360
    /// The cart position |x| beyond which the episode terminates (m).
    public static let positionThreshold = 2.4
    /// CartPole-v1's time limit.
    public static let maxEpisodeSteps = 500

    /// The physical state (x, ẋ, θ, θ̇).
    public var state: [Double] = [0, 0, 0, 0]
    private var generator = RandomGenerator(seed: 0)
    private var observationBuffer: [Float] = [0, 0, 0, 0]

    /// A cart-pole at rest at the origin; call `reset(seed:)` before the first step. No time limit (see `makeV1()`).
    public init() {}

    /// CartPole-v1: CartPole wrapped in its 500-step time limit.
    public static func makeV1() -> TimeLimit<CartPole> { TimeLimit(CartPole(), maxEpisodeSteps: maxEpisodeSteps) }

    /// 4: (x, ẋ, θ, θ̇).
    public var observationSize: Int { 4 }
    /// Two actions: 0 pushes left, 1 pushes right.
    public var actionSpace: ActionSpace { .discrete(count: 2) }

    /// Reseeds when `seed` is given, then draws (x, ẋ, θ, θ̇) from U(−0.05, 0.05)⁴ and returns it as the observation.
    public mutating func reset(seed: UInt64?) -> [Float] {
        if let seed { generator = RandomGenerator(seed: seed) }
        for index in 0..<4 { state[index] = generator.uniform(-0.05, 0.05) }
        return observation()
    }

    /// Sets the physical state directly (tests and checkpoints).
    public mutating func setState(_ newState: [Double]) {
        Precondition.check(newState.count == 4, "CartPole state has 4 components, got \(newState.count)")
        state = newState
    }

    /// The generator state (checkpoints).
    public var randomState: RandomGenerator {
        get { generator }
        set { generator = newValue }
    }

    /// Pushes the cart (action 0 left, 1 right), integrates one Euler step and pays reward 1; terminates past the
    /// position or angle threshold. Any other action is a programmer error.
    public mutating func step(_ action: EnvironmentAction) -> StepResult {
        guard case .discrete(let choice) = action, choice == 0 || choice == 1 else {
            Precondition.failure("CartPole takes action 0 or 1, got \(action)")
        }
        let force = choice == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let (x, xDot, theta, thetaDot) = (state[0], state[1], state[2], state[3])
        let cosine = _cosine(theta)
        let sine = _sine(theta)
        let temp = (force + Self.poleMassLength * thetaDot * thetaDot * sine) / Self.totalMass
        let thetaAcceleration =
            (Self.gravity * sine - cosine * temp)
            / (Self.halfPoleLength * (4.0 / 3.0 - Self.poleMass * cosine * cosine / Self.totalMass))
        let xAcceleration = temp - Self.poleMassLength * thetaAcceleration * cosine / Self.totalMass
        state[0] = x + Self.timeStep * xDot
        state[1] = xDot + Self.timeStep * xAcceleration
        state[2] = theta + Self.timeStep * thetaDot
        state[3] = thetaDot + Self.timeStep * thetaAcceleration
        let terminated =
            state[0] < -Self.positionThreshold || state[0] > Self.positionThreshold
            || state[2] < -Self.angleThreshold || state[2] > Self.angleThreshold
        return StepResult(observation: observation(), reward: 1, terminated: terminated, truncated: false)
    }

    private mutating func observation() -> [Float] {
        for index in 0..<4 { observationBuffer[index] = Float(state[index]) }
        return observationBuffer
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _cosine(_ value: Double) -> Double { Glibc.cos(value) }
@inline(__always) private func _sine(_ value: Double) -> Double { Glibc.sin(value) }
#else
import Foundation
@inline(__always) private func _cosine(_ value: Double) -> Double { Foundation.cos(value) }
@inline(__always) private func _sine(_ value: Double) -> Double { Foundation.sin(value) }
#endif
