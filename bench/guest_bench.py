#!/usr/bin/python3
"""Runs inside the pbvm guest: each compositor, one after the other, with the
same workloads. The host side (run_bench.py) reads what the host saw.

For every compositor and workload: the compositor starts afresh, the
workload's clients start, SETTLE seconds pass, then the screendump
COMP.WORKLOAD-start marks the start of the measured interval in the host's
trace and COMP.WORKLOAD-end its end, SECONDS later. Meanwhile this script
records the compositor's CPU time and peak RSS, where the clients'
WAYLAND_DEBUG log stood at each mark (the damage they asked for lies between),
and CLOCK_MONOTONIC around each mark. Each run's facts go to
/job/COMP.WORKLOAD.json; a latency client's record of its frames (commit and
presented times, pb-test-client latency) to /job/COMP.WORKLOAD.lat.

Before every run, while no compositor holds the display, and once at the
end, the screendump sync-N and pb-clock-sync tie the guest's clock to the
host's: /job/sync.json has, per tie, the guest's times around each update
it sent; the host finds those updates in its trace after the mark.

Usage: guest_bench.py BUILD SECONDS SETTLE COMPOSITOR[:WORKLOAD,...]...
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOBODY = 65534
VIDEO_GROUP = 44  # the seat's group: seatd runs with -g video
LOGS = Path("/tmp/bench")  # clients running as nobody cannot write /job
TYPING_RATE = 10  # characters per second
POINTER_RATE = 100  # motion events per second
CLK_TCK = os.sysconf("SC_CLK_TCK")
SYNC_UPDATES = 20  # updates per clock tie (pb-clock-sync)
CLIENT_START_SECONDS = 30  # for the traced client's first commit
COMMIT = re.compile(rb"-> wl_surface[@#]\d+\.commit\(")  # libwayland 1.22 | 1.23
LATENCY_WORKLOADS = ("animate-250", "fullscreen")  # their client records latency


class Failed(Exception):
    pass


def workload_clients(build, workload, seconds, latency_log=None):
    """(argv, traced) for each client of a workload. A traced one is a Wayland
    client whose damage counts; the others make input (uinput: as root).
    latency_log: where the client of a latency workload records its frames."""
    client = f"{build}/tests/clients/pb-test-client"
    pb_input = f"{build}/tests/clients/pb-input"
    # Long enough for the settling time and the interval; stopped afterwards.
    hold = str(seconds + 60)
    # sh, not the user's login shell: nobody's (cage, sway) is nologin.
    terminal = ["foot", "sh"]
    if workload == "idle-terminal":
        return [(terminal, True)]
    if workload == "typing":
        return [(terminal, True), ([pb_input, "type", hold, str(TYPING_RATE)], False)]
    if workload == "simple-shm-250":
        return [(["weston-simple-shm"], True)]
    if workload == "animate-250":
        # Like weston-simple-shm (a 250x250 window repainted every frame), with
        # presentation feedback for every frame.
        return [([client, "latency", "250", "250", hold, str(latency_log)], True)]
    if workload == "fullscreen":
        return [([client, "fullscreen", hold, str(latency_log)], True)]
    if workload == "pointer":
        return [(terminal, True), ([pb_input, "wander", hold, str(POINTER_RATE)], False)]
    raise Failed(f"unknown workload {workload}")


def as_user(uid, argv):
    if uid == 0:
        return argv
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", f"--groups={VIDEO_GROUP}", "--"] + argv


def runtime_dir(uid):
    """The user's runtime folder, without the sockets and locks of earlier runs
    (cage aborts on SIGTERM and leaves its socket behind)."""
    path = Path("/run/user/0") if uid == 0 else Path("/tmp/bench-runtime")
    path.mkdir(parents=True, exist_ok=True)
    for stale in list(path.glob("wayland-*")) + list(path.glob("wl-bench*")):
        stale.unlink()
    os.chown(path, uid, uid)
    path.chmod(0o700)
    return path


class Compositor:
    """How each compositor is started: argv, user, and whether it runs the client itself.
    The peers are Debian 13's: weston 14, cage 0.2, sway 1.10 and labwc 0.8 (the
    last three on wlroots 0.18)."""

    def __init__(self, name, build):
        self.name = name
        self.uid = 0
        self.runs_client = False
        self.env = {}
        pb = f"{build}/compositor/primebridge"
        if name.startswith("primebridge"):
            conf = LOGS / f"{name}.conf"
            # primebridge-gpu: composed and copied by the render device, vgem
            # with Mesa's software EGL device standing in for a dGPU (its
            # "GPU" is llvmpipe on the guest's CPUs). primebridge-readback:
            # composed by vgem's own driver (kms_swrast, llvmpipe too), the
            # damage read back by the CPU.
            copy = {"primebridge-gpu": "gpu\negl-device = software",
                    "primebridge-readback": "readback"}.get(name, "cpu")
            direct = "false" if name == "primebridge-composed" else "true"
            conf.write_text(f"[render]\ncopy = {copy}\ndirect-copy = {direct}\n")
            self.argv = [pb, "--allow-root", "--config", str(conf)]
        elif name == "weston":
            # No panel: its clock would redraw once a minute, whenever that falls.
            ini = LOGS / "weston.ini"
            ini.write_text("[core]\nidle-time=0\n[shell]\npanel-position=none\n")
            # weston 14: the seat through libseat (seatd), no --tty.
            self.argv = ["weston", "--backend=drm", "--renderer=pixman",
                         "--continue-without-input", f"--config={ini}", "--socket=wl-bench"]
        elif name == "cage":
            # The wlroots compositors run as nobody in the seat's group, as a
            # user would (cage and sway refused root in earlier versions).
            self.uid = NOBODY
            self.runs_client = True
            self.argv = ["cage", "--"]
            self.env = {"WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1"}
        elif name == "sway":
            self.uid = NOBODY
            self.argv = ["sway", "-c", str(HERE / "sway.conf")]
            self.env = {"WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1"}
        elif name == "labwc":
            # Its defaults, from a configuration folder of ours: nothing from
            # /etc/xdg or a user's folder (no autostart).
            self.uid = NOBODY
            self.argv = ["labwc", "-C", str(HERE / "labwc")]
            self.env = {"WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1"}
        else:
            raise Failed(f"unknown compositor {name}")


def sockets(folder):
    """Wayland sockets: primebridge's control socket has a dot in its name."""
    return {p.name for p in folder.iterdir() if p.is_socket() and "." not in p.name}


