"""Translation of the core's user-facing text, without Qt.

The core speaks English; a catalogue per language (``wizard/locale/<lang>.json``) maps the
English text to its translation. The GUI uses Qt's own system for its widgets and switches
this module to the same language, so the core's messages follow the interface.
"""

from __future__ import annotations

import json
import locale
import os
from functools import cache
from importlib import resources

SUPPORTED = ("en", "ru")
_current: str | None = None


def system_language() -> str:
    """The interface language the environment asks for, if we ship it; else English."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        for part in value.split(":"):
            code = part.split("_")[0].split(".")[0].lower()
            if code in SUPPORTED:
                return code
            if code and code not in ("c", "posix"):
                break
        if value:
            break
    try:
        code = (locale.getlocale()[0] or "").split("_")[0].lower()
    except ValueError:
        code = ""
    return code if code in SUPPORTED else "en"


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


def _(text: str, **fields: object) -> str:
    """Translate ``text`` into the current language, then fill its ``{fields}``."""
    translated = _catalogue(language()).get(text, text)
    return translated.format(**fields) if fields else translated


def localized(texts: dict[str, str]) -> str:
    """Pick the current language's entry from a ``{"en": …, "ru": …}`` mapping."""
    return texts.get(language()) or texts.get("en") or next(iter(texts.values()), "")
