"""Keyboard-only use: a whole run with the keys a person without a mouse would press."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from wizard.gui.flow import Page, Status


def _type(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(QApplication.focusWidget(), text)


def _key(qtbot, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key)


def test_a_whole_run_without_the_mouse(qtbot, window, services, tmp_path) -> None:  # type: ignore
    window.activateWindow()
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    assert QApplication.focusWidget().objectName() == "name"
    _type(qtbot, "Alice Smith")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "alice@example.com")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "correct horse")
    with qtbot.waitSignal(window.currentIdChanged, timeout=5000):
        _key(qtbot, Qt.Key.Key_Return)
    assert window.currentId() == Page.DISCOVERY
    qtbot.waitUntil(lambda: window.flow.discovery is Status.DONE)
    with qtbot.waitSignal(window.currentIdChanged, timeout=5000):
        _key(qtbot, Qt.Key.Key_Return)
    assert window.currentId() == Page.SETTINGS
    with qtbot.waitSignal(window.currentIdChanged, timeout=5000):
        _key(qtbot, Qt.Key.Key_Return)
    assert window.currentId() == Page.VERIFY
    qtbot.waitUntil(lambda: window.flow.verification is Status.DONE)
    with qtbot.waitSignal(window.currentIdChanged, timeout=5000):
        _key(qtbot, Qt.Key.Key_Return)
    assert window.currentId() == Page.SAVE
    save = window.page_widget(Page.SAVE)
    qtbot.waitUntil(lambda: save.keyring is not None)
    # Tick an export with the keyboard: focus the list through its label's mnemonic-free
    # path (Tab), move with the arrows, tick with Space.
    save.target_list.setFocus()
    _key(qtbot, Qt.Key.Key_Down)
    _key(qtbot, Qt.Key.Key_Space)
    ticked = [t for t, item in save.targets.items()
              if item.checkState() == Qt.CheckState.Checked]
    assert ticked == [list(save.targets)[1]]  # the second, after one Down
    save.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(window.currentIdChanged, timeout=10000):
        _key(qtbot, Qt.Key.Key_Return)  # "Save"
    assert window.currentId() == Page.DONE
    assert services.stored == {"alice@example.com": "correct horse"}
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.button(
        window.WizardButton.FinishButton))
    with qtbot.waitSignal(window.finished, timeout=5000):
        _key(qtbot, Qt.Key.Key_Return)  # "Finish"


def test_tab_reaches_every_input_of_the_first_page(qtbot, window) -> None:  # type: ignore
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    seen = []
    for _ in range(12):
        seen.append(QApplication.focusWidget().objectName())
        _key(qtbot, Qt.Key.Key_Tab)
    assert {"name", "email", "password", "showPassword"} <= set(seen)
