"""Adding the account to a Thunderbird profile, the way Thunderbird's own account hub does.

The prefs are those Thunderbird writes for a new account (``CreateInBackend`` in its
account-creation module): an incoming server, an SMTP server, an identity and an account
under the next free keys, the account lists updated, a Local Folders account when the
profile has none, and the profile's defaults set only where none exist. Thunderbird must
be closed: it rewrites ``prefs.js`` when it exits. The old ``prefs.js`` is kept beside it.
"""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from wizard.export.base import (
    Exporter,
    ExportError,
    ExportResult,
    check_inputs,
    incoming_server,
    outgoing_server,
    pick_auth,
)
from wizard.export.files import OutFile, make_folders, remove_folders, write_all
from wizard.export.prefs import PrefsError, PrefValue, parse_prefs, rewrite
from wizard.export.thunderbird_profile import (
    ProfileInUseError,
    find_profiles,
    hold_profile_lock,
    symlink_lock_holder,
)
from wizard.i18n import N_, _
from wizard.model import Server, Settings

SOCKET_TYPE = {"plain": 0, "starttls": 2, "ssl": 3}
AUTH_METHOD = {"none": 1, "client-IP-address": 1, "password-cleartext": 3,
               "password-encrypted": 4, "GSSAPI": 5, "NTLM": 6, "TLS-client-cert": 7,
               "OAuth2": 10}
HEADER = (
    "// Mozilla User Preferences\n\n"
    "// Written by MailWizard. Thunderbird rewrites this file when it closes; change\n"
    "// settings in Thunderbird itself while it runs.\n\n"
)
# Files a profile folder may already hold before Thunderbird first wrote prefs.js.
_FRESH_PROFILE_FILES = {"times.json", "compatibility.ini", ".parentlock", "parent.lock", "lock",
                        "user.js", "cert9.db", "key4.db", "pkcs11.txt"}


def _keys(prefs: dict[str, PrefValue], prefix: str, stem: str) -> set[int]:
    pattern = re.compile(re.escape(prefix) + re.escape(stem) + r"(\d+)\.")
    return {int(m.group(1)) for name in prefs if (m := pattern.match(name))}


def _listed(prefs: dict[str, PrefValue], name: str) -> list[str]:
    value = prefs.get(name, "")
    return [k.strip() for k in str(value).split(",") if k.strip()]


def _free(used: set[int], above: int = 0) -> int:
    n = above + 1
    while n in used:
        n += 1
    return n


def server_uri(server: Server) -> str:
    scheme = "imap" if server.protocol == "imap" else "mailbox"
    return f"{scheme}://{quote(server.username, safe='')}@{server.host}"


