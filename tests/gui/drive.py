"""Driving the real wizard window as a person would: typing, clicking, pressing keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget, QWizard

from wizard.gui.flow import Page
from wizard.gui.window import MainWizard

NEXT = QWizard.WizardButton.NextButton


def visible_text(widget: QWidget) -> str:
    """Every visible label's and button's text in ``widget``, one per line."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox

    parts = []
    for child in widget.findChildren(QWidget):
        if not child.isVisibleTo(widget):
            continue
        if isinstance(child, QLabel | QAbstractButton):
            parts.append(child.text())
        elif isinstance(child, QGroupBox):
            parts.append(child.title())
    return "\n".join(parts)


def click_next(qtbot, window: MainWizard, expect: Page | None = None) -> None:  # type: ignore
    """Press Next and wait until the wizard shows ``expect`` (the next page by default)."""
    button = window.button(NEXT)
    assert button.isEnabled(), f"Next is disabled on {Page(window.currentId()).name}"
    expect = expect if expect is not None else Page(window.currentId() + 1)
    with qtbot.waitSignal(window.currentIdChanged, timeout=10000,
                          check_params_cb=lambda page_id: page_id == expect):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fill_account(window: MainWizard, name: str = "Alice Smith",
                 email: str = "alice@example.com", password: str = "correct horse") -> None:
    page = window.page_widget(Page.ACCOUNT)
    page.set_values(name, email, password)  # type: ignore[attr-defined]


def wait_complete(qtbot, window: MainWizard, page: Page, timeout: int = 10000) -> None:  # type: ignore
    widget = window.page_widget(page)
    qtbot.waitUntil(widget.isComplete, timeout=timeout)


def to_settings(qtbot, window: MainWizard, **account: str) -> None:  # type: ignore
    fill_account(window, **account)
    click_next(qtbot, window, Page.DISCOVERY)
    wait_complete(qtbot, window, Page.DISCOVERY)
    click_next(qtbot, window, Page.SETTINGS)


def focus() -> QWidget | None:
    return QApplication.focusWidget()
