"""Translation of the core's user-facing text, without Qt.

The core speaks English; a catalogue per language (``wizard/locale/<lang>.json``) maps the
English text to its translation. The GUI uses Qt's own system for its widgets and switches
this module to the same language, so the core's messages follow the interface.
"""

from __future__ import annotations

import json
import locale
import os
from collections.abc import Mapping
from functools import cache
from importlib import resources

SUPPORTED = ("en", "ru")
_current: str | None = None


def system_language() -> str:
    """The interface language the environment asks for, if we ship it; else English.

    As gettext does, ``LANGUAGE`` is a list of preferences (the first one shipped wins)
    and is honoured only when a locale is set; ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``
    name one locale each, the first one set deciding.
    """

    def code(value: str) -> str:
        return value.split("_")[0].split(".")[0].split("@")[0].lower()

    chosen = ""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            chosen = code(os.environ[var])
            break
    if chosen not in ("", "c", "posix"):
        for preference in os.environ.get("LANGUAGE", "").split(":"):
            if code(preference) in SUPPORTED:
                return code(preference)
    if chosen in SUPPORTED:
        return chosen
    if chosen:
        return "en"
    try:
        chosen = code(locale.getlocale()[0] or "")
    except ValueError:
        chosen = ""
    return chosen if chosen in SUPPORTED else "en"


def set_language(lang: str | None) -> str:
    """Choose the language of the core's messages; None means the system's."""
    global _current
    _current = lang if lang in SUPPORTED else system_language()
    return _current


def language() -> str:
    """The language in use."""
    return _current or set_language(None)


@cache
def _catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    try:
        data = resources.files("wizard").joinpath("locale", f"{lang}.json").read_text("utf-8")
        catalogue: dict[str, str] = json.loads(data)
    except (OSError, ValueError):
        return {}  # a damaged installation still speaks English rather than fail
    return catalogue


def _(text: str, /, **fields: object) -> str:
    """Translate ``text`` into the current language, then fill its ``{fields}``.

    ``text`` is positional-only, so a field may be called ``text`` too.
    """
    translated = _catalogue(language()).get(text, text)
    return translated.format(**fields) if fields else translated


def N_(text: str) -> str:
    """Mark ``text`` for translation where it is defined; ``_()`` translates it when shown."""
    return text


def localized(texts: Mapping[str, str]) -> str:
    """Pick the current language's entry from a ``{"en": …, "ru": …}`` mapping."""
    return texts.get(language()) or texts.get("en") or next(iter(texts.values()), "")
