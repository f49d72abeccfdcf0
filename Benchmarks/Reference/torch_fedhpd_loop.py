#!/usr/bin/env python3
"""End-to-end PyTorch timing of the FedHPD training loop on CartPole-v1 (reference semantics).

What one run does (fedhpd-reference.md, "Roles", "REINFORCE", "Distillation event"):
  - 10 agents with the reference's CartPole architectures and learning rates, each with its own
    environment, Adam optimiser and StepLR(step 100, gamma 0.95).
  - Every episode, each agent in turn plays one full episode. Per step: a batch-1 forward, softmax,
    a ~ Categorical(probs), log_prob stored on the autograd graph (as the authors did). At the
    episode's end: G_t = r_t + 0.99 G_{t+1}, G_hat = (G - mean) / (std_unbiased + 1e-5),
    loss = sum_t -log pi(a_t|s_t) G_hat_t, one Adam step, one scheduler step.
  - After every d = 5 episodes, a distillation event: the public state set (5000 x 4) is split in
    file order into 2 parts of 2500; 5 loops; per part the consensus is the mean of the 10 agents'
    softmax outputs (no grad) and every agent takes one Adam step on
    F.kl_div(log_softmax(local logits), consensus, reduction='batchmean') = KL(consensus || local).
    The scheduler is not stepped during digestion.
  - --batched-update: the rollout forward runs under torch.no_grad() and only states/actions are
    recorded; at the episode's end one batched forward with grad recomputes log pi(a_t|s_t).
    Mathematically the same update, with one graph instead of one per step.

The environment is Gymnasium's CartPole-v1 (gymnasium.make) if gymnasium imports, else (or with
--env builtin) an exact re-implementation of its equations (Euler, tau 0.02, 12 deg / 2.4 thresholds,
truncation at 500). Seeding: torch.manual_seed(seed); agent i's environment is reset once with seed
seed*100 + i, later resets continue its stream.

Run:
  python3 torch_fedhpd_loop.py                                  # 200 episodes, per-step graphs
  python3 torch_fedhpd_loop.py --batched-update --json results/torch-loop-batched.json
  python3 torch_fedhpd_loop.py --episodes 20 --public-states public_states.csv --threads 1
Flags: --episodes N (200), --quick (10 episodes), --threads T (1), --batched-update, --public-states CSV (header `State`,
each row a quoted comma-joined 4-vector; default 5000 uniform random states), --seed S (20),
--env auto|gymnasium|builtin, --json FILE (overwritten).

Reported: system episodes/s (one system episode = one episode of all 10 agents), environment
steps/s (all agents' steps), wall time split into rollout (env + per-step forward/sampling),
REINFORCE update (returns, loss, backward, Adam, scheduler) and distillation, and total seconds.
Only torch, numpy and the standard library (gymnasium optional).
"""

import argparse
import csv
import datetime
import json
import math
import os
import platform
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# (hidden sizes, activation, learning rate), fedhpd-reference.md "Agent configurations"
CARTPOLE_AGENTS = [
    ([128], "relu", 1e-3), ([32, 32], "relu", 2e-3), ([16, 16, 32], "tanh", 4e-3),
    ([8, 8, 8], "relu", 5e-4), ([32, 32, 32], "tanh", 3e-3), ([8, 8], "relu", 7e-4),
    ([64, 64], "tanh", 1e-3), ([16, 16], "relu", 5e-4), ([16, 32, 16], "tanh", 5e-4),
    ([32], "relu", 8e-4),
]
GAMMA = 0.99
DISTILL_INTERVAL = 5
DISTILL_LOOPS = 5
PART_SIZE = 2500
PUBLIC_SIZE = 5000


# ----------------------------------------------------------------------------------------------
# Environment: Gymnasium's CartPole-v1, or an exact re-implementation of its dynamics
# ----------------------------------------------------------------------------------------------

class BuiltinCartPole:
    """Gymnasium CartPole-v1 equations (Euler integrator), with the TimeLimit of 500 steps."""
    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    total_mass = masspole + masscart
    polemass_length = masspole * length
    theta_threshold = 12 * 2 * math.pi / 360
    x_threshold = 2.4
    max_steps = 500

    def __init__(self):
        self.rng = np.random.default_rng()
        self.state = None
        self.steps = 0

    def reset(self, seed=None):
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self.state = self.rng.uniform(-0.05, 0.05, size=4)
        self.steps = 0
        return np.array(self.state, dtype=np.float32), {}

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta, sintheta = math.cos(theta), math.sin(theta)
        temp = (force + self.polemass_length * theta_dot ** 2 * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta ** 2 / self.total_mass))
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x = x + self.tau * x_dot
        x_dot = x_dot + self.tau * xacc
        theta = theta + self.tau * theta_dot
        theta_dot = theta_dot + self.tau * thetaacc
        self.state = (x, x_dot, theta, theta_dot)
        self.steps += 1
        terminated = bool(x < -self.x_threshold or x > self.x_threshold
                          or theta < -self.theta_threshold or theta > self.theta_threshold)
        truncated = self.steps >= self.max_steps
        return np.array(self.state, dtype=np.float32), 1.0, terminated, truncated, {}


