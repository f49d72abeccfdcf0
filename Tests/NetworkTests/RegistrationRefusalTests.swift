#if Network
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension NetworkTests {
    /// Registrations the server refuses — an agent id outside the run, an agent another client already hosts, a
    /// client expecting another run's configuration — each with the reason in both the client's error (exit 1) and
    /// the server's log; the run then completes with the right clients.
    @Test(.timeLimit(.minutes(4))) func registrationRefusalsNameTheReasonOnBothSides() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let states = root.appendingPathComponent("states.csv")
        try writeFixtureStates(to: states)
        let (server, port) = try startServer(
            [
                "--env", "CartPole-v1", "--interval", "5", "--episodes", "5", "--agents-expected", "3",
                "--agents", "undisclosed", "--public-states", states.path, "--part-size", "100",
                "--wait-for-agents", "90", "--out", root.appendingPathComponent("serve").path,
            ], in: root)
        defer { server.stop() }
        func join(_ agents: String, _ extra: [String] = [], name: String) throws -> Running {
            try self.join(port: port, agents: agents, ["--connect-timeout", "5"] + extra, name: name, in: root)
        }
        let outsider = try join("paper:4", name: "outsider")
        #expect(outsider.wait(timeout: 30) == 1)
        #expect(
            outsider.error.contains("refused the registration: agent 4 is out of range: the run has 3 agents"),
            "\(outsider.error)")

        let first = try join("paper:1-2", name: "first")
        defer { first.stop() }
        let limit = Date().addingTimeInterval(60)
        while !server.error.contains("registered agents 1–2") && Date() < limit { usleep(50_000) }
        let duplicate = try join("paper:2-3", name: "duplicate")
        #expect(duplicate.wait(timeout: 30) == 1)
        #expect(
            duplicate.error.contains("refused the registration: agent 2 is already hosted by client"),
            "\(duplicate.error)")

        let stranger = try join("paper:3", ["--run-fingerprint", "0123456789abcdef"], name: "stranger")
        #expect(stranger.wait(timeout: 30) == 1)
        #expect(
            stranger.error.contains("the client belongs to another run (configuration fingerprint 0123456789abcdef)"),
            "\(stranger.error)")

        // The server's own fingerprint (logged at start and sent in the schedule) is accepted.
        let fingerprint = try #require(
            server.error.split(separator: " ").drop { $0 != "configuration" }.dropFirst().first
        )
        .trimmingCharacters(in: CharacterSet(charactersIn: ","))
        let last = try join("paper:3", ["--run-fingerprint", fingerprint], name: "last")
        defer { last.stop() }
        #expect(server.wait(timeout: 120) == 0, "\(server.error)")
        #expect(first.wait(timeout: 30) == 0, "\(first.error)")
        #expect(last.wait(timeout: 30) == 0, "\(last.error)")
        for expected in ["agent 4 is out of range", "agent 2 is already hosted by client", "belongs to another run"] {
            #expect(
                server.error.contains("refused registration from") && server.error.contains(expected),
                "\(expected): \(server.error)")
        }
        // --agents undisclosed: config.json records no architecture for any place.
        let config =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: root.appendingPathComponent("serve/CartPole-v1__fedhpd-d5__seed20/config.json")))
            as? [String: Any]
        let roster = try #require(config?["agents"] as? [[String: Any]])
        #expect(roster.count == 3 && roster.allSatisfy { ($0["hiddenSizes"] as? [Int]) == [] }, "\(roster)")
    }
}
#endif
