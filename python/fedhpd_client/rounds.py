"""One distillation event on the client: for each loop and part, every hosted agent's distributions are submitted
concurrently (each call is answered when the server has aggregated the part) and each agent digests the consensus it
gets back. The outcomes are handled exactly as the Swift client handles them."""
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
    """Runs the event after ``episode``; returns the digestion losses of the agents that digested."""
    losses: List[pb.DigestionLoss] = []
    for loop in range(1, session.schedule.loops + 1):
        for part_index, part in enumerate(parts):
            distributions = [agent.action_distribution(part) for agent in session.agents]
            consensus = submit_all(session, distributions, episode, loop, part_index + 1)
            for number, agent, target in zip(session.numbers, session.agents, consensus):
                if target is None:
                    continue
                loss = float(agent.digest(target, part))
                session.losses[number].append((episode, loop, part_index + 1, loss))
                losses.append(pb.DigestionLoss(agent_index=number - 1, episode=episode, loop=loop, part=part_index + 1, loss=loss))
    return losses


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
