#!/usr/bin/python3
"""The soak: primebridge for MINUTES in the QEMU guest while clients open and
close every few seconds (bench/guest_soak.py). Prints the compositor's
resident memory, open file descriptors and the display device's framebuffer
count over time, and their growth from minute 2 (a fifth of the run when
shorter) to the end; the target is under 1%. Writes OUT (Markdown) if given.

Usage: soak.py BUILD_DIR VM_CACHE [--minutes M] [--interval S] [--out FILE] [--check]
  --check (the smoke test): fail if a client failed, if primebridge did not
  end cleanly, or if descriptors or framebuffers grew. Memory is reported,
  not judged: a short run has not settled.
"""
import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "vm"))
import pbvm  # noqa: E402

TARGET_GROWTH = 0.01
FIGURES = (("rss_kib", "RSS (KiB)"), ("fds", "open fds"), ("framebuffers", "framebuffers"))


def growth(samples, since):
    """(first, last, relative growth) of each figure from the first sample at
    or after `since` seconds to the last."""
    base = next(s for s in samples if s["seconds"] >= since)
    last = samples[-1]
    return {key: (base[key], last[key], (last[key] - base[key]) / base[key] if base[key] else 0)
            for key, _ in FIGURES}


def table(samples):
    lines = ["| minute | " + " | ".join(title for _, title in FIGURES) + " |",
             "|---:|" + "---:|" * len(FIGURES)]
    for s in samples:
        lines.append(f"| {s['seconds'] / 60:.1f} | "
                     + " | ".join(str(s[key]) for key, _ in FIGURES) + " |")
    return "\n".join(lines)


def verdicts(grown, since):
    return [f"{'PASS' if abs(g) < TARGET_GROWTH else 'MISS'}  {title}: {a} at "
            f"{since / 60:.1f} min, {b} at the end ({100 * g:+.2f}%, target under 1%)"
            for (key, title), (a, b, g) in ((f, grown[f[0]]) for f in FIGURES)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build")
    parser.add_argument("cache")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--interval", type=float, default=30)
    parser.add_argument("--out")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    build = Path(args.build).resolve()
    seconds = args.minutes * 60
    since = min(120.0, seconds / 5)
    cmd = (f"echo 0 > /sys/class/graphics/fbcon/cursor_blink; "
           f"{build}/compositor/primebridge --allow-root -- /usr/bin/python3 {HERE / 'guest_soak.py'} "
           f"{build} {seconds:g} {args.interval:g}")
    result = pbvm.run(cmd, args.cache, timeout=seconds + 300,
                      env={"MESA_SHADER_CACHE_DISABLE": "true"})
    path = result.job / "soak.json"
    if not path.exists():
        sys.exit(f"soak: no samples (status {result.status}); see {result.job}\n"
                 + pbvm._tail_lines(result.output))
    soak = json.loads(path.read_text())
    samples = soak["samples"]
    grown = growth(samples, since)
    report = (f"{soak['clients_opened']} clients opened and closed in {args.minutes:g} min; "
              f"samples every {args.interval:g} s.\n\n{table(samples)}\n\n"
              + "\n".join(verdicts(grown, since)) + "\n")
    print(report)
    for failure in soak["failures"]:
        print(f"soak: client failed: {failure}")
    if args.out:
        Path(args.out).write_text(report)
    if args.check:
        problems = [f"client failed: {f}" for f in soak["failures"]]
        if result.status != 0:
            problems.append(f"primebridge ended with status {result.status}")
        problems += [f"{title} grew from {grown[key][0]} to {grown[key][1]}"
                     for key, title in FIGURES[1:] if grown[key][1] > grown[key][0]]
        if problems:
            sys.exit("soak: " + "; ".join(problems) + f" (guest job {result.job})")


if __name__ == "__main__":
    main()
