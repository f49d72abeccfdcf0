import Foundation
import HPDNN
import HPDRL
import HPDTensor
import Testing

/// The actor-critic losses and GAE against PyTorch computing CleanRL's formulas (`ppo.py`,
/// `ppo_continuous_action.py`) on the same fixed data: values and gradients.
@Suite(
    .enabled(
        if: PythonTorch.isAvailable || PythonTorch.isRequired,
        "SKIPPED: needs python3 with torch, safetensors and numpy (see .ci/run)"))
struct ActorCriticPyTorchTests {
    static let script = #"""
        import json, sys, torch
        from torch.distributions import Categorical, Normal
        d = json.loads(sys.argv[1])
        t = lambda k: torch.tensor(d[k], dtype=torch.float64)
        logits = t("logits").requires_grad_(True)
        dist = Categorical(logits=logits)
        newlogprob = dist.log_prob(torch.tensor(d["actions"]))
        entropy = dist.entropy()
        ratio = (newlogprob - t("old")).exp()
        adv = t("advantages")
        pg_loss = torch.max(-adv * ratio, -adv * torch.clamp(ratio, 1 - d["clip"], 1 + d["clip"])).mean()
        newvalue = t("values").requires_grad_(True)
        v_unclipped = (newvalue - t("returns")) ** 2
        v_clipped = t("oldValues") + torch.clamp(newvalue - t("oldValues"), -d["clip"], d["clip"])
        v_loss = 0.5 * torch.max(v_unclipped, (v_clipped - t("returns")) ** 2).mean()
        loss = pg_loss - 0.01 * entropy.mean() + 0.5 * v_loss
        loss.backward()
        mean = t("mean").requires_grad_(True)
        std = t("std").requires_grad_(True)
        normal = Normal(mean + 1e-6, std + 1e-6)
        gaussian_logprob = normal.log_prob(t("continuousActions")).sum(1)
        gaussian_entropy = normal.entropy().sum(1)
        (gaussian_logprob.sum() + gaussian_entropy.sum()).backward()
        rewards, values, dones = d["rewards"], d["gaeValues"], d["dones"]
        adv_gae, last = [0.0] * len(rewards), 0.0
        for t_ in reversed(range(len(rewards))):
            nonterminal = 0.0 if dones[t_] else 1.0
            nextvalue = values[t_ + 1] if t_ + 1 < len(rewards) else 0.0
            delta = rewards[t_] + d["gamma"] * nextvalue * nonterminal - values[t_]
            last = delta + d["gamma"] * d["lambda"] * nonterminal * last
            adv_gae[t_] = last
        print(json.dumps({"pg": pg_loss.item(), "v": v_loss.item(), "entropy": entropy.mean().item(), "loss": loss.item(),
            "logitsGrad": logits.grad.flatten().tolist(), "valuesGrad": newvalue.grad.tolist(),
            "gaussianLogProb": gaussian_logprob.tolist(), "gaussianEntropy": gaussian_entropy.tolist(),
            "meanGrad": mean.grad.flatten().tolist(), "stdGrad": std.grad.flatten().tolist(), "gae": adv_gae}))
        """#

    struct Output: Decodable {
        var pg, v, entropy, loss: Double
        var logitsGrad, valuesGrad, gaussianLogProb, gaussianEntropy, meanGrad, stdGrad, gae: [Double]
    }

    @Test func lossesGradientsAndAdvantagesMatchPyTorch() throws {
        let logits: [[Float]] = [[0.2, -1.0, 0.5], [1.5, 0.3, -0.2], [-0.7, 0.1, 0.9], [0.0, 0.4, -1.3]]
        let actions = [2, 0, 1, 1]
        let old: [Float] = [-0.9, -0.2, -1.9, -0.5]
        let advantages: [Float] = [1.2, -0.8, 0.5, -1.5]
        let values: [Float] = [0.9, 0.1, 2.6, -0.3]
        let oldValues: [Float] = [1.0, 0.6, 2.0, -0.35]
        let returns: [Float] = [0.2, 1.1, 3.0, 0.6]
        let mean: [[Float]] = [[0.3, -0.2], [1.0, 0.5]]
        let deviation: [[Float]] = [[0.5, 1.2], [0.8, 0.3]]
        let continuousActions: [[Float]] = [[0.1, 0.4], [1.3, 0.2]]
        let rewards: [Double] = [1, 0.5, 2, 1, -1]
        let gaeValues: [Double] = [0.4, 0.2, 1.5, 0.3, -0.2]
        let input: [String: Any] = [
            "logits": logits, "actions": actions, "old": old, "advantages": advantages, "values": values,
            "oldValues": oldValues, "returns": returns, "clip": 0.2, "mean": mean, "std": deviation,
            "continuousActions": continuousActions, "rewards": rewards, "gaeValues": gaeValues,
            "dones": [false, false, true, false, true], "gamma": 0.97, "lambda": 0.9,
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: input), as: UTF8.self)
        let result = try PythonTorch.run(["-c", Self.script, json])
        try #require(result.status == 0, "python failed: \(result.error)")
        let torch = try JSONDecoder().decode(Output.self, from: Data(result.output.utf8))

        let logitsVariable = Variable(Tensor(logits), requiresGradient: true)
        let logProbabilities = logitsVariable.logSoftmaxRows().gatheringColumns(actions)
        let entropy = logitsVariable.categoricalEntropyRows()
        let valuesVariable = Variable(Tensor(rows: 4, columns: 1, scalars: values), requiresGradient: true)
        let actorLoss = ActorCriticLosses.clippedSurrogateLoss(
            logProbabilities: logProbabilities, entropy: entropy, oldLogProbabilities: old, advantages: advantages,
            clip: 0.2, entropyCoefficient: 0.01)
        let valueLoss = ActorCriticLosses.valueLoss(
            values: valuesVariable, returns: returns, oldValues: oldValues, clip: 0.2)
        let loss = actorLoss + valueLoss * 0.5
        loss.backward()
        #expect(abs(Double(valueLoss.value.scalarValue) - torch.v) < 1e-5)
        #expect(abs(Double(entropy.value.scalars.reduce(0, +)) / 4 - torch.entropy) < 1e-5)
        #expect(abs(Double(actorLoss.value.scalarValue) - (torch.pg - 0.01 * torch.entropy)) < 1e-5)
        #expect(abs(Double(loss.value.scalarValue) - torch.loss) < 1e-5)
        for (mine, theirs) in zip(logitsVariable.gradient!.scalars, torch.logitsGrad) {
            #expect(abs(Double(mine) - theirs) < 1e-5)
        }
        for (mine, theirs) in zip(valuesVariable.gradient!.scalars, torch.valuesGrad) {
            #expect(abs(Double(mine) - theirs) < 1e-5)
        }

        let meanVariable = Variable(Tensor(mean), requiresGradient: true)
        let deviationVariable = Variable(Tensor(deviation), requiresGradient: true)
        let gaussianLogProbabilities = GaussianPolicy.logDensity(
            actions: Tensor(continuousActions), mean: meanVariable, standardDeviation: deviationVariable
        ).rowSums()
        let gaussianEntropy = deviationVariable.gaussianEntropyRows(offset: GaussianPolicy.offset)
        (gaussianLogProbabilities.sum() + gaussianEntropy.sum()).backward()
        for (mine, theirs) in zip(gaussianLogProbabilities.value.scalars, torch.gaussianLogProb) {
            #expect(abs(Double(mine) - theirs) < 1e-5)
        }
        for (mine, theirs) in zip(gaussianEntropy.value.scalars, torch.gaussianEntropy) {
            #expect(abs(Double(mine) - theirs) < 1e-5)
        }
        for (mine, theirs) in zip(meanVariable.gradient!.scalars, torch.meanGrad) {
            #expect(abs(Double(mine) - theirs) < 1e-4)
        }
        for (mine, theirs) in zip(deviationVariable.gradient!.scalars, torch.stdGrad) {
            #expect(abs(Double(mine) - theirs) < 1e-4)
        }

        let (gae, _) = GeneralizedAdvantageEstimation.estimate(
            rewards: rewards, values: gaeValues, episodeLengths: [3, 2], gamma: 0.97, lambda: 0.9)
        for (mine, theirs) in zip(gae, torch.gae) { #expect(abs(mine - theirs) < 1e-12) }
    }
}
