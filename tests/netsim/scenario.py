"""What a test declares: domains, their records, web hosts, mail hosts and hostile hosts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import idna

from .certs import CertKind
from .dns import ARecord, CNAMERecord, MXRecord, Record, SRVRecord, TXTRecord
from .guard import NetSimError, require_record_address
from .hostile import (
    IMPLICIT_TLS_PORTS,
    PROTOCOL_BY_PORT,
    Behaviour,
    HostileServer,
    RecordedConnection,
)
from .mailtypes import ALL_MAIL_PORTS, Mailbox
from .resources import Resource, ResourceSpec, make_resource

if TYPE_CHECKING:
    from .netsim import NetSim


def to_ascii(name: str) -> str:
    """A host or domain name as DNS carries it (IDNA A-labels, lower case, no final dot)."""
    name = name.rstrip(".").lower()
    if name.isascii():
        return name
    return idna.encode(name, uts46=True).decode("ascii")


@dataclass
class WebHost:
    """A web server on its own address: ``http`` serves port 80, ``https`` port 443."""

    name: str
    address: str
    cert: CertKind
    aliases: tuple[str, ...] = ()
    http: dict[str, Resource] | None = None
    https: dict[str, Resource] | None = None

    def serve(self, path: str, spec: ResourceSpec, scheme: str = "https") -> None:
        """Add or replace what one path answers (call ``netsim.apply()`` afterwards)."""
        table = self.https if scheme == "https" else self.http
        if table is None:
            table = {}
            setattr(self, scheme, table)
        table[path] = make_resource(path, spec)

    def url(self, path: str = "/", scheme: str = "https") -> str:
        return f"{scheme}://{self.name}{path}"


@dataclass
class MailHost:
    """A name whose address serves IMAP, POP3 and SMTP (one shared Dovecot and Postfix)."""

    name: str
    address: str
    cert: CertKind
    ports: tuple[int, ...]
    default_domain: str
    mailboxes: list[Mailbox] = field(default_factory=list)

    def add_user(self, user: str, password: str, login: str | None = None) -> Mailbox:
        """Add a mailbox; ``user`` is an address or a local part of the host's domain.

        ``login`` is the name the servers accept (default: the full address).
        """
        address = user if "@" in user else f"{user}@{self.default_domain}"
        local, _, domain = address.rpartition("@")
        address = f"{local}@{to_ascii(domain)}"
        box = Mailbox(address=address, password=password, login=login or address)
        self.mailboxes.append(box)
        return box


@dataclass
class HostileHost:
    """A misbehaving server on its own address, on one or more ports."""

    name: str
    address: str
    behaviour: Behaviour
    ports: tuple[int, ...]
    cert: CertKind
    protocol: str | None = None
    servers: list[HostileServer] = field(default_factory=list)

    @property
    def received(self) -> bytes:
        """Everything clients sent to it, on every port (TLS decrypted)."""
        return b"".join(server.received for server in self.servers)

    def received_on(self, port: int) -> bytes:
        return b"".join(s.received for s in self.servers if s.port == port)

    @property
    def connections(self) -> list[RecordedConnection]:
        """Every connection so far, on every port, each with what the client sent on it."""
        return [c for server in self.servers for c in server.connections]


class Domain:
    """One DNS zone of the scenario. Owner names are relative ("@" is the zone itself, a name
    ending in "." is absolute); record targets are absolute host names."""

    def __init__(self, netsim: NetSim, name: str) -> None:
        self._netsim = netsim
        self.name = to_ascii(name)
        self.records: list[Record] = []
        self.web_hosts: dict[str, WebHost] = {}
        self.mail_hosts: dict[str, MailHost] = {}
        self.hostile_hosts: dict[str, HostileHost] = {}

    def fqdn(self, name: str = "@") -> str:
        """The absolute name of an owner name in this zone."""
        if name == "@":
            return self.name
        if name.endswith("."):
            return to_ascii(name)
        return f"{to_ascii(name)}.{self.name}"

    def host(
        self,
        name: str = "@",
        *,
        http: Mapping[str, ResourceSpec] | None = None,
        https: Mapping[str, ResourceSpec] | None = None,
        cert: CertKind | str = CertKind.GOOD,
        aliases: Iterable[str] = (),
    ) -> WebHost:
        """A web host: paths to a body, ``(content type, body)``, File, Redirect or Endpoint.
        ``"*"`` answers every other path. Leave out ``http``/``https`` to close that port."""
        fqdn = self.fqdn(name)
        host = WebHost(
            name=fqdn,
            address=self._netsim.address_of(fqdn),
            cert=CertKind(cert),
            aliases=tuple(to_ascii(a) for a in aliases),
            http=None if http is None else {p: make_resource(p, s) for p, s in http.items()},
            https=None if https is None else {p: make_resource(p, s) for p, s in https.items()},
        )
        self.web_hosts[fqdn] = host
        return host

    def mailserver(
        self,
        name: str = "mail",
        *,
        users: Mapping[str, str] | None = None,
        cert: CertKind | str = CertKind.GOOD,
        ports: Iterable[int] = ALL_MAIL_PORTS,
        login: str = "address",
    ) -> MailHost:
        """A mail host with ``users`` ({local part or address: password}). ``login`` is
        "address" (log in with the full address) or "localpart"."""
        if login not in ("address", "localpart"):
            raise NetSimError(f"login must be 'address' or 'localpart', not {login!r}")
        fqdn = self.fqdn(name)
        host = MailHost(
            fqdn, self._netsim.address_of(fqdn), CertKind(cert), tuple(ports), self.name
        )
        for user, password in (users or {}).items():
            local = user.rpartition("@")[0] if "@" in user else user
            host.add_user(user, password, login=local if login == "localpart" else None)
        self.mail_hosts[fqdn] = host
        return host

    def hostile(
        self,
        name: str,
        behaviour: Behaviour | str,
        *,
        ports: Iterable[int],
        cert: CertKind | str = CertKind.GOOD,
        protocol: str | None = None,
    ) -> HostileHost:
        """A hostile server; the protocol follows from each port unless ``protocol`` is given.
        993, 995, 465 and 443 speak TLS from the first byte (with a ``cert`` certificate)."""
        fqdn = self.fqdn(name)
        ports = tuple(ports)
        for port in ports:
            if protocol is None and port not in PROTOCOL_BY_PORT:
                raise NetSimError(f"say which protocol the hostile server speaks on port {port}")
        host = HostileHost(
            fqdn,
            self._netsim.address_of(fqdn),
            Behaviour(behaviour),
            ports,
            CertKind(cert),
            protocol,
        )
        self.hostile_hosts[fqdn] = host
        return host

    def a(self, name: str, address: str) -> None:
        """An A record to any loopback or RFC 5737 address (no server needed behind it)."""
        self.records.append(ARecord(self.fqdn(name), require_record_address(address)))

    def cname(self, name: str, target: str) -> None:
        """An alias; the target must be a host of the scenario (dnsmasq's rule)."""
        self.records.append(CNAMERecord(self.fqdn(name), to_ascii(target)))

    def mx(self, target: str, preference: int = 10, name: str = "@") -> None:
        self.records.append(MXRecord(self.fqdn(name), to_ascii(target), preference))

    def srv(
        self, service: str, target: str | None, port: int = 0, priority: int = 0, weight: int = 1
    ) -> None:
        """An SRV record such as ``srv("_imaps._tcp", "imap.example.test", 993)``;
        ``target=None`` publishes "." (the service is deliberately not offered)."""
        target_name = None if target is None else to_ascii(target)
        self.records.append(SRVRecord(self.fqdn(service), target_name, port, priority, weight))

    def txt(self, name: str, *strings: str) -> None:
        self.records.append(TXTRecord(self.fqdn(name), strings))

    def hostile_ports(self) -> Iterable[tuple[HostileHost, int, str, bool]]:
        """(host, port, protocol, implicit TLS) for every hostile listener."""
        for host in self.hostile_hosts.values():
            for port in host.ports:
                protocol = host.protocol or PROTOCOL_BY_PORT[port]
                yield host, port, protocol, port in IMPLICIT_TLS_PORTS
