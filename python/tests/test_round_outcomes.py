"""How ``join`` handles the server's answers to uploads, against the real server with cheap scripted agents: a
rejected upload (NaN) is not digested; with ``--quorum 10`` the other nine agents get *no quorum* for that part and do
not digest it either; every other part is digested by everybody."""
from __future__ import annotations

import csv
import tempfile
import unittest
from pathlib import Path

import numpy as np

from fedhpd_client import public_states
from fedhpd_client.federation import join

from .fedhpd_processes import Serve, require_binary
from .test_join_api import Uniform


class Scripted(Uniform):
    """A uniform policy that counts its digestions; with ``broken`` its first upload holds a NaN."""

    def __init__(self, broken: bool = False) -> None:
        super().__init__(2)
        self.broken = broken
        self.digested = 0

    def action_distribution(self, states):
        distribution = super().action_distribution(states)
        if self.broken:
            self.broken = False
            distribution.probabilities[0, 0] = np.nan
        return distribution

    def digest(self, consensus, states) -> float:
        self.digested += 1
        return 0.0


class RoundOutcomeTests(unittest.TestCase):
    def test_a_rejected_upload_under_a_full_quorum_leaves_the_part_undigested_by_everybody(self) -> None:
        binary = require_binary(self)
        folder = Path(tempfile.mkdtemp(prefix="fedhpd-quorum-"))
        public_states.write_csv(public_states.build("CartPole-v1", 1000, seed=20), str(folder / "public.csv"))
        server = Serve(binary, folder, ["--env", "CartPole-v1", "--interval", "5", "--episodes", "10", "--seed", "20",
                                        "--agents-expected", "10", "--quorum", "10", "--public-states",
                                        str(folder / "public.csv"), "--part-size", "500"])
        agents = {number: Scripted(broken=number == 4) for number in range(1, 11)}
        lines = []
        try:
            report = join(server.address, agents, environment="CartPole-v1", observation_size=4,
                          action_family=agents[1].family, run_seed=20, log=lines.append)
            self.assertEqual(server.wait(60), 0)
        finally:
            server.stop()
        rounds = 2 * 5 * 2  # events × loops × parts
        self.assertEqual(report.missed_digestions, 10)
        self.assertEqual([agents[k].digested for k in range(1, 11)], [rounds - 1] * 10)
        self.assertEqual(sum("the server rejected the upload (INVALID_ARGUMENT)" in line for line in lines), 1, lines)
        self.assertEqual(sum("it does not digest this part" in line for line in lines), 9, lines)
        with open(Path(report.run_folder) / "exclusions.csv") as file:
            reasons = [row["reason"] for row in csv.DictReader(file) if row["agent"] == "4"]
        self.assertEqual(len(reasons), 1)


if __name__ == "__main__":
    unittest.main()
