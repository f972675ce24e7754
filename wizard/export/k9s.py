"""A Thunderbird for Android / K-9 Mail settings file (``.k9s``, file format 1).

Written with content version 95, the first whose values include everything used here
(``NONE`` authentication); the app upgrades older content versions itself on import.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from wizard.export.base import (
    Exporter,
    ExportResult,
    check_inputs,
    incoming_server,
    outgoing_server,
    pick_auth,
    uses_password,
)
from wizard.export.files import OutFile, write_all
from wizard.export.xmlout import sub, to_bytes
from wizard.i18n import N_, _
from wizard.model import Server, Settings

CONTENT_VERSION = 95
FILE_FORMAT = 1
SECURITY = {"plain": "NONE", "starttls": "STARTTLS_REQUIRED", "ssl": "SSL_TLS_REQUIRED"}
AUTH = {"password-cleartext": "PLAIN", "password-encrypted": "CRAM_MD5",
        "TLS-client-cert": "EXTERNAL", "OAuth2": "XOAUTH2", "none": "NONE",
        "client-IP-address": "NONE"}
_NAMESPACE = uuid.UUID("0b7f3f0e-5d0a-4f43-a1f4-1c2b9a6f2e55")


def _server(parent: ET.Element, tag: str, kind: str, server: Server,
            password: str | None) -> None:
    method, auth = pick_auth(server, AUTH, _("A Thunderbird for Android settings file"))
    element = sub(parent, tag, type=kind)
    sub(element, "host", server.host)
    sub(element, "port", server.port)
    sub(element, "connection-security", SECURITY[server.security])
    sub(element, "authentication-type", auth)
    sub(element, "username", server.username)
    if password is not None and uses_password(method):
        sub(element, "password", password)


def settings_xml(settings: Settings, full_name: str | None, password: str | None) -> bytes:
    """The settings file for one account."""
    label = _("A Thunderbird for Android settings file")
    incoming = incoming_server(settings, label)
    smtp = outgoing_server(settings, label)
    assert smtp is not None
    address = settings.address
    root = ET.Element("k9settings", version=str(CONTENT_VERSION), format=str(FILE_FORMAT))
    accounts = sub(root, "accounts")
    account_uuid = uuid.uuid5(_NAMESPACE, f"{address.email_ascii}\n{incoming.host}")
    account = sub(accounts, "account", uuid=str(account_uuid))
    sub(account, "name", address.email)
    _server(account, "incoming-server", incoming.protocol.upper(), incoming, password)
    _server(account, "outgoing-server", "SMTP", smtp, password)
    identities = sub(account, "identities")
    identity = sub(identities, "identity")
    sub(identity, "name", full_name or "")
    sub(identity, "email", address.email)
    return to_bytes(root)


class K9sExporter(Exporter):
    format = "k9s"
    label_en = N_("Thunderbird for Android / K-9 Mail settings file (.k9s)")
    default_name_template = "{address}.k9s"
    can_hold_password = True

    def export(self, settings: Settings, full_name: str | None, password: str | None,
               out_path: Path, *, overwrite: bool = False) -> ExportResult:
        check_inputs(settings, full_name, password)
        data = settings_xml(settings, full_name, password)
        paths = write_all([OutFile(out_path, data, secret=True)], overwrite=overwrite)
        notes = [_("Copy the file to the phone; in Thunderbird for Android or K-9 Mail choose "
                   "Settings → Import settings and pick it.")]
        if password is None:
            notes.append(_("The app asks for the password after the import."))
        return ExportResult(paths, tuple(notes))
