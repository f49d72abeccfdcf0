"""Tests of fedhpd_client.policy on its own (run: python3 -m unittest discover -s python/tests -t python)."""

import json
import os
import tempfile
import unittest

import torch
from safetensors.torch import save_file

from fedhpd_client.policy import (CategoricalPolicy, GaussianPolicy, PolicyFileError, build_policy, load_policy,
                                  policy_metadata, save_policy)


class PolicyModuleTests(unittest.TestCase):
    def test_names_follow_the_engines_sequential_indices(self):
        policy = CategoricalPolicy(4, 2, [16, 8, 8], ["relu", "tanh", "relu"])
        self.assertEqual(list(policy.state_dict()), ["body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias",
                                                     "body.4.weight", "body.4.bias", "head.weight", "head.bias"])
        gaussian = GaussianPolicy(4, 1, [8], ["tanh"])
        self.assertEqual(list(gaussian.state_dict())[2:], ["mean_head.weight", "mean_head.bias", "std_head.weight", "std_head.bias"])

    def test_a_saved_policy_loads_with_the_same_weights_and_metadata(self):
        torch.manual_seed(0)
        policy = GaussianPolicy(4, 1, [16, 32], ["tanh", "relu"])
        metadata = policy_metadata(policy, "InvertedPendulum-v4", {"type": "box", "low": [-3.0], "high": [3.0]}, agent_index=2)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "agent-2.safetensors")
            save_policy(policy, path, metadata)
            loaded, read = load_policy(path)
        self.assertIsInstance(loaded, GaussianPolicy)
        self.assertEqual(read["agent_index"], "2")
        self.assertEqual(json.loads(read["activations"]), ["tanh", "relu"])
        for name, value in policy.state_dict().items():
            self.assertTrue(torch.equal(value, loaded.state_dict()[name]), name)
        states = torch.randn(5, 4)
        mean, std = loaded(states)
        self.assertTrue(torch.all(std > 0))
        self.assertTrue(torch.allclose(mean, policy(states)[0]))

    def test_a_tensor_of_another_shape_is_refused_naming_it_and_both_shapes(self):
        policy = CategoricalPolicy(4, 2, [8], ["relu"])
        metadata = policy_metadata(policy, "CartPole-v1", {"type": "discrete", "n": 2})
        tensors = dict(policy.state_dict())
        tensors["body.0.weight"] = torch.zeros(9, 4)
        tensors["body.0.bias"] = torch.zeros(9)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "agent-1.safetensors")
            save_file(tensors, path, metadata=metadata)
            with self.assertRaisesRegex(PolicyFileError, r"agent-1.safetensors: tensor body.0.weight has shape \[9, 4\], expected \[8, 4\]"):
                load_policy(path)

    def test_missing_architecture_metadata_is_refused_naming_the_key(self):
        with self.assertRaisesRegex(PolicyFileError, "metadata 'hidden_sizes' is missing"):
            build_policy({"family": "categorical", "observation_size": "4", "action_size": "2", "activations": "[]"})


if __name__ == "__main__":
    unittest.main()
