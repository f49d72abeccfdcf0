"""The errors of the Python client, with the same meaning (and messages) as the Swift client's ``NetworkError``."""
from __future__ import annotations


class FederationError(Exception):
    """Base class: every failure of ``join`` is one of the subclasses below, its message naming what and where."""


class ConfigurationError(FederationError):
    """Bad input on this side (agents, server address, flags): nothing was sent."""


class ServerLost(FederationError):
    """The server did not answer within the retry window (first contact: ``--connect-timeout``; later: ``--retry-timeout``)."""


class Refused(FederationError):
    """The server refused this client (wrong token, registration refused: environment, seed, places, family)."""


class RunFailed(FederationError):
    """The run could not complete (the server failed, sent malformed data, or an agent's upload cannot be sent)."""
