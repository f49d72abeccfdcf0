"""``python -m fedhpd_client``: ``join`` a federation with reference PyTorch agents on a Gymnasium task, or build a
``public-states`` CSV for one. Bad input and every failure exit 1 with a message naming what and where."""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from typing import Dict, List, Optional

from .errors import ConfigurationError, FederationError


def parse_places(text: str) -> List[int]:
    """``6-10`` or ``6,8,9-10`` → 1-based agent numbers."""
    numbers: List[int] = []
    for piece in text.split(","):
        low, _, high = piece.partition("-")
        if not low.strip().isdigit() or (high and not high.strip().isdigit()):
            raise ConfigurationError(f"--places '{text}': expected 1-based numbers and ranges such as 6-10 or 2,4,6-8")
        first, last = int(low), int(high or low)
        if first < 1 or last < first:
            raise ConfigurationError(f"--places '{text}': '{piece}' is not a range of 1-based agent numbers")
        numbers.extend(range(first, last + 1))
    if len(set(numbers)) != len(numbers):
        raise ConfigurationError(f"--places '{text}': an agent is listed twice")
    return numbers


def run_join(arguments: argparse.Namespace) -> int:
    import gymnasium
    import torch

    from .federation import join
    from .reinforce import ReinforceAgent

    if arguments.agents < 1:
        raise ConfigurationError(f"--agents {arguments.agents}: must be at least 1")
    if arguments.places and arguments.first_agent is not None:
        raise ConfigurationError("give --places or --first-agent, not both")
    places: Optional[List[int]] = None  # None: the server assigns the places
    if arguments.places:
        places = parse_places(arguments.places)
    elif arguments.first_agent is not None:
        if arguments.first_agent < 1:
            raise ConfigurationError(f"--first-agent {arguments.first_agent}: places are 1-based")
        places = list(range(arguments.first_agent, arguments.first_agent + arguments.agents))
    if places is not None and len(places) != arguments.agents:
        raise ConfigurationError(f"--places '{arguments.places}' names {len(places)} agents, --agents says {arguments.agents}")
    torch.set_num_threads(1)  # results must not depend on the machine's core count
    agents: Dict[int, ReinforceAgent] = {}

    def make_agent(number: int) -> ReinforceAgent:
        """Agent ``number`` (1-based place) on its own instance of the task, seeded from (run seed, number)."""
        try:
            environment = gymnasium.make(arguments.gym)
        except gymnasium.error.Error as error:
            raise ConfigurationError(f"--gym '{arguments.gym}': {error}") from None
        agents[number] = ReinforceAgent(environment, number, arguments.seed)
        return agents[number]

    for number in places or []:
        make_agent(number)
    # The task's sizes (and a check of --gym before contacting the server): a probe agent when the server assigns places.
    first = agents[places[0]] if places else make_agent(1)
    if places is None:
        agents.clear()
    token = arguments.token
    if arguments.token_file:
        try:
            with open(arguments.token_file) as file:
                token = file.read().strip()
        except OSError as error:
            raise ConfigurationError(f"--token-file '{arguments.token_file}': cannot be read: {error}") from None
    if arguments.resume and not arguments.out:
        raise ConfigurationError("--resume needs the --out of the interrupted client (its checkpoints are there)")
    if arguments.checkpoint_every < 0:
        raise ConfigurationError(f"--checkpoint-every {arguments.checkpoint_every}: must be 0 (none) or positive")
    from .checkpoint import folder_for

    checkpoints = folder_for(arguments.out, places, arguments.agents) if arguments.out else None
    report = join(
        arguments.server, agents if places is not None else make_agent, environment=arguments.gym,
        observation_size=first.observation_size, action_family=first.family, run_seed=arguments.seed, token=token,
        tls=arguments.tls_ca or arguments.tls, name=arguments.name, connect_timeout=arguments.connect_timeout,
        retry_timeout=arguments.retry_timeout, places=0 if places is not None else arguments.agents,
        configuration_fingerprint=arguments.run_fingerprint, checkpoint_dir=checkpoints,
        checkpoint_every=arguments.checkpoint_every, resume=arguments.resume)
    if arguments.out:
        folder = os.path.join(arguments.out, os.path.basename(report.run_folder.rstrip("/")), "policies")
        os.makedirs(folder, exist_ok=True)
        for number, agent in agents.items():
            torch.save(agent.policy.state_dict(), os.path.join(folder, f"agent-{number}.pt"))
        # The run is complete and the policies are kept: the client's checkpoints have served their purpose.
        shutil.rmtree(checkpoints, ignore_errors=True)
    print(f"run complete: {report.run_folder}; {report.missed_digestions} missed digestions by this client's agents"
          + (f"; exclusions: {len(report.exclusions)}" if report.exclusions else ""))
    return 0


