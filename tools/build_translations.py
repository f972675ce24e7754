"""Build the GUI's translations: Qt Linguist ``.ts`` → compiled ``.qm`` (pyside6-lrelease).

    python tools/build_translations.py            # compile resources/i18n/*.ts
    python tools/build_translations.py --update   # first re-extract the texts of wizard/gui

``--update`` runs pyside6-lupdate over ``wizard/gui`` so new texts appear in each ``.ts`` as
unfinished and texts no longer used are dropped; translate them in Qt Linguist
(``pyside6-linguist``). Compiling fails while any text is untranslated, so a release never
ships half a language. The program compiles a stale ``.qm`` itself when run from a source
checkout; packages must run this step at build time.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
SOURCES = ROOT / "wizard" / "gui"


def tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        sys.exit(f"{name} not found: install PySide6-Essentials")
    return found


def unfinished(ts: Path) -> list[str]:
    """Source texts of ``ts`` without a finished translation."""
    missing = []
    for message in ET.parse(ts).iter("message"):
        translation = message.find("translation")
        if translation is None or not (translation.text or "").strip() or \
                translation.get("type") in ("unfinished", "vanished", "obsolete"):
            missing.append(message.findtext("source") or "")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="re-extract texts first")
    args = parser.parse_args()
    sources = sorted(str(p) for p in SOURCES.rglob("*.py"))
    status = 0
    for ts in sorted(I18N.glob("mailwizard_*.ts")):
        if args.update:
            lang = ts.stem.split("_", 1)[1]
            subprocess.run([tool("pyside6-lupdate"), "-silent", "-no-obsolete",
                            "-source-language", "en", "-target-language", lang,
                            *sources, "-ts", str(ts)], check=True)
        missing = unfinished(ts)
        if missing:
            print(f"{ts.relative_to(ROOT)}: {len(missing)} texts to translate, e.g. "
                  f"{missing[0]!r}", file=sys.stderr)
            status = 1
            continue
        qm = ts.with_suffix(".qm")
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                       check=True)
        print(f"{qm.relative_to(ROOT)}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
