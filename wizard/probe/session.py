"""What the three protocol clients share: capabilities and the session interface."""

from __future__ import annotations

from dataclasses import dataclass

from wizard.model import Protocol
from wizard.probe.conn import Connection
from wizard.probe.sasl import Credentials

MAX_RESPONSE_LINES = 1000


@dataclass(frozen=True)
class Capabilities:
    """What the server said it can do."""

    items: tuple[str, ...] = ()
    mechanisms: tuple[str, ...] = ()  # SASL mechanisms, upper case
    starttls: bool = False
    plain_login: bool = False  # a non-SASL login (IMAP LOGIN, POP3 USER/PASS) is allowed


class Session:
    """A conversation with one server; subclasses speak IMAP, POP3 or SMTP."""

    protocol: Protocol

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.caps = Capabilities()

    def greet(self) -> None:
        raise NotImplementedError

    def capabilities(self) -> Capabilities:
        raise NotImplementedError

    def starttls(self) -> None:
        """Ask for TLS; the caller then runs the handshake."""
        raise NotImplementedError

    def authenticate(self, mechanism: str, username: str, credentials: Credentials) -> None:
        """Sign in with a SASL mechanism; raises ProbeFailure("auth-failed") if refused."""
        raise NotImplementedError

    def login(self, username: str, password: str) -> None:
        """Sign in without SASL (IMAP LOGIN, POP3 USER/PASS)."""
        raise NotImplementedError

    def quit(self) -> None:
        """Say goodbye politely; errors are ignored (the check is over)."""
        raise NotImplementedError

    def close(self) -> None:
        self.conn.close()
