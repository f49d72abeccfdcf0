import Foundation

/// Little-endian integers in byte buffers, shared by the package's binary file formats (checkpoints, safetensors).
package enum LittleEndian {
    /// Appends `value` in little-endian byte order.
    package static func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    /// Reads a little-endian UInt32 at `offset` (the caller checks `offset + 4 <= bytes.count`).
    package static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    /// Reads a little-endian UInt64 at `offset` (the caller checks `offset + 8 <= bytes.count`).
    package static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
}

/// The 64-bit FNV-1a hash, used as a file checksum.
package enum Checksum {
    /// FNV-1a over `data`.
    package static func fnv1a(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
