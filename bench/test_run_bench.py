#!/usr/bin/python3
"""The benchmark's own arithmetic: damage read from a client's WAYLAND_DEBUG
log, latency read from a client's record and checked against the host's
trace, and the targets' verdicts."""
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import latency  # noqa: E402
import run_bench  # noqa: E402
import pbvm  # noqa: E402 (on the path since run_bench)

# What weston-simple-shm and foot send, trimmed to the requests that matter.
LOG = b"""\
[ 1.000]  -> wl_shm_pool@5.create_buffer(new id wl_buffer@8, 0, 250, 250, 1000, 1)
[ 1.001]  -> wl_shm_pool@5.create_buffer(new id wl_buffer@9, 250000, 24, 24, 96, 0)
[ 1.002]  -> wl_surface@3.attach(wl_buffer@8, 0, 0)
[ 1.003]  -> wl_surface@3.damage_buffer(0, 0, 2147483647, 2147483647)
[ 1.004]  -> wl_surface@3.commit()
[ 1.005]  -> wl_surface@4.attach(wl_buffer@9, 0, 0)
[ 1.006]  -> wl_pointer@6.set_cursor(7, wl_surface@4, 4, 4)
MARK
[ 2.000]  -> wl_surface@3.damage(10, 10, 20, 20)
[ 2.001]  -> wl_surface@3.damage_buffer(20, 20, 20, 20)
[ 2.002]  -> wl_surface@3.commit()
[ 2.003]  -> wl_surface@4.damage_buffer(0, 0, 24, 24)
[ 2.004]  -> wl_surface@4.commit()
[ 2.005]  -> wl_surface@3.damage(240, 240, 100, 100)
[ 2.006]  -> wl_surface@3.commit()
"""


class ClientDamage(unittest.TestCase):
    def test_union_area(self):
        self.assertEqual(run_bench.union_area([]), 0)
        self.assertEqual(run_bench.union_area([(0, 0, 10, 10), (5, 5, 15, 15)]), 175)
        self.assertEqual(run_bench.union_area([(0, 0, 10, 10), (0, 0, 10, 10)]), 100)
        self.assertEqual(run_bench.union_area([(0, 0, 10, 1), (20, 0, 30, 1)]), 20)

    def test_commits_in_the_interval(self):
        start = LOG.index(b"MARK")
        # Two overlapping 20x20 rectangles (700 px), then one clipped to the
        # 250x250 buffer (100 px); the pointer image is not counted, nor the
        # whole-buffer commit before the interval.
        self.assertEqual(run_bench.client_damage(LOG, start, len(LOG)), 800)
        self.assertEqual(run_bench.client_damage(LOG, 0, start), 250 * 250)
        self.assertEqual(run_bench.client_damage(LOG, start, start), 0)

    def test_libwayland_1_23_log(self):
        # Debian 13's libwayland writes wl_surface#3 and names the queue.
        log = LOG.replace(b"@", b"#").replace(b"]  -> ", b"] {Default Queue}  -> ")
        start = log.index(b"MARK")
        self.assertEqual(run_bench.client_damage(log, start, len(log)), 800)
        self.assertEqual(run_bench.client_damage(log, 0, start), 250 * 250)


def run(compositor, workload, frames, px_sent, px_damaged, cpu=1.0, seconds=10.0,
        lat=None):
    """A run's figures; lat: (median, p99) of commit to presented, in ms."""
    r = {"compositor": compositor, "workload": workload, "seconds": seconds,
         "frames": frames, "px_sent": px_sent, "px_damaged": px_damaged,
         "cpu_seconds": cpu, "peak_rss_kib": 1000, "note": None}
    if lat is not None:
        r["latency"] = {"presented": 100, "discarded": 0, "presented_ms":
                        {"median": lat[0], "p99": lat[1]},
                        "host_ms": {"median": lat[0] - 1, "p99": lat[1] - 1}}
    return r


