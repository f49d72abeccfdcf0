"""Action distributions on a batch of states, as they cross the wire.

A categorical distribution is a ``states × actions`` matrix of probabilities whose rows sum to 1; a Gaussian one is a
pair of ``states × dimensions`` matrices, the means μ and the (positive) standard deviations σ. The consensus of a
FedHPD event has the same family as the agents' uploads: the element-wise mean over agents (of probabilities; of μ
and, separately, of σ).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Union

import numpy as np


class FamilyKind(Enum):
    """Which distribution family an action space calls for."""

    CATEGORICAL = 1  # width = number of actions
    GAUSSIAN = 2  # width = action dimensions


@dataclass(frozen=True)
class DistributionFamily:
    """A distribution family and its width (action count, or action dimensions)."""

    kind: FamilyKind
    width: int

    def __post_init__(self) -> None:
        if not 0 < self.width <= 65_536:
            raise ValueError(f"distribution width {self.width} is out of range 1...65536")

    def __str__(self) -> str:
        name = "categorical" if self.kind is FamilyKind.CATEGORICAL else "gaussian"
        unit = "actions" if self.kind is FamilyKind.CATEGORICAL else "dimensions"
        return f"{name}({self.width} {unit})"


@dataclass(frozen=True)
class Categorical:
    """π(a|s) for every state: ``probabilities[s, a]``, float32, rows summing to 1."""

    probabilities: np.ndarray

    @property
    def family(self) -> DistributionFamily:
        return DistributionFamily(FamilyKind.CATEGORICAL, int(self.probabilities.shape[1]))

    @property
    def state_count(self) -> int:
        return int(self.probabilities.shape[0])


@dataclass(frozen=True)
class Gaussian:
    """N(μ(s), diag σ(s)²) for every state: ``mean[s, d]`` and ``standard_deviation[s, d]`` (> 0), float32."""

    mean: np.ndarray
    standard_deviation: np.ndarray

    @property
    def family(self) -> DistributionFamily:
        return DistributionFamily(FamilyKind.GAUSSIAN, int(self.mean.shape[1]))

    @property
    def state_count(self) -> int:
        return int(self.mean.shape[0])


ActionDistribution = Union[Categorical, Gaussian]
