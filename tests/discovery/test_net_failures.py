"""Failures and fallbacks on the simulated internet: broken, hostile and silent servers."""

from __future__ import annotations

import threading
import time

import pytest

from wizard.address import parse_address
from wizard.discovery import CancelToken, detect

from .helpers import ISPDB_URL, XML, config_xml, find, netsim_part, outcomes, publish_ispdb, run_cli

pytestmark = pytest.mark.network

AUTOCONFIG = "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=alice%40example.test"
WELL_KNOWN = "https://example.test/.well-known/autoconfig/mail/config-v1.1.xml"


def with_fallback(netsim) -> None:
    """An SRV record to fall back on when autoconfig fails."""
    d = netsim.domain("example.test")
    d.srv("_imaps._tcp", "mail.example.test", 993)
    d.a("mail", "127.0.9.9")


@pytest.mark.parametrize(("spec", "outcome"), [
    ((XML, "<clientConfig><emailProvider"), "invalid"),               # malformed XML
    ((XML, "<clientConfig/>"), "invalid"),                            # no usable server
    (("text/html", "<html><body>Parked</body></html>"), "invalid"),   # HTML, not XML
    ((XML, config_xml("imap.example.test").replace("993", "99999")), "invalid"),
])
def test_unusable_autoconfig_falls_back(netsim, spec, outcome):
    with_fallback(netsim)
    netsim.domain("example.test").host("autoconfig", https={"/mail/config-v1.1.xml": spec})
    netsim.apply()
    settings = find("alice@example.test")
    assert settings.source == "srv"
    assert outcomes(settings, "autoconfig")[AUTOCONFIG] == outcome


@pytest.mark.parametrize(("status", "outcome"), [(404, "not-found"), (500, "error"),
                                                 (403, "not-found")])
def test_http_errors(netsim, status, outcome):
    resources = netsim_part(netsim, "resources")
    with_fallback(netsim)
    netsim.domain("example.test").host("autoconfig", https={
        "/mail/config-v1.1.xml": resources.File(b"<html>no</html>", "text/html", status)})
    netsim.apply()
    settings = find("alice@example.test")
    assert settings.source == "srv"
    attempt = next(a for a in settings.attempts if a.target == AUTOCONFIG)
    assert (attempt.outcome, attempt.detail) == (outcome, f"HTTP {status}")


@pytest.mark.parametrize("behaviour", ["xml-bomb", "html-200"])
def test_hostile_web_servers(netsim, behaviour):
    with_fallback(netsim)
    netsim.domain("example.test").hostile("autoconfig", behaviour, ports=(443,))
    netsim.apply()
    started = time.monotonic()
    settings = find("alice@example.test")
    assert settings.source == "srv"
    assert outcomes(settings, "autoconfig")[AUTOCONFIG] == "invalid"
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(("location", "secure"), [
    ("https://example.test/autoconfig.xml", True),       # stays in the domain
    ("https://config.hoster.test/autoconfig.xml", False),  # leaves it
])
def test_redirects(netsim, location, secure):
    resources = netsim_part(netsim, "resources")
    d = netsim.domain("example.test")
    d.host("autoconfig", https={"/mail/config-v1.1.xml": resources.Redirect(location)})
    d.host("@", https={"/autoconfig.xml": (XML, config_xml("imap.example.test"))})
    netsim.domain("hoster.test").host("config", https={
        "/autoconfig.xml": (XML, config_xml("imap.example.test"))})
    netsim.apply()
    settings = find("alice@example.test")
    assert (settings.source, settings.secure) == ("autoconfig", secure)
    assert settings.source_url == location


def test_redirect_from_https_to_http_is_refused(netsim):
    resources = netsim_part(netsim, "resources")
    with_fallback(netsim)
    d = netsim.domain("example.test")
    d.host("autoconfig", https={"/mail/config-v1.1.xml": resources.Redirect(
        "http://autoconfig.example.test/x.xml")},
        http={"/x.xml": (XML, config_xml("evil.example.test"))})
    netsim.apply()
    settings = find("alice@example.test")
    assert settings.source == "srv"
    assert outcomes(settings, "autoconfig")[AUTOCONFIG] == "invalid"


