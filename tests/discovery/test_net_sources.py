"""Each of the seven sources on the simulated internet: the right settings, source, secure."""

from __future__ import annotations

import threading

import pytest

from wizard.discovery import SourceEvent

from .helpers import XML, config_xml, find, outcomes, publish_ispdb, run_cli
from .helpers import endpoint as make_endpoint

pytestmark = pytest.mark.network


def test_builtin_needs_no_network(netsim):
    netsim.apply()
    result = run_cli(netsim, "alice@yandex.ru")
    assert result.code == 0
    obj = result.json
    assert (obj["source"], obj["secure"]) == ("builtin", True)
    assert [a["source"] for a in obj["attempts"]] == ["builtin"]
    # (netsim's own readiness checks ask for names under netsim.test)
    assert [q for q in netsim.dns_queries() if not q[1].endswith("netsim.test")] == []


def test_autoconfig_https_end_to_end(netsim):
    d = netsim.domain("example.test")
    d.host("autoconfig", https={"/mail/config-v1.1.xml": (XML, config_xml(
        "imap.example.test", "smtp.example.test", username="%EMAILLOCALPART%"))})
    netsim.apply()
    result = run_cli(netsim, "alice@example.test")
    assert result.code == 0, result.json
    obj = result.json
    assert (obj["source"], obj["secure"]) == ("autoconfig", True)
    assert obj["source_url"] == ("https://autoconfig.example.test/mail/config-v1.1.xml"
                                 "?emailaddress=alice%40example.test")
    assert obj["provider"] == {"id": "example.test", "name": "Example Mail"}
    [imap] = obj["incoming"]
    assert (imap["host"], imap["port"], imap["security"], imap["username"]) == (
        "imap.example.test", 993, "ssl", "alice")
    assert obj["outgoing"][0]["host"] == "smtp.example.test"
    [used] = [a for a in obj["attempts"] if a["target"] == obj["source_url"]]
    assert (used["source"], used["outcome"]) == ("autoconfig", "ok")
    # Every lookup is listed once, with a known outcome.
    targets = [a["target"] for a in obj["attempts"]]
    assert len(targets) == len(set(targets))
    assert {a["outcome"] for a in obj["attempts"]} <= {
        "ok", "not-found", "invalid", "error", "timeout", "skipped"}


def test_autoconfig_well_known_with_domain_placeholders(netsim):
    d = netsim.domain("example.test")
    d.host("@", https={"/.well-known/autoconfig/mail/config-v1.1.xml": (XML, config_xml(
        "mail.%EMAILDOMAIN%", username="%EMAILADDRESS%"))})
    netsim.apply()
    settings = find("bob@example.test")
    assert (settings.source, settings.secure) == ("autoconfig", True)
    assert settings.incoming[0].host == "mail.example.test"
    assert settings.incoming[0].username == "bob@example.test"
    assert settings.source_url == (
        "https://example.test/.well-known/autoconfig/mail/config-v1.1.xml")


def test_autoconfig_over_plain_http_is_insecure_and_leaks_no_address(netsim):
    d = netsim.domain("example.test")
    d.host("autoconfig", http={"/mail/config-v1.1.xml": (XML, config_xml("imap.example.test"))})
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("autoconfig", False)
    assert settings.source_url == "http://autoconfig.example.test/mail/config-v1.1.xml"
    plain = [r for r in netsim.web_requests() if r.scheme == "http"]
    assert plain and all("alice" not in r.uri for r in plain)


def test_ispdb(netsim):
    publish_ispdb(netsim, {"example.test": config_xml("imap.provider.test", "smtp.provider.test")})
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("ispdb", True)
    assert settings.source_url == "https://autoconfig.ispdb.test/v1.1/example.test"
    assert settings.incoming[0].host == "imap.provider.test"


def test_mx_to_a_table_provider(netsim):
    netsim.domain("example.test").mx("aspmx.l.google.com")
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("mx", True)
    assert settings.provider is not None and settings.incoming[0].host == "imap.gmail.com"
    assert outcomes(settings, "mx") == {"MX example.test": "ok", "aspmx.l.google.com": "ok"}


