extension KeyedDecodingContainer {
    /// A setting whose `null` means "none" (e.g. `maxGradientNorm`: no clipping): absent → `absent`; `null` → nil;
    /// a value → that value. Shared by the A2C and PPO configurations.
    func decodeNullable<Value: Decodable>(_ type: Value.Type, forKey key: Key, absent: Value?) throws -> Value? {
        contains(key) ? try decodeIfPresent(type, forKey: key) : absent
    }
}
