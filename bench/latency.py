"""Latency: from a client's commit to its frame reaching the host.

The latency workloads' client (pb-test-client latency, or fullscreen with a
file) records for every frame CLOCK_MONOTONIC just before its
wl_surface.commit and the time the compositor gives in
wp_presentation_feedback.presented, or that the frame was discarded.
commit→presented is the compositor's own account, measured in the guest.

The host checks it against QEMU's trace, whose times are the host's clock:

- Clock ties (pb-clock-sync, bench/clock_sync.c): between compositors the
  guest asks for display updates one by one and notes CLOCK_MONOTONIC just
  before each; the host's trace shows each as a resource flush. No flush can
  come before the guest asked for it, so the smallest (host - guest)
  difference of a tie is the offset between the clocks, too large by at most
  the quickest update's delay. The ties before and after a run give its
  offset by linear interpolation (the guest's clock may run at a slightly
  different rate).
- Each presented frame is matched to the host flush nearest its presented
  time (put on the host's clock) among those not before its commit, within
  half a refresh period. commit→host is that flush's time minus the
  commit's; the residual (presented - flush) says how far the compositor's
  presented time is from the host getting the frame.
- The offset drifts by microseconds over a run. When the ties before and
  after a run differ by more (the host's wall clock, which QEMU's trace and
  the screendumps use, was stepped, or the machine paused), the run gets no
  host figures rather than wrong ones.

Pure functions, unit-tested by test_run_bench.py.
"""
import bisect
import math
import statistics
from dataclasses import dataclass

# A tie whose updates' delays vary more than this is not trusted.
MAX_TIE_SPREAD_S = 0.1
# Ties around a run that differ by more than this: the host's clock stepped.
MAX_STEP_S = 0.005


@dataclass
class Frame:
    n: int
    commit_ns: int
    presented_ns: int | None  # None: discarded


def parse_frames(text):
    """(header, [Frame]) of a latency file; header is its first comment line
    without '# ' ('no wp_presentation' when the compositor offers none)."""
    header, frames = None, []
    lines = text.split("\n")[:-1]  # a last line cut short by the client's end is left out
    for line in lines:
        if line.startswith("#"):
            header = header or line.lstrip("# ").strip()
            continue
        parts = line.split()
        if len(parts) == 6 and parts[2] == "presented":
            frames.append(Frame(int(parts[0]), int(parts[1]), int(parts[3])))
        elif len(parts) == 3 and parts[2] == "discarded":
            frames.append(Frame(int(parts[0]), int(parts[1]), None))
    return header, frames