def run_public_states(arguments: argparse.Namespace) -> int:
    from .public_states import build, write_csv

    try:
        states = build(arguments.gym, arguments.count, seed=arguments.seed, rollouts=arguments.rollouts,
                       selection=arguments.selection, pool=arguments.pool, components=arguments.components,
                       clusters=arguments.clusters, training_episodes=arguments.training_episodes)
    except ValueError as error:
        raise ConfigurationError(str(error)) from None
    write_csv(states, arguments.out)
    print(f"wrote {states.shape[0]} × {states.shape[1]} public states of {arguments.gym} to {arguments.out}")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m fedhpd_client", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    joining = commands.add_parser("join", help="host reference PyTorch agents in a `fedhpd serve` run")
    joining.add_argument("--server", default="127.0.0.1:50051", help="HOST:PORT of `fedhpd serve`")
    joining.add_argument("--gym", required=True, help="Gymnasium environment id (must be the server's --env)")
    joining.add_argument("--agents", type=int, required=True, help="how many agents this client hosts")
    joining.add_argument("--first-agent", type=int,
                         help="1-based place of the first hosted agent in the server's roster (the others follow); "
                              "default: the server assigns the next free places")
    joining.add_argument("--places", help="explicit 1-based places, e.g. 6-10 (instead of --first-agent)")
    joining.add_argument("--run-fingerprint", help="join only the run with this configuration fingerprint (fedhpd serve logs it)")
    joining.add_argument("--seed", type=int, default=20, help="the run seed (must match the server's)")
    joining.add_argument("--token", help="the federation's shared secret")
    joining.add_argument("--token-file", help="read the shared secret from this file")
    joining.add_argument("--tls", action="store_true", help="connect with TLS (system trust roots)")
    joining.add_argument("--tls-ca", help="PEM file of CA certificates to trust (implies --tls)")
    joining.add_argument("--name", help="a name for the server's logs (default: host-pid)")
    joining.add_argument("--connect-timeout", type=float, default=60.0, help="seconds to retry the first connection")
    joining.add_argument("--retry-timeout", type=float, default=60.0, help="seconds to retry a lost server")
    joining.add_argument("--out", help="keep the trained policies (PyTorch state dicts) under OUT/<run name>/policies/ "
                                       "and the client's checkpoints under OUT/client-checkpoints/")
    joining.add_argument("--checkpoint-every", type=int, default=1,
                         help="with --out: checkpoint the agents every N episodes (0: never; the last episode always)")
    joining.add_argument("--resume", action="store_true",
                         help="continue after this client was killed: restore the agents from their newest checkpoint "
                              "under --out and rejoin the run with the session the server gave them")
    joining.set_defaults(run=run_join)
    states = commands.add_parser("public-states", help="build a public state set CSV for a Gymnasium task")
    states.add_argument("--gym", required=True, help="Gymnasium environment id")
    states.add_argument("--count", type=int, required=True, help="number of states")
    states.add_argument("--out", required=True, help="CSV file to write")
    states.add_argument("--selection", choices=["random", "cluster"], default="random",
                        help="uniform draw, or PCA + k-means equal draws (the reference recipe)")
    states.add_argument("--rollouts", choices=["random", "policy"], default="random",
                        help="random actions, or greedy rollouts of a briefly trained virtual agent")
    states.add_argument("--pool", type=int, help="states collected before selecting (default 4 × count)")
    states.add_argument("--components", type=int, default=2, help="PCA components (cluster selection)")
    states.add_argument("--clusters", type=int, default=5, help="k-means clusters (cluster selection)")
    states.add_argument("--training-episodes", type=int, default=200, help="virtual agent's training (policy rollouts)")
    states.add_argument("--seed", type=int, default=20, help="seed of rollouts and selection")
    states.set_defaults(run=run_public_states)
    return main


def main(argv: Optional[List[str]] = None) -> int:
    arguments = parser().parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s fedhpd_client: %(message)s",
                        datefmt="%H:%M:%S")
    try:
        return arguments.run(arguments)
    except FederationError as error:
        print(f"fedhpd_client: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("fedhpd_client: interrupted", file=sys.stderr)
        return 130
