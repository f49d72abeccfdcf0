"""Policy files of FedHPD-Swift as PyTorch modules.

A policy file is a safetensors file. Its tensors are the ``state_dict`` of the modules built here:

* categorical: ``body`` (an ``nn.Sequential`` of ``Linear`` and activation modules, so Linear layers sit at
  indices 0, 2, 4, ...) and ``head``: ``body.<i>.weight``, ``body.<i>.bias``, ``head.weight``, ``head.bias``;
  π(a|s) = softmax(head(body(s))).
* gaussian: ``body``, ``mean_head`` and ``std_head``; μ(s) = mean_head(body(s)),
  σ(s) = softplus(std_head(body(s))); actions are drawn from N(μ + 1e-6, (σ + 1e-6)²).

Its ``__metadata__`` (all strings) states the architecture — ``family``, ``observation_size``, ``action_size``,
``hidden_sizes`` and ``activations`` (JSON arrays) — and where the policy comes from: ``environment``,
``action_space`` (JSON), and optionally ``run_seed``, ``agent_index``, ``episodes_trained``.
"""

from __future__ import annotations

import json
from typing import Dict, List, Mapping, Tuple, Union

import torch
from torch import nn
from safetensors.torch import load_file, save_file
from safetensors import safe_open

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh}
ARCHITECTURE_KEYS = ("family", "observation_size", "action_size", "hidden_sizes", "activations")


def make_body(observation_size: int, hidden_sizes: List[int], activations: List[str]) -> nn.Sequential:
    """Linear → activation for every hidden layer, as one ``nn.Sequential``."""
    if len(hidden_sizes) != len(activations):
        raise ValueError(f"{len(hidden_sizes)} hidden sizes but {len(activations)} activations")
    modules: List[nn.Module] = []
    width = observation_size
    for size, name in zip(hidden_sizes, activations):
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; use relu or tanh")
        modules += [nn.Linear(width, size), ACTIVATIONS[name]()]
        width = size
    return nn.Sequential(*modules)


class CategoricalPolicy(nn.Module):
    """π(a|s) = softmax(head(body(s))) over ``action_size`` discrete actions."""

    def __init__(self, observation_size: int, action_size: int, hidden_sizes: List[int], activations: List[str]):
        super().__init__()
        self.architecture = dict(family="categorical", observation_size=observation_size, action_size=action_size,
                                 hidden_sizes=list(hidden_sizes), activations=list(activations))
        self.body = make_body(observation_size, hidden_sizes, activations)
        self.head = nn.Linear(hidden_sizes[-1] if hidden_sizes else observation_size, action_size)

    def forward(self, states: torch.Tensor) -> torch.Tensor:
        """The logits, one row per state."""
        return self.head(self.body(states))

    def probabilities(self, states: torch.Tensor) -> torch.Tensor:
        """π(·|s), one row per state."""
        return torch.softmax(self.forward(states), dim=-1)


