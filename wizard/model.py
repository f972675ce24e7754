"""The settings model: frozen dataclasses shared by discovery, probing, export and the GUI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from wizard.address import Address

Protocol = Literal["imap", "pop3", "smtp"]
Security = Literal["ssl", "starttls", "plain"]
Source = Literal["builtin", "autoconfig", "ispdb", "mx", "srv", "autodiscover", "guess"]
Outcome = Literal["ok", "not-found", "invalid", "error", "timeout", "skipped"]

PROTOCOLS: tuple[Protocol, ...] = ("imap", "pop3", "smtp")
SECURITIES: tuple[Security, ...] = ("ssl", "starttls", "plain")
SOURCES: tuple[Source, ...] = (
    "builtin", "autoconfig", "ispdb", "mx", "srv", "autodiscover", "guess"
)
OUTCOMES: tuple[Outcome, ...] = ("ok", "not-found", "invalid", "error", "timeout", "skipped")
AUTH_METHODS = (
    "password-cleartext",
    "password-encrypted",
    "OAuth2",
    "NTLM",
    "GSSAPI",
    "client-IP-address",
    "TLS-client-cert",
    "none",
)
PLACEHOLDERS = ("%EMAILADDRESS%", "%EMAILLOCALPART%", "%EMAILDOMAIN%")
DEFAULT_PORTS: dict[tuple[Protocol, Security], int] = {
    ("imap", "ssl"): 993,
    ("imap", "starttls"): 143,
    ("imap", "plain"): 143,
    ("pop3", "ssl"): 995,
    ("pop3", "starttls"): 110,
    ("pop3", "plain"): 110,
    ("smtp", "ssl"): 465,
    ("smtp", "starttls"): 587,
    ("smtp", "plain"): 587,
}


def resolve_placeholders(template: str, address: Address) -> str:
    """Replace the autoconfig placeholders with the parts of ``address``."""
    return (
        template.replace("%EMAILADDRESS%", address.email)
        .replace("%EMAILLOCALPART%", address.local)
        .replace("%EMAILDOMAIN%", address.domain)
    )


@dataclass(frozen=True)
class Server:
    """One incoming or outgoing server; ``username`` may still hold placeholders."""

    protocol: Protocol
    host: str
    port: int
    security: Security
    auth: tuple[str, ...] = ("password-cleartext",)
    username: str = "%EMAILADDRESS%"

    @property
    def incoming(self) -> bool:
        return self.protocol != "smtp"

    def resolved(self, address: Address) -> Server:
        """This server with its username's placeholders filled in for ``address``."""
        return replace(self, username=resolve_placeholders(self.username, address))


def security_rank(server: Server) -> int:
    """Best first: implicit TLS, then STARTTLS, then plain."""
    return SECURITIES.index(server.security)


def order_servers(servers: Iterable[Server]) -> tuple[Server, ...]:
    """Servers ordered best first, keeping the given order among equals.

    IMAP comes before POP3 (it keeps mail on the server), and within a protocol implicit
    TLS before STARTTLS; plain-text servers come after every encrypted one, since a plain
    IMAP server is a worse choice than POP3 over TLS.
    """
    return tuple(
        sorted(
            servers,
            key=lambda s: (s.security == "plain", PROTOCOLS.index(s.protocol), security_rank(s)),
        )
    )


@dataclass(frozen=True)
class Note:
    """Something a person must do besides typing settings; ``text`` is in their language."""

    code: str
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Limits:
    """A provider's published limits; None where unknown."""

    message_size_mb: int | None = None
    recipients_per_message: int | None = None
    messages_per_day: int | None = None


@dataclass(frozen=True)
class OAuth2:
    """OAuth2 endpoints of a provider (for programs that can sign in with them)."""

    issuer: str
    scope: str
    auth_url: str
    token_url: str


@dataclass(frozen=True)
class ProviderRef:
    """The provider named in a result."""

    id: str
    name: str


@dataclass(frozen=True)
class Attempt:
    """One lookup made during detection: a URL or a DNS name and how it went."""

    source: Source
    target: str
    outcome: Outcome
    elapsed_ms: int
    detail: str | None = None


@dataclass(frozen=True)
class Settings:
    """What detection found for one address (the contract's ``detect --json``)."""

    address: Address
    found: bool
    provider: ProviderRef | None = None
    source: Source | None = None
    source_url: str | None = None
    secure: bool = False
    incoming: tuple[Server, ...] = ()
    outgoing: tuple[Server, ...] = ()
    notes: tuple[Note, ...] = ()
    limits: Limits | None = None
    attempts: tuple[Attempt, ...] = field(default=())
    elapsed_ms: int = 0
