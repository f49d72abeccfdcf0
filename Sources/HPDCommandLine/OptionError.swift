/// A command-line option whose value cannot be used: printed as `Error: <option>: <reason>` with exit status 1 (no
/// usage text), so the message names what was refused and why.
package struct OptionError: Error, CustomStringConvertible, Equatable {
    /// The option as typed, e.g. `--blas-core`.
    package let option: String
    /// Why its value was refused.
    package let reason: String

    package init(option: String, reason: String) {
        self.option = option
        self.reason = reason
    }

    package var description: String { "\(option): \(reason)" }
}
