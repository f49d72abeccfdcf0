import Foundation
import HPDTensor

/// The content of a safetensors file restricted to 32-bit floats: named tensors and a string → string metadata map.
///
/// Layout (the format's public specification):
///
///     UInt64 (little-endian)   N, the length of the header
///     N bytes                  UTF-8 JSON object, optionally right-padded with spaces:
///                              { "__metadata__": { "key": "value", … },
///                                "<name>": { "dtype": "F32", "shape": [d₀, d₁, …], "data_offsets": [begin, end] }, … }
///     the rest                 the byte buffer; offsets are relative to its start, tensors are row-major little-endian
///
/// Decoding is strict: the header length must fit the file, the header must be a JSON object, every tensor must be
/// F32 with `end − begin = 4·Π shape`, and the tensors must cover the buffer exactly (no holes, no overlaps).
/// Every problem is a `PolicyFileError` naming the file.
public struct SafeTensors: Equatable, Sendable {
    /// One named tensor.
    public struct Entry: Equatable, Sendable {
        /// The tensor's name, e.g. `body.0.weight`.
        public var name: String
        /// Its shape, outermost dimension first.
        public var shape: [Int]
        /// Its values in row-major order.
        public var scalars: [Float]

        /// A tensor; `scalars.count` must equal the product of `shape`.
        public init(name: String, shape: [Int], scalars: [Float]) {
            self.name = name
            self.shape = shape
            self.scalars = scalars
        }
    }

    /// The tensors, in buffer order.
    public var tensors: [Entry]
    /// The `__metadata__` map.
    public var metadata: [String: String]

    /// The largest header accepted (as the reference implementation).
    public static let maximumHeaderLength = 100 << 20

    /// A file content.
    public init(tensors: [Entry], metadata: [String: String]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`, if any.
    public subscript(name: String) -> Entry? { tensors.first { $0.name == name } }

    /// The file's bytes: tensors in `tensors` order, header keys sorted, header padded with spaces to a multiple of 8.
    public func encoded() throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for entry in tensors {
            Precondition.check(
                entry.scalars.count == entry.shape.reduce(1, *),
                "SafeTensors: \(entry.name) has \(entry.scalars.count) values for shape \(entry.shape)")
            header[entry.name] = [
                "dtype": "F32", "shape": entry.shape, "data_offsets": [offset, offset + 4 * entry.scalars.count],
            ]
            offset += 4 * entry.scalars.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var data = Data(capacity: 8 + json.count + offset)
        LittleEndian.append(UInt64(json.count), to: &data)
        data.append(json)
        for entry in tensors {
            for value in entry.scalars { LittleEndian.append(value.bitPattern, to: &data) }
        }
        return data
    }

    /// Decodes the bytes of a file; `path` names the file in errors.
    public static func decode(_ data: Data, path: String) throws(PolicyFileError) -> SafeTensors {
        let bytes = [UInt8](data)
        func fail(_ problem: PolicyFileError.Problem) -> PolicyFileError {
            PolicyFileError(path: path, problem: problem)
        }
        guard bytes.count >= 8 else {
            throw fail(.badHeaderLength("the file has \(bytes.count) bytes, fewer than the 8-byte header length"))
        }
        let declared = LittleEndian.readUInt64(bytes, at: 0)
        guard declared >= 2, declared <= UInt64(min(maximumHeaderLength, bytes.count - 8)) else {
            throw fail(.badHeaderLength("the header length \(declared) does not fit a file of \(bytes.count) bytes"))
        }
        let headerEnd = 8 + Int(declared)
        guard bytes[8] == UInt8(ascii: "{"),
            let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])),
            let header = object as? [String: Any]
        else { throw fail(.badHeader("the header is not a JSON object")) }
        var metadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let map = raw as? [String: Any] else { throw fail(.badHeader("__metadata__ is not an object")) }
            for (key, value) in map {
                guard let text = value as? String else { throw fail(.badHeader("__metadata__.\(key) is not a string")) }
                metadata[key] = text
            }
        }
        var located: [(entry: Entry, begin: Int, end: Int)] = []
        for (name, raw) in header where name != "__metadata__" {
            guard let fields = raw as? [String: Any], let dtype = fields["dtype"] as? String,
                let shape = Self.integers(fields["shape"]), let offsets = Self.integers(fields["data_offsets"]),
                offsets.count == 2
            else { throw fail(.badHeader("tensor \(name) lacks dtype, shape or data_offsets [begin, end]")) }
            guard dtype == "F32" else { throw fail(.unsupportedDType(tensor: name, dtype: dtype)) }
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw fail(.badHeader("tensor \(name) has a negative dimension or reversed data_offsets"))
            }
            let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max / 8 : $0 * $1 }
            guard offsets[1] - offsets[0] == 4 * count else {
                throw fail(.byteCountMismatch(tensor: name, shape: shape, bytes: offsets[1] - offsets[0]))
            }
            located.append((Entry(name: name, shape: shape, scalars: []), offsets[0], offsets[1]))
        }
        located.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        let bufferSize = bytes.count - headerEnd
        var covered = 0
        for item in located {
            guard item.begin == covered else {
                throw fail(
                    .badOffsets(
                        item.begin > covered
                            ? "bytes \(covered)..<\(item.begin) of the buffer belong to no tensor (before \(item.entry.name))"
                            : "tensor \(item.entry.name) overlaps the tensor before it"))
            }
            guard item.end <= bufferSize else {
                throw fail(
                    .badOffsets(
                        "tensor \(item.entry.name) ends at byte \(item.end) but the buffer has \(bufferSize) (truncated file?)"
                    ))
            }
            covered = item.end
        }
        guard covered == bufferSize else {
            throw fail(.badOffsets("the buffer has \(bufferSize) bytes but the tensors cover \(covered)"))
        }
        let tensors = located.map { item -> Entry in
            var entry = item.entry
            entry.scalars = stride(from: headerEnd + item.begin, to: headerEnd + item.end, by: 4).map {
                Float(bitPattern: LittleEndian.readUInt32(bytes, at: $0))
            }
            return entry
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    /// The integers of a JSON array (nil if it is not an array of whole numbers).
    static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for element in array {
            guard let number = element as? NSNumber, let integer = Int(exactly: number.doubleValue) else { return nil }
            result.append(integer)
        }
        return result
    }
}
