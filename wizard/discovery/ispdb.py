"""Source ``ispdb``: the online ISP database (Thunderbird's, or one set by the user).

The base URL comes from ``detect(ispdb_url=…)``, the ``--ispdb-url`` option or the
``MAILWIZARD_ISPDB_URL`` environment variable, default
``https://autoconfig.thunderbird.net/v1.1/``; the domain is appended to it.
"""

from __future__ import annotations

import os
from typing import Final

from wizard.discovery.base import DEFAULT_ISPDB_URL, Context, fetch_config, settings_from_config
from wizard.discovery.scope import Scope
from wizard.discovery.trust import https_same_site
from wizard.model import Settings, Source

SOURCE: Final[Source] = "ispdb"
ENV = "MAILWIZARD_ISPDB_URL"


def base_url(explicit: str | None = None) -> str:
    """The ISP database's base URL, always ending in a slash."""
    url = explicit or os.environ.get(ENV) or DEFAULT_ISPDB_URL
    return url if url.endswith("/") else url + "/"


def url_for(ctx: Context, domain: str) -> str:
    return base_url(ctx.ispdb_url) + domain


def lookup(ctx: Context, scope: Scope) -> Settings | None:
    return lookup_domain(ctx, scope, SOURCE, ctx.domain)


def lookup_domain(ctx: Context, scope: Scope, source: Source, domain: str) -> Settings | None:
    """The database's entry for ``domain``, recorded as an attempt of ``source``."""
    got = fetch_config(ctx, scope, source, url_for(ctx, domain))
    if got is None:
        return None
    response, config = got
    return settings_from_config(config, ctx.address, source, response.url,
                                https_same_site(response))