def wait_for_socket(folder, before, proc, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise Failed(f"exited with status {proc.returncode} before opening a socket")
        new = sockets(folder) - before
        if new:
            return new.pop()
        time.sleep(0.1)
    raise Failed(f"no Wayland socket in {folder} after {timeout} s")


def wait_for_commit(wl_log, comp_name, procs, timeout=CLIENT_START_SECONDS):
    """Waits until the traced client's WAYLAND_DEBUG log shows a commit.
    procs: the compositor's, then the clients'."""
    end = time.monotonic() + timeout
    while not COMMIT.search(wl_log.read_bytes() if wl_log.exists() else b""):
        for p in procs:
            if p.poll() is not None:
                raise Failed(f"{p.args[-1] if p is not procs[0] else comp_name} ended "
                             f"before the client's first commit (status {p.returncode})")
        if time.monotonic() > end:
            raise Failed(f"the client made no commit in {timeout} s")
        time.sleep(0.1)


def proc_cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def proc_peak_rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise Failed(f"no VmHWM for {pid}")


def screendump(name):
    """Takes the screendump NAME; returns CLOCK_MONOTONIC (ns) before and after:
    the host's time of the picture lies between."""
    before = time.monotonic_ns()
    subprocess.run(["pbvm-screendump", name], check=True, stdout=subprocess.DEVNULL)
    return [before, time.monotonic_ns()]


def clock_sync(build, name):
    """A clock tie: the mark NAME, then pb-clock-sync's updates (see its source)."""
    sync = {"name": name, "calls": [], "error": None}
    try:
        sync["mark_ns"] = screendump(name)
        out = subprocess.run([f"{build}/bench/pb-clock-sync", str(SYNC_UPDATES)],
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise Failed(out.stderr.strip() or f"status {out.returncode}")
        sync["calls"] = [[int(v) for v in line.split()] for line in out.stdout.splitlines()
                         if line and not line.startswith("#")]
    except (Failed, OSError, ValueError, subprocess.SubprocessError) as e:
        sync["error"] = f"pb-clock-sync: {e}"
        print(f"bench: {name}: {sync['error']}", flush=True)
    return sync


def stop(proc, grace=10):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def log_size(path):
    return path.stat().st_size if path.exists() else 0


def primebridge_status(build, env, timeout=10):
    """primebridgectl status --json, once the control socket (opened just after
    the Wayland socket) answers."""
    end = time.monotonic() + timeout
    while True:
        out = subprocess.run([f"{build}/ctl/primebridgectl", "status", "--json"], env=env,
                             capture_output=True, text=True, timeout=30)
        if out.returncode == 0:
            return json.loads(out.stdout)
        if time.monotonic() > end:
            raise Failed(out.stderr.strip())
        time.sleep(0.2)


def run_one(build, comp, workload, seconds, settle):
    tag = f"{comp.name}.{workload}"
    rt = runtime_dir(comp.uid)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(rt), **comp.env}
    if comp.uid != 0:
        env["HOME"] = str(rt)  # foot's and fontconfig's caches
    wl_log = LOGS / f"{tag}.wl"
    latency_log = LOGS / f"{tag}.lat" if workload in LATENCY_WORKLOADS else None
    record = {"compositor": comp.name, "workload": workload, "note": None}
    clients = workload_clients(build, workload, seconds, latency_log)
    started = []
    comp_log = open(LOGS / f"{tag}.log", "w")
    try:
        before = sockets(rt)
        argv = list(comp.argv)
        if comp.runs_client:
            # cage runs its one Wayland client itself, as its command.
            (client_argv, _), = [c for c in clients if c[1]]
            argv += ["sh", "-c", f'WAYLAND_DEBUG=client exec "$@" 2> {wl_log}', "sh"] + client_argv
            clients = [c for c in clients if not c[1]]
        proc = subprocess.Popen(as_user(comp.uid, argv), env=env, stdout=comp_log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        started.append(proc)
        socket = wait_for_socket(rt, before, proc)
        env["WAYLAND_DISPLAY"] = socket
        wanted = {"primebridge-gpu": "gpu", "primebridge-readback": "readback"}.get(comp.name)
        if wanted:
            (output,) = primebridge_status(build, env)["outputs"]
            if output["copy_path"] != wanted:
                record["note"] = (f"not run: the {wanted} path is not available here ("
                                  + output["copy_path_reason"] + ")")
                return record
        for client_argv, traced in clients:
            client_env = dict(env, WAYLAND_DEBUG="client") if traced else env
            err = open(wl_log, "w") if traced else subprocess.DEVNULL
            started.append(subprocess.Popen(as_user(comp.uid if traced else 0, client_argv),
                                            env=client_env,
                                            stdout=subprocess.DEVNULL, stderr=err,
                                            start_new_session=True))
        # The settling time counts from the client's first frame: a terminal
        # can take seconds to come up (a font cache to build, a compositor slow
        # to answer) and would otherwise start in the interval.
        wait_for_commit(wl_log, comp.name, started)
        time.sleep(settle)
        for p in started:
            if p.poll() is not None:
                raise Failed(f"{p.args[-1] if p is not proc else comp.name} ended early "
                             f"(status {p.returncode})")
        if comp.name.startswith("primebridge"):
            subprocess.run([f"{build}/ctl/primebridgectl", "reset"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        start = screendump(f"{tag}-start")
        cpu0, log0 = proc_cpu_seconds(proc.pid), log_size(wl_log)
        time.sleep(seconds)
        end = screendump(f"{tag}-end")
        cpu1, log1 = proc_cpu_seconds(proc.pid), log_size(wl_log)
        record.update(cpu_seconds=cpu1 - cpu0, peak_rss_kib=proc_peak_rss_kib(proc.pid),
                      wl_log=wl_log.name, wl_log_range=[log0, log1],
                      marks_ns={"start": start, "end": end})
        if latency_log:
            record["latency_log"] = latency_log.name
        if comp.name.startswith("primebridge"):
            (output,) = primebridge_status(build, env)["outputs"]
            record["primebridge_counters"] = output["counters"]
            record["copy_path"] = output["copy_path"]
        for p in started:
            if p.poll() is not None:
                raise Failed(f"{p.args[-1]} ended during the measurement")
        return record
    except (Failed, OSError, subprocess.SubprocessError, json.JSONDecodeError) as e:
        record["note"] = f"failed: {e}"
        return record
    finally:
        for p in reversed(started):
            stop(p)
        comp_log.close()


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    build, seconds, settle = argv[1], float(argv[2]), float(argv[3])
    Path("/sys/class/graphics/fbcon/cursor_blink").write_text("0")
    LOGS.mkdir(mode=0o1777, exist_ok=True)
    LOGS.chmod(0o1777)
    # A keyboard and a mouse plugged in throughout, as on a desktop: weston
    # offers no seat without them and foot will not start without one.
    devices = subprocess.Popen([f"{build}/tests/clients/pb-input", "idle", "86400"],
                               stdout=subprocess.DEVNULL)
    time.sleep(1.5)
    syncs = []
    for spec in argv[4:]:
        name, _, workloads = spec.partition(":")
        comp = Compositor(name, build)
        for workload in workloads.split(","):
            syncs.append(clock_sync(build, f"sync-{len(syncs)}"))
            print(f"bench: {name} {workload}", flush=True)
            record = run_one(build, comp, workload, seconds, settle)
            if record["note"]:
                print(f"bench: {name} {workload}: {record['note']}", flush=True)
            Path(f"/job/{name}.{workload}.json").write_text(json.dumps(record))
            if record["note"] and record["note"].startswith("not run"):
                break  # the same reason holds for every workload
    syncs.append(clock_sync(build, f"sync-{len(syncs)}"))
    Path("/job/sync.json").write_text(json.dumps(syncs))
    stop(devices)
    for path in LOGS.glob("*"):
        shutil.copy(path, "/job/")
    print("bench: done", flush=True)


if __name__ == "__main__":
    main(sys.argv)
