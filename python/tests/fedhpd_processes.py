"""Starting the real ``fedhpd`` binary (built with the Network trait) for the end-to-end tests.

The binary is ``$FEDHPD_BINARY``, else ``<swift build -c release --show-bin-path>/fedhpd`` of this repository. When it
is absent the end-to-end tests are skipped — unless ``CI`` is set to true, where they fail."""
from __future__ import annotations

import os
import subprocess
import time
import unittest
from pathlib import Path
from typing import List, Optional

REPOSITORY = Path(__file__).resolve().parents[2]
PYTHON_ROOT = REPOSITORY / "python"


def fedhpd_binary() -> Optional[str]:
    explicit = os.environ.get("FEDHPD_BINARY")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) and has_network(explicit) else None
    try:
        folder = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPOSITORY, capture_output=True,
                                text=True, timeout=120).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    candidate = os.path.join(folder, "fedhpd") if folder else ""
    return candidate if candidate and os.access(candidate, os.X_OK) and has_network(candidate) else None


def has_network(binary: str) -> bool:
    """Whether ``binary`` was built with the Network trait (its ``serve`` has options, not just a hint)."""
    try:
        help_text = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "--agents-expected" in help_text


def require_binary(test: unittest.TestCase) -> str:
    binary = fedhpd_binary()
    if binary is None:
        message = "no fedhpd binary built with --traits Network (set FEDHPD_BINARY)"
        if os.environ.get("CI", "").lower() == "true":
            test.fail(message + " — required when CI=true")
        raise unittest.SkipTest(message)
    return binary


class Serve:
    """``fedhpd serve`` on ``port`` (default: a free port) of 127.0.0.1, its output in ``folder/serve.log``."""

    def __init__(self, binary: str, folder: Path, arguments: List[str], port: int = 0) -> None:
        self.folder = folder
        self.port_file = folder / "serve.port"
        self.log_path = folder / "serve.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--port", str(port), "--port-file", str(self.port_file), "--out", str(folder / "runs"), *arguments],
            stdout=self.log, stderr=subprocess.STDOUT)
        start = time.monotonic()
        while not (self.port_file.exists() and self.port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() - start > 60:
                raise AssertionError(f"fedhpd serve did not start:\n{self.log_path.read_text()}")
            time.sleep(0.05)
        self.address = f"127.0.0.1:{self.port_file.read_text().strip()}"

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


def python_client(arguments: List[str], log_path: Path) -> subprocess.Popen:
    """``python -m fedhpd_client ARGUMENTS`` with this checkout's package on the path."""
    environment = dict(os.environ, PYTHONPATH=str(PYTHON_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    import sys

    return subprocess.Popen([sys.executable, "-m", "fedhpd_client", *arguments], stdout=open(log_path, "w"),
                            stderr=subprocess.STDOUT, env=environment)


def wait_for(path: Path, text: str, timeout: float = 60) -> None:
    """Waits until the file at ``path`` contains ``text``."""
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        if path.exists() and text in path.read_text():
            return
        time.sleep(0.05)
    raise AssertionError(f"{path.name} never said '{text}':\n{path.read_text() if path.exists() else ''}")
