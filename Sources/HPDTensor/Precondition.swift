/// Programmer-error checks that keep their message in release builds.
///
/// Swift's `precondition` drops its message in optimised builds (the process just traps); these print it —
/// e.g. the shapes of a mismatched matrix product — and then stop, in every build configuration.
public enum Precondition {
    /// Stops with `message` when `condition` is false.
    @inlinable @inline(__always)
    public static func check(
        _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = "precondition failed",
        file: StaticString = #fileID, line: UInt = #line
    ) {
        if !condition() { failure(message(), file: file, line: line) }
    }

    /// Stops with `message`.
    @inline(never)
    public static func failure(
        _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
    ) -> Never {
        fatalError(message(), file: file, line: line)
    }
}
