#!/usr/bin/env bash
# Installs the Debian packages MailWizard needs: `run` (what the program needs to open its
# window) or `test` (that plus the servers and tools of the simulated internet).
# Installs only what is missing, so a second run costs a second.
set -euo pipefail

RUN_PACKAGES=(
  python3 python3-venv python3-pip
  # Qt 6's xcb platform plugin (without them: "Could not load the Qt platform plugin xcb")
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1
  libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  # a system keyring for the passwords
  gnome-keyring dbus
)
TEST_PACKAGES=(
  "${RUN_PACKAGES[@]}"
  iproute2 util-linux openssl ca-certificates dbus-x11 binutils desktop-file-utils appstream libwayland-cursor0 libwayland-egl1 xvfb
  dnsmasq nginx postfix dovecot-imapd dovecot-pop3d dovecot-lmtpd
  libnss3-tools swaks libnet-ssleay-perl libio-socket-ssl-perl libauthen-sasl-perl
  msmtp zbar-tools php-cli thunderbird neomutt aerc isync
)

case "${1:-}" in
  run) wanted=("${RUN_PACKAGES[@]}") ;;
  test) wanted=("${TEST_PACKAGES[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || {
    echo "Missing Debian packages: ${missing[*]}. Install them as root." >&2; exit 1; }
  SUDO=(sudo)
fi
echo "Installing Debian packages: ${missing[*]}" >&2
"${SUDO[@]}" apt-get update -qq
# postfix asks which kind of mail server to set up; the tests configure their own.
echo "postfix postfix/main_mailer_type select No configuration" \
  | "${SUDO[@]}" debconf-set-selections
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends "${missing[@]}" >/dev/null
# Packages that start services on install must not leave them running for the tests.
for svc in dnsmasq nginx postfix dovecot; do
  "${SUDO[@]}" systemctl disable --now "$svc" >/dev/null 2>&1 || true
done
