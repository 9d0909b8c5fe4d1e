#!/usr/bin/env python3
"""Usage: check-installed.py MESON BUILD_DIR INSTALL_PATH...

Checks that `meson install` would install each INSTALL_PATH, from what
`meson introspect --installed` reports (source -> installed path). Nothing is
installed: running `meson install` from a test of the same build directory
would contend for its build lock.
"""
import json
import subprocess
import sys


def main():
    meson, build_dir, *expected = sys.argv[1:]
    out = subprocess.run([meson, 'introspect', '--installed', build_dir],
                         check=True, capture_output=True, text=True).stdout
    installed = {dest: src for src, dest in json.loads(out).items()}
    missing = [path for path in expected if path not in installed]
    for path in expected:
        print(f'{"ok" if path in installed else "MISSING"}: {path}'
              + (f' (from {installed[path]})' if path in installed else ''))
    if missing:
        print(f'{len(missing)} of {len(expected)} files would not be installed; '
              f'installed: {sorted(installed)}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
