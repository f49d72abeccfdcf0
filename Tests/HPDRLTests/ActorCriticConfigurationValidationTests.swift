import Foundation
import HPDRL
import Testing

/// A2C and PPO share their range checks: the same bad value is refused by both, with the same words, naming the field.
struct ActorCriticConfigurationValidationTests {
    /// The refusal's message, nil when accepted ("not a LearnerError" for any other error).
    private func message(_ check: () throws -> Void) -> String? {
        do {
            try check()
            return nil
        } catch let error as LearnerError {
            return error.description
        } catch {
            return "not a LearnerError: \(error)"
        }
    }

    @Test func bothLearnersRefuseTheSameSharedFieldWithTheSameMessage() {
        var a2c = A2CConfiguration(learningRate: 1e-3)
        var ppo = PPOConfiguration(learningRate: 1e-3)
        #expect(message { try a2c.validate() } == nil)
        #expect(message { try ppo.validate() } == nil)

        a2c.gamma = 0
        ppo.gamma = 0
        let a2cMessage = message { try a2c.validate() }
        #expect(a2cMessage?.hasPrefix("gamma must be in (0, 1]") == true, "\(a2cMessage ?? "accepted")")
        #expect(a2cMessage == message { try ppo.validate() })

        a2c.gamma = 0.99
        ppo.gamma = 0.99
        a2c.gaeLambda = 1.5
        ppo.gaeLambda = -0.1
        #expect(message { try a2c.validate() }?.hasPrefix("gaeLambda must be in [0, 1]") == true)
        #expect(message { try ppo.validate() }?.hasPrefix("gaeLambda must be in [0, 1]") == true)

        a2c.gaeLambda = 1
        ppo.gaeLambda = 0.95
        a2c.maxGradientNorm = .infinity
        ppo.learningRate = .nan
        #expect(message { try a2c.validate() }?.hasPrefix("maxGradientNorm must be positive") == true)
        #expect(message { try ppo.validate() }?.hasPrefix("learningRate must be positive") == true)
    }

    @Test func ppoStillChecksItsOwnFieldsAfterTheSharedOnes() {
        var ppo = PPOConfiguration()
        ppo.minibatchSize = ppo.rolloutSteps + 1
        #expect(message { try ppo.validate() }?.contains("cannot be larger than the data") == true)
        ppo = PPOConfiguration()
        ppo.epochs = 0
        #expect(message { try ppo.validate() }?.hasPrefix("epochs must be at least 1") == true)
    }

    /// The shared settings decode once for both: an omitted field keeps its default, `maxGradientNorm: null` turns
    /// clipping off and an omitted one is 0.5.
    @Test func bothLearnersDecodeTheSharedSettingsAlike() throws {
        let given = Data(#"{"gamma": 0.9, "gaeLambda": 0.5, "entropyCoefficient": 0, "maxGradientNorm": null}"#.utf8)
        let a2c = try JSONDecoder().decode(A2CConfiguration.self, from: given)
        let ppo = try JSONDecoder().decode(PPOConfiguration.self, from: given)
        #expect(a2c.gamma == 0.9 && a2c.gaeLambda == 0.5 && a2c.entropyCoefficient == 0 && a2c.maxGradientNorm == nil)
        #expect(ppo.gamma == 0.9 && ppo.gaeLambda == 0.5 && ppo.entropyCoefficient == 0 && ppo.maxGradientNorm == nil)
        #expect(a2c.normalizeAdvantages && ppo.normalizeAdvantages && a2c.valueNetwork == nil)
        let omitted = Data("{}".utf8)
        #expect(try JSONDecoder().decode(A2CConfiguration.self, from: omitted).maxGradientNorm == 0.5)
        #expect(try JSONDecoder().decode(PPOConfiguration.self, from: omitted).maxGradientNorm == 0.5)
        #expect(try JSONDecoder().decode(PPOConfiguration.self, from: omitted).gaeLambda == 0.95)
    }
}
