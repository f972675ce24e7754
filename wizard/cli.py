"""The command line: ``mailwizard [COMMAND] …`` (see ``cli-contract.md``).

Each command lives in ``wizard/commands/<name>.py`` with ``register(subparsers)`` and
``run(args) -> int``. Bad input ends with exit status 2 and one line on stderr; no
traceback ever reaches a person.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from wizard import __version__
from wizard.i18n import _, set_language

# Command modules, in the order ``--help`` lists them.
COMMANDS = ("detect", "password", "probe", "export")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input or usage: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(_("{message} (see “{prog} --help”)", message=message, prog=self.prog))


def positive_seconds(text: str) -> float:
    """An argparse type: a number of seconds between 0.1 and 600."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("“{text}” is not a number of seconds", text=text)) \
            from None
    if not 0.1 <= value <= 600:
        raise argparse.ArgumentTypeError(_("the timeout must be between 0.1 and 600 seconds"))
    return value


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that command's (a command imports only what it uses)."""
    parser = _Parser(
        prog="mailwizard",
        description=_(
            "Set up a mail account from just its address: find, check and export the "
            "IMAP, POP3 and SMTP settings. Without a command, the graphical wizard opens."
        ),
    )
    parser.add_argument("--version", action="version", version=f"mailwizard {__version__}")
    parser.add_argument(
        "--lang", choices=("en", "ru"), help=_("language of messages (default: the system's)")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS if only is None else (only,):
        importlib.import_module(f"wizard.commands.{name}").register(sub)
    return parser


def _lang_from_argv(argv: Sequence[str]) -> str | None:
    """``--lang`` must take effect before the parser's own texts are made."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    set_language(_lang_from_argv(args_list))
    try:
        if not _without_lang(args_list):
            # No command: the window, without building every command's parser first.
            return _open_gui()
        rest = _without_lang(args_list)
        parser = build_parser(rest[0] if rest[0] in COMMANDS else None)
        args = parser.parse_args(args_list)
        if args.command is None:
            return _open_gui()
        status: int = importlib.import_module(f"wizard.commands.{args.command}").run(args)
        return status
    except UsageError as exc:
        print(f"mailwizard: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(_("mailwizard: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_FAILED
    except Exception as exc:  # the last line of defence: never show a traceback
        print(
            _("mailwizard: an unexpected error stopped the program ({kind}). "
              "Please report it to the developers.", kind=type(exc).__name__),
            file=sys.stderr,
        )
        return EXIT_FAILED


def _without_lang(argv: list[str]) -> list[str]:
    """The arguments less ``--lang X`` / ``--lang=X``."""
    rest: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            rest.append(arg)
    return rest


def _open_gui() -> int:
    """Open the graphical wizard, or say in one line why it cannot open here."""
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        print(_("mailwizard: there is no graphical display here, so the wizard cannot open; "
                "the commands work without one (see “mailwizard --help”)."), file=sys.stderr)
        return EXIT_FAILED
    try:
        gui = importlib.import_module("wizard.gui.app")
        status: int = gui.run()
    except ImportError as exc:
        # Qt missing or unloadable (e.g. system libraries absent): say so, offer the commands.
        print(_("mailwizard: the graphical wizard cannot start ({reason}); the commands "
                "still work, see “mailwizard --help”.", reason=str(exc)), file=sys.stderr)
        return EXIT_FAILED
    return status
