"""The reference PyTorch agent: digestion lowers the KL on fixed data, the losses and their gradients match the maths
(central finite differences in double precision), and results are determined by (run seed, agent number)."""
import unittest

import numpy as np
import torch

try:
    import gymnasium
except ImportError:  # pragma: no cover
    gymnasium = None

from fedhpd_client.distributions import Categorical, Gaussian
from fedhpd_client.reinforce import ReinforceAgent


def states(count: int, width: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(scale=0.5, size=(count, width)).astype(np.float32)


@unittest.skipIf(gymnasium is None, "gymnasium is not installed")
class DigestionTests(unittest.TestCase):
    def test_categorical_digestion_lowers_kl_towards_a_fixed_consensus(self) -> None:
        agent = ReinforceAgent(gymnasium.make("CartPole-v1"), 4, 20)
        data = states(500, 4)
        target = Categorical(np.tile(np.array([[0.8, 0.2]], np.float32), (500, 1)))
        losses = [agent.digest(target, data) for _ in range(100)]
        # Threshold: 100 Adam steps at agent 4's learning rate (5e-4) cut KL(consensus ‖ π) by at least a quarter.
        self.assertLess(losses[-1], losses[0] * 0.75, losses)
        self.assertTrue(all(later <= earlier * 1.001 for earlier, later in zip(losses, losses[1:])), losses)

    def test_gaussian_digestion_lowers_kl_towards_a_fixed_consensus(self) -> None:
        agent = ReinforceAgent(gymnasium.make("Pendulum-v1"), 2, 20)
        data = states(300, 3)
        target = Gaussian(np.full((300, 1), 0.5, np.float32), np.full((300, 1), 0.3, np.float32))
        losses = [agent.digest(target, data) for _ in range(50)]
        self.assertLess(losses[-1], losses[0] * 0.9, losses)  # threshold: ≥ 10 % lower after 50 steps at lr 1e-4

    def test_categorical_loss_is_kl_of_consensus_from_local_and_its_gradient_matches_finite_differences(self) -> None:
        agent = ReinforceAgent(gymnasium.make("CartPole-v1"), 2, 20)
        agent.policy.double()
        data = states(7, 4).astype(np.float64)
        target = np.random.default_rng(3).dirichlet([1.0, 1.0], size=7)
        target[0] = [1.0, 0.0]  # 0 · ln 0 = 0
        consensus = Categorical(target)
        with torch.no_grad():
            local = torch.softmax(agent.policy(torch.as_tensor(data)), 1).numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = np.nansum(np.where(target > 0, target * (np.log(target) - np.log(local)), 0)) / 7
        self.assertAlmostEqual(float(agent.digestion_loss(consensus, data).detach()), expected, places=10)
        self.assert_gradient_matches_finite_differences(agent, consensus, data)

    def test_gaussian_loss_is_kl_of_local_from_consensus_and_its_gradient_matches_finite_differences(self) -> None:
        agent = ReinforceAgent(gymnasium.make("Pendulum-v1"), 1, 20)
        agent.policy.double()
        data = states(5, 3).astype(np.float64)
        consensus = Gaussian(np.linspace(-1, 1, 5).reshape(5, 1), np.linspace(0.2, 0.9, 5).reshape(5, 1))
        with torch.no_grad():
            mean, deviation = (t.numpy() for t in agent.policy(torch.as_tensor(data)))
        local, other = deviation + 1e-6, consensus.standard_deviation + 1e-6
        expected = np.mean(np.log(other / local) + (local ** 2 + (mean - consensus.mean) ** 2) / (2 * other ** 2) - 0.5)
        self.assertAlmostEqual(float(agent.digestion_loss(consensus, data).detach()), expected, places=10)
        self.assert_gradient_matches_finite_differences(agent, consensus, data)

    def assert_gradient_matches_finite_differences(self, agent, consensus, data) -> None:
        parameters = list(agent.policy.parameters())
        agent.policy.zero_grad()
        agent.digestion_loss(consensus, data).backward()
        step = 1e-6
        for parameter in parameters:
            flat = parameter.data.view(-1)
            for index in range(0, flat.numel(), max(1, flat.numel() // 5)):
                original = float(flat[index])
                with torch.no_grad():
                    flat[index] = original + step
                    above = float(agent.digestion_loss(consensus, data))
                    flat[index] = original - step
                    below = float(agent.digestion_loss(consensus, data))
                    flat[index] = original
                numeric = (above - below) / (2 * step)
                analytic = float(parameter.grad.view(-1)[index])
                self.assertAlmostEqual(analytic, numeric, delta=1e-6 + 1e-5 * abs(numeric))


def discounted_returns(rewards) -> np.ndarray:
    """G_t = r_t + 0.99 G_{t+1}, rounded to float32 as the agent weights them, in double."""
    returns, running = np.zeros(len(rewards)), 0.0
    for step in reversed(range(len(rewards))):
        running = rewards[step] + 0.99 * running
        returns[step] = running
    return returns.astype(np.float32).astype(np.float64)


@unittest.skipIf(gymnasium is None, "gymnasium is not installed")
class ReinforceLossTests(unittest.TestCase):
    """The batched REINFORCE loss equals the per-step sum of −log π(a_t|s_t)·Ĝ_t, and its gradient matches finite
    differences (double precision)."""

    def episode(self, count: int, width: int, seed: int = 5):
        generator = np.random.default_rng(seed)
        return torch.as_tensor(states(count, width, seed).astype(np.float64)), generator.normal(size=count).tolist()

    def test_categorical_loss_is_the_per_step_sum_with_normalised_returns(self) -> None:
        agent = ReinforceAgent(gymnasium.make("CartPole-v1"), 3, 20)
        agent.policy.double()
        observations, rewards = self.episode(9, 4)
        actions = [0, 1, 1, 0, 1, 0, 0, 1, 1]
        returns = discounted_returns(rewards)
        normalised = (returns - returns.mean()) / (returns.std(ddof=1) + 1e-5)
        with torch.no_grad():
            expected = -sum(float(torch.log_softmax(agent.policy(observations[t:t + 1]), 1)[0, actions[t]]) * normalised[t]
                            for t in range(9))
        self.assertAlmostEqual(float(agent.reinforce_loss(observations, actions, rewards).detach()), expected, places=9)
        self.assert_gradient_matches_finite_differences(agent, lambda: agent.reinforce_loss(observations, actions, rewards))

    def test_gaussian_loss_is_the_per_step_sum_of_mean_log_densities_times_returns(self) -> None:
        agent = ReinforceAgent(gymnasium.make("Pendulum-v1"), 2, 20)
        agent.policy.double()
        observations, rewards = self.episode(6, 3)
        actions = [torch.tensor([value], dtype=torch.float64) for value in np.linspace(-1.5, 1.5, 6)]
        returns = discounted_returns(rewards)
        with torch.no_grad():
            mean, deviation = (t.numpy() for t in agent.policy(observations))
        location, scale = mean[:, 0] + 1e-6, deviation[:, 0] + 1e-6
        samples = np.array([float(a[0]) for a in actions])
        log_density = -((samples - location) ** 2) / (2 * scale ** 2) - np.log(scale) - 0.5 * np.log(2 * np.pi)
        expected = -float(np.sum(log_density * returns))
        self.assertAlmostEqual(float(agent.reinforce_loss(observations, actions, rewards).detach()), expected, places=9)
        self.assert_gradient_matches_finite_differences(agent, lambda: agent.reinforce_loss(observations, actions, rewards))

    def assert_gradient_matches_finite_differences(self, agent, loss) -> None:
        agent.policy.zero_grad()
        loss().backward()
        step = 1e-6
        for parameter in agent.policy.parameters():
            flat = parameter.data.view(-1)
            for index in range(0, flat.numel(), max(1, flat.numel() // 5)):
                original = float(flat[index])
                with torch.no_grad():
                    flat[index] = original + step
                    above = float(loss())
                    flat[index] = original - step
                    below = float(loss())
                    flat[index] = original
                numeric = (above - below) / (2 * step)
                self.assertAlmostEqual(float(parameter.grad.view(-1)[index]), numeric, delta=1e-6 + 1e-5 * abs(numeric))


@unittest.skipIf(gymnasium is None, "gymnasium is not installed")
class SeedingTests(unittest.TestCase):
    def run_agent(self, number: int, seed: int, episodes: int = 8):
        agent = ReinforceAgent(gymnasium.make("CartPole-v1"), number, seed)
        returns = [agent.train_one_episode() for _ in range(episodes)]
        return returns, [p.detach().clone() for p in agent.policy.parameters()]

    def test_same_seed_and_agent_give_identical_returns_and_weights(self) -> None:
        first, second = self.run_agent(3, 20), self.run_agent(3, 20)
        self.assertEqual(first[0], second[0])
        for a, b in zip(first[1], second[1]):
            self.assertTrue(torch.equal(a, b))

    def test_results_do_not_depend_on_the_global_torch_stream_or_thread_count(self) -> None:
        reference = self.run_agent(3, 20)
        threads = torch.get_num_threads()
        try:
            torch.manual_seed(12345)
            torch.set_num_threads(1)
            other = self.run_agent(3, 20)
        finally:
            torch.set_num_threads(threads)
        self.assertEqual(reference[0], other[0])

    def test_different_agents_or_seeds_differ(self) -> None:
        base = self.run_agent(3, 20)[0]
        self.assertNotEqual(base, self.run_agent(3, 25)[0])
        self.assertNotEqual(self.run_agent(7, 20)[1][0].shape, self.run_agent(1, 20)[1][0].shape)

    def test_architectures_follow_the_reference_table(self) -> None:
        agent = ReinforceAgent(gymnasium.make("Acrobot-v1"), 3, 20)
        linear = [m for m in agent.policy.modules() if isinstance(m, torch.nn.Linear)]
        self.assertEqual([m.out_features for m in linear], [16, 16, 32, 3])
        self.assertEqual(agent.family.width, 3)


if __name__ == "__main__":
    unittest.main()
