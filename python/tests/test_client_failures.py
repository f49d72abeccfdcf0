"""The Python client's failures end the process cleanly (exit 1) with a message naming what and where: the server
dies mid-run, no server answers, the token is wrong, bad command-line input."""
from __future__ import annotations

import os
import signal
import socket
import tempfile
import time
import unittest
from pathlib import Path

from fedhpd_client import public_states
from fedhpd_client.cli import main

from .fedhpd_processes import Serve, python_client, require_binary


def public_state_file(folder: Path) -> str:
    """1000 random-rollout CartPole states (2 parts of 500) for the server."""
    path = str(folder / "public.csv")
    public_states.write_csv(public_states.build("CartPole-v1", 1000, seed=20), path)
    return path


def wait_for(path: Path, text: str, process, timeout: float) -> None:
    start = time.monotonic()
    while text not in path.read_text():
        if process.poll() is not None or time.monotonic() - start > timeout:
            raise AssertionError(f"'{text}' never appeared in {path}:\n{path.read_text()}")
        time.sleep(0.1)


class ServerLossTests(unittest.TestCase):
    def test_the_client_exits_cleanly_with_a_clear_message_when_the_server_dies(self) -> None:
        binary = require_binary(self)
        folder = Path(tempfile.mkdtemp(prefix="fedhpd-lost-"))
        server = Serve(binary, folder, ["--env", "CartPole-v1", "--interval", "5", "--episodes", "500", "--seed", "20",
                                        "--agents-expected", "10", "--public-states", public_state_file(folder), "--part-size", "500",
                                        "--deadline", "30"])
        log = folder / "python.log"
        client = python_client(["join", "--server", server.address, "--gym", "CartPole-v1", "--agents", "10", "--seed", "20",
                                "--retry-timeout", "3"], log)
        try:
            wait_for(log, "episode 10/500", client, timeout=240)
            os.kill(server.process.pid, signal.SIGKILL)
            killed = time.monotonic()
            code = client.wait(timeout=60)
            took = time.monotonic() - killed
        finally:
            server.stop()
            if client.poll() is None:
                client.kill()
        output = log.read_text()
        self.assertEqual(code, 1, output)
        self.assertIn(f"fedhpd_client: error: lost the server at {server.address}", output)
        self.assertNotIn("Traceback", output)
        self.assertLess(took, 30, f"the client took {took:.1f} s to give up (retry timeout 3 s)")

    def test_a_wrong_token_or_seed_is_refused_with_the_servers_reason(self) -> None:
        binary = require_binary(self)
        folder = Path(tempfile.mkdtemp(prefix="fedhpd-refused-"))
        server = Serve(binary, folder, ["--env", "CartPole-v1", "--agents-expected", "10", "--token", "right",
                                        "--public-states", public_state_file(folder), "--part-size", "500"])
        try:
            token_client = python_client(["join", "--server", server.address, "--gym", "CartPole-v1", "--agents", "1",
                                          "--token", "wrong"], folder / "token.log")
            seed_client = python_client(["join", "--server", server.address, "--gym", "CartPole-v1", "--agents", "1",
                                         "--token", "right", "--seed", "21"], folder / "seed.log")
            codes = token_client.wait(timeout=120), seed_client.wait(timeout=120)
        finally:
            server.stop()
        token_output, seed_output = (folder / "token.log").read_text(), (folder / "seed.log").read_text()
        self.assertEqual(codes, (1, 1), token_output + seed_output)
        self.assertIn(f"fedhpd_client: error: the server at {server.address} refused this client", token_output)
        self.assertIn(f"fedhpd_client: error: the server at {server.address} refused the registration: run seed 21 differs "
                      "from the server's 20", seed_output)
        # Both sides log the refusal.
        self.assertIn("refused registration", server.log_path.read_text())


    def test_a_client_started_before_the_server_connects_once_it_listens(self) -> None:
        binary = require_binary(self)
        folder = Path(tempfile.mkdtemp(prefix="fedhpd-early-"))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = folder / "python.log"
        client = python_client(["join", "--server", f"127.0.0.1:{port}", "--gym", "CartPole-v1", "--agents", "1",
                                "--connect-timeout", "120"], log)
        server = None
        try:
            wait_for(log, "retrying for up to 120 s", client, timeout=120)
            server = Serve(binary, folder, ["--env", "CartPole-v1", "--agents-expected", "10",
                                            "--public-states", public_state_file(folder), "--part-size", "500"], port=port)
            wait_for(log, "registered agents 1 with", client, timeout=60)
            self.assertIn(f"connected to 127.0.0.1:{port}", log.read_text())
        finally:
            if server is not None:
                server.stop()
            client.kill()
            client.wait()


class CommandLineTests(unittest.TestCase):
    def test_no_server_exits_1_naming_the_address(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="fedhpd-none-"))
        log = folder / "python.log"
        client = python_client(["join", "--server", "127.0.0.1:1", "--gym", "CartPole-v1", "--agents", "2",
                                "--connect-timeout", "1"], log)
        self.assertEqual(client.wait(timeout=120), 1, log.read_text())
        self.assertIn("fedhpd_client: error: no server at 127.0.0.1:1", log.read_text())

    def test_bad_arguments_exit_1_naming_the_flag(self) -> None:
        for arguments, fragment in [
            (["--server", "nowhere", "--agents", "1"], "--server 'nowhere'"),
            (["--agents", "2", "--places", "6-x"], "--places '6-x'"),
            (["--agents", "2", "--places", "6-8"], "names 3 agents"),
            (["--agents", "0"], "--agents 0"),
            (["--agents", "1", "--gym", "NoSuchTask-v0"], "--gym 'NoSuchTask-v0'"),
        ]:
            with self.subTest(arguments=arguments):
                full = ["join", "--gym", "CartPole-v1", "--connect-timeout", "0.1", *arguments]
                import contextlib
                import io

                errors = io.StringIO()
                with contextlib.redirect_stderr(errors):
                    self.assertEqual(main(full), 1)
                self.assertIn(fragment, errors.getvalue())


if __name__ == "__main__":
    unittest.main()
