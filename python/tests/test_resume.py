"""A Python client killed (SIGKILL) mid-run and restarted with ``python -m fedhpd_client join ... --out DIR --resume``
restores its agents from its own checkpoint, re-attaches to its session, and the run ends with the same rewards.csv and
kd_losses.csv as the uninterrupted run."""
from __future__ import annotations

import glob
import os
import signal
import tempfile
import time
import unittest
from pathlib import Path

try:
    import gymnasium
except ImportError:  # pragma: no cover
    gymnasium = None

from fedhpd_client import public_states

from .fedhpd_processes import Serve, python_client, require_binary

RUN = "CartPole-v1__fedhpd-d5__seed20"


@unittest.skipIf(gymnasium is None, "gymnasium is not installed")
class ResumeTests(unittest.TestCase):
    def setUp(self) -> None:
        self.binary = require_binary(self)
        self.root = Path(tempfile.mkdtemp(prefix="fedhpd-resume-"))
        self.states = str(self.root / "public.csv")
        public_states.write_csv(public_states.build("CartPole-v1", 200, seed=20, selection="random"), self.states)

    def serve(self, folder: Path) -> Serve:
        folder.mkdir(parents=True, exist_ok=True)
        return Serve(self.binary, folder, [
            "--env", "CartPole-v1", "--interval", "5", "--episodes", "30", "--seed", "20", "--agents-expected", "2",
            "--agents", "undisclosed", "--public-states", self.states, "--part-size", "100"])

    def client(self, server: Serve, folder: Path, log: str, *extra: str):
        return python_client(["join", "--server", server.address, "--gym", "CartPole-v1", "--agents", "2",
                              "--places", "1-2", "--seed", "20", "--out", str(folder / "client"), *extra], folder / log)

    def test_a_killed_client_resumes_from_its_checkpoint_and_the_run_ends_as_if_uninterrupted(self) -> None:
        baseline = self.root / "baseline"
        server = self.serve(baseline)
        try:
            client = self.client(server, baseline, "client.log")
            self.assertEqual(server.wait(240), 0, server.log_path.read_text())
            self.assertEqual(client.wait(60), 0, (baseline / "client.log").read_text())
        finally:
            server.stop()

        interrupted = self.root / "interrupted"
        server = self.serve(interrupted)
        resumed = None
        try:
            doomed = self.client(server, interrupted, "doomed.log")
            checkpoints = interrupted / "client" / "client-checkpoints" / "agents-1-2"
            limit = time.monotonic() + 240
            while not glob.glob(str(checkpoints / "checkpoint-0000000[7-9].pt")):
                self.assertIsNone(doomed.poll(), (interrupted / "doomed.log").read_text())
                self.assertLess(time.monotonic(), limit, "no checkpoint after episode 7")
                time.sleep(0.01)
            os.kill(doomed.pid, signal.SIGKILL)
            self.assertEqual(doomed.wait(30), -signal.SIGKILL)
            resumed = self.client(server, interrupted, "resumed.log", "--resume")
            self.assertEqual(server.wait(240), 0, server.log_path.read_text())
            self.assertEqual(resumed.wait(60), 0, (interrupted / "resumed.log").read_text())
        finally:
            server.stop()
            for process in (doomed, resumed):
                if process is not None and process.poll() is None:
                    process.kill()
        self.assertIn("resuming agents 1–2 after episode", (interrupted / "resumed.log").read_text())
        for name in ("rewards.csv", "kd_losses.csv"):
            expected = (baseline / "runs" / RUN / name).read_bytes()
            actual = (interrupted / "runs" / RUN / name).read_bytes()
            self.assertEqual(expected, actual, f"{name} differs from the uninterrupted run's")
        # The completed client removed its checkpoints.
        self.assertFalse(checkpoints.exists())
