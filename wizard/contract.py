"""The one place that turns the model into the command-line contract's JSON and back.

See ``cli-contract.md``: field names and values here are a public interface.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from wizard.address import Address, AddressError, parse_address
from wizard.i18n import _
from wizard.model import (
    AUTH_METHODS,
    PROTOCOLS,
    SECURITIES,
    SOURCES,
    Attempt,
    Limits,
    Note,
    ProviderRef,
    Server,
    Settings,
)

SCHEMA = 1


class ConfigError(ValueError):
    """A settings file (``--config``) that cannot be used; the message says why."""


def server_to_json(server: Server) -> dict[str, Any]:
    return {
        "protocol": server.protocol,
        "host": server.host,
        "port": server.port,
        "security": server.security,
        "auth": list(server.auth),
        "username": server.username,
    }


def settings_to_json(settings: Settings) -> dict[str, Any]:
    """The ``detect --json`` object."""
    address = settings.address
    limits = settings.limits
    return {
        "schema": SCHEMA,
        "email": address.email,
        "domain": address.domain,
        "domain_ascii": address.domain_ascii,
        "found": settings.found,
        "provider": (
            {"id": settings.provider.id, "name": settings.provider.name}
            if settings.provider
            else None
        ),
        "source": settings.source,
        "source_url": settings.source_url,
        "secure": settings.secure,
        "incoming": [server_to_json(s) for s in settings.incoming],
        "outgoing": [server_to_json(s) for s in settings.outgoing],
        "notes": [{"code": n.code, "text": n.text, "url": n.url} for n in settings.notes],
        "limits": (
            {
                "message_size_mb": limits.message_size_mb,
                "recipients_per_message": limits.recipients_per_message,
                "messages_per_day": limits.messages_per_day,
            }
            if limits
            else None
        ),
        "attempts": [
            {
                "source": a.source,
                "target": a.target,
                "outcome": a.outcome,
                "elapsed_ms": a.elapsed_ms,
                **({"detail": a.detail} if a.detail else {}),
            }
            for a in settings.attempts
        ],
        "elapsed_ms": settings.elapsed_ms,
    }


def dumps(obj: Any) -> str:
    """JSON text as the command line prints it."""
    return json.dumps(obj, ensure_ascii=False, indent=2)


# Reading settings back (``--config``): a person may have edited the file, so every
# value is checked and each problem is named.


def _field(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise ConfigError(_("{where}: the field “{key}” is missing.", where=where, key=key))
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(_("{where}: the field “{key}” has the wrong type.", where=where, key=key))
    return value


def server_from_json(obj: Any, where: str, address: Address) -> Server:
    if not isinstance(obj, dict):
        raise ConfigError(_("{where} must be an object.", where=where))
    protocol = _field(obj, "protocol", str, where)
    if protocol not in PROTOCOLS:
        raise ConfigError(_("{where}: unknown protocol “{value}”.", where=where, value=protocol))
    host = _field(obj, "host", str, where).strip().lower().rstrip(".")
    try:
        # A host name is checked like an address's domain; IP literals are allowed too.
        ipaddress.ip_address(host)
    except ValueError:
        try:
            host = parse_address(f"x@{host}").domain_ascii
        except AddressError as exc:
            raise ConfigError(
                _("{where}: the host name “{host}” is not valid: {reason}",
                  where=where, host=host, reason=exc.message)
            ) from None
    port = _field(obj, "port", int, where)
    if not 1 <= port <= 65535:
        raise ConfigError(_("{where}: the port must be between 1 and 65535.", where=where))
    security = _field(obj, "security", str, where)
    if security not in SECURITIES:
        raise ConfigError(_("{where}: unknown security “{value}”.", where=where, value=security))
    auth = obj.get("auth", ["password-cleartext"])
    if not isinstance(auth, list) or not all(isinstance(a, str) for a in auth):
        raise ConfigError(_("{where}: “auth” must be a list of names.", where=where))
    unknown = [a for a in auth if a not in AUTH_METHODS]
    if unknown:
        raise ConfigError(
            _("{where}: unknown authentication “{value}”.", where=where, value=unknown[0])
        )
    username = obj.get("username", "%EMAILADDRESS%")
    if not isinstance(username, str) or not username or any(c in username for c in "\r\n\0"):
        raise ConfigError(_("{where}: the user name is not valid.", where=where))
    server = Server(protocol, host, port, security, tuple(auth) or ("password-cleartext",),
                    username)
    return server.resolved(address)


def settings_from_json(text: str, address: Address | None = None) -> Settings:
    """Read a ``detect --json`` document, possibly edited by a person.

    With ``address``, the document may leave out ``email`` (a template for a whole domain,
    its user names written with placeholders); when it names one, it must be that address.
    """
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            _("The settings file is not valid JSON (line {line}, column {column}).",
              line=exc.lineno, column=exc.colno)
        ) from None
    if not isinstance(obj, dict):
        raise ConfigError(_("The settings file must hold one JSON object."))
    if obj.get("schema", SCHEMA) != SCHEMA:
        raise ConfigError(_("The settings file has an unknown schema version."))
    if address is None or "email" in obj:
        try:
            named = parse_address(_field(obj, "email", str, _("The settings file")))
        except AddressError as exc:
            raise ConfigError(_("The settings file's address is not valid: {reason}",
                                reason=exc.message)) from None
        if address is not None and named.email.casefold() != address.email.casefold():
            raise ConfigError(_("The settings file is for {other}, not for {address}.",
                                other=named.email, address=address.email))
        address = address or named
    incoming = tuple(
        server_from_json(s, _("Incoming server {n}", n=i + 1), address)
        for i, s in enumerate(_list(obj, "incoming"))
    )
    outgoing = tuple(
        server_from_json(s, _("Outgoing server {n}", n=i + 1), address)
        for i, s in enumerate(_list(obj, "outgoing"))
    )
    if any(s.protocol == "smtp" for s in incoming) or any(s.protocol != "smtp" for s in outgoing):
        raise ConfigError(_("Incoming servers must be IMAP or POP3, outgoing servers SMTP."))
    if not incoming and not outgoing:
        raise ConfigError(_("The settings file names no server."))
    provider = obj.get("provider")
    source = obj.get("source")
    elapsed_ms = obj.get("elapsed_ms")
    return Settings(
        address=address,
        found=True,
        provider=(
            ProviderRef(str(provider.get("id", "")), str(provider.get("name", "")))
            if isinstance(provider, dict)
            else None
        ),
        source=source if source in SOURCES else None,
        source_url=obj.get("source_url") if isinstance(obj.get("source_url"), str) else None,
        secure=obj.get("secure") is True,
        incoming=incoming,
        outgoing=outgoing,
        notes=tuple(
            Note(str(n.get("code", "")), str(n.get("text", "")),
                 n.get("url") if isinstance(n.get("url"), str) else None)
            for n in obj.get("notes") or []
            if isinstance(n, dict)
        ),
        limits=_limits(obj.get("limits")),
        attempts=tuple(
            Attempt(a["source"], str(a.get("target", "")), a["outcome"],
                    int(a.get("elapsed_ms", 0)))
            for a in obj.get("attempts") or []
            if isinstance(a, dict) and a.get("source") in SOURCES
            and a.get("outcome") in ("ok", "not-found", "invalid", "error", "timeout", "skipped")
            and isinstance(a.get("elapsed_ms", 0), int)
        ),
        elapsed_ms=elapsed_ms if isinstance(elapsed_ms, int) else 0,
    )


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(_("The field “{key}” must be a list.", key=key))
    return value


def _limits(obj: Any) -> Limits | None:
    if not isinstance(obj, dict):
        return None

    def num(key: str) -> int | None:
        v = obj.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else None

    return Limits(num("message_size_mb"), num("recipients_per_message"), num("messages_per_day"))
