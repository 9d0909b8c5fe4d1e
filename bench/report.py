#!/usr/bin/python3
"""The benchmark's results as Markdown tables and a PNG chart.

    report.py RESULTS.json OUT.md OUT.png

RESULTS.json is what the guest benchmark driver writes:

    {"guest": {"mode": "1280x800@75", "refresh_hz": 75.0, "cpus": 2, "seconds": 10,
               "kernel": "6.12", "whole_frames": true},
     "compositors": [...], "workloads": [...], "latency_workloads": [...],
     "clock": {"ties": [...], "failed": [...], "drift_ppm": 3.2,
               "steps": [["sync-3", "sync-4", 760.2], ...]},
     "runs": [{"compositor": ..., "workload": ..., "seconds": 10.02, "frames": 100,
               "px_sent": 123456, "px_damaged": 120000 or null, "cpu_seconds": 0.41,
               "peak_rss_kib": 45000, "note": null or "...",
               "latency": {"committed": 751, "presented": 750, "discarded": 1,
                           "presented_ms": {"median": 14.1, "p99": 20.3} or null,
                           "host_ms": {"median": 13.9, "p99": 20.0} or null,
                           "residual_ms": {"median": 0.2, "p99_abs": 1.1} or null,
                           "matched": 748 or null, "note": absent or "...",
                           "host_note": absent or "..."}
                          (latency workloads only)}, ...]}

A run whose frames is null did not run: its figures are shown as "—" and its note as a
footnote. Other scripts can embed the tables: markdown_tables(load_results(path)).
"""

import argparse
import json
import math
import sys

DASH = "—"

WORKLOAD_TITLES = {
    "idle-terminal": "Idle desktop, one terminal",
    "typing": "Typing into a terminal, 10 characters/s",
    "simple-shm-250": "weston-simple-shm, 250x250",
    "animate-250": "Animated 250x250 window (pb-test-client latency)",
    "fullscreen": "Full-screen animated client",
    "pointer": "Pointer motion only",
}

# (key of derive()'s result, column heading, formatter name)
COLUMNS = [
    ("fps", "fps", "sig"),
    ("px_per_s", "px sent/s", "int"),
    ("px_per_frame", "px/frame", "int"),
    ("sent_damaged", "sent/damaged", "sig"),
    ("cpu_pct", "CPU %", "sig"),
    ("rss_mib", "peak RSS MiB", "sig"),
]


