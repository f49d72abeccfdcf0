"""The interface an agent implements to take part in a FedHPD federation (black box: only its action distributions
on the public states ever leave it)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict

import numpy as np

from .distributions import ActionDistribution, DistributionFamily


class Agent(ABC):
    """One FedHPD agent: its own policy, environment, optimiser and architecture, undisclosed to anybody.

    ``join`` calls, for every episode e = 1…E, ``train_one_episode()``; after every d-th episode, for each loop and
    each part P of the public states, ``action_distribution(P)`` (uploaded) and then ``digest(consensus, P)`` with the
    server's consensus (skipped when the agent was excluded from that part). In a DPA-FedRL run (the schedule's
    ``state_source`` is ``SERVER_STATE``) the states are the server environment's current state, one round per event,
    and the digestion is ``digest_squared_error(consensus, states)``.
    """

    @property
    @abstractmethod
    def family(self) -> DistributionFamily:
        """The distribution family of the agent's policy (categorical over the actions, or Gaussian)."""

    @abstractmethod
    def action_distribution(self, states: np.ndarray) -> ActionDistribution:
        """π_k(·|s) for every row s of ``states`` (``count × observation size``, float32), without learning."""

    @abstractmethod
    def digest(self, consensus: ActionDistribution, states: np.ndarray) -> float:
        """One optimiser step towards the consensus on ``states``; returns the digestion loss before the step
        (FedHPD: KL(consensus ‖ π_k) averaged over states for categorical policies, KL(π_k ‖ consensus) averaged over
        states and action dimensions for Gaussian ones)."""

    def digest_squared_error(self, consensus: ActionDistribution, states: np.ndarray) -> float:
        """DPA-FedRL's digestion (a server started with ``fedhpd serve --method dpa``): one optimiser step on
        L = Σ_s Σ_a (π_k(a|s) − p̄(a|s))² (Gaussian: Σ_{s,d} (μ − μ̄)² + (σ − σ̄)²) on ``states``, the state of the
        server's environment; returns L before the step. Agents that do not override it cannot join a DPA-FedRL run."""
        raise NotImplementedError(
            f"{type(self).__name__} does not implement digest_squared_error(): it cannot join a DPA-FedRL run")

    @abstractmethod
    def train_one_episode(self) -> float:
        """Plays one episode in the agent's own environment, learns from it, and returns the episode's return."""

    def state_dict(self) -> Dict[str, Any]:
        """Everything the agent needs to continue bit for bit after a restart (parameters, optimiser and scheduler
        states, random generators' states, counters), for the client's checkpoints (``join(..., checkpoint_dir=…)``).
        Agents that do not override it cannot be checkpointed."""
        raise NotImplementedError(f"{type(self).__name__} does not implement state_dict(): it cannot be checkpointed")

    def load_state_dict(self, state: Dict[str, Any]) -> None:
        """Restores what ``state_dict()`` returned into a freshly built agent (``join(..., resume=True)``)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement load_state_dict(): it cannot resume")
