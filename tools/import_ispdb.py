#!/usr/bin/env python3
"""Build the bundled provider table ``providers.json`` from the ISP database snapshot.

    .venv/bin/python tools/import_ispdb.py [--ispdb ../shared/data/ispdb/xml] [--out providers.json]
    .venv/bin/python tools/import_ispdb.py --check     # exit 1 if providers.json is stale

Every XML file of the snapshot is read with :mod:`wizard.configxml` (so the table gets
exactly the checks autoconfig files from the network get), then the hand-kept facts of
``tools/seed_providers.json`` are applied, and the table is written sorted and byte for
byte reproducible: the same inputs always give the same file.

Steps, in order:

1. parse each file; a file the parser refuses is reported and skipped;
2. a configuration whose host names use ``%EMAILDOMAIN%`` is split into one provider per
   domain with the host names filled in (the table holds concrete host names only);
3. seed entries are applied (overlays on ISPDB providers, or providers of their own);
4. a domain claimed by several providers is kept by one (the provider named after it,
   else one that the seed gave it, else the first by id) and dropped from the others;
5. servers are de-duplicated and ordered best first (wizard.model.order_servers: IMAP
   before POP3, implicit TLS before STARTTLS, and plain text after every encrypted server).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from wizard.configxml import (  # noqa: E402
    ClientConfig,
    ConfigXMLError,
    normalize_domain,
    normalize_hostname,
    parse_config_xml,
)
from wizard.contract import server_to_json  # noqa: E402
from wizard.model import (  # noqa: E402
    AUTH_METHODS,
    PROTOCOLS,
    SECURITIES,
    Server,
    order_servers,
)

DEFAULT_ISPDB = REPO.parent / "shared" / "data" / "ispdb" / "xml"
DEFAULT_SEED = REPO / "tools" / "seed_providers.json"
DEFAULT_OUT = REPO / "providers.json"
SCHEMA = REPO / "resources" / "providers.schema.json"
GENERATED_BY = "tools/import_ispdb.py (ISPDB snapshot + tools/seed_providers.json)"
ISPDB_REPO = "https://github.com/thunderbird/autoconfig"

Provider = dict[str, Any]


class ImportError_(Exception):
    """The inputs cannot be turned into a valid table."""


# ---------------------------------------------------------------------------------------
# Reading


def read_snapshot(ispdb: Path, log: list[str]) -> list[tuple[str, ClientConfig]]:
    """Every parsable config of the snapshot folder, by file name."""
    configs = []
    for path in sorted(ispdb.glob("*.xml")):
        try:
            configs.append((path.name, parse_config_xml(path.read_bytes())))
        except ConfigXMLError as exc:
            log.append(f"skipped {path.name}: {exc}")
    return configs


def snapshot_commit(ispdb: Path) -> str | None:
    """The ISPDB commit named in the snapshot's SOURCE.md, if there is one."""
    source = ispdb.parent / "SOURCE.md"
    if not source.is_file():
        return None
    match = re.search(r"\b([0-9a-f]{40})\b", source.read_text("utf-8"))
    return match.group(1) if match else None


def attribution(commit: str | None) -> str:
    where = f"{ISPDB_REPO}, folder ispdb/" + (f", commit {commit}" if commit else "")
    return (
        "Provider data derived from the Thunderbird ISP database "
        f"({where}), © its contributors, licensed under the Mozilla Public License 2.0 "
        "(https://mozilla.org/MPL/2.0/). Checked, corrected and extended by the MailWizard "
        "developers (tools/seed_providers.json); this table is available under the same "
        "licence."
    )


# ---------------------------------------------------------------------------------------
# Conversion


def server_from_seed(data: dict[str, Any], where: str) -> Server:
    """A seed server entry, checked as strictly as the XML parser checks its own."""
    unknown = set(data) - {"protocol", "host", "port", "security", "auth", "username"}
    if unknown:
        raise ImportError_(f"{where}: unknown server fields {sorted(unknown)}")
    host = normalize_hostname(str(data.get("host", "")))
    port = data.get("port")
    auth = tuple(data.get("auth", ("password-cleartext",)))
    if (
        data.get("protocol") not in PROTOCOLS
        or host is None
        or host != data.get("host")
        or not isinstance(port, int)
        or not 1 <= port <= 65535
        or data.get("security") not in SECURITIES
        or not auth
        or any(a not in AUTH_METHODS for a in auth)
        or len(set(auth)) != len(auth)
    ):
        raise ImportError_(f"{where}: invalid server {data!r}")
    return Server(
        protocol=data["protocol"],
        host=host,
        port=port,
        security=data["security"],
        auth=auth,
        username=str(data.get("username", "%EMAILADDRESS%")),
    )


def _note_code(instruction: str) -> str:
    return "app-password" if re.search(r"passw", instruction, re.IGNORECASE) else "enable-imap"


