import Foundation
import TestSupport
import Testing

/// Results are bit-identical only for the same BLAS kernel set and small-layer kernels, so both are said: by
/// `fedhpd info` and in every run's `timings.json`, including a choice made through `FEDHPD_SMALL_KERNELS`.
@Suite struct SmallLayerKernelRecordTests {
    let cli = CommandLineTests()

    @Test func infoAndTimingsNameTheSmallLayerKernelsInUse() throws {
        let info = try cli.run(["info", "--size", "64"], environment: ["FEDHPD_SMALL_KERNELS": "blas"])
        #expect(info.status == 0, "\(info.error)")
        #expect(info.output.contains("small-layer kernels: blas"), "\(info.output)")

        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try cli.writeFixtureStates(to: states)
        let run = try cli.run(
            [
                "train", "--env", "CartPole-v1", "--method", "nofed", "--episodes", "2", "--seeds", "20",
                "--public-states", states.path, "--quiet", "--out", root.appendingPathComponent("runs").path,
            ], environment: ["FEDHPD_SMALL_KERNELS": "portable"])
        #expect(run.status == 0, "\(run.error)")
        let timings = root.appendingPathComponent("runs/CartPole-v1__nofed__seed20/timings.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: timings)) as? [String: Any]
        let machine = object?["machine"] as? [String: Any]
        #expect(machine?["smallLayerKernels"] as? String == "portable", "\(String(describing: machine))")
    }
}
