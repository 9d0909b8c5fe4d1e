#!/bin/sh
# Usage: test-session.sh PATH/TO/primebridge-session
# Runs the session script against stand-ins for systemctl,
# dbus-update-activation-environment and primebridge that log
# their arguments and environment: with a user manager, without one, and with
# a command line (which bypasses the unit).
set -u
session=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cat > "$tmp/bin/systemctl" <<'STUB'
#!/bin/sh
[ "$*" = "--user show-environment" ] && exit "$FAKE_MANAGER_STATUS"
echo "systemctl $* $XDG_CURRENT_DESKTOP $XDG_SESSION_DESKTOP $XDG_SESSION_TYPE" >> "$LOG"
STUB
cat > "$tmp/bin/primebridge" <<'STUB'
#!/bin/sh
echo "primebridge $* $XDG_CURRENT_DESKTOP $XDG_SESSION_DESKTOP $XDG_SESSION_TYPE" >> "$LOG"
STUB
cat > "$tmp/bin/dbus-update-activation-environment" <<'STUB'
#!/bin/sh
echo "dbus-update-activation-environment $*" >> "$LOG"
STUB
chmod +x "$tmp/bin/systemctl" "$tmp/bin/primebridge" "$tmp/bin/dbus-update-activation-environment"

fail=0
check() { # name, manager status, expected log, session arguments...
	name=$1 status=$2 want=$3
	shift 3
	: > "$tmp/log"
	# Only the stand-ins on PATH (the script needs nothing else), so the real
	# user manager and bus are never touched.
	env -i PATH="$tmp/bin" LOG="$tmp/log" FAKE_MANAGER_STATUS="$status" \
		XDG_CURRENT_DESKTOP=other /bin/sh "$session" "$@"
	got=$(cat "$tmp/log")
	if [ "$got" = "$want" ]; then
		echo "ok: $name"
	else
		printf 'FAIL: %s\n--- expected\n%s\n--- got\n%s\n' "$name" "$want" "$got"
		fail=1
	fi
}
env_words='primebridge primebridge wayland'
vars='XDG_CURRENT_DESKTOP XDG_SESSION_DESKTOP XDG_SESSION_TYPE'
check "user manager: the unit" 0 "systemctl --user import-environment $vars $env_words
dbus-update-activation-environment $vars
systemctl --user start --wait primebridge.service $env_words"
check "no user manager: primebridge itself" 1 "primebridge  $env_words"
check "a command line: primebridge with it" 0 "primebridge -- foot -e top $env_words" -- foot -e top
exit $fail
