"""One distillation event on the client: for each loop and part, every hosted agent's distributions are submitted
concurrently (each call is answered when the server has aggregated the part) and each agent digests the consensus it
gets back. The outcomes are handled exactly as the Swift client handles them. A DPA-FedRL server's rounds are on the
state of its own environment (``round_states``), digested with the squared error."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, List, Optional, Sequence

import grpc
import numpy as np

from . import wire
from .distributions import ActionDistribution
from .errors import FederationError, RunFailed
from .protocol import federation_pb2 as pb

if TYPE_CHECKING:
    from .federation import Session

#: Statuses meaning "the server refused this upload" (the agent is left out of the part, the run goes on).
REJECTIONS = (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.PERMISSION_DENIED)


def distillation_event(session: "Session", parts: Sequence[np.ndarray], episode: int) -> List[pb.DigestionLoss]:
    """Runs the event after ``episode``; returns the digestion losses of the agents that digested.

    FedHPD (the schedule's ``state_source`` is ``PUBLIC_STATES``): every loop and part of the public states, digested
    with ``agent.digest`` (the KL divergence). DPA-FedRL (``SERVER_STATE``, digestion ``SQUARED_ERROR``): one round per
    event on the state the server's environment is in (``GetRoundStates``), digested with
    ``agent.digest_squared_error``."""
    server_states = uses_server_states(session.schedule)
    losses: List[pb.DigestionLoss] = []
    for loop in range(1, session.schedule.loops + 1):
        for part_index, public_part in enumerate(parts):
            part_number = part_index + 1
            part = round_states(session, episode, loop, part_number) if server_states else public_part
            distributions = [agent.action_distribution(part) for agent in session.agents]
            consensus = submit_all(session, distributions, episode, loop, part_number)
            for number, agent, target in zip(session.numbers, session.agents, consensus):
                if target is None:
                    continue
                if session.schedule.digestion == pb.Schedule.SQUARED_ERROR:
                    loss = float(agent.digest_squared_error(target, part))
                else:
                    loss = float(agent.digest(target, part))
                session.losses[number].append((episode, loop, part_number, loss))
                losses.append(pb.DigestionLoss(agent_index=number - 1, episode=episode, loop=loop, part=part_number, loss=loss))
    return losses


def uses_server_states(schedule: pb.Schedule) -> bool:
    """Whether the rounds' states come from the server's environment (DPA-FedRL: 1 loop × 1 part) instead of the
    public state set; raises ``RunFailed`` for a schedule this client does not understand."""
    if schedule.digestion not in (pb.Schedule.KL_DIVERGENCE, pb.Schedule.SQUARED_ERROR):
        raise RunFailed(f"the server asks for digestion loss {schedule.digestion}, which this client does not know (update it)")
    if schedule.state_source == pb.Schedule.PUBLIC_STATES:
        return False
    if schedule.state_source != pb.Schedule.SERVER_STATE:
        raise RunFailed(f"the server's rounds take their states from source {schedule.state_source}, which this client "
                        "does not know (update it)")
    if schedule.loops != 1 or schedule.part_count != 1:
        raise RunFailed("the server sent an invalid schedule: rounds on the server's state need 1 loop × 1 part, got "
                        f"{schedule.loops} × {schedule.part_count}")
    return True


def round_states(session: "Session", episode: int, loop: int, part: int) -> np.ndarray:
    """The server environment's states for one DPA-FedRL round (answered once every earlier round has closed),
    checked by ``wire.accepted_round_states``."""
    request = pb.RoundStatesRequest(session_id=session.session_id, episode=episode, loop=loop, part=part)
    label = f"episode {episode} loop {loop} part {part}"
    try:
        response = session.connection.call("GetRoundStates", request, timeout=session.deadline + 30,
                                           window=session.retry_timeout, always_ask_again=True)
    except grpc.RpcError as error:
        raise RunFailed(f"GetRoundStates for {label}: {error.code().name}: {error.details()}") from None
    try:
        return wire.accepted_round_states(response, session.observation_size)
    except RunFailed as error:
        raise RunFailed(f"the server sent malformed states for {label}: {error}") from None


def submit_all(session: "Session", distributions: Sequence[ActionDistribution], episode: int, loop: int,
               part: int) -> List[Optional[ActionDistribution]]:
    """Submits every hosted agent's distributions on one part; returns each agent's consensus, or None when it must
    not digest (rejected, late, no quorum)."""
    requests = []
    limit = session.schedule.max_message_bytes
    for number, distribution in zip(session.numbers, distributions):
        request = pb.SubmitRequest(session_id=session.session_id, agent_index=number - 1, episode=episode, loop=loop,
                                   part=part, distribution=wire.distribution_message(distribution))
        size = request.ByteSize()
        if limit > 0 and size > limit:
            # An honest client does not send what the server's transport would refuse.
            raise RunFailed(f"agent {number}'s distributions on a part take {size} bytes, over the server's "
                            f"--max-message-bytes {limit}; use a smaller --part-size or a larger limit")
        requests.append(request)
    label = f"episode {episode} loop {loop} part {part}"
    timeout = session.deadline + 30

    def send(request: pb.SubmitRequest) -> object:
        try:
            return session.connection.call("Submit", request, timeout=timeout, window=session.retry_timeout, always_ask_again=True)
        except (grpc.RpcError, FederationError) as error:
            return error

    with ThreadPoolExecutor(max_workers=len(requests), thread_name_prefix="fedhpd-submit") as pool:
        outcomes = list(pool.map(send, requests))
    consensus: List[Optional[ActionDistribution]] = []
    for number, outcome in zip(session.numbers, outcomes):
        if isinstance(outcome, FederationError):
            raise outcome
        if isinstance(outcome, grpc.RpcError):
            code, message = outcome.code(), outcome.details()
            if code in REJECTIONS:
                session.log(f"agent {number}, {label}: the server rejected the upload ({code.name}): {message}")
                consensus.append(None)
                continue
            raise RunFailed(f"agent {number}, {label}: {code.name}: {message}")
        if outcome.outcome == pb.SubmitResponse.INCLUDED:
            try:
                consensus.append(wire.distribution(outcome.consensus))
            except RunFailed as error:
                raise RunFailed(f"the server sent a malformed consensus for {label}: {error}") from None
        elif outcome.outcome == pb.SubmitResponse.LATE:
            session.log(f"agent {number}, {label}: late — {outcome.note}; it does not digest this part")
            consensus.append(None)
        else:
            session.log(f"agent {number}, {label}: {outcome.note or 'no consensus'}; it does not digest this part")
            consensus.append(None)
    session.missed_digestions += sum(1 for target in consensus if target is None)
    return consensus
