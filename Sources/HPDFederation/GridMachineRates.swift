import Foundation
import HPDNN
import HPDRL
import HPDTensor

/// The machine's two yardsticks for a grid's time limit, measured once when `fedhpd reproduce` starts a grid and kept
/// in `<out>/grid-machine.json`: the all-core sgemm rate (`MatrixProductRate`, 1024³) and each environment's step
/// rate on one core (uniformly random actions, no policy).
public struct GridMachineRates: Codable, Equatable, Sendable {
    /// Cores the rates were measured for (the grid's worker threads).
    public var cores: Int
    /// sgemm 1024³ GFLOP/s on all `cores` (best of 3).
    public var sgemmGigaflopsAllCores: Double
    /// Environment steps per second on one core, by environment id.
    public var stepsPerSecond: [String: Double]
    /// The kernel set and CPU.
    public var blasCore: String
    public var cpuModel: String

    /// Rates given explicitly (e.g. measured elsewhere).
    public init(
        cores: Int, sgemmGigaflopsAllCores: Double, stepsPerSecond: [String: Double], blasCore: String, cpuModel: String
    ) {
        self.cores = cores
        self.sgemmGigaflopsAllCores = sgemmGigaflopsAllCores
        self.stepsPerSecond = stepsPerSecond
        self.blasCore = blasCore
        self.cpuModel = cpuModel
    }

    /// `<root>/grid-machine.json`.
    public static func url(in root: URL) -> URL { root.appendingPathComponent("grid-machine.json") }

    /// Measures the rates on `cores` cores for `environments` (≈ 0.3 s per environment plus the sgemm timing).
    public static func measure(cores: Int, environments: [EnvironmentSpecification]) throws -> GridMachineRates {
        var steps: [String: Double] = [:]
        for environment in environments { steps[environment.id] = try stepRate(of: environment) }
        return GridMachineRates(
            cores: cores,
            sgemmGigaflopsAllCores: MatrixProductRate.sgemmGigaflops(size: 1024, threads: cores, repetitions: 3),
            stepsPerSecond: steps, blasCore: LinearAlgebraLibrary.kernelStatus.core,
            cpuModel: LinearAlgebraLibrary.cpu.model)
    }

    /// Steps per second of `environment` with seeded random actions, timed over at least `seconds` of stepping.
    public static func stepRate(of environment: EnvironmentSpecification, seconds: Double = 0.3) throws -> Double {
        var instance = try environment.makeEnvironment(0)
        var generator = RandomGenerator(seed: 1, stream: 9)
        var episode: UInt64 = 0
        _ = instance.reset(seed: episode)
        var steps = 0
        let start = monotonicSeconds()
        var elapsed = 0.0
        while elapsed < seconds {
            for _ in 0..<200 {
                let action: EnvironmentAction
                switch environment.actionSpace {
                case .discrete(let count): action = .discrete(Int(generator.next() % UInt64(count)))
                case .continuous(let low, let high):
                    action = .continuous(zip(low, high).map { $0 + ($1 - $0) * generator.uniformFloat() })
                }
                if instance.step(action).isDone {
                    episode += 1
                    _ = instance.reset(seed: episode)
                }
                steps += 1
            }
            elapsed = monotonicSeconds() - start
        }
        return Double(steps) / elapsed
    }

    /// Reads the first `grid-machine.json` among `roots`, or nil.
    public static func read(from roots: [URL]) -> GridMachineRates? {
        for root in roots {
            if let data = try? Data(contentsOf: url(in: root)),
                let rates = try? JSONDecoder().decode(Self.self, from: data)
            {
                return rates
            }
        }
        return nil
    }

    /// Writes `<root>/grid-machine.json` atomically.
    public func write(to root: URL) throws {
        try AtomicFile.write(RunFolder.encoder().encode(self), to: Self.url(in: root))
    }
}
