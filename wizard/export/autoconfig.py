"""Thunderbird's ``config-v1.1.xml``: for its ``isp/`` folder or a domain's autoconfig host.

User names are written with the autoconfig placeholders (``%EMAILADDRESS%``…), so one file
serves every address of the domain.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from wizard.export.base import (
    Exporter,
    ExportResult,
    check_inputs,
    display_name,
    templated_username,
)
from wizard.export.files import OutFile, write_all
from wizard.export.xmlout import sub, to_bytes
from wizard.i18n import N_, _
from wizard.model import Server, Settings


def _server(parent: ET.Element, tag: str, server: Server, settings: Settings) -> None:
    element = sub(parent, tag, type=server.protocol)
    sub(element, "hostname", server.host)
    sub(element, "port", server.port)
    sub(element, "socketType", {"ssl": "SSL", "starttls": "STARTTLS", "plain": "plain"}[
        server.security])
    sub(element, "username", templated_username(server.username, settings.address))
    for method in server.auth:
        sub(element, "authentication", method)


def config_xml(settings: Settings) -> bytes:
    """The settings as a config-v1.1.xml document."""
    address = settings.address
    root = ET.Element("clientConfig", version="1.1")
    provider = sub(root, "emailProvider", id=address.domain_ascii)
    sub(provider, "domain", address.domain_ascii)
    name = display_name(settings)
    sub(provider, "displayName", name)
    sub(provider, "displayShortName", name)
    for server in settings.incoming:
        _server(provider, "incomingServer", server, settings)
    for server in settings.outgoing:
        _server(provider, "outgoingServer", server, settings)
    for note in settings.notes:
        if note.url:
            doc = sub(provider, "documentation", url=note.url)
            sub(doc, "descr", note.text, lang="en")
    return to_bytes(root)


class AutoconfigExporter(Exporter):
    format = "thunderbird-autoconfig"
    label_en = N_("Thunderbird autoconfig file (config-v1.1.xml)")
    default_name_template = "config-v1.1.xml"

    def export(self, settings: Settings, full_name: str | None, password: str | None,
               out_path: Path, *, overwrite: bool = False) -> ExportResult:
        check_inputs(settings, full_name, password)
        paths = write_all([OutFile(out_path, config_xml(settings))], overwrite=overwrite)
        domain = settings.address.domain_ascii
        notes = [
            _("Serve it as https://autoconfig.{domain}/mail/config-v1.1.xml or put it into "
              "Thunderbird's isp/ folder as {domain}.xml.", domain=domain),
        ]
        if password is not None:
            notes.append(_("The password was not written: this file is public and never "
                           "holds one."))
        return ExportResult(paths, tuple(notes))
