#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Where and how hard Gymnasium's engines push the lander in one frame.
///
/// With the lander's angle θ, "tip" t = (sin θ, cos θ), "side" s = (−cos θ, sin θ), the dispersion noise
/// (δ₀, δ₁) with δᵢ uniform in [−1/30, 1/30) and SCALE = 30:
///
/// - main engine: o = (t₀·(4/30 + 2δ₀) + s₀·δ₁,  −t₁·(4/30 + 2δ₀) − s₁·δ₁); the impulse −13·o acts at p + o;
/// - side engine with direction k (−1 for action 1, +1 for action 3) and a = 3δ₁ + k·12/30:
///   o = (t₀·δ₀ + s₀·a,  −t₁·δ₀ − s₁·a); the impulse −0.6·o acts at p + o + (−t₀·17/30, t₁·14/30).
///
/// Gymnasium's mixed 17 / 14 offsets make the side engines' torque depend on the orientation; we keep them.
struct LunarLanderEngines {
    /// The lander's position, world units.
    var position: (x: Double, y: Double)
    /// t = (sin θ, cos θ).
    var tip: (Double, Double)
    /// s = (−cos θ, sin θ).
    var side: (Double, Double)
    /// (δ₀, δ₁), already divided by SCALE.
    var dispersion: (Double, Double)

    init(position: (Double, Double), angle: Double, dispersion: (Double, Double)) {
        self.position = position
        self.tip = (sin(angle), cos(angle))
        self.side = (-tip.1, tip.0)
        self.dispersion = dispersion
    }

    /// The main engine's impulse and its point of application.
    func mainEngineImpulse() -> (impulse: (x: Double, y: Double), point: (x: Double, y: Double)) {
        let scale = LunarLanderConstants.scale
        let reach = LunarLanderConstants.mainEngineDepth / scale + 2 * dispersion.0
        let offsetX = tip.0 * reach + side.0 * dispersion.1
        let offsetY = -tip.1 * reach - side.1 * dispersion.1
        let power = LunarLanderConstants.mainEnginePower
        return ((-offsetX * power, -offsetY * power), (position.x + offsetX, position.y + offsetY))
    }

    /// The impulse of the side engine firing in `direction` (−1 left engine, +1 right engine) and its point.
    func sideEngineImpulse(direction: Double) -> (impulse: (x: Double, y: Double), point: (x: Double, y: Double)) {
        let scale = LunarLanderConstants.scale
        let reach = 3 * dispersion.1 + direction * LunarLanderConstants.sideEngineAway / scale
        let offsetX = tip.0 * dispersion.0 + side.0 * reach
        let offsetY = -tip.1 * dispersion.0 - side.1 * reach
        let point = (
            position.x + offsetX - tip.0 * LunarLanderConstants.sideEngineTipOffset / scale,
            position.y + offsetY + tip.1 * LunarLanderConstants.sideEngineHeight / scale
        )
        let power = LunarLanderConstants.sideEnginePower
        return ((-offsetX * power, -offsetY * power), point)
    }
}
