import Logging

extension LinearAlgebraLibrary {
    /// Where the engine reports what went wrong in the kernel choice (a set that failed its self-check, a fall-back,
    /// an unusable `FEDHPD_BLAS_CORE`): one warning `BLAS kernels: <note>` per note of `kernelStatus`, when the
    /// choice is made. Label `fedhpd.tensor`; the messages reach whatever backend the program bootstrapped with
    /// swift-log's `LoggingSystem` (its default prints to standard error).
    public static let logger = Logger(label: "fedhpd.tensor")
}
