"""The wizard against real servers: the real core (discovery, probe, export, keyring) behind
the real pages, in the simulated internet (dnsmasq, nginx, Dovecot, Postfix, a test CA).

Run as root: ``scripts/netsim-run .venv/bin/python -m pytest tests/gui -q``.
"""

from __future__ import annotations

import hashlib
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from wizard.export import default_path
from wizard.gui.flow import Page, Status
from wizard.gui.services import Services
from wizard.gui.translation import Languages
from wizard.gui.window import MainWizard

from .drive import click_next, visible_text

pytestmark = pytest.mark.network

# The private Secret Service of the keyring tests (tests/keyring_fixtures.py).
_keyring = pytest.importorskip("keyring_fixtures")
secret_service = _keyring.secret_service
keyring_env = _keyring.keyring_env

PASSWORD = "Pä55 wörd"
XML = "application/xml"


def config_xml(host: str, *, socket: str = "SSL", port: int = 993) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<clientConfig version="1.1">'
        '<emailProvider id="example.test"><domain>example.test</domain>'
        "<displayName>Example Mail</displayName>"
        f'<incomingServer type="imap"><hostname>{host}</hostname><port>{port}</port>'
        f"<socketType>{socket}</socketType><username>%EMAILADDRESS%</username>"
        "<authentication>password-cleartext</authentication></incomingServer>"
        f'<outgoingServer type="smtp"><hostname>{host}</hostname><port>465</port>'
        "<socketType>SSL</socketType><username>%EMAILADDRESS%</username>"
        "<authentication>password-cleartext</authentication></outgoingServer>"
        "</emailProvider></clientConfig>"
    )


