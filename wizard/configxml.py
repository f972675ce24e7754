"""A hardened reader for Thunderbird's ``config-v1.1.xml`` (the autoconfig format).

The same parser reads the ISP database snapshot at build time and autoconfig files fetched
from the network at run time, so it treats its input as hostile:

* input larger than :data:`MAX_SIZE` is refused before parsing;
* parsing goes through :mod:`defusedxml` with DTDs, entity declarations and external
  references forbidden, so XML bombs and XXE are rejected, not expanded;
* every value is checked (host name syntax, port range, known protocol, socket type and
  authentication names, URL syntax, sane lengths, no control characters);
* a bad server, domain or link is skipped; only a document that is not a usable
  ``clientConfig`` at all raises :class:`ConfigXMLError`.

Unknown elements are ignored. Config format 1.2 additions are understood where they matter
(``<domain purpose="mx">``, ``<oAuth2>`` inside ``<emailProvider>``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden

from wizard.model import OAuth2, Protocol, Security, Server

__all__ = [
    "MAX_SIZE",
    "ClientConfig",
    "ConfigXMLError",
    "normalize_domain",
    "normalize_hostname",
    "parse_config_xml",
]

MAX_SIZE = 1024 * 1024  # bytes; real files are a few kilobytes
MAX_SERVERS = 32  # per direction; more is not a real configuration
MAX_DOMAINS = 5000
MAX_DOCS = 32
MAX_TEXT = 500  # characters of a display name, description or instruction
MAX_USERNAME = 255
MAX_URL = 2048

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME_RE = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})+$")
_URL_RE = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
_SPACE_RE = re.compile(r"\s+")
# Placeholders written without their closing "%" (seen in the ISP database), but not the
# correct form and not a longer word that merely starts like one.
_UNCLOSED_RE = re.compile(r"%(EMAILADDRESS|EMAILLOCALPART|EMAILDOMAIN|REALNAME)(?![%A-Z])")
_DOMAIN_PLACEHOLDER = "%EMAILDOMAIN%"

_PROTOCOLS: dict[str, dict[str, Protocol]] = {
    "incomingServer": {"imap": "imap", "pop3": "pop3"},
    "outgoingServer": {"smtp": "smtp"},
}
_SOCKET_TYPES: dict[str, Security] = {
    "ssl": "ssl", "tls": "ssl", "starttls": "starttls", "plain": "plain"
}
# Current names (as the contract spells them) and the legacy names Thunderbird still reads.
_AUTH = {
    "password-cleartext": "password-cleartext",
    "plain": "password-cleartext",
    "password-encrypted": "password-encrypted",
    "secure": "password-encrypted",
    "oauth2": "OAuth2",
    "ntlm": "NTLM",
    "gssapi": "GSSAPI",
    "client-ip-address": "client-IP-address",
    # POP-before-SMTP: no SMTP AUTH, the server trusts the address a POP login came from.
    "smtp-after-pop": "client-IP-address",
    "tls-client-cert": "TLS-client-cert",
    "none": "none",
}


class ConfigXMLError(ValueError):
    """The data is not a usable clientConfig document; the message says why, in English."""


@dataclass(frozen=True)
class ClientConfig:
    """What a config-v1.1.xml document says about one provider.

    Host names and display names may still contain ``%EMAILDOMAIN%`` (hosting providers
    use ``mail.%EMAILDOMAIN%``); :meth:`for_domain` fills it in. Usernames keep their
    placeholders, as :class:`wizard.model.Server` expects.
    """

    id: str
    display_name: str
    short_name: str
    domains: tuple[str, ...]
    incoming: tuple[Server, ...]
    outgoing: tuple[Server, ...]
    documentation: tuple[tuple[str, str], ...] = ()
    enable: tuple[str | None, str] | None = None
    oauth2: OAuth2 | None = None
    mx_domains: tuple[str, ...] = ()

    @property
    def domain_dependent(self) -> bool:
        """True if some host name is written with ``%EMAILDOMAIN%``."""
        return any(_DOMAIN_PLACEHOLDER in s.host for s in self.incoming + self.outgoing)

    def for_domain(self, domain_ascii: str) -> ClientConfig:
        """This configuration with ``%EMAILDOMAIN%`` in host and display names filled in.

        Servers whose host does not form a valid name with this domain are dropped; if no
        incoming server is left, :class:`ConfigXMLError` is raised.
        """
        domain = normalize_domain(domain_ascii)
        if domain is None:
            raise ConfigXMLError("invalid domain")

        def fill(servers: tuple[Server, ...]) -> tuple[Server, ...]:
            out = []
            for server in servers:
                host = normalize_hostname(server.host.replace(_DOMAIN_PLACEHOLDER, domain))
                if host is not None:
                    out.append(replace(server, host=host))
            return tuple(out)

        incoming = fill(self.incoming)
        if not incoming:
            raise ConfigXMLError("no valid incoming server")
        return replace(
            self,
            display_name=self.display_name.replace(_DOMAIN_PLACEHOLDER, domain),
            short_name=self.short_name.replace(_DOMAIN_PLACEHOLDER, domain),
            incoming=incoming,
            outgoing=fill(self.outgoing),
        )


def normalize_hostname(value: str, *, allow_placeholder: bool = False) -> str | None:
    """``value`` as a lower-case ASCII host name, or None if it is not a valid one.

    Internationalized names are converted to punycode; a trailing root dot is dropped.
    Names whose last label is all digits (IP addresses) are refused. With
    ``allow_placeholder``, ``%EMAILDOMAIN%`` may stand for a domain inside the name.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if allow_placeholder and _DOMAIN_PLACEHOLDER in text:
        # Only as the whole domain part: "%EMAILDOMAIN%" or "mail.%EMAILDOMAIN%".
        prefix = text[: -len(_DOMAIN_PLACEHOLDER)]
        if not text.endswith(_DOMAIN_PLACEHOLDER) or (prefix and not prefix.endswith(".")):
            return None
        if not prefix:
            return _DOMAIN_PLACEHOLDER
        labels = normalize_hostname(prefix + "example.com")
        if labels is None or "%" in prefix:
            return None
        return labels[: -len("example.com")] + _DOMAIN_PLACEHOLDER
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    if not text or len(text) > 253 * 4:
        return None
    if not text.isascii():
        try:
            import idna  # only needed for the rare internationalized host

            text = idna.encode(text, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            return None
    text = text.lower()
    if not _HOSTNAME_RE.match(text) or text.rsplit(".", 1)[1].isdigit():
        return None
    return text


def normalize_domain(value: str) -> str | None:
    """A mail domain as lower-case ASCII (punycode), or None if it is not valid."""
    return normalize_hostname(value)


def _clean_text(value: str | None, limit: int = MAX_TEXT) -> str:
    """Text content with control characters removed and white space collapsed."""
    if not value:
        return ""
    text = _SPACE_RE.sub(" ", _CONTROL_RE.sub("", value)).strip()
    return text[:limit].rstrip()


def _clean_url(value: str | None) -> str | None:
    if not value:
        return None
    url = value.strip()
    if len(url) > MAX_URL or _CONTROL_RE.search(url) or not _URL_RE.match(url):
        return None
    return url


def _child_text(element: Element, tag: str) -> str | None:
    child = element.find(tag)
    return None if child is None else (child.text or "")


def _fix_placeholders(text: str) -> str:
    return _UNCLOSED_RE.sub(r"%\1%", text)


def _parse_port(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 5:
        return None
    port = int(text)
    return port if 1 <= port <= 65535 else None


def _parse_auth(element: Element) -> tuple[str, ...]:
    methods: list[str] = []
    for child in element.findall("authentication"):
        name = _AUTH.get((child.text or "").strip().lower())
        if name is not None and name not in methods:
            methods.append(name)
    return tuple(methods) or ("password-cleartext",)


def _parse_username(element: Element) -> str | None:
    raw = _child_text(element, "username")
    if raw is None:
        return "%EMAILADDRESS%"
    text = raw.strip()
    if not text:
        return "%EMAILADDRESS%"
    if _CONTROL_RE.search(text) or any(c.isspace() for c in text) or len(text) > MAX_USERNAME:
        return None
    return _fix_placeholders(text)


def _parse_server(element: Element, direction: str) -> Server | None:
    """One server element as a Server, or None if it is unusable."""
    protocol = _PROTOCOLS[direction].get((element.get("type") or "").strip().lower())
    if protocol is None:
        return None  # exchange, ews, owa, graph, …: not ours
    host = normalize_hostname(_child_text(element, "hostname") or "", allow_placeholder=True)
    port = _parse_port(_child_text(element, "port"))
    security = _SOCKET_TYPES.get((_child_text(element, "socketType") or "").strip().lower())
    username = _parse_username(element)
    if host is None or port is None or security is None or username is None:
        return None
    return Server(
        protocol=protocol,
        host=host,
        port=port,
        security=security,
        auth=_parse_auth(element),
        username=username,
    )


def _pick_lang(elements: list[Element], *, fallback_any: bool) -> str:
    """The English (or untagged) text among ``elements``; else the first, if allowed."""
    ranked: list[tuple[int, str]] = []
    for el in elements:
        lang = (el.get("lang") or "").strip().lower()
        text = _clean_text(el.text)
        if not text:
            continue
        if lang == "en" or lang.startswith("en-"):
            ranked.append((0, text))
        elif not lang:
            ranked.append((1, text))
        elif fallback_any:
            ranked.append((2, text))
    return min(ranked, key=lambda item: item[0])[1] if ranked else ""


def _parse_oauth2(element: Element | None) -> OAuth2 | None:
    if element is None:
        return None
    issuer = _clean_text(_child_text(element, "issuer"))
    scope = _clean_text(_child_text(element, "scope"), limit=2000)
    auth_url = _clean_url(_child_text(element, "authURL"))
    token_url = _clean_url(_child_text(element, "tokenURL"))
    if not issuer or not scope or auth_url is None or token_url is None:
        return None
    return OAuth2(issuer=issuer, scope=scope, auth_url=auth_url, token_url=token_url)


def _parse_enable(element: Element | None) -> tuple[str | None, str] | None:
    if element is None:
        return None
    url = _clean_url(element.get("visiturl"))
    instruction = _pick_lang(element.findall("instruction"), fallback_any=True)
    if url is None and not instruction:
        return None
    return (url, instruction)


def _parse_document(data: bytes) -> Element:
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError("parse_config_xml() needs bytes")
    if len(data) > MAX_SIZE:
        raise ConfigXMLError(f"document too large (over {MAX_SIZE // 1024} KiB)")
    if not data.strip():
        raise ConfigXMLError("empty document")
    try:
        # defusedxml has no type hints; it returns the standard library's Element.
        root: Element = DefusedET.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        if isinstance(exc, DTDForbidden):
            raise ConfigXMLError("document type declarations (DTD) are not allowed") from None
        if isinstance(exc, EntitiesForbidden):
            raise ConfigXMLError("entity declarations are not allowed") from None
        raise ConfigXMLError("external references are not allowed") from None
    except ParseError as exc:
        raise ConfigXMLError(f"malformed XML ({exc})") from None
    except (ValueError, LookupError, UnicodeError):
        raise ConfigXMLError("malformed XML (bad encoding)") from None
    return root


def parse_config_xml(data: bytes) -> ClientConfig:
    """Read a config-v1.1.xml document; raise :class:`ConfigXMLError` if it is unusable."""
    root = _parse_document(data)
    if root.tag != "clientConfig":
        raise ConfigXMLError("not a clientConfig document")
    provider = root.find("emailProvider")
    if provider is None:
        raise ConfigXMLError("no emailProvider element")

    domains: list[str] = []
    mx_domains: list[str] = []
    for element in provider.findall("domain")[:MAX_DOMAINS]:
        domain = normalize_domain(element.text or "")
        if domain is None:
            continue
        target = mx_domains if (element.get("purpose") or "").strip() == "mx" else domains
        if domain not in target:
            target.append(domain)

    incoming: list[Server] = []
    outgoing: list[Server] = []
    for element in provider:
        if element.tag not in _PROTOCOLS:
            continue
        servers = incoming if element.tag == "incomingServer" else outgoing
        if len(servers) >= MAX_SERVERS:
            continue
        server = _parse_server(element, element.tag)
        if server is not None and server not in servers:
            servers.append(server)
    if not incoming:
        raise ConfigXMLError("no valid incoming server")

    provider_id = _clean_text(provider.get("id"), limit=253)
    if not provider_id or " " in provider_id:
        provider_id = domains[0] if domains else incoming[0].host
    display_name = _clean_text(_child_text(provider, "displayName")) or provider_id
    short_name = (
        _clean_text(_child_text(provider, "displayShortName"))
        or _clean_text(_child_text(provider, "displayNameShort"))  # a misspelling in the wild
        or display_name
    )

    documentation: list[tuple[str, str]] = []
    for element in provider.findall("documentation"):
        url = _clean_url(element.get("url"))
        if url is None or len(documentation) >= MAX_DOCS:
            continue
        entry = (url, _pick_lang(element.findall("descr"), fallback_any=False))
        if entry not in documentation:
            documentation.append(entry)

    enable_element = provider.find("enable")
    if enable_element is None:
        enable_element = root.find("enable")
    oauth2_element = root.find("oAuth2")
    if oauth2_element is None:
        oauth2_element = provider.find("oAuth2")

    return ClientConfig(
        id=provider_id,
        display_name=display_name,
        short_name=short_name,
        domains=tuple(domains),
        incoming=tuple(incoming),
        outgoing=tuple(outgoing),
        documentation=tuple(documentation),
        enable=_parse_enable(enable_element),
        oauth2=_parse_oauth2(oauth2_element),
        mx_domains=tuple(mx_domains),
    )
