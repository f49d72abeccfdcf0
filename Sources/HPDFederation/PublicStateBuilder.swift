import HPDNN
import HPDRL
import HPDTensor

/// Builds a public state set the way the reference does:
///
/// 1. train a "virtual agent" alone with REINFORCE, and at every checkpoint roll it out on `testSeeds` fresh
///    episodes (greedy or sampled), recording every pre-step state;
/// 2. standardise (optional), project onto the top principal components (covariance eigenvectors via LAPACKE);
/// 3. cluster the projections with seeded k-means++ (Lloyd iterations until assignments settle, at most 300);
/// 4. select `count` states (`SelectionMethod`): `.equalPerCluster` draws `count / clusters` uniformly from each
///    cluster (a short cluster gives all it has and the largest clusters fill the gap) and writes them cluster by
///    cluster (the authors' "5-from-each"); `.singleCluster` draws all `count` from one randomly chosen cluster
///    (their "1-from-1"); `.uniform` draws `count` uniformly from the whole pool.
public struct PublicStateBuilder {
    /// How states are chosen from the rollout pool.
    public enum SelectionMethod: String, Codable, Sendable, CaseIterable {
        /// k-means++ clusters of the principal-component projections, equal shares per cluster (the reference's way).
        case equalPerCluster = "equal-per-cluster"
        /// Every state from one randomly chosen cluster (among those with at least `count` members, else the
        /// largest, which then gives all it has).
        case singleCluster = "single-cluster"
        /// Uniformly at random from the whole pool.
        case uniform

        /// The method called `name`, accepting the older names `cluster` (equal-per-cluster) and `random` (uniform).
        public init?(name: String) {
            switch name.trimmingCharacters(in: .whitespaces).lowercased() {
            case "cluster": self = .equalPerCluster
            case "random": self = .uniform
            default: self.init(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased())
            }
        }

        /// The accepted names, for messages.
        public static var accepted: String {
            "equal-per-cluster (alias cluster), single-cluster or uniform (alias random)"
        }
    }

    /// The task whose states are collected.
    public let environment: EnvironmentSpecification
    /// How the virtual agent is trained and its states selected.
    public let recipe: PublicStateRecipe

    /// A builder for `environment`, with its own recipe unless `recipe` is given.
    public init(environment: EnvironmentSpecification, recipe: PublicStateRecipe? = nil) {
        self.environment = environment
        self.recipe = recipe ?? environment.publicStateRecipe
    }

    /// A state count `build` cannot deliver: not positive, or more than the virtual agent's rollouts hold (the
    /// message says how many they hold and what to change).
    public struct CountError: Error, Equatable, CustomStringConvertible {
        /// The message, starting with "count".
        public let description: String
    }

    /// Builds `count` states from a virtual agent trained with `seed`; a count it cannot deliver is a `CountError`.
    public func build(
        count: Int, method: SelectionMethod, seed: UInt64, progress: ((String) -> Void)? = nil
    ) throws -> PublicStateSet {
        guard count > 0 else { throw CountError(description: "count must be positive, got \(count)") }
        let pool = try collectStates(seed: seed, progress: progress)
        progress?("collected \(pool.count) states from \(checkpointEpisodes.count) checkpoints")
        guard count <= pool.count else {
            throw CountError(
                description:
                    "count \(count) is larger than the rollout pool of \(pool.count) states (\(checkpointEpisodes.count) "
                    + "checkpoints × \(recipe.testSeeds) rollouts): ask for fewer states or more virtual-agent episodes"
            )
        }
        var generator = RandomGenerator(seed: seed, stream: 7)
        let chosen: [[Float]]
        switch method {
        case .uniform:
            chosen = Self.sampleWithoutReplacement(pool.count, count, generator: &generator).map { pool[$0] }
        case .equalPerCluster:
            let features = Self.project(pool, components: recipe.principalComponents, standardize: recipe.standardize)
            let assignments = Self.kMeans(features, clusters: recipe.clusters, generator: &generator)
            chosen = Self.sampleEvenly(
                pool, assignments: assignments, clusters: recipe.clusters, count: count, generator: &generator)
        case .singleCluster:
            let features = Self.project(pool, components: recipe.principalComponents, standardize: recipe.standardize)
            let assignments = Self.kMeans(features, clusters: recipe.clusters, generator: &generator)
            var members = [[Int]](repeating: [], count: recipe.clusters)
            for (index, cluster) in assignments.enumerated() { members[cluster].append(index) }
            let large = members.indices.filter { members[$0].count >= count }
            let cluster =
                large.isEmpty
                ? members.indices.max { members[$0].count < members[$1].count }!
                : large[Int(generator.next() % UInt64(large.count))]
            if large.isEmpty {
                progress?(
                    "no cluster has \(count) states; taking all \(members[cluster].count) of the largest (cluster \(cluster + 1))"
                )
            }
            chosen = Self.sampleWithoutReplacement(
                members[cluster].count, min(count, members[cluster].count), generator: &generator
            )
            .map { pool[members[cluster][$0]] }
        }
        let width = environment.observationSize
        return PublicStateSet(
            states: Tensor(rows: chosen.count, columns: width, scalars: chosen.flatMap { $0 }),
            source:
                "built: virtual agent \(recipe.agent.label), \(recipe.episodes) episodes, seed \(seed), \(method.rawValue)"
        )
    }

