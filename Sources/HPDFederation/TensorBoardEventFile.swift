import Foundation
import HPDNN

/// A TensorBoard event file (`events.out.tfevents.*`) holding scalar summaries, written without TensorFlow.
///
/// The file is a sequence of TFRecords, each
///
///     UInt64 length · UInt32 masked CRC-32C(length bytes) · length bytes · UInt32 masked CRC-32C(bytes)
///
/// (little-endian; masked(c) = ((c >> 15) | (c << 17)) + 0xa282ead8), whose payloads are `tensorflow.Event` protocol
/// buffers: `wall_time` (1, double), `step` (2, int64) and one of `file_version` (3, string), `summary` (5:
/// `value` (1) = {`tag` (1, string), `simple_value` (2, float)}) or `session_log` (7: `status` (1) = START = 1).
/// Records are handed to the operating system as they are written, so TensorBoard shows a run while it trains.
public final class TensorBoardEventFile {
    /// The file.
    public let url: URL
    private let handle: FileHandle

    /// Creates `folder/events.out.tfevents.<seconds>.fedhpd.<n>` (n: the number of event files already there, so a
    /// resumed run's file sorts after the earlier ones, as TensorBoard reads them in name order) and writes the
    /// version record.
    public init(folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let existing = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.contains("tfevents")
        }.count
        url = folder.appendingPathComponent(
            "events.out.tfevents.\(Int(Date().timeIntervalSince1970)).fedhpd.\(String(format: "%06d", existing))")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        try write(step: 0, field: 3, payload: Data("brain.Event:2".utf8))
    }

    deinit { try? handle.close() }

    /// Scalars `tag → value` at `step`, as one event.
    public func write(step: Int, scalars: [(tag: String, value: Float)]) throws {
        var summary = Data()
        for (tag, value) in scalars {
            var entry = Self.lengthDelimited(field: 1, Data(tag.utf8))
            entry.append(Self.key(field: 2, wireType: 5))
            LittleEndian.append(value.bitPattern, to: &entry)
            summary += Self.lengthDelimited(field: 1, entry)
        }
        try write(step: step, field: 5, payload: summary)
    }

    /// A SessionLog START at `step`: TensorBoard then discards events of steps ≥ `step` read before it — those a
    /// run wrote after its last checkpoint before it was killed and resumed.
    public func writeRestart(step: Int) throws {
        try write(step: step, field: 7, payload: Self.key(field: 1, wireType: 0) + Self.varint(1))
    }

    private func write(step: Int, field: Int, payload: Data) throws {
        var event = Self.key(field: 1, wireType: 1)
        LittleEndian.append(Date().timeIntervalSince1970.bitPattern, to: &event)
        event += Self.key(field: 2, wireType: 0) + Self.varint(UInt64(step))
        event += Self.lengthDelimited(field: field, payload)
        var record = Data()
        LittleEndian.append(UInt64(event.count), to: &record)
        LittleEndian.append(CRC32C.masked(record), to: &record)
        record += event
        LittleEndian.append(CRC32C.masked(event), to: &record)
        try handle.write(contentsOf: record)
    }

    static func key(field: Int, wireType: Int) -> Data { varint(UInt64(field << 3 | wireType)) }

    static func lengthDelimited(field: Int, _ bytes: Data) -> Data {
        key(field: field, wireType: 2) + varint(UInt64(bytes.count)) + bytes
    }

    static func varint(_ value: UInt64) -> Data {
        var bytes = Data()
        var rest = value
        repeat {
            bytes.append(UInt8(rest & 0x7F) | (rest > 0x7F ? 0x80 : 0))
            rest >>= 7
        } while rest > 0
        return bytes
    }
}

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord framing uses it.
enum CRC32C {
    static let table: [UInt32] = (0..<256).map { byte in
        (0..<8).reduce(UInt32(byte)) { crc, _ in crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }

    /// CRC-32C of `data`.
    static func checksum(_ data: Data) -> UInt32 {
        ~data.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }

    /// TFRecord's masked CRC: rotate right by 15 and add 0xa282ead8.
    static func masked(_ data: Data) -> UInt32 {
        let crc = checksum(data)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
