import ArgumentParser
import Foundation
import HPDFederation
import HPDLunarLander
import HPDNN
import HPDRL

/// `fedhpd watch`: one evaluation episode of a policy as a self-contained animated SVG.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Render one evaluation episode of a policy file as an animated SVG that plays in any browser.",
        discussion: """
            Plays the episode `fedhpd evaluate --seed S` plays first (reset seed S) and draws it at 50 frames per second:
            CartPole (cart, pole, track), LunarLander (terrain, helipad flags, lander, legs, engine flames) or
            InvertedPendulum (cart, pole, rail), with the step counter and the return so far.
            """)

    @Argument(help: "A .safetensors policy file.")
    var policy: String
    @Option(help: "The SVG file to write.")
    var out: String
    @Option(help: "S: the episode starts from reset(seed: S).")
    var seed: UInt64 = 0
    @Option(help: "greedy (most probable action; Gaussian: the mean) or sample.")
    var mode: PolicyEvaluation.Mode = .greedy
    @Option(help: "Write a still of this step instead of the animation.")
    var frame: Int?
    @Option(help: "Also write the episode's observations, actions and returns to this CSV file.")
    var states: String?

    func run() throws {
        let url = URL(fileURLWithPath: policy)
        let saved: SavedPolicy
        do { saved = try SavedPolicy.load(from: url) } catch { throw CommandError("\(error)") }
        let environment: EnvironmentSpecification
        do { environment = try Catalog.all.specification(for: saved.environment) } catch {
            throw CommandError("\(url.path): metadata 'environment': \(error)")
        }
        do { try saved.checkFits(environment, path: url.path) } catch { throw CommandError("\(error)") }
        let evaluation = PolicyEvaluation(environment: environment, episodes: 1, seed: seed, mode: mode)
        var instance = try environment.makeEnvironment(40_000)
        var generator = evaluation.samplingGenerator(agentIndex: saved.agentIndex ?? 1)
        var frames: [EpisodeFrame] = []
        _ = evaluation.playEpisode(0, with: saved.policy, in: &instance, generator: &generator) {
            observation, action, total in
            frames.append(EpisodeFrame(observation: observation, action: action, returnSoFar: total))
        }
        if let frame, !frames.indices.contains(frame) {
            throw CommandError("--frame \(frame): the episode has steps 0…\(frames.count - 1)")
        }
        let animation: EpisodeAnimation
        switch environment.id {
        case "CartPole-v1":
            animation = EpisodeScenes.cartPole(
                frames, environment: environment.id, angleIndex: 2, pixelsPerMetre: 100, poleMetres: 1, railMetres: 2.4)
        case "InvertedPendulum-v4":
            animation = EpisodeScenes.cartPole(
                frames, environment: environment.id, angleIndex: 1, pixelsPerMetre: 200, poleMetres: 0.6, railMetres: 1)
        case "LunarLander-v3":
            animation = EpisodeScenes.lunarLander(frames, environment: environment.id, lander: instance as! LunarLander)
        default:
            throw CommandError("\(url.path): fedhpd watch cannot draw \(environment.id)")
        }
        try AtomicFile.write(animation.svg(still: frame), to: URL(fileURLWithPath: out))
        if let states { try AtomicFile.write(Self.statesCSV(frames), to: URL(fileURLWithPath: states)) }
        print("\(out): \(frames.count - 1) steps, return \(String(format: "%.1f", frames.last?.returnSoFar ?? 0))")
    }

    /// `step,observation 1,…,action,return`, one row per state (no action at the final state).
    static func statesCSV(_ frames: [EpisodeFrame]) -> String {
        let width = frames.first?.observation.count ?? 0
        var text = "step," + (1...max(width, 1)).map { "observation \($0)" }.joined(separator: ",") + ",action,return\n"
        for (step, frame) in frames.enumerated() {
            let action: String
            switch frame.action {
            case .discrete(let index)?: action = "\(index)"
            case .continuous(let values)?: action = values.map { "\($0)" }.joined(separator: " ")
            case nil: action = ""
            }
            text +=
                "\(step)," + frame.observation.map { "\($0)" }.joined(separator: ",")
                + ",\(action),\(frame.returnSoFar)\n"
        }
        return text
    }
}
