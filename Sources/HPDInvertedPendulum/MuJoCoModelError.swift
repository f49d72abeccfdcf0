/// Why a MuJoCo model could not be turned into a running simulation.
public enum MuJoCoModelError: Error, Equatable, CustomStringConvertible {
    /// MuJoCo rejected the model XML; `message` is MuJoCo's own parse or compile error.
    case invalidModelXML(message: String)
    /// The virtual file that hands the XML to MuJoCo could not be created (e.g. the XML is empty or too large).
    case virtualFileUnavailable(reason: String)
    /// MuJoCo could not allocate the simulation data for a compiled model.
    case dataAllocationFailed
    /// The model compiled but does not have the structure the environment needs.
    case incompatibleModel(reason: String)

    /// A one-line, human-readable explanation.
    public var description: String {
        switch self {
        case .invalidModelXML(let message): return "MuJoCo rejected the model XML: \(message)"
        case .virtualFileUnavailable(let reason): return "The model XML could not be handed to MuJoCo: \(reason)"
        case .dataAllocationFailed: return "MuJoCo could not allocate simulation data for the model"
        case .incompatibleModel(let reason): return "The model does not fit this environment: \(reason)"
        }
    }
}
