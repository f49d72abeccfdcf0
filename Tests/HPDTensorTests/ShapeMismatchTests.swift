import HPDTensor
import Testing

/// Shape mismatches are programmer errors: the process stops with a message naming both shapes (checked in a child
/// process with Swift Testing's exit tests).
@Suite struct ShapeMismatchTests {
    @Test func matmulMismatchNamesBothShapes() async throws {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("[2, 3]") && message.contains("[4, 5]"), "\(message)")
    }

    @Test func broadcastingMismatchNamesBothShapes() async throws {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([3, 2])
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("[2, 3]") && message.contains("[3, 2]"), "\(message)")
    }
}
