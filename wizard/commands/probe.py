"""``mailwizard probe ADDRESS``: check the servers live, sign in, optionally a round trip."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from wizard import contract
from wizard.cli import EXIT_FAILED, EXIT_OK, UsageError, positive_seconds
from wizard.commands.common import (
    add_address_argument,
    add_config_argument,
    address_arg,
    read_password_stdin,
    settings_for,
)
from wizard.i18n import N_, _
from wizard.model import Server, Settings
from wizard.probe import ProbeEvent, ProbeOptions, ProbeReport, probe, probe_result_to_json
from wizard.probe.certinfo import fingerprint, parse_fingerprint
from wizard.probe.check import ServerResult

SECURITY_NAMES = {"ssl": N_("SSL/TLS"), "starttls": N_("STARTTLS"), "plain": N_("no encryption")}
STAGE_NAMES = {
    "resolve": N_("server name found"),
    "connect": N_("connected"),
    "tls": N_("encrypted connection, certificate verified"),
    "greeting": N_("the server greeted"),
    "starttls": N_("STARTTLS accepted"),
    "capabilities": N_("capabilities read"),
    "auth": N_("signed in"),
}
# Why a certificate the person trusts by its fingerprint failed the usual check.
CERT_PROBLEMS = {
    "cert-untrusted": N_("not issued by an authority this computer trusts"),
    "cert-expired": N_("expired or not yet valid"),
    "cert-hostname-mismatch": N_("issued for another name"),
}


def register(sub: Any) -> None:
    p = sub.add_parser("probe", help=_("check the servers for an address live"),
                       description=_("Connect to each incoming and outgoing server, check its "
                                     "encryption and certificate and, given the password, "
                                     "sign in."))
    add_address_argument(p)
    p.add_argument("--json", action="store_true", help=_("print the contract's JSON"))
    add_config_argument(p)
    p.add_argument("--password-stdin", action="store_true",
                   help=_("read the password from standard input and sign in"))
    p.add_argument("--keyring", action="store_true",
                   help=_("take the password from the system keyring"))
    p.add_argument("--allow-plaintext", action="store_true",
                   help=_("allow sending the password over an unencrypted connection"))
    p.add_argument("--accept-insecure-source", action="store_true",
                   help=_("allow sending the password to servers from an untrusted source"))
    p.add_argument("--round-trip", action="store_true",
                   help=_("send a test message to the address and wait for it"))
    p.add_argument("--transcript", action="store_true",
                   help=_("show each server conversation (passwords are hidden)"))
    p.add_argument("--timeout", type=positive_seconds, default=20.0, metavar="SECONDS",
                   help=_("deadline in seconds for all servers together (default 20)"))
    p.add_argument("--trust-fingerprint", type=fingerprint_arg, action="append", default=[],
                   metavar="SHA256",
                   help=_("trust the server certificate with this SHA-256 fingerprint (hex, "
                          "colons allowed) even though it fails verification; only that "
                          "certificate is accepted, so do this only when your provider or "
                          "administrator confirmed the fingerprint (repeatable)"))


def fingerprint_arg(text: str) -> str:
    """An argparse type: a SHA-256 certificate fingerprint, as lower-case hex."""
    try:
        return parse_fingerprint(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_(
            "“{value}” is not a SHA-256 fingerprint (64 hexadecimal digits, colons allowed)",
            value=text)) from None


def run(args: argparse.Namespace) -> int:
    address = address_arg(args.address)
    password = read_password_stdin() if args.password_stdin else None
    settings = settings_for(args, address)
    passwords: dict[Server, str] = {}
    if password is None and args.keyring:
        try:
            password, passwords = _keyring_passwords(settings)
        except KeyringFailed as exc:
            print(f"mailwizard: {exc}", file=sys.stderr)
            return EXIT_FAILED
    if args.round_trip and password is None and not passwords:
        raise UsageError(_("--round-trip needs the password (--password-stdin)"))
    options = ProbeOptions(password=password, passwords=passwords,
                           allow_plaintext=args.allow_plaintext,
                           accept_insecure_source=args.accept_insecure_source,
                           round_trip=args.round_trip, timeout=args.timeout,
                           trusted_fingerprints=frozenset(args.trust_fingerprint))
    on_event = None if args.json or not sys.stderr.isatty() else _progress
    report = probe(settings, options, on_event=on_event)
    if args.json:
        print(contract.dumps(probe_result_to_json(report)))
    else:
        print(describe(settings, report, transcript=args.transcript))
    return EXIT_OK if report.ok else EXIT_FAILED


class KeyringFailed(Exception):
    """The keyring is missing, locked or failed: the job failed (exit 1), not the usage."""


def _keyring_passwords(settings: Settings) -> tuple[str | None, dict[Server, str]]:
    """The account's password and each server's own, from the keyring.

    Nothing stored is a usage error (give the password with --password-stdin, exit 2); a
    keyring that cannot be read raises :class:`KeyringFailed` with one line to show.
    """
    from wizard import keystore

    try:
        account = keystore.password_for(settings.address)
        per_server = {s: p for s in (*settings.incoming, *settings.outgoing)
                      if (p := keystore.password_for(settings.address, s)) is not None}
    except keystore.KeystoreError as exc:
        raise KeyringFailed(" ".join(f"{exc.title}: {exc.message}".split())) from None
    if account is None and not per_server:
        raise UsageError(_("no password for {address} is stored in the keyring",
                           address=settings.address.email))
    return account, per_server


def _progress(event: ProbeEvent) -> None:
    if event.result is None:
        stage = _(STAGE_NAMES.get(event.stage, event.stage))
        print(f"  {event.server.host}:{event.server.port} … {stage}", file=sys.stderr)


def describe(settings: Settings, report: ProbeReport, *, transcript: bool = False) -> str:
    """A checklist per server, for people at a terminal."""
    lines = [report.address.email]
    if not report.results:
        lines.append(_("No settings were found for this address, so nothing was checked."))
    for result in report.results:
        lines.append("")
        lines.extend(_server_lines(result))
        if transcript:
            lines.extend(f"    {line}" for line in result.transcript)
    trip = report.round_trip
    if trip is not None:
        lines.append("")
        if trip.ok:
            lines.append(_("✓ Round trip: the test message arrived after {seconds:.1f} s and "
                           "was deleted.", seconds=trip.elapsed_ms / 1000))
        elif trip.error:
            lines.append(_("✗ Round trip failed: {message}", message=trip.error.message))
            lines.append("    " + _("What to do: {hint}", hint=trip.error.hint))
        if transcript:
            lines.extend(f"    {line}" for line in trip.transcript)
    lines.append("")
    lines.append(_("All servers passed.") if report.ok else _("Some checks failed."))
    if not settings.secure:
        lines.append(_("Note: these settings came from a source that is not trusted."))
    return "\n".join(lines)


def _server_lines(result: ServerResult) -> list[str]:
    s = result.server
    lines = [_("{protocol}  {host}:{port}  {security}", protocol=s.protocol.upper(),
               host=s.host, port=s.port, security=_(SECURITY_NAMES[s.security]))]
    wanted = {
        "ssl": ["resolve", "connect", "tls", "greeting", "capabilities", "auth"],
        "starttls": ["resolve", "connect", "greeting", "capabilities", "starttls", "tls", "auth"],
        "plain": ["resolve", "connect", "greeting", "capabilities", "auth"],
    }[s.security]
    if result.ok:
        passed = wanted if result.username_used else wanted[:-1]
    else:
        passed = wanted[:wanted.index(result.stage)] if result.stage in wanted else []
    cert = result.tls.certificate if result.tls else None
    for stage in passed:
        name = _(STAGE_NAMES[stage])
        if stage == "tls" and cert is not None and cert.trusted_by_fingerprint:
            problem = CERT_PROBLEMS.get(cert.verify_error or "", N_("not verified"))
            name = _("encrypted connection; the certificate failed the usual check ({problem}) "
                     "and was accepted by your decision: you trust its fingerprint",
                     problem=_(problem))
        lines.append("  ✓ " + name + _detail(result, stage))
    if result.error is not None:
        lines.append("  ✗ " + result.error.message)
        lines.append("    " + _("What to do: {hint}", hint=result.error.hint))
        if result.error.reply:
            lines.append("    " + _("The server said: {reply}", reply=result.error.reply))
    elif result.username_used is None:
        lines.append("  " + _("(no password given: sign-in not tried)"))
    return lines


def _detail(result: ServerResult, stage: str) -> str:
    if stage == "tls" and result.tls and result.tls.certificate:
        cert = result.tls.certificate
        return _(" ({version}; {subject}, until {date}; SHA-256 {fingerprint})",
                 version=result.tls.version or "?", subject=cert.subject,
                 date=(cert.not_after or "?")[:10], fingerprint=fingerprint(cert.sha256))
    if stage == "capabilities" and result.capabilities:
        return ": " + ", ".join(result.capabilities[:12]) + (
            " …" if len(result.capabilities) > 12 else "")
    if stage == "auth" and result.username_used:
        return _(" as {username} ({mechanism})", username=result.username_used,
                 mechanism=result.mechanism_used or "?")
    return ""