def test_mx_to_the_ispdb_entry_of_the_mx_domain(netsim):
    netsim.domain("example.test").mx("mx1.hoster.test")
    publish_ispdb(netsim, {"hoster.test": config_xml("imap.hoster.test", provider="hoster.test")})
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("mx", True)
    assert settings.incoming[0].host == "imap.hoster.test"
    assert settings.source_url == "https://autoconfig.ispdb.test/v1.1/hoster.test"


def test_mx_to_the_autoconfig_of_the_mx_domain_is_insecure(netsim):
    netsim.domain("example.test").mx("mx1.mail.hoster.test")
    netsim.domain("hoster.test").host("autoconfig.mail", https={
        "/mail/config-v1.1.xml": (XML, config_xml("imap.hoster.test"))})
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("mx", False)
    assert settings.source_url == "https://autoconfig.mail.hoster.test/mail/config-v1.1.xml"
    # The address is not sent to the MX's domain, a third party.
    assert all("alice" not in r.uri for r in netsim.web_requests()
               if r.host.endswith("hoster.test"))


def test_srv_in_the_domain_is_secure(netsim):
    d = netsim.domain("example.test")
    d.srv("_imaps._tcp", "mail.example.test", 993)
    d.srv("_imap._tcp", "mail.example.test", 143)
    d.srv("_pop3._tcp", None)
    d.srv("_submission._tcp", "mail.example.test", 587)
    d.a("mail", "127.0.9.9")
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("srv", True)
    assert [(s.port, s.security) for s in settings.incoming] == [(993, "ssl"), (143, "starttls")]
    assert [(s.port, s.security) for s in settings.outgoing] == [(587, "starttls")]
    assert settings.incoming[0].username == "alice@example.test"
    srv = outcomes(settings, "srv")
    assert srv["SRV _pop3._tcp.example.test"] == "not-found"
    assert srv["SRV _pop3s._tcp.example.test"] == "not-found"
    assert len(srv) == 6


def test_srv_outside_the_domain_is_insecure(netsim):
    netsim.domain("example.test").srv("_imaps._tcp", "imap.elsewhere.test", 993)
    netsim.domain("elsewhere.test").a("imap", "127.0.9.9")
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("srv", False)


def pox_settings(host: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/'
        'exchange/autodiscover/responseschema/2006"><Response xmlns="http://schemas.microsoft.com/'
        'exchange/autodiscover/outlook/responseschema/2006a"><Account><AccountType>email'
        "</AccountType><Action>settings</Action>"
        f"<Protocol><Type>IMAP</Type><Server>{host}</Server><Port>993</Port><SSL>on</SSL>"
        "<LoginName>alice</LoginName></Protocol>"
        f"<Protocol><Type>SMTP</Type><Server>{host}</Server><Port>587</Port>"
        "<Encryption>TLS</Encryption></Protocol></Account></Response></Autodiscover>"
    ).encode()


def pox_redirect(address: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/'
        'exchange/autodiscover/responseschema/2006"><Response xmlns="http://schemas.microsoft.com/'
        'exchange/autodiscover/outlook/responseschema/2006a"><Account><AccountType>email'
        f"</AccountType><Action>redirectAddr</Action><RedirectAddr>{address}</RedirectAddr>"
        "</Account></Response></Autodiscover>"
    ).encode()


def test_autodiscover_post(netsim):
    endpoint = make_endpoint(netsim, 200, "text/xml; charset=utf-8",
                             pox_settings("ex.example.test"))
    netsim.domain("example.test").host(
        "autodiscover", https={"/autodiscover/autodiscover.xml": endpoint})
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("autodiscover", True)
    assert [(s.host, s.port, s.security, s.username) for s in settings.incoming] == [
        ("ex.example.test", 993, "ssl", "alice")]
    assert settings.outgoing[0].security == "starttls"
    [request] = endpoint.requests
    assert request.method == "POST"
    assert b"<EMailAddress>alice@example.test</EMailAddress>" in request.body
    assert request.headers.get("Content-Type", "").startswith("text/xml")


def test_autodiscover_redirect_to_another_domain_is_insecure(netsim):
    first = make_endpoint(netsim, 200, "text/xml", pox_redirect("alice@corp.test"))
    netsim.domain("example.test").host(
        "autodiscover", https={"/autodiscover/autodiscover.xml": first})
    second = make_endpoint(netsim, 200, "text/xml", pox_settings("mail.corp.test"))
    netsim.domain("corp.test").host(
        "autodiscover", https={"/autodiscover/autodiscover.xml": second})
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("autodiscover", False)
    assert settings.incoming[0].host == "mail.corp.test"
    assert b"alice@corp.test" in second.requests[0].body


