#!/usr/bin/env bash
# Builds MailWizard for macOS, on a Mac (the architecture of the Python used: arm64 or x86_64):
#   dist/MailWizard-<version>-macos-<arch>.dmg   a disk image: drag MailWizard.app to Applications
# Usage: packaging/build-macos.sh
# Needs: Xcode command-line tools (hdiutil, iconutil, codesign come with macOS) and a
# Python 3.11+ from python.org or Homebrew.
# Environment:
#   BUILD_PYTHON       a Python that already has the dependencies and PyInstaller
#   CODESIGN_IDENTITY  a "Developer ID Application: …" identity to sign with; default: ad-hoc
#                      signing, which runs on the Mac that built it, and elsewhere only after
#                      right-click > Open (see packaging/README.md for notarising).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$ROOT/build
DIST=$ROOT/dist
[ "$(uname -s)" = Darwin ] || { echo "build-macos: run this on macOS" >&2; exit 1; }

# --- 1. A Python with the dependencies and PyInstaller --------------------------------------
if [ -n "${BUILD_PYTHON:-}" ]; then
  PY=$BUILD_PYTHON
else
  PY=$BUILD/venv/bin/python
  [ -x "$PY" ] || "${PYTHON:-python3}" -m venv "$BUILD/venv"
  "$PY" - > "$BUILD/requirements.txt" <<'PYEOF'
import tomllib
with open("pyproject.toml", "rb") as fh:
    print("\n".join(tomllib.load(fh)["project"]["dependencies"]))
print("pyinstaller>=6.10,<7")
PYEOF
  "$PY" -m pip install -q --disable-pip-version-check -r "$BUILD/requirements.txt"
fi
VERSION=$("$PY" -c "import sys; sys.path.insert(0, '.'); import wizard; print(wizard.__version__)")
ARCH=$("$PY" -c "import platform; print(platform.machine())")
echo "MailWizard $VERSION for macOS $ARCH with $PY"

# --- 2. Translations, icon, the .app --------------------------------------------------------
"$PY" tools/build_translations.py
rm -rf "$BUILD/icons/mailwizard.iconset" "$BUILD/pyinstaller"
"$PY" packaging/make_icons.py iconset "$BUILD/icons/mailwizard.iconset"
iconutil -c icns -o "$BUILD/icons/mailwizard.icns" "$BUILD/icons/mailwizard.iconset"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$BUILD/pyinstaller/dist" --workpath "$BUILD/pyinstaller/work" \
  packaging/mailwizard.spec
APP=$BUILD/pyinstaller/dist/MailWizard.app
[ -d "$APP" ] || { echo "build-macos: $APP was not made" >&2; exit 1; }
echo "app: $(du -sh "$APP" | cut -f1)"
if [ "${CODESIGN_IDENTITY:--}" = "-" ]; then
  codesign --force --deep --sign - "$APP"           # ad-hoc: enough to start on this Mac
else                                                # Developer ID: hardened runtime, notarisable
  codesign --force --deep --options runtime --timestamp \
    --entitlements packaging/macos/entitlements.plist --sign "$CODESIGN_IDENTITY" "$APP"
fi
codesign --verify --deep --strict "$APP"

# --- 3. Smoke test of the frozen program ----------------------------------------------------
"$APP/Contents/MacOS/mailwizard" --version
"$APP/Contents/MacOS/mailwizard" detect alice@yandex.ru --offline --json | grep -q '"source": "builtin"'
MAILWIZARD_SMOKE_TEST=1 QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/mailwizard" --lang en \
  | grep -q "mailwizard-smoke: page=0 visible=True" \
  || { echo "build-macos: the frozen GUI did not show its first page" >&2; exit 1; }

# --- 4. The disk image: the app and a link to /Applications to drag it onto -----------------
STAGE=$BUILD/dmg
rm -rf "$STAGE"
mkdir -p "$STAGE" "$DIST"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG=$DIST/MailWizard-$VERSION-macos-$ARCH.dmg
rm -f "$DMG"
hdiutil create -volname "MailWizard $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO \
  -imagekey zlib-level=9 -ov "$DMG"
hdiutil verify "$DMG"
if [ "${CODESIGN_IDENTITY:--}" != "-" ]; then
  codesign --sign "$CODESIGN_IDENTITY" --timestamp "$DMG"
fi
echo "done: $DMG ($(du -h "$DMG" | cut -f1))"
