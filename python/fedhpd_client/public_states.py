"""Public state sets for any Gymnasium task, in the CSV layout ``fedhpd`` reads (header ``s0,s1,…``, one state per
row), so that ``fedhpd serve --public-states FILE`` can run FedHPD on tasks it has no environment for.

Collection: ``random`` rollouts (uniformly sampled actions) or ``policy`` rollouts of a briefly trained "virtual
agent" (a ``ReinforceAgent``, agent 1's architecture, trained alone; then greedy rollouts on ``test_seeds`` seeds of
snapshots taken along its training), recording every pre-step state. Selection: ``random`` (a uniform draw without
replacement) or ``cluster`` — the reference recipe: standardise, project on the first principal components, k-means,
and take an equal number of states from each cluster (all of a small cluster, the rest filled from the largest),
written cluster by cluster.
"""
from __future__ import annotations

import copy
import os
from typing import List, Optional

import numpy as np
import torch

from .reinforce import ReinforceAgent


def random_rollouts(env_id: str, minimum: int, seed: int) -> np.ndarray:
    """At least ``minimum`` pre-step states of episodes played with uniformly random actions."""
    import gymnasium

    env = gymnasium.make(env_id)
    env.action_space.seed(seed)
    states: List[np.ndarray] = []
    episode = 0
    while len(states) < minimum:
        state, _ = env.reset(seed=seed + episode)
        done = False
        while not done:
            states.append(np.asarray(state, dtype=np.float32))
            state, _, terminated, truncated, _ = env.step(env.action_space.sample())
            done = terminated or truncated
        episode += 1
    return np.stack(states)


def policy_rollouts(env_id: str, minimum: int, seed: int, training_episodes: int = 200, snapshots: int = 5,
                    test_seeds: int = 10) -> np.ndarray:
    """Pre-step states of greedy rollouts of a virtual agent: trained ``training_episodes`` episodes, snapshotted
    ``snapshots`` times over the second half of its training, each snapshot rolled out on ``test_seeds`` seeds;
    repeated with more seeds until at least ``minimum`` states are collected."""
    import gymnasium

    agent = ReinforceAgent(gymnasium.make(env_id), 1, seed)
    marks = set(np.linspace(training_episodes // 2, training_episodes, snapshots).round().astype(int).tolist())
    policies: List[torch.nn.Module] = []
    for episode in range(1, training_episodes + 1):
        agent.train_one_episode()
        if episode in marks:
            policies.append(copy.deepcopy(agent.policy))
    env = gymnasium.make(env_id)
    states: List[np.ndarray] = []
    round_index = 0
    while len(states) < minimum:
        for policy in policies:
            for test in range(test_seeds):
                state, _ = env.reset(seed=seed * 1000 + round_index * test_seeds + test)
                done = False
                while not done:
                    states.append(np.asarray(state, dtype=np.float32))
                    with torch.no_grad():
                        output = policy(torch.as_tensor(states[-1]).unsqueeze(0))
                    action = int(output.argmax()) if agent.discrete else output[0][0].numpy()
                    state, _, terminated, truncated, _ = env.step(action)
                    done = terminated or truncated
        round_index += 1
    return np.stack(states)


def k_means(points: np.ndarray, clusters: int, seed: int, iterations: int = 100) -> np.ndarray:
    """Lloyd's k-means with k-means++ initialisation (seeded); returns each point's cluster (0…clusters − 1)."""
    rng = np.random.default_rng(seed)
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, clusters):
        distance = np.min(((points[:, None, :] - np.asarray(centres)[None]) ** 2).sum(-1), axis=1)
        total = distance.sum()
        centres.append(points[rng.choice(len(points), p=distance / total)] if total > 0 else points[rng.integers(len(points))])
    centre_array = np.asarray(centres, dtype=np.float64)
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(iterations):
        labels = ((points[:, None, :] - centre_array[None]) ** 2).sum(-1).argmin(axis=1)
        moved = np.array([points[labels == k].mean(0) if np.any(labels == k) else centre_array[k] for k in range(clusters)])
        if np.allclose(moved, centre_array):
            break
        centre_array = moved
    return labels


def select(states: np.ndarray, count: int, method: str, seed: int, components: int = 2, clusters: int = 5,
           standardise: bool = True) -> np.ndarray:
    """``count`` states of ``states`` chosen by ``method`` (``random`` or ``cluster``, see the module's description)."""
    if len(states) < count:
        raise ValueError(f"only {len(states)} states collected, {count} asked for")
    rng = np.random.default_rng(seed)
    if method == "random":
        return states[np.sort(rng.choice(len(states), size=count, replace=False))]
    if method != "cluster":
        raise ValueError(f"--selection '{method}': expected random or cluster")
    data = states.astype(np.float64)
    if standardise:
        data = (data - data.mean(0)) / np.where(data.std(0) > 0, data.std(0), 1)
    centred = data - data.mean(0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    projected = centred @ axes[:min(components, axes.shape[0])].T
    labels = k_means(projected, clusters, seed)
    members = [np.flatnonzero(labels == k) for k in range(clusters)]
    share = count // clusters
    taken = [rng.permutation(indices)[:share] for indices in members]
    shortfall = count - sum(len(chosen) for chosen in taken)
    for k in sorted(range(clusters), key=lambda k: -len(members[k])):  # fill up from the largest clusters
        if shortfall == 0:
            break
        rest = np.setdiff1d(members[k], taken[k])
        extra = rng.permutation(rest)[:shortfall]
        taken[k] = np.concatenate([taken[k], extra])
        shortfall -= len(extra)
    return states[np.concatenate(taken)]


def write_csv(states: np.ndarray, path: str) -> None:
    """Writes ``states`` as plain numeric CSV (header ``s0,s1,…``) atomically; float32 values printed exactly."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "w") as file:
        file.write(",".join(f"s{column}" for column in range(states.shape[1])) + "\n")
        for row in np.asarray(states, dtype=np.float32):
            file.write(",".join(repr(float(value)) for value in row) + "\n")
    os.replace(temporary, path)


def build(env_id: str, count: int, seed: int = 20, rollouts: str = "random", selection: str = "random",
          pool: Optional[int] = None, components: int = 2, clusters: int = 5, training_episodes: int = 200) -> np.ndarray:
    """A public state set of ``count`` states for ``env_id``: collect ``pool`` (default 4 × count) states by
    ``rollouts`` (``random`` or ``policy``), then ``select`` ``count`` of them."""
    if count <= 0:
        raise ValueError(f"--count {count}: must be positive")
    minimum = pool or 4 * count
    if rollouts == "random":
        collected = random_rollouts(env_id, minimum, seed)
    elif rollouts == "policy":
        collected = policy_rollouts(env_id, minimum, seed, training_episodes=training_episodes)
    else:
        raise ValueError(f"--rollouts '{rollouts}': expected random or policy")
    if not np.all(np.isfinite(collected)):
        raise ValueError(f"{env_id}: the rollouts produced non-finite states")
    return select(collected, count, selection, seed, components, clusters)
