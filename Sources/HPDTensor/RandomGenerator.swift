/// A seeded, splittable pseudo-random generator: xoshiro256** whose 256-bit state is filled by SplitMix64.
///
/// There is no global generator anywhere in the package: every consumer receives one explicitly. Two generators
/// built from the same `(seed, stream)` produce the same sequence on every platform; different streams of the same
/// seed are statistically independent (SplitMix64 decorrelates nearby inputs).
///
/// - `next()` is xoshiro256** (Blackman & Vigna, 2018).
/// - `uniformFloat()` returns the top 24 bits scaled to [0, 1); `uniformDouble()` the top 53 bits.
/// - `normal()` uses the Box–Muller transform on two uniforms: z = √(−2 ln u₁) · cos(2π u₂).
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// The four 64-bit words of xoshiro256** state (for checkpoints).
    public var state: [UInt64] { [s0, s1, s2, s3] }

    /// Creates the generator for `seed` and an optional `stream` index (e.g. an agent index).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = SplitMix64(
            state: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ (stream == 0 ? 0 : 0x5851_F42D_4C95_7F2D))
        var words = [UInt64](repeating: 0, count: 4)
        for index in 0..<4 { words[index] = mixer.next() }
        if words.allSatisfy({ $0 == 0 }) { words[0] = 1 }
        (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
    }

    /// Restores a generator from a previously saved `state` (four words, not all zero).
    public init(state: [UInt64]) {
        Precondition.check(
            state.count == 4 && state.contains { $0 != 0 }, "RandomGenerator state must be 4 words, not all zero")
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
    }

    /// The next 64 random bits (xoshiro256**).
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// A new, independent generator seeded from this one's next outputs (this one advances).
    public mutating func split() -> RandomGenerator {
        RandomGenerator(seed: next(), stream: next() | 1)
    }

    /// A uniform `Float` in [0, 1).
    @inlinable
    public mutating func uniformFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform `Double` in [0, 1).
    @inlinable
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A uniform `Double` in [low, high).
    @inlinable
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniformDouble()
    }

    /// A standard normal sample, z = √(−2 ln u₁) · cos(2π u₂) with u₁ ∈ (0, 1].
    @inlinable
    public mutating func normal() -> Double {
        let u1 = 1.0 - uniformDouble()
        let u2 = uniformDouble()
        return (-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2)
    }

    /// A uniform integer in 0..<upperBound.
    @inlinable
    public mutating func integer(below upperBound: Int) -> Int {
        Precondition.check(upperBound > 0, "integer(below:) needs a positive bound, got \(upperBound)")
        return Int(next(upperBound: UInt64(upperBound)))
    }

    @inlinable
    func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}

/// SplitMix64 (Steele, Lea & Flood, 2014): used only to expand a 64-bit seed into xoshiro state.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _log(_ value: Double) -> Double { Glibc.log(value) }
@usableFromInline func _cos(_ value: Double) -> Double { Glibc.cos(value) }
#else
import Foundation
@usableFromInline func _log(_ value: Double) -> Double { Foundation.log(value) }
@usableFromInline func _cos(_ value: Double) -> Double { Foundation.cos(value) }
#endif