def publish_everything(netsim, skip: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Every source names a different IMAP host; sources in ``skip`` publish nothing."""
    from .test_net_sources import pox_settings

    resources = netsim_part(netsim, "resources")
    d = netsim.domain("example.test")
    if "autoconfig" not in skip:
        d.host("autoconfig", https={"/mail/config-v1.1.xml": (XML, config_xml("a.example.test"))})
    if "ispdb" not in skip:
        publish_ispdb(netsim, {"example.test": config_xml("i.example.test")})
    if "mx" not in skip:
        d.mx("aspmx.l.google.com")
    if "srv" not in skip:
        d.srv("_imaps._tcp", "s.example.test", 993)
    if "autodiscover" not in skip:
        d.host("autodiscover", https={"/autodiscover/autodiscover.xml": resources.Endpoint(
            resources.Response(200, "text/xml", pox_settings("d.example.test")))})
    if "http" not in skip:
        d.host("@", http={"/.well-known/autoconfig/mail/config-v1.1.xml": (
            XML, config_xml("h.example.test"))})
    d.mailserver("mail")


def test_conflicting_sources_follow_the_priority(netsim):
    """Take the best source away, one after the other: the next in priority answers."""
    order = [("autoconfig", "a.example.test"), ("ispdb", "i.example.test"),
             ("mx", "imap.gmail.com"), ("srv", "s.example.test"),
             ("autodiscover", "d.example.test"), ("http", "h.example.test"),
             ("guess", "mail.example.test")]
    skipped: set[str] = set()
    for name, host in order:
        netsim.close()
        publish_everything(netsim, skipped)
        netsim.apply()
        settings = find("alice@example.test", timeout=8)
        expected = "autoconfig" if name == "http" else name
        assert (settings.source, settings.incoming[0].host) == (expected, host), name
        assert settings.secure is (name != "http"), name
        skipped.add(name)


def test_idn_domain(netsim):
    d = netsim.domain("пример.test")
    d.host("autoconfig", https={"/mail/config-v1.1.xml": (XML, config_xml(
        "imap.%EMAILDOMAIN%", username="%EMAILADDRESS%"))})
    netsim.apply()
    result = run_cli(netsim, "иван@пример.test")
    assert result.code == 0
    obj = result.json
    assert (obj["domain"], obj["domain_ascii"]) == ("пример.test", "xn--e1afmkfd.test")
    assert (obj["source"], obj["secure"]) == ("autoconfig", True)
    assert obj["incoming"][0]["host"] == "imap.xn--e1afmkfd.test"
    assert obj["incoming"][0]["username"] == "иван@пример.test"


def test_nothing_published_is_not_found_fast(netsim):
    netsim.domain("example.test").a("www", "127.0.9.9")
    netsim.apply()
    result = run_cli(netsim, "alice@example.test", timeout=5)
    assert result.code == 1
    assert result.json["found"] is False and result.json["source"] is None
    assert result.seconds < 3
    assert {a["outcome"] for a in result.json["attempts"]} <= {"not-found", "error"}
    sources = {a["source"] for a in result.json["attempts"]}
    assert sources == {"builtin", "autoconfig", "ispdb", "mx", "srv", "autodiscover", "guess"}


def test_nonexistent_domain(netsim):
    netsim.apply()
    result = run_cli(netsim, "alice@no-such-domain.test", timeout=5)
    assert result.code == 1 and result.seconds < 3


def test_a_better_black_hole_costs_one_lookup_time_out_at_most(netsim):
    with_fallback(netsim)
    netsim.domain("example.test").hostile("autoconfig", "blackhole", ports=(443,))
    netsim.apply()
    started = time.monotonic()
    settings = find("alice@example.test", timeout=3)  # per lookup: 1.5 s
    seconds = time.monotonic() - started
    assert settings.source == "srv"
    assert outcomes(settings, "autoconfig")[AUTOCONFIG] == "timeout"
    assert 1.4 <= seconds < 2.2


def test_worse_black_holes_never_delay_a_better_result(netsim):
    d = netsim.domain("example.test")
    d.host("autoconfig", https={"/mail/config-v1.1.xml": (XML, config_xml("imap.example.test"))})
    d.hostile("@", "blackhole", ports=(443, 80))
    d.hostile("autodiscover", "blackhole", ports=(443,))
    d.hostile("mail", "blackhole", ports=(993, 995, 465, 143, 110, 587, 25))
    d.mx("mx.example.test")
    d.a("mx", "127.0.9.9")
    netsim.apply()
    started = time.monotonic()
    settings = find("alice@example.test", timeout=10)
    assert settings.source == "autoconfig"
    assert time.monotonic() - started < 0.8
    # The lookups that were cut short are reported as skipped, not as failures.
    assert outcomes(settings, "autodiscover").get(
        "https://autodiscover.example.test/autodiscover/autodiscover.xml") == "skipped"


def all_black_holes(netsim) -> None:
    d = netsim.domain("example.test")
    for name in ("autoconfig", "@", "autodiscover"):
        d.hostile(name, "blackhole", ports=(443, 80))
    for name in ("imap", "mail", "pop", "pop3", "smtp"):
        d.hostile(name, "blackhole", ports=(993, 995, 465, 143, 110, 587, 25))
    d.srv("_imaps._tcp", "imap.example.test", 993)
    d.mx("mx.example.test")
    d.hostile("mx", "blackhole", ports=(25,))
    netsim.domain("ispdb.test").hostile("autoconfig", "blackhole", ports=(443,))


def test_all_black_holes_end_at_the_deadline(netsim):
    all_black_holes(netsim)
    # The SRV answer names a black-holed host: still a result (SRV needs no connection).
    netsim.domain("example.test").records.clear()
    netsim.domain("example.test").mx("mx.example.test")
    netsim.apply()
    result = run_cli(netsim, "alice@example.test", timeout=3)
    assert result.code == 1
    assert result.json["elapsed_ms"] <= 3300
    assert result.seconds < 4.5
    assert "timeout" in {a["outcome"] for a in result.json["attempts"]}


def test_slow_servers_are_cut_off(netsim):
    with_fallback(netsim)
    netsim.domain("example.test").hostile("autoconfig", "slow-body", ports=(443,))
    netsim.apply()
    started = time.monotonic()
    settings = find("alice@example.test", timeout=3)
    assert settings.source == "srv"
    assert outcomes(settings, "autoconfig")[AUTOCONFIG] == "timeout"
    assert time.monotonic() - started < 2.2


def test_a_slow_mail_greeting_does_not_hang_guessing(netsim):
    netsim.domain("example.test").hostile("imap", "slow", ports=(993,))
    netsim.apply()
    started = time.monotonic()
    settings = find("alice@example.test", timeout=3)
    assert not settings.found
    assert outcomes(settings, "guess")["imap imap.example.test:993 ssl"] == "timeout"
    assert time.monotonic() - started < 3.3


def test_cancel_stops_everything_at_once(netsim):
    all_black_holes(netsim)
    netsim.apply()
    token = CancelToken()
    before = {t.ident for t in threading.enumerate()}
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(detect(
        parse_address("alice@example.test"), timeout=30, cancel=token, ispdb_url=ISPDB_URL)))
    worker.start()
    time.sleep(0.5)
    cancelled_at = time.monotonic()
    token.cancel()
    worker.join(5)
    assert not worker.is_alive()
    assert time.monotonic() - cancelled_at < 0.5
    [settings] = result
    assert settings.found is False  # type: ignore[attr-defined]
    assert "skipped" in {a.outcome for a in settings.attempts}  # type: ignore[attr-defined]
    leftover = [t for t in threading.enumerate()
                if t.ident not in before and t.name.startswith("discovery")]
    assert leftover == []
    # Every connection to a black hole was closed by the client.
    time.sleep(0.3)
    for host in netsim.hostile_hosts():
        for server in host.servers:
            assert all(c.closed for c in server.connections), host.name
