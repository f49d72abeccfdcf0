"""A reference PyTorch agent: REINFORCE with the FedHPD reference hyperparameters on any Gymnasium environment.

Discrete actions: MLP → Linear(actions) → softmax; returns G_t = r_t + γ G_{t+1} (γ = 0.99) normalised per episode,
Ĝ = (G − mean G) / (std G + 1e-5) (unbiased std); loss Σ_t −log π(a_t|s_t) Ĝ_t; Adam, StepLR(100, 0.95) stepped once
per episode. The environment is seeded once; later resets continue its stream.

Continuous (Box) actions: shared MLP → mean head and softplus standard-deviation head; actions from
N(μ + 1e-6, σ + 1e-6), sent unclipped; loss Σ_t −mean_d log π(a_t|s_t) G_t (no normalisation); AdamW (weight decay
0.01), no scheduler; every episode resets with the agent's own seed.

Digestion (one step of the agent's own optimiser, the scheduler is not stepped): categorical
L = (1/|P|) Σ_s Σ_a c(a|s) (ln c(a|s) − ln π(a|s)) = KL(consensus ‖ π) ("batchmean", 0 ln 0 = 0); Gaussian
L = mean over states and dimensions of KL(π ‖ consensus) = ln(σ′_c/σ′_π) + (σ′_π² + (μ_π − μ_c)²)/(2σ′_c²) − ½ with
σ′ = σ + 1e-6 — the same losses and directions as the Swift agents. DPA-FedRL's digestion
(``digest_squared_error``) is one step on L = Σ_s Σ_a (π(a|s) − p̄(a|s))² (Gaussian: Σ (μ − μ̄)² + (σ − σ̄)²).

Agent k is built and seeded from (run seed, k) alone: its weights, environment seed and sampling stream.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np
import torch
from torch import nn

from .agent import Agent
from .distributions import ActionDistribution, Categorical, DistributionFamily, FamilyKind, Gaussian

GAMMA = 0.99
NORMALISATION_EPSILON = 1e-5
DEVIATION_OFFSET = 1e-6


@dataclass(frozen=True)
class AgentConfiguration:
    """One agent's hidden layer sizes, activation per hidden layer and learning rate."""

    hidden: Tuple[int, ...]
    activations: Tuple[str, ...]
    learning_rate: float


def _uniform(hidden: Sequence[int], activation: str, rate: float) -> AgentConfiguration:
    return AgentConfiguration(tuple(hidden), (activation,) * len(hidden), rate)


#: The reference's CartPole-v1 agents 1–10, used for every discrete task (agent k takes row (k − 1) mod 10).
DISCRETE_AGENTS = (
    _uniform([128], "relu", 1e-3), _uniform([32, 32], "relu", 2e-3), _uniform([16, 16, 32], "tanh", 4e-3),
    _uniform([8, 8, 8], "relu", 5e-4), _uniform([32, 32, 32], "tanh", 3e-3), _uniform([8, 8], "relu", 7e-4),
    _uniform([64, 64], "tanh", 1e-3), _uniform([16, 16], "relu", 5e-4), _uniform([16, 32, 16], "tanh", 5e-4),
    _uniform([32], "relu", 8e-4),
)

#: The reference's InvertedPendulum agents 1–10, used for every continuous task.
CONTINUOUS_AGENTS = (
    AgentConfiguration((16, 32), ("tanh", "tanh"), 1e-4), AgentConfiguration((32, 32), ("relu", "relu"), 1e-4),
    AgentConfiguration((64, 128), ("tanh", "relu"), 6e-5), AgentConfiguration((128, 256), ("relu", "relu"), 1e-5),
    AgentConfiguration((32, 64), ("relu", "tanh"), 1e-4), AgentConfiguration((64, 64), ("tanh", "tanh"), 8e-5),
    AgentConfiguration((128, 128), ("relu", "relu"), 4e-5), AgentConfiguration((64, 32), ("tanh", "relu"), 7e-5),
    AgentConfiguration((256, 128), ("tanh", "tanh"), 2e-5), AgentConfiguration((32, 128), ("relu", "relu"), 5e-5),
)


