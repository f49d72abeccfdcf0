"""DPA-FedRL served over the network: the server steps its own CartPole and the Python reference agents align on
its state with the squared error (``digest_squared_error``), one round per event; their losses reach the run folder."""
from __future__ import annotations

import csv
import math
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

from fedhpd_client.distributions import Categorical
from fedhpd_client.errors import RunFailed
from fedhpd_client.federation import join
from fedhpd_client.protocol import federation_pb2 as pb
from fedhpd_client.reinforce import ReinforceAgent
from fedhpd_client.rounds import uses_server_states

from .fedhpd_processes import Serve, require_binary
from .test_join_api import Uniform


def cartpole_agent(number: int) -> ReinforceAgent:
    import gymnasium

    return ReinforceAgent(gymnasium.make("CartPole-v1"), number, run_seed=20)


class SquaredErrorDigestTests(unittest.TestCase):
    def test_the_squared_error_is_the_sum_over_actions_and_one_step_lowers_it(self) -> None:
        torch.set_num_threads(1)
        agent = cartpole_agent(1)
        state = np.array([[0.01, -0.02, 0.03, 0.04]], dtype=np.float32)
        target = Categorical(np.array([[0.9, 0.1]], dtype=np.float32))
        mine = agent.action_distribution(state).probabilities
        expected = float(((mine - target.probabilities) ** 2).sum())
        before = agent.digest_squared_error(target, state)
        self.assertAlmostEqual(before, expected, places=6)
        after = float(agent.squared_error_loss(target, state).detach())
        self.assertLess(after, before)


class DPAScheduleTests(unittest.TestCase):
    def test_the_schedule_says_where_states_come_from_and_unknown_values_are_refused(self) -> None:
        self.assertFalse(uses_server_states(pb.Schedule(loops=5, part_count=3)))
        self.assertTrue(uses_server_states(pb.Schedule(loops=1, part_count=1, state_source=pb.Schedule.SERVER_STATE,
                                                       digestion=pb.Schedule.SQUARED_ERROR)))
        with self.assertRaisesRegex(RunFailed, "need 1 loop × 1 part, got 5 × 1"):
            uses_server_states(pb.Schedule(loops=5, part_count=1, state_source=pb.Schedule.SERVER_STATE))
        with self.assertRaisesRegex(RunFailed, "from source 7, which this client does not know"):
            uses_server_states(pb.Schedule(loops=1, part_count=1, state_source=7))
        with self.assertRaisesRegex(RunFailed, "digestion loss 9, which this client does not know"):
            uses_server_states(pb.Schedule(loops=1, part_count=1, digestion=9))

    def test_an_agent_without_a_squared_error_digest_says_it_cannot_join_a_dpa_run(self) -> None:
        with self.assertRaisesRegex(NotImplementedError, "Uniform does not implement digest_squared_error"):
            Uniform().digest_squared_error(Categorical(np.full((1, 2), 0.5, np.float32)), np.zeros((1, 4), np.float32))


class ServedDPATests(unittest.TestCase):
    def test_python_agents_take_part_in_a_dpa_run_with_finite_squared_error_losses(self) -> None:
        binary = require_binary(self)
        torch.set_num_threads(1)
        folder = Path(tempfile.mkdtemp(prefix="fedhpd-dpa-"))
        server = Serve(binary, folder, ["--env", "CartPole-v1", "--method", "dpa", "--interval", "2", "--episodes", "6",
                                        "--seed", "20", "--agents-expected", "10"])
        agents = {number: cartpole_agent(number) for number in range(1, 11)}
        lines = []
        try:
            report = join(server.address, agents, environment="CartPole-v1", observation_size=4,
                          action_family=agents[1].family, run_seed=20, log=lines.append)
            self.assertEqual(server.wait(60), 0, server.log_path.read_text())
        finally:
            server.stop()
        self.assertEqual(report.missed_digestions, 0, lines)
        for number in range(1, 11):
            rounds = report.losses[number]
            self.assertEqual([(episode, loop, part) for episode, loop, part, _ in rounds], [(2, 1, 1), (4, 1, 1), (6, 1, 1)])
            self.assertTrue(all(math.isfinite(loss) and loss >= 0 for *_, loss in rounds), rounds)
        with open(Path(report.run_folder) / "kd_losses.csv") as file:
            rows = list(csv.reader(file))
        self.assertEqual(len(rows), 1 + 3, rows)
        values = [float(value) for row in rows[1:] for value in row[3:]]
        self.assertEqual(len(values), 3 * 10, rows)
        self.assertTrue(all(math.isfinite(value) for value in values), rows)


if __name__ == "__main__":
    unittest.main()
