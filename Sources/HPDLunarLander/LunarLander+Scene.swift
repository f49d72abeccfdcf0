/// Geometry a renderer needs to draw LunarLander as Gymnasium does (world units; 30 pixels per unit).
extension LunarLander {
    /// The viewport, 20 × 13.33 world units (600 × 400 pixels at `pixelsPerUnit`).
    public static var worldSize: (width: Double, height: Double) {
        (LunarLanderConstants.worldWidth, LunarLanderConstants.worldHeight)
    }
    /// Gymnasium's scale, 30 pixels per world unit.
    public static var pixelsPerUnit: Double { LunarLanderConstants.scale }
    /// The helipad flags' x positions (terrain vertices chunkCount/2 − 1 and chunkCount/2 + 1).
    public static var helipadFlagsX: (left: Double, right: Double) {
        let chunks = LunarLanderConstants.terrainChunkCount
        let spacing = LunarLanderConstants.worldWidth / Double(chunks - 1)
        return (spacing * Double(chunks / 2 - 1), spacing * Double(chunks / 2 + 1))
    }

    /// The lander's world position from an observation: x = (s₀ + 1)·W/2, y = s₁·H/2 + helipad height + leg length.
    public func landerPosition(observation: [Float]) -> (x: Double, y: Double) {
        let (width, height) = Self.worldSize
        return (
            (Double(observation[0]) + 1) * width / 2,
            Double(observation[1]) * height / 2 + helipadY + LunarLanderConstants.legDown / LunarLanderConstants.scale
        )
    }
}
