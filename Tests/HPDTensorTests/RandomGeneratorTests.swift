import HPDTensor
import Testing

@Suite struct RandomGeneratorTests {
    @Test func sameSeedGivesSameStream() {
        var first = RandomGenerator(seed: 42)
        var second = RandomGenerator(seed: 42)
        for _ in 0..<100 { #expect(first.next() == second.next()) }
    }

    @Test func differentStreamsAndSplitsDiffer() {
        var base = RandomGenerator(seed: 7, stream: 0)
        var other = RandomGenerator(seed: 7, stream: 1)
        let baseValues = (0..<8).map { _ in base.next() }
        let otherValues = (0..<8).map { _ in other.next() }
        #expect(baseValues != otherValues)
        var parent = RandomGenerator(seed: 7)
        var child = parent.split()
        #expect((0..<8).map { _ in parent.next() } != (0..<8).map { _ in child.next() })
    }

    @Test func stateRoundTripsForCheckpoints() {
        var generator = RandomGenerator(seed: 3)
        _ = generator.next()
        var restored = RandomGenerator(state: generator.state)
        #expect(generator.next() == restored.next())
    }

    @Test func uniformAndNormalHaveTheRightMoments() {
        var generator = RandomGenerator(seed: 11)
        let count = 200_000
        var uniformSum = 0.0
        var normalSum = 0.0
        var normalSquares = 0.0
        for _ in 0..<count {
            let u = Double(generator.uniformFloat())
            #expect(u >= 0 && u < 1)
            uniformSum += u
            let z = generator.normal()
            normalSum += z
            normalSquares += z * z
        }
        #expect(abs(uniformSum / Double(count) - 0.5) < 0.005)
        #expect(abs(normalSum / Double(count)) < 0.01)
        #expect(abs(normalSquares / Double(count) - 1) < 0.02)
    }
}
