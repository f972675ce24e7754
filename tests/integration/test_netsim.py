"""The simulated internet itself: DNS, HTTPS, IMAP, POP3, SMTP and hostile servers are real.

Run with ``scripts/netsim-run .venv/bin/python -m pytest tests/integration -m network``;
elsewhere these tests skip.
"""

from __future__ import annotations

import errno
import imaplib
import poplib
import smtplib
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import EmailMessage

import dns.resolver
import pytest
from netsim import Endpoint, File, NetSim, Redirect, Response
from netsim.process import session_members

pytestmark = pytest.mark.network

XML = b'<?xml version="1.0"?>\n<clientConfig version="1.1"><emailProvider id="example.test"/>'


def tls() -> ssl.SSLContext:
    """What a careful client does: the default context, which now trusts only the test CA."""
    return ssl.create_default_context()


def fetch(url: str, data: bytes | None = None) -> tuple[int, str, bytes]:
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=tls()), urllib.request.ProxyHandler({})
    )
    try:
        with opener.open(url, data=data, timeout=5) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get_content_type(), error.read()


def test_names_resolve_through_the_system_resolver_and_dnspython(netsim: NetSim) -> None:
    d = netsim.domain("example.test")
    d.host("autoconfig", https={"/x": "x"})
    d.mailserver("mail", users={"alice": "s3cret"}, ports=(993,))
    d.mx("mail.example.test", 10)
    d.srv("_imaps._tcp", "mail.example.test", 993)
    d.srv("_pop3._tcp", None)
    d.txt("@", "v=spf1 -all")
    d.cname("imap", "mail.example.test")
    idn = netsim.domain("пример.рф")
    idn.a("@", "192.0.2.7")
    idn.mx("mail.example.test", 5)
    netsim.apply()

    autoconfig = d.web_hosts["autoconfig.example.test"].address
    infos = socket.getaddrinfo("autoconfig.example.test", 443, type=socket.SOCK_STREAM)
    assert {info[4][0] for info in infos} == {autoconfig}
    mail = d.mail_hosts["mail.example.test"].address
    assert socket.gethostbyname("imap.example.test") == mail  # through the CNAME
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("nothing-here.example.test", 80)

    mx = dns.resolver.resolve("example.test", "MX")
    assert [(r.preference, r.exchange.to_text()) for r in mx] == [(10, "mail.example.test.")]
    srv = dns.resolver.resolve("_imaps._tcp.example.test", "SRV")
    assert [(r.port, r.target.to_text()) for r in srv] == [(993, "mail.example.test.")]
    assert dns.resolver.resolve("_pop3._tcp.example.test", "SRV")[0].target.to_text() == "."
    txt = dns.resolver.resolve("example.test", "TXT")
    assert [b"".join(r.strings) for r in txt] == [b"v=spf1 -all"]
    assert idn.name == "xn--e1afmkfd.xn--p1ai"
    idn_mx = dns.resolver.resolve("xn--e1afmkfd.xn--p1ai", "MX")
    assert idn_mx[0].exchange.to_text() == "mail.example.test."
    assert dns.resolver.resolve("xn--e1afmkfd.xn--p1ai", "A")[0].to_text() == "192.0.2.7"

    with pytest.raises(dns.resolver.NXDOMAIN):
        dns.resolver.resolve("nothing-here.example.test", "A")
    with pytest.raises(dns.resolver.NXDOMAIN):
        dns.resolver.resolve("never-declared.test", "MX")
    with pytest.raises(dns.resolver.NoNameservers):  # REFUSED: not a simulated zone
        dns.resolver.resolve("example.com", "MX")
    assert ("SRV", "_imaps._tcp.example.test") in netsim.dns_queries()


