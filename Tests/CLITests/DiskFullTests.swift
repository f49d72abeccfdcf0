import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real full disk: a small tmpfs mounted for the test (root only; elsewhere the suite is skipped, saying why).
/// For every disk size from one that cannot even hold the end-of-run checkpoint up to one that holds the whole run,
/// `fedhpd train --checkpoint-every 0` either finishes or fails naming the file and "no space left on the device",
/// says truthfully whether the finished training is kept, and — given room — the same command finishes the run with
/// results byte-identical to an undisturbed run.
@Suite(.enabled(if: SmallDisk.canMount, "needs root (mount(2) of a tmpfs) for a real full disk"))
struct DiskFullTests {
    let cli = CommandLineTests()

    @Test func aFullDiskAtAnyPointOfTheEndOfARunLosesNoFinishedWork() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        // The same two small agents as the other end-of-run tests.
        let agents = try NoWorkLostTests().makeAgents(in: root)
        let arguments = { (out: URL) in
            [
                "train", "--agents", agents.path, "--method", "nofed", "--episodes", "6", "--seeds", "3",
                "--threads", "1", "--checkpoint-every", "0", "--quiet", "--out", out.path,
            ]
        }
        let reference = root.appendingPathComponent("reference/CartPole-v1__nofed__seed3")
        #expect(try cli.run(arguments(root.appendingPathComponent("reference"))).status == 0)

        var failures = 0
        for pages in 1...24 {
            let disk = try SmallDisk(at: root.appendingPathComponent("disk-\(pages)"), bytes: pages * 4096)
            defer { disk.unmount() }
            let out = disk.url.appendingPathComponent("runs")
            let run = out.appendingPathComponent("CartPole-v1__nofed__seed3")
            let outcome = try cli.run(arguments(out))
            if outcome.status == 0 {
                #expect(failures >= 5, "the run fitted on \(pages) pages before failing at several points")
                try expectSameResults(run, reference)
                return
            }
            failures += 1
            #expect(outcome.error.contains("no space left on the device"), "\(pages) pages: \(outcome.error)")
            #expect(outcome.error.contains(disk.url.path), "the file is named: \(outcome.error)")
            #expect(!outcome.error.contains("NSCocoaErrorDomain") && !outcome.error.contains("error 256"))
            #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("summary.json").path))
            let finished = run.appendingPathComponent("checkpoints/checkpoint-00000006.bin")
            if FileManager.default.fileExists(atPath: finished.path) {
                #expect(outcome.error.contains("the finished training is kept in \(finished.path)"), "\(outcome.error)")
            } else if outcome.error.contains("cannot write \(finished.path)") {
                #expect(outcome.error.contains("could not be saved"), "\(pages) pages: \(outcome.error)")
                #expect(!outcome.error.contains("is kept in"))
            }
            // Room again: the same command finishes the run, from its checkpoint when there is one.
            try disk.grow(bytes: 1 << 20)
            let rerun = try cli.run(arguments(out))
            #expect(rerun.status == 0, "\(pages) pages, rerun: \(rerun.error)")
            try expectSameResults(run, reference)
        }
        Issue.record("the run never fitted on 24 pages")
    }

    func expectSameResults(_ run: URL, _ reference: URL) throws {
        for file in [
            "rewards.csv", "kd_losses.csv", "policies/agent-1.safetensors", "policies/agent-2.safetensors",
        ] {
            #expect(
                try Data(contentsOf: run.appendingPathComponent(file))
                    == Data(contentsOf: reference.appendingPathComponent(file)), "\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("summary.json").path))
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints").path))
    }
}

/// A tmpfs of a given size, mounted at a new folder (mount(2); root only).
struct SmallDisk {
    let url: URL

    init(at url: URL, bytes: Int) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        guard "size=\(bytes)".withCString({ mount("tmpfs", url.path, "tmpfs", 0, $0) }) == 0 else {
            throw MountError(message: "mount tmpfs at \(url.path): \(String(cString: strerror(errno)))")
        }
        self.url = url
    }

    /// Remounts with room for `bytes`, keeping the files.
    func grow(bytes: Int) throws {
        guard "size=\(bytes)".withCString({ mount("tmpfs", url.path, "tmpfs", UInt(MS_REMOUNT), $0) }) == 0 else {
            throw MountError(message: "remount \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    func unmount() {
        _ = umount2(url.path, Int32(MNT_DETACH))
        try? FileManager.default.removeItem(at: url)
    }

    /// Whether this process may mount a tmpfs (tried once, on a scratch folder).
    static let canMount: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-mount-probe-\(UUID())")
        guard let disk = try? SmallDisk(at: probe, bytes: 4096) else {
            try? FileManager.default.removeItem(at: probe)
            return false
        }
        disk.unmount()
        return true
    }()

    struct MountError: Error { var message: String }
}
