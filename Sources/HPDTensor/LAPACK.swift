internal import CBLAS

/// The one file that calls LAPACKE.
enum LAPACK {
    /// Eigen-decomposition of a symmetric n×n matrix (row-major, Double) with `dsyev`.
    /// Returns ascending eigenvalues and the row-major matrix whose columns are the matching unit eigenvectors,
    /// or nil when LAPACK reports failure.
    static func symmetricEigen(_ matrix: [Double], size: Int) -> (values: [Double], vectors: [Double])? {
        _ = BLASKernelSelection.isReady
        var vectors = matrix
        var values = [Double](repeating: 0, count: size)
        let status = vectors.withUnsafeMutableBufferPointer { vectorBuffer in
            values.withUnsafeMutableBufferPointer { valueBuffer in
                LAPACKE_dsyev(
                    LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), Int32(size),
                    vectorBuffer.baseAddress, Int32(size), valueBuffer.baseAddress)
            }
        }
        return status == 0 ? (values, vectors) : nil
    }
}

/// The eigenvalues and eigenvectors of a symmetric matrix A = V·diag(λ)·Vᵀ.
public struct SymmetricEigendecomposition: Sendable {
    /// Eigenvalues λ in ascending order.
    public let eigenvalues: [Double]
    /// `n × n` matrix whose column j is the unit eigenvector of `eigenvalues[j]`.
    public let eigenvectors: [[Double]]

    /// Decomposes the symmetric matrix `matrix` (given as rows) with LAPACK's `dsyev`, in double precision.
    /// Only the upper triangle is read.
    public init(symmetric matrix: [[Double]]) {
        let size = matrix.count
        for (index, row) in matrix.enumerated() {
            Precondition.check(
                row.count == size,
                "SymmetricEigendecomposition: row \(index) has \(row.count) values, matrix is \(size)×\(size)")
        }
        guard let result = LAPACK.symmetricEigen(matrix.flatMap { $0 }, size: size) else {
            Precondition.failure("LAPACKE_dsyev failed to converge on a \(size)×\(size) matrix")
        }
        eigenvalues = result.values
        eigenvectors = (0..<size).map { row in Array(result.vectors[(row * size)..<((row + 1) * size)]) }
    }

    /// The eigenvector of the `index`-th eigenvalue (ascending order).
    public func eigenvector(_ index: Int) -> [Double] {
        eigenvectors.map { $0[index] }
    }
}
