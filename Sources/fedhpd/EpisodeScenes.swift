import Foundation
import HPDLunarLander
import HPDRL

/// One state of a watched episode: what the agent saw, what it did (nil at the final state) and its return so far.
struct EpisodeFrame {
    var observation: [Float]
    var action: EnvironmentAction?
    var returnSoFar: Double
}

/// Drawings of the three tasks, in Gymnasium's look and proportions, as `EpisodeAnimation`s (600 × 400 pixels).
enum EpisodeScenes {
    /// The pole's colour in the cart-pole scenes (tests find the pole by it).
    static let poleColour = "#ca9865"

    static func captions(_ frames: [EpisodeFrame], environment: String) -> [String] {
        frames.indices.map { "\(environment)  step \($0)  return \(String(format: "%.1f", frames[$0].returnSoFar))" }
    }

    /// A cart on a track with a pole hinged on top. Observation: [x, ẋ, θ, θ̇] (CartPole) or [x, θ, ẋ, θ̇]
    /// (InvertedPendulum); θ > 0 leans the pole towards +x, drawn as a clockwise rotation.
    static func cartPole(
        _ frames: [EpisodeFrame], environment: String, angleIndex: Int, pixelsPerMetre: Double, poleMetres: Double,
        railMetres: Double
    ) -> EpisodeAnimation {
        let trackY = 300.0
        let cartWidth = 50.0
        let cartHeight = 30.0
        let railLeft = 300 - railMetres * pixelsPerMetre
        let background = """
            <rect width="600" height="400" fill="#fff"/>
            <line x1="\(railLeft)" y1="\(trackY)" x2="\(600 - railLeft)" y2="\(trackY)" stroke="#000" stroke-width="2"/>
            """
        let cartX = frames.map { 300 + Double($0.observation[0]) * pixelsPerMetre }
        let cart = EpisodeAnimation.Part(
            drawing:
                "<rect x=\"\(-cartWidth / 2)\" y=\"\(-cartHeight / 2)\" width=\"\(cartWidth)\" height=\"\(cartHeight)\" fill=\"#000\"/>",
            poses: cartX.map { .init(x: $0, y: trackY) })
        let poleLength = poleMetres * pixelsPerMetre
        let pole = EpisodeAnimation.Part(
            drawing:
                "<rect x=\"-5\" y=\"\(-poleLength)\" width=\"10\" height=\"\(poleLength)\" fill=\"\(poleColour)\"/>"
                + "<circle r=\"4\" fill=\"#8184cb\"/>",
            poses: zip(frames, cartX).map { frame, x in
                .init(x: x, y: trackY - cartHeight / 2, degrees: Double(frame.observation[angleIndex]) * 180 / .pi)
            })
        return EpisodeAnimation(
            width: 600, height: 400, background: background, parts: [cart, pole],
            captions: captions(frames, environment: environment))
    }

    /// Sky, terrain, the helipad's flags, the lander with its legs, and engine flames when an engine fires
    /// (actions: 1 left engine, 2 main engine, 3 right engine).
    static func lunarLander(_ frames: [EpisodeFrame], environment: String, lander: LunarLander) -> EpisodeAnimation {
        let scale = LunarLander.pixelsPerUnit
        let height = LunarLander.worldSize.height * scale
        func point(_ x: Double, _ y: Double) -> String {
            "\(EpisodeAnimation.number(x * scale)),\(EpisodeAnimation.number(height - y * scale))"
        }
        let ground = lander.terrainOutline.map { point($0.x, $0.y) }.joined(separator: " ")
        let flags = [LunarLander.helipadFlagsX.left, LunarLander.helipadFlagsX.right].map { x -> String in
            let (px, base) = (x * scale, height - lander.helipadY * scale)
            return
                "<line x1=\"\(px)\" y1=\"\(base)\" x2=\"\(px)\" y2=\"\(base - 50)\" stroke=\"#fff\" stroke-width=\"1\"/>"
                + "<polygon points=\"\(px),\(base - 50) \(px),\(base - 40) \(px + 25),\(base - 45)\" fill=\"#cc0\"/>"
        }.joined()
        let background = """
            <rect width="600" height="400" fill="#000"/>
            <polygon points="0,400 \(ground) 600,400" fill="#fff"/>
            \(flags)
            """
        let body = """
            <line x1="-14" y1="10" x2="-20" y2="28" stroke="#4d4d80" stroke-width="4"/>\
            <line x1="14" y1="10" x2="20" y2="28" stroke="#4d4d80" stroke-width="4"/>\
            <polygon points="-14,-17 -17,0 -17,10 17,10 17,0 14,-17" fill="#8066e6" stroke="#4d4d80"/>
            """
        let poses = frames.map { frame -> EpisodeAnimation.Pose in
            let position = lander.landerPosition(observation: frame.observation)
            return .init(
                x: position.x * scale, y: height - position.y * scale,
                degrees: -Double(frame.observation[4]) * 180 / .pi)
        }
        func firing(_ engine: Int) -> [Bool] { frames.map { $0.action == .discrete(engine) } }
        let flames = [
            (2, "<polygon points=\"-6,10 6,10 0,34\" fill=\"#f80\"/>"),
            (1, "<polygon points=\"17,-4 17,4 30,0\" fill=\"#f80\"/>"),
            (3, "<polygon points=\"-17,-4 -17,4 -30,0\" fill=\"#f80\"/>"),
        ].map { EpisodeAnimation.Part(drawing: $0.1, poses: poses, shown: firing($0.0)) }
        return EpisodeAnimation(
            width: 600, height: 400, background: background,
            parts: [EpisodeAnimation.Part(drawing: body, poses: poses)] + flames,
            captions: captions(frames, environment: environment))
    }
}
