"""Shared pieces of the discovery tests on the simulated internet."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.address import parse_address
from wizard.discovery import detect
from wizard.model import Settings

ISPDB_DOMAIN = "ispdb.test"
ISPDB_URL = f"https://autoconfig.{ISPDB_DOMAIN}/v1.1/"
REPO = Path(__file__).resolve().parents[2]
XML = "application/xml"


def config_xml(
    imap_host: str,
    smtp_host: str | None = None,
    *,
    provider: str = "example.test",
    name: str = "Example Mail",
    username: str = "%EMAILADDRESS%",
    imap_port: int = 993,
    imap_socket: str = "SSL",
    extra: str = "",
) -> str:
    """A config-v1.1.xml document with one IMAP and (optionally) one SMTP server."""
    outgoing = ""
    if smtp_host:
        outgoing = (f'<outgoingServer type="smtp"><hostname>{smtp_host}</hostname>'
                    "<port>465</port><socketType>SSL</socketType>"
                    f"<username>{username}</username>"
                    "<authentication>password-cleartext</authentication></outgoingServer>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<clientConfig version="1.1">'
        f'<emailProvider id="{provider}"><domain>{provider}</domain>'
        f"<displayName>{name}</displayName>"
        f'<incomingServer type="imap"><hostname>{imap_host}</hostname>'
        f"<port>{imap_port}</port><socketType>{imap_socket}</socketType>"
        f"<username>{username}</username>"
        "<authentication>password-cleartext</authentication></incomingServer>"
        f"{outgoing}{extra}</emailProvider></clientConfig>"
    )


def publish_ispdb(netsim: Any, entries: dict[str, str]) -> None:
    """Serve ``{domain: config xml}`` as the ISP database at :data:`ISPDB_URL`."""
    netsim.domain(ISPDB_DOMAIN).host(
        "autoconfig",
        https={f"/v1.1/{domain}": (XML, body) for domain, body in entries.items()},
    )


def find(address: str, timeout: float = 6.0, **kwargs: Any) -> Settings:
    """detect() in this process, with the simulated ISP database."""
    return detect(parse_address(address), timeout=timeout, ispdb_url=ISPDB_URL, **kwargs)


@dataclass
class CliResult:
    code: int
    json: dict[str, Any]
    stderr: str
    seconds: float


def run_cli(netsim: Any, address: str, *args: str, timeout: float = 6.0) -> CliResult:
    """``python -m wizard detect ADDRESS --json`` as a user would run it (env: ISPDB URL)."""
    env = netsim.env(MAILWIZARD_ISPDB_URL=ISPDB_URL)
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "detect", address, "--json", "--timeout", str(timeout),
         *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout + 30,
    )  # fmt: skip
    seconds = time.monotonic() - started
    assert proc.returncode in (0, 1), proc.stderr
    return CliResult(proc.returncode, json.loads(proc.stdout), proc.stderr, seconds)


def outcomes(settings: Settings, source: str) -> dict[str, str]:
    """target -> outcome for one source's attempts."""
    return {a.target: a.outcome for a in settings.attempts if a.source == source}


def netsim_part(netsim: Any, name: str) -> Any:
    """A module of the netsim package, as pytest imported it (``resources``, ``hostile``…)."""
    import importlib

    package = type(netsim).__module__.rsplit(".", 1)[0]
    return importlib.import_module(f"{package}.{name}")


def endpoint(netsim: Any, status: int, content_type: str, body: bytes) -> Any:
    """A POST-capable path that always answers the same and records its requests."""
    resources = netsim_part(netsim, "resources")
    return resources.Endpoint(resources.Response(status, content_type, body))
