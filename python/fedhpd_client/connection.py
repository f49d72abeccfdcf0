"""One gRPC channel to the server with the token, per-call deadlines and the Swift client's retry policy:
an unreachable server (``UNAVAILABLE`` / ``DEADLINE_EXCEEDED``) is retried with backoff 0.2 s → ×1.6 → 2 s for up to
a window of seconds; a long wait (timeout ≥ 30 s, e.g. ``Finish``) that times out is simply asked again;
``UNAUTHENTICATED`` is a refusal. Any other status is the caller's to interpret."""
from __future__ import annotations

import time
from typing import Any, Callable, Optional, Sequence, Tuple

import grpc

from .errors import ConfigurationError, Refused, ServerLost
from .protocol import federation_pb2_grpc

Log = Callable[[str], None]

#: The largest message the client accepts or sends (bytes), as in the Swift client.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


def seconds(value: float) -> str:
    """``12 s`` / ``2.5 s``, as the Swift logs print durations."""
    return f"{value:g} s"


def parse_server(server: str) -> Tuple[str, int]:
    """``HOST:PORT`` (IPv6 as ``[::1]:PORT``) → (host, port); raises ``ConfigurationError`` naming the value."""
    host, separator, port_text = server.rpartition(":")
    if not separator or not host or not port_text.isdigit() or not 0 < int(port_text) < 65_536:
        raise ConfigurationError(f"--server '{server}': expected HOST:PORT with a port in 1...65535")
    return host, int(port_text)


class Connection:
    """A channel and stub to ``server`` (``HOST:PORT``), plaintext or TLS (``tls`` = True for the system's roots, or the
    path of a PEM file of CA certificates), with ``authorization: Bearer TOKEN`` on every call when a token is given."""

    def __init__(self, server: str, token: Optional[str], tls: "bool | str | None", log: Log) -> None:
        host, port = parse_server(server)
        self.address = server
        self.log = log
        target = f"{'127.0.0.1' if host == 'localhost' else host}:{port}"
        options = [
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            # Reconnect quickly: the retry loop bounds how long the client keeps trying.
            ("grpc.initial_reconnect_backoff_ms", 200),
            ("grpc.max_reconnect_backoff_ms", 2000),
        ]
        if tls:
            roots = None
            if isinstance(tls, str):
                try:
                    with open(tls, "rb") as file:
                        roots = file.read()
                except OSError as error:
                    raise ConfigurationError(f"--tls-ca '{tls}': cannot be read: {error}") from error
            self.channel = grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=roots), options)
        else:
            self.channel = grpc.insecure_channel(target, options)
        self.stub = federation_pb2_grpc.FederationStub(self.channel)
        self.metadata: Sequence[Tuple[str, str]] = (("authorization", f"Bearer {token}"),) if token else ()

    def close(self) -> None:
        self.channel.close()

    def call(self, name: str, request: object, timeout: float, window: float, first_contact: bool = False,
             always_ask_again: bool = False) -> Any:
        """Calls ``name`` until it succeeds; an unreachable server is retried for up to ``window`` seconds, then
        ``ServerLost``. A call that times out is asked again without counting when ``timeout`` ≥ 30 s or
        ``always_ask_again`` (``Submit``: the server holds it until the part is aggregated). ``UNAUTHENTICATED``
        raises ``Refused``; other statuses propagate as ``grpc.RpcError``."""
        method = getattr(self.stub, name)
        backoff = Backoff(self, name, window, first_contact)
        while True:
            try:
                result = method(request, timeout=timeout, metadata=self.metadata, wait_for_ready=False)
                if backoff.attempts > 0:
                    self.log(f"connected to {self.address}" if first_contact else f"{name}: the server at {self.address} answers again")
                return result
            except grpc.RpcError as error:
                code = error.code()
                message = error.details() or ""
                if code == grpc.StatusCode.DEADLINE_EXCEEDED and (timeout >= 30 or always_ask_again):
                    self.log(f"{name}: no answer within {seconds(timeout)} — the server is still waiting for other clients; asking again")
                    continue
                if code == grpc.StatusCode.UNAUTHENTICATED:
                    raise Refused(f"the server at {self.address} refused this client: {message}") from None
                if code not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED) or window <= 0:
                    raise
                backoff.wait(message)


class Backoff:
    """The retry schedule of one call: 0.2 s, then ×1.6 up to 2 s, for at most ``window`` seconds counted from the
    first failure (from the start of the call for the first contact)."""

    def __init__(self, connection: Connection, name: str, window: float, first_contact: bool) -> None:
        self.connection, self.name, self.window, self.first_contact = connection, name, window, first_contact
        self.start = time.monotonic()
        self.delay = 0.2
        self.attempts = 0

    def wait(self, message: str) -> None:
        """Sleeps before the next attempt, or raises ``ServerLost`` when that would pass the window."""
        address = self.connection.address
        if self.attempts == 0 and not self.first_contact:
            self.start = time.monotonic()
        self.attempts += 1
        waited = time.monotonic() - self.start
        if waited + self.delay > self.window:
            raise ServerLost(
                f"no server at {address}: {self.attempts} attempts over {seconds(round(waited))} failed ({message}). "
                "Is `fedhpd serve` running there (with TLS: --tls or --tls-ca)?"
                if self.first_contact
                else f"lost the server at {address}: {self.name} failed {self.attempts} times over {seconds(round(waited))} "
                f"({message}); giving up")
        if self.attempts == 1:
            self.connection.log(
                f"no server at {address} yet ({message}); retrying for up to {seconds(self.window)}"
                if self.first_contact
                else f"{self.name}: the server at {address} does not answer ({message}); retrying for up to {seconds(self.window)}")
        time.sleep(self.delay)
        self.delay = min(self.delay * 1.6, 2.0)
