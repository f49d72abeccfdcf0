import HPDRL
import HPDTensor

extension InvertedPendulum: RandomStateEnvironment {
    /// The stream that draws reset noise (checkpoints restore it between episodes).
    public var randomState: RandomGenerator {
        get { randomGenerator }
        set { randomGenerator = newValue }
    }
}