def test_web_hosts_serve_files_redirects_statuses_and_post_endpoints(netsim: NetSim) -> None:
    autodiscover = Endpoint(Response(200, "text/xml", b"<Autodiscover/>"))
    d = netsim.domain("example.test")
    d.host(
        "autoconfig",
        https={
            "/mail/config-v1.1.xml": ("application/xml", XML),
            "/moved": Redirect("https://other.test/mail/config-v1.1.xml", 301),
            "/gone": File(b"no such thing", "text/plain", status=410),
            "/autodiscover/autodiscover.xml": autodiscover,
        },
        http={"*": Redirect("https://autoconfig.example.test/mail/config-v1.1.xml")},
    )
    netsim.domain("other.test").host("@", https={"/mail/config-v1.1.xml": ("text/xml", b"<o/>")})
    netsim.apply()

    url = "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=a%40example.test"
    assert fetch(url) == (200, "application/xml", XML)
    assert fetch("https://autoconfig.example.test/moved") == (200, "text/xml", b"<o/>")
    assert fetch("http://autoconfig.example.test/any/path") == (200, "application/xml", XML)
    assert fetch("https://autoconfig.example.test/gone") == (410, "text/plain", b"no such thing")
    assert fetch("https://autoconfig.example.test/missing")[0] == 404
    assert fetch("https://autoconfig.example.test/mail/config-v1.1.xml", b"x")[0] == 405
    body = b"<Autodiscover><Request><EMailAddress>a@example.test</EMailAddress></Request>"
    assert fetch("https://autoconfig.example.test/autodiscover/autodiscover.xml", body) == (
        200,
        "text/xml",
        b"<Autodiscover/>",
    )
    [request] = autodiscover.requests
    assert (request.method, request.scheme, request.body) == ("POST", "https", body)
    logged = [(r.scheme, r.host, r.uri.split("?")[0], r.status) for r in netsim.web_requests()]
    assert ("https", "other.test", "/mail/config-v1.1.xml", 200) in logged
    assert ("http", "autoconfig.example.test", "/any/path", 302) in logged


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("expired", "certificate has expired"),
        ("not-yet-valid", "certificate is not yet valid"),
        ("wrong-host", "Hostname mismatch"),
        ("untrusted", "unable to get local issuer certificate"),
        ("self-signed", "self-signed certificate"),
    ],
)
def test_bad_certificates_fail_verification(netsim: NetSim, kind: str, reason: str) -> None:
    d = netsim.domain("example.test")
    d.host("good", https={"/": ("text/plain", b"ok")})
    d.host("bad", https={"/": ("text/plain", b"ok")}, cert=kind)
    netsim.apply()

    assert fetch("https://good.example.test/") == (200, "text/plain", b"ok")
    with pytest.raises(urllib.error.URLError) as caught:
        fetch("https://bad.example.test/")
    assert isinstance(caught.value.reason, ssl.SSLCertVerificationError)
    assert reason in caught.value.reason.verify_message


def test_only_the_test_ca_is_trusted(netsim: NetSim) -> None:
    cas = tls().get_ca_certs()
    assert [dict(c["subject"][-1])["commonName"] for c in cas] == ["MailWizard netsim CA"]
    env = netsim.env(HOME="/nonexistent")
    assert env["SSL_CERT_FILE"] == env["REQUESTS_CA_BUNDLE"] == str(netsim.ca_file)
    assert env["SSL_CERT_DIR"] != "/etc/ssl/certs"
    assert env["MAILWIZARD_NETSIM"] == "1"
    assert env["HOME"] == "/nonexistent"


def test_imap_and_pop3_logins_work(netsim: NetSim) -> None:
    d = netsim.domain("example.test")
    d.mailserver("mail", users={"alice": "Pä55 wörd:🔑", "bob": "b0b"}, login="localpart")
    netsim.apply()

    with imaplib.IMAP4_SSL("mail.example.test", 993, ssl_context=tls(), timeout=5) as imap:
        # AUTHENTICATE PLAIN carries the non-ASCII password (LOGIN in imaplib cannot).
        assert imap.authenticate("PLAIN", lambda _: "\0alice\0Pä55 wörd:🔑".encode())[0] == "OK"
    with imaplib.IMAP4("mail.example.test", 143, timeout=5) as imap:
        assert "LOGINDISABLED" in imap.capabilities  # no password before STARTTLS
        imap.starttls(tls())
        assert imap.login("bob", "b0b")[0] == "OK"
    with (
        imaplib.IMAP4_SSL("mail.example.test", 993, ssl_context=tls(), timeout=5) as imap,
        pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"),
    ):
        imap.login("bob", "wrong")
    pop = poplib.POP3_SSL("mail.example.test", 995, context=tls(), timeout=5)
    try:
        pop.user("bob")
        assert pop.pass_("b0b").startswith(b"+OK")
    finally:
        pop.quit()