def derived_seeds(run_seed: int, agent_number: int) -> Tuple[int, int]:
    """(torch seed, environment seed) of agent ``agent_number`` (1-based) in run ``run_seed``."""
    words = np.random.SeedSequence([run_seed, agent_number]).generate_state(2, dtype=np.uint32)
    return int(words[0]), int(words[1])


def _body(inputs: int, configuration: AgentConfiguration) -> Tuple[nn.Sequential, int]:
    layers: List[nn.Module] = []
    width = inputs
    for size, activation in zip(configuration.hidden, configuration.activations):
        if activation not in ("relu", "tanh"):
            raise ValueError(f"activation '{activation}': expected relu or tanh")
        layers += [nn.Linear(width, size), nn.ReLU() if activation == "relu" else nn.Tanh()]
        width = size
    return nn.Sequential(*layers), width


class GaussianHead(nn.Module):
    """Shared body → (μ, softplus σ)."""

    def __init__(self, inputs: int, dimensions: int, configuration: AgentConfiguration) -> None:
        super().__init__()
        self.body, width = _body(inputs, configuration)
        self.mean = nn.Linear(width, dimensions)
        self.deviation = nn.Linear(width, dimensions)

    def forward(self, states: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        features = self.body(states)
        return self.mean(features), nn.functional.softplus(self.deviation(features))


class ReinforceAgent(Agent):
    """REINFORCE on a Gymnasium environment (``env``: an environment instance, e.g. ``gymnasium.make(id)``)."""

    def __init__(self, env, agent_number: int, run_seed: int, configuration: "AgentConfiguration | None" = None) -> None:
        import gymnasium

        self.env = env
        self.agent_number = agent_number
        torch_seed, self.environment_seed = derived_seeds(run_seed, agent_number)
        self.generator = torch.Generator().manual_seed(torch_seed)
        observation = env.observation_space
        if not isinstance(observation, gymnasium.spaces.Box) or len(observation.shape) != 1:
            raise ValueError(f"agent {agent_number}: observation space {observation} is not a flat Box")
        self.observation_size = int(observation.shape[0])
        space = env.action_space
        self.discrete = isinstance(space, gymnasium.spaces.Discrete)
        if not self.discrete and not (isinstance(space, gymnasium.spaces.Box) and len(space.shape) == 1):
            raise ValueError(f"agent {agent_number}: action space {space} is neither Discrete nor a flat Box")
        table = DISCRETE_AGENTS if self.discrete else CONTINUOUS_AGENTS
        self.configuration = configuration or table[(agent_number - 1) % len(table)]
        width = int(space.n) if self.discrete else int(space.shape[0])
        self._family = DistributionFamily(FamilyKind.CATEGORICAL if self.discrete else FamilyKind.GAUSSIAN, width)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(torch_seed)
            if self.discrete:
                body, last = _body(self.observation_size, self.configuration)
                self.policy: nn.Module = nn.Sequential(body, nn.Linear(last, width))
            else:
                self.policy = GaussianHead(self.observation_size, width, self.configuration)
        rate = self.configuration.learning_rate
        if self.discrete:
            self.optimiser: torch.optim.Optimizer = torch.optim.Adam(self.policy.parameters(), lr=rate, betas=(0.9, 0.999), eps=1e-8)
            self.scheduler = torch.optim.lr_scheduler.StepLR(self.optimiser, step_size=100, gamma=0.95)
        else:
            self.optimiser = torch.optim.AdamW(self.policy.parameters(), lr=rate, weight_decay=0.01)
            self.scheduler = None
        self.episodes_played = 0

    @property
    def family(self) -> DistributionFamily:
        return self._family

    # MARK: checkpoints

    def state_dict(self) -> Dict[str, Any]:
        """Model, optimiser and scheduler states, the sampling generator's and the environment's random states and
        the episode count: after ``load_state_dict`` the agent continues exactly as if never interrupted."""
        return {
            "policy": self.policy.state_dict(),
            "optimiser": self.optimiser.state_dict(),
            "scheduler": self.scheduler.state_dict() if self.scheduler is not None else None,
            "generator": self.generator.get_state(),
            "environment": self.env.unwrapped.np_random.bit_generator.state,
            "episodes_played": self.episodes_played,
        }

    def load_state_dict(self, state: Dict[str, Any]) -> None:
        self.policy.load_state_dict(state["policy"])
        self.optimiser.load_state_dict(state["optimiser"])
        if self.scheduler is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        self.generator.set_state(state["generator"])
        self.env.unwrapped.np_random.bit_generator.state = state["environment"]
        self.episodes_played = int(state["episodes_played"])

    # MARK: acting and learning

    def train_one_episode(self) -> float:
        """Plays one episode and takes one REINFORCE step.

        The episode is played without building a graph (the policy's forward on each state, then a draw from the
        agent's own stream); the loss is then evaluated once on the whole episode, log π(a_t|s_t) for every t from
        one batched forward — the same loss and gradient as summing per-step terms, at a fraction of the cost.
        """
        first = self.episodes_played == 0
        state, _ = self.env.reset(seed=self.environment_seed if (first or not self.discrete) else None)
        states: List[torch.Tensor] = []
        actions: List[Any] = []
        rewards: List[float] = []
        done = False
        with torch.no_grad():
            while not done:
                observation = torch.as_tensor(np.asarray(state, dtype=np.float32)).unsqueeze(0)
                states.append(observation)
                if self.discrete:
                    probabilities = torch.softmax(self.policy(observation), dim=1)[0]
                    action = int(torch.multinomial(probabilities, 1, generator=self.generator))
                    actions.append(action)
                    env_action: object = action
                else:
                    mean, deviation = self.policy(observation)
                    location, scale = mean[0] + DEVIATION_OFFSET, deviation[0] + DEVIATION_OFFSET
                    sample = location + scale * torch.randn(location.shape, generator=self.generator)
                    actions.append(sample)
                    env_action = sample.numpy().astype(self.env.action_space.dtype)
                state, reward, terminated, truncated, _ = self.env.step(env_action)
                rewards.append(float(reward))
                done = terminated or truncated
        loss = self.reinforce_loss(torch.cat(states), actions, rewards)
        self.optimiser.zero_grad()
        loss.backward()
        self.optimiser.step()
        if self.scheduler is not None:
            self.scheduler.step()
        self.episodes_played += 1
        return float(sum(rewards))

    def reinforce_loss(self, states: torch.Tensor, actions: Sequence[Any], rewards: Sequence[float]) -> torch.Tensor:
        """The REINFORCE loss of one episode (see the module's description), from one forward over its states."""
        returns = np.zeros(len(rewards), dtype=np.float64)
        running = 0.0
        for step in reversed(range(len(rewards))):
            running = rewards[step] + GAMMA * running
            returns[step] = running
        dtype = next(self.policy.parameters()).dtype
        weights = torch.as_tensor(returns, dtype=torch.float32).to(dtype)
        if self.discrete:
            spread = weights.std() if len(rewards) > 1 else torch.tensor(0.0, dtype=dtype)
            weights = (weights - weights.mean()) / (spread + NORMALISATION_EPSILON)
            log_pi = torch.log_softmax(self.policy(states.to(dtype)), dim=1)
            taken = log_pi[torch.arange(len(actions)), torch.as_tensor(list(actions), dtype=torch.long)]
        else:
            mean, deviation = self.policy(states.to(dtype))
            normal = torch.distributions.Normal(mean + DEVIATION_OFFSET, deviation + DEVIATION_OFFSET)
            taken = normal.log_prob(torch.stack(list(actions)).to(dtype)).mean(dim=1)
        return -(taken * weights).sum()

    def action_distribution(self, states: np.ndarray) -> ActionDistribution:
        with torch.no_grad():
            inputs = torch.as_tensor(np.asarray(states, dtype=np.float32))
            if self.discrete:
                return Categorical(torch.softmax(self.policy(inputs), dim=1).numpy().astype(np.float32))
            mean, deviation = self.policy(inputs)
            return Gaussian(mean.numpy().astype(np.float32), deviation.numpy().astype(np.float32))

    def check_consensus_family(self, consensus: ActionDistribution) -> None:
        """Raises ``ValueError`` when ``consensus`` is not of the policy's family."""
        if self.discrete and not isinstance(consensus, Categorical):
            raise ValueError(f"agent {self.agent_number}: a categorical policy cannot digest a {type(consensus).__name__} consensus")
        if not self.discrete and not isinstance(consensus, Gaussian):
            raise ValueError(f"agent {self.agent_number}: a Gaussian policy cannot digest a {type(consensus).__name__} consensus")

    def digestion_loss(self, consensus: ActionDistribution, states: np.ndarray) -> torch.Tensor:
        """The differentiable digestion loss (see the module's description)."""
        self.check_consensus_family(consensus)
        dtype = next(self.policy.parameters()).dtype  # float32; float64 in the finite-difference tests
        inputs = torch.as_tensor(np.asarray(states), dtype=dtype)
        if self.discrete:
            target = torch.as_tensor(consensus.probabilities, dtype=dtype)
            log_pi = torch.log_softmax(self.policy(inputs), dim=1)
            return (torch.xlogy(target, target) - target * log_pi).sum() / inputs.shape[0]
        mean, deviation = self.policy(inputs)
        local = deviation + DEVIATION_OFFSET
        global_mean = torch.as_tensor(consensus.mean, dtype=dtype)
        global_deviation = torch.as_tensor(consensus.standard_deviation, dtype=dtype) + DEVIATION_OFFSET
        divergence = (torch.log(global_deviation) - torch.log(local)
                      + (local ** 2 + (mean - global_mean) ** 2) / (2 * global_deviation ** 2) - 0.5)
        return divergence.mean()

    def squared_error_loss(self, consensus: ActionDistribution, states: np.ndarray) -> torch.Tensor:
        """DPA-FedRL's differentiable digestion loss: Σ_s Σ_a (π(a|s) − p̄(a|s))² (categorical) or
        Σ_{s,d} (μ − μ̄)² + (σ − σ̄)² (Gaussian, σ without the 1e-6 offset), as the Swift agents compute it."""
        self.check_consensus_family(consensus)
        dtype = next(self.policy.parameters()).dtype
        inputs = torch.as_tensor(np.asarray(states), dtype=dtype)
        if self.discrete:
            target = torch.as_tensor(consensus.probabilities, dtype=dtype)
            return ((torch.softmax(self.policy(inputs), dim=1) - target) ** 2).sum()
        mean, deviation = self.policy(inputs)
        global_mean = torch.as_tensor(consensus.mean, dtype=dtype)
        global_deviation = torch.as_tensor(consensus.standard_deviation, dtype=dtype)
        return ((mean - global_mean) ** 2).sum() + ((deviation - global_deviation) ** 2).sum()

    def step_on(self, loss: torch.Tensor) -> float:
        """One step of the agent's own optimiser on ``loss`` (the scheduler is not stepped); returns the loss."""
        self.optimiser.zero_grad()
        loss.backward()
        self.optimiser.step()
        return float(loss.detach())

    def digest(self, consensus: ActionDistribution, states: np.ndarray) -> float:
        return self.step_on(self.digestion_loss(consensus, states))

    def digest_squared_error(self, consensus: ActionDistribution, states: np.ndarray) -> float:
        return self.step_on(self.squared_error_loss(consensus, states))
