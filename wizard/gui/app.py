"""``mailwizard`` without arguments: start Qt and show the wizard."""

from __future__ import annotations

import os
import sys

from wizard import __version__, i18n


def run(argv: list[str] | None = None) -> int:
    """Open the wizard and return its exit status once it is closed."""
    from PySide6.QtWidgets import QApplication

    from wizard.gui.translation import Languages
    from wizard.gui.window import MainWizard, app_icon

    existing = QApplication.instance()
    # High DPI: Qt 6 scales by the desktop's factor, fractional ones (150 %) included
    # (HighDpiScaleFactorRoundingPolicy.PassThrough is its default); nothing to set.
    app = existing if isinstance(existing, QApplication) else QApplication(
        list(argv or sys.argv[:1]))
    app.setApplicationName("MailWizard")
    app.setApplicationDisplayName("MailWizard")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("mailwizard")
    app.setWindowIcon(app_icon())
    languages = Languages()
    # The CLI's --lang (or the system locale) already chose the core's language.
    languages.apply(i18n.language())
    window = MainWizard(languages=languages)
    window.show()
    if os.environ.get("MAILWIZARD_SMOKE_TEST"):
        # Packaging's smoke test of the frozen program: say the first page is up, then quit.
        from PySide6.QtCore import QTimer
        from PySide6.QtGui import QGuiApplication

        def report() -> None:
            print(f"mailwizard-smoke: page={window.currentId()} "
                  f"visible={window.currentPage().isVisible()} "
                  f"platform={QGuiApplication.platformName()} lang={languages.current} "
                  f"icon={not app.windowIcon().isNull()} title={window.windowTitle()}",
                  flush=True)
            app.quit()

        QTimer.singleShot(0, report)
    return int(app.exec())
