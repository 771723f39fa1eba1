#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that po/POTFILES.in lists exactly the files with translatable strings.

xgettext reads only the files in POTFILES.in, so a source file that marks a
string with _() but is missing from the list ships untranslated without any
warning. This script fails when:

  * a file under src/ or data/ has translatable strings but is not listed
    (unless po/POTFILES.skip lists it);
  * a listed file does not exist;
  * the list is not sorted (LC_ALL=C order) or has duplicates.

Usage: check-potfiles.py [SOURCE_ROOT]   (default: the parent of build-aux/)
Only the standard library is used, so any python3 runs it.
"""

import os
import re
import sys

# Keywords of meson's 'glib' gettext preset plus the plain gettext calls.
C_KEYWORDS = re.compile(
    r'(?<![\w])(?:_|N_|C_|NC_|Q_|gettext|ngettext|dngettext|'
    r'g_dgettext|g_dngettext|g_dpgettext|g_dpgettext2|g_dcgettext)\s*\('
)
C_DEFINE = re.compile(r'^\s*#\s*define\b')
UI_TRANSLATABLE = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']', re.I)
DESKTOP_KEY = re.compile(r'^(?:Name|GenericName|Comment|Keywords)\s*=', re.M)
METAINFO_TAG = re.compile(r'<(?:name|summary|p|li|caption)\b(?![^>]*translate="no")')
GSCHEMA_TAG = re.compile(r'<(?:summary|description)\b')


def strip_c(text):
    """Blank out comments and string/char literals, keeping line breaks.

    Without this, a comment such as "call _() here" or a string containing
    "N_(" would count as a marked string.
    """
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:end]))
            i = end
        elif text.startswith('//', i):
            end = text.find('\n', i)
            end = n if end < 0 else end
            out.append(' ' * (end - i))
            i = end
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            if j < n and text[j] == c:
                j += 1
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def c_has_strings(text):
    for line in strip_c(text).splitlines():
        if C_DEFINE.match(line):
            continue
        if C_KEYWORDS.search(line):
            return True
    return False


def data_kind(name):
    """Which checker applies to a data file, or None if it is not translatable."""
    for suffix in ('.in.in', '.in'):
        if name.endswith(suffix):
            name = name[:-len(suffix)]
            break
    if name.endswith('.desktop'):
        return 'desktop'
    if name.endswith('.metainfo.xml') or name.endswith('.appdata.xml'):
        return 'metainfo'
    if name.endswith('.gschema.xml'):
        return 'gschema'
    if name.endswith('.ui'):
        return 'ui'
    return None


def has_strings(path):
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        print(f'warning: cannot read {path}: {e}', file=sys.stderr)
        return False

    if name.endswith('.c') or name.endswith('.h'):
        return c_has_strings(text)

    kind = data_kind(name)
    if kind == 'ui':
        return bool(UI_TRANSLATABLE.search(text))
    if kind == 'desktop':
        return bool(DESKTOP_KEY.search(text))
    if kind == 'metainfo':
        return bool(METAINFO_TAG.search(text))
    if kind == 'gschema':
        return bool(GSCHEMA_TAG.search(text))
    return False


def candidates(root):
    """Relative paths of the files that may hold translatable strings."""
    found = []
    for top in ('src', 'data'):
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
            for name in filenames:
                if top == 'src' and not name.endswith(('.c', '.h', '.ui')):
                    continue
                if top == 'data' and data_kind(name) is None:
                    continue
                path = os.path.join(dirpath, name)
                found.append(os.path.relpath(path, root).replace(os.sep, '/'))
    return sorted(found)


def read_list(path):
    """Entries of a POTFILES-style list, in file order, with line numbers."""
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            # intltool-style "[type: gettext/glade] file" prefixes
            line = re.sub(r'^\[[^]]*\]\s*', '', line)
            entries.append((lineno, line))
    return entries


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    potfiles_path = os.path.join(root, 'po', 'POTFILES.in')
    if not os.path.exists(potfiles_path):
        print(f'error: {potfiles_path} does not exist')
        return 1

    listed = read_list(potfiles_path)
    skipped = {e for _, e in read_list(os.path.join(root, 'po', 'POTFILES.skip'))}
    listed_names = [e for _, e in listed]
    errors = []

    for lineno, entry in listed:
        if not os.path.isfile(os.path.join(root, entry)):
            errors.append(f'po/POTFILES.in:{lineno}: {entry} does not exist')

    seen = set()
    for lineno, entry in listed:
        if entry in seen:
            errors.append(f'po/POTFILES.in:{lineno}: {entry} is listed twice')
        seen.add(entry)

    for (_, a), (lineno, b) in zip(listed, listed[1:]):
        if b < a:
            errors.append(f'po/POTFILES.in:{lineno}: {b} must come before {a} '
                          '(keep the list in LC_ALL=C sort order)')

    for path in candidates(root):
        if path in seen or path in skipped:
            continue
        if has_strings(os.path.join(root, path)):
            errors.append(f'{path} has translatable strings but is missing '
                          'from po/POTFILES.in')

    for entry in listed_names:
        full = os.path.join(root, entry)
        if os.path.isfile(full) and not has_strings(full):
            print(f'note: {entry} is listed but has no translatable strings')

    if errors:
        for e in errors:
            print(e)
        print(f'{len(errors)} problem(s) with po/POTFILES.in')
        return 1

    print(f'po/POTFILES.in lists all {len(listed)} files with translatable strings')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
