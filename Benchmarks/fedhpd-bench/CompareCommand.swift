import ArgumentParser
import Foundation

/// `fedhpd-bench compare ours.json torch.json [torch-loop.json …]`: per-case speed ratios torch ÷ ours, joined on
/// (set, architecture, batch, mode, threads), summaries per mode and batch, end-to-end ratios and target status.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Speed ratios (torch median ÷ ours) of two result files, plus end-to-end ratios and targets.")

    @Argument(help: "Our results (fedhpd-bench --json).")
    var ours: String
    @Argument(help: "The reference: torch_kernels.py --json output, then optionally torch_fedhpd_loop.py outputs.")
    var references: [String]

    func validate() throws {
        guard !references.isEmpty else { throw ValidationError("give a reference file after ours") }
    }

    func run() throws {
        let ourFile = try ResultsFile.load(from: ours)
        var referenceRecords: [KernelRecord] = []
        var referenceRuns: [EndToEndRecord] = []
        for path in references {
            let (records, runs) = try Self.loadReference(path)
            referenceRecords += records
            referenceRuns += runs
        }
        let rows = KernelComparison.join(ours: ourFile.records, reference: referenceRecords)
        print("# ours: \(ourFile.meta.blas ?? "?") — \(ourFile.meta.date ?? "?")")
        print("# reference: \(references.joined(separator: ", "))")
        KernelComparison.printRows(rows)
        KernelComparison.printSummary(rows)
        let runPairs = EndToEndComparison.join(ours: ourFile.endToEnd ?? [], reference: referenceRuns)
        EndToEndComparison.printPairs(runPairs)
        TargetReport(rows: rows, runPairs: runPairs).print()
    }

    /// Kernel records and end-to-end runs of a reference file in either torch schema.
    static func loadReference(_ path: String) throws -> ([KernelRecord], [EndToEndRecord]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        if let results = try? JSONDecoder().decode(ResultsFile.self, from: data) {
            return (results.records, results.endToEnd ?? [])
        }
        do {
            var run = try JSONDecoder().decode(EndToEndRecord.self, from: data)
            let meta = try JSONDecoder().decode(TorchLoopFile.self, from: data).meta
            run.set = run.set ?? "cartpole"
            run.threads = run.threads ?? meta.threads ?? 1
            run.method = run.method ?? "fedhpd \(meta.variant ?? "")".trimmingCharacters(in: .whitespaces)
            return ([], [run])
        } catch {
            throw ValidationError("\(path): neither a kernel results file nor a torch loop file (\(error))")
        }
    }
}

/// One case present in both files.
struct ComparedCase {
    let ours: KernelRecord
    let reference: KernelRecord
    /// reference median ÷ our median: > 1 means ours is faster.
    var speedRatio: Double { reference.medianMicroseconds / ours.medianMicroseconds }
}

/// Joining and printing kernel records.
enum KernelComparison {
    static let table = TextTable(columns: [
        .init("set", width: 17, rightAligned: false), .init("architecture", width: 22, rightAligned: false),
        .init("batch", width: 6), .init("mode", width: 10, rightAligned: false), .init("ours_us", width: 11),
        .init("torch_us", width: 11), .init("ratio", width: 8), .init("roofline", width: 8), .init("allocs", width: 7),
    ])

    /// Cases in both files, in our file's order.
    static func join(ours: [KernelRecord], reference: [KernelRecord]) -> [ComparedCase] {
        var byKey: [String: KernelRecord] = [:]
        for record in reference { byKey[record.key] = record }
        return ours.compactMap { record in byKey[record.key].map { ComparedCase(ours: record, reference: $0) } }
    }

    static func printRows(_ rows: [ComparedCase]) {
        print(table.header)
        for row in rows {
            print(
                table.line([
                    row.ours.set, row.ours.architecture, String(row.ours.batch), row.ours.mode,
                    formatted(row.ours.medianMicroseconds, decimals: 2),
                    formatted(row.reference.medianMicroseconds, decimals: 2),
                    formatted(row.speedRatio, decimals: 2) + "×", formatted(row.ours.rooflineFraction, decimals: 3),
                    formatted(row.ours.allocations, decimals: 1),
                ]))
        }
    }

    /// Geometric mean, minimum and maximum ratio per (mode, batch class).
    static func printSummary(_ rows: [ComparedCase]) {
        print("\n# speed ratio torch ÷ ours by mode and batch (geometric mean, min, max over architectures and sets)")
        let summaryTable = TextTable(columns: [
            .init("mode", width: 10, rightAligned: false), .init("batch", width: 7), .init("cases", width: 5),
            .init("geomean", width: 9), .init("min", width: 9), .init("max", width: 9),
        ])
        print(summaryTable.header)
        for mode in KernelMode.allCases {
            for batch in Set(rows.map(\.ours.batch)).sorted() {
                let ratios = rows.filter { $0.ours.mode == mode.rawValue && $0.ours.batch == batch }.map(\.speedRatio)
                guard !ratios.isEmpty else { continue }
                let geometricMean = exp(ratios.map { log($0) }.reduce(0, +) / Double(ratios.count))
                print(
                    summaryTable.line([
                        mode.rawValue, String(batch), String(ratios.count), formatted(geometricMean, decimals: 2) + "×",
                        formatted(ratios.min(), decimals: 2) + "×", formatted(ratios.max(), decimals: 2) + "×",
                    ]))
            }
        }
    }
}

/// Joining and printing end-to-end runs (on set and threads).
enum EndToEndComparison {
    typealias Pair = (ours: EndToEndRecord, reference: EndToEndRecord)

    static func join(ours: [EndToEndRecord], reference: [EndToEndRecord]) -> [Pair] {
        var pairs: [Pair] = []
        for run in ours {
            for candidate in reference where candidate.set == run.set && candidate.threads == run.threads {
                pairs.append((run, candidate))
            }
        }
        return pairs
    }

    static func printPairs(_ pairs: [Pair]) {
        guard !pairs.isEmpty else { return }
        print("\n# end-to-end: ratio = ours ÷ torch throughput (episodes/s depends on episode lengths, which differ as")
        print("# the learners differ; env steps/s is the like-for-like measure; compare runs of equal episode counts)")
        let table = TextTable(columns: [
            .init("set", width: 12, rightAligned: false), .init("torch variant", width: 22, rightAligned: false),
            .init("thr", width: 3), .init("episodes", width: 8), .init("torch ep", width: 8),
            .init("ours ep/s", width: 10),
            .init("torch ep/s", width: 10), .init("ratio", width: 8), .init("ours steps/s", width: 12),
            .init("torch steps/s", width: 13), .init("ratio", width: 8),
        ])
        print(table.header)
        for (ours, reference) in pairs {
            let stepRatio = (ours.environmentStepsPerSecond ?? .nan) / (reference.environmentStepsPerSecond ?? .nan)
            print(
                table.line([
                    ours.set ?? "-", reference.method ?? "-", String(ours.threads ?? 1), String(ours.episodes),
                    String(reference.episodes), formatted(ours.episodesPerSecond, decimals: 2),
                    formatted(reference.episodesPerSecond, decimals: 2),
                    formatted(ours.episodesPerSecond / reference.episodesPerSecond, decimals: 1) + "×",
                    formatted(ours.environmentStepsPerSecond, decimals: 0),
                    formatted(reference.environmentStepsPerSecond, decimals: 0),
                    formatted(stepRatio, decimals: 1) + "×",
                ]))
        }
    }
}
