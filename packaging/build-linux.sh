#!/usr/bin/env bash
# Builds MailWizard for Linux from a checkout, in one command:
#   dist/mailwizard_<version>_<arch>.deb              Debian/Ubuntu package
#   dist/mailwizard-<version>-linux-<machine>.tar.gz   the same program as a folder to unpack
#   dist/SHA256SUMS
# Usage: packaging/build-linux.sh
# Environment:
#   BUILD_PYTHON  a Python (3.11+) that already has the project's dependencies and PyInstaller
#                 (used as is: nothing is downloaded). Default: make build/venv with
#                 ${PYTHON:-python3} and install them there from PyPI.
#   MAINTAINER    the .deb's Maintainer field (default: a placeholder; set it for a release)
# Needs: dpkg-deb, objdump (binutils), ldd; desktop-file-validate and appstreamcli are run
# when installed. See packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$ROOT/build
DIST=$ROOT/dist
started=$(date +%s)
log() { printf '[build-linux %3ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }

for tool in dpkg-deb objdump ldd dpkg; do
  command -v "$tool" >/dev/null || { echo "build-linux: $tool is missing (apt-get install dpkg binutils)" >&2; exit 1; }
done

# --- 1. A Python with the dependencies and PyInstaller --------------------------------------
if [ -n "${BUILD_PYTHON:-}" ]; then
  PY=$BUILD_PYTHON
else
  PY=$BUILD/venv/bin/python
  if [ ! -x "$PY" ]; then
    log "creating build/venv"
    "${PYTHON:-python3}" -m venv "$BUILD/venv"
  fi
  "${PYTHON:-python3}" - > "$BUILD/requirements.txt" <<'PYEOF'
import tomllib
with open("pyproject.toml", "rb") as fh:
    print("\n".join(tomllib.load(fh)["project"]["dependencies"]))
print("pyinstaller>=6.10,<7")
PYEOF
  log "installing the dependencies and PyInstaller into build/venv"
  "$PY" -m pip install -q --disable-pip-version-check -r "$BUILD/requirements.txt"
fi
"$PY" -c "import PyInstaller, PySide6" 2>/dev/null \
  || { echo "build-linux: $PY lacks PyInstaller or PySide6" >&2; exit 1; }
VERSION=$("$PY" -c "import sys; sys.path.insert(0, '.'); import wizard; print(wizard.__version__)")
ARCH=$(dpkg --print-architecture)
MACHINE=$(uname -m)
log "MailWizard $VERSION for $ARCH with $("$PY" -m PyInstaller --version) ($PY)"

# --- 2. Compiled translations, then the one-folder bundle -----------------------------------
"$PY" tools/build_translations.py
rm -rf "$BUILD/pyinstaller"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$BUILD/pyinstaller/dist" --workpath "$BUILD/pyinstaller/work" \
  packaging/mailwizard.spec
BUNDLE=$BUILD/pyinstaller/dist/mailwizard
log "bundle: $(du -sh "$BUNDLE" | cut -f1)"
# The frozen program must run here before it is packed.
"$BUNDLE/mailwizard" --version
MAILWIZARD_SMOKE_TEST=1 QT_QPA_PLATFORM=offscreen "$BUNDLE/mailwizard" --lang en \
  | grep -q "mailwizard-smoke: page=0 visible=True" \
  || { echo "build-linux: the frozen GUI did not show its first page" >&2; exit 1; }

# --- 3. The .deb ------------------------------------------------------------------------------
ID=io.github.mailwizard.MailWizard
STAGE=$BUILD/deb/root
rm -rf "$BUILD/deb"
mkdir -p "$STAGE/DEBIAN" "$STAGE/usr/lib" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/metainfo" "$STAGE/usr/share/doc/mailwizard"
cp -a "$BUNDLE" "$STAGE/usr/lib/mailwizard"
ln -s ../lib/mailwizard/mailwizard "$STAGE/usr/bin/mailwizard"
install -m 644 packaging/linux/mailwizard.desktop "$STAGE/usr/share/applications/"
install -m 644 "packaging/linux/$ID.metainfo.xml" "$STAGE/usr/share/metainfo/"
"$PY" packaging/make_icons.py hicolor "$STAGE/usr/share/icons/hicolor"
cat LICENSE NOTICE > "$STAGE/usr/share/doc/mailwizard/copyright"
printf 'mailwizard (%s) unstable; urgency=medium\n\n  * Release %s; see the git history of MailWizard.\n\n -- %s  %s\n' \
  "$VERSION" "$VERSION" "${MAINTAINER:-MailWizard developers <mailwizard@invalid>}" \
  "$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")" \
  | gzip -9n > "$STAGE/usr/share/doc/mailwizard/changelog.gz"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$STAGE/usr/share/applications/mailwizard.desktop"
fi
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "$STAGE/usr/share/metainfo/$ID.metainfo.xml" >/dev/null
fi
grep -q "<release version=\"$VERSION\"" "packaging/linux/$ID.metainfo.xml" \
  || log "warning: the metainfo has no <release> for $VERSION"
find "$STAGE" -type d -exec chmod 755 {} +
# Libraries are loaded, not run: no execute bit (the two programs keep theirs).
find "$STAGE/usr/lib/mailwizard/_internal" -type f -name "*.so*" -exec chmod 644 {} +
DEPENDS=$("$PY" packaging/linux/debdeps.py "$BUNDLE")
INSTALLED_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@DEPENDS@/$DEPENDS/" \
    -e "s/@INSTALLED_SIZE@/$INSTALLED_KB/" \
    -e "s|@MAINTAINER@|${MAINTAINER:-MailWizard developers <mailwizard@invalid>}|" \
    packaging/linux/control.in > "$STAGE/DEBIAN/control"
mkdir -p "$DIST"
DEB=$DIST/mailwizard_${VERSION}_${ARCH}.deb
dpkg-deb --root-owner-group -Zxz -z6 --build "$STAGE" "$DEB" >/dev/null
log "$(basename "$DEB"): $(du -h "$DEB" | cut -f1); Depends: $DEPENDS"

# --- 4. The .tar.gz ---------------------------------------------------------------------------
TARDIR=$BUILD/tar/mailwizard-$VERSION
rm -rf "$BUILD/tar"
mkdir -p "$TARDIR"
cp -a "$BUNDLE/." "$TARDIR/"
install -m 644 packaging/linux/mailwizard.desktop packaging/linux/README-tarball.txt "$TARDIR/"
"$PY" packaging/make_icons.py hicolor "$TARDIR/icons"
TGZ=$DIST/mailwizard-$VERSION-linux-$MACHINE.tar.gz
tar -C "$BUILD/tar" --owner=0 --group=0 -czf "$TGZ" "mailwizard-$VERSION"
log "$(basename "$TGZ"): $(du -h "$TGZ" | cut -f1)"
(cd "$DIST" && sha256sum "$(basename "$DEB")" "$(basename "$TGZ")" > SHA256SUMS)
log "done: $DEB $TGZ"