def test_smtp_submission_is_delivered_and_found_over_imap(netsim: NetSim) -> None:
    d = netsim.domain("example.test")
    d.mailserver("mail", users={"alice": "a11ce", "bob": "b0b"})
    d.mx("mail.example.test")
    netsim.apply()

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = (
        "bob@example.test",
        "alice@example.test",
        "netsim round trip",
    )
    message.set_content("Hello through Postfix and Dovecot.")
    with smtplib.SMTP("mail.example.test", 587, timeout=5) as smtp:
        smtp.starttls(context=tls())
        smtp.login("bob@example.test", "b0b")
        smtp.send_message(message)
    netsim.wait_for_mail("alice@example.test")

    with imaplib.IMAP4_SSL("mail.example.test", 993, ssl_context=tls(), timeout=5) as imap:
        imap.login("alice@example.test", "a11ce")
        imap.select("INBOX")
        _, found = imap.search(None, '(SUBJECT "netsim round trip")')
        [number] = found[0].split()
        _, data = imap.fetch(number, "(RFC822)")
        assert b"Hello through Postfix and Dovecot." in data[0][1]
    assert "status=sent" in netsim.logs["postfix"].read_text()


def test_submission_requires_starttls_and_auth(netsim: NetSim) -> None:
    netsim.domain("example.test").mailserver("mail", users={"bob": "b0b"}, ports=(587, 465))
    netsim.apply()

    with smtplib.SMTP("mail.example.test", 587, timeout=5) as smtp:
        smtp.ehlo()
        assert not smtp.has_extn("auth")  # AUTH only after STARTTLS
        assert smtp.has_extn("starttls")
        code, _ = smtp.mail("bob@example.test")
        assert code == 530  # "Must issue a STARTTLS command first"
    with (
        smtplib.SMTP_SSL("mail.example.test", 465, context=tls(), timeout=5) as smtp,
        pytest.raises(smtplib.SMTPAuthenticationError),
    ):
        smtp.login("bob@example.test", "wrong")


def test_hostile_servers_record_what_they_receive(netsim: NetSim) -> None:
    d = netsim.domain("example.test")
    plain = d.hostile("imap", "no-starttls", ports=(143,))
    trap = d.hostile("smtp", "accept-any-login", ports=(465,))
    hole = d.hostile("hole", "blackhole", ports=(993,))
    netsim.apply()

    with imaplib.IMAP4("imap.example.test", 143, timeout=5) as imap:
        assert "STARTTLS" not in imap.capabilities
        imap.login("alice", "test-string-1")  # what a careless client would do
    with smtplib.SMTP_SSL("smtp.example.test", 465, context=tls(), timeout=5) as smtp:
        smtp.login("alice", "test-string-2")  # any password "works"
    with socket.create_connection((hole.address, 993), timeout=5) as sock:
        sock.sendall(b"test-string-3")
        sock.settimeout(0.3)
        with pytest.raises(TimeoutError):
            sock.recv(1)  # never answers

    assert b'LOGIN alice "test-string-1"' in plain.received
    assert trap.servers[0].connections[0].tls
    assert b"AUTH PLAIN" in trap.received  # the password travels base64-encoded
    deadline = time.monotonic() + 2
    while b"test-string-3" not in hole.received and time.monotonic() < deadline:
        time.sleep(0.01)
    assert hole.received == b"test-string-3"


def test_addresses_outside_the_namespace_are_unreachable(netsim: NetSim) -> None:
    start = time.monotonic()
    with socket.socket() as sock, pytest.raises(OSError) as caught:
        sock.settimeout(5)
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: no route inside the namespace
    assert caught.value.errno == errno.ENETUNREACH
    assert time.monotonic() - start < 1


