#!/usr/bin/python3
"""Self-check of report.py: /usr/bin/python3 bench/test_report.py"""

import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

RESULTS = {
    "guest": {"mode": "1280x800@75", "refresh_hz": 75.0, "cpus": 2, "seconds": 10,
              "kernel": "6.12", "whole_frames": True},
    "compositors": ["primebridge", "primebridge-gpu", "weston"],
    "workloads": ["typing", "fullscreen"],
    "latency_workloads": ["fullscreen"],
    "clock": {"ties": [{"guest_s": 1.0, "offset_s": 2.0}] * 3, "failed": ["sync-3: no mark"],
              "drift_ppm": 12.345, "steps": [["sync-1", "sync-2", 760.21]]},
    "runs": [
        {"compositor": "primebridge", "workload": "typing", "seconds": 10.0, "frames": 100,
         "px_sent": 1234567, "px_damaged": 1000000, "cpu_seconds": 0.5,
         "peak_rss_kib": 45000, "note": None},
        {"compositor": "weston", "workload": "typing", "seconds": None, "frames": None,
         "px_sent": None, "px_damaged": None, "cpu_seconds": None, "peak_rss_kib": None,
         "note": "did not start: no seat"},
        {"compositor": "primebridge-gpu", "workload": "fullscreen", "seconds": 10.0,
         "frames": 500, "px_sent": 512000000, "px_damaged": None, "cpu_seconds": 6.0,
         "peak_rss_kib": 90000, "note": None, "copy_path": "gpu",
         "primebridge_counters": {"frames_presented": 500, "px_copied": 512000000,
                                  "px_copied_cpu": 0}},
        {"compositor": "primebridge", "workload": "fullscreen", "seconds": 8.0, "frames": 600,
         "px_sent": 614400000, "px_damaged": None, "cpu_seconds": 4.0,
         "peak_rss_kib": 102400, "note": None, "copy_path": "cpu",
         "primebridge_counters": {"frames_presented": 600, "px_copied": 614400000,
                                  "px_copied_cpu": 614400000},
         "latency": {"committed": 601, "presented": 600, "discarded": 1,
                     "presented_ms": {"median": 14.04, "p99": 26.66},
                     "host_ms": {"median": 13.51, "p99": 25.9},
                     "residual_ms": {"median": 0.5312, "p99_abs": 1.2}, "matched": 597}},
        {"compositor": "weston", "workload": "fullscreen", "seconds": 10.0, "frames": 0,
         "px_sent": 0, "px_damaged": 0, "cpu_seconds": 0.1, "peak_rss_kib": 20480,
         "note": "showed nothing: no frame reached the host",
         "latency": {"note": "no latency record"}},
    ],
}


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.json = os.path.join(self.dir.name, "results.json")
        self.md = os.path.join(self.dir.name, "out.md")
        self.png = os.path.join(self.dir.name, "out.png")
        with open(self.json, "w") as f:
            json.dump(RESULTS, f)

    def test_formatting(self):
        self.assertEqual(report.fmt_int(1257472), "1 257 472")
        self.assertEqual(report.fmt_int(None), "—")
        self.assertEqual(report.fmt_sig(1.23456), "1.23")
        self.assertEqual(report.fmt_sig(99.96), "100")
        self.assertEqual(report.fmt_sig(0.0123456), "0.0123")
        self.assertEqual(report.fmt_sig(12345.6), "12 300")
        self.assertEqual(report.fmt_sig(0), "0")

    def test_markdown_and_png(self):
        self.assertEqual(report.main([self.json, self.md, self.png]), 0)
        with open(self.md, encoding="utf-8") as f:
            md = f.read()
        self.assertIn("Guest 1280x800@75, kernel 6.12, 2 CPUs, 10 s per run.", md)
        self.assertIn("sends the host whole frames for every update", md)
        self.assertIn("Clock ties: 3 usable, 1 not; guest clock drift 12.3 ppm; the host's "
                      "clock stepped 760 ms between sync-1 and sync-2.", md)
        self.assertIn("#### Typing into a terminal, 10 characters/s", md)
        self.assertIn("#### Full-screen animated client", md)
        self.assertIn("| compositor | fps | px sent/s | px/frame | sent/damaged | CPU % | "
                      "peak RSS MiB |", md)
        # 100 frames in 10 s; 1 234 567 px; 0.5 s of CPU; 45 000 KiB.
        self.assertIn("| primebridge | 10.0 | 123 457 | 12 346 | 1.23 | 5.00 | 43.9 |", md)
        # Did not run: dashes and the note as footnote 1.
        self.assertIn("| weston [1] | — | — | — | — | — | — |", md)
        self.assertIn("[1] did not start: no seat", md)
        # px_damaged unknown: no ratio. 600 frames in 8 s.
        self.assertIn("| primebridge | 75.0 | 76 800 000 | 1 024 000 | — | 50.0 | 100 |", md)
        # Nothing sent: zeros, no px/frame or ratio; the note as footnote 2.
        self.assertIn("| weston [2] | 0 | 0 | — | — | 1.00 | 20.0 |", md)
        self.assertIn("[2] showed nothing: no frame reached the host", md)
        # Latency: its own table, for the workloads that have it.
        self.assertIn("#### Latency: Full-screen animated client", md)
        self.assertNotIn("#### Latency: Typing", md)
        self.assertIn("| compositor | frames presented | discarded | commit→presented median ms "
                      "| p99 ms | commit→host median ms | p99 ms | presented − host flush "
                      "median ms | matched % |", md)
        self.assertIn("| primebridge | 600 | 1 | 14.0 | 26.7 | 13.5 | 25.9 | 0.531 | 99.5 |", md)
        self.assertIn("| weston [2] [3] | — | — | — | — | — | — | — | — |", md)
        self.assertIn("[3] latency: no latency record", md)
        # The copy paths side by side, from primebridge's own counters: CPU
        # time per frame presented (4 s / 600), pixels copied and by the CPU.
        self.assertIn("#### Copy paths: Full-screen animated client", md)
        self.assertIn("| compositor | compositor CPU ms/frame | px copied/frame | of which by "
                      "the CPU |", md)
        self.assertIn("| primebridge (cpu) | 6.67 | 1 024 000 | 1 024 000 |", md)
        self.assertIn("| primebridge-gpu (gpu) | 12.0 | 1 024 000 | 0 |", md)
        self.assertNotIn("#### Copy paths: Typing", md)
        self.assertEqual(png_size(self.png), (1600, 600))
        # The tables alone, for embedding elsewhere.
        tables = report.markdown_tables(RESULTS)
        self.assertTrue(tables.startswith("#### Typing"))
        self.assertIn(tables, md)

    def test_cli(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report.py")
        subprocess.run([sys.executable, script, self.json, self.md, self.png], check=True)
        self.assertEqual(png_size(self.png), (1600, 600))


if __name__ == "__main__":
    unittest.main()
