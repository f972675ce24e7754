"""Every text of the core is translated, and translations keep their placeholders."""

from __future__ import annotations

import json
import re
import string
import sys
from pathlib import Path

import pytest

from wizard import i18n

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import extract_messages  # noqa: E402

CATALOGUE = json.loads((ROOT / "wizard" / "locale" / "ru.json").read_text("utf-8"))


# Product names, the same in every language.
NAMES = ("Exchange Autodiscover", "Outlook")


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_text_has_a_russian_translation():
    used = extract_messages.messages()
    missing = sorted(set(used) - set(CATALOGUE))
    blank = sorted(k for k in used if not CATALOGUE.get(k))
    stale = sorted(set(CATALOGUE) - set(used))
    hint = "run: python tools/extract_messages.py --update ru, then translate"
    assert not missing, f"not in ru.json ({hint}): {missing[:5]}"
    assert not blank, f"untranslated ({hint}): {blank[:5]}"
    assert not stale, f"no longer used ({hint}): {stale[:5]}"


@pytest.mark.parametrize("english", sorted(CATALOGUE))
def test_translation_keeps_placeholders_and_is_russian(english):
    russian = CATALOGUE[english]
    assert fields(russian) == fields(english)
    letters = re.sub(r"\{[^}]*\}|[^A-Za-zА-Яа-яЁё]", "", russian)
    words = re.sub(r"\{[^}]*\}", "", english)
    if re.search(r"[a-z]{4,}", words) and not re.fullmatch(r"[A-Z0-9/ ]+", words):
        # Names such as "SSL/TLS" stay as they are; sentences must be in Russian.
        assert re.search("[А-Яа-яЁё]", letters) or english in NAMES, russian


def test_language_follows_the_environment(monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert i18n.system_language() == "ru"
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert i18n.system_language() == "en"  # LC_ALL wins; German is not shipped
    monkeypatch.setenv("LANGUAGE", "uk:ru:en")
    assert i18n.system_language() == "ru"  # the first shipped preference
    monkeypatch.setenv("LC_ALL", "C")
    assert i18n.system_language() == "en"  # LANGUAGE is ignored in the C locale


def test_translation_switches_and_fills_fields():
    try:
        i18n.set_language("ru")
        assert i18n._("messages up to {n} MB", n=30) == "письма до 30 МБ"
        assert i18n.localized({"en": "Hello", "ru": "Привет"}) == "Привет"
        i18n.set_language("en")
        assert i18n._("messages up to {n} MB", n=30) == "messages up to 30 MB"
        assert i18n.localized({"en": "Hello"}) == "Hello"
    finally:
        i18n.set_language("en")
