"""The real wizard pages, driven with qtbot against the fake core (tests/gui/fakes.py)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QPushButton

from wizard.export import default_path
from wizard.gui.flow import Page, Status
from wizard.gui.services import KeyringStatus, ServiceError

from .drive import click_next, to_settings, visible_text, wait_complete
from .fakes import FINGERPRINT, example_settings


def test_complete_run_for_a_table_provider(qtbot, window, services, tmp_path) -> None:  # type: ignore
    to_settings(qtbot, window)
    settings_page = window.page_widget(Page.SETTINGS)
    shown = visible_text(settings_page)
    assert "Provider: Example Mail" in shown
    assert "MailWizard's list of providers (a trusted source)" in shown
    assert "Switch on IMAP access in the web settings." in shown
    assert "IMAP imap.example.com, port 993, SSL/TLS" in shown
    assert not settings_page.warning.isVisible()

    click_next(qtbot, window, Page.VERIFY)
    wait_complete(qtbot, window, Page.VERIFY)
    verify = window.page_widget(Page.VERIFY)
    assert "Everything works" in verify.status.text()
    assert services.probe_requests[-1].password == "correct horse"
    assert [s.host for s in services.probe_requests[-1].servers] == [
        "imap.example.com", "smtp.example.com"]

    click_next(qtbot, window, Page.SAVE)
    save = window.page_widget(Page.SAVE)
    qtbot.waitUntil(lambda: save.keyring is not None)
    assert "Secret Service (fake)" in save.keyring_text.text()
    save.folder.setText(str(tmp_path / "exports"))
    save.choose_target("msmtp")
    click_next(qtbot, window, Page.DONE)  # "Save": stores, exports, then moves on
    assert services.stored == {"alice@example.com": "correct horse"}
    exported = default_path("msmtp", window.flow.address, tmp_path / "exports")
    assert json.loads(exported.read_text())["password"] is None  # not asked for
    summary = window.page_widget(Page.DONE).summary.text()
    assert "saved in Secret Service (fake)" in summary
    assert "all servers work" in summary
    assert str(exported) in summary


def test_insecure_source_blocks_until_confirmed(qtbot, window, services) -> None:  # type: ignore
    services.detect_result = lambda a: example_settings(a, source="autoconfig", secure=False)
    to_settings(qtbot, window)
    page = window.page_widget(Page.SETTINGS)
    assert page.warning.isVisible()
    assert "imap.example.com" in page.warning_text.text()
    assert "NOT a trusted source" in page.source.text()
    next_button = window.button(window.WizardButton.NextButton)
    assert not next_button.isEnabled()
    with qtbot.waitSignal(page.completeChanged):
        qtbot.keyClick(page.confirm, Qt.Key.Key_Space)
    assert next_button.isEnabled()
    click_next(qtbot, window, Page.VERIFY)
    wait_complete(qtbot, window, Page.VERIFY)
    assert services.probe_requests[-1].accept_insecure_source is True


def test_wrong_password_shows_the_diagnosis(qtbot, window, services) -> None:  # type: ignore
    to_settings(qtbot, window, password="wrong")
    click_next(qtbot, window, Page.VERIFY)
    page = window.page_widget(Page.VERIFY)
    qtbot.waitUntil(lambda: window.flow.verification is Status.DONE)
    box = next(iter(page.boxes.values()))
    assert box.diagnosis.isVisible()
    assert box.diagnosis.text() == "The server refused the user name or password."
    assert "app password" in box.hint.text()
    assert box.rows["login"][2].text() == "failed"
    assert box.rows["certificate"][2].text() == "OK"
    assert not window.button(window.WizardButton.NextButton).isEnabled()
    # The person may keep the settings anyway, saying so explicitly.
    with qtbot.waitSignal(page.completeChanged):
        page.unverified.setChecked(True)
    assert window.button(window.WizardButton.NextButton).isEnabled()


def test_bad_certificate_asks_for_a_trust_decision(qtbot, window, services) -> None:  # type: ignore
    services.bad_certificate = True
    to_settings(qtbot, window)
    click_next(qtbot, window, Page.VERIFY)
    page = window.page_widget(Page.VERIFY)
    qtbot.waitUntil(lambda: window.flow.verification is Status.DONE)
    box = next(iter(page.boxes.values()))
    assert box.cert_box.isVisible()
    assert box.cert_values["sha256"].text().startswith("AB:AB:AB")
    assert "AB:AB" in box.trust.text()
    assert "certificate needs your decision" in page.status.text()
    assert not page.isComplete()
    for b in page.boxes.values():
        b.trust.setChecked(True)
    assert window.flow.trusted_fingerprints == {FINGERPRINT}
    qtbot.mouseClick(page.again, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.isComplete, timeout=10000)
    assert FINGERPRINT in services.probe_requests[-1].trusted_fingerprints
    # The page says the certificate passed by the person's decision, not by verification.
    assert "decided to trust by its fingerprint" in page.status.text()
    for b in page.boxes.values():
        assert b.cert_box.isVisible() and b.trust.isChecked()
        assert "accepted because its fingerprint" in b.cert_text.text()
        assert b.rows["certificate"][2].text() == "accepted by your decision"


def test_stop_during_discovery_really_stops(qtbot, window, services) -> None:  # type: ignore
    services.detect_delay = 5.0
    page = window.page_widget(Page.DISCOVERY)
    window.page_widget(Page.ACCOUNT).set_values("Alice", "alice@example.com", "pw")
    click_next(qtbot, window, Page.DISCOVERY)
    qtbot.waitUntil(lambda: page.rows["builtin"][2].text() == "nothing there" or
                    page.rows["builtin"][2].text() == "found")
    assert page.stop.isVisible()
    assert page.rows["guess"][2].text() == "trying…"
    with qtbot.waitSignal(page.completeChanged):
        qtbot.mouseClick(page.stop, Qt.MouseButton.LeftButton)
    assert services.detect_cancelled.wait(2), "the detection job was not told to stop"
    assert "Stopped" in page.status.text()
    assert page.again.isVisible()
    click_next(qtbot, window, Page.SETTINGS)
    assert window.page_widget(Page.SETTINGS).editors.isVisible()


def test_detection_runs_off_the_gui_thread(qtbot, window, services) -> None:  # type: ignore
    to_settings(qtbot, window)
    assert services.detect_thread == ["mailwizard-detect"]


def test_editing_by_hand(qtbot, window, services) -> None:  # type: ignore
    to_settings(qtbot, window)
    page = window.page_widget(Page.SETTINGS)
    qtbot.keyClick(page.manual, Qt.Key.Key_Space)
    assert page.editors.isVisible()
    editor = page.incoming
    assert editor.host.text() == "imap.example.com"
    editor.security.setFocus()
    editor.security.setCurrentIndex(editor.security.findData("starttls"))
    editor.security.activated.emit(editor.security.currentIndex())
    assert editor.port.value() == 143
    editor.host.clear()
    qtbot.keyClicks(editor.host, "bad host")
    assert editor.errors["host"].isVisible()
    assert "not a valid server name" in editor.errors["host"].text()
    assert not window.button(window.WizardButton.NextButton).isEnabled()
    editor.host.clear()
    qtbot.keyClicks(editor.host, "mail.example.com")
    assert not editor.errors["host"].isVisible()
    click_next(qtbot, window, Page.VERIFY)
    wait_complete(qtbot, window, Page.VERIFY)
    sent = services.probe_requests[-1].servers[0]
    assert (sent.host, sent.port, sent.security) == ("mail.example.com", 143, "starttls")


def test_pop3_can_be_chosen(qtbot, window, services) -> None:  # type: ignore
    to_settings(qtbot, window)
    page = window.page_widget(Page.SETTINGS)
    qtbot.keyClick(page.pop3, Qt.Key.Key_Space)
    assert "POP3 pop.example.com, port 995" in page.summary.text()
    click_next(qtbot, window, Page.VERIFY)
    wait_complete(qtbot, window, Page.VERIFY)
    assert services.probe_requests[-1].servers[0].protocol == "pop3"


def _to_save(qtbot, window):  # type: ignore[no-untyped-def]
    to_settings(qtbot, window)
    click_next(qtbot, window, Page.VERIFY)
    wait_complete(qtbot, window, Page.VERIFY)
    click_next(qtbot, window, Page.SAVE)
    save = window.page_widget(Page.SAVE)
    qtbot.waitUntil(lambda: save.keyring is not None and save.profile.count() > 0)
    return save


def test_no_keyring_says_why_and_goes_on_without_saving(qtbot, window, services) -> None:  # type: ignore
    services.keyring = KeyringStatus(False, "", "No keyring found",
                                     "No system keyring is available.")
    save = _to_save(qtbot, window)
    assert not save.save_password.isEnabled()
    assert not save.save_password.isChecked()
    assert "No keyring found: No system keyring is available." in save.keyring_problem.text()
    assert "will not be saved" in save.keyring_text.text()
    click_next(qtbot, window, Page.DONE)
    assert services.stored == {}
    assert "not saved" in window.page_widget(Page.DONE).summary.text()


def test_locked_keyring_on_save_offers_to_go_on_without(qtbot, window, services) -> None:  # type: ignore
    services.keyring_error = ServiceError("Keyring locked", "Unlock your keyring.")
    save = _to_save(qtbot, window)
    qtbot.mouseClick(window.button(window.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.flow.saving is Status.FAILED)
    assert window.currentId() == Page.SAVE
    assert "Keyring locked: Unlock your keyring." in save.result.text()
    assert "Untick" in save.result.text()
    save.save_password.setChecked(False)
    click_next(qtbot, window, Page.DONE)


def test_export_with_password_warns_and_writes_it(qtbot, window, services, tmp_path) -> None:  # type: ignore
    save = _to_save(qtbot, window)
    save.folder.setText(str(tmp_path / "out"))
    save.choose_target("k9s")
    save.choose_target("thunderbird")
    assert save.profile.currentText() == str(tmp_path / "tb-profile")
    save.include_password.setChecked(True)
    assert "will know your password" in save.include_warning.text()
    click_next(qtbot, window, Page.DONE)
    request = services.export_requests[-1]
    assert set(request.targets) == {"k9s", "thunderbird"}
    assert request.thunderbird_profile == tmp_path / "tb-profile"
    written = default_path("k9s", window.flow.address, tmp_path / "out")
    assert json.loads(written.read_text())["password"] == "correct horse"
    assert window.page_widget(Page.DONE).open_folder.isVisible()


def test_transcript_copy_for_a_support_ticket(qtbot, window, services) -> None:  # type: ignore
    to_settings(qtbot, window, password="wrong")
    click_next(qtbot, window, Page.VERIFY)
    page = window.page_widget(Page.VERIFY)
    qtbot.waitUntil(lambda: window.flow.verification is Status.DONE)
    box = next(iter(page.boxes.values()))
    qtbot.mouseClick(box.transcript, Qt.MouseButton.LeftButton)  # one click away
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.copy, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert "C: a2 AUTHENTICATE PLAIN ********" in copied
    assert "error auth-failed" in copied
    assert "imap.example.com:993" in copied
    assert "wrong" not in copied.replace("Something went wrong", "")
    assert "alice@" not in copied
    dialog.close()


def test_every_input_is_named_by_its_label(qtbot, window, services) -> None:  # type: ignore
    """Screen readers announce each input by the words next to it on the screen."""
    from wizard.gui.widgets import plain

    to_settings(qtbot, window)
    window.page_widget(Page.SETTINGS).manual.setChecked(True)
    checked = 0
    for page in window.pages.values():
        for label in page.findChildren(QLabel):
            buddy = label.buddy()
            if buddy is not None:
                assert buddy.accessibleName() == plain(label.text()), label.text()
                checked += 1
        for box in page.findChildren(QCheckBox) + page.findChildren(QPushButton):
            assert box.accessibleName() in ("", plain(box.text())), box.text()
    assert checked >= 13
    for combo in window.findChildren(QComboBox):
        assert combo.accessibleName(), combo.objectName()