def load_results(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def workload_title(name):
    return WORKLOAD_TITLES.get(name, name)


def _ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def derive(run):
    """The derived figures of one run; None where unknown or the run did not run."""
    if run is None or run.get("frames") is None:
        return {key: None for key, _, _ in COLUMNS}
    seconds = run.get("seconds")
    frames = run["frames"]
    px_sent = run.get("px_sent")
    cpu = run.get("cpu_seconds")
    rss = run.get("peak_rss_kib")
    return {
        "fps": _ratio(frames, seconds),
        "px_per_s": _ratio(px_sent, seconds),
        "px_per_frame": _ratio(px_sent, frames),
        "sent_damaged": _ratio(px_sent, run.get("px_damaged")),
        "cpu_pct": None if _ratio(cpu, seconds) is None else 100 * cpu / seconds,
        "rss_mib": None if rss is None else rss / 1024,
    }


def _unknown(value):
    return value is None or not math.isfinite(value)


def fmt_int(value):
    """An integer grouped in threes by spaces: 1 257 472."""
    if _unknown(value):
        return DASH
    return f"{round(value):,}".replace(",", " ")


def fmt_sig(value, digits=3):
    """Three significant figures without exponents (1 000 and more as grouped integers)."""
    if _unknown(value):
        return DASH
    if value == 0:
        return "0"
    rounded = float(f"{value:.{digits}g}")
    decimals = digits - 1 - math.floor(math.log10(abs(rounded)))
    if decimals <= 0:
        return fmt_int(rounded)
    return f"{rounded:.{decimals}f}"


FORMATTERS = {"int": fmt_int, "sig": fmt_sig}

# The latency tables: (key of derive_latency()'s result, heading, formatter name)
LATENCY_COLUMNS = [
    ("presented", "frames presented", "int"),
    ("discarded", "discarded", "int"),
    ("presented_median", "commit→presented median ms", "sig"),
    ("presented_p99", "p99 ms", "sig"),
    ("host_median", "commit→host median ms", "sig"),
    ("host_p99", "p99 ms", "sig"),
    ("residual_median", "presented − host flush median ms", "sig"),
    ("matched_pct", "matched %", "sig"),
]


def derive_latency(run):
    """The latency figures of one run for its table; None where unknown."""
    figures = (run or {}).get("latency") or {}

    def stat(key, name):
        return (figures.get(key) or {}).get(name)

    presented, matched = figures.get("presented"), figures.get("matched")
    return {
        "presented": presented,
        "discarded": figures.get("discarded"),
        "presented_median": stat("presented_ms", "median"),
        "presented_p99": stat("presented_ms", "p99"),
        "host_median": stat("host_ms", "median"),
        "host_p99": stat("host_ms", "p99"),
        "residual_median": stat("residual_ms", "median"),
        "matched_pct": None if _ratio(matched, presented) is None
        else 100 * matched / presented,
    }


def latency_workloads(results):
    """The workloads that have latency figures, in the results' order."""
    _, workloads = compositors_and_workloads(results)
    with_latency = {r["workload"] for r in results.get("runs", []) if "latency" in r}
    declared = results.get("latency_workloads") or []
    return [w for w in workloads if w in with_latency or w in declared]


def _ordered(declared, found):
    """The declared names, then any others the runs name, in the order they appear."""
    names = list(declared or [])
    for name in found:
        if name not in names:
            names.append(name)
    return names


def compositors_and_workloads(results):
    runs = results.get("runs", [])
    compositors = _ordered(results.get("compositors"), (r["compositor"] for r in runs))
    workloads = _ordered(results.get("workloads"), (r["workload"] for r in runs))
    return compositors, workloads


def _runs_by_key(results):
    return {(r["compositor"], r["workload"]): r for r in results.get("runs", [])}


def _table(title, columns, rows):
    """A Markdown table: rows of (name, figures)."""
    lines = [f"#### {title}", "",
             "| compositor | " + " | ".join(h for _, h, _ in columns) + " |",
             "|:---|" + "---:|" * len(columns)]
    for name, figures in rows:
        cells = [FORMATTERS[kind](figures[key]) for key, _, kind in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# The copy paths' table: (key of derive_copy()'s result, heading, formatter name)
COPY_COLUMNS = [
    ("cpu_ms_per_frame", "compositor CPU ms/frame", "sig"),
    ("copied_per_frame", "px copied/frame", "int"),
    ("cpu_copied_per_frame", "of which by the CPU", "int"),
]


def derive_copy(run):
    """What one frame cost primebridge on its copy path: CPU time, pixels copied."""
    counters = run.get("primebridge_counters") or {}
    frames = counters.get("frames_presented")
    cpu = run.get("cpu_seconds")
    return {
        "cpu_ms_per_frame": None if _ratio(cpu, frames) is None else 1000 * cpu / frames,
        "copied_per_frame": _ratio(counters.get("px_copied"), frames),
        "cpu_copied_per_frame": _ratio(counters.get("px_copied_cpu"), frames),
    }


def copy_path_tables(results, name_of):
    """Per animated workload, primebridge on each copy path (from its own counters)."""
    compositors, workloads = compositors_and_workloads(results)
    runs = _runs_by_key(results)
    parts = []
    for workload in workloads:
        rows = []
        for c in compositors:
            run = runs.get((c, workload))
            if run is None or not run.get("primebridge_counters"):
                continue
            path = run.get("copy_path") or "?"
            rows.append((name_of(f"{c} ({path})", run.get("note")), derive_copy(run)))
        if len(rows) > 1 and any(r[1]["copied_per_frame"] for r in rows):
            parts.append(_table(f"Copy paths: {workload_title(workload)}", COPY_COLUMNS, rows))
    return parts


def markdown_tables(results):
    """One Markdown table per workload, one per latency workload, the copy
    paths' tables, then the footnotes: the text to embed elsewhere."""
    compositors, workloads = compositors_and_workloads(results)
    runs = _runs_by_key(results)
    notes = []  # distinct notes, numbered from 1 in order of first use

    def name_of(compositor, *texts):
        name = compositor.replace("|", "\\|")
        for note in filter(None, texts):
            if note not in notes:
                notes.append(note)
            name += f" [{notes.index(note) + 1}]"
        return name

    parts = []
    for workload in workloads:
        rows = [(name_of(c, runs[(c, workload)].get("note")), derive(runs[(c, workload)]))
                for c in compositors if (c, workload) in runs]  # variants: some workloads
        parts.append(_table(workload_title(workload), COLUMNS, rows))
    for workload in latency_workloads(results):
        rows = []
        for c in compositors:
            run = runs.get((c, workload))
            if run is None:
                continue
            figures = run.get("latency") or {}
            latency_notes = [f"latency: {n}" for n in (figures.get("note"),
                                                       figures.get("host_note")) if n]
            rows.append((name_of(c, run.get("note"), *latency_notes), derive_latency(run)))
        parts.append(_table(f"Latency: {workload_title(workload)}", LATENCY_COLUMNS, rows))
    parts += copy_path_tables(results, name_of)
    if notes:
        parts.append("\n\n".join(f"[{i}] {note}" for i, note in enumerate(notes, 1)))
    return "\n\n".join(parts) + "\n"


def guest_summary(results):
    guest = results.get("guest", {})
    bits = []
    if guest.get("mode"):
        bits.append(f"guest {guest['mode']}")
    if guest.get("kernel"):
        bits.append(f"kernel {guest['kernel']}")
    if guest.get("cpus"):
        bits.append(f"{guest['cpus']} CPUs")
    if guest.get("seconds"):
        bits.append(f"{guest['seconds']:g} s per run")
    return ", ".join(bits)


def markdown_report(results):
    summary = guest_summary(results)
    intro = "### Compositor benchmark\n\n"
    if summary:
        intro += summary[0].upper() + summary[1:] + ".\n\n"
    intro += (
        "fps: frames the host was sent per second (virtio-gpu resource flushes in QEMU's "
        "trace); px sent: the pixels of those flushes; sent/damaged: pixels sent over the "
        "pixels the clients damaged (their WAYLAND_DEBUG requests, pointer images left out); "
        "CPU %: the compositor process's CPU time over the interval (100 = one guest CPU, "
        "TCG); peak RSS: its VmHWM.\n\n"
    )
    if results.get("guest", {}).get("whole_frames"):
        intro += ("The guest kernel's virtio-gpu sends the host whole frames for every update, "
                  "whatever the damage: px sent counts whole frames for every compositor.\n\n")
    if latency_workloads(results):
        intro += (
            "Latency, for the workloads whose client records it: commit→presented is from "
            "CLOCK_MONOTONIC just before the client's wl_surface.commit to the time the "
            "compositor gives in wp_presentation_feedback.presented, for the frames committed "
            "in the interval; discarded frames are counted apart. commit→host checks it "
            "against QEMU's trace: the guest's clock tied to the host's between compositors "
            "(display updates the guest times and the host logs), each presented frame "
            "matched to the host flush nearest its presented time (not before its commit, "
            "within half a refresh period; matched %), and timed to that flush. presented − "
            "host flush: how far the compositor's presented time is from the host getting "
            "the frame.\n\n")
        clock = results.get("clock") or {}
        if clock.get("ties") is not None:
            drift = clock.get("drift_ppm")
            intro += (f"Clock ties: {len(clock['ties'])} usable"
                      + (f", {len(clock['failed'])} not" if clock.get("failed") else "")
                      + (f"; guest clock drift {fmt_sig(drift)} ppm" if drift is not None
                         else "")
                      + "".join(f"; the host's clock stepped {fmt_sig(ms)} ms between {a} "
                                f"and {b}" for a, b, ms in clock.get("steps") or [])
                      + ".\n\n")
    return intro + markdown_tables(results)


# The chart's panels: (key of the figures, title, log scale, latency panel). The
# latency panel has the latency workloads only, and marks each bar's p99.
PANELS = [
    ("px_per_s", "Pixels sent per second (log scale)", True, False),
    ("cpu_pct", "CPU % (100 = one CPU)", False, False),
    ("rss_mib", "Peak RSS (MiB)", False, False),
    ("presented_median", "Commit→presented ms (median, — p99)", False, True),
]


def write_chart(results, path, width_px=1600, height_px=600):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    compositors, workloads = compositors_and_workloads(results)
    lat_workloads = latency_workloads(results)
    runs = _runs_by_key(results)
    figures = {(c, w): dict(derive(runs.get((c, w))), **derive_latency(runs.get((c, w))))
               for c in compositors for w in workloads}
    colours = plt.get_cmap("tab10").colors
    panels = [p for p in PANELS if lat_workloads or not p[3]]

    dpi = 100
    fig, axes = plt.subplots(1, len(panels), figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    n = max(len(compositors), 1)
    group = 0.8  # width of one workload's bars
    bar = group / n
    for ax, (key, title, log, is_latency) in zip(axes, panels):
        shown = lat_workloads if is_latency else workloads
        values = [figures[(c, w)][key] for c in compositors for w in shown]
        if is_latency:
            values += [figures[(c, w)]["presented_p99"] for c in compositors for w in shown]
        known = [v for v in values if not _unknown(v)]
        positive = [v for v in known if v > 0]
        if log:
            ax.set_yscale("log")
            # A decade below the smallest bar, so that it shows as a bar.
            low = 10 ** (math.floor(math.log10(min(positive))) - 1) if positive else 1
            high = 10 ** (math.log10(max(positive)) + 0.15) if positive else 10
            ax.set_ylim(low, max(high, low * 10))
        else:
            ax.set_ylim(0, (max(known) if known and max(known) > 0 else 1) * 1.12)
        for i, compositor in enumerate(compositors):
            xs = [j - group / 2 + bar * (i + 0.5) for j in range(len(shown))]
            ys = [figures[(compositor, w)][key] for w in shown]
            heights = [0 if _unknown(y) or (log and y <= 0) else y for y in ys]
            ax.bar(xs, heights, bar * 0.92, color=colours[i % len(colours)], label=compositor,
                   zorder=2)
            if is_latency:
                p99 = [figures[(compositor, w)]["presented_p99"] for w in shown]
                marks = [(x, y) for x, y in zip(xs, p99) if not _unknown(y)]
                if marks:
                    ax.hlines([y for _, y in marks], [x - bar * 0.4 for x, _ in marks],
                              [x + bar * 0.4 for x, _ in marks], color="black",
                              linewidth=1.5, zorder=3)
            # What a bar cannot show, written at the baseline.
            for x, y, w in zip(xs, ys, shown):
                if (compositor, w) not in runs:
                    continue  # a variant made for other workloads
                if _unknown(y):
                    ax.annotate("n/a", (x, 0), xycoords=("data", "axes fraction"),
                                xytext=(0, 3), textcoords="offset points", ha="center",
                                va="bottom", rotation=90, fontsize=8, color="0.45")
                elif y == 0:
                    ax.annotate("0", (x, 0), xycoords=("data", "axes fraction"),
                                xytext=(0, 3), textcoords="offset points", ha="center",
                                va="bottom", fontsize=9, fontweight="bold")
        ax.set_title(title, fontsize=11)
        ax.set_xticks(range(len(shown)))
        ax.set_xticklabels(shown, rotation=20, ha="right", fontsize=9)
        ax.set_xlim(-0.5, len(shown) - 0.5)
        ax.grid(axis="y", which="major", color="0.88", zorder=0)
        ax.tick_params(axis="y", labelsize=9)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)

    summary = guest_summary(results)
    fig.suptitle("Compositor benchmark" + (f": {summary}" if summary else ""), fontsize=13,
                 y=0.975)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.925),
               ncol=len(compositors), frameon=False, fontsize=10)
    fig.subplots_adjust(left=0.04, right=0.99, top=0.78, bottom=0.2, wspace=0.25)
    fig.savefig(path, dpi=dpi)  # no bbox_inches: the size stays width_px x height_px
    plt.close(fig)


def write_report(results, md_path, png_path):
    with open(md_path, "w", encoding="utf-8") as f:
        f.write(markdown_report(results))
    write_chart(results, png_path)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="The benchmark's results as Markdown tables and a PNG chart.")
    parser.add_argument("results", help="RESULTS.json from the guest benchmark driver")
    parser.add_argument("markdown", help="the Markdown file to write")
    parser.add_argument("png", help="the PNG chart to write")
    args = parser.parse_args(argv)
    try:
        results = load_results(args.results)
        write_report(results, args.markdown, args.png)
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"report.py: {args.results}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
