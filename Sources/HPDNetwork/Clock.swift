#if Network
import Foundation
import HPDFederation

/// Seconds on a monotonic clock.
func now() -> Double { monotonicSeconds() }

/// Formats seconds for messages: `3 s`, `0.5 s`.
func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
}
#endif