class Targets(unittest.TestCase):
    def test_verdicts(self):
        runs = [run("primebridge", "idle-terminal", 0, 0, 0),
                run("primebridge", "pointer", 3, 300, 0),
                run("primebridge", "typing", 100, 2000, 1000),
                run("weston", "typing", 100, 30000, 1000),
                run("primebridge", "fullscreen", 900, 9, 9, cpu=1.0),
                run("primebridge-composed", "fullscreen", 450, 9, 9, cpu=2.0)]
        lines = run_bench.targets(runs)
        self.assertIn("PASS  idle-terminal: 0 px sent (zero)", lines)
        self.assertIn("MISS  pointer: 300 px sent (zero)", lines)
        self.assertIn("MISS  typing: sent/damaged 2.000 (at most 1.5)", lines)
        self.assertIn("MISS  fullscreen: 90.0 frames/s (at most 78.75)", lines)
        self.assertIn("PASS  typing: weston sends 15.0x the pixels primebridge sends "
                      "(at least 10x)", lines)
        self.assertIn("PASS  fullscreen: 1.11 ms CPU per frame copied directly, "
                      "4.44 ms composed", lines)
        self.assertEqual(run_bench.check(runs), ["primebridge pointer: 300 px sent, not 0"])

    def test_whole_frame_kernels_make_damage_targets_void(self):
        runs = [run("primebridge", "typing", 100, 2000, 1000),
                run("weston", "typing", 100, 30000, 1000),
                run("primebridge", "idle-terminal", 0, 0, 0)]
        lines = run_bench.targets(runs, whole_frames=True, kernel="6.12")
        self.assertIn("N/A   typing: sent/damaged 2.000 (at most 1.5): kernel 6.12 sends "
                      "whole frames", lines)
        self.assertIn("N/A   typing: weston sends 15.0x the pixels primebridge sends "
                      "(at least 10x): kernel 6.12 sends whole frames", lines)
        # Nothing sent while idle holds on every kernel.
        self.assertIn("PASS  idle-terminal: 0 px sent (zero)", lines)

    def test_latency_against_the_best_peer(self):
        period = 1000 / run_bench.REFRESH
        runs = [run("primebridge", "animate-250", 750, 9, 9, lat=(17.0, 40.0)),
                run("weston", "animate-250", 750, 9, 9, lat=(12.0, 30.0)),
                run("cage", "animate-250", 750, 9, 9, lat=(5.0, 26.0)),
                run("sway", "animate-250", 750, 9, 9),  # no latency figures
                dict(run("labwc", "animate-250", None, None, None), note="failed: no socket")]
        lines = [x for x in run_bench.targets(runs) if "commit to presented" in x]
        self.assertEqual(lines, [
            "PASS  animate-250: commit to presented median 17.0 ms; host flush 16.0 ms, "
            f"best peer cage 5.0 ms (at most {5 + period:.1f})",
            "MISS  animate-250: commit to presented p99 40.0 ms; host flush 39.0 ms, "
            f"best peer cage 26.0 ms (at most {26 + period:.1f})"])

    def test_check_is_about_primebridge_alone(self):
        # Peers that fail, show nothing or lack figures are reported, not problems.
        runs = [run("primebridge", "typing", 100, 1000, 1000),
                dict(run("sway", "typing", None, None, None), note="failed: it crashed"),
                dict(run("labwc", "typing", 0, 0, 0), note="showed nothing: the screen was "
                                                           "one colour"),
                dict(run("weston", "animate-250", 10, 10, 10), latency={"note": "no record"}),
                dict(run("primebridge", "fullscreen", None, None, None), note="failed: no socket"),
                dict(run("primebridge-gpu", "typing", None, None, None), note="not run: no GPU")]
        self.assertEqual(run_bench.check(runs), ["primebridge fullscreen: failed: no socket"])
        runs += [dict(run("primebridge", "simple-shm-250", 0, 0, 0),
                      note="showed nothing: no frame reached the host"),
                 dict(run("primebridge", "animate-250", 10, 10, 10),
                      latency={"presented": 0, "presented_ms": None})]
        self.assertEqual(run_bench.check(runs, ties=[]), [
            "primebridge fullscreen: failed: no socket",
            "primebridge simple-shm-250: showed nothing: no frame reached the host",
            "primebridge animate-250: latency: no frame presented in the interval",
            "no clock tie between guest and host: no host check of latency"])


LATENCY_LOG = """\
# pb-test-client latency 250x250 clock 1
0 1000000000 presented 1014000000 13333333 0
1 1014500000 discarded
2 1015000000 presented 1028000000 13333333 0
3 1029000000 presented 10"""


def flush(t, res=7):
    return pbvm.TraceEvent("virtio_gpu_cmd_res_flush", {"res_id": res, "w": 16, "h": 16,
                                                         "x": 0, "y": 0}, t)


