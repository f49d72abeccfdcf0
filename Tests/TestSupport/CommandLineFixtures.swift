import Foundation

/// Input files the command-line tests (CLITests, NetworkTests) give `fedhpd`, written in one place.
public enum CommandLineFixtures {
    /// A small CartPole public state file in the reference implementation's layout (a single quoted `State` column)
    /// of `count` states, each component a fixed periodic pattern in the environment's range; creates the folder.
    public static func writePublicStates(to url: URL, count: Int = 300) throws {
        var text = "State\n"
        for index in 0..<count {
            let x = Double(index % 17) / 10 - 0.8
            text +=
                "\"\(x),\(Double(index % 5) / 10 - 0.2),\(Double(index % 7) / 50 - 0.06),\(Double(index % 11) / 10 - 0.5)\"\n"
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// An agents file of two small CartPole agents ([16] tanh at 0.002, [8, 8] relu/tanh at 0.001); creates the
    /// folder.
    public static func writeTwoSmallAgents(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try
            #"[{"hiddenSizes": [16], "activation": "tanh", "learningRate": 0.002}, {"hiddenSizes": [8, 8], "activations": ["relu", "tanh"], "learningRate": 0.001}]"#
            .write(to: url, atomically: true, encoding: .utf8)
    }
}
