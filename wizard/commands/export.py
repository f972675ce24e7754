"""``mailwizard export ADDRESS --format FORMAT``: write the settings for another program."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wizard.cli import EXIT_FAILED, EXIT_OK, UsageError
from wizard.commands.common import (
    add_address_argument,
    add_config_argument,
    address_arg,
    read_password_stdin,
    settings_for,
)
from wizard.export import EXPORTERS, ExportError, default_path, export
from wizard.export.base import check_text
from wizard.i18n import _
from wizard.model import Settings


def register(sub: Any) -> None:
    names = ", ".join(EXPORTERS)
    p = sub.add_parser(
        "export", help=_("write the settings for another mail program"),
        description=_("Write the settings of an address in the format another program reads: "
                      "{formats}.", formats=names))
    add_address_argument(p)
    p.add_argument("--format", required=True, choices=list(EXPORTERS), metavar="FORMAT",
                   help=_("what to write (one of: {formats})", formats=names))
    add_config_argument(p)
    p.add_argument("--out", metavar="PATH",
                   help=_("the file or folder to write (default: a name in this folder)"))
    p.add_argument("--name", metavar="FULL_NAME",
                   help=_("the person's name, shown as the sender"))
    p.add_argument("--include-password", action="store_true",
                   help=_("write the password too (with --password-stdin, or from the keyring)"))
    p.add_argument("--password-stdin", action="store_true",
                   help=_("read the password to include from standard input"))
    p.add_argument("--force", action="store_true",
                   help=_("replace files that already exist"))


class KeyringFailed(Exception):
    """The keyring is missing, locked or failed: the job failed (exit 1), not the usage."""


def _keyring_password(settings: Settings) -> str:
    """The password to include, from the keyring; nothing stored is a usage error (exit 2)."""
    from wizard import keystore

    server = (settings.incoming or settings.outgoing or (None,))[0]
    try:
        password = keystore.password_for(settings.address, server)
    except keystore.KeystoreError as exc:
        raise KeyringFailed(" ".join(f"{exc.title}: {exc.message}".split())) from None
    if password is None:
        raise UsageError(_("no password for {address} is stored in the keyring; give it with "
                           "--password-stdin", address=settings.address.email))
    return password


def run(args: argparse.Namespace) -> int:
    address = address_arg(args.address)
    if args.password_stdin and not args.include_password:
        raise UsageError(_("--password-stdin is only used with --include-password"))
    name = args.name.strip() if args.name is not None else None
    if name is not None:
        try:
            check_text(name, _("The name"))
        except ExportError as exc:
            raise UsageError(str(exc)) from None
    password = read_password_stdin() if args.password_stdin else None

    settings = settings_for(args, address)
    if not settings.found or not (settings.incoming or settings.outgoing):
        print(_("mailwizard: no settings were found for {address}; give them with --config",
                address=address.email), file=sys.stderr)
        return EXIT_FAILED
    if args.include_password and password is None:
        try:
            password = _keyring_password(settings)
        except KeyringFailed as exc:  # the keyring failed, not the usage: exit 1
            print(f"mailwizard: {exc}", file=sys.stderr)
            return EXIT_FAILED

    out = Path(args.out) if args.out else default_path(args.format, address)
    try:
        result = export(args.format, settings, name or None, password, out,
                        overwrite=args.force)
    except ExportError as exc:
        print(f"mailwizard: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for path in result.paths:
        print(_("Wrote {path}", path=path))
    for note in result.notes:
        print(f"  • {note}")
    return EXIT_OK
