"""Photograph every page of the wizard in English and Russian.

    .venv/bin/python tools/screenshots.py [--out test-artifacts/screenshots] [--lang en ru]

The pages are filled by the scripted core of the GUI tests (``tests/gui/fakes.py``), so
the pictures show every state worth reviewing (the insecure-source warning, a certificate
decision, the transcript, the summary) without any network. Runs without a display (Qt's
offscreen platform renders real fonts).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "screenshots")
    parser.add_argument("--lang", nargs="+", default=["en", "ru"],
                        choices=["en", "ru", "pseudo"])
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtWidgets import QApplication

    from tests.gui.scenes import make_window, walk

    app = QApplication.instance() or QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in args.lang:
        with tempfile.TemporaryDirectory() as tmp:
            window, services = make_window(Path(tmp), lang)
            try:
                for name, widget in walk(window, services, Path(tmp)):
                    path = args.out / f"{lang}-{name}.png"
                    if not widget.grab().save(str(path)):
                        print(f"could not write {path}", file=sys.stderr)
                        return 1
                    written.append(path)
            finally:
                window.runner.cancel_all()
                window.runner.join_all(10)
                window.close()
                window.deleteLater()
                app.processEvents()
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