    /// The episodes (1-based) after which the virtual agent is rolled out.
    public var checkpointEpisodes: [Int] {
        Array(stride(from: recipe.firstCheckpoint, through: recipe.episodes, by: recipe.checkpointEvery))
    }

    func collectStates(seed: UInt64, progress: ((String) -> Void)?) throws -> [[Float]] {
        var weights = RandomGenerator(seed: seed, stream: 4)
        let architecture = recipe.agent.architecture(
            observationSize: environment.observationSize, actionSpace: environment.actionSpace)
        let policy: Policy =
            architecture.family == .categorical
            ? CategoricalPolicy(architecture: architecture, generator: &weights)
            : GaussianPolicy(architecture: architecture, generator: &weights)
        let learner = ReinforceLearner(
            policy: policy, environment: try environment.makeEnvironment(20_000), configuration: recipe.agent.reinforce,
            environmentSeed: seed, generator: RandomGenerator(seed: seed, stream: 5))
        let checkpoints = Set(checkpointEpisodes)
        var pool: [[Float]] = []
        var rolloutGenerator = RandomGenerator(seed: seed, stream: 6)
        var action = [Float](repeating: 0, count: environment.actionSpace.size)
        for episode in 1...recipe.episodes {
            learner.runEpisode()
            learner.update()
            guard checkpoints.contains(episode) else { continue }
            progress?("virtual agent: checkpoint at episode \(episode)")
            for testSeed in 0..<recipe.testSeeds {
                var testEnvironment = try environment.makeEnvironment(30_000 + UInt64(testSeed))
                var observation = testEnvironment.reset(seed: 1_000_000 + UInt64(testSeed))
                while true {
                    pool.append(observation)
                    let step: StepResult
                    if let discrete = policy as? CategoricalPolicy {
                        let choice =
                            recipe.greedy
                            ? discrete.greedyAction(observation)
                            : discrete.sample(observation, generator: &rolloutGenerator)
                        step = testEnvironment.step(.discrete(choice))
                    } else {
                        let gaussian = policy as! GaussianPolicy
                        if recipe.greedy {
                            action =
                                gaussian.distribution(Tensor(rows: 1, columns: observation.count, scalars: observation))
                                .mean.scalars
                        } else {
                            gaussian.sample(observation, generator: &rolloutGenerator, into: &action)
                        }
                        step = testEnvironment.step(.continuous(action))
                    }
                    if step.isDone { break }
                    observation = step.observation
                }
            }
        }
        return pool
    }

