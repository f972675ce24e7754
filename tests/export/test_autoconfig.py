"""config-v1.1.xml round-trips through our own hardened parser; the domain bundle is valid."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import defusedxml.ElementTree as DET
import dns.rdatatype
import dns.zone
import pytest

from wizard.address import parse_address
from wizard.configxml import parse_config_xml
from wizard.export import export
from wizard.export.autodiscover import OUTLOOK_NS, RESPONSE_NS
from wizard.model import Note, Server, Settings

from .conftest import imap_settings, pop3_settings


def round_trip(settings: Settings, tmp_path: Path) -> Settings:
    out = tmp_path / "config-v1.1.xml"
    export("thunderbird-autoconfig", settings, None, None, out)
    config = parse_config_xml(out.read_bytes()).for_domain(settings.address.domain_ascii)
    assert config.id == settings.address.domain_ascii
    assert settings.address.domain_ascii in config.domains
    address = settings.address
    return replace(settings,
                   incoming=tuple(s.resolved(address) for s in config.incoming),
                   outgoing=tuple(s.resolved(address) for s in config.outgoing))


@pytest.mark.parametrize("settings", [imap_settings(), pop3_settings()], ids=["imap", "pop3"])
def test_config_xml_round_trips_through_our_parser(settings: Settings, tmp_path: Path) -> None:
    back = round_trip(settings, tmp_path)
    assert back.incoming == settings.incoming
    assert back.outgoing == settings.outgoing


def test_user_names_become_placeholders(tmp_path: Path) -> None:
    export("thunderbird-autoconfig", pop3_settings(), None, None, tmp_path / "c.xml")
    config = parse_config_xml((tmp_path / "c.xml").read_bytes())
    assert config.incoming[0].username == "%EMAILLOCALPART%"
    export("thunderbird-autoconfig", imap_settings(), None, None, tmp_path / "d.xml")
    config = parse_config_xml((tmp_path / "d.xml").read_bytes())
    assert {s.username for s in config.incoming + config.outgoing} == {"%EMAILADDRESS%"}


def test_every_auth_method_and_special_characters_survive(tmp_path: Path) -> None:
    settings = imap_settings(
        incoming=(Server("imap", "imap.example.com", 143, "starttls",
                         ("OAuth2", "password-encrypted", "password-cleartext"),
                         "alice@example.com"),),
        outgoing=(Server("smtp", "smtp.example.com", 25, "plain",
                         ("client-IP-address",), "alice@example.com"),),
        notes=(Note("enable-imap", "Turn on IMAP <here> & \"there\"",
                    "https://example.com/help?a=1&b=2"),),
    )
    back = round_trip(settings, tmp_path)
    assert back.incoming == settings.incoming
    assert back.outgoing == settings.outgoing
    config = parse_config_xml((tmp_path / "config-v1.1.xml").read_bytes())
    assert config.display_name == "Example <Mail> & Co"
    assert config.documentation == (("https://example.com/help?a=1&b=2",
                                     "Turn on IMAP <here> & \"there\""),)


def test_an_internationalized_domain_is_written_in_ascii(tmp_path: Path) -> None:
    address = parse_address("jörg@bücher.example")
    settings = Settings(address=address, found=True, incoming=(
        Server("imap", "imap.xn--bcher-kva.example", 993, "ssl", ("password-cleartext",),
               address.email),))
    back = round_trip(settings, tmp_path)
    assert back.incoming == settings.incoming


# --- the domain administrator's bundle ------------------------------------------------------

def test_the_bundle_holds_valid_files(tmp_path: Path) -> None:
    settings = imap_settings()
    result = export("domain-admin", settings, None, None, tmp_path / "bundle")
    names = sorted(p.name for p in result.paths)
    assert names == ["README.txt", "autodiscover.xml", "config-v1.1.xml", "srv-records.zone"]

    config = parse_config_xml((tmp_path / "bundle" / "config-v1.1.xml").read_bytes())
    assert [s.host for s in config.incoming] == ["imap.example.com", "pop.example.com"]

    root = DET.fromstring((tmp_path / "bundle" / "autodiscover.xml").read_bytes())
    assert root.tag == f"{{{RESPONSE_NS}}}Autodiscover"
    protocols = root.findall(f"{{{OUTLOOK_NS}}}Response/{{{OUTLOOK_NS}}}Account/"
                             f"{{{OUTLOOK_NS}}}Protocol")
    assert [p.findtext(f"{{{OUTLOOK_NS}}}Type") for p in protocols] == ["IMAP", "POP3", "SMTP"]
    # one file for all users: no login name, clients take the address
    assert all(p.find(f"{{{OUTLOOK_NS}}}LoginName") is None for p in protocols)


def test_the_srv_records_form_a_valid_zone(tmp_path: Path) -> None:
    settings = imap_settings(
        incoming=(Server("imap", "imap.example.com", 993, "ssl"),
                  Server("imap", "imap2.example.com", 143, "starttls"),
                  Server("imap", "legacy.example.com", 143, "plain")),
        outgoing=(Server("smtp", "smtp.example.com", 465, "ssl"),
                  Server("smtp", "smtp.example.com", 587, "starttls")),
    )
    export("domain-admin", settings, None, None, tmp_path)
    text = (tmp_path / "srv-records.zone").read_text()
    # dnspython needs a complete zone; the lines are meant to be pasted into one.
    head = ("$ORIGIN example.com.\n@ 3600 IN SOA ns.example.com. admin.example.com. 1 2 3 4 5\n"
            "@ 3600 IN NS ns.example.com.\n")
    zone = dns.zone.from_text(head + text, relativize=False)
    srv = {}
    for name, rdataset in zone.iterate_rdatasets(dns.rdatatype.SRV):
        srv[name.to_text()] = sorted((r.priority, r.port, r.target.to_text()) for r in rdataset)
    assert srv == {
        "_imaps._tcp.example.com.": [(0, 993, "imap.example.com.")],
        "_imap._tcp.example.com.": [(10, 143, "imap2.example.com."),
                                    (20, 143, "legacy.example.com.")],
        "_pop3s._tcp.example.com.": [(0, 0, ".")],
        "_pop3._tcp.example.com.": [(0, 0, ".")],
        "_submissions._tcp.example.com.": [(0, 465, "smtp.example.com.")],
        "_submission._tcp.example.com.": [(10, 587, "smtp.example.com.")],
    }
    assert "legacy.example.com:143 offers no encryption" in text
