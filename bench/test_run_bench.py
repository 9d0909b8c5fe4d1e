#!/usr/bin/python3
"""The benchmark's own arithmetic: damage read from a client's WAYLAND_DEBUG
log and the targets' verdicts."""
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_bench  # noqa: E402

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


def run(compositor, workload, frames, px_sent, px_damaged, cpu=1.0, seconds=10.0):
    return {"compositor": compositor, "workload": workload, "seconds": seconds,
            "frames": frames, "px_sent": px_sent, "px_damaged": px_damaged,
            "cpu_seconds": cpu, "peak_rss_kib": 1000, "note": None}


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

    def test_check_names_what_did_not_run(self):
        failed = dict(run("sway", "typing", None, None, None), note="failed: it crashed")
        runs = [run("primebridge", "typing", 100, 1000, 1000), failed,
                dict(run("primebridge", "fullscreen", None, None, None), note="failed: no socket"),
                dict(run("primebridge-gpu", "typing", None, None, None), note="not run: no GPU")]
        self.assertEqual(run_bench.check(runs), ["primebridge fullscreen: failed: no socket",
                                                 "sway: no workload measured"])
        runs.append(run("sway", "pointer", 10, 0, 0))
        self.assertEqual(run_bench.check(runs), ["primebridge fullscreen: failed: no socket"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
