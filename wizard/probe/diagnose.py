"""From a failure to words a person can act on: the contract code, a message and a hint.

Each text is a literal marked with ``N_`` and translated with ``_()`` when a diagnosis is
made, so the Russian catalogue holds them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wizard.i18n import N_, _
from wizard.model import Server
from wizard.probe.certinfo import Certificate, fingerprint
from wizard.probe.errors import ErrorCode, ProbeFailure


@dataclass(frozen=True)
class Diagnosis:
    """The contract's ``error`` object, plus the narrower ``reason`` and the server's words."""

    code: ErrorCode
    message: str
    hint: str
    reason: str | None = None
    reply: str | None = None


# Replies of providers that mean more than "wrong password". Patterns are matched
# case-insensitively against the server's text (IMAP, POP3 and SMTP alike).
_REPLY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Gmail: "Application-specific password required"; Mail.ru: "Application password is
    # REQUIRED" / "NEOBHODIM parol prilozheniya"; Yandex: "use app password".
    ("app-password", re.compile(
        r"application[- ]specific password|app(lication)? password|parol[a-z]* prilozh|"
        r"пароль приложения|InvalidSecondFactor|two[- ]step verification", re.I)),
    # Gmail: "Your account is not enabled for IMAP use" / "...for POP access";
    # Yandex: "IMAP is disabled", "POP3 is disabled", "Invalid credentials or IMAP is
    # disabled" (older); Mail.ru: "IMAP access is disabled" / "access via IMAP disabled".
    ("access-disabled", re.compile(
        r"not enabled for (imap|pop)|(imap|pop3?)( access)? (is )?(disabled|turned off|"
        r"switched off|not allowed)|access (to (the )?mailbox )?(via|by|through|over) "
        r"(imap|pop3?)[^.]*disabled|enable (imap|pop)|(imap|pop3?) (is )?not enabled|"
        r"does not have access rights to this service|mail clients? (are |is )?disabled|"
        r"доступ по протоколу|отключ", re.I)),
    # A failure on the server's side, not a verdict on the password: IMAP [UNAVAILABLE]
    # (RFC 5530), POP3 [SYS/TEMP] / [IN-USE] (RFC 3206), SMTP 454 (RFC 4954).
    ("temporary", re.compile(
        r"^\[(UNAVAILABLE|SYS/TEMP|IN-USE)\]|^454[ -]|temporary (authentication )?failure|"
        r"try again later", re.I)),
    # Gmail: "Please log in via your web browser"; accounts locked or suspended anywhere.
    ("web-login", re.compile(
        r"log ?in (via|through|with) (your )?(web )?browser|web ?login required|"
        r"account (is |has been )?(locked|blocked|disabled|suspended|frozen)|"
        r"(locked|blocked|frozen) account|too many (login|authentication) (attempts|failures)|"
        r"verify your account|suspicious|заблокирован", re.I)),
)


def classify_reply(reply: str | None) -> str | None:
    """The narrower reason a sign-in refusal gives, or None for a plain refusal."""
    if not reply:
        return None
    for reason, pattern in _REPLY_PATTERNS:
        if pattern.search(reply):
            return reason
    return None


_TEXTS: dict[tuple[str, str | None], tuple[str, str]] = {
    ("dns-failed", None): (
        N_("The server name {host} could not be found."),
        N_("Check the spelling of the server name. If it is right, check that this computer "
           "is connected to the internet, then try again.")),
    ("refused", None): (
        N_("{host} refused the connection on port {port}."),
        N_("The server does not offer this service on that port. Check the port number, or "
           "try the provider's other port for {protocol}.")),
    ("timeout", None): (
        N_("{host} did not answer on port {port} in time."),
        N_("Check this computer's internet connection. A firewall may be blocking the port; "
           "the server may also be down.")),
    ("timeout", "port-blocked"): (
        N_("{host} did not answer on port {port}. Networks of internet providers, offices "
           "and hotels often block outgoing mail ports."),
        N_("Try another port of your provider for outgoing mail: {alternatives}. If none "
           "answers, ask your network's administrator to open one.")),
    ("timeout", "cancelled"): (
        N_("The check of {host} was cancelled."),
        N_("Start the check again when you are ready.")),
    ("tls-failed", None): (
        N_("A secure connection to {host} on port {port} could not be set up ({detail})."),
        N_("The port may expect another kind of encryption: SSL/TLS usually runs on port "
           "{ssl_port}, STARTTLS on port {starttls_port}. Check the encryption setting.")),
    ("cert-untrusted", None): (
        N_("The certificate of {host} was not issued by an authority this computer trusts "
           "(issued by: {issuer})."),
        N_("Someone may be intercepting the connection, or the server uses a private "
           "certificate. Do not continue unless your provider confirms this fingerprint: "
           "SHA-256 {fingerprint}.")),
    ("cert-expired", None): (
        N_("The certificate of {host} expired on {date}."),
        N_("The provider must renew it; until then the connection is not safe. Check that "
           "this computer's date is right, then tell your provider. Fingerprint: SHA-256 "
           "{fingerprint}.")),
    ("cert-expired", "not-yet-valid"): (
        N_("The certificate of {host} is valid only from {date}."),
        N_("Check that this computer's date and time are right. Fingerprint: SHA-256 "
           "{fingerprint}.")),
    ("cert-hostname-mismatch", None): (
        N_("The certificate of {host} was issued for another name ({names})."),
        N_("The server name may be wrong, or someone may be intercepting the connection. "
           "Use the server name your provider publishes. Fingerprint: SHA-256 "
           "{fingerprint}.")),
    ("starttls-unavailable", None): (
        N_("{host} does not offer STARTTLS on port {port}, so the connection cannot be "
           "encrypted."),
        N_("Choose SSL/TLS (usually port {ssl_port}) instead. The wizard never falls back to "
           "an unencrypted connection by itself.")),
    ("starttls-unavailable", "refused"): (
        N_("{host} offered STARTTLS on port {port} but refused to start it."),
        N_("Choose SSL/TLS (usually port {ssl_port}) instead, or try again later.")),
    ("plaintext-refused", None): (
        N_("The connection to {host} on port {port} is not encrypted, so the password was "
           "not sent."),
        N_("Choose SSL/TLS or STARTTLS. Allow an unencrypted connection only if you accept "
           "that anyone on the network can read your password (--allow-plaintext).")),
    ("insecure-source-refused", None): (
        N_("These settings came from a source an attacker could have forged, so the password "
           "was not sent to {host}."),
        N_("Make sure {host} really is your provider's server (its web site or help desk "
           "lists it), then allow it explicitly (--accept-insecure-source).")),
    ("auth-failed", None): (
        N_("{host} did not accept the user name or the password (tried as {usernames})."),
        N_("Check the password, the keyboard layout and Caps Lock. Some providers need a "
           "separate app password for mail programs.")),
    ("auth-failed", "app-password"): (
        N_("Your provider requires an app password for mail programs; your usual password "
           "is not accepted here."),
        N_("Create an app password in your account's security settings on the provider's "
           "web site, and use it instead of your usual password.")),
    ("auth-failed", "access-disabled"): (
        N_("Access by mail programs ({protocol}) is switched off for this account."),
        N_("Switch it on in your mailbox's web settings — Yandex: Settings → Mail clients; "
           "Gmail: Settings → Forwarding and POP/IMAP; Mail.ru: Settings → Mail programs — "
           "then try again. Some providers also need an app password.")),
    ("auth-failed", "temporary"): (
        N_("{host} could not check the password just now: a problem on the server's side."),
        N_("Nothing is wrong with your settings as far as this shows. Try again in a few "
           "minutes; if it persists, tell your provider.")),
    ("auth-failed", "web-login"): (
        N_("Your provider has blocked sign-in from mail programs for this account."),
        N_("Sign in on the provider's web site and follow its instructions (a security "
           "check, an unlocked account), then try again.")),
    ("auth-mechanism-unsupported", None): (
        N_("{host} offers no sign-in method the wizard can use (it offers: {mechanisms})."),
        N_("Check the authentication setting, or ask your provider which sign-in methods "
           "mail programs should use.")),
    ("auth-mechanism-unsupported", "oauth-only"): (
        N_("{host} accepts only sign-in through the provider's web page (OAuth2), not a "
           "password."),
        N_("Use an app password if your provider offers one, or a mail program that signs in "
           "with OAuth2.")),
    ("auth-mechanism-unsupported", "no-auth"): (
        N_("{host} does not offer sign-in on port {port}."),
        N_("Sending mail needs a server that asks for your password: usually port 587 "
           "(STARTTLS) or 465 (SSL/TLS). Port 25 is for mail between servers.")),
    ("protocol-error", None): (
        N_("{host} answered in a way the wizard did not expect ({detail})."),
        N_("Check that port {port} is the right one for {protocol}: another service may be "
           "running there.")),
    ("protocol-error", "refused-greeting"): (
        N_("{host} refused to talk to this computer: {detail}"),
        N_("The server may be busy or may block your network. Try again later, or ask your "
           "provider.")),
    ("protocol-error", "send-rejected"): (
        N_("{host} did not accept the test message: {detail}"),
        N_("Check that the account may send mail, and its sending limits.")),
    ("timeout", "not-delivered"): (
        N_("The test message did not arrive in time."),
        N_("Delivery may just be slow: look for the message “MailWizard test” later. Check "
           "the spam folder and any filters.")),
}

_SUBMISSION_ALTERNATIVES = (587, 465, 2525, 25)
_MAIL_RU_DOMAINS = ("mail.ru", "inbox.ru", "bk.ru", "list.ru", "internet.ru")


def port_alternatives(server: Server) -> str:
    """Other outgoing ports worth trying when ``server.port`` seems blocked."""
    ports = [p for p in _SUBMISSION_ALTERNATIVES if p != server.port]
    if server.host.endswith(_MAIL_RU_DOMAINS):
        ports = [2525] + [p for p in ports if p != 2525]
        return ", ".join(str(p) for p in ports) + " " + _("(Mail.ru offers 2525 for this)")
    return ", ".join(str(p) for p in ports)


def diagnose(failure: ProbeFailure, server: Server, *, certificate: Certificate | None = None,
             usernames: tuple[str, ...] = (), mechanisms: tuple[str, ...] = ()) -> Diagnosis:
    """The diagnosis of ``failure`` met while checking ``server``."""
    code, reason = failure.code, failure.reason
    if code == "auth-failed" and reason is None:
        reason = classify_reply(failure.reply)
    if code == "timeout" and reason is None and server.protocol == "smtp" \
            and server.port in (25, 465, 587, 2525):
        reason = "port-blocked"
    message, hint = _TEXTS.get((code, reason)) or _TEXTS[(code, None)]
    cert = certificate
    date = "?"
    if cert is not None:
        date = (cert.not_before if reason == "not-yet-valid" else cert.not_after) or "?"
    fields = {
        "host": server.host,
        "port": server.port,
        "protocol": server.protocol.upper(),
        "ssl_port": {"imap": 993, "pop3": 995, "smtp": 465}[server.protocol],
        "starttls_port": {"imap": 143, "pop3": 110, "smtp": 587}[server.protocol],
        "detail": failure.reply or failure.detail or reason or code,
        "issuer": (cert.issuer if cert else "") or "?",
        "names": ", ".join(cert.names) if cert and cert.names else "?",
        "date": date.replace("T", " ").replace("Z", " UTC"),
        "fingerprint": fingerprint(cert.sha256) if cert else "?",
        "usernames": ", ".join(usernames) or "?",
        "mechanisms": ", ".join(mechanisms) or _("none"),
        "alternatives": port_alternatives(server),
    }
    return Diagnosis(code, _(message, **fields), _(hint, **fields), reason, failure.reply)