def providers_from_config(name: str, config: ClientConfig, log: list[str]) -> list[Provider]:
    """The table entries for one ISPDB configuration (several if hosts use %EMAILDOMAIN%)."""
    notes = []
    if config.enable is not None and config.enable[1]:
        url, instruction = config.enable
        notes.append({"code": _note_code(instruction), "text": {"en": instruction}, "url": url})
    documentation = [
        {"url": url, "text": {"en": text}} if text else {"url": url}
        for url, text in config.documentation
    ]
    # The ISPDB is keyed by file name (its "id" attributes repeat: six Zoho files say
    # "zoho.com"), so the file name is the provider id.
    base: Provider = {
        "id": name.removesuffix(".xml").lower(),
        "name": config.display_name,
        "short_name": config.short_name,
        "origin": "ispdb",
        "domains": list(config.domains),
        "mx_patterns": [],
        "incoming": list(config.incoming),
        "outgoing": list(config.outgoing),
        "notes": notes,
        "documentation": documentation,
    }
    if config.oauth2 is not None:
        o = config.oauth2
        base["oauth2"] = {
            "issuer": o.issuer,
            "scope": o.scope,
            "auth_url": o.auth_url,
            "token_url": o.token_url,
        }
    if not config.domains:
        log.append(f"skipped {name}: no valid domain")
        return []
    if not config.domain_dependent:
        return [base]
    # One provider per domain; the file's own domain keeps the file's id.
    out = []
    for domain in config.domains:
        try:
            filled = config.for_domain(domain)
        except ConfigXMLError as exc:
            log.append(f"{name}: dropped domain {domain}: {exc}")
            continue
        out.append(
            base
            | {
                "id": base["id"] if domain == base["id"] else domain,
                "name": filled.display_name,
                "short_name": filled.short_name,
                "domains": [domain],
                "incoming": list(filled.incoming),
                "outgoing": list(filled.outgoing),
            }
        )
    log.append(f"{name}: host names use %EMAILDOMAIN%, split into {len(out)} providers")
    return out


# ---------------------------------------------------------------------------------------
# Seed


_OVERLAY_FIELDS = {
    "name",
    "short_name",
    "domains",
    "add_domains",
    "mx_patterns",
    "incoming",
    "outgoing",
    "add_incoming",
    "add_outgoing",
    "remove_servers",
    "notes",
    "limits",
    "documentation",
    "oauth2",
    "fixes",
}


def apply_seed(providers: dict[str, Provider], seed: dict[str, Any]) -> dict[str, set[str]]:
    """Apply the seed entries in place; return the domains each seed entry claims."""
    claims: dict[str, set[str]] = {}
    for pid, entry in sorted(seed.get("providers", {}).items()):
        where = f"seed {pid}"
        unknown = set(entry) - _OVERLAY_FIELDS
        if unknown:
            raise ImportError_(f"{where}: unknown fields {sorted(unknown)}")
        existing = providers.get(pid)
        if existing is None:
            missing = {"domains", "incoming", "outgoing", "name"} - set(entry)
            if missing:
                raise ImportError_(f"{where}: not in the ISPDB, so it needs {sorted(missing)}")
            provider: Provider = {
                "id": pid,
                "name": entry["name"],
                "short_name": entry.get("short_name"),
                "origin": "seed",
                "domains": [],
                "mx_patterns": [],
                "incoming": [],
                "outgoing": [],
                "notes": [],
                "documentation": [],
            }
            providers[pid] = provider
        else:
            provider = existing
            provider["origin"] = "ispdb+seed"
        for key in ("name", "short_name"):
            if key in entry:
                provider[key] = entry[key]
        added = []
        if "domains" in entry:
            added = list(entry["domains"])
            provider["domains"] = []
        added += entry.get("add_domains", [])
        for raw in added:
            domain = normalize_domain(raw)
            if domain is None or domain != raw:
                raise ImportError_(f"{where}: invalid domain {raw!r}")
            if domain not in provider["domains"]:
                provider["domains"].append(domain)
        claims[pid] = set(added)
        for key in ("incoming", "outgoing"):
            if key in entry:
                provider[key] = [server_from_seed(s, where) for s in entry[key]]
            provider[key] += [server_from_seed(s, where) for s in entry.get(f"add_{key}", [])]
        for rule in entry.get("remove_servers", []):
            for key in ("incoming", "outgoing"):
                before = len(provider[key])
                provider[key] = [
                    s for s in provider[key] if not all(getattr(s, k) == v for k, v in rule.items())
                ]
                if len(provider[key]) != before:
                    break
            else:
                raise ImportError_(f"{where}: remove_servers {rule} matches nothing")
        for key in ("mx_patterns", "notes", "documentation", "limits", "oauth2"):
            if key in entry:
                provider[key] = entry[key]
    return claims


# ---------------------------------------------------------------------------------------
# Consistency


