#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Install the build into a temporary DESTDIR and check that every file a
# desktop, a software center or gettext looks for lands where it looks.
#
# A file installed to the wrong folder (or under the wrong name for the
# .Devel profile) still builds and passes every other test; only a real
# install shows it.
#
# Usage: check-install.sh --meson MESON --build-root DIR --source-root DIR
#          --prefix DIR --bindir DIR --datadir DIR --localedir DIR
#          --app-id ID --schema-id ID --domain NAME --gui true|false
#          [--bin NAME]...
# Every directory is absolute (the configured prefix already joined in).

set -eu

meson=meson
build_root=
source_root=
prefix=
bindir=
datadir=
localedir=
app_id=
schema_id=
domain=
gui=false
bins=

while [ $# -gt 0 ]; do
  case "$1" in
    --meson) meson=$2 ;;
    --build-root) build_root=$2 ;;
    --source-root) source_root=$2 ;;
    --prefix) prefix=$2 ;;
    --bindir) bindir=$2 ;;
    --datadir) datadir=$2 ;;
    --localedir) localedir=$2 ;;
    --app-id) app_id=$2 ;;
    --schema-id) schema_id=$2 ;;
    --domain) domain=$2 ;;
    --gui) gui=$2 ;;
    --bin) bins="$bins $2" ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift 2
done

for v in build_root source_root prefix bindir datadir localedir app_id schema_id domain; do
  eval "val=\${$v}"
  if [ -z "$val" ]; then
    echo "missing --$(echo "$v" | tr _ -)" >&2
    exit 2
  fi
done

destdir=$(mktemp -d "${TMPDIR:-/tmp}/ferry-install.XXXXXX")
trap 'rm -rf "$destdir"' EXIT INT TERM

# `meson test` has already built everything; --no-rebuild keeps this test
# from starting a second ninja inside the one that runs the tests.
if ! log=$("$meson" install --no-rebuild --destdir "$destdir" -C "$build_root" 2>&1); then
  echo "$log"
  echo "FAIL: meson install failed"
  exit 1
fi

root="$destdir"
failures=0

pass () { echo "ok: $1"; }
fail () { echo "FAIL: $1"; failures=$((failures + 1)); }

expect_file () {
  if [ -f "$root$1" ]; then pass "$1"; else fail "$1 is not installed"; fi
}

expect_no_file () {
  if [ -e "$root$1" ]; then fail "$1 is installed but should not be"; else pass "no $1"; fi
}

for bin in $bins; do
  if [ -x "$root$bindir/$bin" ]; then
    pass "$bindir/$bin"
  else
    fail "$bindir/$bin is not installed as an executable"
  fi
done

# The message catalogs serve ferry-cli too, so they are installed in every build.
while read -r lang; do
  case "$lang" in ''|'#'*) continue ;; esac
  expect_file "$localedir/$lang/LC_MESSAGES/$domain.mo"
done < "$source_root/po/LINGUAS"

desktop="$datadir/applications/$app_id.desktop"
metainfo="$datadir/metainfo/$app_id.metainfo.xml"
schema="$datadir/glib-2.0/schemas/$schema_id.gschema.xml"
icon="$datadir/icons/hicolor/scalable/apps/$app_id.svg"
symbolic="$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"

if [ "$gui" = true ]; then
  for f in "$desktop" "$metainfo" "$schema" "$icon" "$symbolic"; do
    expect_file "$f"
  done

  # The merge through po/ must have put the translations into the file.
  if [ -f "$root$desktop" ]; then
    for key in 'Name[zh_TW]' 'GenericName[zh_TW]' 'Comment[zh_TW]' 'Keywords[zh_TW]'; do
      if grep -qF "$key=" "$root$desktop"; then
        pass "$key in $app_id.desktop"
      else
        fail "$app_id.desktop has no $key: is zh_TW.po merged?"
      fi
    done
    if grep -q "^Icon=$app_id\$" "$root$desktop"; then
      pass "Icon=$app_id"
    else
      fail "$app_id.desktop does not use Icon=$app_id"
    fi
  fi
  if [ -f "$root$metainfo" ]; then
    if grep -q 'xml:lang="zh_TW"' "$root$metainfo"; then
      pass "zh_TW in $app_id.metainfo.xml"
    else
      fail "$app_id.metainfo.xml has no zh_TW translation"
    fi
  fi
else
  # Without the GTK application there is nothing to launch: a desktop entry
  # or a software-center listing would point at a missing binary.
  for f in "$desktop" "$metainfo" "$schema" "$icon" "$symbolic"; do
    expect_no_file "$f"
  done
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures install check(s) failed; installed files:"
  (cd "$destdir" && find . -type f | sort)
  exit 1
fi
echo "all install checks passed (prefix $prefix)"
