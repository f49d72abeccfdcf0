/// Central finite differences, the trusted reference of every gradient test:
///
///     ∂f/∂x ≈ (f(x + h) − f(x − h)) / 2h        (truncation error O(h²))
public enum FiniteDifferences {
    /// (f(+h) − f(−h)) / 2h, where `evaluate(offset)` is f with the checked coordinate moved by `offset` (and put
    /// back afterwards, when it moves state in place).
    public static func centralDifference(step: Double, _ evaluate: (Double) -> Double) -> Double {
        (evaluate(step) - evaluate(-step)) / (2 * step)
    }

    /// ∂f/∂x_i at `point` by central differences, for coordinate `index`.
    public static func partialDerivative(
        at point: [Double], index: Int, step: Double, _ function: ([Double]) -> Double
    ) -> Double {
        centralDifference(step: step) { offset in
            var moved = point
            moved[index] += offset
            return function(moved)
        }
    }
}
