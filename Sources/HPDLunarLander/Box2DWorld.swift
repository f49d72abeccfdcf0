internal import CBox2D
import HPDTensor

/// The one file that calls the CBox2D C interface: owns a `LunarLanderPhysics` handle and frees it in `deinit`.
///
/// Not thread-safe; each environment owns its own world.
final class Box2DWorld {
    private let handle: OpaquePointer
    /// Whether `buildEpisode` has been called at least once (before that there is no lander to step or read).
    private(set) var hasEpisode = false

    init() {
        handle = lunar_lander_physics_create()
    }

    deinit {
        lunar_lander_physics_destroy(handle)
    }

    /// Replaces the world by a fresh one with `terrain`, the lander at `start` and its legs; the lander receives
    /// `initialForce` during the first step.
    func buildEpisode(terrain: LunarLanderTerrain, start: (x: Double, y: Double), initialForce: (x: Double, y: Double))
    {
        Precondition.check(terrain.pointX.count == terrain.pointY.count, "terrain needs as many x as y coordinates")
        terrain.pointX.withUnsafeBufferPointer { xs in
            terrain.pointY.withUnsafeBufferPointer { ys in
                lunar_lander_physics_build_episode(
                    handle, xs.baseAddress, ys.baseAddress, Int32(xs.count), LunarLanderConstants.worldWidth,
                    start.x, start.y, initialForce.x, initialForce.y)
            }
        }
        hasEpisode = true
    }

    /// Applies the linear impulse `impulse` to the lander at world point `point`.
    func applyImpulse(_ impulse: (x: Double, y: Double), at point: (x: Double, y: Double)) {
        lunar_lander_physics_apply_impulse(handle, impulse.x, impulse.y, point.x, point.y)
    }

    /// Advances the world by one frame (1 / 50 s) with Gymnasium's iteration counts (180 velocity, 60 position).
    func stepFrame() {
        lunar_lander_physics_step(
            handle, 1.0 / LunarLanderConstants.framesPerSecond, LunarLanderConstants.velocityIterations,
            LunarLanderConstants.positionIterations)
    }

    /// The lander's current state and contact flags.
    var state: LanderBodyState {
        let raw = lunar_lander_physics_state(handle)
        return LanderBodyState(
            position: (Double(raw.positionX), Double(raw.positionY)),
            velocity: (Double(raw.velocityX), Double(raw.velocityY)),
            angle: Double(raw.angle), angularVelocity: Double(raw.angularVelocity),
            firstLegContact: raw.firstLegContact, secondLegContact: raw.secondLegContact,
            landerBodyContact: raw.landerBodyContact, landerAwake: raw.landerAwake)
    }
}

/// The lander's state as Box2D reports it (single-precision values widened to `Double`), world units and radians.
struct LanderBodyState {
    var position: (x: Double, y: Double)
    var velocity: (x: Double, y: Double)
    var angle: Double
    var angularVelocity: Double
    /// The leg attached at +x touches the ground (Gymnasium's `legs[0].ground_contact`).
    var firstLegContact: Bool
    /// The leg attached at −x touches the ground (Gymnasium's `legs[1].ground_contact`).
    var secondLegContact: Bool
    /// The lander body has touched the ground this episode (Gymnasium's `game_over`).
    var landerBodyContact: Bool
    /// Box2D still simulates the lander (it has not come to rest).
    var landerAwake: Bool
}
