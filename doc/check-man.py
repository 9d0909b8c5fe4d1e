#!/usr/bin/env python3
"""Usage: check-man.py PRIMEBRIDGE PRIMEBRIDGECTL EXAMPLE_CONF primebridge.1.scd primebridgectl.1.scd

Keeps the man pages from falling behind the programs: every option in
`primebridge --help`, every command and option in `primebridgectl --help`, and
every [section] key of the example configuration must be documented (as *bold*
in the page, keys under their own ## [section]).
"""
import re
import subprocess
import sys


def help_text(program):
    return subprocess.run([program, '--help'], check=True, capture_output=True,
                          text=True).stdout


def options(text):
    return set(re.findall(r'(?<![\w-])(--?[a-z][a-z-]*)', text)) - {'--'}


def main():
    pb, ctl, conf, pb_page, ctl_page = sys.argv[1:]
    pb_scd, ctl_scd = open(pb_page).read(), open(ctl_page).read()
    missing = []
    for opt in sorted(options(help_text(pb))):
        if f'*{opt}*' not in pb_scd:
            missing.append(f'{pb_page}: option {opt}')
    ctl_help = help_text(ctl)
    commands = re.findall(r'^  ([a-z][a-z-]+)', ctl_help.split('Commands:')[1], re.M)
    for word in sorted(options(ctl_help) | set(commands)):
        if f'*{word}*' not in ctl_scd:
            missing.append(f'{ctl_page}: {word}')
    # Each page section "## [name]" up to the next heading holds that section's keys.
    sections = dict(re.findall(r'^## \[([a-z]+)\]\n(.*?)(?=^#)', pb_scd, re.M | re.S))
    section = None
    for line in open(conf):
        if m := re.match(r'\[([a-z]+)\]', line):
            section = m[1]
        elif m := re.match(r'([a-z-]+)\s*=', line):
            if f'*{m[1]}* =' not in sections.get(section, ''):
                missing.append(f'{pb_page}: [{section}] {m[1]}')
    for item in missing:
        print(f'undocumented: {item}')
    print(f'{len(missing)} undocumented' if missing else 'man pages cover every option, command and key')
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
