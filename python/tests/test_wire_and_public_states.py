"""Wire conversions (shapes checked, named) and the public-state helper (CSV layout, selection)."""
from __future__ import annotations

import os
import tempfile
import unittest

import numpy as np

from fedhpd_client import public_states, wire
from fedhpd_client.distributions import Categorical, Gaussian
from fedhpd_client.errors import RunFailed
from fedhpd_client.protocol import federation_pb2 as pb


class WireTests(unittest.TestCase):
    def test_distributions_round_trip(self) -> None:
        probabilities = np.array([[0.25, 0.75], [0.5, 0.5], [1.0, 0.0]], np.float32)
        back = wire.distribution(wire.distribution_message(Categorical(probabilities)))
        np.testing.assert_array_equal(back.probabilities, probabilities)
        gaussian = Gaussian(np.ones((2, 3), np.float32), np.full((2, 3), 0.5, np.float32))
        back = wire.distribution(wire.distribution_message(gaussian))
        np.testing.assert_array_equal(back.mean, gaussian.mean)
        np.testing.assert_array_equal(back.standard_deviation, gaussian.standard_deviation)

    def test_malformed_matrices_name_the_field(self) -> None:
        with self.assertRaisesRegex(RunFailed, r"probabilities: 3 values for shape 2 × 2 \(expected 4\)"):
            wire.distribution(pb.ActionDistribution(categorical=pb.ActionDistribution.Categorical(
                probabilities=pb.PackedMatrix(rows=2, columns=2, values=[0.5, 0.5, 1.0]))))
        with self.assertRaisesRegex(RunFailed, "mean: shape 0 × 1"):
            wire.distribution(pb.ActionDistribution(gaussian=pb.ActionDistribution.Gaussian(
                mean=pb.PackedMatrix(rows=0, columns=1))))
        with self.assertRaisesRegex(RunFailed, "no distribution"):
            wire.distribution(pb.ActionDistribution())

    def test_round_states_are_accepted_only_with_the_observation_size_and_finite_values(self) -> None:
        def response(columns: int, values) -> pb.RoundStatesResponse:
            return pb.RoundStatesResponse(states=pb.PackedMatrix(rows=1, columns=columns, values=values))
        np.testing.assert_array_equal(wire.accepted_round_states(response(4, [0.1, -0.2, 0.3, 0.0]), 4),
                                      np.array([[0.1, -0.2, 0.3, 0.0]], np.float32))
        with self.assertRaisesRegex(RunFailed, "round states: 3 columns, expected the observation size 4"):
            wire.accepted_round_states(response(3, [0.1, 0.2, 0.3]), 4)
        with self.assertRaisesRegex(RunFailed, "round states: a value is not finite"):
            wire.accepted_round_states(response(4, [0.1, float("nan"), 0.3, 0.0]), 4)
        with self.assertRaisesRegex(RunFailed, r"round states: 3 values for shape 1 × 4"):
            wire.accepted_round_states(response(4, [0.1, 0.2, 0.3]), 4)

    def test_checksum_is_fnv1a_of_the_little_endian_float32_bytes(self) -> None:
        self.assertEqual(wire.checksum(np.zeros((0, 1), np.float32)), "cbf29ce484222325")  # the FNV-1a offset basis
        # One byte by hand: 1.0f = 00 00 80 3f (little endian).
        value = 0xCBF29CE484222325
        for byte in (0x00, 0x00, 0x80, 0x3F):
            value = ((value ^ byte) * 0x100000001B3) % 2 ** 64
        self.assertEqual(wire.checksum(np.ones((1, 1), np.float32)), f"{value:016x}")


class PublicStateTests(unittest.TestCase):
    def test_random_selection_writes_the_csv_layout_fedhpd_reads(self) -> None:
        states = public_states.build("CartPole-v1", 200, seed=3)
        self.assertEqual(states.shape, (200, 4))
        path = os.path.join(tempfile.mkdtemp(), "states.csv")
        public_states.write_csv(states, path)
        lines = open(path).read().splitlines()
        self.assertEqual(lines[0], "s0,s1,s2,s3")
        self.assertEqual(len(lines), 201)
        np.testing.assert_array_equal(np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32), states)
        np.testing.assert_array_equal(public_states.build("CartPole-v1", 200, seed=3), states)  # seeded

    def test_cluster_selection_takes_equal_draws_cluster_by_cluster(self) -> None:
        rng = np.random.default_rng(0)
        centres = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], np.float32)
        pool = np.concatenate([centre + rng.normal(scale=0.1, size=(size, 2)).astype(np.float32)
                               for centre, size in zip(centres, [100, 300, 50, 200])])
        chosen = public_states.select(pool, 160, "cluster", seed=1, components=2, clusters=4)
        self.assertEqual(len(chosen), 160)
        nearest = np.argmin(((chosen[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
        self.assertEqual(sorted(np.bincount(nearest, minlength=4).tolist()), [40, 40, 40, 40])
        # Written cluster by cluster: each cluster's states are contiguous.
        self.assertEqual(len([i for i in range(1, 160) if nearest[i] != nearest[i - 1]]), 3)

    def test_small_clusters_are_filled_up_from_the_largest(self) -> None:
        rng = np.random.default_rng(1)
        pool = np.concatenate([rng.normal(size=(10, 2)), 50 + rng.normal(size=(300, 2))]).astype(np.float32)
        chosen = public_states.select(pool, 100, "cluster", seed=2, components=2, clusters=2)
        self.assertEqual(len(chosen), 100)
        self.assertEqual(int((chosen[:, 0] < 25).sum()), 10)  # all of the small cluster, the rest from the large one

    def test_bad_requests_are_refused_with_the_reason(self) -> None:
        with self.assertRaisesRegex(ValueError, "only 5 states collected, 10 asked for"):
            public_states.select(np.zeros((5, 2), np.float32), 10, "random", seed=0)
        with self.assertRaisesRegex(ValueError, "--selection 'median'"):
            public_states.select(np.zeros((5, 2), np.float32), 2, "median", seed=0)
        with self.assertRaisesRegex(ValueError, "--count 0"):
            public_states.build("CartPole-v1", 0)


if __name__ == "__main__":
    unittest.main()
