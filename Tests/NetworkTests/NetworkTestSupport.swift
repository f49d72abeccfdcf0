#if Network
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The network tests' one set of helpers: `fedhpd` processes with their output in files, free ports, the server's
/// port file, the fixture public states, and the start-up of a server and its clients.
extension NetworkTests {
    /// A running `fedhpd` process whose output goes to files (no pipe can fill up).
    final class Running {
        let name: String
        let process = Process()
        let outputURL: URL
        let errorURL: URL

        init(_ arguments: [String], name: String, folder: URL) throws {
            self.name = name
            outputURL = folder.appendingPathComponent("\(name).out")
            errorURL = folder.appendingPathComponent("\(name).err")
            _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
            process.executableURL = NetworkTests.executable
            process.arguments = arguments
            // Relative paths (join's default --out runs) land in the test's folder.
            process.currentDirectoryURL = folder
            process.standardOutput = try FileHandle(forWritingTo: outputURL)
            process.standardError = try FileHandle(forWritingTo: errorURL)
            try process.run()
        }

        var output: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }
        var error: String { (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "" }

        /// Waits up to `timeout` seconds; a process still running then is killed and the test fails.
        @discardableResult
        func wait(timeout: Double) -> Int32 {
            let limit = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < limit { usleep(50_000) }
            if process.isRunning {
                Issue.record("\(name) still running after \(timeout) s; killed. stderr:\n\(error.suffix(3000))")
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return -1
            }
            return process.terminationStatus
        }

        func stop() {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fedhpd-net-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A free TCP port on 127.0.0.1 (bound to port 0, then released).
    func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        #expect(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits for the server's --port-file.
    func port(from file: URL, server: Running, timeout: Double = 60) throws -> Int {
        let limit = Date().addingTimeInterval(timeout)
        while Date() < limit {
            if let text = try? String(contentsOf: file, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return port
            }
            if !server.process.isRunning { break }
            usleep(50_000)
        }
        throw NetworkTestError("the server did not report its port: \(server.error)")
    }

    struct NetworkTestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A small public state file in the reference implementation's layout (a single quoted `State` column).
    func writeFixtureStates(to url: URL, count: Int = 300) throws {
        var text = "State\n"
        for index in 0..<count {
            let x = Double(index % 17) / 10 - 0.8
            text +=
                "\"\(x),\(Double(index % 5) / 10 - 0.2),\(Double(index % 7) / 50 - 0.06),\(Double(index % 11) / 10 - 0.5)\"\n"
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Starts `fedhpd serve ARGUMENTS --port 0 --port-file …` in `folder` and waits for its port.
    func startServer(
        _ arguments: [String], in folder: URL, name: String = "serve"
    ) throws -> (server: Running, port: Int) {
        let portFile = folder.appendingPathComponent("\(name).port")
        let server = try Running(
            ["serve"] + arguments + ["--port", "0", "--port-file", portFile.path], name: name, folder: folder)
        return (server, try port(from: portFile, server: server))
    }

    /// Starts `fedhpd join --server 127.0.0.1:PORT --agents AGENTS --seed 20 --threads 1 EXTRA` in `folder`.
    func join(
        port: Int, agents: String, _ extra: [String] = [], name: String, in folder: URL
    ) throws -> Running {
        try Running(
            ["join", "--server", "127.0.0.1:\(port)", "--agents", agents, "--seed", "20", "--threads", "1"] + extra,
            name: name, folder: folder)
    }
}
#endif
