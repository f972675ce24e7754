"""A simulated mail network for the probe's integration tests, made of tests/netsim's parts.

Real Dovecot and Postfix serve ``example.test`` on one address with a good certificate and on
three more with an expired, a wrong-host and an untrusted one; dnsmasq names them all. Hostile
servers (``FakeServer``, which records every byte) get names and real ports of their own.
Runs only inside ``scripts/netsim-run`` (a private network namespace), as root.
"""

from __future__ import annotations

import contextlib
import os
import ssl
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from netsim.certs import CertificateAuthority, CertKind
from netsim.dns import ARecord, DnsServer
from netsim.dovecot import AUTH_PORT, LMTP_PORT, Dovecot
from netsim.mailtypes import Mailbox, MailService
from netsim.postfix import Postfix
from netsim.web import INTERNAL_ADDRESS

from .fakeserver import FakeServer, Handler

DOMAIN = "example.test"
GOOD = f"mail.{DOMAIN}"
BAD_HOSTS = {  # name -> (address, certificate kind)
    f"expired.{DOMAIN}": ("127.0.1.2", CertKind.EXPIRED),
    f"wronghost.{DOMAIN}": ("127.0.1.3", CertKind.WRONG_HOST),
    f"untrusted.{DOMAIN}": ("127.0.1.4", CertKind.UNTRUSTED),
}
CLOSED = f"closed.{DOMAIN}"  # resolves, nothing listens
MISSING = f"missing.{DOMAIN}"  # does not resolve
HOSTILE = {  # hostile servers' names -> addresses
    f"blackhole.{DOMAIN}": "127.0.1.10",
    f"nostarttls.{DOMAIN}": "127.0.1.11",
    f"plain.{DOMAIN}": "127.0.1.12",
    f"mitm.{DOMAIN}": "127.0.1.13",
    f"forged.{DOMAIN}": "127.0.1.14",
}
ALICE = Mailbox(f"alice@{DOMAIN}", "Pä55 wörd:🔑", f"alice@{DOMAIN}")


@dataclass
class MailNet:
    ca: CertificateAuthority
    dovecot: Dovecot
    base: Path

    def maildir(self, address: str) -> Path:
        return self.dovecot.home(address) / "Maildir"

    def server_context(self, host: str, kind: CertKind = CertKind.GOOD) -> ssl.SSLContext:
        cert = self.ca.certificate((host,), kind)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert.cert_file, cert.key_file)
        return context

    @contextlib.contextmanager
    def hostile(self, host: str, port: int, handler: Handler, *, kind: CertKind = CertKind.GOOD,
                implicit_tls: bool = False) -> Iterator[FakeServer]:
        """A recording server under a real name and port."""
        server = FakeServer(handler, context=self.server_context(host, kind),
                            implicit_tls=implicit_tls, address=(HOSTILE[host], port))
        try:
            yield server
        finally:
            server.close()


@contextlib.contextmanager
def mail_network() -> Iterator[MailNet]:
    base = Path(tempfile.mkdtemp(prefix="probe-netsim-"))
    base.chmod(0o755)  # Dovecot's and Postfix's own users read their files below it
    ca = CertificateAuthority(base / "ca")
    good = MailService(GOOD, "127.0.1.1", ca.certificate((GOOD,)))
    services = [good] + [MailService(name, address, ca.certificate((name,), kind))
                         for name, (address, kind) in BAD_HOSTS.items()]
    records = [ARecord(s.name, s.address) for s in services]
    records += [ARecord(CLOSED, "127.0.1.9")]
    records += [ARecord(name, address) for name, address in HOSTILE.items()]
    dns = DnsServer(base / "dns")
    dovecot = Dovecot(base / "dovecot", good.certificate)
    postfix = Postfix(base / "postfix", (INTERNAL_ADDRESS, LMTP_PORT),
                      (INTERNAL_ADDRESS, AUTH_PORT))
    saved = {k: os.environ.get(k) for k in ("SSL_CERT_FILE", "SSL_CERT_DIR",
                                            "REQUESTS_CA_BUNDLE")}
    try:
        dns.apply(["test"], records)
        dovecot.apply(services, [ALICE])
        postfix.apply(services, [ALICE])
        os.environ["SSL_CERT_FILE"] = str(ca.ca_file)
        os.environ["SSL_CERT_DIR"] = str(base / "no-certificates-here")
        os.environ["REQUESTS_CA_BUNDLE"] = str(ca.ca_file)
        yield MailNet(ca, dovecot, base)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        postfix.stop()
        dovecot.stop()
        dns.stop()