class Latency(unittest.TestCase):
    def test_parse_frames(self):
        header, frames = latency.parse_frames(LATENCY_LOG)
        self.assertEqual(header, "pb-test-client latency 250x250 clock 1")
        # The last line, cut short, is left out.
        self.assertEqual(frames, [latency.Frame(0, 1000000000, 1014000000),
                                  latency.Frame(1, 1014500000, None),
                                  latency.Frame(2, 1015000000, 1028000000)])
        self.assertEqual(latency.parse_frames("# no wp_presentation\n"),
                         ("no wp_presentation", []))

    def test_percentiles(self):
        self.assertIsNone(latency.percentile([], 99))
        values = list(range(1, 101))
        self.assertEqual(latency.percentile(values, 99), 99)
        self.assertEqual(latency.percentile(values, 100), 100)
        self.assertEqual(latency.percentile([5.0], 99), 5.0)
        self.assertEqual(latency.summary([3, 1, 2, 10]), {"median": 2.5, "p99": 10})
        self.assertIsNone(latency.summary([]))

    def calls(self, start_s=100.0, n=5):
        """Guest updates with pb-clock-sync's pattern of waits (10 + 7i % 21 ms)."""
        out, t = [], start_s
        for i in range(n):
            out.append([round(t * 1e9), round((t + 0.0004) * 1e9)])
            t += (10 + i * 7 % 21) / 1000 + 0.0004
        return out

    def test_tie(self):
        calls = self.calls()
        offset = 5000.0
        delays = [0.002, 0.0005, 0.003, 0.001, 0.0025]
        flushes = [c[0] / 1e9 + offset + d for c, d in zip(calls, delays)]
        found = latency.tie(calls, flushes)
        self.assertAlmostEqual(found["offset_s"], offset + 0.0005, places=6)
        self.assertAlmostEqual(found["spread_ms"], 2.5, places=3)
        self.assertEqual(found["updates"], 5)
        # The mode set's flush first: the pattern of waits finds the updates.
        found = latency.tie(calls, [flushes[0] - 0.05] + flushes)
        self.assertAlmostEqual(found["offset_s"], offset + 0.0005, places=6)
        # Too few flushes, or flushes that are not these updates.
        self.assertIsNone(latency.tie(calls, flushes[:4]))
        self.assertIsNone(latency.tie(calls, [f + i * 0.2 for i, f in enumerate(flushes)]))

    def test_offset_between_ties_and_drift(self):
        ties = [{"guest_s": 100.0, "offset_s": 5000.0}, {"guest_s": 200.0, "offset_s": 5000.001}]
        self.assertEqual(latency.offset_at(ties, 50.0), 5000.0)
        self.assertAlmostEqual(latency.offset_at(ties, 150.0), 5000.0005, places=9)
        self.assertEqual(latency.offset_at(ties, 250.0), 5000.001)
        self.assertAlmostEqual(latency.drift_ppm(ties), 10.0, places=6)
        self.assertIsNone(latency.drift_ppm(ties[:1]))
        self.assertEqual(latency.steps(ties), [])

    def test_a_step_of_the_host_clock(self):
        ties = [{"name": "sync-0", "guest_s": 100.0, "offset_s": 5000.0},
                {"name": "sync-1", "guest_s": 200.0, "offset_s": 5000.001},
                {"name": "sync-2", "guest_s": 300.0, "offset_s": 5000.761},
                {"name": "sync-3", "guest_s": 400.0, "offset_s": 5000.762}]
        (step,) = latency.steps(ties)
        self.assertEqual(step[:2], ("sync-1", "sync-2"))
        self.assertAlmostEqual(step[2], 760.0, places=6)
        # The drift is the neighbours' median: the step does not count.
        self.assertAlmostEqual(latency.drift_ppm(ties), 10.0, places=6)
        self.assertEqual(latency.ties_around(ties, 120.0, 130.0), ties[:2])
        self.assertEqual(latency.ties_around(ties, 50.0, 60.0), ties[:1])
        self.assertEqual(latency.ties_around(ties, 450.0, 460.0), ties[3:])
        self.assertIsNone(latency.ties_around(ties, 220.0, 230.0))
        frames = [latency.Frame(0, 221_000_000_000, 221_012_000_000)]
        out = latency.run_latency(frames, (220e9, 230e9), [5221.0], ties, 1 / 75)
        self.assertEqual(out["presented"], 1)
        self.assertIsNone(out["host_ms"])
        self.assertEqual(out["host_note"], "the host's clock stepped during the run: no host check")

    def test_run_latency_checked_against_the_host(self):
        offset, period = 5000.0, 1 / 75
        ties = [{"guest_s": 0.0, "offset_s": offset}]
        frames, flushes = [], []
        for n in range(10):
            commit = 1.0 + n * period
            if n == 4:
                frames.append(latency.Frame(n, round(commit * 1e9), None))
                continue
            shown = commit + 0.012 + (0.004 if n == 7 else 0)
            frames.append(latency.Frame(n, round(commit * 1e9), round(shown * 1e9)))
            # The host got each frame 1 ms before the compositor said it was shown.
            flushes.append(shown + offset - 0.001)
        # Another flush, long after anything was shown, matches nothing.
        flushes.append(1.0 + 20 * period + offset)
        # Frames 0 and 9 lie outside the interval.
        interval = (round((1.0 + period / 2) * 1e9), round((1.0 + 8.5 * period) * 1e9))
        out = latency.run_latency(frames, interval, sorted(flushes), ties, period)
        self.assertEqual((out["committed"], out["presented"], out["discarded"]), (8, 7, 1))
        self.assertAlmostEqual(out["presented_ms"]["median"], 12.0, places=3)
        self.assertAlmostEqual(out["presented_ms"]["p99"], 16.0, places=3)
        self.assertEqual(out["matched"], 7)
        self.assertAlmostEqual(out["host_ms"]["median"], 11.0, places=3)
        self.assertAlmostEqual(out["residual_ms"]["median"], 1.0, places=3)
        # Without ties (or flushes) the guest's figures stand alone.
        alone = latency.run_latency(frames, interval, [], ties, period)
        self.assertIsNone(alone["host_ms"])
        self.assertEqual(alone["presented"], 7)
        # A compositor whose presented times lie by more than half a period
        # matches no flush: a flush before the commit never counts.
        early = [latency.Frame(f.n, f.commit_ns, f.commit_ns - 20_000_000)
                 for f in frames if f.presented_ns]
        out = latency.run_latency(early, interval, sorted(flushes), ties, period)
        self.assertEqual(out["matched"], 0)
        self.assertIsNone(out["host_ms"])


