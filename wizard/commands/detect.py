"""``mailwizard detect ADDRESS``: find the settings for an address."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TextIO
from urllib.parse import urlsplit

from wizard import contract
from wizard.cli import EXIT_FAILED, EXIT_OK, positive_seconds
from wizard.commands.common import add_address_argument, address_arg
from wizard.i18n import N_, _
from wizard.model import Server, Settings

SOURCE_NAMES = {
    "builtin": N_("the bundled provider table"),
    "autoconfig": N_("the domain's own autoconfig file"),
    "ispdb": N_("the Thunderbird ISP database"),
    "mx": N_("the provider behind the domain's MX host"),
    "srv": N_("the domain's SRV records (RFC 6186)"),
    "autodiscover": N_("Exchange Autodiscover"),
    "guess": N_("guessing likely server names"),
}
SECURITY_NAMES = {"ssl": N_("SSL/TLS"), "starttls": N_("STARTTLS"), "plain": N_("no encryption")}


def register(sub: Any) -> None:
    p = sub.add_parser("detect", help=_("find the settings for an address"),
                       description=_("Find the IMAP, POP3 and SMTP settings for an address."))
    add_address_argument(p)
    p.add_argument("--json", action="store_true", help=_("print the contract's JSON"))
    p.add_argument("--offline", action="store_true",
                   help=_("no network access: the bundled provider table only"))
    p.add_argument("--timeout", type=positive_seconds, default=10.0, metavar="SECONDS",
                   help=_("overall deadline in seconds (default 10)"))
    p.add_argument("--ispdb-url", metavar="URL", type=ispdb_url,
                   help=_("base URL of the ISP database (default: $MAILWIZARD_ISPDB_URL or "
                          "https://autoconfig.thunderbird.net/v1.1/)"))


def run(args: argparse.Namespace) -> int:
    address = address_arg(args.address)
    from wizard.discovery import detect  # after the address is known good: keeps errors fast

    on_event = None if args.json else progress_printer(sys.stderr)
    settings = detect(address, offline=args.offline, timeout=args.timeout,
                      ispdb_url=args.ispdb_url, on_event=on_event)
    if args.json:
        print(contract.dumps(contract.settings_to_json(settings)))
    else:
        print(describe(settings))
    return EXIT_OK if settings.found else EXIT_FAILED


def ispdb_url(text: str) -> str:
    """An argparse type: an http(s) URL."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(_("“{url}” is not an http or https URL", url=text))
    return text


PROGRESS_STATES = {
    "found": N_("found"),
    "nothing": N_("nothing there"),
    "failed": N_("failed"),
}


def progress_printer(stream: TextIO) -> Callable[[object], None]:
    """A detect() listener that prints each source's outcome as it comes (for people)."""
    from wizard.discovery import SourceEvent

    def show(event: object) -> None:
        if isinstance(event, SourceEvent) and event.state in PROGRESS_STATES:
            stream.write(_("  {source}: {state} ({seconds:.1f} s)",
                           source=_(SOURCE_NAMES[event.source]),
                           state=_(PROGRESS_STATES[event.state]),
                           seconds=event.elapsed_ms / 1000) + "\n")
            stream.flush()

    return show


def server_line(server: Server) -> str:
    auth = ", ".join(server.auth)
    return _("{protocol}  {host}:{port}  {security}  user {username}  ({auth})",
             protocol=server.protocol.upper(), host=server.host, port=server.port,
             security=_(SECURITY_NAMES[server.security]), username=server.username, auth=auth)


def describe(settings: Settings) -> str:
    """A readable summary for people at a terminal."""
    lines: list[str] = []
    title = settings.address.email
    if settings.provider:
        title += f" — {settings.provider.name}"
    lines.append(title)
    if not settings.found:
        lines.append(_("No settings were found for this domain."))
    else:
        assert settings.source is not None
        trust = _("trusted") if settings.secure else _(
            "NOT trusted: check the server names before you send a password")
        lines.append(_("Found in: {source} ({trust})", source=_(SOURCE_NAMES[settings.source]),
                       trust=trust))
        if settings.source_url:
            lines.append(f"  {settings.source_url}")
        for heading, servers in ((_("Incoming mail"), settings.incoming),
                                 (_("Outgoing mail"), settings.outgoing)):
            if servers:
                lines.append("")
                lines.append(heading)
                lines.extend(f"  {server_line(s)}" for s in servers)
        if settings.notes:
            lines.append("")
            lines.append(_("What you need to know"))
            for note in settings.notes:
                lines.append(f"  • {note.text}" + (f" <{note.url}>" if note.url else ""))
        limits = settings.limits
        if limits and any((limits.message_size_mb, limits.recipients_per_message,
                           limits.messages_per_day)):
            parts = []
            if limits.message_size_mb:
                parts.append(_("messages up to {n} MB", n=limits.message_size_mb))
            if limits.recipients_per_message:
                parts.append(_("{n} recipients per message", n=limits.recipients_per_message))
            if limits.messages_per_day:
                parts.append(_("about {n} messages a day", n=limits.messages_per_day))
            lines.append("")
            lines.append(_("Limits: {limits}", limits="; ".join(parts)))
    failed = [a for a in settings.attempts if a.outcome in ("error", "timeout", "invalid")]
    if failed and not settings.found:
        lines.append("")
        lines.append(_("Lookups that failed:"))
        lines.extend(f"  {a.source}: {a.target} — {a.outcome}" for a in failed)
    return "\n".join(lines)


