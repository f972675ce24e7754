"""The bundled provider table: loading it and looking providers up by domain or MX host.

The table (``providers.json``, built by ``tools/import_ispdb.py`` from the Thunderbird ISP
database and our own facts) is read once, on first use. In an installed wheel it lives at
``wizard/data/providers.json``; in a source checkout (editable install) it is the
repository's top-level ``providers.json``.

This module is on the path of ``mailwizard detect --offline``, which must start fast: it
imports only the standard library and :mod:`wizard.model`; the public suffix list is
loaded only when an MX lookup needs it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from wizard.model import Limits, Note, OAuth2, ProviderRef, Server

__all__ = [
    "Provider",
    "ProviderNote",
    "all_providers",
    "by_domain",
    "by_mx_host",
    "table_path",
]

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_RE = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})+$")
_HERE = Path(__file__).resolve().parent
_CANDIDATES = (_HERE / "data" / "providers.json", _HERE.parent / "providers.json")


class ProviderNote(NamedTuple):
    """A note of the table: its code, its texts by language (``en`` always), a URL."""

    code: str
    text: Mapping[str, str]
    url: str | None


@dataclass(frozen=True, eq=False)
class Provider:
    """One provider of the bundled table; servers are ordered best first."""

    id: str
    name: str
    short_name: str
    domains: tuple[str, ...]
    mx_patterns: tuple[str, ...]
    incoming: tuple[Server, ...]
    outgoing: tuple[Server, ...]
    notes: tuple[ProviderNote, ...] = ()
    limits: Limits | None = None
    oauth2: OAuth2 | None = None
    documentation: tuple[tuple[str, Mapping[str, str] | None], ...] = ()
    origin: str = "ispdb"

    @property
    def ref(self) -> ProviderRef:
        return ProviderRef(id=self.id, name=self.name)

    def localized_notes(self, lang: str | None = None) -> tuple[Note, ...]:
        """The notes as :class:`wizard.model.Note` in ``lang`` (default: the interface's)."""
        if lang is None:
            from wizard.i18n import language

            lang = language()
        return tuple(
            Note(code=n.code, text=n.text.get(lang) or n.text["en"], url=n.url) for n in self.notes
        )


def table_path() -> Path:
    """Where the table is read from: the packaged copy, else the source checkout's."""
    for path in _CANDIDATES:
        if path.is_file():
            return path
    raise FileNotFoundError(
        "providers.json not found (looked in: " + ", ".join(str(p) for p in _CANDIDATES) + ")"
    )


def _server(data: Mapping[str, Any]) -> Server:
    return Server(
        protocol=data["protocol"],
        host=data["host"],
        port=data["port"],
        security=data["security"],
        auth=tuple(data["auth"]),
        username=data["username"],
    )


def _provider(data: Mapping[str, Any]) -> Provider:
    limits = data.get("limits")
    oauth2 = data.get("oauth2")
    return Provider(
        id=data["id"],
        name=data["name"],
        short_name=data.get("short_name") or data["name"],
        domains=tuple(data["domains"]),
        mx_patterns=tuple(data.get("mx_patterns", ())),
        incoming=tuple(_server(s) for s in data["incoming"]),
        outgoing=tuple(_server(s) for s in data.get("outgoing", ())),
        notes=tuple(
            ProviderNote(n["code"], dict(n["text"]), n.get("url")) for n in data.get("notes", ())
        ),
        limits=Limits(**limits) if limits else None,
        oauth2=OAuth2(**oauth2) if oauth2 else None,
        documentation=tuple(
            (d["url"], dict(d["text"]) if d.get("text") else None)
            for d in data.get("documentation", ())
        ),
        origin=data.get("origin", "ispdb"),
    )


class _Index(NamedTuple):
    providers: tuple[Provider, ...]
    by_domain: dict[str, Provider]
    mx_exact: dict[str, Provider]
    mx_suffix: dict[str, Provider]  # ".x.y" -> provider, for the pattern "*.x.y"


@cache
def _index() -> _Index:
    with table_path().open("rb") as f:
        table = json.load(f)
    providers = tuple(_provider(p) for p in table["providers"])
    domains: dict[str, Provider] = {}
    exact: dict[str, Provider] = {}
    suffix: dict[str, Provider] = {}
    for provider in providers:
        for domain in provider.domains:
            domains.setdefault(domain, provider)
        for pattern in provider.mx_patterns:
            if pattern.startswith("*."):
                suffix.setdefault(pattern[1:], provider)
            else:
                exact.setdefault(pattern, provider)
    return _Index(providers, domains, exact, suffix)


def _normalize(name: str) -> str:
    name = name.strip().lower()
    if name.endswith("."):
        name = name[:-1]
    if not name.isascii():
        try:
            import idna

            name = idna.encode(name, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            return ""
    return name


def all_providers() -> tuple[Provider, ...]:
    """Every provider of the table, sorted by id."""
    return _index().providers


def by_domain(domain_ascii: str) -> Provider | None:
    """The provider serving mail addresses at exactly this domain, if the table knows one."""
    return _index().by_domain.get(_normalize(domain_ascii))


@cache
def _public_suffix_list() -> Any:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def _registrable(host: str) -> str | None:
    try:
        result: str | None = _public_suffix_list().privatesuffix(host)
    except Exception:  # a broken host name is simply not found
        return None
    return result


def by_mx_host(host: str) -> Provider | None:
    """The provider operating this MX host, if the table knows one.

    First the MX patterns: an exact pattern, then ``*.x.y`` (any host ending in ``.x.y``),
    the most specific pattern winning. Then the host's parent domains, from the host minus
    its first label down to its registrable domain (public suffix list), matched against
    the providers' mail domains.
    """
    name = _normalize(host)
    if not _HOST_RE.match(name):
        return None
    index = _index()
    found = index.mx_exact.get(name)
    if found is not None:
        return found
    labels = name.split(".")
    for i in range(1, len(labels)):
        found = index.mx_suffix.get("." + ".".join(labels[i:]))
        if found is not None:
            return found
    registrable = _registrable(name)
    if registrable is None:
        return None
    depth = registrable.count(".") + 1
    for i in range(1, len(labels) - depth + 1):
        found = index.by_domain.get(".".join(labels[i:]))
        if found is not None:
            return found
    return index.by_domain.get(registrable)