class HostSide(unittest.TestCase):
    def test_clock_ties_from_the_trace(self):
        calls = Latency.calls(None, start_s=100.0, n=4)
        offset = 5000.0
        mark = pbvm.Screendump(Path("s.png"), Path("s.ppm"), offset + 99.0)
        console = 1
        trace = [flush(offset + 98.0),  # before the mark: a compositor's
                 flush(offset + 99.5, res=console)]
        trace += [flush(c[0] / 1e9 + offset + 0.001) for c in calls]
        trace.append(flush(offset + 101.0))  # the next compositor's
        flushes = run_bench.host_flushes(trace, console)
        syncs = [{"name": "sync-0", "calls": calls, "error": None},
                 {"name": "sync-1", "calls": [], "error": "pb-clock-sync: no card"}]
        ties, notes = run_bench.clock_ties(syncs, {"sync-0": mark}, flushes)
        self.assertEqual(len(ties), 1)
        self.assertAlmostEqual(ties[0]["offset_s"], offset + 0.001, places=6)
        self.assertEqual(ties[0]["name"], "sync-0")
        self.assertEqual(notes, ["sync-1: pb-clock-sync: no card"])

    def test_uniform_screens_show_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            flat, busy = Path(tmp) / "flat.ppm", Path(tmp) / "busy.ppm"
            flat.write_bytes(b"P6\n4 2\n255\n" + bytes([48, 48, 48]) * 8)
            busy.write_bytes(b"P6\n4 2\n255\n" + bytes([48, 48, 48]) * 7 + bytes([1, 2, 3]))
            self.assertTrue(run_bench.is_uniform(flat))
            self.assertFalse(run_bench.is_uniform(busy))

            class Result:
                screendumps = {"cage.typing-end": pbvm.Screendump(flat, flat, 0.0),
                               "cage.pointer-end": pbvm.Screendump(busy, busy, 0.0)}
            record = {"compositor": "cage", "workload": "typing"}
            self.assertEqual(run_bench.shows_nothing(Result, record, 5),
                             "showed nothing: the screen was one colour")
            record["workload"] = "pointer"
            self.assertIsNone(run_bench.shows_nothing(Result, record, 0))
            record["workload"] = "animate-250"
            self.assertEqual(run_bench.shows_nothing(Result, record, 0),
                             "showed nothing: no frame reached the host")


if __name__ == "__main__":
    unittest.main(verbosity=2)
