#!/usr/bin/env bash
# Installs what the Python-side tests need: for the PyTorch interoperability tests
# (Tests/HPDFederationTests/PyTorchInteropTests.swift) the CPU-only torch wheel without its CUDA dependencies,
# torch's small pure-Python requirements, safetensors and numpy; for the TensorBoard test
# (Tests/CLITests/TensorBoardCommandTests.swift) tensorboard. Idempotent: does nothing when python3 already imports
# them. Measured on this project's machine: torch and friends ≈ 95 s, tensorboard ≈ 35 s.
set -euo pipefail
if python3 -c "import torch, safetensors, numpy, tensorboard" 2>/dev/null; then
    exit 0
fi
start=$(date +%s)
echo "setup-python: installing torch (CPU), safetensors, numpy, tensorboard" >&2
python3 -m pip install -q --no-deps "torch==2.13.0+cpu"
python3 -m pip install -q filelock typing-extensions setuptools sympy networkx jinja2 fsspec mpmath markupsafe safetensors numpy tensorboard
echo "setup-python: done in $(( $(date +%s) - start )) s" >&2
