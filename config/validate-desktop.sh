#!/bin/sh
# Usage: validate-desktop.sh FILE.desktop
# desktop-file-validate, with one exception: DesktopNames. Display managers
# (GDM, SDDM, LightDM) read it from wayland-sessions entries to set
# XDG_CURRENT_DESKTOP, but it is not in the Desktop Entry specification, so
# desktop-file-validate calls it an error. Any other message fails.
set -u
allowed='error: file contains key "DesktopNames" in group "Desktop Entry", but keys extending the format should start with "X-"'

out=$(desktop-file-validate "$1" 2>&1)
status=$?
rest=$(printf '%s\n' "$out" | grep -v -F -e "$allowed")
if [ -n "$rest" ] || { [ "$status" -ne 0 ] && [ "$out" = "$rest" ]; }; then
	printf '%s\n' "$out"
	echo "validate-desktop: $1 is not valid (desktop-file-validate exited $status)" >&2
	exit 1
fi
echo "validate-desktop: $1 valid (DesktopNames allowed)"
