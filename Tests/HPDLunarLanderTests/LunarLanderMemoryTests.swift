import HPDLunarLander
import HPDRL
import HPDTensor
import Testing

#if canImport(Glibc)
import Glibc

/// The resident set size in KiB (VmRSS in /proc/self/status), or nil where unavailable.
func residentKibibytes() -> Int? {
    guard let file = fopen("/proc/self/status", "r") else { return nil }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmRSS:") { return text.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
    }
    return nil
}

@Suite struct LunarLanderMemoryTests {
    /// Every reset builds a new Box2D world (≈ 100 KiB); leaking them would grow RSS by about 1 GiB over
    /// 10,000 episodes. Environments created and dropped free their world too.
    @Test func tenThousandEpisodesDoNotGrowMemory() throws {
        let environment = LunarLander()
        var policy = RandomGenerator(seed: 11)
        _ = environment.reset(seed: 3)
        for _ in 0..<500 { _ = environment.reset(seed: nil) }
        let before = try #require(residentKibibytes())
        for _ in 0..<10_000 {
            _ = environment.reset(seed: nil)
            for _ in 0..<3 { _ = environment.step(.discrete(policy.integer(below: 4))) }
        }
        for seed in UInt64(0)..<1000 { _ = LunarLander(seed: seed).reset(seed: nil) }
        let after = try #require(residentKibibytes())
        #expect(after - before < 16 * 1024, "RSS grew from \(before) KiB to \(after) KiB")
    }
}
#endif