    /// Projections of (optionally standardised) rows onto the `components` leading principal axes.
    static func project(_ rows: [[Float]], components: Int, standardize: Bool) -> [[Double]] {
        let width = rows[0].count
        let count = Double(rows.count)
        var mean = [Double](repeating: 0, count: width)
        for row in rows { for column in 0..<width { mean[column] += Double(row[column]) / count } }
        var scale = [Double](repeating: 1, count: width)
        if standardize {
            var variance = [Double](repeating: 0, count: width)
            for row in rows {
                for column in 0..<width { variance[column] += pow2(Double(row[column]) - mean[column]) / count }
            }
            scale = variance.map { $0 > 1e-12 ? 1 / $0.squareRoot() : 1 }
        }
        let centered = rows.map { row in (0..<width).map { (Double(row[$0]) - mean[$0]) * scale[$0] } }
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: width), count: width)
        for row in centered {
            for i in 0..<width { for j in i..<width { covariance[i][j] += row[i] * row[j] / count } }
        }
        for i in 0..<width { for j in 0..<i { covariance[i][j] = covariance[j][i] } }
        let decomposition = SymmetricEigendecomposition(symmetric: covariance)
        let kept = min(components, width)
        let axes = (0..<kept).map { decomposition.eigenvector(width - 1 - $0) }
        return centered.map { row in axes.map { axis in zip(axis, row).reduce(0) { $0 + $1.0 * $1.1 } } }
    }

    /// k-means++ seeding then Lloyd iterations; returns each point's cluster.
    static func kMeans(_ points: [[Double]], clusters: Int, generator: inout RandomGenerator) -> [Int] {
        let k = min(clusters, points.count)
        var centers = [points[generator.integer(below: points.count)]]
        var nearest = points.map { squaredDistance($0, centers[0]) }
        while centers.count < k {
            let total = nearest.reduce(0, +)
            var draw = generator.uniformDouble() * total
            var chosen = points.count - 1
            for (index, distance) in nearest.enumerated() {
                draw -= distance
                if draw <= 0 {
                    chosen = index
                    break
                }
            }
            centers.append(points[chosen])
            for index in points.indices {
                nearest[index] = min(nearest[index], squaredDistance(points[index], centers.last!))
            }
        }
        var assignments = [Int](repeating: -1, count: points.count)
        for _ in 0..<300 {
            var changed = false
            for (index, point) in points.enumerated() {
                var best = 0
                var bestDistance = Double.infinity
                for (center, position) in centers.enumerated() {
                    let distance = squaredDistance(point, position)
                    if distance < bestDistance { (best, bestDistance) = (center, distance) }
                }
                if assignments[index] != best {
                    assignments[index] = best
                    changed = true
                }
            }
            if !changed { break }
            var sums = [[Double]](repeating: [Double](repeating: 0, count: points[0].count), count: k)
            var counts = [Int](repeating: 0, count: k)
            for (index, point) in points.enumerated() {
                counts[assignments[index]] += 1
                for dimension in point.indices { sums[assignments[index]][dimension] += point[dimension] }
            }
            for center in 0..<k where counts[center] > 0 {
                centers[center] = sums[center].map { $0 / Double(counts[center]) }
            }
        }
        return assignments
    }

    /// Equal shares per cluster, in cluster order; short clusters give all they have, the largest fill the gap.
    static func sampleEvenly(
        _ pool: [[Float]], assignments: [Int], clusters: Int, count: Int, generator: inout RandomGenerator
    ) -> [[Float]] {
        var members = [[Int]](repeating: [], count: clusters)
        for (index, cluster) in assignments.enumerated() { members[cluster].append(index) }
        var quota = members.map { min($0.count, count / clusters) }
        var missing = min(count, pool.count) - quota.reduce(0, +)
        for cluster in members.indices.sorted(by: { members[$0].count > members[$1].count }) where missing > 0 {
            let extra = min(missing, members[cluster].count - quota[cluster])
            quota[cluster] += extra
            missing -= extra
        }
        var chosen: [[Float]] = []
        for cluster in 0..<clusters {
            for index in sampleWithoutReplacement(members[cluster].count, quota[cluster], generator: &generator) {
                chosen.append(pool[members[cluster][index]])
            }
        }
        return chosen
    }

    /// `count` distinct indices from 0..<population in increasing order (selection sampling, Knuth's Algorithm S).
    static func sampleWithoutReplacement(_ population: Int, _ count: Int, generator: inout RandomGenerator) -> [Int] {
        var needed = min(count, population)
        var chosen: [Int] = []
        chosen.reserveCapacity(needed)
        for index in 0..<population where needed > 0 {
            if generator.uniformDouble() * Double(population - index) < Double(needed) {
                chosen.append(index)
                needed -= 1
            }
        }
        return chosen
    }

    static func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
        var total = 0.0
        for index in a.indices { total += pow2(a[index] - b[index]) }
        return total
    }
}

@inline(__always) private func pow2(_ value: Double) -> Double { value * value }