@pytest.fixture
def live(qtbot, netsim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWizard]:  # type: ignore
    """The wizard with the real core; no keyring unless a test provides one."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    (tmp_path / "home").mkdir()
    languages = Languages()
    languages.apply("en")
    window = MainWizard(services=Services(), languages=languages)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.runner.cancel_all()
    assert window.runner.join_all(20), "a worker thread outlived the window"


def start(qtbot, window: MainWizard, email: str, password: str = PASSWORD) -> None:  # type: ignore
    window.page_widget(Page.ACCOUNT).set_values("Alice Smith", email, password)  # type: ignore
    click_next(qtbot, window, Page.DISCOVERY)
    qtbot.waitUntil(lambda: window.flow.discovery in (Status.DONE, Status.FAILED),
                    timeout=30000)


def verify(qtbot, window: MainWizard) -> None:  # type: ignore
    click_next(qtbot, window, Page.VERIFY)
    qtbot.waitUntil(lambda: window.flow.verification in (Status.DONE, Status.FAILED),
                    timeout=40000)


def save_and_finish(qtbot, window: MainWizard, tmp_path: Path, *targets: str) -> None:  # type: ignore
    click_next(qtbot, window, Page.SAVE)
    save = window.page_widget(Page.SAVE)
    qtbot.waitUntil(lambda: save.keyring is not None, timeout=20000)  # type: ignore
    save.folder.setText(str(tmp_path / "exports"))  # type: ignore[attr-defined]
    for target in targets:
        save.choose_target(target)  # type: ignore[attr-defined]
    click_next(qtbot, window, Page.DONE)


def test_table_provider_from_address_to_export(qtbot, netsim, live, tmp_path) -> None:  # type: ignore
    d = netsim.domain("mail.ru")
    d.mailserver("imap", users={"alice": PASSWORD})
    d.mailserver("smtp", users={"alice": PASSWORD})
    netsim.apply()
    start(qtbot, live, "alice@mail.ru")
    assert live.flow.detected is not None and live.flow.detected.source == "builtin"
    click_next(qtbot, live, Page.SETTINGS)
    page = live.page_widget(Page.SETTINGS)
    assert "(a trusted source)" in page.source.text()  # type: ignore[attr-defined]
    assert not page.warning.isVisible()  # type: ignore[attr-defined]
    verify(qtbot, live)
    assert live.flow.all_verified(), [c.error for c in live.flow.checks.values()]
    transcript = "\n".join(line for c in live.flow.checks.values() for line in c.transcript)
    assert "AUTH" in transcript.upper() and PASSWORD not in transcript
    save_and_finish(qtbot, live, tmp_path, "msmtp", "thunderbird-autoconfig")
    msmtprc = default_path("msmtp", live.flow.address, tmp_path / "exports")
    text = msmtprc.read_text()
    assert "host smtp.mail.ru" in text and PASSWORD not in text
    summary = live.page_widget(Page.DONE).summary.text()  # type: ignore[attr-defined]
    assert "all servers work" in summary and "not saved" in summary


def test_autoconfig_domain(qtbot, netsim, live, tmp_path) -> None:  # type: ignore
    d = netsim.domain("example.test")
    d.host("autoconfig", https={"/mail/config-v1.1.xml": (XML, config_xml("mail.example.test"))})
    d.mailserver("mail", users={"alice": PASSWORD})
    netsim.apply()
    start(qtbot, live, "alice@example.test")
    assert (live.flow.detected.source, live.flow.detected.secure) == ("autoconfig", True)
    click_next(qtbot, live, Page.SETTINGS)
    assert "Provider: Example Mail" in visible_text(live.page_widget(Page.SETTINGS))
    verify(qtbot, live)
    assert live.flow.all_verified(), [c.error for c in live.flow.checks.values()]
    save_and_finish(qtbot, live, tmp_path, "k9s")
    assert default_path("k9s", live.flow.address, tmp_path / "exports").exists()


def test_guessed_domain_asks_before_sending_the_password(qtbot, netsim, live) -> None:  # type: ignore
    d = netsim.domain("guess.test")
    d.mailserver("imap", users={"alice": PASSWORD}, ports=(993, 143))
    d.mailserver("smtp", users={"alice": PASSWORD}, ports=(465, 587))
    netsim.apply()
    start(qtbot, live, "alice@guess.test")
    assert live.flow.detected.source == "guess"
    click_next(qtbot, live, Page.SETTINGS)
    _confirm_and_verify(qtbot, live)


def _confirm_and_verify(qtbot, live: MainWizard) -> None:  # type: ignore
    page = live.page_widget(Page.SETTINGS)
    if live.flow.detected is not None and not live.flow.detected.secure:
        assert page.warning.isVisible()  # type: ignore[attr-defined]
        assert not live.button(live.WizardButton.NextButton).isEnabled()
        with qtbot.waitSignal(page.completeChanged):
            qtbot.keyClick(page.confirm, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    verify(qtbot, live)
    assert live.flow.all_verified(), [c.error for c in live.flow.checks.values()]


def test_insecure_source_blocks_until_confirmed(qtbot, netsim, live) -> None:  # type: ignore
    d = netsim.domain("example.test")
    d.host("autoconfig", http={"/mail/config-v1.1.xml": (XML, config_xml("mail.example.test"))})
    d.mailserver("mail", users={"alice": PASSWORD})
    netsim.apply()
    start(qtbot, live, "alice@example.test")
    assert (live.flow.detected.source, live.flow.detected.secure) == ("autoconfig", False)
    click_next(qtbot, live, Page.SETTINGS)
    page = live.page_widget(Page.SETTINGS)
    assert "NOT a trusted source" in page.source.text()  # type: ignore[attr-defined]
    _confirm_and_verify(qtbot, live)


def test_wrong_password_shows_the_diagnosis(qtbot, netsim, live) -> None:  # type: ignore
    d = netsim.domain("mail.ru")
    d.mailserver("imap", users={"alice": PASSWORD})
    d.mailserver("smtp", users={"alice": PASSWORD})
    netsim.apply()
    start(qtbot, live, "alice@mail.ru", password="not the password")
    click_next(qtbot, live, Page.SETTINGS)
    verify(qtbot, live)
    codes = {c.error.code for c in live.flow.checks.values() if c.error}
    assert codes == {"auth-failed"}
    box = next(iter(live.page_widget(Page.VERIFY).boxes.values()))  # type: ignore
    assert box.diagnosis.isVisible() and box.diagnosis.text()
    assert box.rows["login"][2].text() == "failed"
    assert not live.button(live.WizardButton.NextButton).isEnabled()


def test_bad_certificate_shows_its_fingerprint_for_a_decision(qtbot, netsim, live) -> None:  # type: ignore
    d = netsim.domain("example.test")
    d.host("autoconfig", https={"/mail/config-v1.1.xml": (XML, config_xml("mail.example.test"))})
    d.mailserver("mail", users={"alice": PASSWORD}, cert="untrusted")
    netsim.apply()
    start(qtbot, live, "alice@example.test")
    click_next(qtbot, live, Page.SETTINGS)
    verify(qtbot, live)
    untrusted = live.flow.untrusted_certificates()
    assert untrusted and all(c.error.code == "cert-untrusted" for c in untrusted)
    # The fingerprint shown is the one the server really presents.
    address = netsim.address_of("mail.example.test")
    der = ssl.get_server_certificate((address, 993)).encode()
    real = hashlib.sha256(ssl.PEM_cert_to_DER_cert(der.decode())).hexdigest()
    box = next(iter(live.page_widget(Page.VERIFY).boxes.values()))  # type: ignore
    assert box.cert_box.isVisible()
    shown = box.cert_values["sha256"].text().replace(":", "").replace("\n", "").lower()
    assert shown == real
    page = live.page_widget(Page.VERIFY)
    assert "certificate needs your decision" in page.status.text()  # type: ignore
    # The person trusts it and checks again.
    qtbot.keyClick(box.trust, Qt.Key.Key_Space)  # one certificate serves both servers
    assert live.flow.trusted_fingerprints == {real}
    assert all(b.trust.isChecked() for b in page.boxes.values())  # type: ignore
    qtbot.mouseClick(page.again, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: live.flow.verification is Status.DONE, timeout=40000)
    # Both servers (Dovecot and Postfix behind that certificate) pass, signed in, and the
    # page says the certificate was accepted by the person's decision.
    assert live.flow.all_verified(), [c.error for c in live.flow.checks.values()]
    assert len(live.flow.accepted_by_fingerprint()) == 2
    for check in live.flow.checks.values():
        assert check.username_used == "alice@example.test"
        assert check.certificate is not None and check.certificate.sha256 == real
        assert check.certificate.trusted_by_fingerprint and not check.certificate.trusted
    assert "decided to trust by its fingerprint" in page.status.text()  # type: ignore
    for b in page.boxes.values():  # type: ignore[attr-defined]
        assert b.cert_box.isVisible() and b.trust.isChecked()
        assert "accepted because its fingerprint" in b.cert_text.text()
        assert b.rows["certificate"][2].text() == "accepted by your decision"
    assert live.button(live.WizardButton.NextButton).isEnabled()


def test_stop_during_discovery_ends_the_work(qtbot, netsim, live) -> None:  # type: ignore
    d = netsim.domain("slow.test")
    for name in ("autoconfig", "@", "autodiscover", "imap", "mail", "smtp", "pop"):
        d.hostile(name, "blackhole", ports=(443, 993, 465))
    netsim.apply()
    live.page_widget(Page.ACCOUNT).set_values("Alice", "alice@slow.test", PASSWORD)  # type: ignore
    click_next(qtbot, live, Page.DISCOVERY)
    qtbot.wait(500)
    assert live.flow.discovery is Status.RUNNING
    page = live.page_widget(Page.DISCOVERY)
    started = time.monotonic()
    qtbot.mouseClick(page.stop, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert live.flow.discovery is Status.CANCELLED
    assert live.runner.join_all(5), "discovery kept running after Stop"
    assert time.monotonic() - started < 5
    click_next(qtbot, live, Page.SETTINGS)
    assert live.page_widget(Page.SETTINGS).editors.isVisible()  # type: ignore[attr-defined]


def test_typing_the_settings_by_hand(qtbot, netsim, live) -> None:  # type: ignore
    d = netsim.domain("nothing.test")
    d.mailserver("mx", users={"alice": PASSWORD}, ports=(143, 587))
    netsim.apply()
    start(qtbot, live, "alice@nothing.test")
    click_next(qtbot, live, Page.SETTINGS)
    page = live.page_widget(Page.SETTINGS)
    if not live.flow.manual:
        qtbot.keyClick(page.manual, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    for editor in (page.incoming, page.outgoing):  # type: ignore[attr-defined]
        editor.host.clear()
        qtbot.keyClicks(editor.host, "mx.nothing.test")
        index = editor.security.findData("starttls")
        editor.security.setCurrentIndex(index)
        editor.security.activated.emit(index)
    assert page.incoming.port.value() == 143 and page.outgoing.port.value() == 587  # type: ignore
    verify(qtbot, live)
    assert live.flow.all_verified(), [c.error for c in live.flow.checks.values()]


def test_saving_the_password_in_a_real_keyring(qtbot, netsim, live, tmp_path,
                                               keyring_env) -> None:  # type: ignore
    from wizard import keystore

    d = netsim.domain("mail.ru")
    d.mailserver("imap", users={"alice": PASSWORD})
    d.mailserver("smtp", users={"alice": PASSWORD})
    netsim.apply()
    start(qtbot, live, "alice@mail.ru")
    click_next(qtbot, live, Page.SETTINGS)
    verify(qtbot, live)
    save_and_finish(qtbot, live, tmp_path)
    assert "Secret Service" in live.flow.password_saved_in
    # Read back through the project's own wrapper: it picks the Secret Service itself,
    # whatever other tests did to keyring's global choice of backend.
    assert keystore.password_for("alice@mail.ru") == PASSWORD
    assert QApplication.instance() is not None


def test_optional_test_message_goes_round_trip(qtbot, netsim, live) -> None:  # type: ignore
    d = netsim.domain("example.test")
    d.host("autoconfig", https={"/mail/config-v1.1.xml": (XML, config_xml("mail.example.test"))})
    d.mailserver("mail", users={"alice": PASSWORD})
    netsim.apply()
    start(qtbot, live, "alice@example.test")
    click_next(qtbot, live, Page.SETTINGS)
    verify(qtbot, live)
    page = live.page_widget(Page.VERIFY)
    qtbot.keyClick(page.test_message, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    assert not page.isComplete()  # the message has not gone yet
    qtbot.mouseClick(page.again, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: live.flow.verification is Status.DONE, timeout=60000)
    assert live.flow.round_trip is not None and live.flow.round_trip.ok, live.flow.round_trip
    assert "Test message sent and received" in page.round_trip.text()  # type: ignore
    assert page.isComplete()


def test_stop_during_the_check_ends_the_work(qtbot, netsim, live) -> None:  # type: ignore
    d = netsim.domain("slow.test")
    d.hostile("mail", "blackhole", ports=(993, 465))
    netsim.apply()
    start(qtbot, live, "alice@slow.test")
    click_next(qtbot, live, Page.SETTINGS)
    page = live.page_widget(Page.SETTINGS)
    if not live.flow.manual:
        qtbot.keyClick(page.manual, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    for editor in (page.incoming, page.outgoing):  # type: ignore[attr-defined]
        editor.host.clear()
        qtbot.keyClicks(editor.host, "mail.slow.test")
    click_next(qtbot, live, Page.VERIFY)
    qtbot.wait(500)
    assert live.flow.verification is Status.RUNNING
    verify_page = live.page_widget(Page.VERIFY)
    started = time.monotonic()
    qtbot.mouseClick(verify_page.stop, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert live.flow.verification is Status.CANCELLED
    assert live.runner.join_all(5), "the check kept running after Stop"
    assert time.monotonic() - started < 5
    assert "stopped" in verify_page.status.text()  # type: ignore[attr-defined]


def _full_run(qtbot, live: MainWizard, email: str, source: str) -> None:  # type: ignore
    start(qtbot, live, email)
    assert live.flow.detected is not None and live.flow.detected.source == source, (
        live.flow.detected)
    click_next(qtbot, live, Page.SETTINGS)
    _confirm_and_verify(qtbot, live)


def test_srv_records(qtbot, netsim, live) -> None:  # type: ignore
    d = netsim.domain("example.test")
    d.srv("_imaps._tcp", "mail.example.test", 993)
    d.srv("_submissions._tcp", "mail.example.test", 465)
    d.mailserver("mail", users={"alice": PASSWORD})
    netsim.apply()
    _full_run(qtbot, live, "alice@example.test", "srv")
    assert live.flow.detected.secure


def test_isp_database(qtbot, netsim, live, monkeypatch) -> None:  # type: ignore
    monkeypatch.setenv("MAILWIZARD_ISPDB_URL", "https://autoconfig.ispdb.test/v1.1/")
    netsim.domain("ispdb.test").host("autoconfig", https={
        "/v1.1/example.test": (XML, config_xml("mail.example.test"))})
    netsim.domain("example.test").mailserver("mail", users={"alice": PASSWORD})
    netsim.apply()
    _full_run(qtbot, live, "alice@example.test", "ispdb")


def test_exchange_autodiscover(qtbot, netsim, live) -> None:  # type: ignore
    import importlib

    resources = importlib.import_module(type(netsim).__module__.rsplit(".", 1)[0]
                                        + ".resources")
    pox = (
        b'<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft'
        b'.com/exchange/autodiscover/responseschema/2006"><Response xmlns="http://schemas.'
        b'microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"><Account>'
        b"<AccountType>email</AccountType><Action>settings</Action>"
        b"<Protocol><Type>IMAP</Type><Server>mail.example.test</Server><Port>993</Port>"
        b"<SSL>on</SSL><LoginName>alice@example.test</LoginName></Protocol>"
        b"<Protocol><Type>SMTP</Type><Server>mail.example.test</Server><Port>465</Port>"
        b"<SSL>on</SSL><LoginName>alice@example.test</LoginName></Protocol>"
        b"</Account></Response></Autodiscover>")
    endpoint = resources.Endpoint(resources.Response(200, "text/xml; charset=utf-8", pox))
    d = netsim.domain("example.test")
    d.host("autodiscover", https={"/autodiscover/autodiscover.xml": endpoint})
    d.mailserver("mail", users={"alice": PASSWORD})
    netsim.apply()
    _full_run(qtbot, live, "alice@example.test", "autodiscover")


def test_in_russian_from_address_to_a_thunderbird_profile(qtbot, netsim, live,
                                                           tmp_path) -> None:  # type: ignore
    live.switch_language("ru")
    try:
        d = netsim.domain("example.test")
        d.host("autoconfig", https={
            "/mail/config-v1.1.xml": (XML, config_xml("mail.example.test"))})
        d.mailserver("mail", users={"alice": PASSWORD})
        netsim.apply()
        # First a wrong password: the real server's refusal, explained in Russian.
        start(qtbot, live, "alice@example.test", password="wrong")
        click_next(qtbot, live, Page.SETTINGS)
        verify(qtbot, live)
        box = next(iter(live.page_widget(Page.VERIFY).boxes.values()))  # type: ignore
        assert box.diagnosis.isVisible()
        assert any("\u0430" <= ch <= "\u044f" for ch in box.diagnosis.text()), (
            box.diagnosis.text())
        # Back, the right password, and on to a new Thunderbird profile.
        live.back()
        live.back()
        live.back()
        assert live.currentId() == Page.ACCOUNT
        live.page_widget(Page.ACCOUNT).set_values("Алиса", "alice@example.test",  # type: ignore
                                                  PASSWORD)
        click_next(qtbot, live, Page.DISCOVERY)
        qtbot.waitUntil(lambda: live.flow.discovery is Status.DONE, timeout=30000)
        click_next(qtbot, live, Page.SETTINGS)
        verify(qtbot, live)
        assert live.flow.all_verified(), [c.error for c in live.flow.checks.values()]
        click_next(qtbot, live, Page.SAVE)
        save = live.page_widget(Page.SAVE)
        qtbot.waitUntil(lambda: save.keyring is not None, timeout=20000)  # type: ignore
        save.choose_target("thunderbird")  # type: ignore[attr-defined]
        profile = tmp_path / "thunderbird-profile"
        profile.mkdir()
        save.profile.setEditText(str(profile))  # type: ignore[attr-defined]
        click_next(qtbot, live, Page.DONE)
        prefs = (profile / "prefs.js").read_text()
        assert '"mail.example.test"' in prefs and PASSWORD not in prefs
        summary = live.page_widget(Page.DONE).summary.text()  # type: ignore[attr-defined]
        assert "все серверы работают" in summary
    finally:
        live.switch_language("en")


def test_mx_leading_to_a_table_provider(qtbot, netsim, live) -> None:  # type: ignore
    """A company domain whose mail Google hosts: the MX names the provider."""
    netsim.domain("example.test").mx("aspmx.l.google.com")
    gmail = netsim.domain("gmail.com")
    gmail.mailserver("imap", users={"alice@example.test": PASSWORD}, ports=(993,))
    gmail.mailserver("smtp", users={"alice@example.test": PASSWORD}, ports=(465, 587))
    netsim.apply()
    start(qtbot, live, "alice@example.test")
    detected = live.flow.detected
    assert detected is not None and (detected.source, detected.secure) == ("mx", True)
    assert live.flow.incoming is not None and live.flow.incoming.host == "imap.gmail.com"
    click_next(qtbot, live, Page.SETTINGS)
    # Hosts outside the address's domain, but of a provider MailWizard knows: no warning.
    assert not live.page_widget(Page.SETTINGS).warning.isVisible()  # type: ignore
    verify(qtbot, live)
    assert live.flow.all_verified(), [c.error for c in live.flow.checks.values()]
