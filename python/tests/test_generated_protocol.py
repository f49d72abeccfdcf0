"""The committed protocol code is what scripts/generate-python-protocol.sh makes from Protos/federation.proto now."""
from __future__ import annotations

import filecmp
import importlib.util
import subprocess
import tempfile
import unittest
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
COMMITTED = REPOSITORY / "python" / "fedhpd_client" / "protocol"


@unittest.skipIf(importlib.util.find_spec("grpc_tools") is None, "grpcio-tools is not installed")
class GeneratedProtocolTests(unittest.TestCase):
    def test_the_committed_code_matches_a_fresh_generation(self) -> None:
        folder = tempfile.mkdtemp(prefix="fedhpd-protocol-")
        subprocess.run([str(REPOSITORY / "scripts" / "generate-python-protocol.sh"), folder], check=True, capture_output=True)
        names = ["__init__.py", "federation_pb2.py", "federation_pb2.pyi", "federation_pb2_grpc.py"]
        _, mismatch, errors = filecmp.cmpfiles(COMMITTED, folder, names, shallow=False)
        self.assertEqual((mismatch, errors), ([], []), "run scripts/generate-python-protocol.sh and commit the result")

    def test_every_generated_file_says_so(self) -> None:
        for path in COMMITTED.glob("*.py*"):
            self.assertTrue(path.read_text().startswith("# generated"), path)


if __name__ == "__main__":
    unittest.main()
