"""The ``secure`` rules of the command-line contract, in one place.

A result is secure only when an attacker who controls the network path (DNS answers, plain
HTTP) could not have chosen the hosts the password will go to:

* the bundled table: always;
* HTTPS autoconfig, the ISP database, Autodiscover of the address's own domain: when every
  request went over HTTPS and no redirect left the domain asked (for the ISP database: its
  own site);
* MX and SRV (DNS, not DNSSEC-validated here): only when every server host lies in the
  address's domain or is a server of a provider in the bundled table or the ISP database;
* guessing: only for hosts in the address's domain whose certificate was verified.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from wizard.discovery.fetch import Response
from wizard.model import Server


def in_domain(host: str, domain: str) -> bool:
    """True if ``host`` is ``domain`` or a name under it."""
    host, domain = host.lower().rstrip("."), domain.lower().rstrip(".")
    return host == domain or host.endswith("." + domain)


@cache
def _psl() -> Any:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def registrable(host: str) -> str | None:
    """The registrable domain of ``host`` (public suffix list), or None for a suffix."""
    try:
        result: str | None = _psl().privatesuffix(host.lower().rstrip("."))
    except Exception:  # the library raises various errors on garbage names
        return None
    return result


@cache
def _table_hosts() -> frozenset[str]:
    from wizard import providers

    return frozenset(
        server.host
        for provider in providers.all_providers()
        for server in provider.incoming + provider.outgoing
        if "%" not in server.host
    )


def table_host(host: str) -> bool:
    """True if ``host`` is a server of a provider in the bundled table."""
    return host.lower().rstrip(".") in _table_hosts()


def hosts_trusted(servers: Iterable[Server], domain: str,
                  known: Iterable[str] = ()) -> bool:  # fmt: skip
    """Every server is in ``domain``, a table provider's, or one of ``known``."""
    extra = {h.lower() for h in known}
    return all(
        in_domain(s.host, domain) or table_host(s.host) or s.host.lower() in extra
        for s in servers
    )


def https_within(response: Response, domain: str) -> bool:
    """Every hop of ``response`` was HTTPS and stayed within ``domain``."""
    return not response.plain_http and all(in_domain(h, domain) for h in response.hosts())


def https_same_site(response: Response) -> bool:
    """Every hop was HTTPS, and redirects stayed on the first URL's registrable domain."""
    hosts = response.hosts()
    site = registrable(hosts[0]) or hosts[0]
    return not response.plain_http and all(in_domain(h, site) for h in hosts)
