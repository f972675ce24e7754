"""English and Russian, switchable in the program; pseudo-localisation finds what is not."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget

from wizard import i18n
from wizard.gui.flow import Page
from wizard.gui.translation import pseudo, qm_path

from .drive import visible_text
from .scenes import make_window, walk

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "mailwizard_ru.ts"


def _build_tool():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_translations
    finally:
        sys.path.pop(0)
    return build_translations


def test_russian_catalogue_is_complete_and_current(tmp_path: Path) -> None:
    """Every text of wizard/gui is in the .ts, translated (lupdate run on a copy)."""
    tool = _build_tool()
    copy = tmp_path / "mailwizard_ru.ts"
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "wizard" / "gui").rglob("*.py"))
    subprocess.run([tool.tool("pyside6-lupdate"), "-silent", "-no-obsolete", *sources,
                    "-ts", str(copy)], check=True)
    assert tool.unfinished(copy) == [], "run tools/build_translations.py --update, translate"


def test_compiled_translation_loads() -> None:
    from PySide6.QtCore import QTranslator

    from wizard.gui.translation import compile_translation

    qm = compile_translation("ru", force=True)
    assert qm == qm_path("ru") and qm.exists()
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("AccountPage", "Your mail account") == "Ваш почтовый ящик"


def test_switching_language_in_the_program(qtbot, window) -> None:  # type: ignore
    assert window.windowTitle() == "MailWizard — set up a mail account"
    language = window.button(window.WizardButton.CustomButton1)
    assert language.text() == "Русский"
    page = window.page_widget(Page.ACCOUNT)
    page.set_values("Alice", "alice@", "pw")
    english_error = page.email_error.text()
    qtbot.mouseClick(language, Qt.MouseButton.LeftButton)
    assert window.windowTitle() == "MailWizard — настройка почтового ящика"
    assert i18n.language() == "ru"  # the core's messages follow
    assert page.title() == "Ваш почтовый ящик"
    assert window.button(window.WizardButton.NextButton).text() == "&Далее >"
    assert language.text() == "&English"
    page.set_values("Alice", "alice@", "pw")
    assert page.email_error.text() != english_error
    assert re.search("[\u0430-\u044f]", page.email_error.text()), page.email_error.text()
    window.switch_language("en")
    assert page.title() == "Your mail account"
    assert i18n.language() == "en"


def test_russian_pages_show_russian(qtbot, tmp_path) -> None:  # type: ignore
    window, services = make_window(tmp_path, "ru")
    qtbot.addWidget(window)
    try:
        for name, widget in walk(window, services, tmp_path):
            if widget is window:
                page = window.currentPage()
                assert re.search("[\u0410-\u044f]", page.title()), name  # Cyrillic
                text = visible_text(page)
                for english in ("Next", "Provider", "Incoming", "Password", "Search"):
                    assert english not in text, (name, english)
    finally:
        window.runner.cancel_all()
        assert window.runner.join_all(10)
        window.languages.apply("en")


def _cut_off(widget: QWidget) -> str | None:
    """Why ``widget``'s text does not fit, or None."""
    if isinstance(widget, QLabel):
        if not widget.text() or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            return None
        if widget.wordWrap():
            need = widget.heightForWidth(widget.contentsRect().width())
            if need > widget.contentsRect().height() + 2:
                return f"needs {need}px height, has {widget.contentsRect().height()}"
            return None
        if widget.sizeHint().width() > widget.width() + 2:
            return f"needs {widget.sizeHint().width()}px width, has {widget.width()}"
    elif (isinstance(widget, QAbstractButton) and widget.text()
          and widget.sizeHint().width() > widget.width() + 2):
        return f"needs {widget.sizeHint().width()}px width, has {widget.width()}"
    return None


DATA_WIDGETS = re.compile(r"^(cert_|core|summary$|doneSummary$)")


@pytest.mark.parametrize("lang", ["pseudo", "ru"])
def test_no_text_is_untranslated_or_cut_off(qtbot, tmp_path, lang) -> None:  # type: ignore
    """Pseudo-localisation: every text is 40 % longer and bracketed; none may be cut off,
    and none may be missing its brackets (it did not go through the translator)."""
    window, services = make_window(tmp_path, lang)
    qtbot.addWidget(window)
    problems: list[str] = []
    try:
        for name, scene in walk(window, services, tmp_path):
            root = window.currentPage() if scene is window else scene
            widgets = [root, *root.findChildren(QWidget)]
            if scene is window:
                widgets += [window.button(b) for b in (window.WizardButton.NextButton,
                                                       window.WizardButton.CancelButton)]
            for w in widgets:
                if not w.isVisible():
                    continue
                why = _cut_off(w)
                if why:
                    problems.append(f"{name}: {type(w).__name__} {w.objectName()!r} "
                                    f"“{_text(w)[:60]}” is cut off: {why}")
                text = _text(w)
                if (lang == "pseudo" and re.search("[A-Za-z]{3}", text) and "⟦" not in text
                        and not DATA_WIDGETS.match(w.objectName())):
                    problems.append(f"{name}: untranslated “{text[:60]}” ({w.objectName()})")
    finally:
        window.runner.cancel_all()
        assert window.runner.join_all(10)
        window.languages.apply("en")
    assert problems == [], "\n".join(problems)


def _text(w: QWidget) -> str:
    if isinstance(w, QLabel | QAbstractButton):
        return w.text()
    if isinstance(w, QGroupBox):
        return w.title()
    return ""


def test_pseudo_keeps_placeholders_and_mnemonics() -> None:
    assert pseudo("&Next %1 {host}") .startswith("⟦&Ñéẋţ %1 {host}")
    assert pseudo("Save").endswith("~~⟧") or pseudo("Save").endswith("~⟧")


def test_every_text_shown_is_in_the_catalogue(qtbot, tmp_path) -> None:  # type: ignore
    """Texts lupdate cannot see (a tr() inside an f-string…) would stay English in Russian:
    record what the pages really ask the translator for, and look each up in the .ts."""
    import xml.etree.ElementTree as ET

    from PySide6.QtCore import QCoreApplication, QTranslator

    asked: set[tuple[str, str]] = set()

    class Recorder(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore
            if not context.startswith("Q"):  # Qt's own texts come with Qt
                asked.add((context, source))
            return ""

        def isEmpty(self) -> bool:
            return False

    known = {(ctx.findtext("name"), m.findtext("source"))
             for ctx in ET.parse(TS).iter("context") for m in ctx.iter("message")}
    recorder = Recorder()
    QCoreApplication.installTranslator(recorder)
    window, services = make_window(tmp_path, "en")
    qtbot.addWidget(window)
    try:
        for _name, _scene in walk(window, services, tmp_path):
            pass
    finally:
        QCoreApplication.removeTranslator(recorder)
        window.runner.cancel_all()
        assert window.runner.join_all(10)
    assert asked, "the recorder saw nothing"
    assert sorted(asked - known) == []
