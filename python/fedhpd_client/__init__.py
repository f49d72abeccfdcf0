"""FedHPD-Swift's Python side.

- ``fedhpd_client.policy``: policy files written by ``fedhpd train`` as PyTorch modules (and back).
- ``fedhpd_client.join`` with an ``Agent``: take part in a federation served by ``fedhpd serve`` over gRPC.
- ``fedhpd_client.reinforce.ReinforceAgent``: the reference PyTorch REINFORCE agent for any Gymnasium task.
- ``fedhpd_client.public_states``: public state sets for any Gymnasium task, in ``fedhpd``'s CSV layout.

The gRPC part is imported lazily so that ``fedhpd_client.policy`` works without grpcio.
"""
from typing import Any

__all__ = ["Agent", "join", "JoinReport"]


def __getattr__(name: str) -> Any:
    if name == "Agent":
        from .agent import Agent

        return Agent
    if name in ("join", "JoinReport"):
        from . import federation

        return getattr(federation, name)
    raise AttributeError(name)
