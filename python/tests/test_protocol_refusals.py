"""End to end against the real Swift server, speaking the protocol directly: calls about agents the session does not
host (Submit, Report), an unknown session, and a registration for an agent id outside the run are refused with the
reason, which the server logs too."""
from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

import grpc
import numpy as np

from fedhpd_client import wire
from fedhpd_client.distributions import Categorical, DistributionFamily, FamilyKind
from fedhpd_client.protocol import federation_pb2 as pb
from fedhpd_client.protocol import federation_pb2_grpc

from .fedhpd_processes import Serve, require_binary, wait_for

FAMILY = wire.family_message(DistributionFamily(FamilyKind.CATEGORICAL, 2))


def registration(*places: int) -> pb.RegisterRequest:
    return pb.RegisterRequest(
        client_name="raw", environment="CartPole-v1", observation_size=4, action_shape=FAMILY, run_seed=20,
        agents=[pb.AgentRegistration(agent_index=place - 1, family=FAMILY) for place in places])


class ProtocolRefusalTests(unittest.TestCase):
    def test_calls_about_agents_a_session_does_not_host_are_refused_and_logged(self) -> None:
        binary = require_binary(self)
        folder = Path(tempfile.mkdtemp(prefix="fedhpd-refusals-"))
        states = folder / "states.csv"
        states.write_text("s0,s1,s2,s3\n" + "".join(f"{i / 100},0,0,0\n" for i in range(100)))
        server = Serve(binary, folder, ["--env", "CartPole-v1", "--agents-expected", "2", "--agents", "undisclosed",
                                        "--interval", "5", "--episodes", "5", "--public-states", str(states), "--part-size", "100"])
        channel = grpc.insecure_channel(server.address)
        try:
            stub = federation_pb2_grpc.FederationStub(channel)
            with self.assertRaises(grpc.RpcError) as outside:
                stub.Register(registration(3), timeout=10)
            self.assertEqual(outside.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
            self.assertIn("agent 3 is out of range: the run has 2 agents", outside.exception.details())
            first = stub.Register(registration(1), timeout=10).session_id
            second = stub.Register(registration(2), timeout=10).session_id
            self.assertTrue(stub.WaitForStart(pb.WaitForStartRequest(session_id=first), timeout=10).started)
            uniform = wire.distribution_message(Categorical(np.full((100, 2), 0.5, dtype=np.float32)))
            refusals = {
                "Submit": lambda: stub.Submit(pb.SubmitRequest(session_id=first, agent_index=1, episode=5, loop=1, part=1,
                                                               distribution=uniform), timeout=10),
                "Report": lambda: stub.Report(pb.ReportRequest(session_id=first, returns=[
                    pb.EpisodeReturn(agent_index=1, episode=1, value=10.0)]), timeout=10),
            }
            for method, call in refusals.items():
                with self.subTest(method=method), self.assertRaises(grpc.RpcError) as refused:
                    call()
                self.assertEqual(refused.exception.code(), grpc.StatusCode.PERMISSION_DENIED)
                self.assertEqual(refused.exception.details(), "agent 2 is not hosted by this session")
            with self.assertRaises(grpc.RpcError) as unknown:
                stub.Heartbeat(pb.HeartbeatRequest(session_id="no-such-session"), timeout=10)
            self.assertEqual(unknown.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
            self.assertIn("unknown session 'no-such-session'", unknown.exception.details())
            self.assertTrue(second)
            wait_for(server.log_path, "unknown session 'no-such-session'", timeout=10)
        finally:
            channel.close()
            server.stop()
        log = server.log_path.read_text()
        self.assertIn("refused registration from 'raw'", log)
        self.assertIn("agent 3 is out of range", log)
        self.assertIn("refused a call to Submit from client 'raw': agent 2 is not hosted by this session", log)
        self.assertIn("refused a call to Report from client 'raw': agent 2 is not hosted by this session", log)
        self.assertIn("refused a call to Heartbeat: unknown session 'no-such-session'", log)
