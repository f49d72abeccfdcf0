"""FedHPD-Swift's Python side: policy files as PyTorch modules (``fedhpd_client.policy``)."""
