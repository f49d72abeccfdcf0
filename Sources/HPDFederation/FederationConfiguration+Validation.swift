/// The range of every setting of a run, checked before anything is built or written. `FederatedTraining` calls it,
/// so every caller — `train`, `serve`, `reproduce`, library users — gets the same checks and messages.
extension FederationConfiguration {
    /// The most episodes a run may ask for (far beyond any published budget; a typo such as 1e23 is caught).
    public static let largestEpisodeCount = 10_000_000
    /// The most digestion loops per event.
    public static let largestLoopCount = 1_000
    /// The largest part of the public state set.
    public static let largestPartSize = 10_000_000

    /// Checks every setting, naming the offending one and its value:
    ///
    /// - episodes E ∈ 1…10⁷; loops ∈ 1…1000; part size ∈ 1…10⁷;
    /// - the interval d ≥ 1, and (when `requiringEvents`) for FedHPD and DPA-FedRL d ≤ E: otherwise no event would
    ///   ever happen and the run would be NoFed under another name. `FederatedTraining` checks with
    ///   `requiringEvents: false` so that `reproduce --episodes` can shorten the paper's grid for a smoke test; `train`
    ///   and `serve` check with the default;
    /// - at least one agent, each agent's hyperparameters in range (`AgentSpecification.validate()`);
    /// - FedHPD has a public state set; participation P ∈ (0, 1], dropout Q ∈ [0, 1), adversarial agents within
    ///   1…N and named once, and these three for FedHPD only.
    public func validate(requiringEvents: Bool = true) throws(FederationError) {
        func fail(_ reason: String) -> FederationError { .invalidConfiguration(reason) }
        guard (1...Self.largestEpisodeCount).contains(episodes) else {
            throw fail("episodes must be in 1...\(Self.largestEpisodeCount), got \(episodes)")
        }
        guard !agents.isEmpty else { throw fail("at least one agent is needed") }
        for (index, agent) in agents.enumerated() {
            do { try agent.validate() } catch { throw fail("agent \(index + 1): \(error.description)") }
        }
        guard interval > 0 else { throw fail("interval must be positive, got \(interval)") }
        if requiringEvents && method != .nofed && interval > episodes {
            throw fail(
                "interval \(interval) is larger than the \(episodes) episodes: \(method.rawValue) would never "
                    + "federate (use --method nofed for independent learners, or a smaller interval)")
        }
        guard (1...Self.largestLoopCount).contains(loops) else {
            throw fail("loops must be in 1...\(Self.largestLoopCount), got \(loops)")
        }
        guard (1...Self.largestPartSize).contains(partSize) else {
            throw fail("part size must be in 1...\(Self.largestPartSize), got \(partSize)")
        }
        if method == .fedhpd && publicStates == nil {
            throw fail("fedhpd needs a public state set")
        }
        if let participation, !(participation > 0 && participation <= 1) {
            throw fail("participation P must be in (0, 1], got \(participation)")
        }
        if let dropoutProbability, !(dropoutProbability >= 0 && dropoutProbability < 1) {
            throw fail("dropout probability Q must be in [0, 1), got \(dropoutProbability)")
        }
        if let adversarialAgents {
            for agent in adversarialAgents where !(1...agents.count).contains(agent) {
                throw fail("adversarial agent \(agent) is out of range 1…\(agents.count)")
            }
            guard Set(adversarialAgents).count == adversarialAgents.count else {
                throw fail("adversarial agents \(adversarialAgents) name an agent twice")
            }
        }
        if (participation != nil || dropoutProbability != nil || adversarialAgents != nil) && method != .fedhpd {
            throw fail("participation, dropout probability and adversarial agents apply to fedhpd only")
        }
    }
}
