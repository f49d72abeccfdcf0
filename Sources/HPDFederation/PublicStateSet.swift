import Foundation
import HPDNN
import HPDTensor

/// The shared public state set S_p on which agents report their action distributions.
///
/// Distillation walks it in **file order** in contiguous parts of `partSize` states (2500 in the paper); when the
/// count is not a multiple of `partSize`, the last part is simply shorter (Python's `states[i:i+2500]` slicing).
public struct PublicStateSet: Sendable, Equatable {
    /// All states, n × observationSize, in file order.
    public let states: Tensor
    /// Where the set came from (a path, or a description of how it was built).
    public let source: String

    /// The absolute path of the file the states came from, if any.
    public let filePath: String?

    /// A set from an n × observationSize matrix (n > 0) and a description of its origin.
    public init(states: Tensor, source: String, filePath: String? = nil) {
        Precondition.check(
            states.rank == 2 && states.rows > 0, "PublicStateSet needs a non-empty n × d matrix, got \(states.shape)")
        self.states = states
        self.source = source
        self.filePath = filePath
    }

    /// The number of states.
    public var count: Int { states.rows }

    /// The contiguous parts of at most `partSize` states, in file order.
    public func parts(partSize: Int) -> [Tensor] {
        Precondition.check(partSize > 0, "partSize must be positive, got \(partSize)")
        return stride(from: 0, to: count, by: partSize).map { states.rows($0..<min($0 + partSize, count)) }
    }

    /// An FNV-1a checksum of the values (recorded in config.json to identify the set).
    public var checksum: String {
        var data = Data(capacity: states.count * 4)
        for value in states.scalars {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return String(format: "%016llx", Checksum.fnv1a(data))
    }

    /// Loads a CSV file in either layout:
    /// - plain numeric columns, one state per row, with an optional header line;
    /// - the reference implementation's layout: a single `State` column whose cells are quoted comma-joined vectors
    ///   (`"0.1,0.2,…"`) or Python-style lists (`"[0.1, 0.2, …]"`).
    ///
    /// Every row must have `observationSize` finite values (when given); errors name the file, line and column.
    public static func load(from url: URL, observationSize: Int? = nil) throws -> PublicStateSet {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw FederationError.invalidPublicStates(
                file: url.path, line: 0, column: 0,
                reason: "cannot be read: \(FileSystemError(reading: url, error).reason)")
        }
        let parsed = try parse(text, file: url.path, observationSize: observationSize)
        return PublicStateSet(states: parsed.states, source: url.path, filePath: url.standardizedFileURL.path)
    }

    /// Parses CSV text (see `load(from:observationSize:)`); `file` is used in error messages.
    public static func parse(_ text: String, file: String, observationSize: Int? = nil) throws -> PublicStateSet {
        var values: [Float] = []
        var width = observationSize
        var rowCount = 0
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (lineIndex, rawLine) in lines.enumerated() {
            let lineNumber = lineIndex + 1
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("\"") {
                guard line.count >= 2, line.hasSuffix("\"") else {
                    throw FederationError.invalidPublicStates(
                        file: file, line: lineNumber, column: 1, reason: "unterminated quoted cell")
                }
                line = String(line.dropFirst().dropLast())
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw FederationError.invalidPublicStates(
                        file: file, line: lineNumber, column: 1, reason: "list without a closing ']'")
                }
                line = String(line.dropFirst().dropLast())
            }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let parsed = cells.map { Float($0) }
            if rowCount == 0 && values.isEmpty && parsed.contains(where: { $0 == nil })
                && lineIndex == firstContentLine(lines)
            {
                continue  // a header line such as `State` or `x,x_dot,theta,theta_dot`
            }
            for (columnIndex, value) in parsed.enumerated() {
                guard let value else {
                    throw FederationError.invalidPublicStates(
                        file: file, line: lineNumber, column: columnIndex + 1,
                        reason: "'\(cells[columnIndex])' is not a number")
                }
                guard value.isFinite else {
                    throw FederationError.invalidPublicStates(
                        file: file, line: lineNumber, column: columnIndex + 1,
                        reason: "value \(cells[columnIndex]) is not finite")
                }
            }
            if let expected = width, parsed.count != expected {
                throw FederationError.invalidPublicStates(
                    file: file, line: lineNumber, column: 0,
                    reason:
                        "has \(parsed.count) values, expected \(expected)\(observationSize != nil ? " (the environment's observation size)" : " (as the first row)")"
                )
            }
            width = parsed.count
            values.append(contentsOf: parsed.map { $0! })
            rowCount += 1
        }
        guard rowCount > 0, let width else {
            throw FederationError.invalidPublicStates(file: file, line: 0, column: 0, reason: "holds no states")
        }
        return PublicStateSet(states: Tensor(rows: rowCount, columns: width, scalars: values), source: file)
    }

    private static func firstContentLine(_ lines: [Substring]) -> Int {
        lines.firstIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? 0
    }

    /// Writes the set as plain numeric CSV (header `s0,s1,…`), atomically.
    public func write(to url: URL) throws {
        var text = (0..<states.columns).map { "s\($0)" }.joined(separator: ",") + "\n"
        text.reserveCapacity(count * states.columns * 12)
        for row in 0..<count {
            text += (0..<states.columns).map { "\(states[row, $0])" }.joined(separator: ",") + "\n"
        }
        try RunFolder.writeFile(text, to: url)
    }
}
