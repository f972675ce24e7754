"""Descriptions of simulated mail hosts and mailboxes, shared by the Dovecot and Postfix parts."""

from __future__ import annotations

from dataclasses import dataclass

from .certs import Certificate
from .guard import NetSimError

IMAP_PORTS = (143, 993)
POP3_PORTS = (110, 995)
SMTP_PORTS = (25, 587, 465)
ALL_MAIL_PORTS = (*IMAP_PORTS, *POP3_PORTS, *SMTP_PORTS)
MAIL_UID = 65534  # nobody: Dovecot refuses root, and the mail belongs to no real user
MAIL_GID = 65534


@dataclass(frozen=True)
class MailService:
    """One mail host: which ports it serves on its own address, and with which certificate.

    143/110 offer STARTTLS (login only after it), 993/995/465 are TLS from the first byte,
    587 requires STARTTLS and AUTH, 25 accepts mail for the simulated domains without AUTH.
    """

    name: str
    address: str
    certificate: Certificate
    ports: tuple[int, ...] = ALL_MAIL_PORTS

    def __post_init__(self) -> None:
        unknown = set(self.ports) - set(ALL_MAIL_PORTS)
        if unknown:
            raise NetSimError(f"unsupported mail ports {sorted(unknown)}; use {ALL_MAIL_PORTS}")


@dataclass(frozen=True)
class Mailbox:
    """A mail account: its address, password and the login name the servers accept."""

    address: str
    password: str
    login: str

    def __post_init__(self) -> None:
        for text in (self.address, self.login):
            if not text or any(c in text for c in ": \t\r\n") or not text.isprintable():
                raise NetSimError(f"unsupported address or login name: {text!r}")
        if "@" not in self.address:
            raise NetSimError(f"a mailbox address needs a domain: {self.address!r}")

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]
