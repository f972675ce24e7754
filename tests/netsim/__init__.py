"""A simulated internet for the integration tests.

Real dnsmasq, nginx, Dovecot and Postfix (plus hostile Python servers) on loopback addresses
inside the private network namespace that ``scripts/netsim-run`` makes, so the program under
test needs no hooks: the system resolver, dnspython and TLS all see the fake world.

Modules: ``netsim`` (the per-test scenario object), ``scenario`` (domains and hosts),
``servers`` (the shared daemons), ``dns``/``web``/``dovecot``/``postfix`` (one daemon each),
``hostile``/``traps`` (misbehaving servers), ``certs`` (CA and certificates), ``resources``
(what a web path answers), ``guard`` (isolation and loopback checks), ``process`` (start and
stop by PID), ``fixtures`` (pytest fixtures).
"""

from .certs import Certificate, CertificateAuthority, CertKind
from .guard import NetSimError
from .hostile import Behaviour, RecordedConnection
from .netsim import NetSim
from .resources import Endpoint, File, Redirect, Request, Response
from .scenario import Domain, HostileHost, MailHost, WebHost
from .web import WebRequest

__all__ = [
    "Behaviour",
    "CertKind",
    "Certificate",
    "CertificateAuthority",
    "Domain",
    "Endpoint",
    "File",
    "HostileHost",
    "MailHost",
    "NetSim",
    "NetSimError",
    "RecordedConnection",
    "Redirect",
    "Request",
    "Response",
    "WebHost",
    "WebRequest",
]
