"""Source ``autoconfig``: the domain's own config-v1.1 file.

The HTTPS lane asks ``https://autoconfig.<domain>/mail/config-v1.1.xml?emailaddress=…`` and
``https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml`` at once, and the first
document that parses wins (both are the domain's own word). The HTTP lane asks the same
two URLs over plain HTTP, without the address in the query: on an unencrypted connection
anyone on the path could read it, and a static file does not need it. Its results are never
secure, and the orchestrator ranks it below every DNS and HTTPS source.
"""

from __future__ import annotations

from functools import partial
from typing import Final
from urllib.parse import quote

from wizard.discovery.base import Context, fetch_config, settings_from_config
from wizard.discovery.scope import Job, Scope, race
from wizard.discovery.trust import https_within
from wizard.model import Settings, Source

SOURCE: Final[Source] = "autoconfig"


def urls(ctx: Context, scheme: str) -> list[str]:
    """The two autoconfig URLs of the address's domain for ``scheme``."""
    domain = ctx.domain
    query = f"?emailaddress={quote(ctx.address.email, safe='')}" if scheme == "https" else ""
    return [
        f"{scheme}://autoconfig.{domain}/mail/config-v1.1.xml{query}",
        f"{scheme}://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
    ]


def lookup_https(ctx: Context, scope: Scope) -> Settings | None:
    return _lookup(ctx, scope, "https")


def lookup_http(ctx: Context, scope: Scope) -> Settings | None:
    return _lookup(ctx, scope, "http")


def _lookup(ctx: Context, scope: Scope, scheme: str) -> Settings | None:
    jobs = [Job(partial(_one, ctx, url=url), (0,), url) for url in urls(ctx, scheme)]
    won = race(scope, jobs)
    return won[1] if won else None


def _one(ctx: Context, scope: Scope, url: str) -> Settings | None:
    got = fetch_config(ctx, scope, SOURCE, url)
    if got is None:
        return None
    response, config = got
    secure = https_within(response, ctx.domain)
    return settings_from_config(config, ctx.address, SOURCE, response.url, secure)
