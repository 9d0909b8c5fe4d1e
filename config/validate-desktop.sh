#!/bin/sh
# Usage: validate-desktop.sh FILE.desktop
# desktop-file-validate, strict: a warning or hint (printed, exit 0) fails too.
# (No DesktopNames= in the entry: desktop-file-validate calls it an error;
# primebridge-session sets XDG_CURRENT_DESKTOP itself.)
set -u
out=$(desktop-file-validate "$1" 2>&1)
status=$?
if [ "$status" -ne 0 ] || [ -n "$out" ]; then
	printf '%s\n' "$out"
	echo "validate-desktop: $1 is not valid (desktop-file-validate exited $status)" >&2
	exit 1
fi
echo "validate-desktop: $1 valid"
