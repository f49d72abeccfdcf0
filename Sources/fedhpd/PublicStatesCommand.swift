import ArgumentParser
import Foundation
import HPDFederation

/// `fedhpd public-states`: builds a public state set with a virtual agent.
struct PublicStatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public-states",
        abstract: "Build a public state set: train a virtual agent, roll out its checkpoints, PCA + k-means++, equal draws per cluster.")

    @Option(help: "Environment id.")
    var env = "CartPole-v1"
    @Option(help: "Number of states (default: the paper's for the environment).")
    var count: Int?
    @Option(help: "cluster (the reference's recipe) or random (uniform from the rollout pool).")
    var method = "cluster"
    @Option(help: "Seed of the virtual agent and the selection.")
    var seed: UInt64 = 0
    @Option(help: "Output CSV (written atomically).")
    var out: String

    func run() throws {
        let environment = try Catalog.all.specification(for: env)
        guard let selection = PublicStateBuilder.SelectionMethod(rawValue: method) else {
            throw ValidationError("--method must be cluster or random, got '\(method)'")
        }
        let total = count ?? environment.publicStateCount
        guard total > 0 else { throw ValidationError("--count must be positive") }
        let set = try PublicStateBuilder(environment: environment).build(count: total, method: selection, seed: seed) { message in
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        try set.write(to: URL(fileURLWithPath: out))
        print("wrote \(set.count) states (\(set.states.columns) columns) to \(out); checksum \(set.checksum)")
    }
}
