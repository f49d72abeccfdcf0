import Foundation
import HPDFederation

/// The run options one `train` asked for — from the command line or a `--config` file — each nil when not given.
/// The one place where the file and the flags meet (`overlaid(by:)`) and where defaults fill the rest.
struct RunChoices: Equatable {
    var env: String?
    var agents: String?
    var methods: CommaSeparated<FederationConfiguration.Method>?
    var intervals: CommaSeparated<Int>?
    var episodes: Int?
    var seeds: CommaSeparated<UInt64>?
    var publicStates: String?
    var publicStatesMethod: String?
    var threads: Int?
    var out: String?
    var loops: Int?
    var partSize: Int?
    var initPolicies: String?
    var onDivergence: DivergencePolicy?

    /// Every default, declared once (help prints them).
    enum Defaults {
        static let env = "CartPole-v1"
        static let agents = "paper"
        static let methods = try! CommaSeparated<FederationConfiguration.Method>(parsing: "fedhpd")
        static let intervals = try! CommaSeparated<Int>(parsing: "5")
        static let seeds = try! CommaSeparated<UInt64>(parsing: "20")
        static let publicStates = "auto"
        static let publicStatesMethod = "equal-per-cluster"
        static var threads: Int { ParallelExecutor.coreCount }
        static let out = "runs"
        static let loops = 5
        static let partSize = 2500
    }

    /// These choices with every one `flags` gives replaced by it (flags win over the file).
    func overlaid(by flags: RunChoices) -> RunChoices {
        RunChoices(
            env: flags.env ?? env, agents: flags.agents ?? agents, methods: flags.methods ?? methods,
            intervals: flags.intervals ?? intervals, episodes: flags.episodes ?? episodes, seeds: flags.seeds ?? seeds,
            publicStates: flags.publicStates ?? publicStates,
            publicStatesMethod: flags.publicStatesMethod ?? publicStatesMethod, threads: flags.threads ?? threads,
            out: flags.out ?? out, loops: flags.loops ?? loops, partSize: flags.partSize ?? partSize,
            initPolicies: flags.initPolicies ?? initPolicies, onDivergence: flags.onDivergence ?? onDivergence)
    }

    /// The keys of a `--config` file: the flags' names in camelCase.
    static let fileKeys = [
        "env", "agents", "method", "interval", "episodes", "seeds", "publicStates", "publicStatesMethod", "threads",
        "out", "loops", "partSize", "initPolicies", "onDivergence",
    ]
}

/// The `--config` file, read strictly.
extension RunChoices {
    /// The `--config` file's form: every value as a user writes it (`"seeds": [20, 25]`, `"seeds": "20,25"`,
    /// `"episodes": 300`), read back with the command line's own readers.
    private struct File: Decodable {
        var env, agents, method, interval, episodes, seeds, publicStates, publicStatesMethod, threads, out, loops,
            partSize, initPolicies, onDivergence: CommaList?
    }

    /// Reads a `--config` file strictly: a syntax error gives its line and column, an unknown key is refused with
    /// the closest known one, and every value is checked as its flag would be, naming the key.
    init(configurationFile path: String) throws {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CommandError("--config \(FileSystemError(reading: url, error))")
        }
        let file: File
        do { file = try StrictJSON.decode(File.self, from: data, file: path, keys: Self.fileKeys) } catch {
            throw CommandError(
                "--config \(error.description.replacingOccurrences(of: "invalid configuration: ", with: ""))")
        }
        func fail(_ key: String, _ reason: String) -> CommandError {
            CommandError("--config \(path): '\(key)': \(reason)")
        }
        func list<Item: ListItem>(_ key: String, _ value: CommaList?) throws -> CommaSeparated<Item>? {
            guard let value else { return nil }
            do { return try CommaSeparated<Item>(parsing: value.text) } catch { throw fail(key, error.description) }
        }
        func whole(_ key: String, _ value: CommaList?) throws -> Int? {
            guard let value else { return nil }
            guard let number = Int(value.text.trimmingCharacters(in: .whitespaces)) else {
                throw fail(key, "'\(value.text)' is not a whole number")
            }
            return number
        }
        func text(_ key: String, _ value: CommaList?) throws -> String? {
            guard let value else { return nil }
            guard !value.text.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail(key, "is empty") }
            return value.text
        }
        self.init(
            env: try text("env", file.env), agents: try text("agents", file.agents),
            methods: try list("method", file.method), intervals: try list("interval", file.interval),
            episodes: try whole("episodes", file.episodes), seeds: try list("seeds", file.seeds),
            publicStates: try text("publicStates", file.publicStates),
            publicStatesMethod: try text("publicStatesMethod", file.publicStatesMethod),
            threads: try whole("threads", file.threads), out: try text("out", file.out),
            loops: try whole("loops", file.loops), partSize: try whole("partSize", file.partSize),
            initPolicies: try text("initPolicies", file.initPolicies),
            onDivergence: try text("onDivergence", file.onDivergence).map { name in
                guard let policy = DivergencePolicy(rawValue: name.lowercased()) else {
                    throw fail("onDivergence", "'\(name)' is not stop or exclude")
                }
                return policy
            })
    }
}
