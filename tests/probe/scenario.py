"""The probe tests' common scenario on the simulated internet (``tests/netsim``)."""

from __future__ import annotations

import json
from pathlib import Path

from netsim import Domain, NetSim

from wizard.model import Server

DOMAIN = "example.test"
GOOD = f"mail.{DOMAIN}"
ALICE = f"alice@{DOMAIN}"
PASSWORD = "Pä55 wörd:🔑"
BAD_CERTS = {"expired": "expired", "wronghost": "wrong-host", "untrusted": "untrusted"}


def mail_world(netsim: NetSim, *, bad_certs: bool = False) -> Domain:
    """example.test with Alice's mailbox on mail.example.test (good certificate, every port).

    ``bad_certs`` adds expired., wronghost. and untrusted.example.test (the same Dovecot and
    Postfix behind certificates of those kinds) and closed.example.test, which resolves to an
    address where nothing listens; missing.example.test never resolves. Call ``apply()``
    after adding what else the test needs.
    """
    d = netsim.domain(DOMAIN)
    d.mailserver("mail", users={"alice": PASSWORD})
    if bad_certs:
        for name, kind in BAD_CERTS.items():
            d.mailserver(name, cert=kind)
        netsim.address_of(d.fqdn("closed"))
    return d


def config_file(tmp_path: Path, *servers: Server, secure: bool = True,
                source: str = "builtin", email: str = ALICE) -> str:
    """A settings file as ``detect --json`` writes it, for ``--config``."""
    doc = {"schema": 1, "email": email, "source": source, "secure": secure,
           "incoming": [], "outgoing": []}
    for s in servers:
        doc["outgoing" if s.protocol == "smtp" else "incoming"].append(  # type: ignore[union-attr]
            {"protocol": s.protocol, "host": s.host, "port": s.port, "security": s.security,
             "auth": list(s.auth), "username": "%EMAILADDRESS%"})
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(doc))
    return str(path)
