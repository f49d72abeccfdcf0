/// Gymnasium's LunarLander-v3 constants (gymnasium/envs/box2d/lunar_lander.py, version 1.0.0).
///
/// Lengths given in pixels are divided by `scale` to become Box2D world units. The lander's own geometry (hull,
/// legs, joints) lives with the Box2D world in the CBox2D target.
enum LunarLanderConstants {
    /// Simulation frames per second; one environment step advances the world by 1 / fps seconds.
    static let framesPerSecond = 50.0
    /// Pixels per world unit.
    static let scale = 30.0

    /// Impulse factor of the main engine (MAIN_ENGINE_POWER).
    static let mainEnginePower = 13.0
    /// Impulse factor of each orientation engine (SIDE_ENGINE_POWER).
    static let sideEnginePower = 0.6
    /// Bound of each component of the random force applied to the lander at reset (INITIAL_RANDOM).
    static let initialRandomForce = 1000.0

    /// Height of the side engines above the lander's origin, pixels (SIDE_ENGINE_HEIGHT).
    static let sideEngineHeight = 14.0
    /// Horizontal offset of the side engines, pixels (SIDE_ENGINE_AWAY).
    static let sideEngineAway = 12.0
    /// Gymnasium's hard-coded 17: the side engines' offset along the lander's "tip" axis, pixels.
    static let sideEngineTipOffset = 17.0
    /// Depth of the main engine below the lander's origin, pixels (MAIN_ENGINE_Y_LOCATION).
    static let mainEngineDepth = 4.0
    /// Vertical offset of a leg's joint anchor, pixels (LEG_DOWN); the observation's y is measured from
    /// helipad height + legDown / scale.
    static let legDown = 18.0

    /// Viewport size in pixels.
    static let viewportWidth = 600.0
    static let viewportHeight = 400.0
    /// Viewport size in world units: W = 20, H = 13.33….
    static let worldWidth = viewportWidth / scale
    static let worldHeight = viewportHeight / scale

    /// Number of terrain chunks (CHUNKS); the terrain polyline has this many vertices.
    static let terrainChunkCount = 11

    /// Box2D solver iterations per step, as Gymnasium passes them to `world.Step`.
    static let velocityIterations: Int32 = 6 * 30
    static let positionIterations: Int32 = 2 * 30

    /// Fuel cost per frame of the main engine and of a side engine.
    static let mainEngineFuelCost = 0.30
    static let sideEngineFuelCost = 0.03
}
