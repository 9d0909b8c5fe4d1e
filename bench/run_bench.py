#!/usr/bin/python3
"""primebridge against weston 14, cage 0.2, sway 1.10 and labwc 0.8 in one QEMU guest.

Boots the pbvm guest once and runs bench/guest_bench.py there: every
compositor in turn with the same workloads. The figures come from outside
the compositors where they can: frames and pixels from QEMU's virtio-gpu
trace (res_flush commands, the console's excluded), damage from what the
clients asked for (their WAYLAND_DEBUG log: damage rectangles clipped to the
attached buffer, united per commit), CPU time and peak RSS from /proc, and
latency (commit to presented, checked against the host's flushes: see
latency.py) from the latency workloads' client. Writes results.json,
bench.md and bench.png into OUT_DIR and prints the tables and the targets.

A peer that misbehaves (does not start, fails a workload, shows nothing) is
reported as such in the tables' notes, never as a failure of this script.

Usage: run_bench.py BUILD_DIR VM_CACHE OUT_DIR [--seconds S] [--settle S]
                    [--kernel K] [--check]
  --check (the smoke test): fail unless every primebridge run produced
  figures and showed something, its latency runs recorded presented frames,
  the guest's and the host's clocks could be tied, and primebridge sent
  nothing while idle or while only the pointer moved.
"""
import argparse
import bisect
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "vm"))
sys.path.insert(0, str(HERE))
import latency  # noqa: E402
import pbvm  # noqa: E402
import report  # noqa: E402

WIDTH, HEIGHT, REFRESH = 1280, 800, 75.0  # the guest's virtio-gpu mode
WORKLOADS = ("idle-terminal", "typing", "simple-shm-250", "animate-250", "fullscreen", "pointer")
# The workloads whose client records latency (guest_bench.LATENCY_WORKLOADS),
# and those whose client animates: something must reach the host.
LATENCY_WORKLOADS = ("animate-250", "fullscreen")
ANIMATED = ("simple-shm-250", "animate-250", "fullscreen")
# primebridge-composed: the full-screen workload with the direct path off,
# the composed path's cost beside it.
COMPOSITORS = {
    "primebridge": WORKLOADS,
    "primebridge-composed": ("fullscreen",),
    "primebridge-gpu": WORKLOADS,
    "primebridge-readback": WORKLOADS,
    "weston": WORKLOADS,
    "cage": WORKLOADS,
    "sway": WORKLOADS,
    "labwc": WORKLOADS,
}
PEERS = ("weston", "cage", "sway", "labwc")
ENV = {"MESA_SHADER_CACHE_DISABLE": "true"}

# A request in a WAYLAND_DEBUG log: "wl_surface@3.commit()" up to libwayland
# 1.22, "wl_surface#3.commit()" from 1.23 (Debian 13).
WL_CALL = re.compile(rb"-> (wl_surface|wl_shm_pool|wl_pointer)[@#](\d+)\.(\w+)\(([^)]*)\)")
WL_ID = re.compile(rb"[@#](\d+)")


def union_area(rects):
    """Area covered by rectangles (x1, y1, x2, y2), overlaps counted once."""
    xs = sorted({x for r in rects for x in (r[0], r[2])})
    area = 0
    for left, right in zip(xs, xs[1:]):
        spans = sorted((r[1], r[3]) for r in rects if r[0] <= left and r[2] >= right)
        covered, top = 0, None
        for y1, y2 in spans:
            if top is None or y1 > top:
                covered += y2 - y1
                top = y2
            elif y2 > top:
                covered += y2 - top
                top = y2
        area += covered * (right - left)
    return area


