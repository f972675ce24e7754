"""The QR code of Thunderbird desktop's “Export for mobile”, for Thunderbird for Android.

Payload format version 1: UTF-8 JSON ``[1, [part, total], INCOMING, OUTGOING_GROUPS, …]``
with at most three accounts per code, error correction level L. The JSON is written
compactly, as the desktop writes it, and beside the PNG as a ``.txt`` file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import segno

from wizard.export.base import (
    Exporter,
    ExportError,
    ExportResult,
    check_inputs,
    incoming_server,
    outgoing_server,
    pick_auth,
    uses_password,
)
from wizard.export.files import OutFile, write_all
from wizard.i18n import N_, _
from wizard.model import Settings

FORMAT_VERSION = 1
ACCOUNTS_PER_CODE = 3
WARN_LENGTH = 800  # characters; larger codes are hard to scan from a screen
PROTOCOL = {"imap": 0, "pop3": 1}
SECURITY = {"plain": 0, "starttls": 2, "ssl": 3}
# Thunderbird for Android rejects GSSAPI (3) and NTLM (4), so they are never written.
AUTH = {"none": 0, "client-IP-address": 0, "password-cleartext": 1,
        "password-encrypted": 2, "TLS-client-cert": 5, "OAuth2": 6}


def account_entry(settings: Settings, full_name: str | None,
                  password: str | None) -> list[Any]:
    """One account: the ``IncomingServer`` array and its ``OutgoingServerGroups``."""
    label = _("The Thunderbird for Android QR code")
    address = settings.address
    email = address.email_ascii
    if not email.isascii():
        raise ExportError(_("{target} only carries addresses in ASCII letters.", target=label))
    incoming = incoming_server(settings, label)
    smtp = outgoing_server(settings, label)
    assert smtp is not None
    in_method, in_auth = pick_auth(incoming, AUTH, label)
    out_method, out_auth = pick_auth(smtp, AUTH, label)
    in_password = password if password is not None and uses_password(in_method) else ""
    out_password = password if password is not None and uses_password(out_method) else ""
    return [
        [PROTOCOL[incoming.protocol], incoming.host, incoming.port,
         SECURITY[incoming.security], in_auth, incoming.username, email, in_password],
        [[[0, smtp.host, smtp.port, SECURITY[smtp.security], out_auth, smtp.username,
           out_password],
          [email, full_name or ""]]],
    ]


def payloads(accounts: Sequence[list[Any]]) -> list[str]:
    """The JSON text of each code: ``accounts`` split three to a code."""
    chunks = [accounts[i:i + ACCOUNTS_PER_CODE]
              for i in range(0, len(accounts), ACCOUNTS_PER_CODE)] or [[]]
    out = []
    for number, chunk in enumerate(chunks, start=1):
        data: list[Any] = [FORMAT_VERSION, [number, len(chunks)]]
        for account in chunk:
            data.extend(account)
        out.append(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return out


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """The payload's UTF-8 bytes as a QR code (level L exactly, not boosted) in PNG."""
    code = segno.make_qr(payload.encode("utf-8"), error="l", boost_error=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


class AndroidQrExporter(Exporter):
    format = "android-qr"
    label_en = N_("QR code for Thunderbird for Android")
    default_name_template = "{address}-thunderbird-android.png"
    can_hold_password = True

    def export(self, settings: Settings, full_name: str | None, password: str | None,
               out_path: Path, *, overwrite: bool = False) -> ExportResult:
        check_inputs(settings, full_name, password)
        if out_path.suffix.lower() == ".txt":
            raise ExportError(_("The QR code is a PNG image: choose a name ending in .png."))
        (payload,) = payloads([account_entry(settings, full_name, password)])
        text_path = out_path.with_suffix(".txt")
        paths = write_all([OutFile(out_path, qr_png(payload), secret=True),
                           OutFile(text_path, payload.encode("utf-8"), secret=True)],
                          overwrite=overwrite)
        notes = [_("In Thunderbird for Android choose “Import settings” → “Scan QR code” and "
                   "scan the image from the screen.")]
        if len(payload) > WARN_LENGTH:
            notes.append(_("The code is large ({n} characters): show it big on the screen.",
                           n=len(payload)))
        if password is not None:
            notes.append(_("The code holds the password: anyone who sees it can read it. "
                           "Delete both files once the phone is set up."))
        return ExportResult(paths, tuple(notes))