def account_prefs(prefs: dict[str, PrefValue], settings: Settings, full_name: str | None,
                  incoming: Server, smtp: Server | None) -> dict[str, PrefValue]:
    """The prefs to set so that ``prefs`` gains the account."""
    label = "Thunderbird"
    for name, value in prefs.items():
        m = re.fullmatch(r"mail\.server\.(server\d+)\.hostname", name)
        if not m or str(value).lower() != incoming.host.lower():
            continue
        key = m.group(1)
        if (prefs.get(f"mail.server.{key}.type") == incoming.protocol
                and str(prefs.get(f"mail.server.{key}.userName", "")).lower()
                == incoming.username.lower()):
            raise ExportError(_("This profile already has the account {user} on {host}.",
                                user=incoming.username, host=incoming.host))

    accounts = _listed(prefs, "mail.accountmanager.accounts")
    last_key = prefs.get("mail.account.lastKey", 0)
    used_accounts = _keys(prefs, "mail.account.", "account") | {
        int(a[7:]) for a in accounts if re.fullmatch(r"account\d+", a)}
    servers = _keys(prefs, "mail.server.", "server")
    identities = _keys(prefs, "mail.identity.", "id")
    smtp_list = _listed(prefs, "mail.smtpservers")
    smtps = _keys(prefs, "mail.smtpserver.", "smtp") | {
        int(s[4:]) for s in smtp_list if re.fullmatch(r"smtp\d+", s)}

    acc_n = _free(used_accounts, last_key if isinstance(last_key, int) else 0)
    srv_n = _free(servers)
    id_n = _free(identities)
    account, server, ident = f"account{acc_n}", f"server{srv_n}", f"id{id_n}"
    email = settings.address.email
    names = {str(v) for k, v in prefs.items() if re.fullmatch(r"mail\.server\.server\d+\.name", k)}
    pretty = email if email not in names else f"{email} ({incoming.host})"
    _m, in_auth = pick_auth(incoming, AUTH_METHOD, label)
    client_id = str(uuid.uuid4())

    s = f"mail.server.{server}."
    new: dict[str, PrefValue] = {
        s + "type": incoming.protocol,
        s + "hostname": incoming.host,
        s + "port": incoming.port,
        s + "userName": incoming.username,
        s + "name": pretty,
        s + "socketType": SOCKET_TYPE[incoming.security],
        s + "authMethod": in_auth,
        s + "clientid": client_id,
        s + "check_new_mail": True,
        s + "check_time": 10,
        s + "login_at_startup": True,
    }
    if incoming.protocol == "pop3":
        new.update({s + "leave_on_server": True, s + "num_days_to_leave_on_server": 14,
                    s + "delete_mail_left_on_server": True,
                    s + "delete_by_age_from_server": True, s + "download_on_biff": True})
    i = f"mail.identity.{ident}."
    uri = server_uri(incoming)
    new.update({
        i + "useremail": email,
        i + "fullName": full_name or "",
        i + "reply_on_top": 1,
        i + "valid": True,
        i + "fcc_folder": uri + "/Sent",
        i + "draft_folder": uri + "/Drafts",
        i + "stationery_folder": uri + "/Templates",
        i + "fcc_folder_picker_mode": "0",
        i + "draft_folder_picker_mode": "0",
        i + "tmpl_folder_picker_mode": "0",
    })
    if smtp is not None:
        smtp_key = f"smtp{_free(smtps)}"
        _m, out_auth = pick_auth(smtp, AUTH_METHOD, label)
        o = f"mail.smtpserver.{smtp_key}."
        new.update({
            o + "type": "smtp",
            o + "hostname": smtp.host,
            o + "port": smtp.port,
            o + "try_ssl": SOCKET_TYPE[smtp.security],
            o + "authMethod": out_auth,
            o + "description": pretty,
            o + "clientid": client_id,
            i + "smtpServer": smtp_key,
        })
        if out_auth != AUTH_METHOD["none"]:
            new[o + "username"] = smtp.username
        new["mail.smtpservers"] = ",".join([*smtp_list, smtp_key])
        if not prefs.get("mail.smtp.defaultserver"):
            new["mail.smtp.defaultserver"] = smtp_key
    new.update({
        f"mail.account.{account}.server": server,
        f"mail.account.{account}.identities": ident,
    })
    accounts.append(account)
    top = acc_n
    if not prefs.get("mail.accountmanager.localfoldersserver"):
        # Thunderbird creates Local Folders with the first account; so do we.
        local_n = _free(used_accounts | {acc_n}, acc_n)
        local_srv = f"server{_free(servers | {srv_n})}"
        local = f"account{local_n}"
        ls = f"mail.server.{local_srv}."
        new.update({ls + "type": "none", ls + "hostname": "Local Folders",
                    ls + "userName": "nobody", ls + "name": "Local Folders",
                    f"mail.account.{local}.server": local_srv,
                    "mail.accountmanager.localfoldersserver": local_srv})
        accounts.append(local)
        top = local_n
    new["mail.accountmanager.accounts"] = ",".join(accounts)
    new["mail.account.lastKey"] = top
    default = prefs.get("mail.accountmanager.defaultaccount")
    if not default or default not in accounts:
        new["mail.accountmanager.defaultaccount"] = account
    return new


