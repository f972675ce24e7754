"""``mailwizard password set|get|delete|list``: an account's password in the system keyring.

The secret is read from standard input (or typed without echo at a terminal), never taken
from the command line, where other users could see it in the process list. ``get`` is the
one place the program prints a password: on standard output, for scripts that pipe it on.
Where it is stored is described in :mod:`wizard.keystore`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from typing import Any

from wizard import keystore
from wizard.address import Address
from wizard.cli import EXIT_FAILED, EXIT_OK, UsageError, _Parser
from wizard.commands.common import (
    MAX_PASSWORD_BYTES,
    add_address_argument,
    address_arg,
    read_password_stdin,
)
from wizard.i18n import _


def server_arg(text: str) -> keystore.ServerKey:
    """An argparse type: ``PROTOCOL:HOST:PORT``."""
    try:
        return keystore.ServerKey.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class _NoEchoParser(_Parser):
    """Refuses unexpected arguments without repeating them: one may be a password."""

    # typeshed overloads parse_known_args on the namespace's type; argparse only ever
    # calls it (through parse_args) the one way this signature covers.
    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            raise UsageError(_(
                "unexpected arguments (not repeated here, in case one is a password); a "
                "password is never taken from the command line: pipe it on standard input "
                "or type it when asked"))
        return parsed, extras


def register(sub: Any) -> None:
    p = sub.add_parser(
        "password", help=_("keep an account's password in the system keyring"),
        description=_("Store, show, remove and list the passwords MailWizard keeps in the "
                      "system keyring (service “{service}”). The password is read from "
                      "standard input, or typed without echo at a terminal; it is never "
                      "taken from the command line.", service=keystore.SERVICE))
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True,
                               parser_class=_NoEchoParser)
    server_help = _("the password of one server (e.g. smtp:smtp.example.com:465) instead "
                    "of the account's")

    for name, short, long in (
        ("set", _("store or replace a password (read from stdin)"),
         _("Store a password, replacing any stored before. "
           "It is read from standard input (one line).")),
        ("get", _("print a stored password on standard output"),
         _("Print a stored password on standard output. With --server, the "
           "server's own password, else the account's (as probe and export use).")),
        ("delete", _("remove a stored password"),
         _("Remove a stored password from the keyring.")),
    ):
        a = actions.add_parser(name, help=short, description=long)
        add_address_argument(a)
        a.add_argument("--server", type=server_arg, metavar="PROTOCOL:HOST:PORT",
                       help=server_help)

    a = actions.add_parser("list", help=_("list the stored passwords (without the secrets)"),
                           description=_("List the passwords MailWizard stored, without the "
                                         "secrets: all accounts, or one."))
    a.add_argument("address", metavar="ADDRESS", nargs="?", help=_("only this address"))
    a.add_argument("--json", action="store_true", help=_("print JSON"))


def run(args: argparse.Namespace) -> int:
    address = address_arg(args.address) if args.address is not None else None
    try:
        if args.action == "list":
            return _list(address, args.json)
        assert address is not None
        if args.action == "set":
            return _set(address, args)
        if args.action == "get":
            sys.stdout.write(keystore.read(address, args.server, fallback=True) + "\n")
            return EXIT_OK
        entry = keystore.delete(address, args.server)
        print(_("Removed the password for {what} from the keyring.", what=entry.describe()))
        return EXIT_OK
    except keystore.KeystoreError as exc:
        print(f"mailwizard: {exc.title}: {exc.message}", file=sys.stderr)
        return EXIT_FAILED


def _set(address: Address, args: argparse.Namespace) -> int:
    entry = keystore.entry_for(address, args.server)
    password = _read_secret(entry)
    keystore.save(address, password, args.server)
    print(_("Saved the password for {what} in the keyring ({keyring}).",
            what=entry.describe(), keyring=keystore.backend_name()))
    return EXIT_OK


def _read_secret(entry: keystore.Entry) -> str:
    if sys.stdin is None or sys.stdin.closed:
        raise UsageError(_("there is no standard input to read the password from"))
    if not sys.stdin.isatty():
        return read_password_stdin()
    try:
        first = getpass.getpass(_("Password for {what}: ", what=entry.describe()))
        again = getpass.getpass(_("The same password again: "))
    except EOFError:
        raise UsageError(_("no password was typed")) from None
    if first != again:
        raise UsageError(_("the two passwords differ; nothing was saved"))
    if not first:
        raise UsageError(_("the password is empty"))
    if len(first.encode("utf-8", "surrogatepass")) > MAX_PASSWORD_BYTES:
        raise UsageError(_("the password is too long"))
    return first


def _list(address: Address | None, as_json: bool) -> int:
    try:
        name = keystore.backend_name()
        found = keystore.entries(address)
    except keystore.KeystoreError as exc:
        if as_json:
            print(json.dumps({"schema": 1, "service": keystore.SERVICE, "keyring": None,
                              "entries": [], "error": {"code": exc.code, "title": exc.title,
                                                       "message": exc.message}},
                             ensure_ascii=False, indent=2))
        raise
    if as_json:
        print(json.dumps({"schema": 1, "service": keystore.SERVICE, "keyring": name,
                          "entries": [_entry_json(e) for e in found], "error": None},
                         ensure_ascii=False, indent=2))
    elif not found:
        print(_("No passwords stored (keyring: {keyring}).", keyring=name))
    else:
        for entry in found:
            where = _("all servers") if entry.server is None else str(entry.server)
            print(f"{entry.email}\t{where}")
    return EXIT_OK


def _entry_json(entry: keystore.Entry) -> dict[str, Any]:
    server = None if entry.server is None else {
        "protocol": entry.server.protocol, "host": entry.server.host, "port": entry.server.port}
    return {"email": entry.email, "server": server, "keyring_user": entry.user}
