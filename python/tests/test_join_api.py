"""``join``'s checks of its own input (nothing is sent when they fail)."""
from __future__ import annotations

import unittest

import numpy as np

from fedhpd_client import Agent, join
from fedhpd_client.connection import parse_server
from fedhpd_client.distributions import Categorical, DistributionFamily, FamilyKind
from fedhpd_client.errors import ConfigurationError
from fedhpd_client.federation import agent_list


class Uniform(Agent):
    """π(·|s) uniform over ``width`` actions; learns nothing."""

    def __init__(self, width: int = 2) -> None:
        self.width = width

    @property
    def family(self) -> DistributionFamily:
        return DistributionFamily(FamilyKind.CATEGORICAL, self.width)

    def action_distribution(self, states: np.ndarray) -> Categorical:
        return Categorical(np.full((len(states), self.width), 1 / self.width, np.float32))

    def digest(self, consensus, states) -> float:
        return 0.0

    def train_one_episode(self) -> float:
        return 1.0


class JoinInputTests(unittest.TestCase):
    cartpole = DistributionFamily(FamilyKind.CATEGORICAL, 2)

    def join(self, agents, server: str = "127.0.0.1:1") -> None:
        join(server, agents, environment="CartPole-v1", observation_size=4, action_family=self.cartpole, run_seed=20,
             connect_timeout=0.1, log=lambda _: None)

    def test_refuses_no_agents_bad_places_and_families_that_do_not_fit_the_task(self) -> None:
        with self.assertRaisesRegex(ConfigurationError, "no agents to host"):
            self.join({})
        with self.assertRaisesRegex(ConfigurationError, "agent number 0: places in the roster are 1-based"):
            self.join({0: Uniform()})
        with self.assertRaisesRegex(ConfigurationError, r"agent 3: its policy is categorical\(3 actions\), the task's "
                                                        r"actions call for categorical\(2 actions\)"):
            self.join({3: Uniform(3)})
        with self.assertRaisesRegex(ConfigurationError, "--server '127.0.0.1': expected HOST:PORT"):
            self.join({1: Uniform()}, server="127.0.0.1")

    def test_server_addresses_and_agent_lists(self) -> None:
        self.assertEqual(parse_server("example.org:50051"), ("example.org", 50051))
        self.assertEqual(parse_server("[::1]:7"), ("[::1]", 7))
        for bad in ("host:0", "host:70000", ":50051", "host:x"):
            with self.assertRaises(ConfigurationError):
                parse_server(bad)
        self.assertEqual(agent_list([6, 7, 8, 10, 1]), "1, 6–8, 10")


if __name__ == "__main__":
    unittest.main()
