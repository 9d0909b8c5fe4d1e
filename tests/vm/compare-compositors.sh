#!/bin/sh
# Runs inside the pbvm guest: the same client (weston-simple-shm, a 250x250
# animation) for SECONDS under primebridge, weston 14 (drm backend, pixman),
# cage 0.2 and labwc 0.8 (both wlroots 0.18, pixman), one after the other. Screendumps
# NAME-start and NAME-end mark each phase in the host's trace; NAME-mid shows
# the client half-way.
# Usage: compare-compositors.sh PRIMEBRIDGE SECONDS
#        compare-compositors.sh --phase NAME SECONDS  (one phase, on $WAYLAND_DISPLAY)
set -u

phase() {
    pbvm-screendump "$1-start"
    timeout "$2" weston-simple-shm > /dev/null 2>&1 &
    client=$!
    sleep $(($2 / 2))
    pbvm-screendump "$1-mid"
    wait $client
    pbvm-screendump "$1-end"
    # Under primebridge, its own counters too.
    if [ -n "${PRIMEBRIDGECTL:-}" ]; then
        "$PRIMEBRIDGECTL" status --json > "/job/$1-status.json"
    fi
}

if [ "$1" = --phase ]; then
    phase "$2" "$3"
    exit
fi
self=$(readlink -f "$0")
primebridge=$1
seconds=$2
echo 0 > /sys/class/graphics/fbcon/cursor_blink

wait_socket() {
    i=0
    while [ ! -S "$1" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    [ -S "$1" ] || { echo "compare: no socket $1" >&2; return 1; }
}

# primebridge runs the phase as its command.
PRIMEBRIDGECTL=$(dirname "$primebridge")/../ctl/primebridgectl \
    "$primebridge" --allow-root -- "$self" --phase primebridge "$seconds" \
    > /job/primebridge.log 2>&1
grep -E "Copy path|Warning|frames presented" /job/primebridge.log

weston --backend=drm --renderer=pixman --idle-time=0 \
    --continue-without-input --socket=weston-cmp > /job/weston.log 2>&1 &
weston=$!
if wait_socket "$XDG_RUNTIME_DIR/weston-cmp"; then
    sleep 1
    WAYLAND_DISPLAY=weston-cmp phase weston "$seconds"
fi
kill $weston
wait $weston

# cage and labwc refuse root or are meant for a user: run them as nobody, in
# the seat's group (video). Each runs the client itself and ends after it.
rt=/tmp/peer-runtime
mkdir -p $rt && chown 65534:65534 $rt && chmod 700 $rt
as_nobody() {
    XDG_RUNTIME_DIR=$rt HOME=$rt WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
        setpriv --reuid=65534 --regid=65534 --groups=44 -- "$@"
}
wlroots_phase() {
    name=$1
    shift
    pbvm-screendump "$name-start"
    (sleep $((seconds / 2)); pbvm-screendump "$name-mid") &
    mid=$!
    # A peer that does not end with its client is ended: reported, not waited for.
    as_nobody timeout $((seconds + 20)) "$@" > "/job/$name.log" 2>&1
    wait $mid
    pbvm-screendump "$name-end"
}
wlroots_phase cage cage -- timeout "$seconds" weston-simple-shm
# labwc splits -s into words itself (no shell) and outlives its command.
wlroots_phase labwc labwc -s "sh -c 'timeout $seconds weston-simple-shm; labwc --exit'"
echo "compare: done"
