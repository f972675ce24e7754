"""The GUI's languages: Qt translators, switching at run time, and pseudo-localisation.

Widget texts go through Qt's system (``self.tr``) and ``resources/i18n/mailwizard_<lang>.qm``,
compiled from the Qt Linguist ``.ts`` by ``tools/build_translations.py``. Switching the
language also switches the core's catalogue (``wizard.i18n``), so the messages the core
produces from then on (address problems, diagnoses) speak the same language.
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from wizard import i18n

LANGUAGES = ("en", "ru")
PSEUDO = "pseudo"


def resources_dir() -> Path:
    """``resources/`` of a source checkout (installed builds carry it in ``wizard/data``)."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "resources", here.parents[1] / "data" / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parents[2] / "resources"


def qm_path(lang: str) -> Path:
    return resources_dir() / "i18n" / f"mailwizard_{lang}.qm"


def lrelease() -> str | None:
    """The ``pyside6-lrelease`` beside this Python, or on PATH."""
    import shutil

    beside = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside) if beside.exists() else shutil.which("pyside6-lrelease")


def compile_translation(lang: str, *, force: bool = False) -> Path | None:
    """Compile ``mailwizard_<lang>.ts`` into ``.qm`` when missing or older; the ``.qm``."""
    ts = qm_path(lang).with_suffix(".ts")
    qm = qm_path(lang)
    fresh = qm.exists() and (not ts.exists() or qm.stat().st_mtime >= ts.stat().st_mtime)
    if fresh and not force:
        return qm
    import subprocess

    tool = lrelease()
    if tool is None or not ts.exists():
        return qm if qm.exists() else None
    # A read-only installation keeps what was built at packaging time, if anything.
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True,
                       capture_output=True, timeout=60)
    return qm if qm.exists() else None


_PSEUDO_MAP = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþʠŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Placeholders, HTML tags, entities and the & of a keyboard mnemonic stay as they are.
_KEEP = re.compile(r"(%\d+|%n|\{[^}]*\}|<[^>]*>|&\w+;|&&|&)")


def pseudo(text: str) -> str:
    """Accented, 40 % longer and bracketed: shows untranslated and cut-off text at a glance."""
    if not text:
        return text
    parts = _KEEP.split(text)
    out = []
    for i, part in enumerate(parts):
        out.append(part if i % 2 else part.translate(_PSEUDO_MAP))
    body = "".join(out)
    letters = sum(ch.isalpha() for ch in text)
    return f"⟦{body}{'~' * max(1, (letters * 2) // 5)}⟧"


class PseudoTranslator(QTranslator):
    """Translates every text into pseudo-language (for the pseudo-localisation check)."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return pseudo(source)

    def isEmpty(self) -> bool:
        return False


class Languages:
    """Installs the translator of the chosen language into the application."""

    def __init__(self) -> None:
        self._translators: list[QTranslator] = []
        self.current = "en"

    def apply(self, lang: str | None) -> str:
        """Switch to ``lang`` (None: the system's); widgets hear ``LanguageChange``."""
        app = QCoreApplication.instance()
        assert app is not None
        if lang not in (*LANGUAGES, PSEUDO):
            lang = i18n.system_language()
        self.current = lang
        i18n.set_language("en" if lang == PSEUDO else lang)  # before the pages retranslate
        for old in self._translators:
            app.removeTranslator(old)
        self._translators = []
        if lang == PSEUDO:
            self._translators.append(PseudoTranslator())
        elif lang != "en":
            # Qt's own texts (standard buttons, file dialogs, context menus), then ours.
            qt = QTranslator()
            if qt.load(
                f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            ):
                self._translators.append(qt)
            ours = QTranslator()
            qm = compile_translation(lang)
            if qm is not None and ours.load(str(qm)):
                self._translators.append(ours)
        for translator in self._translators:
            app.installTranslator(translator)
        # Qt posts LanguageChange; deliver it now, so the switch is done when this returns.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        QLocale.setDefault(
            QLocale(QLocale.Language.Russian if lang == "ru" else QLocale.Language.English)
        )
        return lang