def resolve_domain_conflicts(
    providers: dict[str, Provider], seed_claims: dict[str, set[str]], log: list[str]
) -> None:
    """Leave every domain with exactly one provider; drop providers left without any."""
    owners: dict[str, list[str]] = {}
    for pid in sorted(providers):
        for domain in providers[pid]["domains"]:
            owners.setdefault(domain, []).append(pid)
    for domain, pids in sorted(owners.items()):
        if len(pids) < 2:
            continue
        named = [p for p in pids if p == domain]
        seeded = [p for p in pids if domain in seed_claims.get(p, set())]
        winner = (named or seeded or pids)[0]
        for pid in pids:
            if pid != winner:
                providers[pid]["domains"].remove(domain)
        log.append(f"domain {domain} claimed by {', '.join(pids)}: kept by {winner}")
    for pid in sorted(providers):
        if not providers[pid]["domains"]:
            log.append(f"provider {pid} dropped: all its domains belong to others")
            del providers[pid]


def check_mx_patterns(providers: dict[str, Provider]) -> None:
    seen: dict[str, str] = {}
    for pid in sorted(providers):
        for pattern in providers[pid]["mx_patterns"]:
            if pattern in seen:
                raise ImportError_(f"MX pattern {pattern} given to {seen[pattern]} and {pid}")
            seen[pattern] = pid


def _dedupe(servers: Iterable[Server]) -> list[Server]:
    out: list[Server] = []
    for server in servers:
        if not any(
            (s.protocol, s.host, s.port, s.security)
            == (server.protocol, server.host, server.port, server.security)
            for s in out
        ):
            out.append(server)
    return out


def finish(provider: Provider) -> Provider:
    """The provider as the schema wants it: fixed key order, servers best first."""
    incoming = order_servers(_dedupe(provider["incoming"]))
    outgoing = order_servers(_dedupe(provider["outgoing"]))
    if not incoming:
        raise ImportError_(f"provider {provider['id']} has no incoming server")
    out: Provider = {
        "id": provider["id"],
        "name": provider["name"],
        "short_name": provider.get("short_name") or provider["name"],
        "origin": provider["origin"],
        "domains": list(provider["domains"]),
        "mx_patterns": list(provider["mx_patterns"]),
        "incoming": [server_to_json(s) for s in incoming],
        "outgoing": [server_to_json(s) for s in outgoing],
        "notes": list(provider["notes"]),
    }
    if provider.get("limits"):
        out["limits"] = provider["limits"]
    if provider.get("oauth2"):
        out["oauth2"] = provider["oauth2"]
    out["documentation"] = list(provider["documentation"])
    return out


def build_table(
    configs: list[tuple[str, ClientConfig]],
    seed: dict[str, Any],
    commit: str | None,
    log: list[str] | None = None,
) -> dict[str, Any]:
    """The whole table from parsed configurations and the seed."""
    log = [] if log is None else log
    providers: dict[str, Provider] = {}
    for name, config in configs:
        for provider in providers_from_config(name, config, log):
            if provider["id"] in providers:
                raise ImportError_(f"{name}: provider id {provider['id']} used twice")
            providers[provider["id"]] = provider
    claims = apply_seed(providers, seed)
    resolve_domain_conflicts(providers, claims, log)
    check_mx_patterns(providers)
    return {
        "schema_version": 1,
        "generated_by": GENERATED_BY,
        "attribution": attribution(commit),
        "providers": [finish(providers[pid]) for pid in sorted(providers)],
    }


def render(table: dict[str, Any]) -> str:
    return json.dumps(table, ensure_ascii=False, indent=1) + "\n"


def validate(table: dict[str, Any]) -> None:
    """Check the table against the schema when jsonschema is installed (a test extra)."""
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - the venv has it
        return
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.validate(table, schema)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--ispdb",
        type=Path,
        default=DEFAULT_ISPDB,
        help="folder of the ISPDB XML files (default: %(default)s)",
    )
    parser.add_argument(
        "--seed", type=Path, default=DEFAULT_SEED, help="hand-kept facts (default: %(default)s)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="where to write the table (default: %(default)s)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if --out differs from a fresh import",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)

    if not args.ispdb.is_dir():
        print(f"import_ispdb: no ISPDB folder at {args.ispdb}", file=sys.stderr)
        return 2
    log: list[str] = []
    try:
        configs = read_snapshot(args.ispdb, log)
        seed = json.loads(args.seed.read_text("utf-8"))
        table = build_table(configs, seed, snapshot_commit(args.ispdb), log)
        validate(table)
    except (ImportError_, OSError, ValueError) as exc:
        print(f"import_ispdb: {exc}", file=sys.stderr)
        return 2
    text = render(table)
    if not args.quiet:
        for line in log:
            print(line, file=sys.stderr)
        domains = sum(len(p["domains"]) for p in table["providers"])
        print(
            f"{len(configs)} ISPDB files, {len(table['providers'])} providers, {domains} domains",
            file=sys.stderr,
        )
    if args.check:
        current = args.out.read_text("utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"import_ispdb: {args.out} is out of date", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