def client_damage(log, start, end):
    """Pixels a client damaged by the commits it made between byte offsets
    start and end of its WAYLAND_DEBUG log: each surface's rectangles united
    per commit and clipped to the attached buffer. Pointer images are left
    out (the cursor plane's, not the frame's). The log is read from its
    beginning for the buffers' sizes and the surfaces' roles."""
    buffer_size, attached, pending = {}, {}, {}
    cursors = set()
    total = 0
    for match in WL_CALL.finditer(log, 0, end):
        kind, obj, request, args = match.groups()
        if kind == b"wl_pointer":
            found = WL_ID.search(args)
            if request == b"set_cursor" and found:
                cursors.add(found.group(1))
        elif kind == b"wl_shm_pool":
            if request == b"create_buffer":
                # (new id wl_buffer@N, offset, width, height, stride, format)
                parts = args.split(b", ")
                buffer_size[WL_ID.search(parts[0]).group(1)] = (int(parts[2]), int(parts[3]))
        elif request == b"attach":
            found = WL_ID.search(args)
            attached[obj] = buffer_size.get(found.group(1)) if found else None
        elif request in (b"damage", b"damage_buffer"):
            x, y, w, h = (int(v) for v in args.split(b", "))
            pending.setdefault(obj, []).append((x, y, x + w, y + h))
        elif request == b"commit":
            rects = pending.pop(obj, [])
            if match.start() < start or obj in cursors:
                continue
            width, height = attached.get(obj) or (WIDTH, HEIGHT)
            rects = [(max(x1, 0), max(y1, 0), min(x2, width), min(y2, height))
                     for x1, y1, x2, y2 in rects]
            total += union_area([r for r in rects if r[0] < r[2] and r[1] < r[3]])
    return total


def console_resource(trace):
    """The console's framebuffer: the first one shown, before any compositor."""
    shown = [e["res_id"] for e in trace if e.name == "virtio_gpu_cmd_set_scanout" and e["res_id"]]
    return shown[0] if shown else None


def host_flushes(trace, console):
    """The flushes of every framebuffer but the console's, in time order."""
    return sorted((e for e in trace if e.name == "virtio_gpu_cmd_res_flush"
                   and e["res_id"] != console), key=lambda e: e.time)


def clock_ties(syncs, screendumps, flushes):
    """The usable clock ties (latency.tie) of the guest's sync records, in order
    of guest time, and a note on each one that was not."""
    ties, notes = [], []
    times = [e.time for e in flushes]
    for sync in syncs:
        name = sync["name"]
        mark = screendumps.get(name)
        if sync.get("error") or mark is None:
            notes.append(f"{name}: {sync.get('error') or 'no mark'}")
            continue
        # The guest's updates are the first flushes after the mark; a few
        # more leave room for the mode set's and a skipped one.
        i = bisect.bisect_left(times, mark.time)
        found = latency.tie(sync["calls"], times[i:i + len(sync["calls"]) + 1])
        if found is None:
            notes.append(f"{name}: its updates are not in the host's trace")
        else:
            ties.append(dict(found, name=name))
    return sorted(ties, key=lambda t: t["guest_s"]), notes


