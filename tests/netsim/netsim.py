"""NetSim: one test's scenario on the shared simulated internet."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .certs import Certificate, CertKind
from .dns import ARecord, Record
from .guard import NetSimError
from .hostile import HostileServer
from .mailtypes import Mailbox, MailService
from .scenario import Domain, HostileHost, to_ascii
from .servers import Internet
from .web import Site, WebRequest

# Variables through which programs find CA certificates; env() points them at the test CA.
CA_FILE_VARIABLES = (
    "SSL_CERT_FILE",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "NIX_SSL_CERT_FILE",
    "GIT_SSL_CAINFO",
    "PIP_CERT",
    "AWS_CA_BUNDLE",
    "HTTPLIB2_CA_CERTS",
    "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH",
    "CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE",
)
REMOVED_VARIABLES = (
    "NODE_EXTRA_CA_CERTS",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
)


class NetSim:
    """The scenario of one test: ``domain()`` declares, ``apply()`` makes it real.

    Example::

        d = netsim.domain("example.test")
        d.host("autoconfig", https={"/mail/config-v1.1.xml": ("application/xml", XML)})
        d.mx("mail.example.test")
        d.mailserver("mail", users={"alice": "s3cret"})
        netsim.apply()
    """

    def __init__(self, internet: Internet) -> None:
        self.internet = internet
        self._domains: dict[str, Domain] = {}
        self._addresses: dict[str, str] = {}
        self._hostile: list[HostileServer] = []
        self._dns_seen = len(internet.dns.queries())
        self._web_seen = len(internet.web.requests())

    # -- declaring ---------------------------------------------------------------------------

    def domain(self, name: str) -> Domain:
        """The zone ``name`` (made on first use); Unicode names are stored as A-labels."""
        key = to_ascii(name)
        if key not in self._domains:
            self._domains[key] = Domain(self, name)
        return self._domains[key]

    def address_of(self, fqdn: str) -> str:
        """The loopback address of a host name (allocated on first use, fresh per test)."""
        if fqdn not in self._addresses:
            self._addresses[fqdn] = self.internet.addresses.allocate()
        return self._addresses[fqdn]

    @property
    def domains(self) -> list[Domain]:
        return list(self._domains.values())

    # -- applying ----------------------------------------------------------------------------

    def apply(self) -> None:
        """Make DNS, web, mail and hostile servers serve exactly the declared scenario."""
        records: list[Record] = [ARecord(name, addr) for name, addr in self._addresses.items()]
        sites: list[Site] = []
        services: list[MailService] = []
        mailboxes: list[Mailbox] = []
        claimed: dict[tuple[str, int], str] = {}

        def claim(address: str, port: int, what: str) -> None:
            if (address, port) in claimed:
                raise NetSimError(f"{what} and {claimed[address, port]} both want {address}:{port}")
            claimed[address, port] = what

        for domain in self._domains.values():
            records += domain.records
            for web in domain.web_hosts.values():
                for scheme, table in (("http", web.http), ("https", web.https)):
                    if table is None:
                        continue
                    cert = (
                        self._cert(web.name, web.aliases, web.cert) if scheme == "https" else None
                    )
                    site = Site(web.name, web.address, scheme, cert, dict(table))
                    claim(site.address, site.port, f"web host {web.name}")
                    sites.append(site)
            for mail in domain.mail_hosts.values():
                for port in mail.ports:
                    claim(mail.address, port, f"mail host {mail.name}")
                cert = self._cert(mail.name, (), mail.cert)
                services.append(MailService(mail.name, mail.address, cert, mail.ports))
                mailboxes += mail.mailboxes
            for host, port, _protocol, _tls in domain.hostile_ports():
                claim(host.address, port, f"hostile host {host.name}")
        self._check_mailboxes(mailboxes)
        self.internet.apply(list(self._domains), records, sites, services, mailboxes)
        self._start_hostile()

    def _cert(self, name: str, aliases: tuple[str, ...], kind: CertKind) -> Certificate:
        return self.internet.ca.certificate((name, *aliases), kind)

    @staticmethod
    def _check_mailboxes(mailboxes: list[Mailbox]) -> None:
        logins: dict[str, Mailbox] = {}
        for box in mailboxes:
            for key in {box.login.lower(), box.address.lower()}:
                if key in logins and logins[key] != box:
                    raise NetSimError(f"two mailboxes answer to the login {key!r}")
                logins[key] = box

    def _start_hostile(self) -> None:
        running = {(s.address, s.port) for s in self._hostile}
        for domain in self._domains.values():
            for host, port, protocol, implicit_tls in domain.hostile_ports():
                if (host.address, port) in running:
                    continue
                context = self.internet.server_context((host.name,), host.cert)
                server = HostileServer(
                    host.name, host.address, port, host.behaviour, protocol, implicit_tls, context
                )
                self._hostile.append(server)
                host.servers.append(server)

    def close(self) -> None:
        """End the scenario: stop hostile servers, serve nothing, delete delivered mail."""
        for server in self._hostile:
            server.stop()
        self._hostile.clear()
        self._domains.clear()
        self._addresses.clear()
        self.internet.apply([], [], [], [], [])
        self.internet.idle()
        self.internet.clear_mail()

    # -- what tests use ----------------------------------------------------------------------

    @property
    def ca_file(self) -> Path:
        """The PEM file of the test CA (the only CA ``env()`` trusts)."""
        return self.internet.ca_file

    def env(self, **overrides: str | None) -> dict[str, str]:
        """An environment for a program under test: trusts only the test CA, no proxies,
        MAILWIZARD_NETSIM=1. ``overrides`` set variables (None removes one)."""
        env = {k: v for k, v in os.environ.items() if k not in REMOVED_VARIABLES}
        for variable in CA_FILE_VARIABLES:
            env[variable] = str(self.ca_file)
        env["SSL_CERT_DIR"] = str(self.internet.empty_cert_dir)
        env["MAILWIZARD_NETSIM"] = "1"
        for key, value in overrides.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def hostile_hosts(self) -> list[HostileHost]:
        return [h for d in self._domains.values() for h in d.hostile_hosts.values()]

    def dns_queries(self) -> list[tuple[str, str]]:
        """(type, name) of every DNS query since this test began."""
        return self.internet.dns.queries()[self._dns_seen :]

    def web_requests(self) -> list[WebRequest]:
        """Every request nginx logged since this test began."""
        return self.internet.web.requests()[self._web_seen :]

    @property
    def logs(self) -> dict[str, Path]:
        """Log files: dns, web-access, web-error, dovecot, postfix."""
        return self.internet.log_files()

    def messages(self, address: str) -> list[bytes]:
        """The raw messages delivered to a mailbox so far, oldest first."""
        maildir = self.internet.dovecot.home(address) / "Maildir"
        files = [
            f
            for sub in ("new", "cur")
            if (maildir / sub).is_dir()
            for f in (maildir / sub).iterdir()
        ]
        return [f.read_bytes() for f in sorted(files, key=lambda f: f.stat().st_mtime_ns)]

    def wait_for_mail(self, address: str, count: int = 1, timeout: float = 10.0) -> list[bytes]:
        """Wait until ``count`` messages reached a mailbox; return them."""
        deadline = time.monotonic() + timeout
        while len(found := self.messages(address)) < count:
            if time.monotonic() > deadline:
                raise NetSimError(
                    f"{len(found)} of {count} messages reached {address} in {timeout} s; "
                    f"see {self.logs['postfix']}"
                )
            time.sleep(0.02)
        return found
