#!/bin/sh
# Usage: verify-units.sh NAME.service.verify...
# Runs `systemd-analyze verify` on user units, failing on any message: it
# exits 0 on unknown keys, unparsable values and bad URLs, printing only a
# warning.
set -u

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# The unit name is the file name, so each copy gets its installed name, alone
# in a directory: the installed-path units next to them in the build directory
# stay out of the check.
mkdir "$tmp/units"
for f in "$@"; do
	cp "$f" "$tmp/units/$(basename "$f" .verify)" || exit 1
done

# Our units are checked against systemd's own targets and slices only:
# other packages' user units (and their global enablement in /etc) are theirs
# to get right. Debian 13's foot-server.socket, enabled for
# graphical-session.target, is ordered after that target while its default
# dependencies put it before sockets.target: a cycle with any session unit
# ordered before graphical-session.target, which systemd breaks by dropping
# foot's socket. Seen here with systemd 257 and foot 1.21.
mkdir "$tmp/systemd"
for f in /usr/lib/systemd/user/*.target /usr/lib/systemd/user/*.slice; do
	[ -e "$f" ] && ln -s "$f" "$tmp/systemd/"
done

# --user needs a runtime directory even with no user manager running (a build
# container as root has none); private config and data directories keep the
# caller's own units and drop-ins out of the check. --man=no: the man pages
# are not installed yet.
mkdir -m 700 "$tmp/runtime"
out=$(cd "$tmp/units" && XDG_RUNTIME_DIR="$tmp/runtime" XDG_CONFIG_HOME="$tmp/config" \
	XDG_DATA_HOME="$tmp/data" SYSTEMD_UNIT_PATH="$tmp/units:$tmp/systemd" \
	systemd-analyze verify --user --man=no ./* 2>&1)
status=$?
if [ "$status" -ne 0 ] || [ -n "$out" ]; then
	printf '%s\n' "$out"
	echo "verify-units: systemd-analyze verify exited $status; each message above is a problem" >&2
	exit 1
fi
echo "verify-units: $# units verified, no messages"
