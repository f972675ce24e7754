"""Source ``autodiscover``: Exchange Autodiscover, the plain-old-XML (POX) flavour.

The request (Outlook's schema) is POSTed at once to
``https://autodiscover.<domain>/autodiscover/autodiscover.xml`` and
``https://<domain>/autodiscover/autodiscover.xml``; the first usable answer of the two wins.
The target of the ``_autodiscover._tcp`` SRV record is asked too, but its answer is used
only when both direct URLs failed: Thunderbird asks the person before it uses a host in
another domain, and we mark such a result insecure. ``redirectAddr`` and ``redirectUrl``
answers are followed at most twice; HTTP redirects re-POST the request.

Only the IMAP, POP3 and SMTP ``Protocol`` entries are read (Exchange's own protocols are not
ours). ``Encryption`` wins over ``SSL``; without it, ``SSL on`` (the default) means
implicit TLS on the implicit-TLS ports (993, 995, 465) and STARTTLS elsewhere. ``SPA on`` is
Microsoft's Secure Password Authentication, i.e. NTLM.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Final, Literal
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException

from wizard.address import Address, AddressError, parse_address
from wizard.configxml import normalize_hostname
from wizard.discovery.base import Context
from wizard.discovery.dnsquery import DNSFailure
from wizard.discovery.fetch import MAX_BODY
from wizard.discovery.net import NetError
from wizard.discovery.scope import Job, Scope, race
from wizard.discovery.trust import https_within, in_domain
from wizard.model import DEFAULT_PORTS, Protocol, Security, Server, Settings, Source

SOURCE: Final[Source] = "autodiscover"
MAX_REDIRECTS = 2
REQUEST_SCHEMA = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
RESPONSE_SCHEMA = (
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
)
_TYPES: dict[str, Protocol] = {"IMAP": "imap", "POP3": "pop3", "SMTP": "smtp"}
_IMPLICIT_TLS_PORTS = {993, 995, 465}


class PoxError(ValueError):
    """The answer is not a usable Autodiscover document."""


@dataclass(frozen=True)
class PoxAnswer:
    """What one Autodiscover answer says: settings, or where to ask next."""

    action: Literal["settings", "redirectAddr", "redirectUrl"]
    incoming: tuple[Server, ...] = ()
    outgoing: tuple[Server, ...] = ()
    redirect: str | None = None
    display_name: str | None = None


def request_body(email: str) -> bytes:
    """The POX request for ``email``."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Autodiscover xmlns="{REQUEST_SCHEMA}">\n'
        "  <Request>\n"
        f"    <EMailAddress>{escape(email)}</EMailAddress>\n"
        f"    <AcceptableResponseSchema>{RESPONSE_SCHEMA}</AcceptableResponseSchema>\n"
        "  </Request>\n"
        "</Autodiscover>\n"
    ).encode()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if isinstance(child.tag, str) and _local(child.tag) == name:
            return child
    return None


def _text(element: Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def parse_pox(data: bytes) -> PoxAnswer:
    """Read an Autodiscover POX answer; raise :class:`PoxError` if it is unusable."""
    if len(data) > MAX_BODY:
        raise PoxError("document too large")
    try:
        root = DefusedET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                    forbid_external=True)
    except DefusedXmlException:
        raise PoxError("DTDs, entities and external references are not allowed") from None
    except (ParseError, ValueError, LookupError, UnicodeError) as exc:
        raise PoxError(f"malformed XML ({exc})") from None
    if _local(root.tag) != "Autodiscover":
        raise PoxError("not an Autodiscover document")
    response = _child(root, "Response")
    if response is None:
        raise PoxError("no Response element")
    error = _child(response, "Error")
    if error is not None:
        raise PoxError(f"the server reported an error: {_text(error, 'Message') or 'unknown'}")
    account = _child(response, "Account")
    if account is None:
        raise PoxError("no Account element")
    action = _text(account, "Action")
    if action == "redirectAddr":
        return PoxAnswer("redirectAddr", redirect=_text(account, "RedirectAddr") or None)
    if action == "redirectUrl":
        return PoxAnswer("redirectUrl", redirect=_text(account, "RedirectUrl") or None)
    incoming: list[Server] = []
    outgoing: list[Server] = []
    for protocol in account:
        if not isinstance(protocol.tag, str) or _local(protocol.tag) != "Protocol":
            continue
        server = _server(protocol)
        if server is not None:
            target = outgoing if server.protocol == "smtp" else incoming
            if server not in target:
                target.append(server)
    if not incoming:
        raise PoxError("no IMAP or POP3 server in the answer")
    user = _child(response, "User")
    name = _text(user, "DisplayName") if user is not None else ""
    return PoxAnswer("settings", tuple(incoming), tuple(outgoing), display_name=name or None)


