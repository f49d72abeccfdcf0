import ArgumentParser
import Foundation
import HPDFederation

/// `fedhpd public-states`: builds a public state set with a virtual agent.
struct PublicStatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public-states",
        abstract:
            "Build a public state set: train a virtual agent, roll out its checkpoints, PCA + k-means++, equal draws per cluster."
    )

    @Option(help: "Environment id.")
    var env = "CartPole-v1"
    @Option(help: "Number of states (default: the paper's for the environment).")
    var count: Int?
    @Option(
        name: [.customLong("selection"), .customLong("method")],
        help:
            "equal-per-cluster (the reference's recipe; alias cluster), single-cluster (all from one random cluster) or uniform (from the whole rollout pool; alias random)."
    )
    var method = "equal-per-cluster"
    @Option(help: "Seed of the virtual agent and the selection.")
    var seed: UInt64 = 0
    @Option(
        name: .customLong("virtual-agent-episodes"),
        help: "Override the recipe's training episodes (checkpoints are spread over the second half).")
    var virtualAgentEpisodes: Int?
    @Option(help: "Output CSV (written atomically).")
    var out: String
    @OptionGroup var kernels: KernelOptions

    func run() throws {
        try kernels.apply()
        let environment = try Catalog.all.specification(for: env)
        guard let selection = PublicStateBuilder.SelectionMethod(name: method) else {
            throw CommandError("--selection must be \(PublicStateBuilder.SelectionMethod.accepted), got '\(method)'")
        }
        let total = count ?? environment.publicStateCount
        guard total > 0 else { throw CommandError("--count must be positive, got \(total)") }
        try OutputLocation.checkFile(out, option: "--out")  // before the virtual agent trains
        var recipe = environment.publicStateRecipe
        if let virtualAgentEpisodes {
            guard virtualAgentEpisodes >= 2 else { throw CommandError("--virtual-agent-episodes must be at least 2") }
            recipe.episodes = virtualAgentEpisodes
            recipe.firstCheckpoint = virtualAgentEpisodes / 2
            recipe.checkpointEvery = max(1, virtualAgentEpisodes / 20)
        }
        let set: PublicStateSet
        do {
            set = try PublicStateBuilder(environment: environment, recipe: recipe).build(
                count: total, method: selection, seed: seed
            ) { message in
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
        } catch let error as PublicStateBuilder.CountError {
            throw CommandError("--count: \(error)")
        }
        try set.write(to: URL(fileURLWithPath: out))
        print("wrote \(set.count) states (\(set.states.columns) columns) to \(out); checksum \(set.checksum)")
    }
}
