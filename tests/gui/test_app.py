"""``mailwizard`` without arguments: the window opens with its icon and title, and ends."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from wizard.gui.app import run
from wizard.gui.window import MainWizard


def test_run_shows_the_wizard_and_returns_when_it_closes(qtbot) -> None:  # type: ignore
    seen: dict[str, object] = {}

    def look_and_close() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWizard) and w.isVisible()]
        assert len(windows) == 1
        window = windows[0]
        seen["title"] = window.windowTitle()
        seen["icon"] = not window.windowIcon().isNull()
        seen["pages"] = window.currentId()
        window.reject()  # Cancel

    QTimer.singleShot(200, look_and_close)
    assert run() == 0
    assert seen == {"title": "MailWizard — set up a mail account", "icon": True, "pages": 0}


def test_the_command_line_opens_the_gui_without_arguments() -> None:
    """The real entry point, in its own process, closed by a timer."""
    code = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication(sys.argv[:1])
        def close():
            for w in QApplication.topLevelWidgets():
                if w.isVisible():
                    print("WINDOW", w.windowTitle())
                    w.close()
        QTimer.singleShot(300, close)
        from wizard.cli import main
        sys.exit(main(["--lang", "ru"]))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "WINDOW MailWizard — настройка почтового ящика" in done.stdout


def test_the_language_follows_the_system_locale() -> None:
    code = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication(sys.argv[:1])
        def close():
            for w in QApplication.topLevelWidgets():
                if w.isVisible():
                    print("WINDOW", w.windowTitle())
                    w.close()
        QTimer.singleShot(300, close)
        from wizard.cli import main
        sys.exit(main([]))
    """)
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env["LANG"] = "ru_RU.UTF-8"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert "WINDOW MailWizard — настройка почтового ящика" in done.stdout


def test_inline_messages_stay_readable_on_a_dark_palette(qtbot) -> None:  # type: ignore
    from PySide6.QtGui import QColor, QPalette

    from wizard.gui.widgets import Message

    light, dark = Message("error"), Message("error")
    qtbot.addWidget(light)
    qtbot.addWidget(dark)
    palette = dark.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setPalette(palette)
    text = QPalette.ColorRole.WindowText
    assert light.palette().color(text).lightness() < 128  # dark red on light grey
    assert dark.palette().color(text).lightness() > 128  # light red on dark grey
