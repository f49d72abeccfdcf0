import Foundation
import HPDFederation
import HPDTensor
import Testing

@Suite struct PublicStateSetTests {
    @Test func readsTheReferenceLayoutWithQuotedVectors() throws {
        let text = "State\n\"-0.04,-0.02,0.002,0.007\"\n\"0.1,0.2,0.3,0.4\"\n"
        let set = try PublicStateSet.parse(text, file: "cartpole.csv", observationSize: 4)
        #expect(set.states == Tensor([[-0.04, -0.02, 0.002, 0.007], [0.1, 0.2, 0.3, 0.4]]))
    }

    @Test func readsTheReferenceLayoutWithPythonLists() throws {
        let text = "State\n\"[0.0146, -0.0009, -0.0105, 0.0557]\"\n\"[-0.157, 0.0722, -0.2028, 0.0842]\"\n"
        let set = try PublicStateSet.parse(text, file: "pendulum.csv", observationSize: 4)
        #expect(set.states[1, 2] == -0.2028 && set.count == 2)
    }

    @Test func readsPlainNumericCSVWithAndWithoutHeader() throws {
        let withHeader = try PublicStateSet.parse("x,x_dot,theta,theta_dot\n1,2,3,4\n5,6,7,8\n", file: "a.csv")
        let withoutHeader = try PublicStateSet.parse("1,2,3,4\n5,6,7,8\n\n", file: "b.csv")
        #expect(withHeader.states == withoutHeader.states)
        #expect(withHeader.states == Tensor([[1, 2, 3, 4], [5, 6, 7, 8]]))
    }

    @Test func malformedFilesNameTheFileLineAndColumn() {
        func message(_ text: String, size: Int? = 4) -> String {
            do {
                _ = try PublicStateSet.parse(text, file: "states.csv", observationSize: size)
                return "parsed"
            } catch { return "\(error)" }
        }
        #expect(message("State\n\"1,2,3,4\"\n\"1,2,x,4\"\n") == "states.csv:3:3: 'x' is not a number")
        #expect(message("1,2,3,4\n1,2,3\n").hasPrefix("states.csv:2: has 3 values, expected 4"))
        #expect(message("1,2,3,4\n1,nan,3,4\n") == "states.csv:2:2: value nan is not finite")
        #expect(message("1,2,3,4\n1,2,inf,4\n") == "states.csv:2:3: value inf is not finite")
        #expect(message("State\n") == "states.csv: holds no states")
        #expect(message("\"1,2,3,4\n").contains("unterminated"))
        #expect(message("1,2,3\n", size: 4).contains("expected 4"))
    }

    @Test func partsAreContiguousInFileOrderWithAShorterLastPart() {
        let states = Tensor(rows: 7, columns: 1, scalars: (0..<7).map(Float.init))
        let parts = PublicStateSet(states: states, source: "test").parts(partSize: 3)
        #expect(parts.map(\.scalars) == [[0, 1, 2], [3, 4, 5], [6]])
    }

    @Test func writtenSetsReadBackIdentically() throws {
        var generator = RandomGenerator(seed: 1)
        let set = PublicStateSet(states: Tensor.normal([50, 8], generator: &generator), source: "random")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("states-\(UUID()).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try set.write(to: url)
        let loaded = try PublicStateSet.load(from: url, observationSize: 8)
        #expect(loaded.states == set.states && loaded.checksum == set.checksum)
    }
}