def percentile(values, q):
    """The nearest-rank q-th percentile (0 < q <= 100) of values, None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)), 1) - 1]


def summary(values):
    """{"median", "p99"} of values, None if empty."""
    if not values:
        return None
    return {"median": statistics.median(values), "p99": percentile(values, 99)}


def tie(calls, flush_times):
    """One clock tie from the guest's updates [[before_ns, after_ns], ...] and the
    host times (s) of the flushes after its mark, in order; None if they do not
    fit. The updates are the first flushes, or the first but one (the mode
    set's own); the pattern of waits between them picks which."""
    n = len(calls)
    if n == 0 or len(flush_times) < n:
        return None
    best = None
    for shift in range(min(2, len(flush_times) - n + 1)):
        diffs = [flush_times[k + shift] - calls[k][0] / 1e9 for k in range(n)]
        spread = max(diffs) - min(diffs)
        if best is None or spread < best[0]:
            best = (spread, diffs)
    spread, diffs = best
    if spread > MAX_TIE_SPREAD_S:
        return None
    return {
        "guest_s": statistics.median(c[0] for c in calls) / 1e9,
        "offset_s": min(diffs),
        # How long after the guest's request the host logged the flush, over the
        # quickest: the error of the offset is at most the quickest itself.
        "delay_median_ms": 1000 * (statistics.median(diffs) - min(diffs)),
        "spread_ms": 1000 * spread,
        "updates": n,
    }


def offset_at(ties, guest_s):
    """The host-minus-guest offset (s) at guest time guest_s: linear between the
    ties around it, the nearest tie's beyond them. ties: sorted by guest_s."""
    times = [t["guest_s"] for t in ties]
    i = bisect.bisect_left(times, guest_s)
    if i == 0:
        return ties[0]["offset_s"]
    if i == len(ties):
        return ties[-1]["offset_s"]
    a, b = ties[i - 1], ties[i]
    frac = (guest_s - a["guest_s"]) / (b["guest_s"] - a["guest_s"])
    return a["offset_s"] + frac * (b["offset_s"] - a["offset_s"])


def drift_ppm(ties):
    """How much faster the host's clock ran than the guest's, in parts per
    million: the median over neighbouring ties (a step between two of them
    does not count); None with fewer than two ties."""
    slopes = [(b["offset_s"] - a["offset_s"]) / (b["guest_s"] - a["guest_s"])
              for a, b in zip(ties, ties[1:]) if b["guest_s"] > a["guest_s"]]
    return 1e6 * statistics.median(slopes) if slopes else None


def steps(ties):
    """[(name before, name after, ms)] of neighbouring ties whose offsets differ
    by more than MAX_STEP_S: the host's clock stepped between them."""
    return [(a.get("name"), b.get("name"), 1000 * (b["offset_s"] - a["offset_s"]))
            for a, b in zip(ties, ties[1:]) if abs(b["offset_s"] - a["offset_s"]) > MAX_STEP_S]


def ties_around(ties, start_s, end_s):
    """The ties just before start_s and just after end_s (guest seconds) that
    exist, or None when they differ by more than MAX_STEP_S."""
    times = [t["guest_s"] for t in ties]
    around = ties[max(bisect.bisect_right(times, start_s) - 1, 0):
                  bisect.bisect_left(times, end_s) + 1]
    around = [around[0], around[-1]] if len(around) > 1 else around
    if len(around) == 2 and abs(around[1]["offset_s"] - around[0]["offset_s"]) > MAX_STEP_S:
        return None
    return around


def run_latency(frames, interval_ns, flush_times, ties, period_s):
    """The latency figures of one run: frames committed within interval_ns
    (guest CLOCK_MONOTONIC), checked against the host flush times (s, sorted)
    when there are ties. Times in milliseconds."""
    start, end = interval_ns
    committed = [f for f in frames if start <= f.commit_ns <= end]
    presented = [f for f in committed if f.presented_ns is not None]
    out = {
        "committed": len(committed),
        "presented": len(presented),
        "discarded": len(committed) - len(presented),
        "presented_ms": summary([(f.presented_ns - f.commit_ns) / 1e6 for f in presented]),
        "host_ms": None,
        "residual_ms": None,
        "matched": None,
    }
    if not ties or not flush_times or not presented:
        return out
    around = ties_around(ties, start / 1e9, end / 1e9)
    if around is None:
        out["host_note"] = "the host's clock stepped during the run: no host check"
        return out
    ties = around
    host_ms, residual_ms = [], []
    for f in presented:
        commit = f.commit_ns / 1e9 + offset_at(ties, f.commit_ns / 1e9)
        shown = f.presented_ns / 1e9 + offset_at(ties, f.presented_ns / 1e9)
        first = bisect.bisect_left(flush_times, commit)
        i = bisect.bisect_left(flush_times, shown, lo=first)
        candidates = [flush_times[j] for j in (i - 1, i) if first <= j < len(flush_times)]
        if not candidates:
            continue
        flush = min(candidates, key=lambda t: abs(t - shown))
        if abs(shown - flush) > period_s / 2:
            continue
        host_ms.append(1000 * (flush - commit))
        residual_ms.append(1000 * (shown - flush))
    out["matched"] = len(host_ms)
    out["host_ms"] = summary(host_ms)
    if residual_ms:
        out["residual_ms"] = {"median": statistics.median(residual_ms),
                              "p99_abs": percentile([abs(r) for r in residual_ms], 99)}
    return out
