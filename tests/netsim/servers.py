"""The shared, session-wide part of the simulated internet: CA, addresses and daemons."""

from __future__ import annotations

import ipaddress
import shutil
import ssl
from pathlib import Path

from .certs import CertificateAuthority, CertKind
from .dns import DnsServer, Record
from .dovecot import AUTH_PORT, LMTP_PORT, Dovecot
from .guard import NetSimError, require_loopback
from .mailtypes import Mailbox, MailService
from .postfix import Postfix
from .web import Site, WebServer

# Dovecot's LMTP and SASL listeners for Postfix. Not INTERNAL_ADDRESS, the default of the
# Dovecot class, so a suite that runs its own Dovecot from these parts does not collide.
MAIL_INTERNAL_ADDRESS = "127.0.0.3"
FIRST_HOST_ADDRESS = ipaddress.IPv4Address("127.0.1.1")
LAST_HOST_ADDRESS = ipaddress.IPv4Address("127.0.255.254")


class AddressPool:
    """Hands out 127.0.1.1, 127.0.1.2, … once each, so no two tests ever share an address."""

    def __init__(self) -> None:
        self._next = FIRST_HOST_ADDRESS

    def allocate(self) -> str:
        address = self._next
        while address.packed[-1] in (0, 255):
            address += 1
        if address > LAST_HOST_ADDRESS:
            raise NetSimError("out of loopback addresses for simulated hosts")
        self._next = address + 1
        return require_loopback(str(address))


class Internet:
    """Everything that outlives one test: the CA, the address pool and the daemons.

    The daemons start lazily: dnsmasq at the first ``apply``, nginx with the first web site,
    Dovecot and Postfix with the first mail host or mailbox. ``apply`` reconfigures them
    (restart for dnsmasq and nginx, ~10-20 ms; reload for Dovecot and Postfix).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ca = CertificateAuthority(root / "certs")
        self.addresses = AddressPool()
        self.dns = DnsServer(root / "dns")
        self.web = WebServer(root / "web")
        self._dovecot: Dovecot | None = None
        self._postfix: Postfix | None = None
        self.empty_cert_dir = root / "no-ca-dir"  # SSL_CERT_DIR: trust nothing from a directory
        self.empty_cert_dir.mkdir(exist_ok=True)

    @property
    def ca_file(self) -> Path:
        return self.ca.ca_file

    @property
    def dovecot(self) -> Dovecot:
        if self._dovecot is None:
            default = self.ca.certificate(("netsim.test",), CertKind.GOOD)
            self._dovecot = Dovecot(self.root / "dovecot", default, MAIL_INTERNAL_ADDRESS)
        return self._dovecot

    @property
    def postfix(self) -> Postfix:
        if self._postfix is None:
            self._postfix = Postfix(
                self.root / "postfix",
                (MAIL_INTERNAL_ADDRESS, LMTP_PORT),
                (MAIL_INTERNAL_ADDRESS, AUTH_PORT),
            )
        return self._postfix

    def server_context(self, names: tuple[str, ...], kind: CertKind) -> ssl.SSLContext:
        """A TLS server context presenting a certificate of ``kind`` for ``names``."""
        cert = self.ca.certificate(names, kind)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert.cert_file, cert.key_file)
        return context

    def apply(
        self,
        zones: list[str],
        records: list[Record],
        sites: list[Site],
        services: list[MailService],
        mailboxes: list[Mailbox],
    ) -> None:
        """Make the daemons serve exactly this (the whole current scenario)."""
        self.dns.apply(zones, records)
        self.web.apply(sites)
        smtp = any(port in (25, 587, 465) for s in services for port in s.ports)
        if services or mailboxes or (self._dovecot is not None and self._dovecot.running):
            self.dovecot.apply(services, mailboxes)
        if smtp or (self._postfix is not None and self._postfix.running):
            self.postfix.apply(services, mailboxes)

    def idle(self) -> None:
        """Between scenarios: stop dnsmasq (it restarts in ~10 ms), which frees 127.0.0.1:53
        for suites that run their own; nginx has already stopped with its last site."""
        self.dns.stop()

    def clear_mail(self) -> None:
        """Delete every delivered message and mailbox directory (between tests)."""
        if self._dovecot is not None:
            for home in self._dovecot.mail_dir.iterdir():
                shutil.rmtree(home, ignore_errors=True)

    def log_files(self) -> dict[str, Path]:
        """Where each daemon logs."""
        return {
            "dns": self.dns.log_file,
            "web-access": self.web.access_log,
            "web-error": self.web.error_log,
            "dovecot": self.root / "dovecot" / "dovecot.log",
            "postfix": self.root / "postfix" / "log" / "postfix.log",
        }

    def processes(self) -> dict[str, int]:
        """PID (and session id) of every running daemon."""
        parts = {
            "dnsmasq": self.dns,
            "nginx": self.web,
            "dovecot": self._dovecot,
            "postfix": self._postfix,
        }
        return {
            name: pid
            for name, part in parts.items()
            if part is not None and (pid := part.pid) is not None
        }

    def stop(self) -> None:
        """Stop every daemon (each by its PID) and make sure none left a process behind."""
        errors = []
        for part in (self._postfix, self._dovecot, self.web, self.dns):
            if part is None:
                continue
            try:
                part.stop()
            except NetSimError as exc:
                errors.append(str(exc))
        if errors:
            raise NetSimError("; ".join(errors))
