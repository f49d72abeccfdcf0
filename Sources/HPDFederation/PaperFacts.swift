/// The FedHPD authors' published results, bundled as facts for `fedhpd reproduce`'s comparison.
///
/// Source: the system reward (the mean over the ten agents per episode) averaged over the paper's five seeds
/// (20, 25, 30, 35, 40), whole run / last 100 episodes, as computed from the authors' public result files
/// (WinzhengKong/FedHPD) and quoted in issue 20 of this project: CartPole-v1 2000 episodes, LunarLander 3000,
/// InvertedPendulum 6000. A cell the authors did not run is absent.
public enum PaperFacts {
    /// One published cell: system reward whole-run mean and last-100 mean.
    public struct Cell: Sendable, Equatable {
        /// Mean system reward over every episode.
        public var wholeRunMean: Double
        /// Mean system reward over the last 100 episodes.
        public var last100Mean: Double
    }

    /// The number of seeds behind every published cell.
    public static let seedCount = 5

    /// Published cells keyed by environment id (ours, canonical) and setting label (`FederationConfiguration.settingLabel`).
    public static let cells: [String: [String: Cell]] = [
        "CartPole-v1": [
            "NoFed": Cell(wholeRunMean: 256.9, last100Mean: 369.6),
            "DPA-FedRL d=1": Cell(wholeRunMean: 272.5, last100Mean: 362.2),
            "FedHPD d=2": Cell(wholeRunMean: 372.8, last100Mean: 477.3),
            "FedHPD d=5": Cell(wholeRunMean: 343.2, last100Mean: 455.5),
            "FedHPD d=10": Cell(wholeRunMean: 317.6, last100Mean: 431.1),
            "FedHPD d=20": Cell(wholeRunMean: 285.1, last100Mean: 409.5),
            "FedHPD d=40": Cell(wholeRunMean: 280.2, last100Mean: 398.7),
            "FedHPD d=80": Cell(wholeRunMean: 268.2, last100Mean: 383.1),
        ],
        "LunarLander-v3": [
            "NoFed": Cell(wholeRunMean: 36.6, last100Mean: 108.3),
            "DPA-FedRL d=1": Cell(wholeRunMean: 56.8, last100Mean: 113.2),
            "FedHPD d=2": Cell(wholeRunMean: 119.4, last100Mean: 179.4),
            "FedHPD d=5": Cell(wholeRunMean: 90.3, last100Mean: 159.7),
            "FedHPD d=10": Cell(wholeRunMean: 82.2, last100Mean: 147.7),
            "FedHPD d=20": Cell(wholeRunMean: 60.0, last100Mean: 125.9),
            "FedHPD d=40": Cell(wholeRunMean: 52.7, last100Mean: 121.6),
            "FedHPD d=80": Cell(wholeRunMean: 43.6, last100Mean: 112.7),
        ],
        "InvertedPendulum-v4": [
            "NoFed": Cell(wholeRunMean: 154.3, last100Mean: 387.3),
            "FedHPD d=5": Cell(wholeRunMean: 327.2, last100Mean: 689.8),
            "FedHPD d=10": Cell(wholeRunMean: 293.8, last100Mean: 687.3),
            "FedHPD d=20": Cell(wholeRunMean: 266.9, last100Mean: 649.3),
        ],
    ]

    /// The published cell for `setting` on `environment`, or nil when the authors did not report it.
    public static func cell(environment: String, setting: String) -> Cell? {
        cells[environment]?[setting]
    }
}
