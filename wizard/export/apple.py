"""An unsigned Apple configuration profile (``.mobileconfig``) for Mail on iOS and macOS.

The identifiers and UUIDs are derived from the address and servers, so exporting the same
account again gives a profile that replaces the installed one instead of adding a second.
"""

from __future__ import annotations

import plistlib
import uuid
from pathlib import Path
from typing import Any

from wizard.export.base import (
    Exporter,
    ExportResult,
    check_inputs,
    display_name,
    incoming_server,
    outgoing_server,
    pick_auth,
)
from wizard.export.files import OutFile, write_all
from wizard.i18n import N_, _
from wizard.model import Settings

AUTH = {
    "password-cleartext": "EmailAuthPassword",
    "password-encrypted": "EmailAuthCRAMMD5",
    "NTLM": "EmailAuthNTLM",
    "none": "EmailAuthNone",
    "client-IP-address": "EmailAuthNone",
}
_NAMESPACE = uuid.UUID("6f1d8e52-0c57-4c0e-9d0e-3c1b6c1f7a11")


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "\n".join(parts))).upper()


def profile(settings: Settings, full_name: str | None,
            password: str | None) -> tuple[dict[str, Any], list[str]]:
    """The profile as a plist dictionary, and notes about what it cannot express."""
    label = _("An Apple Mail profile")
    incoming = incoming_server(settings, label)
    smtp = outgoing_server(settings, label)
    assert smtp is not None
    in_method, in_auth = pick_auth(incoming, AUTH, label)
    _out_method, out_auth = pick_auth(smtp, AUTH, label)
    address = settings.address
    notes: list[str] = []
    if "starttls" in (incoming.security, smtp.security):
        notes.append(_("Apple profiles cannot demand STARTTLS: Mail uses it whenever the "
                       "server offers it."))
    if "plain" in (incoming.security, smtp.security):
        notes.append(_("A server of this account is not encrypted: the password can be read "
                       "on the way."))

    key = (address.email_ascii, incoming.host, smtp.host)
    payload_uuid = _uuid("mail", *key)
    mail: dict[str, Any] = {
        "PayloadType": "com.apple.mail.managed",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"net.mailwizard.mail.{payload_uuid}",
        "PayloadUUID": payload_uuid,
        "PayloadDisplayName": address.email,
        "EmailAccountDescription": address.email,
        "EmailAccountName": full_name or "",
        "EmailAccountType": "EmailTypeIMAP" if incoming.protocol == "imap" else "EmailTypePOP",
        "EmailAddress": address.email,
        "IncomingMailServerHostName": incoming.host,
        "IncomingMailServerPortNumber": incoming.port,
        "IncomingMailServerUseSSL": incoming.security == "ssl",
        "IncomingMailServerUsername": incoming.username,
        "IncomingMailServerAuthentication": in_auth,
        "OutgoingMailServerHostName": smtp.host,
        "OutgoingMailServerPortNumber": smtp.port,
        "OutgoingMailServerUseSSL": smtp.security == "ssl",
        "OutgoingMailServerUsername": smtp.username,
        "OutgoingMailServerAuthentication": out_auth,
        "OutgoingPasswordSameAsIncomingPassword": smtp.username == incoming.username,
        "PreventMove": False,
        "PreventAppSheet": False,
        "SMIMEEnabled": False,
        "allowMailDrop": True,
    }
    if password is not None and in_method != "none":
        mail["IncomingPassword"] = password
        mail["OutgoingPassword"] = password
    top_uuid = _uuid("profile", *key)
    top: dict[str, Any] = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"net.mailwizard.profile.{top_uuid}",
        "PayloadUUID": top_uuid,
        "PayloadDisplayName": _("Mail: {address}", address=address.email),
        "PayloadDescription": _("Mail account {address} ({provider}), made by MailWizard.",
                                address=address.email, provider=display_name(settings)),
        "PayloadOrganization": display_name(settings),
        "PayloadRemovalDisallowed": False,
        "PayloadContent": [mail],
    }
    return top, notes


class AppleExporter(Exporter):
    format = "apple"
    label_en = N_("Apple Mail profile for iPhone, iPad and Mac (.mobileconfig)")
    default_name_template = "{address}.mobileconfig"
    can_hold_password = True

    def export(self, settings: Settings, full_name: str | None, password: str | None,
               out_path: Path, *, overwrite: bool = False) -> ExportResult:
        check_inputs(settings, full_name, password)
        top, notes = profile(settings, full_name, password)
        data = plistlib.dumps(top, fmt=plistlib.FMT_XML, sort_keys=True)
        paths = write_all([OutFile(out_path, data, secret=True)], overwrite=overwrite)
        notes.insert(0, _("Open the file on the iPhone, iPad or Mac (AirDrop, mail or Files), "
                          "then install it under Settings → Profile Downloaded. It is not "
                          "signed, so the device shows it as “Unverified”."))
        if password is None:
            notes.append(_("The password is not in the profile: the device asks for it while "
                           "installing."))
        else:
            notes.append(_("The password is in the profile: delete the file once it is "
                           "installed."))
        return ExportResult(paths, tuple(notes))