def _check_folder(profile: Path) -> None:
    """A folder without prefs.js must be empty or a profile Thunderbird never started in."""
    try:
        names = {p.name for p in profile.iterdir()}
    except OSError as exc:
        raise ExportError(_("Cannot read the folder “{path}”: {reason}", path=profile,
                            reason=exc.strerror or str(exc))) from None
    if names - _FRESH_PROFILE_FILES:
        raise ExportError(_("“{path}” is neither a Thunderbird profile nor an empty folder.",
                            path=profile))


class ThunderbirdExporter(Exporter):
    format = "thunderbird"
    label_en = N_("Thunderbird profile (adds the account)")
    default_name_template = "thunderbird-profile-{address}"
    writes_folder = True

    def export(self, settings: Settings, full_name: str | None, password: str | None,
               out_path: Path, *, overwrite: bool = False) -> ExportResult:
        check_inputs(settings, full_name, password)
        incoming = incoming_server(settings, "Thunderbird")
        smtp = outgoing_server(settings)
        profile = out_path
        if profile.exists() and not profile.is_dir():
            raise ExportError(_("“{path}” is a file, not a Thunderbird profile folder.",
                                path=profile))
        reason = symlink_lock_holder(profile) if profile.exists() else None
        if reason:
            raise ProfileInUseError(
                _("The Thunderbird profile cannot be changed now: {reason}.", reason=reason))
        # The profile folder (and any missing parent) is made here, before the lock that
        # lives in it, and removed again if the export fails.
        created = make_folders([OutFile(profile / "prefs.js", b"", secret=True)])
        had_prefs = (profile / "prefs.js").exists()
        try:
            with hold_profile_lock(profile):
                paths = self._write(profile, settings, full_name, incoming, smtp)
        except BaseException:
            remove_folders(created)
            raise
        notes = []
        if not had_prefs:
            notes.append(_("Start Thunderbird with this profile: thunderbird -profile "
                           "\"{path}\"", path=profile))
            default = next((p for p in find_profiles() if p.default), None)
            if default is not None and default.path != profile:
                notes.append(_("To add the account to your usual Thunderbird instead, close "
                               "it and export with --out \"{path}\".", path=default.path))
        else:
            notes.append(_("The previous settings are kept in {name}.", name=paths[0].name))
        if password is not None:
            notes.append(_("The password was not written: Thunderbird keeps passwords in its "
                           "own encrypted store and asks for it once."))
        return ExportResult(paths, tuple(notes))

    def _write(self, profile: Path, settings: Settings, full_name: str | None,
               incoming: Server, smtp: Server | None) -> tuple[Path, ...]:
        prefs_path = profile / "prefs.js"
        files: list[OutFile] = []
        if prefs_path.exists():
            try:
                raw = prefs_path.read_bytes()
                text = raw.decode("utf-8")
                statements = parse_prefs(text)
            except OSError as exc:
                raise ExportError(_("Cannot read “{path}”: {reason}", path=prefs_path,
                                    reason=exc.strerror or str(exc))) from None
            except (UnicodeDecodeError, PrefsError) as exc:
                raise ExportError(_("“{path}” looks damaged ({reason}); it was left as it is.",
                                    path=prefs_path, reason=exc)) from None
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup = profile / f"prefs.js.mailwizard-{stamp}.bak"
            n = 1
            while backup.exists():
                n += 1
                backup = profile / f"prefs.js.mailwizard-{stamp}-{n}.bak"
            files.append(OutFile(backup, raw, secret=True))
        else:
            _check_folder(profile)
            text, statements = HEADER, []
        current = {p.name: p.value for p in statements}
        changes = account_prefs(current, settings, full_name, incoming, smtp)
        files.append(OutFile(prefs_path, rewrite(text, statements, changes).encode("utf-8"),
                             secret=True))
        return write_all(files, overwrite=True)
