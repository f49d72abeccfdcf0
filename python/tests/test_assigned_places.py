"""End to end against the real Swift server: a task the server does not simulate (Gymnasium Acrobot-v1, described to
``fedhpd serve`` by its sizes), places assigned by the server (``python -m fedhpd_client join --agents N`` without
``--places``), config.json recording those agents as undisclosed, and registrations the server refuses (too many
places, another run's configuration fingerprint) with the reason on both sides."""
from __future__ import annotations

import csv
import json
import tempfile
import unittest
from pathlib import Path

try:
    import gymnasium
except ImportError:  # pragma: no cover
    gymnasium = None

from fedhpd_client import public_states

from .fedhpd_processes import Serve, python_client, require_binary, wait_for


@unittest.skipIf(gymnasium is None, "gymnasium is not installed")
class AssignedPlacesTests(unittest.TestCase):
    def setUp(self) -> None:
        self.binary = require_binary(self)
        self.folder = Path(tempfile.mkdtemp(prefix="fedhpd-assigned-"))
        states = public_states.build("Acrobot-v1", 200, seed=20, selection="random")
        public_states.write_csv(states, str(self.folder / "acrobot.csv"))

    def serve(self, agents: int, *extra: str) -> Serve:
        return Serve(self.binary, self.folder, [
            "--env", "Acrobot-v1", "--observation-size", "6", "--actions", "3", "--interval", "5", "--episodes", "5",
            "--seed", "20", "--agents-expected", str(agents), "--public-states", str(self.folder / "acrobot.csv"),
            "--part-size", "100", "--wait-for-agents", "60", *extra])

    def test_a_task_the_server_does_not_simulate_runs_with_places_assigned_by_the_server(self) -> None:
        server = self.serve(3)
        clients = []
        try:
            first = python_client(["join", "--server", server.address, "--gym", "Acrobot-v1", "--agents", "2",
                                   "--seed", "20", "--name", "first"], self.folder / "first.log")
            clients.append(first)
            wait_for(server.log_path, "registered agents 1–2 (places assigned by the server")
            second = python_client(["join", "--server", server.address, "--gym", "Acrobot-v1", "--agents", "1",
                                    "--seed", "20", "--name", "second"], self.folder / "second.log")
            clients.append(second)
            self.assertEqual(server.wait(120), 0, server.log_path.read_text())
            for client, name in zip(clients, ["first", "second"]):
                self.assertEqual(client.wait(60), 0, (self.folder / f"{name}.log").read_text())
        finally:
            server.stop()
            for client in clients:
                if client.poll() is None:
                    client.kill()
        self.assertIn("registered agents 3 (places assigned by the server", server.log_path.read_text())
        self.assertIn("registered agents 3 with", (self.folder / "second.log").read_text())
        run = self.folder / "runs" / "Acrobot-v1__fedhpd-d5__seed20"
        with open(run / "rewards.csv") as file:
            rows = list(csv.reader(file))
        self.assertEqual(rows[0], ["Agent 1", "Agent 2", "Agent 3"])
        self.assertEqual(len(rows), 6)
        self.assertTrue(all(-500 <= float(cell) <= 0 for row in rows[1:] for cell in row), rows)
        config = json.loads((run / "config.json").read_text())
        self.assertEqual(config["environment"], "Acrobot-v1")
        self.assertEqual([agent["hiddenSizes"] for agent in config["agents"]], [[], [], []])
        self.assertEqual([agent["activations"] for agent in config["agents"]], [[], [], []])

    def test_too_many_places_and_another_runs_fingerprint_are_refused_with_the_reason_on_both_sides(self) -> None:
        server = self.serve(2)
        try:
            greedy = python_client(["join", "--server", server.address, "--gym", "Acrobot-v1", "--agents", "3",
                                    "--seed", "20", "--connect-timeout", "5"], self.folder / "greedy.log")
            self.assertEqual(greedy.wait(60), 1)
            stranger = python_client(["join", "--server", server.address, "--gym", "Acrobot-v1", "--agents", "1",
                                      "--seed", "20", "--run-fingerprint", "0123456789abcdef", "--connect-timeout", "5"],
                                     self.folder / "stranger.log")
            self.assertEqual(stranger.wait(60), 1)
            wait_for(server.log_path, "another run")
        finally:
            server.stop()
        greedy_log = (self.folder / "greedy.log").read_text()
        self.assertIn("refused the registration: asked for 3 places but only 2 of 2 are free", greedy_log)
        stranger_log = (self.folder / "stranger.log").read_text()
        self.assertIn("refused the registration: the client belongs to another run (configuration fingerprint "
                      "0123456789abcdef)", stranger_log)
        served = server.log_path.read_text()
        self.assertIn("asked for 3 places but only 2 of 2 are free", served)
        self.assertIn("refused registration", served)
        self.assertIn("configuration fingerprint 0123456789abcdef", served)
