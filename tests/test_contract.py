"""The contract's JSON: what detect prints reads back, and edited files are checked."""

from __future__ import annotations

import json

import pytest

from wizard import contract
from wizard.address import parse_address
from wizard.i18n import set_language
from wizard.model import Attempt, Limits, Note, ProviderRef, Server, Settings

ADDRESS = parse_address("alice@example.com")
SETTINGS = Settings(
    address=ADDRESS,
    found=True,
    provider=ProviderRef("example.com", "Example Mail"),
    source="autoconfig",
    source_url="https://autoconfig.example.com/mail/config-v1.1.xml",
    secure=True,
    incoming=(Server("imap", "imap.example.com", 993, "ssl", ("password-cleartext",),
                     "alice@example.com"),
              Server("pop3", "pop.example.com", 995, "ssl", ("password-cleartext",), "alice")),
    outgoing=(Server("smtp", "smtp.example.com", 465, "ssl", ("password-cleartext",),
                     "alice@example.com"),),
    notes=(Note("enable-imap", "Enable IMAP.", "https://example.com/settings"),),
    limits=Limits(30, None, 500),
    attempts=(Attempt("autoconfig", "https://autoconfig.example.com/…", "ok", 41),),
    elapsed_ms=57,
)


@pytest.fixture(autouse=True)
def english():
    set_language("en")


def test_detect_json_has_the_contract_fields():
    obj = contract.settings_to_json(SETTINGS)
    for key in ("schema", "email", "domain", "domain_ascii", "found", "provider", "source",
                "source_url", "secure", "incoming", "outgoing", "notes", "attempts",
                "elapsed_ms"):
        assert key in obj
    assert obj["schema"] == 1
    assert obj["provider"] == {"id": "example.com", "name": "Example Mail"}
    assert obj["incoming"][0] == {"protocol": "imap", "host": "imap.example.com", "port": 993,
                                  "security": "ssl", "auth": ["password-cleartext"],
                                  "username": "alice@example.com"}
    assert obj["attempts"][0] == {"source": "autoconfig",
                                  "target": "https://autoconfig.example.com/…",
                                  "outcome": "ok", "elapsed_ms": 41}
    json.dumps(obj)  # serializable as it is


def test_round_trip_through_json():
    text = contract.dumps(contract.settings_to_json(SETTINGS))
    back = contract.settings_from_json(text)
    assert back == SETTINGS


def test_idn_address_round_trips():
    address = parse_address("иван@почта.рф")
    settings = Settings(address=address, found=True, source="builtin", secure=True,
                        incoming=(Server("imap", "imap.xn--80a1acny.xn--p1ai", 993, "ssl",
                                         ("password-cleartext",), "иван@почта.рф"),))
    obj = contract.settings_to_json(settings)
    assert (obj["domain"], obj["domain_ascii"]) == ("почта.рф", "xn--80a1acny.xn--p1ai")
    assert contract.settings_from_json(contract.dumps(obj)) == settings


def test_template_without_email_takes_the_given_address():
    template = {"incoming": [{"protocol": "imap", "host": "IMAP.Example.com.", "port": 993,
                              "security": "ssl", "username": "%EMAILLOCALPART%"}],
                "outgoing": [{"protocol": "smtp", "host": "smtp.example.com", "port": 587,
                              "security": "starttls"}]}
    settings = contract.settings_from_json(json.dumps(template), parse_address("bob@example.com"))
    assert settings.address.email == "bob@example.com"
    assert settings.incoming[0].host == "imap.example.com"
    assert settings.incoming[0].username == "bob"
    assert settings.outgoing[0].username == "bob@example.com"
    assert settings.outgoing[0].auth == ("password-cleartext",)
    assert settings.secure is False  # a hand-written file is not a trusted source


def test_file_for_another_address_is_refused():
    text = contract.dumps(contract.settings_to_json(SETTINGS))
    with pytest.raises(contract.ConfigError, match=r"is for alice@example\.com"):
        contract.settings_from_json(text, parse_address("bob@example.com"))


def _edited(**changes):
    obj = contract.settings_to_json(SETTINGS)
    obj["incoming"][0].update(changes)
    return contract.dumps(obj)


@pytest.mark.parametrize(("text", "message"), [
    ("{", "not valid JSON"),
    ("[]", "one JSON object"),
    ('{"schema": 2, "email": "a@b.c"}', "unknown schema"),
    ('{"email": "not an address"}', "address is not valid"),
    ('{"email": "a@b.c", "incoming": {}}', "must be a list"),
    ('{"email": "a@b.c"}', "names no server"),
    (_edited(protocol="ftp"), "unknown protocol"),
    (_edited(port=0), "between 1 and 65535"),
    (_edited(port="993"), "wrong type"),
    (_edited(port=True), "wrong type"),
    (_edited(security="tls"), "unknown security"),
    (_edited(host="imap example.com"), "host name"),
    (_edited(host="imap.example.com\r\nX"), "host name"),
    (_edited(auth="password-cleartext"), "list of names"),
    (_edited(auth=["password"]), "unknown authentication"),
    (_edited(username="a\r\nLOGOUT"), "user name"),
    (_edited(protocol="smtp"), "Incoming servers must be IMAP or POP3"),
])
def test_bad_settings_files_are_named(text, message):
    with pytest.raises(contract.ConfigError, match=message):
        contract.settings_from_json(text)


def test_ip_address_hosts_are_allowed():
    settings = contract.settings_from_json(_edited(host="192.0.2.10"))
    assert settings.incoming[0].host == "192.0.2.10"
