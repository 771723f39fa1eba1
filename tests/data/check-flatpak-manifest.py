#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifests in flatpak/ against Ferry's sandbox rules.

Usage: check-flatpak-manifest.py MANIFEST EXPECTED_APP_ID [EXTRA_CONFIG_OPT...]

Ferry reaches files through portals (file chooser, drag and drop through the
document portal), so the manifest must not ask for the home folder or the
host. If flatpak-builder is installed, it also parses the manifest, which
catches misspelt properties that plain JSON parsing cannot see.
"""

import json
import os
import re
import shutil
import subprocess
import sys

REQUIRED_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
]

# Anything that would bypass the portals or the display-server isolation.
FORBIDDEN = [
    (re.compile(r'^--filesystem=(home|~)/?(:(ro|rw|create))?$'), 'access to the home folder'),
    (re.compile(r'^--filesystem=host'), 'access to the host file system'),
    (re.compile(r'^--device=all$'), 'access to all devices'),
    (re.compile(r'^--socket=x11$'), 'plain X11 (use --socket=fallback-x11)'),
    (re.compile(r'^--talk-name=org\.freedesktop\.Flatpak$'), 'escaping the sandbox'),
]

MIN_RUNTIME = 43  # GNOME 43 = Debian 12, the API the version macros pin


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    path, app_id, extra_opts = argv[1], argv[2], argv[3:]
    errors = []

    def check(cond, msg):
        if not cond:
            errors.append(msg)

    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f'{path}: cannot parse: {e}')
        return 1

    check(not ('id' in manifest and 'app-id' in manifest),
          'use either "id" or "app-id", not both')
    got_id = manifest.get('id', manifest.get('app-id'))
    check(got_id == app_id, f'app id is {got_id!r}, expected {app_id!r}')

    check(manifest.get('runtime') == 'org.gnome.Platform',
          f'runtime is {manifest.get("runtime")!r}, expected org.gnome.Platform')
    version = str(manifest.get('runtime-version', ''))
    check(version.isdigit() and int(version) >= MIN_RUNTIME,
          f'runtime-version {version!r} is not a GNOME release >= {MIN_RUNTIME}')
    check(manifest.get('sdk') == 'org.gnome.Sdk',
          f'sdk is {manifest.get("sdk")!r}, expected org.gnome.Sdk')
    check(manifest.get('command') == 'ferry',
          f'command is {manifest.get("command")!r}, expected ferry')

    finish_args = manifest.get('finish-args', [])
    for arg in REQUIRED_ARGS:
        check(arg in finish_args, f'finish-args lacks {arg}')
    for arg in finish_args:
        for pattern, why in FORBIDDEN:
            check(not pattern.search(arg), f'finish-args has {arg}: {why}')
    check(len(finish_args) == len(set(finish_args)), 'finish-args has duplicates')

    modules = manifest.get('modules', [])
    ferry = [m for m in modules if isinstance(m, dict) and m.get('name') == 'ferry']
    check(len(ferry) == 1, 'expected exactly one module named "ferry"')
    if ferry:
        module = ferry[0]
        check(module is modules[-1], 'the ferry module must be built last')
        check(module.get('buildsystem') == 'meson', 'the ferry module must use meson')
        check(module.get('builddir') is True, 'the ferry module must set "builddir": true')
        opts = module.get('config-opts', [])
        for opt in ['-Dgui=enabled'] + extra_opts:
            check(opt in opts, f'config-opts lacks {opt}')
        check(any(s.get('type') == 'dir' and s.get('path') == '..'
                  for s in module.get('sources', [])),
              'the ferry module must build the checkout ({"type": "dir", "path": ".."})')

    builder = shutil.which('flatpak-builder')
    if builder is None:
        print('flatpak-builder not found: skipping --show-manifest')
    else:
        proc = subprocess.run([builder, '--show-manifest', os.path.abspath(path)],
                              capture_output=True, text=True)
        check(proc.returncode == 0,
              f'flatpak-builder --show-manifest failed: {proc.stderr.strip()}')
        # Unknown properties are only a warning to flatpak-builder, but they
        # are silently ignored, which is never what the author meant.
        for line in proc.stderr.splitlines():
            check('Unknown property' not in line, f'flatpak-builder: {line.strip()}')
        if proc.returncode == 0:
            print(f'flatpak-builder --show-manifest parsed {os.path.basename(path)}')

    if errors:
        for e in errors:
            print(f'{path}: {e}')
        return 1
    print(f'{path}: OK')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
