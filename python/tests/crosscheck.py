"""Cross-check used by the Swift test suite (PyTorchInteropTests): PyTorch's view of engine-written policy files.

Usage: python3 crosscheck.py JOB.json, where JOB.json is {"files": [...], "states": [[...], ...], "out": DIR}.
For every file it prints (as one JSON object on stdout, keyed by file) the probabilities (categorical) or the mean
and standard deviation (Gaussian) that the loaded ``torch.nn.Module`` computes on the states, and writes the module
back with ``safetensors.torch.save_file`` to DIR/<file name> — a PyTorch-written file for the engine to read.
"""

import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from fedhpd_client.policy import CategoricalPolicy, load_policy, save_policy  # noqa: E402


def main() -> None:
    with open(sys.argv[1]) as handle:
        job = json.load(handle)
    results = {}
    for path in job["files"]:
        policy, metadata = load_policy(path)
        states = torch.tensor(job["states"], dtype=torch.float32)
        with torch.no_grad():
            if isinstance(policy, CategoricalPolicy):
                results[path] = {"probabilities": policy.probabilities(states).tolist()}
            else:
                mean, std = policy(states)
                results[path] = {"mean": mean.tolist(), "std": std.tolist()}
        save_policy(policy, os.path.join(job["out"], os.path.basename(path)), metadata)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
