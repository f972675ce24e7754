"""The contract's ``secure`` rules as the engine applies them."""

from __future__ import annotations

import pytest

from wizard.discovery.fetch import Response
from wizard.discovery.trust import (
    hosts_trusted,
    https_same_site,
    https_within,
    in_domain,
    registrable,
    table_host,
)
from wizard.model import Server


@pytest.mark.parametrize(("host", "domain", "inside"), [
    ("example.com", "example.com", True),
    ("imap.example.com", "example.com", True),
    ("IMAP.Example.COM.", "example.com", True),
    ("badexample.com", "example.com", False),
    ("example.com.evil.net", "example.com", False),
    ("com", "example.com", False),
])
def test_in_domain(host: str, domain: str, inside: bool):
    assert in_domain(host, domain) is inside


def test_registrable_domain_uses_the_public_suffix_list():
    assert registrable("mx1.mail.hoster.co.uk") == "hoster.co.uk"
    assert registrable("co.uk") is None


def server(host: str) -> Server:
    return Server("imap", host, 993, "ssl")


def test_hosts_of_the_domain_or_of_a_table_provider_are_trusted():
    assert table_host("imap.yandex.ru")
    assert hosts_trusted([server("imap.example.com"), server("imap.yandex.ru")], "example.com")
    assert not hosts_trusted([server("imap.example.com"), server("imap.evil.test")],
                             "example.com")
    assert hosts_trusted([server("imap.evil.test")], "example.com", known=["imap.evil.test"])


def response(*hops: str) -> Response:
    return Response(hops[-1], 200, "text/xml", b"<x/>", hops)


def test_https_within_the_domain():
    assert https_within(response("https://autoconfig.example.com/a"), "example.com")
    assert https_within(response("https://autoconfig.example.com/a", "https://example.com/b"),
                        "example.com")
    assert not https_within(response("https://autoconfig.example.com/a",
                                      "https://hoster.net/b"), "example.com")
    assert not https_within(response("http://autoconfig.example.com/a"), "example.com")


def test_https_same_site_for_the_isp_database():
    assert https_same_site(response("https://autoconfig.thunderbird.net/v1.1/x",
                                    "https://live.thunderbird.net/autoconfig/v1.1/x"))
    assert not https_same_site(response("https://ispdb.example/x", "https://other.example/x"))
    assert not https_same_site(response("http://ispdb.example/x"))
