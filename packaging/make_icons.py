"""Render the program's icon for installers, from resources/icons (at build time).

    python packaging/make_icons.py hicolor DIR   # DIR/<n>x<n>/apps/mailwizard.png + scalable
    python packaging/make_icons.py ico FILE      # Windows .ico (16…256)
    python packaging/make_icons.py iconset DIR   # macOS DIR.iconset for iconutil → .icns

Sizes that resources/icons has as PNG are copied; the others are rendered from
mailwizard.svg with Qt (QtSvg of PySide6-Essentials), so no PNGs need to be committed.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "mailwizard.svg"
HICOLOR = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def png_bytes(size: int) -> bytes:
    """The icon as PNG of ``size`` by ``size`` pixels."""
    ready = ICONS / f"mailwizard-{size}.png"
    if ready.exists():
        return ready.read_bytes()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        sys.exit(f"cannot read {SVG}")
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def hicolor(out: Path) -> None:
    for size in HICOLOR:
        target = out / f"{size}x{size}" / "apps" / "mailwizard.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png_bytes(size))
    scalable = out / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable / "mailwizard.svg")


def ico(out: Path) -> None:
    """A .ico holding PNG images (Windows Vista and later read those)."""
    sizes = (16, 24, 32, 48, 64, 128, 256)
    images = [png_bytes(s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    for size, data in zip(sizes, images, strict=True):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(header + entries + b"".join(images))


def iconset(out: Path) -> None:
    """DIR.iconset in Apple's naming; ``iconutil -c icns`` turns it into .icns."""
    out.mkdir(parents=True, exist_ok=True)
    for size in (16, 32, 128, 256, 512):
        (out / f"icon_{size}x{size}.png").write_bytes(png_bytes(size))
        (out / f"icon_{size}x{size}@2x.png").write_bytes(png_bytes(size * 2))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("hicolor", "ico", "iconset"):
        sys.exit(__doc__)
    {"hicolor": hicolor, "ico": ico, "iconset": iconset}[sys.argv[1]](Path(sys.argv[2]))
