#!/usr/bin/python3
"""Runs inside the pbvm guest as primebridge's command (bench/soak.py): for
SECONDS, a client opens and closes every few seconds (an animated window, a
terminal, weston-simple-shm, in turn), and every INTERVAL seconds the
compositor's resident memory, open file descriptors and the display
device's framebuffers (the kernel's debugfs) are sampled into /job/soak.json.

Usage: guest_soak.py BUILD SECONDS INTERVAL
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

CLIENT_SECONDS = 2  # each client's life
GAP_SECONDS = 1  # between one client's end and the next one's start


def clients(build):
    client = f"{build}/tests/clients/pb-test-client"
    return [
        [client, "animate", "300", "200", str(CLIENT_SECONDS)],
        ["timeout", str(CLIENT_SECONDS), "foot", "sh"],
        ["timeout", str(CLIENT_SECONDS), "weston-simple-shm"],
        [client, "pattern", "200", "150", "sleep 0.5", "true"],
    ]


def sample(pid, start):
    rss = next(int(line.split()[1]) for line in
               Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("VmRSS:"))
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    # One "framebuffer[ID]:" block per framebuffer the device holds.
    fbs = Path("/sys/kernel/debug/dri/0/framebuffer").read_text().count("framebuffer[")
    return {"seconds": round(time.monotonic() - start, 1), "rss_kib": rss, "fds": fds,
            "framebuffers": fbs}


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    build, seconds, interval = argv[1], float(argv[2]), float(argv[3])
    pid = os.getppid()  # primebridge runs this script as its command
    start = time.monotonic()
    samples, opened, failures = [sample(pid, start)], 0, []
    next_sample = start + interval
    roster = clients(build)
    while time.monotonic() - start < seconds:
        argv_ = roster[opened % len(roster)]
        proc = subprocess.Popen(argv_, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=CLIENT_SECONDS + 30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, err = proc.communicate()
        # timeout(1) ends foot and simple-shm with 124: their planned end.
        if proc.returncode not in (0, 124):
            failures.append(f"{argv_[0] if argv_[0] != 'timeout' else argv_[2]}: "
                            f"status {proc.returncode}: {err.decode(errors='replace')[-300:]}")
        opened += 1
        time.sleep(GAP_SECONDS)
        if time.monotonic() >= next_sample:
            samples.append(sample(pid, start))
            next_sample += interval
    samples.append(sample(pid, start))
    Path("/job/soak.json").write_text(json.dumps(
        {"samples": samples, "clients_opened": opened, "failures": failures}))
    print(f"soak: {opened} clients in {time.monotonic() - start:.0f} s, "
          f"{len(failures)} failed", flush=True)


if __name__ == "__main__":
    main(sys.argv)
