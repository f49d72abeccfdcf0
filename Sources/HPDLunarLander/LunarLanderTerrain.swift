import HPDTensor

/// The random moon surface of one episode: a polyline over the viewport's width with a flat helipad in the middle.
///
/// Gymnasium draws `chunkCount + 1` heights uniformly in [0, H/2), forces the five middle ones to the helipad height
/// H/4, and smooths them: yᵢ = 0.33 · (hᵢ₋₁ + hᵢ + hᵢ₊₁) for i in 0..<chunkCount, where h₋₁ is the last height
/// (Python's negative index wraps around; we keep that quirk). Vertex i sits at xᵢ = W / (chunkCount − 1) · i.
struct LunarLanderTerrain {
    /// The x coordinates of the polyline's vertices, world units.
    var pointX: [Double]
    /// The y coordinates of the polyline's vertices, world units.
    var pointY: [Double]
    /// The helipad's height, H / 4 (the helipad spans vertices chunkCount/2 − 1 … chunkCount/2 + 1).
    var helipadY: Double

    /// Draws a terrain from `generator` (consuming `terrainChunkCount + 1` uniforms).
    init(using generator: inout RandomGenerator) {
        let chunkCount = LunarLanderConstants.terrainChunkCount
        let width = LunarLanderConstants.worldWidth
        let height = LunarLanderConstants.worldHeight

        var heights = (0...chunkCount).map { _ in generator.uniform(0, height / 2) }
        helipadY = height / 4
        for index in (chunkCount / 2 - 2)...(chunkCount / 2 + 2) {
            heights[index] = helipadY
        }

        pointX = (0..<chunkCount).map { width / Double(chunkCount - 1) * Double($0) }
        pointY = (0..<chunkCount).map { index in
            let previous = heights[(index - 1 + heights.count) % heights.count]
            return 0.33 * (previous + heights[index] + heights[index + 1])
        }
    }
}
