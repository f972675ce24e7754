"""What every exporter shares: the interface, the result, and choosing servers and methods.

An exporter turns :class:`wizard.model.Settings` into the files one target program reads.
It never asks questions and never prints: problems become :class:`ExportError` with words
a person can act on, and what the person must still do comes back as notes.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

from wizard.address import Address
from wizard.i18n import _
from wizard.model import Server, Settings, resolve_placeholders

T = TypeVar("T")

# Characters no exported text may hold: they break line-based formats and XML alike.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_UNSAFE_NAME_RE = re.compile(r"[^A-Za-z0-9@._+-]+")


class ExportError(Exception):
    """An export that cannot be done; the message says why, in the interface language."""


@dataclass(frozen=True)
class ExportResult:
    """The files written (in the order written) and what the person must know or do next."""

    paths: tuple[Path, ...]
    notes: tuple[str, ...] = ()


class Exporter(ABC):
    """One target format. Subclasses set the class attributes and implement ``export``."""

    #: the FORMAT name of the command-line contract
    format: ClassVar[str]
    #: a short English label; :attr:`label` translates it
    label_en: ClassVar[str]
    #: default output name; ``{address}`` and ``{domain}`` are filled in (file-name safe)
    default_name_template: ClassVar[str]
    #: True if ``out_path`` is a folder rather than a file
    writes_folder: ClassVar[bool] = False
    #: True if the format can carry a password (the GUI warns before it includes one)
    can_hold_password: ClassVar[bool] = False

    @property
    def label(self) -> str:
        """The human label, in the interface language."""
        return _(self.label_en)

    def default_name(self, address: Address) -> str:
        """A sensible file or folder name for ``address`` (no directory part)."""
        return self.default_name_template.format(
            address=safe_file_name(address.email_ascii),
            domain=safe_file_name(address.domain_ascii),
        )

    @abstractmethod
    def export(
        self,
        settings: Settings,
        full_name: str | None,
        password: str | None,
        out_path: Path,
        *,
        overwrite: bool = False,
    ) -> ExportResult:
        """Write the files; ``password`` is included only when it is not None."""


def safe_file_name(text: str) -> str:
    """``text`` with everything but letters, digits and ``@._+-`` replaced by ``_``."""
    cleaned = _UNSAFE_NAME_RE.sub("_", text).strip("._")
    return cleaned or "mail"


def check_text(value: str, what: str) -> str:
    """``value`` if it holds no control characters or line breaks; ExportError otherwise."""
    if _CONTROL_RE.search(value):
        raise ExportError(_("{what} must not contain line breaks or control characters.",
                            what=what))
    return value


def check_inputs(settings: Settings, full_name: str | None, password: str | None) -> None:
    """Refuse texts that no format could carry safely (they could inject settings)."""
    if full_name is not None:
        check_text(full_name, _("The name"))
    if password is not None:
        if not password:
            raise ExportError(_("The password is empty."))
        check_text(password, _("The password"))
    for server in settings.incoming + settings.outgoing:
        check_text(server.username, _("The user name"))
        check_text(server.host, _("The host name"))


def resolved(server: Server, address: Address) -> Server:
    """``server`` with its user name filled in for ``address``."""
    return server.resolved(address)


def templated_username(username: str, address: Address) -> str:
    """A user name with the address's own parts turned back into autoconfig placeholders."""
    username = resolve_placeholders(username, address)
    if username.casefold() in (address.email.casefold(), address.email_ascii.casefold()):
        return "%EMAILADDRESS%"
    if username == address.local:
        return "%EMAILLOCALPART%"
    return username


def incoming_server(
    settings: Settings, fmt_label: str, protocols: Iterable[str] = ("imap", "pop3")
) -> Server:
    """The best incoming server whose protocol the format knows; ExportError if none."""
    allowed = tuple(protocols)
    for server in settings.incoming:
        if server.protocol in allowed:
            return resolved(server, settings.address)
    names = _(" or ").join(p.upper() for p in allowed)
    raise ExportError(_("{target} needs a server for {protocols}, and these settings have none.",
                        target=fmt_label, protocols=names))


def outgoing_server(settings: Settings, fmt_label: str | None = None) -> Server | None:
    """The best outgoing server; with ``fmt_label``, ExportError when there is none."""
    if settings.outgoing:
        return resolved(settings.outgoing[0], settings.address)
    if fmt_label is not None:
        raise ExportError(_("{target} needs an outgoing (SMTP) server, and these settings "
                            "have none.", target=fmt_label))
    return None


def pick_auth(server: Server, table: Mapping[str, T], fmt_label: str) -> tuple[str, T]:
    """The first of the server's authentication methods the format can express.

    Returns the method's name and the format's value for it.
    """
    for method in server.auth:
        if method in table:
            return method, table[method]
    raise ExportError(
        _("{target} cannot use the sign-in method that {host} needs ({methods}).",
          target=fmt_label, host=server.host, methods=", ".join(server.auth))
    )


def uses_password(method: str) -> bool:
    """True if the authentication method sends a password (so a password can be stored)."""
    return method in ("password-cleartext", "password-encrypted", "NTLM")


def display_name(settings: Settings) -> str:
    """The provider's name, else the domain: for titles and account descriptions."""
    if settings.provider and settings.provider.name:
        return settings.provider.name
    return settings.address.domain