def _server(element: Element) -> Server | None:
    protocol = _TYPES.get(_text(element, "Type").upper())
    host = normalize_hostname(_text(element, "Server"))
    if protocol is None or host is None:
        return None
    port_text = _text(element, "Port")
    port: int | None = None
    if port_text:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            return None
        port = int(port_text)
    encryption = _text(element, "Encryption").lower()
    ssl_on = _text(element, "SSL").lower() != "off"
    security: Security
    if encryption == "ssl":
        security = "ssl"
    elif encryption == "tls":
        security = "starttls"
    elif encryption == "none":
        security = "plain"
    elif encryption == "auto" or ssl_on:
        security = "ssl" if port is None or port in _IMPLICIT_TLS_PORTS else "starttls"
    else:
        security = "plain"
    if port is None:
        port = DEFAULT_PORTS[(protocol, security)]
    if protocol == "smtp" and _text(element, "AuthRequired").lower() == "off":
        auth: tuple[str, ...] = ("none",)
    elif _text(element, "SPA").lower() == "on":
        auth = ("NTLM",)
    else:
        auth = ("password-cleartext",)
    login = _text(element, "LoginName")
    if not login or len(login) > 255 or any(c.isspace() or ord(c) < 32 for c in login):
        login = "%EMAILADDRESS%"
    return Server(protocol, host, port, security, auth, login)


def _urls(domain: str) -> list[str]:
    return [
        f"https://autodiscover.{domain}/autodiscover/autodiscover.xml",
        f"https://{domain}/autodiscover/autodiscover.xml",
    ]


def lookup(ctx: Context, scope: Scope) -> Settings | None:
    jobs = [
        Job(partial(_follow, ctx, url=url, address=ctx.address, secure=True), (0,), url)
        for url in _urls(ctx.domain)
    ]
    jobs.append(Job(partial(_via_srv, ctx), (1,), "SRV"))
    won = race(scope, jobs)
    return won[1] if won else None


def _via_srv(ctx: Context, scope: Scope) -> Settings | None:
    name = f"_autodiscover._tcp.{ctx.domain}"
    url: str | None = None
    with ctx.attempt(scope, SOURCE, f"SRV {name}") as handle:
        answer = ctx.dns(scope, [(name, "SRV")])[0]
        if isinstance(answer, DNSFailure):
            raise answer
        records = sorted((r for r in answer if str(r.target).rstrip(".")),
                         key=lambda r: (r.priority, -r.weight))
        host = normalize_hostname(str(records[0].target)) if records else None
        if host is None:
            raise NetError("not-found", "no usable target")
        port = records[0].port
        url = f"https://{host}{'' if port == 443 else f':{port}'}/autodiscover/autodiscover.xml"
        handle.set("ok", url)
    if url is None:
        return None
    return _follow(ctx, scope, url, ctx.address, True)


def _follow(ctx: Context, scope: Scope, url: str, address: Address,
            secure: bool) -> Settings | None:  # fmt: skip
    """POST to ``url`` and follow the answer's redirects (at most :data:`MAX_REDIRECTS`)."""
    for _ in range(MAX_REDIRECTS + 1):
        answer: PoxAnswer | None = None
        with ctx.attempt(scope, SOURCE, url) as handle:
            response = ctx.fetch(scope, url, method="POST", body=request_body(address.email),
                                 content_type="text/xml; charset=utf-8", repost=True)
            try:
                answer = parse_pox(response.body)
            except PoxError as exc:
                raise NetError("invalid", str(exc)) from None
            secure = secure and https_within(response, ctx.domain)
            if answer.action != "settings":
                handle.set("ok", f"{answer.action}: {answer.redirect}")
        if answer is None:
            return None
        if answer.action == "settings":
            return _settings(ctx, answer, response.url, address, secure)
        if not answer.redirect:
            return None
        if answer.action == "redirectAddr":
            try:
                address = parse_address(answer.redirect)
            except AddressError:
                return None
            secure = secure and in_domain(address.domain_ascii, ctx.domain)
            url = _urls(address.domain_ascii)[0]
        else:
            if not answer.redirect.lower().startswith("https://"):
                return None
            url = answer.redirect
    return None


def _settings(ctx: Context, answer: PoxAnswer, url: str, address: Address,
              secure: bool) -> Settings:  # fmt: skip
    def fill(server: Server) -> Server:
        # After a redirectAddr the login defaults to the address the server named.
        if server.username == "%EMAILADDRESS%" and address != ctx.address:
            return Server(server.protocol, server.host, server.port, server.security,
                          server.auth, address.email)
        return server.resolved(ctx.address)

    return Settings(
        address=ctx.address,
        found=True,
        source=SOURCE,
        source_url=url,
        secure=secure,
        incoming=tuple(fill(s) for s in answer.incoming),
        outgoing=tuple(fill(s) for s in answer.outgoing),
    )
