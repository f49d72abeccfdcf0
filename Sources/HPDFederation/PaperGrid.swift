/// The paper's experimental grid: tasks × settings × seeds, in the order `fedhpd reproduce` runs it.
///
/// Order: seed-major (every setting of every task for the first seed, then the next seed), so that a partial grid
/// already holds complete paired comparisons; within a seed and task the main settings (NoFed, FedHPD d = 5, 10, 20)
/// come before the extra ones. A run folder belongs to a cell when its config.json has the cell's environment, setting
/// label and seed and no federation variant (`GridRunIndex`).
public struct PaperGrid: Sendable, Equatable {
    /// A task of the paper.
    public enum Task: String, Sendable, CaseIterable, Codable {
        case cartpole, lunarlander, invertedpendulum

        /// The canonical environment id.
        public var environmentID: String {
            switch self {
            case .cartpole: return "CartPole-v1"
            case .lunarlander: return "LunarLander-v3"
            case .invertedpendulum: return "InvertedPendulum-v4"
            }
        }

        /// The authors' public state file name (in a `--public-states DIR`).
        public var authorsPublicStatesFileName: String {
            switch self {
            case .cartpole: return "cartpole_public_states_5-from-each.csv"
            case .lunarlander: return "lunarlander_public_states_10-from-each.csv"
            case .invertedpendulum: return "invertedpendulum_public_states.csv"
            }
        }

        /// Parses a name such as `cartpole` or `CartPole-v1`.
        public init?(name: String) {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let task = Self.allCases.first(where: { $0.rawValue == key || $0.environmentID.lowercased() == key })
            else {
                return nil
            }
            self = task
        }
    }

    /// Which rows of the table run.
    public enum SettingsChoice: String, Sendable, CaseIterable, Codable {
        /// NoFed and FedHPD d = 5, 10, 20.
        case main
        /// Every row of the paper's table plus DPA-FedRL and d = 2 on InvertedPendulum.
        case all
    }

    /// One row of the table: a method and its interval (1 for NoFed).
    public struct Setting: Sendable, Equatable, Hashable {
        public var method: FederationConfiguration.Method
        public var interval: Int

        public init(method: FederationConfiguration.Method, interval: Int) {
            self.method = method
            self.interval = method == .nofed ? 1 : interval
        }

        /// The table label, matching `FederationConfiguration.settingLabel`.
        public var label: String {
            switch method {
            case .nofed: return "NoFed"
            case .fedhpd: return "FedHPD d=\(interval)"
            case .dpa: return "DPA-FedRL d=\(interval)"
            }
        }

        /// The order rows are shown in: NoFed, DPA-FedRL, FedHPD by increasing d.
        public var displayOrder: Int {
            switch method {
            case .nofed: return 0
            case .dpa: return 1
            case .fedhpd: return 2 + interval
            }
        }
    }

    /// One run of the grid.
    public struct Cell: Sendable, Equatable, Hashable {
        public var task: Task
        public var setting: Setting
        public var seed: UInt64

        /// `CartPole-v1 FedHPD d=5 seed 20`, for messages.
        public var description: String { "\(task.environmentID) \(setting.label) seed \(seed)" }
    }

    /// The main settings: NoFed, FedHPD d = 5, 10, 20.
    public static let mainSettings = [
        Setting(method: .nofed, interval: 1), Setting(method: .fedhpd, interval: 5),
        Setting(method: .fedhpd, interval: 10), Setting(method: .fedhpd, interval: 20),
    ]

    /// The settings of `task` for `choice`, main ones first. `all`: the table's rows (DPA-FedRL d=1, FedHPD d=2, 40,
    /// 80 for CartPole and LunarLander) and, on InvertedPendulum, DPA-FedRL d=1 and FedHPD d=2 (no published figure).
    public static func settings(for task: Task, choice: SettingsChoice) -> [Setting] {
        guard choice == .all else { return mainSettings }
        var extra = [Setting(method: .fedhpd, interval: 2), Setting(method: .dpa, interval: 1)]
        if task != .invertedpendulum {
            extra += [Setting(method: .fedhpd, interval: 40), Setting(method: .fedhpd, interval: 80)]
        }
        return mainSettings + extra
    }

    /// The tasks, seeds and settings choice.
    public var tasks: [Task]
    public var seeds: [UInt64]
    public var choice: SettingsChoice

    public init(tasks: [Task], seeds: [UInt64], choice: SettingsChoice) {
        self.tasks = tasks
        self.seeds = seeds
        self.choice = choice
    }

    /// Every cell in run order: for each seed, for each task, its settings (main first).
    public var cells: [Cell] {
        seeds.flatMap { seed in
            tasks.flatMap { task in
                Self.settings(for: task, choice: choice).map { Cell(task: task, setting: $0, seed: seed) }
            }
        }
    }

    /// The cells of shard `index` (1-based) of `count`: cell i (0-based, run order) belongs to shard i mod count + 1.
    /// Round-robin keeps every shard in seed-major order, and the shards partition the grid exactly.
    public func cells(shard: GridShard) -> [Cell] {
        cells.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }
}
