"""Conversions between numpy arrays / action distributions and the protocol's messages (the Python twin of the
Swift ``WireFormat``). Decoding checks shapes, naming the field: a peer may send anything."""
from __future__ import annotations

import numpy as np

from .distributions import ActionDistribution, Categorical, DistributionFamily, FamilyKind, Gaussian
from .errors import RunFailed
from .protocol import federation_pb2 as pb


def matrix(values: np.ndarray) -> pb.PackedMatrix:
    """A row-major float32 ``PackedMatrix`` of a 2-D array."""
    array = np.ascontiguousarray(values, dtype=np.float32)
    if array.ndim != 2:
        raise ValueError(f"expected a matrix, got shape {array.shape}")
    message = pb.PackedMatrix(rows=array.shape[0], columns=array.shape[1])
    message.values.extend(array.reshape(-1).tolist())
    return message


def array(message: pb.PackedMatrix, field: str) -> np.ndarray:
    """The float32 ``rows × columns`` array of a ``PackedMatrix``; raises ``RunFailed`` naming ``field`` when malformed."""
    rows, columns = int(message.rows), int(message.columns)
    if rows <= 0 or columns <= 0:
        raise RunFailed(f"{field}: shape {rows} × {columns} is not a positive matrix shape")
    if len(message.values) != rows * columns:
        raise RunFailed(f"{field}: {len(message.values)} values for shape {rows} × {columns} (expected {rows * columns})")
    return np.asarray(message.values, dtype=np.float32).reshape(rows, columns)


def accepted_round_states(message: pb.RoundStatesResponse, observation_size: int) -> np.ndarray:
    """The states of a DPA-FedRL round as a client accepts them (the twin of ``WireFormat.acceptedRoundStates``): a
    positive matrix shape, ``observation_size`` columns and finite values; raises ``RunFailed`` naming what is wrong."""
    states = array(message.states, "round states")
    if states.shape[1] != observation_size:
        raise RunFailed(f"round states: {states.shape[1]} columns, expected the observation size {observation_size}")
    if not np.all(np.isfinite(states)):
        raise RunFailed("round states: a value is not finite")
    return states


def family_message(family: DistributionFamily) -> pb.DistributionFamily:
    kind = pb.DistributionFamily.CATEGORICAL if family.kind is FamilyKind.CATEGORICAL else pb.DistributionFamily.GAUSSIAN
    return pb.DistributionFamily(kind=kind, width=family.width)


def family(message: pb.DistributionFamily) -> DistributionFamily:
    if message.kind == pb.DistributionFamily.CATEGORICAL:
        return DistributionFamily(FamilyKind.CATEGORICAL, int(message.width))
    if message.kind == pb.DistributionFamily.GAUSSIAN:
        return DistributionFamily(FamilyKind.GAUSSIAN, int(message.width))
    raise RunFailed(f"unknown distribution family {message.kind}")


def distribution_message(distribution: ActionDistribution) -> pb.ActionDistribution:
    if isinstance(distribution, Categorical):
        return pb.ActionDistribution(categorical=pb.ActionDistribution.Categorical(probabilities=matrix(distribution.probabilities)))
    return pb.ActionDistribution(
        gaussian=pb.ActionDistribution.Gaussian(
            mean=matrix(distribution.mean), standard_deviation=matrix(distribution.standard_deviation)))


def distribution(message: pb.ActionDistribution) -> ActionDistribution:
    which = message.WhichOneof("distribution")
    if which == "categorical":
        return Categorical(array(message.categorical.probabilities, "probabilities"))
    if which == "gaussian":
        return Gaussian(array(message.gaussian.mean, "mean"), array(message.gaussian.standard_deviation, "standard_deviation"))
    raise RunFailed("no distribution")


def checksum(states: np.ndarray) -> str:
    """FNV-1a (64-bit) of the float32 values' little-endian bytes in row-major order, as 16 hex digits — the public
    state set's identity in config.json and in ``GetPublicStates``."""
    data = np.ascontiguousarray(states, dtype="<f4").tobytes()
    value = 0xCBF29CE484222325
    prime = 0x100000001B3
    mask = 0xFFFFFFFFFFFFFFFF
    for byte in data:
        value = ((value ^ byte) * prime) & mask
    return f"{value:016x}"
