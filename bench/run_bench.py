#!/usr/bin/python3
"""primebridge against weston 10, cage 0.1.4 and sway 1.7 in one QEMU guest.

Boots the pbvm guest once and runs bench/guest_bench.py there: every
compositor in turn with the same workloads. The figures come from outside
the compositors where they can: frames and pixels from QEMU's virtio-gpu
trace (res_flush commands, the console's excluded), damage from what the
clients asked for (their WAYLAND_DEBUG log: damage rectangles clipped to the
attached buffer, united per commit), CPU time and peak RSS from /proc.
Writes RESULTS.json, bench.md and bench.png into OUT_DIR and prints the
tables and the targets.

Usage: run_bench.py BUILD_DIR VM_CACHE OUT_DIR [--seconds S] [--settle S] [--check]
  --check (the smoke test): fail unless every primebridge run produced
  figures, each other compositor at least one, and primebridge sent nothing
  while idle or while only the pointer moved.
"""
import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "vm"))
sys.path.insert(0, str(HERE))
import pbvm  # noqa: E402
import report  # noqa: E402

WIDTH, HEIGHT, REFRESH = 1280, 800, 75.0  # the guest's virtio-gpu mode
WORKLOADS = ("idle-terminal", "typing", "simple-shm-250", "fullscreen", "pointer")
# primebridge-composed: the full-screen workload with the direct path off,
# the composed path's cost beside it.
COMPOSITORS = {
    "primebridge": WORKLOADS,
    "primebridge-composed": ("fullscreen",),
    "primebridge-gpu": WORKLOADS,
    "weston": WORKLOADS,
    "cage": WORKLOADS,
    "sway": WORKLOADS,
}
ENV = {"MESA_SHADER_CACHE_DISABLE": "true"}

WL_CALL = re.compile(rb"-> (wl_surface|wl_shm_pool|wl_pointer)@(\d+)\.(\w+)\(([^)]*)\)")
WL_ID = re.compile(rb"@(\d+)")


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


def measure(result, record, console):
    """The host's and the clients' side of one run, added to its guest record."""
    tag = f"{record['compositor']}.{record['workload']}"
    start = result.screendumps[f"{tag}-start"].time
    end = result.screendumps[f"{tag}-end"].time
    flushes = [e for e in result.trace if e.name == "virtio_gpu_cmd_res_flush"
               and e["res_id"] != console and start <= e.time <= end]
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
    if "primebridge_counters" in record:
        run["primebridge_counters"] = record["primebridge_counters"]
    return run


def missing_run(record):
    return {"compositor": record["compositor"], "workload": record["workload"],
            "seconds": None, "frames": None, "px_sent": None, "px_damaged": None,
            "cpu_seconds": None, "peak_rss_kib": None, "note": record["note"]}


def targets(runs):
    """The issue's targets, each with PASS or MISS and its figures."""
    by = {(r["compositor"], r["workload"]): r for r in runs if r["frames"] is not None}
    lines = []

    def line(ok, text):
        lines.append(f"{'PASS' if ok else 'MISS'}  {text}")

    for workload in WORKLOADS:
        pb = by.get(("primebridge", workload))
        if not pb:
            continue
        if pb["px_damaged"]:
            ratio = pb["px_sent"] / pb["px_damaged"]
            line(ratio <= 1.5, f"{workload}: sent/damaged {ratio:.3f} (at most 1.5)")
        elif workload in ("idle-terminal", "pointer"):
            line(pb["px_sent"] == 0, f"{workload}: {pb['px_sent']} px sent (zero)")
        fps = pb["frames"] / pb["seconds"]
        line(fps <= REFRESH * 1.05, f"{workload}: {fps:.1f} frames/s (at most {REFRESH * 1.05:.2f})")
        if workload in ("typing", "simple-shm-250"):
            for other in ("weston", "cage"):
                o = by.get((other, workload))
                if o:
                    factor = o["px_sent"] / pb["px_sent"] if pb["px_sent"] else float("inf")
                    line(factor >= 10, f"{workload}: {other} sends {factor:.1f}x the pixels "
                                       "primebridge sends (at least 10x)")
    direct, composed = by.get(("primebridge", "fullscreen")), by.get(
        ("primebridge-composed", "fullscreen"))
    if direct and composed and direct["frames"] and composed["frames"]:
        d = 1000 * direct["cpu_seconds"] / direct["frames"]
        c = 1000 * composed["cpu_seconds"] / composed["frames"]
        line(d < c, f"fullscreen: {d:.2f} ms CPU per frame copied directly, "
                    f"{c:.2f} ms composed")
    return lines


def check(runs):
    """The smoke test's verdict: every primebridge run measured, and silent when
    nothing changes; every other compositor measured at least once (a client
    failing under one of them is a finding, reported in its note, not ours)."""
    problems = [f"{r['compositor']} {r['workload']}: {r['note']}" for r in runs
                if r["frames"] is None and r["compositor"].startswith("primebridge")
                and not (r["note"] or "").startswith("not run")]
    for name in sorted({r["compositor"] for r in runs} - {"primebridge-gpu"}):
        if all(r["frames"] is None for r in runs if r["compositor"] == name):
            problems.append(f"{name}: no workload measured")
    for r in runs:
        if (r["compositor"] == "primebridge" and r["workload"] in ("idle-terminal", "pointer")
                and r["px_sent"]):
            problems.append(f"primebridge {r['workload']}: {r['px_sent']} px sent, not 0")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build")
    parser.add_argument("cache")
    parser.add_argument("out")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--settle", type=float, default=3)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    build = Path(args.build).resolve()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    specs = [f"{name}:{','.join(w)}" for name, w in COMPOSITORS.items()]
    runs_count = sum(len(w) for w in COMPOSITORS.values())
    timeout = 120 + runs_count * (args.seconds + args.settle + 20)
    cmd = ["/usr/bin/python3", str(HERE / "guest_bench.py"), str(build),
           str(args.seconds), str(args.settle)] + specs
    result = pbvm.run(cmd, args.cache, env=ENV, timeout=timeout,
                      on_output=lambda text: print(text, end="", flush=True))
    if result.status != 0:
        sys.exit(f"run_bench: the guest run failed ({result.error or result.status}); "
                 f"see {result.job}")
    console = console_resource(result.trace)
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
            runs.append(missing_run(record) if record["note"] else measure(result, record, console))
    results = {
        "guest": {"mode": f"{WIDTH}x{HEIGHT}@{REFRESH:g}", "refresh_hz": REFRESH, "cpus": 2,
                  "seconds": args.seconds},
        "compositors": list(COMPOSITORS),
        "workloads": list(WORKLOADS),
        "runs": runs,
    }
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    report.write_report(results, out / "bench.md", out / "bench.png")
    print((out / "bench.md").read_text())
    print("\n".join(targets(runs)))
    print(f"run_bench: {out / 'bench.md'}, {out / 'bench.png'}; guest job {result.job}")
    if args.check:
        problems = check(runs)
        if problems:
            sys.exit("run_bench: " + "; ".join(problems))


if __name__ == "__main__":
    main()