def make_env(kind):
    if kind in ("auto", "gymnasium"):
        try:
            import gymnasium
            return gymnasium.make("CartPole-v1"), "gymnasium " + gymnasium.__version__
        except ImportError:
            if kind == "gymnasium":
                raise
    return BuiltinCartPole(), "builtin re-implementation"


# ----------------------------------------------------------------------------------------------
# Agents
# ----------------------------------------------------------------------------------------------

def make_policy(hidden, act):
    layers, d = [], 4
    for h in hidden:
        layers += [nn.Linear(d, h), nn.ReLU() if act == "relu" else nn.Tanh()]
        d = h
    layers.append(nn.Linear(d, 2))
    return nn.Sequential(*layers)


class Agent:
    def __init__(self, hidden, act, lr, env_kind):
        self.policy = make_policy(hidden, act)
        self.opt = torch.optim.Adam(self.policy.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
        self.sched = torch.optim.lr_scheduler.StepLR(self.opt, step_size=100, gamma=0.95)
        self.env, self.env_name = make_env(env_kind)


def normalised_returns(rewards):
    g, out = 0.0, []
    for r in reversed(rewards):
        g = r + GAMMA * g
        out.append(g)
    out.reverse()
    G = torch.tensor(out, dtype=torch.float32)
    return (G - G.mean()) / (G.std() + 1e-5)  # unbiased std; a 1-step episode gives nan, as in torch


def play_per_step(agent, state):
    """Authors' style: per-step forward kept on the graph, log_prob stored."""
    log_probs, rewards = [], []
    done = False
    while not done:
        probs = torch.softmax(agent.policy(torch.from_numpy(state).unsqueeze(0)), dim=1)
        dist = torch.distributions.Categorical(probs)
        action = dist.sample()
        log_probs.append(dist.log_prob(action))
        state, reward, terminated, truncated, _ = agent.env.step(action.item())
        rewards.append(reward)
        done = terminated or truncated
    return log_probs, rewards


def update_per_step(agent, log_probs, rewards):
    G = normalised_returns(rewards)
    loss = (-torch.cat(log_probs) * G).sum()
    agent.opt.zero_grad()
    loss.backward()
    agent.opt.step()
    agent.sched.step()


def play_batched(agent, state):
    """No graph during the rollout; record states and actions."""
    states, actions, rewards = [], [], []
    done = False
    with torch.no_grad():
        while not done:
            probs = torch.softmax(agent.policy(torch.from_numpy(state).unsqueeze(0)), dim=1)
            action = torch.multinomial(probs, 1).item()
            states.append(state)
            actions.append(action)
            state, reward, terminated, truncated, _ = agent.env.step(action)
            rewards.append(reward)
            done = terminated or truncated
    return (states, actions), rewards


def update_batched(agent, record, rewards):
    states, actions = record
    G = normalised_returns(rewards)
    S = torch.from_numpy(np.stack(states))
    A = torch.tensor(actions, dtype=torch.int64).unsqueeze(1)
    logp = F.log_softmax(agent.policy(S), dim=1).gather(1, A).squeeze(1)
    loss = (-logp * G).sum()
    agent.opt.zero_grad()
    loss.backward()
    agent.opt.step()
    agent.sched.step()


def distill(agents, public):
    for _ in range(DISTILL_LOOPS):
        for start in range(0, public.shape[0], PART_SIZE):
            part = public[start:start + PART_SIZE]
            with torch.no_grad():  # extraction + aggregation
                consensus = torch.stack([torch.softmax(a.policy(part), dim=1) for a in agents]).mean(0)
            for a in agents:       # digestion: one step of the agent's own optimiser
                loss = F.kl_div(F.log_softmax(a.policy(part), dim=1), consensus, reduction="batchmean")
                a.opt.zero_grad()
                loss.backward()
                a.opt.step()


# ----------------------------------------------------------------------------------------------
# Public states
# ----------------------------------------------------------------------------------------------

def load_public_states(path):
    rows = []
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header and header[0].strip() == "State", f"unexpected header {header}"
        for row in reader:
            if row:
                rows.append([float(v) for v in row[0].strip().strip("[]").split(",")])
    return torch.tensor(rows, dtype=torch.float32)


def random_public_states(gen):
    """5000 states uniform in plausible CartPole ranges (x, x_dot, theta, theta_dot)."""
    lo = torch.tensor([-2.4, -3.0, -0.21, -3.5])
    hi = torch.tensor([2.4, 3.0, 0.21, 3.5])
    return lo + (hi - lo) * torch.rand(PUBLIC_SIZE, 4, generator=gen)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip() + f" ({os.cpu_count()} logical CPUs)"
    except OSError:
        pass
    return platform.processor() or platform.machine()


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--episodes", type=int, default=200)
    ap.add_argument("--quick", action="store_true", help="10 episodes (smoke run)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batched-update", action="store_true")
    ap.add_argument("--public-states", default=None)
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--env", choices=["auto", "gymnasium", "builtin"], default="auto")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    if args.quick:
        args.episodes = 10

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    public = (load_public_states(args.public_states) if args.public_states
              else random_public_states(torch.Generator().manual_seed(args.seed)))
    agents = [Agent(h, act, lr, args.env) for h, act, lr in CARTPOLE_AGENTS]
    states = [a.env.reset(seed=args.seed * 100 + i)[0] for i, a in enumerate(agents)]
    play, update = (play_batched, update_batched) if args.batched_update else (play_per_step, update_per_step)

    t_roll = t_upd = t_dist = 0.0
    env_steps, n_distill = 0, 0
    system_rewards = []
    t_start = time.perf_counter()
    for ep in range(args.episodes):
        ep_returns = []
        for i, a in enumerate(agents):
            state = states[i] if ep == 0 else a.env.reset()[0]
            t0 = time.perf_counter()
            record, rewards = play(a, state)
            t1 = time.perf_counter()
            update(a, record, rewards)
            t2 = time.perf_counter()
            t_roll += t1 - t0
            t_upd += t2 - t1
            env_steps += len(rewards)
            ep_returns.append(sum(rewards))
        system_rewards.append(sum(ep_returns) / len(ep_returns))
        if (ep + 1) % DISTILL_INTERVAL == 0:
            t0 = time.perf_counter()
            distill(agents, public)
            t_dist += time.perf_counter() - t0
            n_distill += 1
    total = time.perf_counter() - t_start

    variant = "batched-update" if args.batched_update else "per-step"
    result = {
        "meta": {"library": f"pytorch {torch.__version__}", "threads": args.threads,
                 "env": agents[0].env_name, "variant": variant, "seed": args.seed,
                 "public_states": args.public_states or "uniform random 5000",
                 "cpu": cpu_name(), "python": platform.python_version(),
                 "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                 "notes": "2-core shared VM with concurrent builds: timings are noisy."},
        "episodes": args.episodes,
        "distillation_events": n_distill,
        "env_steps": env_steps,
        "total_s": round(total, 4),
        "episodes_per_s": round(args.episodes / total, 4),
        "env_steps_per_s": round(env_steps / total, 1),
        "rollout_s": round(t_roll, 4),
        "update_s": round(t_upd, 4),
        "distill_s": round(t_dist, 4),
        "other_s": round(total - t_roll - t_upd - t_dist, 4),
        "distill_event_ms": round(1e3 * t_dist / max(n_distill, 1), 3),
        "system_reward_last10": round(sum(system_rewards[-10:]) / len(system_rewards[-10:]), 2),
    }

    print(f"FedHPD CartPole loop, {variant}, {args.episodes} episodes, threads {args.threads}, "
          f"env {result['meta']['env']}")
    print(f"  total            {total:10.2f} s")
    print(f"  episodes/s       {result['episodes_per_s']:10.3f}   (system episodes: all 10 agents)")
    print(f"  env steps/s      {result['env_steps_per_s']:10.1f}   ({env_steps} steps)")
    for name, t in (("rollout", t_roll), ("REINFORCE update", t_upd), ("distillation", t_dist)):
        print(f"  {name:<16} {t:10.2f} s  {100 * t / total:5.1f} %")
    print(f"  distill event    {result['distill_event_ms']:10.1f} ms  ({n_distill} events)")
    print(f"  system reward, last 10 episodes: {result['system_reward_last10']:.1f}")
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
