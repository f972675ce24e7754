"""RFC 6186 / 8314 SRV records: "." means not offered; priority, then IMAP, TLS, weight."""

from __future__ import annotations

import dns.rdata
import dns.rdataclass
import dns.rdatatype

from wizard.discovery.srv import order, servers_from_records


def srv(text: str) -> object:
    return dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.SRV, text)


def test_dot_target_means_not_offered():
    entries, refused = servers_from_records("pop3", "starttls", [srv("0 0 0 .")])
    assert entries == [] and refused is True


def test_records_become_servers():
    entries, refused = servers_from_records(
        "imap", "ssl", [srv("10 5 993 IMAP.Example.com."), srv("0 0 993 bad_name.example.com.")])
    assert refused is False
    [(priority, weight, server)] = entries
    assert (priority, weight) == (10, 5)
    assert (server.protocol, server.host, server.port, server.security) == (
        "imap", "imap.example.com", 993, "ssl")


def test_order_priority_then_protocol_then_security_then_weight():
    imaps, _ = servers_from_records("imap", "ssl", [srv("10 0 993 a.example.com."),
                                                    srv("10 50 993 b.example.com.")])
    imap, _ = servers_from_records("imap", "starttls", [srv("5 0 143 c.example.com.")])
    pop3s, _ = servers_from_records("pop3", "ssl", [srv("10 0 995 d.example.com.")])
    ordered = order(imaps + imap + pop3s)
    # The lowest priority value first, whatever its protocol; among equals IMAP before POP3,
    # implicit TLS before STARTTLS, and the heavier weight first.
    assert [(s.host, s.security) for s in ordered] == [
        ("c.example.com", "starttls"), ("b.example.com", "ssl"), ("a.example.com", "ssl"),
        ("d.example.com", "ssl"),
    ]


def test_equal_priority_prefers_implicit_tls():
    sub, _ = servers_from_records("smtp", "starttls", [srv("0 0 587 mail.example.com.")])
    subs, _ = servers_from_records("smtp", "ssl", [srv("0 0 465 mail.example.com.")])
    assert [s.port for s in order(sub + subs)] == [465, 587]
