"""Source ``mx``: the provider behind the domain's most preferred MX host.

First the bundled table's MX patterns (``aspmx.l.google.com`` → Google). Otherwise the
MX host's parent domain (the host minus its first label) and its registrable domain
(public suffix list) are each asked for HTTPS autoconfig and looked up in the ISP
database, in that order of preference; a domain equal to the address's own is skipped (the
``autoconfig`` and ``ispdb`` sources ask it already). The address itself is not sent to
the MX's domain, which is a third party.

Trust: the MX answer came over DNS, so the result is secure only if its hosts belong to
the table's or the ISP database's provider, or lie in the address's domain.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any, Final

from wizard import providers
from wizard.discovery import builtin, ispdb
from wizard.discovery.base import Context, fetch_config, settings_from_config
from wizard.discovery.dnsquery import DNSFailure
from wizard.discovery.scope import Job, Scope, race
from wizard.discovery.trust import hosts_trusted, registrable
from wizard.model import Settings, Source

SOURCE: Final[Source] = "mx"


def best_mx(records: list[Any]) -> str | None:
    """The most preferred MX host (first of equals), or None for a null MX (RFC 7505)."""
    usable = sorted(
        (r for r in records if hasattr(r, "preference")),
        key=lambda r: r.preference,
    )
    host = str(usable[0].exchange).rstrip(".").lower() if usable else ""
    return host or None


def parent_domains(mx_host: str, domain: str) -> list[str]:
    """The domains to ask about ``mx_host``: its parent, then its registrable domain."""
    out: list[str] = []
    parent = mx_host.split(".", 1)[1] if "." in mx_host else ""
    for candidate in (parent, registrable(mx_host) or ""):
        if (candidate and candidate != domain and candidate not in out
                and registrable(candidate) is not None):
            out.append(candidate)
    return out


def lookup(ctx: Context, scope: Scope) -> Settings | None:
    target = f"MX {ctx.domain}"
    mx_host: str | None = None
    with ctx.attempt(scope, SOURCE, target) as handle:
        result = ctx.dns(scope, [(ctx.domain, "MX")])[0]
        if isinstance(result, DNSFailure):
            raise result
        mx_host = best_mx(result)
        if mx_host is None:
            handle.set("not-found", "the domain receives no mail (null MX)" if result
                       else "no MX record")
        else:
            handle.set("ok", f"most preferred: {mx_host}")
    if mx_host is None:
        return None

    provider = providers.by_mx_host(mx_host)
    ctx.recorder.add(SOURCE, mx_host, "ok" if provider else "not-found",
                     "bundled provider table")
    if provider is not None:
        settings = builtin.settings_for(provider, ctx.address)
        return replace(settings, source=SOURCE, source_url=None, secure=True)

    jobs: list[Job[Settings]] = []
    for domain in parent_domains(mx_host, ctx.domain):
        url = f"https://autoconfig.{domain}/mail/config-v1.1.xml"
        jobs.append(Job(partial(_autoconfig, ctx, url=url), (len(jobs),), url))
        jobs.append(Job(partial(_ispdb, ctx, domain=domain), (len(jobs),), f"ispdb {domain}"))
    won = race(scope, jobs)
    return won[1] if won else None


def _autoconfig(ctx: Context, scope: Scope, url: str) -> Settings | None:
    got = fetch_config(ctx, scope, SOURCE, url)
    if got is None:
        return None
    response, config = got
    secure = hosts_trusted(config.incoming + config.outgoing, ctx.domain)
    return settings_from_config(config, ctx.address, SOURCE, response.url, secure)


def _ispdb(ctx: Context, scope: Scope, domain: str) -> Settings | None:
    # The database's own entry: its hosts belong to a provider of the ISP database.
    return ispdb.lookup_domain(ctx, scope, SOURCE, domain)
