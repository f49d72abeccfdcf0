import Foundation
import Testing

/// Renders SVG frames to PNG with rsvg-convert and measures drawn shapes with a small standard-library Python PNG
/// reader. CI installs rsvg-convert (`scripts/setup.sh`), so there a missing one fails the tests instead of skipping.
enum FrameMeasurement {
    static let isAvailable =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert")
        && ((try? PythonTensorBoard.python(["-c", "import zlib"]).status) == 0)
    static let isRequired = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Prints {"count", "x", "y", "degrees"} for the pixels of colour (r, g, b): their centroid and the angle of
    /// their principal axis from the vertical (positive: the top leans right).
    static let script = """
        import json, math, struct, sys, zlib
        data = open(sys.argv[1], "rb").read()
        position, idat = 8, b""
        while position < len(data):
            length, kind = struct.unpack(">I4s", data[position:position + 8])
            chunk = data[position + 8:position + 8 + length]
            position += 12 + length
            if kind == b"IHDR":
                width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            elif kind == b"IDAT":
                idat += chunk
        channels = {2: 3, 6: 4}[colour]
        raw, stride, previous, offset, pixels = zlib.decompress(idat), width * channels, bytearray(width * channels), 0, []
        target = [int(value) for value in sys.argv[2:5]]
        for row in range(height):
            kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
            offset += 1 + stride
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b, c = previous[i], previous[i - channels] if i >= channels else 0
                if kind == 1: line[i] = (line[i] + a) & 255
                elif kind == 2: line[i] = (line[i] + b) & 255
                elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
                elif kind == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            previous = line
            for column in range(width):
                if all(abs(line[column * channels + k] - target[k]) <= 8 for k in range(3)):
                    pixels.append((column + 0.5, row + 0.5))
        n = len(pixels)
        mx, my = sum(p[0] for p in pixels) / n, sum(p[1] for p in pixels) / n
        sxx = sum((p[0] - mx) ** 2 for p in pixels); syy = sum((p[1] - my) ** 2 for p in pixels)
        sxy = sum((p[0] - mx) * (p[1] - my) for p in pixels)
        phi = 0.5 * math.atan2(2 * sxy, sxx - syy)
        dx, dy = math.cos(phi), math.sin(phi)
        if dy > 0: dx, dy = -dx, -dy
        print(json.dumps({"count": n, "x": mx, "y": my, "degrees": math.degrees(math.atan2(dx, -dy))}))
        """

    /// Renders `svg` and measures the pixels of `colour`.
    static func measure(svg: URL, colour: (Int, Int, Int)) throws -> [String: Double] {
        let png = svg.deletingPathExtension().appendingPathExtension("png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/rsvg-convert")
        process.arguments = [svg.path, "-o", png.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "rsvg-convert failed on \(svg.path)")
        let result = try PythonTensorBoard.python(["-c", script, png.path, "\(colour.0)", "\(colour.1)", "\(colour.2)"])
        #expect(result.status == 0, "\(result.error)")
        return try JSONDecoder().decode([String: Double].self, from: Data(result.output.utf8))
    }
}

/// `fedhpd watch`, checked as a person would see it: frames rendered to PNG, shapes where the state says.
@Suite(
    .enabled(
        if: FrameMeasurement.isAvailable || FrameMeasurement.isRequired,
        "SKIPPED: needs rsvg-convert (apt install librsvg2-bin — scripts/setup.sh) and python3"))
struct WatchCommandTests {
    let cli = CommandLineTests()
    static let pole = (202, 152, 101)  // #ca9865
    static let lander = (128, 102, 230)  // #8066e6

