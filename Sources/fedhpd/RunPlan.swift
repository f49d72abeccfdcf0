import Foundation
import HPDFederation

/// Everything one `fedhpd train` will run, resolved from `RunChoices` and checked before anything is built or
/// written: the environment, agents, settings (method × interval), seeds, public states, output root and initial
/// policies. Every configuration it will run has passed `FederationConfiguration.validate()`.
struct RunPlan {
    var environment: EnvironmentSpecification
    var agents: [AgentSpecification]
    /// (method, interval) pairs; NoFed appears once (its interval is 1).
    var settings: [(method: FederationConfiguration.Method, interval: Int)]
    var seeds: [UInt64]
    var episodes: Int
    var loops: Int
    var partSize: Int
    var threads: Int
    var root: URL
    /// 'auto' or a CSV file.
    var publicStates: String
    var publicStatesMethod: PublicStateBuilder.SelectionMethod
    /// The states of a `--public-states FILE`, loaded once (nil for auto).
    var publicStateFile: PublicStateSet?
    var initialPolicies: InitialPoliciesRecord?
    /// `exclude`, or nil for the default `stop` (config.json then keeps its usual form).
    var onDivergence: DivergencePolicy?
    var federation: FederationChoiceOptions

    /// Resolves `choices` (defaults for what is not given) and checks every run it describes.
    init(_ choices: RunChoices, federation: FederationChoiceOptions, setup: RunSetup) throws {
        self.federation = federation
        onDivergence = choices.onDivergence == .exclude ? .exclude : nil
        environment = try Catalog.all.specification(for: choices.env ?? RunChoices.Defaults.env)
        if let episodes = choices.episodes, episodes <= 0 {
            throw CommandError("--episodes must be positive, got \(episodes)")
        }
        episodes = choices.episodes ?? environment.defaultEpisodes
        threads = choices.threads ?? RunChoices.Defaults.threads
        guard (1...4096).contains(threads) else { throw CommandError("--threads must be in 1...4096, got \(threads)") }
        loops = choices.loops ?? RunChoices.Defaults.loops
        partSize = choices.partSize ?? RunChoices.Defaults.partSize
        let methods = (choices.methods ?? RunChoices.Defaults.methods).items
        let intervals = (choices.intervals ?? RunChoices.Defaults.intervals).items
        seeds = (choices.seeds ?? RunChoices.Defaults.seeds).items
        settings = methods.flatMap { method in
            method == .nofed ? [(method: method, interval: 1)] : intervals.map { (method: method, interval: $0) }
        }
        if federation.isSet && !methods.contains(.fedhpd) {
            throw CommandError(
                "--aggregation, --participation, --dropout-probability and --adversarial-agents apply to --method fedhpd"
            )
        }
        let out = choices.out ?? RunChoices.Defaults.out
        try OutputLocation.checkFolder(out, option: "--out")
        root = URL(fileURLWithPath: out)
        agents = try setup.loadAgents(choices.agents ?? RunChoices.Defaults.agents, environment: environment)
        publicStates = choices.publicStates ?? RunChoices.Defaults.publicStates
        let methodName = choices.publicStatesMethod ?? RunChoices.Defaults.publicStatesMethod
        guard let selection = PublicStateBuilder.SelectionMethod(name: methodName) else {
            throw CommandError(
                "--public-states-method must be \(PublicStateBuilder.SelectionMethod.accepted), got '\(methodName)'")
        }
        publicStatesMethod = selection
        if publicStates != "auto" && methods.contains(.fedhpd) {
            publicStateFile = try setup.loadPublicStates(publicStates, environment: environment)
        }
        if let folder = choices.initPolicies {
            do {
                initialPolicies = try InitialPoliciesRecord(
                    folder: URL(fileURLWithPath: folder), agentCount: agents.count)
            } catch { throw CommandError("--init-policies: \(error)") }
        }
        // Every configuration this plan will run, checked now: nothing is built or written for a plan with a bad one.
        let pending = PublicStatesRecord(source: "pending", count: 1, checksum: "")
        for (method, interval) in settings {
            for seed in seeds {
                _ = try configuration(method: method, interval: interval, seed: seed, publicStates: pending)
            }
        }
    }

    /// The configuration of one run, with the federation choices applied (FedHPD) and validated.
    func configuration(
        method: FederationConfiguration.Method, interval: Int, seed: UInt64, publicStates: PublicStatesRecord?
    ) throws -> FederationConfiguration {
        var configuration = FederationConfiguration(
            environment: environment.id, method: method, interval: interval, episodes: episodes, seed: seed,
            loops: loops, partSize: partSize, agents: agents, publicStates: method == .fedhpd ? publicStates : nil)
        configuration.initialPolicies = initialPolicies
        configuration.onDivergence = onDivergence
        if method == .fedhpd { try federation.apply(to: &configuration) }
        do { try configuration.validate() } catch { throw CommandError("\(error)") }
        return configuration
    }

    /// The public state set of a FedHPD run with `seed`: the `--public-states` file, or the cached (or newly built)
    /// auto set.
    func publicStateSet(seed: UInt64, setup: RunSetup) throws -> PublicStateSet {
        if let publicStateFile { return publicStateFile }
        return try setup.resolvePublicStates(
            publicStates, method: publicStatesMethod.rawValue, environment: environment, seed: seed, root: root)
    }
}