class GaussianPolicy(nn.Module):
    """π(a|s) = N(μ(s) + 1e-6, (σ(s) + 1e-6)²) with σ = softplus(std_head(body(s)))."""

    offset = 1e-6

    def __init__(self, observation_size: int, action_size: int, hidden_sizes: List[int], activations: List[str]):
        super().__init__()
        self.architecture = dict(family="gaussian", observation_size=observation_size, action_size=action_size,
                                 hidden_sizes=list(hidden_sizes), activations=list(activations))
        width = hidden_sizes[-1] if hidden_sizes else observation_size
        self.body = make_body(observation_size, hidden_sizes, activations)
        self.mean_head = nn.Linear(width, action_size)
        self.std_head = nn.Linear(width, action_size)

    def forward(self, states: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """(μ(s), σ(s)), each one row per state (σ without the 1e-6 offset)."""
        hidden = self.body(states)
        return self.mean_head(hidden), nn.functional.softplus(self.std_head(hidden))

    def distribution(self, states: torch.Tensor) -> torch.distributions.Normal:
        """The action distribution the engine samples from."""
        mean, std = self.forward(states)
        return torch.distributions.Normal(mean + self.offset, std + self.offset)


Policy = Union[CategoricalPolicy, GaussianPolicy]


class PolicyFileError(ValueError):
    """A policy file that cannot be used; the message names the file and the problem."""


def architecture_from_metadata(metadata: Mapping[str, str], path: str = "<metadata>") -> Dict[str, object]:
    """The architecture a file's metadata states (raises ``PolicyFileError`` naming the key)."""
    for key in ARCHITECTURE_KEYS:
        if key not in metadata:
            raise PolicyFileError(f"{path}: metadata '{key}' is missing")
    try:
        architecture = dict(family=metadata["family"], observation_size=int(metadata["observation_size"]),
                            action_size=int(metadata["action_size"]),
                            hidden_sizes=[int(size) for size in json.loads(metadata["hidden_sizes"])],
                            activations=[str(name) for name in json.loads(metadata["activations"])])
    except (ValueError, TypeError) as error:
        raise PolicyFileError(f"{path}: unreadable architecture metadata ({error})") from error
    if architecture["family"] not in ("categorical", "gaussian"):
        raise PolicyFileError(f"{path}: metadata 'family' is {architecture['family']!r}, not categorical or gaussian")
    return architecture


def build_policy(metadata: Mapping[str, str]) -> Policy:
    """A freshly initialised module with the architecture stated by ``metadata``."""
    architecture = dict(architecture_from_metadata(metadata))
    family = architecture.pop("family")
    return (CategoricalPolicy if family == "categorical" else GaussianPolicy)(**architecture)


def read_metadata(path: str) -> Dict[str, str]:
    """A policy file's ``__metadata__``."""
    with safe_open(path, framework="pt") as handle:
        return dict(handle.metadata() or {})


def load_policy(path: str) -> Tuple[Policy, Dict[str, str]]:
    """The module a policy file describes, with its weights loaded, and the file's metadata.

    Tensor names and shapes must match the architecture exactly; a mismatch raises ``PolicyFileError`` naming the
    tensor and both shapes."""
    metadata = read_metadata(path)
    policy = build_policy(metadata)
    tensors = load_file(path)
    expected = policy.state_dict()
    for name in tensors:
        if name not in expected:
            raise PolicyFileError(f"{path}: unexpected tensor {name} (not part of the architecture)")
    for name, value in expected.items():
        if name not in tensors:
            raise PolicyFileError(f"{path}: tensor {name} is missing")
        if tuple(tensors[name].shape) != tuple(value.shape):
            raise PolicyFileError(f"{path}: tensor {name} has shape {list(tensors[name].shape)}, expected {list(value.shape)}")
        if tensors[name].dtype != torch.float32:
            raise PolicyFileError(f"{path}: tensor {name} has dtype {tensors[name].dtype}; only float32 is supported")
    policy.load_state_dict(tensors, strict=True)
    return policy, metadata


def policy_metadata(policy: Policy, environment: str, action_space: Mapping[str, object], **provenance: object) -> Dict[str, str]:
    """The metadata to save with ``policy``: its architecture, the environment id, the action space
    (``{"type": "discrete", "n": 2}`` or ``{"type": "box", "low": [...], "high": [...]}``) and optional provenance
    (``run_seed``, ``agent_index``, ``episodes_trained``)."""
    architecture = policy.architecture
    metadata = {
        "family": architecture["family"],
        "observation_size": str(architecture["observation_size"]),
        "action_size": str(architecture["action_size"]),
        "hidden_sizes": json.dumps(architecture["hidden_sizes"], separators=(",", ":")),
        "activations": json.dumps(architecture["activations"], separators=(",", ":")),
        "environment": environment,
        "action_space": json.dumps(dict(action_space), separators=(",", ":")),
    }
    metadata.update({key: str(value) for key, value in provenance.items() if value is not None})
    return metadata


def save_policy(policy: Policy, path: str, metadata: Mapping[str, str]) -> None:
    """Writes ``policy``'s weights with ``safetensors.torch.save_file`` under the engine's names and ``metadata``
    (e.g. from ``policy_metadata`` or the file the policy was loaded from; its architecture entries are refreshed)."""
    entries = dict(metadata)
    architecture = policy.architecture
    entries.update(family=architecture["family"], observation_size=str(architecture["observation_size"]),
                   action_size=str(architecture["action_size"]),
                   hidden_sizes=json.dumps(architecture["hidden_sizes"], separators=(",", ":")),
                   activations=json.dumps(architecture["activations"], separators=(",", ":")))
    tensors = {name: value.detach().to(torch.float32).contiguous() for name, value in policy.state_dict().items()}
    save_file(tensors, path, metadata=entries)
