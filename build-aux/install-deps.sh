#!/bin/sh
# Installs with apt-get whatever of Ferry's build and test dependencies is
# missing (Debian 12 or Ubuntu).  Sourced-free: run it, or let the two
# README commands run it for you.
set -eu

packages="
  meson ninja-build gcc pkg-config gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  python3 python3-pyftpdlib vsftpd
  xvfb xauth
  desktop-file-utils appstream
"
if [ "${FERRY_BENCH:-}" = 1 ]; then
  packages="$packages curl lftp socat time"
fi

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

# flatpak-builder is optional: with it the manifest test also runs
# `flatpak-builder --show-manifest`.
if ! command -v flatpak-builder >/dev/null 2>&1; then
  if apt-cache show flatpak-builder >/dev/null 2>&1; then
    missing="$missing flatpak-builder"
  fi
fi

[ -z "$missing" ] && exit 0

echo "Installing:$missing"
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
