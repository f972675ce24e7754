"""Reading Exchange Autodiscover POX answers: what each field means for the settings."""

from __future__ import annotations

import pytest

from wizard.discovery.autodiscover import PoxError, parse_pox, request_body

RESP = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
OUTLOOK = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"


def pox(account: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="{RESP}">'
            f'<Response xmlns="{OUTLOOK}"><User><DisplayName>Alice</DisplayName></User>'
            f"<Account><AccountType>email</AccountType>{account}</Account></Response>"
            "</Autodiscover>").encode()


def proto(kind: str, server: str, port: str | None = None, **fields: str) -> str:
    parts = [f"<Type>{kind}</Type>", f"<Server>{server}</Server>"]
    if port is not None:
        parts.append(f"<Port>{port}</Port>")
    parts += [f"<{k}>{v}</{k}>" for k, v in fields.items()]
    return "<Protocol>" + "".join(parts) + "</Protocol>"


def test_settings_in_document_order_with_logins():
    answer = parse_pox(pox(
        "<Action>settings</Action>"
        + proto("EXCH", "ex.example.com")
        + proto("IMAP", "imap.example.com", "993", SSL="on", LoginName="alice")
        + proto("POP3", "pop.example.com", "995")
        + proto("SMTP", "smtp.example.com", "587", Encryption="TLS")
    ))
    assert answer.action == "settings" and answer.display_name == "Alice"
    [imap, pop] = answer.incoming
    assert (imap.protocol, imap.host, imap.port, imap.security, imap.username) == (
        "imap", "imap.example.com", 993, "ssl", "alice")
    assert (pop.protocol, pop.security, pop.username) == ("pop3", "ssl", "%EMAILADDRESS%")
    [smtp] = answer.outgoing
    assert (smtp.host, smtp.port, smtp.security, smtp.auth) == (
        "smtp.example.com", 587, "starttls", ("password-cleartext",))


@pytest.mark.parametrize(("fields", "port", "security"), [
    ({"Encryption": "SSL"}, "143", "ssl"),       # Encryption wins over the port
    ({"Encryption": "None", "SSL": "on"}, "143", "plain"),
    ({"Encryption": "Auto"}, "993", "ssl"),
    ({"Encryption": "Auto"}, "143", "starttls"),
    ({"SSL": "on"}, "143", "starttls"),          # SSL on a STARTTLS port
    ({"SSL": "off"}, "143", "plain"),
    ({}, "993", "ssl"),                          # SSL defaults to on
])
def test_security_rules(fields: dict[str, str], port: str, security: str):
    answer = parse_pox(pox("<Action>settings</Action>"
                           + proto("IMAP", "imap.example.com", port, **fields)))
    assert answer.incoming[0].security == security


def test_missing_port_takes_the_default_for_the_security():
    answer = parse_pox(pox("<Action>settings</Action>"
                           + proto("IMAP", "imap.example.com", SSL="off")
                           + proto("SMTP", "smtp.example.com")))
    assert answer.incoming[0].port == 143
    assert answer.outgoing[0].port == 465


def test_spa_means_ntlm_and_no_auth_for_smtp():
    answer = parse_pox(pox("<Action>settings</Action>"
                           + proto("IMAP", "imap.example.com", "993", SPA="on")
                           + proto("SMTP", "smtp.example.com", "25", AuthRequired="off",
                                   Encryption="TLS")))
    assert answer.incoming[0].auth == ("NTLM",)
    assert answer.outgoing[0].auth == ("none",)


@pytest.mark.parametrize("server", ["bad host", "999.1.1.1", "", "a..b"])
def test_bad_servers_are_skipped(server: str):
    with pytest.raises(PoxError, match="no IMAP or POP3"):
        parse_pox(pox("<Action>settings</Action>" + proto("IMAP", server, "993")))


def test_bad_port_is_skipped_but_not_the_others():
    answer = parse_pox(pox("<Action>settings</Action>"
                           + proto("IMAP", "a.example.com", "99999")
                           + proto("IMAP", "b.example.com", "993")))
    assert [s.host for s in answer.incoming] == ["b.example.com"]


def test_redirects():
    addr = parse_pox(pox("<Action>redirectAddr</Action><RedirectAddr>a@b.example</RedirectAddr>"))
    assert (addr.action, addr.redirect) == ("redirectAddr", "a@b.example")
    url = parse_pox(pox("<Action>redirectUrl</Action>"
                        "<RedirectUrl>https://x.example/autodiscover/autodiscover.xml</RedirectUrl>"))
    assert (url.action, url.redirect) == ("redirectUrl",
                                         "https://x.example/autodiscover/autodiscover.xml")


@pytest.mark.parametrize("data", [
    b"<html><body>It works!</body></html>",
    b"<Autodiscover><Response>",
    b"",
    f'<Autodiscover xmlns="{RESP}"><Response><Error><ErrorCode>600</ErrorCode>'
    f"<Message>Invalid Request</Message></Error></Response></Autodiscover>".encode(),
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    b"<Autodiscover>&lol2;</Autodiscover>",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b"<Autodiscover>&e;</Autodiscover>",
])
def test_unusable_documents(data: bytes):
    with pytest.raises(PoxError):
        parse_pox(data)


def test_request_escapes_the_address():
    body = request_body('"a<b&c"@example.com').decode()
    assert "&lt;b&amp;c" in body and "<b&c" not in body
    assert "requestschema/2006" in body and "responseschema/2006a" in body
