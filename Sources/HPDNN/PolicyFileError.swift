/// A policy file that cannot be used: which file, and what is wrong with it.
public struct PolicyFileError: Error, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        /// The file cannot be read at all.
        case unreadable(String)
        /// The 8-byte header length is missing or does not fit the file.
        case badHeaderLength(String)
        /// The JSON header is malformed.
        case badHeader(String)
        /// A tensor is not stored as 32-bit floats.
        case unsupportedDType(tensor: String, dtype: String)
        /// A tensor's byte range does not hold 4·Π shape bytes.
        case byteCountMismatch(tensor: String, shape: [Int], bytes: Int)
        /// The tensors' byte ranges leave holes, overlap or run past the end of the file.
        case badOffsets(String)
        /// A metadata entry is missing or unreadable.
        case badMetadata(key: String, reason: String)
        /// A tensor the architecture needs is absent.
        case missingTensor(String)
        /// A tensor the architecture does not have is present.
        case unexpectedTensor(String)
        /// A tensor's shape differs from the architecture's.
        case shapeMismatch(tensor: String, expected: [Int], found: [Int])
        /// A tensor holds NaN or infinity.
        case nonFiniteValues(tensor: String)
        /// The policy does not fit what it is used for (environment, agent).
        case incompatible(String)

        /// The problem in words.
        public var description: String {
            switch self {
            case .unreadable(let reason): return "cannot be read (\(reason))"
            case .badHeaderLength(let reason): return "bad header length: \(reason)"
            case .badHeader(let reason): return "bad JSON header: \(reason)"
            case .unsupportedDType(let tensor, let dtype):
                return "tensor \(tensor) has dtype \(dtype); only F32 is supported"
            case .byteCountMismatch(let tensor, let shape, let bytes):
                return
                    "tensor \(tensor) of shape \(shape) needs \(4 * shape.reduce(1, *)) bytes but data_offsets give \(bytes)"
            case .badOffsets(let reason): return "bad data_offsets: \(reason)"
            case .badMetadata(let key, let reason): return "metadata '\(key)': \(reason)"
            case .missingTensor(let name): return "tensor \(name) is missing"
            case .unexpectedTensor(let name): return "unexpected tensor \(name) (not part of the architecture)"
            case .shapeMismatch(let tensor, let expected, let found):
                return "tensor \(tensor) has shape \(found), expected \(expected)"
            case .nonFiniteValues(let tensor): return "tensor \(tensor) holds NaN or infinity"
            case .incompatible(let reason): return reason
            }
        }
    }

    /// The file's path.
    public var path: String
    /// What is wrong with it.
    public var problem: Problem

    /// An error about the file at `path`.
    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// `<path>: <problem>`.
    public var description: String { "\(path): \(problem)" }
}
