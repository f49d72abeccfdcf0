"""Can the reference REINFORCE agent learn MountainCar-v0? Counts goal reaches of a uniformly random policy and of the
reference agents 1 and 6 (run seed 20) training alone; see docs/NETWORK.md ("MountainCar-v0").

    python python/examples/mountaincar_check.py [--random-episodes 1000] [--training-episodes 300]
"""
import argparse
import time

import gymnasium
import numpy as np
import torch

from fedhpd_client.reinforce import ReinforceAgent


def random_policy(episodes: int) -> None:
    env = gymnasium.make("MountainCar-v0")
    generator = np.random.default_rng(0)
    reached, furthest = 0, -1.3
    for episode in range(episodes):
        state, _ = env.reset(seed=episode)
        done = False
        while not done:
            state, _, terminated, truncated, _ = env.step(int(generator.integers(3)))
            furthest = max(furthest, float(state[0]))
            done = terminated or truncated
        reached += int(terminated)
    print(f"random policy: goal reached in {reached} of {episodes} episodes; furthest position {furthest:.3f} (goal 0.5)")


def reference_agents(episodes: int) -> None:
    torch.set_num_threads(1)
    for number in (1, 6):
        agent = ReinforceAgent(gymnasium.make("MountainCar-v0"), number, 20)
        start = time.time()
        returns = [agent.train_one_episode() for _ in range(episodes)]
        reached = sum(value > -200 for value in returns)
        print(f"agent {number}: {episodes} episodes, goal reached {reached} times, "
              f"mean return {sum(returns) / episodes:.1f}, {time.time() - start:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--random-episodes", type=int, default=1000)
    parser.add_argument("--training-episodes", type=int, default=300)
    arguments = parser.parse_args()
    random_policy(arguments.random_episodes)
    reference_agents(arguments.training_episodes)
