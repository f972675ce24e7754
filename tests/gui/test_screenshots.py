"""tools/screenshots.py writes a picture of every page in both languages (kept by CI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
SCENES = ("1-account-problems", "1-account", "2-discovery",
          "3-settings-warning", "3-settings-manual",
          "4-verify-certificate", "4-verify-transcript", "4-verify-ok", "5-save", "6-done")


def test_screenshots_of_every_page_in_both_languages(tmp_path: Path) -> None:
    artifacts = ROOT / "test-artifacts"
    out = artifacts / "screenshots" if os.access(ROOT, os.W_OK) else tmp_path
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "screenshots.py"),
                           "--out", str(out)], capture_output=True, text=True, timeout=300,
                          env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    for lang in ("en", "ru"):
        for scene in SCENES:
            image = QImage(str(out / f"{lang}-{scene}.png"))
            assert not image.isNull(), f"{lang}-{scene}.png"
            assert image.width() >= 600 and image.height() >= 400