    /// Watches agent 1 of a tiny run of `environment`; returns the folder and the episode's states (rows of numbers).
    func watched(
        _ environment: String, mode: String = "greedy", in root: URL
    ) throws -> (
        folder: URL, policy: URL, states: [[Double]]
    ) {
        #expect(FrameMeasurement.isAvailable, "rsvg-convert and python3 are required when CI=true")
        let run = try EvaluateCommandTests().trainTinyRun(environment, in: root)
        let policy = run.appendingPathComponent("policies/agent-1.safetensors")
        let states = root.appendingPathComponent("states.csv")
        let animation = root.appendingPathComponent("episode.svg")
        let outcome = try cli.run([
            "watch", policy.path, "--out", animation.path, "--seed", "3", "--mode", mode, "--states", states.path,
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        let svg = try String(contentsOf: animation, encoding: .utf8)
        let rows = try String(contentsOf: states, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
        }
        #expect(svg.contains("<animateTransform") && svg.components(separatedBy: "<text").count - 1 == rows.count)
        let wellFormed = try PythonTensorBoard.python([
            "-c", "import sys, xml.etree.ElementTree as e; e.parse(sys.argv[1])", animation.path,
        ])
        #expect(wellFormed.status == 0, "\(wellFormed.error)")
        return (root, policy, rows)
    }

    func still(_ policy: URL, step: Int, mode: String = "greedy", in root: URL) throws -> URL {
        let url = root.appendingPathComponent("step-\(step).svg")
        let outcome = try cli.run([
            "watch", policy.path, "--out", url.path, "--seed", "3", "--mode", mode, "--frame", "\(step)",
        ])
        #expect(outcome.status == 0, "\(outcome.error)")
        return url
    }

    @Test(arguments: [("CartPole-v1", 3, 100.0), ("InvertedPendulum-v4", 2, 200.0)])
    func thePolesPixelAngleAndTheCartMatchTheStateAtTheFirstAndLastStep(
        environment: String, angleColumn: Int, pixelsPerMetre: Double
    ) throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (_, policy, states) = try watched(environment, in: root)
        for step in [0, states.count - 1] {
            let measured = try FrameMeasurement.measure(svg: still(policy, step: step, in: root), colour: Self.pole)
            let angle = states[step][angleColumn] * 180 / .pi
            #expect(measured["count"]! > 300)
            #expect(
                abs(measured["degrees"]! - angle) < 1.5,
                "\(environment) step \(step): drawn \(measured["degrees"]!)°, state \(angle)°")
            // The pole's centroid sits half a pole above the cart's top centre, along the pole.
            let cartX = 300 + states[step][1] * pixelsPerMetre
            let poleHalf = (environment == "CartPole-v1" ? 50.0 : 60.0)
            #expect(
                abs(measured["x"]! - (cartX + poleHalf * sin(states[step][angleColumn]))) < 2,
                "\(environment) step \(step)")
        }
    }

    @Test func theLanderIsDrawnWhereTheStateSays() throws {
        let root = cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        // Sampled actions: the barely trained greedy policy fires its main engine at every step and leaves the picture.
        let (_, policy, states) = try watched("LunarLander-v3", mode: "sample", in: root)
        // World x = (s₀ + 1)·10, y = s₁·6.667 + 3.333 + 0.6 (helipad + legs); 30 pixels per unit, y down from 400.
        func pixel(_ step: Int) -> (x: Double, y: Double) {
            ((states[step][1] + 1) * 10 * 30, 400 - (states[step][2] * 20 / 3 + 10 / 3 + 0.6) * 30)
        }
        // The lander starts at the top edge, half outside the picture: check the first and last steps fully inside.
        let inside = states.indices.filter { (40...570).contains(pixel($0).x) && (40...370).contains(pixel($0).y) }
        try #require(!inside.isEmpty, "the lander never is fully in the picture")
        for step in [inside.first!, inside.last!] {
            let measured = try FrameMeasurement.measure(
                svg: still(policy, step: step, mode: "sample", in: root), colour: Self.lander)
            let (x, y) = pixel(step)
            #expect(measured["count"]! > 500)
            #expect(
                abs(measured["x"]! - x) < 4 && abs(measured["y"]! - y) < 6,
                "step \(step): drawn (\(measured["x"]!), \(measured["y"]!)), state (\(x), \(y))")
        }
    }
}
