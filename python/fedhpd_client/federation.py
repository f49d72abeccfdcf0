"""``join``: takes part in a FedHPD run served by ``fedhpd serve`` — the Python twin of ``fedhpd join``'s session.

The same messages in the same order as the Swift client: Register → WaitForStart (polled) → GetPublicStates; per
episode every hosted agent trains one episode and the returns are reported (in the background, in order); after
every d-th episode, for each loop and part, every agent's distributions are submitted concurrently and each agent
digests the consensus it gets back (not when rejected, late or without quorum); the event's digestion losses are
reported; Finish after the last episode. A heartbeat runs throughout.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, List, Mapping, Optional, Sequence, Union

import grpc
import numpy as np

from . import checkpoint, wire
from .agent import Agent
from .connection import Connection, Log, seconds
from .distributions import DistributionFamily
from .errors import ConfigurationError, Refused, RunFailed
from .protocol import federation_pb2 as pb
from .rounds import distillation_event


@dataclass
class JoinReport:
    """What ``join`` returns once the server has written the run folder."""

    run_folder: str
    exclusions: List[str]
    #: Parts where one of this client's agents did not digest (rejected, late, no quorum).
    missed_digestions: int
    #: Every hosted agent's digestion losses, ``{agent number: [(episode, loop, part, loss), …]}``.
    losses: Mapping[int, List[tuple]] = field(default_factory=dict)


def default_log(message: str) -> None:
    """The default log: ``logging.getLogger("fedhpd_client").info`` (the CLI routes it to standard error)."""
    logging.getLogger("fedhpd_client").info(message)


def agent_list(numbers: Sequence[int]) -> str:
    """``1, 3–5, 9`` for 1-based agent numbers."""
    ordered = sorted(set(numbers))
    pieces, start = [], 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        pieces.append(str(ordered[start]) if end == start else f"{ordered[start]}–{ordered[end]}")
        start = end + 1
    return ", ".join(pieces)


#: What ``join`` hosts: ``{1-based place: agent}``, or a factory ``place → agent`` for places the server assigns.
Agents = Union[Mapping[int, Agent], Callable[[int], Agent]]


def join(
    server: str,
    agents: Agents,
    *,
    environment: str,
    observation_size: int,
    action_family: DistributionFamily,
    run_seed: int,
    token: Optional[str] = None,
    tls: "bool | str | None" = None,
    name: Optional[str] = None,
    connect_timeout: float = 60.0,
    retry_timeout: float = 60.0,
    log: Log = default_log,
    places: int = 0,
    configuration_fingerprint: Optional[str] = None,
    checkpoint_dir: Optional[str] = None,
    checkpoint_every: int = 1,
    resume: bool = False,
) -> JoinReport:
    """Hosts ``agents`` in the run served at ``server`` (``HOST:PORT``) and returns once the server has written the
    run folder. ``agents`` is ``{1-based place in the server's roster: agent}``, or — with ``places=N`` — a factory
    called with each of the N places the server assigns (the lowest free ones; the server's config.json records their
    architectures as undisclosed) after registration.

    ``environment`` (the server's environment id), ``observation_size``, ``action_family`` (the task's action space as
    a distribution family) and ``run_seed`` must match the server's. ``tls``: True for the system's trust roots, or a
    PEM file of CA certificates. ``log`` receives the progress lines (the Swift client's). ``configuration_fingerprint``:
    join only the run with this fingerprint (``fedhpd serve`` logs it); another run refuses the client.

    ``checkpoint_dir``: keep the client's own checkpoint there (``checkpoint.py``) after every ``checkpoint_every``-th
    episode and the last; every agent must implement ``state_dict()``/``load_state_dict()``. ``resume=True``: instead
    of registering, restore the newest checkpoint in ``checkpoint_dir`` (the agents — or, with a factory, the places
    it names — must be the same) and re-attach to the session the server gave this client; the server takes it back
    if it has not given up on it (its ``--heartbeat-timeout`` and ``--deadline``).
    Raises ``ConfigurationError``, ``Refused``, ``ServerLost`` or ``RunFailed``.
    """
    if resume and not checkpoint_dir:
        raise ConfigurationError("resume=True needs the checkpoint_dir of the interrupted client")
    if checkpoint_every < 0:
        raise ConfigurationError(f"checkpoint_every={checkpoint_every}: must be 0 (none) or positive")
    if callable(agents):
        if places < 1:
            raise ConfigurationError(f"places={places}: an agent factory needs the number of places to ask the server for")
    else:
        if places:
            raise ConfigurationError("places= goes with an agent factory, not with agents at explicit places")
        if not agents:
            raise ConfigurationError("no agents to host")
        for number, agent in agents.items():
            if number < 1:
                raise ConfigurationError(f"agent number {number}: places in the roster are 1-based")
            check_family(number, agent, action_family)
    connection = Connection(server, token, tls, log)
    try:
        session = Session(connection, agents, log, retry_timeout)
        session.checkpoints = (checkpoint_dir, checkpoint_every) if checkpoint_dir else None
        session.observation_size = observation_size
        if resume:
            session.restore(checkpoint.newest(checkpoint_dir, log), action_family)
        else:
            session.register(name or f"{socket.gethostname()}-{os.getpid()}", environment, observation_size,
                             action_family, run_seed, connect_timeout, places=places,
                             fingerprint=configuration_fingerprint or "")
        return session.run(resuming=resume)
    finally:
        connection.close()


def check_family(number: int, agent: Agent, family: DistributionFamily) -> None:
    """Raises ``ConfigurationError`` unless ``agent``'s policy has the task's distribution family."""
    if agent.family != family:
        raise ConfigurationError(f"agent {number}: its policy is {agent.family}, the task's actions call for {family}")


class Session:
    """The client's side of one run (see the module's description)."""

    def __init__(self, connection: Connection, agents: Agents, log: Log, retry_timeout: float) -> None:
        self.connection = connection
        self.factory = agents if callable(agents) else None
        self.numbers = [] if callable(agents) else sorted(agents)
        self.agents = [] if callable(agents) else [agents[number] for number in self.numbers]
        self.log = log
        self.retry_timeout = retry_timeout
        self.session_id = ""
        self.schedule = pb.Schedule()
        self.missed_digestions = 0
        self.losses: dict = {}
        self.stop = threading.Event()
        self.heartbeat: Optional[threading.Thread] = None
        # One worker: reports go out in the background, strictly in order.
        self.reporter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fedhpd-report")
        self.pending: List[Future] = []
        #: (folder, every N episodes) of the client's own checkpoints, or None.
        self.checkpoints: Optional[tuple] = None
        #: Episodes completed before this process (a resumed client).
        self.episodes_done = 0

    @property
    def deadline(self) -> float:
        return self.schedule.deadline_ms / 1000

    def register(self, name: str, environment: str, observation_size: int, family: DistributionFamily, run_seed: int,
                 connect_timeout: float, places: int = 0, fingerprint: str = "") -> None:
        """Registers the hosted agents (or asks for ``places`` places, then builds the agents with the factory)."""
        request = pb.RegisterRequest(
            client_name=name, environment=environment, observation_size=observation_size,
            action_shape=wire.family_message(family), run_seed=run_seed, place_count=places,
            configuration_fingerprint=fingerprint,
            agents=[pb.AgentRegistration(agent_index=number - 1, family=wire.family_message(agent.family))
                    for number, agent in zip(self.numbers, self.agents)])
        self.observation_size = observation_size
        try:
            response = self.connection.call("Register", request, timeout=10, window=connect_timeout, first_contact=True)
        except grpc.RpcError as error:
            raise Refused(f"the server at {self.connection.address} refused the registration: {error.details()}") from None
        self.session_id = response.session_id
        self.schedule = response.schedule
        if self.factory is not None:
            self.numbers = sorted(index + 1 for index in response.agent_indices)
            if len(self.numbers) != places:
                raise RunFailed(f"asked the server for {places} places, it assigned {len(self.numbers)}")
            self.agents = [self.factory(number) for number in self.numbers]
            for number, agent in zip(self.numbers, self.agents):
                check_family(number, agent, family)
        self.losses = {number: [] for number in self.numbers}
        schedule = self.schedule
        self.log(f"registered agents {agent_list(self.numbers)} with {self.connection.address}"
                 f"{' (places assigned by the server)' if places else ''}: {schedule.environment}, "
                 f"{schedule.episodes} episodes, d={schedule.interval}, {schedule.loops} loops × {schedule.part_count} parts, "
                 f"deadline {seconds(self.deadline)}, configuration {schedule.configuration_fingerprint}")
        self.start_heartbeat()

    def restore(self, saved: dict, family: DistributionFamily) -> None:
        """Takes the session, schedule, places and agents' states from a checkpoint of this client (``resume``)."""
        numbers = [int(number) for number in saved["numbers"]]
        if self.factory is not None:
            self.numbers = numbers
            self.agents = [self.factory(number) for number in numbers]
            for number, agent in zip(self.numbers, self.agents):
                check_family(number, agent, family)
        elif numbers != self.numbers:
            raise ConfigurationError(f"{saved['path']} holds agents {agent_list(numbers)}, this client hosts "
                                     f"{agent_list(self.numbers)}")
        for agent, state in zip(self.agents, saved["agents"]):
            agent.load_state_dict(state)
        self.session_id = saved["session_id"]
        self.schedule = pb.Schedule.FromString(saved["schedule"])
        self.episodes_done = int(saved["episodes_done"])
        self.missed_digestions = int(saved["missed_digestions"])
        self.losses = {int(number): list(values) for number, values in saved["losses"].items()}
        self.log(f"resuming agents {agent_list(self.numbers)} after episode {self.episodes_done} from {saved['path']}; "
                 f"re-attaching to session {self.session_id[:8]}… at {self.connection.address}")
        self.start_heartbeat()

    def save_checkpoint(self, episode: int) -> None:
        """Writes the client's checkpoint after ``episode`` once every report so far has been delivered."""
        self.raise_failed_reports(wait=True)
        folder, _ = self.checkpoints
        checkpoint.write(folder, episode, {
            "session_id": self.session_id, "schedule": self.schedule.SerializeToString(), "numbers": self.numbers,
            "episodes_done": episode, "missed_digestions": self.missed_digestions, "losses": self.losses,
            "agents": [agent.state_dict() for agent in self.agents]})

    def start_heartbeat(self) -> None:
        self.heartbeat = threading.Thread(target=self.beat, name="fedhpd-heartbeat", daemon=True)
        self.heartbeat.start()

    def beat(self) -> None:
        """Heartbeats every ``heartbeat_interval_ms`` (at least 100 ms) until the session ends; failures are ignored."""
        interval = max(100, self.schedule.heartbeat_interval_ms) / 1000
        request = pb.HeartbeatRequest(session_id=self.session_id)
        while not self.stop.wait(interval):
            try:
                self.connection.stub.Heartbeat(request, timeout=5, metadata=self.connection.metadata)
            except grpc.RpcError:
                pass

    def run(self, resuming: bool = False) -> JoinReport:
        try:
            self.wait_for_start(resuming)
            parts = self.fetch_parts()
            return self.train(parts)
        finally:
            self.stop.set()
            # A heartbeat still inside a gRPC call when the channel closes and the interpreter exits aborts the
            # process ("terminate called without an active exception"): let it return first (its timeout is 5 s).
            if self.heartbeat is not None:
                self.heartbeat.join(timeout=6)
            self.reporter.shutdown(wait=False, cancel_futures=True)

    def wait_for_start(self, resuming: bool = False) -> None:
        """Waits until the run has started; a resumed client's first call re-attaches it to its session."""
        request = pb.WaitForStartRequest(session_id=self.session_id)
        last_log = time.monotonic()
        while True:
            try:
                response = self.connection.call("WaitForStart", request, timeout=15, window=self.retry_timeout)
            except grpc.RpcError as error:
                if resuming:
                    raise Refused(f"the server at {self.connection.address} does not take this client back (session "
                                  f"{self.session_id[:8]}… from its checkpoint): {error.details()}") from None
                raise RunFailed(f"the server gave up before the start: {error.details()}") from None
            if response.started:
                return
            if time.monotonic() - last_log >= 10:
                last_log = time.monotonic()
                missing = agent_list([index + 1 for index in response.missing_agents])
                self.log(f"waiting for the run to start: agents {missing} not registered yet")

    def fetch_parts(self) -> List[np.ndarray]:
        request = pb.PublicStatesRequest(session_id=self.session_id)
        response = self.connection.call("GetPublicStates", request, timeout=30, window=self.retry_timeout)
        try:
            states = wire.array(response.states, "public states")
        except RunFailed as error:
            raise RunFailed(f"the server sent malformed public states: {error}") from None
        if states.shape[1] != self.observation_size or response.part_size == 0:
            raise RunFailed(f"the server's public states have {states.shape[1]} columns, expected {self.observation_size}")
        checksum = wire.checksum(states)
        if checksum != response.checksum:
            raise RunFailed(f"the public states arrived corrupted (checksum {checksum}, expected {response.checksum})")
        size = response.part_size
        parts = [states[start:start + size] for start in range(0, states.shape[0], size)]
        if len(parts) != self.schedule.part_count:
            raise RunFailed(f"the public states make {len(parts)} parts, the schedule says {self.schedule.part_count}")
        self.log(f"received {states.shape[0]} public states ({len(parts)} parts)")
        return parts

    def report(self, request: pb.ReportRequest) -> None:
        """Sends ``request`` in the background, after every earlier report."""
        self.raise_failed_reports()
        self.pending.append(self.reporter.submit(
            self.connection.call, "Report", request, timeout=10, window=self.retry_timeout))

    def raise_failed_reports(self, wait: bool = False) -> None:
        """Raises the first failure of a background report (``wait``: after waiting for all of them)."""
        still = []
        for future in self.pending:
            if wait or future.done():
                future.result()
            else:
                still.append(future)
        self.pending = still

    def train(self, parts: List[np.ndarray]) -> JoinReport:
        schedule = self.schedule
        start = time.monotonic()
        for episode in range(self.episodes_done + 1, schedule.episodes + 1):
            returns = [agent.train_one_episode() for agent in self.agents]
            self.report(pb.ReportRequest(session_id=self.session_id, returns=[
                pb.EpisodeReturn(agent_index=number - 1, episode=episode, value=float(value))
                for number, value in zip(self.numbers, returns)]))
            if episode == schedule.episodes:
                self.raise_failed_reports(wait=True)
            if episode % 10 == 0 or episode == schedule.episodes:
                self.log(f"episode {episode}/{schedule.episodes} ({time.monotonic() - start:.1f} s)")
            if episode % schedule.interval == 0:
                losses = distillation_event(self, parts, episode)
                self.report(pb.ReportRequest(session_id=self.session_id, losses=losses))
            if self.checkpoints and self.checkpoints[1] > 0 and (
                    episode % self.checkpoints[1] == 0 or episode == schedule.episodes):
                self.save_checkpoint(episode)
        self.raise_failed_reports(wait=True)
        self.log(f"all {schedule.episodes} episodes done; waiting for the server to write the run folder")
        try:
            response = self.connection.call("Finish", pb.FinishRequest(session_id=self.session_id),
                                            timeout=self.deadline + 60, window=self.retry_timeout)
        except grpc.RpcError as error:
            raise RunFailed(f"the server could not complete the run: {error.details()}") from None
        return JoinReport(response.run_folder, list(response.exclusions), self.missed_digestions, self.losses)
