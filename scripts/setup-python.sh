#!/usr/bin/env bash
# Installs what the Python-side tests need: for the PyTorch interoperability tests
# (Tests/HPDFederationTests/PyTorchInteropTests.swift) the CPU-only torch wheel without its CUDA dependencies,
# torch's small pure-Python requirements, safetensors and numpy; for the TensorBoard test
# (Tests/CLITests/TensorBoardCommandTests.swift) tensorboard; for the Python federation client (python/, issue 17)
# grpcio and protobuf at the versions its generated code is pinned to, gymnasium and pytest. Idempotent: does nothing
# when python3 already imports them. Measured on this project's machine: torch and friends ≈ 95 s, tensorboard ≈ 35 s.
set -euo pipefail
if python3 -c "import torch, safetensors, numpy, tensorboard, grpc, google.protobuf, gymnasium, pytest" 2>/dev/null; then
    exit 0
fi
start=$(date +%s)
echo "setup-python: installing torch (CPU), safetensors, numpy, tensorboard, grpcio, protobuf, gymnasium, pytest" >&2
python3 -m pip install -q --no-deps "torch==2.13.0+cpu"
python3 -m pip install -q filelock typing-extensions setuptools sympy networkx jinja2 fsspec mpmath markupsafe safetensors numpy tensorboard \
    "grpcio==1.85.3" "protobuf==7.36.2" gymnasium pytest
echo "setup-python: done in $(( $(date +%s) - start )) s" >&2
