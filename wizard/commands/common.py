"""What several commands share: getting settings (``--config`` or detection) and a password."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wizard import contract
from wizard.address import Address, AddressError, parse_address
from wizard.cli import UsageError
from wizard.i18n import _
from wizard.model import Settings

MAX_CONFIG_BYTES = 1 << 20
MAX_PASSWORD_BYTES = 4096


def add_address_argument(parser: argparse.ArgumentParser) -> None:
    """The ADDRESS every command takes first."""
    parser.add_argument("address", metavar="ADDRESS", help=_("the e-mail address"))


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    """``--config FILE``: what ``detect --json`` printed, so commands chain."""
    parser.add_argument("--config", metavar="FILE",
                        help=_("settings from “detect --json” instead of detecting them again"))


def address_arg(text: str) -> Address:
    """Parse an ADDRESS argument; a bad one is a usage error with its own message."""
    try:
        return parse_address(text)
    except AddressError as exc:
        raise UsageError(exc.message) from None


def load_config(path: str, address: Address | None = None) -> Settings:
    """Read ``--config FILE`` (the JSON of ``detect --json``) for ``address``."""
    try:
        with Path(path).open("rb") as f:
            data = f.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise UsageError(_("cannot read the settings file “{path}”: {reason}",
                           path=path, reason=exc.strerror or str(exc))) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise UsageError(_("the settings file “{path}” is too large", path=path))
    try:
        return contract.settings_from_json(data.decode("utf-8"), address)
    except UnicodeDecodeError:
        raise UsageError(_("the settings file “{path}” is not UTF-8 text", path=path)) from None
    except contract.ConfigError as exc:
        raise UsageError(f"{path}: {exc}") from None


def settings_for(args: argparse.Namespace, address: Address) -> Settings:
    """The settings a command works on: ``--config`` if given, else a fresh detection."""
    if getattr(args, "config", None):
        return load_config(args.config, address)
    from wizard.discovery import detect

    return detect(address, timeout=getattr(args, "timeout", 10.0))


def read_password_stdin() -> str:
    """The password from standard input (never from the command line): one line."""
    if sys.stdin is None or sys.stdin.closed:
        raise UsageError(_("--password-stdin was given but there is no standard input"))
    raw = sys.stdin.buffer.read(MAX_PASSWORD_BYTES + 1)
    if len(raw) > MAX_PASSWORD_BYTES:
        raise UsageError(_("the password on standard input is too long"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(_("the password on standard input is not UTF-8 text")) from None
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    if not text:
        raise UsageError(_("the password on standard input is empty"))
    if "\n" in text or "\r" in text or "\0" in text:
        raise UsageError(_("the password on standard input must be a single line"))
    return text
