import Foundation
import HPDTensor

/// Saving and loading a policy's architecture and parameters.
///
/// File layout (version 1, little-endian):
///
///     "FHPDPOL\0"   8-byte magic
///     UInt32        format version (1)
///     UInt32        length L of the JSON header
///     L bytes       JSON: {"architecture": …, "shapes": [[rows, columns] or [n], …]}
///     Float32 × N   every parameter's values in `Policy.parameters` order
///     UInt64        FNV-1a checksum of everything before it
///
/// Loading checks the magic, version, header, sizes and checksum and throws `PolicyError.invalidFile` with the
/// reason; it never traps on a bad file.
public enum PolicyArchive {
    static let magic: [UInt8] = Array("FHPDPOL\0".utf8)
    /// The format version written by `save`.
    public static let version: UInt32 = 1

    struct Header: Codable {
        var architecture: PolicyArchitecture
        var shapes: [[Int]]
    }

    /// Writes `policy` to `url` atomically.
    public static func save(_ policy: Policy, to url: URL) throws {
        try AtomicFile.write(encode(policy), to: url)
    }

    /// The file's bytes for `policy`.
    public static func encode(_ policy: Policy) throws -> Data {
        let header = Header(architecture: policy.architecture, shapes: policy.parameters.map(\.value.shape))
        let json = try JSONEncoder().encode(header)
        var data = Data(magic)
        append(version, to: &data)
        append(UInt32(json.count), to: &data)
        data.append(json)
        for parameter in policy.parameters {
            for value in parameter.value.scalars { append(value.bitPattern, to: &data) }
        }
        append(Checksum.fnv1a(data), to: &data)
        return data
    }

    /// Reads a policy file: a `CategoricalPolicy` or `GaussianPolicy` as the architecture says.
    public static func load(from url: URL) throws -> Policy {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PolicyError.invalidFile(path: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        return try decode(data, path: url.path)
    }

    /// Decodes a policy from the bytes of a file (`path` is used in error messages).
    public static func decode(_ data: Data, path: String) throws -> Policy {
        let bytes = [UInt8](data)
        func fail(_ reason: String) -> PolicyError { .invalidFile(path: path, reason: reason) }
        guard bytes.count >= 8 + 4 + 4 + 8 else { throw fail("truncated: \(bytes.count) bytes is shorter than any policy file") }
        guard Array(bytes[0..<8]) == magic else { throw fail("not a FedHPD policy file (bad magic bytes)") }
        let fileVersion = readUInt32(bytes, at: 8)
        guard fileVersion == version else { throw fail("format version \(fileVersion) is not supported (this build reads \(version))") }
        let storedChecksum = readUInt64(bytes, at: bytes.count - 8)
        guard Checksum.fnv1a(Data(bytes[0..<(bytes.count - 8)])) == storedChecksum else {
            throw fail("checksum mismatch: the file is corrupt or truncated")
        }
        let headerLength = Int(readUInt32(bytes, at: 12))
        guard 16 + headerLength <= bytes.count - 8 else { throw fail("truncated header") }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)])) } catch {
            throw fail("unreadable header: \(error)")
        }
        do { try header.architecture.validate() } catch { throw fail("\(error)") }
        var generator = RandomGenerator(seed: 0)
        let policy: Policy = header.architecture.family == .categorical
            ? CategoricalPolicy(architecture: header.architecture, generator: &generator)
            : GaussianPolicy(architecture: header.architecture, generator: &generator)
        guard header.shapes == policy.parameters.map(\.value.shape) else {
            throw fail("parameter shapes \(header.shapes) do not match the architecture \(header.architecture.summary)")
        }
        let valueCount = policy.parameterCount
        guard bytes.count - 8 - (16 + headerLength) == valueCount * 4 else {
            throw fail("expected \(valueCount) parameter values, found \((bytes.count - 24 - headerLength) / 4)")
        }
        var offset = 16 + headerLength
        for parameter in policy.parameters {
            var values = [Float](repeating: 0, count: parameter.value.count)
            for index in values.indices {
                values[index] = Float(bitPattern: readUInt32(bytes, at: offset))
                offset += 4
            }
            guard values.allSatisfy(\.isFinite) else { throw fail("a parameter holds NaN or infinity") }
            parameter.assign(Tensor(shape: parameter.value.shape, scalars: values))
        }
        return policy
    }

    static func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        appendInteger(value, to: &data)
    }

    /// Appends `value` in little-endian byte order (shared by the package's binary file formats).
    public static func appendInteger<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    /// Reads a little-endian UInt32 at `offset`.
    public static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    /// Reads a little-endian UInt64 at `offset`.
    public static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
}

/// The 64-bit FNV-1a hash, used as a file checksum.
public enum Checksum {
    /// FNV-1a over `data`.
    public static func fnv1a(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