def test_autodiscover_via_srv_outside_the_domain_is_insecure(netsim):
    endpoint = make_endpoint(netsim, 200, "text/xml", pox_settings("mail.hosted.test"))
    netsim.domain("example.test").srv("_autodiscover._tcp", "ad.hosted.test", 443)
    netsim.domain("hosted.test").host(
        "ad", https={"/autodiscover/autodiscover.xml": endpoint})
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("autodiscover", False)
    assert settings.source_url == "https://ad.hosted.test/autodiscover/autodiscover.xml"


def test_guess_with_verified_tls_is_secure(netsim):
    netsim.domain("example.test").mailserver("mail")
    netsim.apply()
    settings = find("alice@example.test", timeout=8)
    assert (settings.source, settings.secure) == ("guess", True)
    imap = settings.incoming[0]
    assert (imap.protocol, imap.host, imap.port, imap.security) == (
        "imap", "mail.example.test", 993, "ssl")
    assert "password-cleartext" in imap.auth
    assert [s.protocol for s in settings.incoming] == ["imap", "pop3"]
    assert (settings.outgoing[0].port, settings.outgoing[0].security) == (465, "ssl")


def test_guess_upgrades_starttls_for_real(netsim):
    netsim.domain("example.test").mailserver("mail", ports=(143, 587))
    netsim.apply()
    settings = find("alice@example.test", timeout=8)
    assert (settings.source, settings.secure) == ("guess", True)
    assert [(s.host, s.port, s.security) for s in settings.incoming] == [
        ("mail.example.test", 143, "starttls")]
    assert (settings.outgoing[0].port, settings.outgoing[0].security) == (587, "starttls")
    # AUTH is learnt after the upgrade (Postfix offers it only over TLS here).
    assert "password-cleartext" in settings.outgoing[0].auth


def test_guess_without_starttls_is_a_reported_insecure_last_resort(netsim):
    netsim.domain("example.test").hostile("imap", "no-starttls", ports=(143,))
    netsim.apply()
    settings = find("alice@example.test", timeout=6)
    assert (settings.source, settings.secure) == ("guess", False)
    assert settings.incoming[0].security == "plain"
    assert outcomes(settings, "guess")["imap imap.example.test:143 starttls"] == "ok"
    assert "unencrypted" in next(a.detail for a in settings.attempts
                                 if a.target == "imap imap.example.test:143 starttls")


def test_guess_never_accepts_a_bad_certificate(netsim):
    netsim.domain("example.test").mailserver("mail", cert="self-signed", ports=(993,))
    netsim.apply()
    settings = find("alice@example.test", timeout=6)
    assert not settings.found
    attempt = next(a for a in settings.attempts if a.target == "imap mail.example.test:993 ssl")
    assert attempt.outcome == "error" and "certificate" in (attempt.detail or "")


def test_progress_events_for_the_gui(netsim):
    netsim.domain("example.test").srv("_imaps._tcp", "mail.example.test", 993)
    netsim.domain("example.test").a("mail", "127.0.9.9")
    netsim.apply()
    events: list[object] = []
    threads: set[int] = set()

    def listen(event: object) -> None:
        events.append(event)
        threads.add(threading.get_ident())

    settings = find("alice@example.test", on_event=listen)
    assert settings.source == "srv"
    assert threads == {threading.get_ident()}  # delivered in the caller's thread
    states = {}
    for e in events:
        if isinstance(e, SourceEvent):
            states.setdefault(e.source, []).append(e.state)
    assert states["builtin"] == ["started", "nothing"]
    assert states["srv"] == ["started", "found"]
    assert states["autoconfig"] in (["started", "nothing"], ["started", "skipped"])
    assert states["guess"][-1] in ("skipped", "nothing")
    assert set(states) == {"builtin", "autoconfig", "ispdb", "mx", "srv", "autodiscover",
                           "guess"}
    attempts = [e for e in events if not isinstance(e, SourceEvent)]
    assert sorted(map(repr, attempts)) == sorted(map(repr, settings.attempts))
