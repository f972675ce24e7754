"""A walk through every page of the wizard with the fake core, without qtbot.

Used by the pseudo-localisation test and by ``tools/screenshots.py``: each scene is the
window showing one page in a telling state (the insecure-source warning, a certificate
decision, the summary…).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from wizard.gui.flow import Page, Status
from wizard.gui.translation import Languages
from wizard.gui.window import MainWizard

from .fakes import FakeServices, example_settings


def wait_until(predicate: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not get there in time")
        QTest.qWait(10)


def settle() -> None:
    """Let pending layout and paint events run, as a person's eye would wait for them."""
    for _ in range(3):
        QTest.qWait(20)


def press_next(window: MainWizard, expect: Page) -> None:
    button = window.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled(), f"Next is disabled on {Page(window.currentId()).name}"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_until(lambda: window.currentId() == expect)


def make_window(tmp: Path, lang: str) -> tuple[MainWizard, FakeServices]:
    services = FakeServices(tmp)
    # Settings from an insecure source, a certificate to decide on: every warning shows.
    services.detect_result = lambda a: example_settings(a, source="autoconfig", secure=False)
    services.bad_certificate = True
    languages = Languages()
    languages.apply(lang)
    window = MainWizard(services=services, languages=languages)
    window.show()
    QApplication.processEvents()
    return window, services


def walk(window: MainWizard, services: FakeServices, tmp: Path) -> Iterator[tuple[str, QWidget]]:
    """Yield ``(name, widget)`` at each scene; the caller inspects or photographs it."""
    account = window.page_widget(Page.ACCOUNT)
    account.set_values("", "alice@exam ple.com", "")  # type: ignore[attr-defined]
    settle()
    yield "1-account-problems", window
    account.set_values("Alice Smith", "alice@example.com", "correct horse")  # type: ignore
    settle()
    yield "1-account", window

    press_next(window, Page.DISCOVERY)
    wait_until(lambda: window.flow.discovery is Status.DONE)
    settle()
    yield "2-discovery", window

    press_next(window, Page.SETTINGS)
    settings = window.page_widget(Page.SETTINGS)
    settle()
    yield "3-settings-warning", window
    settings.confirm.setChecked(True)  # type: ignore[attr-defined]
    settings.manual.setChecked(True)  # type: ignore[attr-defined]
    settle()
    yield "3-settings-manual", window
    settings.manual.setChecked(False)  # type: ignore[attr-defined]
    settings.confirm.setChecked(True)  # type: ignore[attr-defined]

    press_next(window, Page.VERIFY)
    wait_until(lambda: window.flow.verification is Status.DONE)
    settle()
    yield "4-verify-certificate", window
    verify = window.page_widget(Page.VERIFY)
    box = next(iter(verify.boxes.values()))  # type: ignore[attr-defined]
    QTest.mouseClick(box.transcript, Qt.MouseButton.LeftButton)
    wait_until(lambda: verify.dialog is not None and verify.dialog.isVisible())  # type: ignore
    settle()
    yield "4-verify-transcript", verify.dialog  # type: ignore[attr-defined]
    verify.dialog.close()  # type: ignore[attr-defined]
    for b in verify.boxes.values():  # type: ignore[attr-defined]
        b.trust.setChecked(True)
    QTest.mouseClick(verify.again, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    wait_until(lambda: window.flow.verification is Status.DONE and window.flow.all_verified())
    settle()
    yield "4-verify-ok", window

    press_next(window, Page.SAVE)
    save = window.page_widget(Page.SAVE)
    wait_until(lambda: save.keyring is not None)  # type: ignore[attr-defined]
    wait_until(lambda: save.profile.count() > 0)  # type: ignore[attr-defined]
    save.folder.setText(str(tmp / "exports"))  # type: ignore[attr-defined]
    for target in ("thunderbird", "apple", "msmtp"):
        save.choose_target(target)  # type: ignore[attr-defined]
    settle()
    yield "5-save", window

    press_next(window, Page.DONE)
    settle()
    yield "6-done", window