def test_misbehaving_servers_misbehave(netsim: NetSim) -> None:
    d = netsim.domain("hostile.test")
    refusing = d.hostile("refuse", "starttls-refused", ports=(143, 110, 587))
    d.hostile("slow", "slow", ports=(143,))
    d.hostile("endless", "endless-lines", ports=(25,))
    d.hostile("bomb", "xml-bomb", ports=(443,))
    d.hostile("parked", "html-200", ports=(80,))
    d.hostile("trickle", "slow-body", ports=(443,))
    netsim.apply()

    with imaplib.IMAP4("refuse.hostile.test", 143, timeout=5) as imap:
        assert "STARTTLS" in imap.capabilities
        with pytest.raises(imaplib.IMAP4.error, match="Couldn't establish TLS"):
            imap.starttls(tls())
    pop = poplib.POP3("refuse.hostile.test", 110, timeout=5)
    try:
        with pytest.raises(poplib.error_proto, match="TLS is not available"):
            pop.stls(tls())
    finally:
        pop.quit()
    with smtplib.SMTP("refuse.hostile.test", 587, timeout=5) as smtp:
        assert smtp.ehlo()[0] == 250 and smtp.has_extn("starttls")
        with pytest.raises(smtplib.SMTPResponseException) as refused:
            smtp.starttls(context=tls())
        assert refused.value.smtp_code == 454
    assert b"STARTTLS" in refusing.received_on(143)
    assert b"STLS" in refusing.received_on(110)

    with socket.create_connection(("slow.hostile.test", 143), timeout=5) as sock:
        sock.settimeout(0.5)
        first = sock.recv(100)
        with pytest.raises(TimeoutError):
            sock.recv(100)  # the second byte is a second away
        assert first == b"*"
    with socket.create_connection(("endless.hostile.test", 25), timeout=5) as sock:
        received = b""
        while len(received) < 256 * 1024:
            received += sock.recv(65536)
        assert received.startswith(b"220-endless.hostile.test") and b"\r\n220 " not in received

    status, content_type, body = fetch("https://bomb.hostile.test/mail/config-v1.1.xml")
    assert (status, content_type) == (200, "application/xml") and b"<!ENTITY lol9" in body
    status, content_type, body = fetch("http://parked.hostile.test/.well-known/autoconfig")
    assert (status, content_type) == (200, "text/html") and b"for sale" in body
    with urllib.request.urlopen("https://trickle.hostile.test/", timeout=0.4, context=tls()) as r:
        assert r.status == 200  # the headers arrive at once...
        with pytest.raises(TimeoutError):
            r.read()  # ...the body at a byte a second


def test_subprocesses_get_an_environment_that_trusts_only_the_test_ca(netsim: NetSim) -> None:
    netsim.domain("example.test").host("www", https={"/": ("text/plain", b"hello")})
    netsim.apply()
    script = (
        "import ssl, urllib.request;"
        "print(urllib.request.urlopen('https://www.example.test/', timeout=5,"
        " context=ssl.create_default_context()).read().decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=netsim.env(), capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "hello"


def test_stopping_the_servers_leaves_no_process_behind(netsim: NetSim) -> None:
    d = netsim.domain("example.test")
    d.host("www", https={"/": "x"})
    d.mailserver("mail", users={"alice": "a"})
    netsim.apply()
    imap = imaplib.IMAP4_SSL("mail.example.test", 993, ssl_context=tls(), timeout=5)
    try:
        imap.login("alice@example.test", "a")
        daemons = netsim.internet.processes()
        assert set(daemons) == {"dnsmasq", "nginx", "dovecot", "postfix"}
        netsim.internet.stop()  # with a client still logged in
    finally:
        imap.shutdown()
    assert all(session_members(pid) == [] for pid in daemons.values())
    netsim.apply()  # they start again on demand
    assert fetch("https://www.example.test/") == (200, "application/octet-stream", b"x")
