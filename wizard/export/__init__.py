"""Exporting settings into the files other mail programs read.

One module per target family; this registry maps each FORMAT of the command-line contract
(plus ``domain-admin``) to its exporter. The command line and the GUI use only what is
here::

    for info in formats():                        # to fill a list: format, label, names
        ...
    result = export("apple", settings, "Alice", None, Path("alice.mobileconfig"))
    result.paths, result.notes                    # what was written, what to tell the person

Passwords are written only when one is passed; files that may hold one get mode 0600;
every export writes all its files or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wizard.address import Address
from wizard.export.android_qr import AndroidQrExporter
from wizard.export.apple import AppleExporter
from wizard.export.autoconfig import AutoconfigExporter
from wizard.export.autodiscover import AutodiscoverExporter
from wizard.export.base import Exporter, ExportError, ExportResult
from wizard.export.domain_admin import DomainAdminExporter
from wizard.export.k9s import K9sExporter
from wizard.export.outlook_prf import OutlookPrfExporter
from wizard.export.terminal import MsmtpExporter, NeomuttExporter
from wizard.export.terminal_imap import AercExporter, MbsyncExporter
from wizard.export.thunderbird import ThunderbirdExporter
from wizard.export.thunderbird_profile import (
    Profile,
    ProfileInUseError,
    find_profiles,
    profile_in_use,
)
from wizard.export.web import JoomlaExporter, PhpMailerExporter, WordPressExporter
from wizard.model import Settings

__all__ = [
    "EXPORTERS",
    "ExportError",
    "ExportResult",
    "Exporter",
    "FormatInfo",
    "Profile",
    "ProfileInUseError",
    "default_path",
    "export",
    "exporter",
    "find_profiles",
    "formats",
    "profile_in_use",
]

# In the order of the contract's table; the GUI lists them in this order too.
EXPORTERS: dict[str, Exporter] = {
    e.format: e
    for e in (
        ThunderbirdExporter(),
        AutoconfigExporter(),
        OutlookPrfExporter(),
        AutodiscoverExporter(),
        AppleExporter(),
        AndroidQrExporter(),
        K9sExporter(),
        PhpMailerExporter(),
        WordPressExporter(),
        JoomlaExporter(),
        MsmtpExporter(),
        NeomuttExporter(),
        AercExporter(),
        MbsyncExporter(),
        DomainAdminExporter(),
    )
}


@dataclass(frozen=True)
class FormatInfo:
    """What a list of formats shows: the name, a label for people, how output is named."""

    format: str
    label: str
    default_name: str  # with {address} and {domain} still in it
    writes_folder: bool
    can_hold_password: bool


def formats() -> list[FormatInfo]:
    """Every format, with its label in the interface language."""
    return [FormatInfo(e.format, e.label, e.default_name_template, e.writes_folder,
                       e.can_hold_password) for e in EXPORTERS.values()]


def exporter(fmt: str) -> Exporter:
    """The exporter for ``fmt``; KeyError if there is none."""
    return EXPORTERS[fmt]


def default_path(fmt: str, address: Address, folder: Path | None = None) -> Path:
    """Where ``fmt`` output for ``address`` goes by default: a name in ``folder`` (or here)."""
    return (folder or Path.cwd()) / exporter(fmt).default_name(address)


def export(fmt: str, settings: Settings, full_name: str | None, password: str | None,
           out_path: Path, *, overwrite: bool = False) -> ExportResult:
    """Write ``settings`` in format ``fmt`` to ``out_path``; ExportError says what went wrong.

    ``password`` is written only where the format can hold it; pass None to leave it out.
    """
    return exporter(fmt).export(settings, full_name, password, Path(out_path),
                                overwrite=overwrite)
