import HPDRL
import HPDTensor

extension LunarLander: RandomStateEnvironment {
    /// The stream that draws terrain, initial force and engine dispersion (checkpoints restore it between episodes).
    public var randomState: RandomGenerator {
        get { generator }
        set { generator = newValue }
    }
}