def is_uniform(ppm_path):
    """Whether a screendump is all one colour: nothing shown."""
    image = pbvm.read_ppm(ppm_path)
    first = image.data[:3]
    return image.data == first * (len(image.data) // 3)


def shows_nothing(result, record, frames):
    """Why a run showed nothing, or None: an animated client sent the host no
    frame, or the screen was one colour at the end."""
    if record["workload"] in ANIMATED and frames == 0:
        return "showed nothing: no frame reached the host"
    shot = result.screendumps.get(f"{record['compositor']}.{record['workload']}-end")
    if shot and is_uniform(shot.ppm):
        return "showed nothing: the screen was one colour"
    return None


def run_latency(result, record, flushes, ties):
    """The latency figures of a latency workload's run (latency.run_latency)."""
    path = result.job / record["latency_log"]
    if not path.exists():
        return {"note": "no latency record"}
    header, frames = latency.parse_frames(path.read_text())
    if header == "no wp_presentation":
        return {"note": "the compositor offers no wp_presentation"}
    marks = record["marks_ns"]
    # From the start mark's end to the end mark's beginning: the client's frames
    # committed while the host measured.
    interval = (marks["start"][1], marks["end"][0])
    return latency.run_latency(frames, interval, [e.time for e in flushes], ties,
                               1 / REFRESH)


def measure(result, record, console, flushes=None, ties=()):
    """The host's and the clients' side of one run, added to its guest record."""
    tag = f"{record['compositor']}.{record['workload']}"
    start = result.screendumps[f"{tag}-start"].time
    end = result.screendumps[f"{tag}-end"].time
    if flushes is None:
        flushes = host_flushes(result.trace, console)
    all_flushes = flushes
    flushes = [e for e in flushes if start <= e.time <= end]
    log = (result.job / record["wl_log"]).read_bytes()
    run = {
        "compositor": record["compositor"],
        "workload": record["workload"],
        "seconds": end - start,
        "frames": len(flushes),
        "px_sent": sum(e["w"] * e["h"] for e in flushes),
        "full_frames": sum(1 for e in flushes if e["w"] * e["h"] == WIDTH * HEIGHT),
        "px_damaged": client_damage(log, *record["wl_log_range"]),
        "cpu_seconds": record["cpu_seconds"],
        "peak_rss_kib": record["peak_rss_kib"],
        "note": record["note"],
    }
    for key in ("primebridge_counters", "copy_path"):
        if key in record:
            run[key] = record[key]
    if record.get("latency_log"):
        run["latency"] = run_latency(result, record, all_flushes, ties)
    run["note"] = shows_nothing(result, record, run["frames"])
    return run


def missing_run(record):
    return {"compositor": record["compositor"], "workload": record["workload"],
            "seconds": None, "frames": None, "px_sent": None, "px_damaged": None,
            "cpu_seconds": None, "peak_rss_kib": None, "note": record["note"]}


def latency_figure(run, key="presented_ms", stat="median"):
    """A run's latency figure in ms, None where there is none."""
    figures = (run or {}).get("latency") or {}
    return (figures.get(key) or {}).get(stat)


def targets(runs, whole_frames=False, kernel=None):
    """The issue's targets, each with PASS or MISS and its figures. On a guest
    kernel whose virtio-gpu sends whole frames (whole_frames) the damage
    targets cannot be met by anyone: they are shown as N/A with the figure."""
    by = {(r["compositor"], r["workload"]): r for r in runs if r["frames"] is not None}
    lines = []
    whole = f"kernel {kernel or '?'} sends whole frames"

    def line(ok, text):
        lines.append(f"{'PASS' if ok else 'MISS'}  {text}")

    def damage_line(ok, text):
        if whole_frames:
            lines.append(f"N/A   {text}: {whole}")
        else:
            line(ok, text)

    for workload in WORKLOADS:
        pb = by.get(("primebridge", workload))
        if not pb:
            continue
        if pb["px_damaged"]:
            ratio = pb["px_sent"] / pb["px_damaged"]
            damage_line(ratio <= 1.5, f"{workload}: sent/damaged {ratio:.3f} (at most 1.5)")
        elif workload in ("idle-terminal", "pointer"):
            line(pb["px_sent"] == 0, f"{workload}: {pb['px_sent']} px sent (zero)")
        fps = pb["frames"] / pb["seconds"]
        line(fps <= REFRESH * 1.05, f"{workload}: {fps:.1f} frames/s (at most {REFRESH * 1.05:.2f})")
        if workload in ("typing", "simple-shm-250"):
            for other in ("weston", "cage"):
                o = by.get((other, workload))
                if o:
                    factor = o["px_sent"] / pb["px_sent"] if pb["px_sent"] else float("inf")
                    damage_line(factor >= 10, f"{workload}: {other} sends {factor:.1f}x the "
                                              "pixels primebridge sends (at least 10x)")
        if workload in LATENCY_WORKLOADS:
            lines.extend(latency_targets(by, workload))
    direct, composed = by.get(("primebridge", "fullscreen")), by.get(
        ("primebridge-composed", "fullscreen"))
    if direct and composed and direct["frames"] and composed["frames"]:
        d = 1000 * direct["cpu_seconds"] / direct["frames"]
        c = 1000 * composed["cpu_seconds"] / composed["frames"]
        line(d < c, f"fullscreen: {d:.2f} ms CPU per frame copied directly, "
                    f"{c:.2f} ms composed")
    return lines


def latency_targets(by, workload):
    """primebridge's pacing may cost at most one refresh period over the best
    peer: commit to presented, median and p99, each against the peer best at it."""
    period = 1000 / REFRESH
    lines = []
    pb = by.get(("primebridge", workload))
    for stat in ("median", "p99"):
        mine = latency_figure(pb, stat=stat)
        peers = [(latency_figure(by.get((p, workload)), stat=stat), p) for p in PEERS]
        peers = [(v, p) for v, p in peers if v is not None]
        if mine is None or not peers:
            continue
        best, name = min(peers)
        host = latency_figure(pb, "host_ms", stat)
        host_text = f"; host flush {host:.1f} ms" if host is not None else ""
        ok = mine <= best + period
        lines.append(f"{'PASS' if ok else 'MISS'}  {workload}: commit to presented {stat} "
                     f"{mine:.1f} ms{host_text}, best peer {name} {best:.1f} ms "
                     f"(at most {best + period:.1f})")
    return lines


def check(runs, ties=None):
    """The smoke test's verdict, on primebridge alone: every run measured and
    showing something, its latency runs with presented frames, silent when
    nothing changes, and the clocks tied (ties: None when not asked). A peer
    that fails is a finding, reported in its note, never a problem here."""
    problems = []
    for r in runs:
        if not r["compositor"].startswith("primebridge"):
            continue
        note = r["note"] or ""
        if note.startswith("not run"):
            continue
        if r["frames"] is None or note.startswith("showed nothing"):
            problems.append(f"{r['compositor']} {r['workload']}: {note}")
        elif "latency" in r and not latency_figure(r):
            why = r["latency"].get("note") or "no frame presented in the interval"
            problems.append(f"{r['compositor']} {r['workload']}: latency: {why}")
        if (r["compositor"] == "primebridge" and r["workload"] in ("idle-terminal", "pointer")
                and r["px_sent"]):
            problems.append(f"primebridge {r['workload']}: {r['px_sent']} px sent, not 0")
    if ties is not None and not ties:
        problems.append("no clock tie between guest and host: no host check of latency")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build")
    parser.add_argument("cache")
    parser.add_argument("out")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--settle", type=float, default=3)
    parser.add_argument("--kernel", choices=sorted(pbvm.kernel_names()),
                        help=f"guest kernel (default {pbvm.DEFAULT_KERNEL})")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    build = Path(args.build).resolve()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    specs = [f"{name}:{','.join(w)}" for name, w in COMPOSITORS.items()]
    runs_count = sum(len(w) for w in COMPOSITORS.values())
    timeout = 120 + runs_count * (args.seconds + args.settle + 25)
    kernel = args.kernel or pbvm.DEFAULT_KERNEL
    cmd = ["/usr/bin/python3", str(HERE / "guest_bench.py"), str(build),
           str(args.seconds), str(args.settle)] + specs
    result = pbvm.run(cmd, args.cache, env=ENV, timeout=timeout, kernel=kernel,
                      on_output=lambda text: print(text, end="", flush=True))
    if result.status != 0:
        sys.exit(f"run_bench: the guest run failed ({result.error or result.status}); "
                 f"see {result.job}")
    console = console_resource(result.trace)
    flushes = host_flushes(result.trace, console)
    sync_path = result.job / "sync.json"
    syncs = json.loads(sync_path.read_text()) if sync_path.exists() else []
    ties, tie_notes = clock_ties(syncs, result.screendumps, flushes)
    for sync in syncs:  # the marks' pictures serve no one
        for suffix in (".ppm", ".png"):
            (result.job / f"{sync['name']}{suffix}").unlink(missing_ok=True)
    runs = []
    for name, workloads in COMPOSITORS.items():
        not_run = None  # the first workload's reason holds for the others
        for workload in workloads:
            path = result.job / f"{name}.{workload}.json"
            if not_run or not path.exists():
                record = {"compositor": name, "workload": workload,
                          "note": not_run or "no record: the guest run ended before it"}
            else:
                record = json.loads(path.read_text())
            if (record["note"] or "").startswith("not run"):
                not_run = record["note"]
            runs.append(missing_run(record) if record["note"]
                        else measure(result, record, console, flushes, ties))
    whole_frames = pbvm.sends_whole_frames(kernel)
    results = {
        "guest": {"mode": f"{WIDTH}x{HEIGHT}@{REFRESH:g}", "refresh_hz": REFRESH, "cpus": 2,
                  "seconds": args.seconds, "kernel": kernel, "whole_frames": whole_frames},
        "compositors": list(COMPOSITORS),
        "workloads": list(WORKLOADS),
        "latency_workloads": list(LATENCY_WORKLOADS),
        "clock": {"ties": ties, "failed": tie_notes, "drift_ppm": latency.drift_ppm(ties),
                  "steps": latency.steps(ties)},
        "runs": runs,
    }
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    report.write_report(results, out / "bench.md", out / "bench.png")
    print((out / "bench.md").read_text())
    print("\n".join(targets(runs, whole_frames, kernel)))
    unmeasured = [p for p in PEERS if p in COMPOSITORS
                  and all(r["frames"] is None for r in runs if r["compositor"] == p)]
    if unmeasured:
        print(f"run_bench: not measured at all (see the notes): {', '.join(unmeasured)}")
    print(f"run_bench: {out / 'bench.md'}, {out / 'bench.png'}; guest job {result.job}")
    if args.check:
        problems = check(runs, ties)
        if problems:
            sys.exit("run_bench: " + "; ".join(problems))


if __name__ == "__main__":
    main()
