#!/usr/bin/python3
"""The benchmark's results as Markdown tables and a PNG chart.

    report.py RESULTS.json OUT.md OUT.png

RESULTS.json is what the guest benchmark driver writes:

    {"guest": {"mode": "1280x800@75", "refresh_hz": 75.0, "cpus": 2, "seconds": 10},
     "compositors": [...], "workloads": [...],
     "runs": [{"compositor": ..., "workload": ..., "seconds": 10.02, "frames": 100,
               "px_sent": 123456, "px_damaged": 120000 or null, "cpu_seconds": 0.41,
               "peak_rss_kib": 45000, "note": null or "..."}, ...]}

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


def markdown_tables(results):
    """One Markdown table per workload, then the footnotes: the text to embed elsewhere."""
    compositors, workloads = compositors_and_workloads(results)
    runs = _runs_by_key(results)
    notes = []  # distinct notes, numbered from 1 in order of first use
    parts = []
    header = "| compositor | " + " | ".join(h for _, h, _ in COLUMNS) + " |"
    rule = "|:---|" + "---:|" * len(COLUMNS)
    for workload in workloads:
        lines = [f"#### {workload_title(workload)}", "", header, rule]
        for compositor in compositors:
            run = runs.get((compositor, workload))
            if run is None:
                continue  # a compositor variant made for other workloads
            note = run.get("note")
            name = compositor.replace("|", "\\|")
            if note:
                if note not in notes:
                    notes.append(note)
                name += f" [{notes.index(note) + 1}]"
            figures = derive(run)
            cells = [FORMATTERS[kind](figures[key]) for key, _, kind in COLUMNS]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        parts.append("\n".join(lines))
    if notes:
        parts.append("\n\n".join(f"[{i}] {note}" for i, note in enumerate(notes, 1)))
    return "\n\n".join(parts) + "\n"


def guest_summary(results):
    guest = results.get("guest", {})
    bits = []
    if guest.get("mode"):
        bits.append(f"guest {guest['mode']}")
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
    return intro + markdown_tables(results)


# The chart's panels: (key of derive()'s result, title, log scale)
PANELS = [
    ("px_per_s", "Pixels sent per second (log scale)", True),
    ("cpu_pct", "CPU % (100 = one CPU)", False),
    ("rss_mib", "Peak RSS (MiB)", False),
]


def write_chart(results, path, width_px=1600, height_px=600):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    compositors, workloads = compositors_and_workloads(results)
    runs = _runs_by_key(results)
    figures = {(c, w): derive(runs.get((c, w))) for c in compositors for w in workloads}
    colours = plt.get_cmap("tab10").colors

    dpi = 100
    fig, axes = plt.subplots(1, len(PANELS), figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    n = max(len(compositors), 1)
    group = 0.8  # width of one workload's bars
    bar = group / n
    for ax, (key, title, log) in zip(axes, PANELS):
        values = [figures[(c, w)][key] for c in compositors for w in workloads]
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
            xs = [j - group / 2 + bar * (i + 0.5) for j in range(len(workloads))]
            ys = [figures[(compositor, w)][key] for w in workloads]
            heights = [0 if _unknown(y) or (log and y <= 0) else y for y in ys]
            ax.bar(xs, heights, bar * 0.92, color=colours[i % len(colours)], label=compositor,
                   zorder=2)
            # What a bar cannot show, written at the baseline.
            for x, y, w in zip(xs, ys, workloads):
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
        ax.set_xticks(range(len(workloads)))
        ax.set_xticklabels(workloads, rotation=20, ha="right", fontsize=9)
        ax.set_xlim(-0.5, len(workloads) - 0.5)
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
    fig.subplots_adjust(left=0.045, right=0.99, top=0.78, bottom=0.2, wspace=0.22)
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
