"""Fixtures of the GUI tests: an offscreen Qt, the wizard window, and fake core services.

``QT_QPA_PLATFORM=offscreen`` must be set before the first QApplication exists, hence at
import time here (the top-level conftest may set it as well).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from .fakes import FakeServices

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every test here is a GUI test; any Qt warning fails it (pyproject: qt_log_level_fail).
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def english(qapp: object) -> Iterator[None]:
    """Each test starts in English, whatever the machine's locale, and leaves it so."""
    from wizard import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def services(tmp_path: Path) -> FakeServices:
    return FakeServices(tmp_path)


@pytest.fixture
def window(qtbot, services: FakeServices, tmp_path: Path):  # type: ignore[no-untyped-def]
    from wizard.gui.translation import Languages
    from wizard.gui.window import MainWizard

    languages = Languages()
    languages.apply("en")
    w = MainWizard(services=services, languages=languages)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.runner.cancel_all()
    assert w.runner.join_all(10), "a worker thread outlived the window"
    languages.apply("en")
    import gc

    from PySide6.QtWidgets import QApplication
    w.close()
    w.deleteLater()
    QApplication.processEvents()
    gc.collect()
