#!/usr/bin/env python3
"""The test guest harness itself: exit status, timeouts, no QEMU left behind.
Usage: test_pbvm.py VM_CACHE_DIR [unittest args]"""
import os
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pbvm  # noqa: E402

CACHE = None


def qemu_processes_for(job):
    out = subprocess.run(["pgrep", "-af", "qemu-system"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if str(job) in line]


class Harness(unittest.TestCase):
    def test_status_output_and_trace(self):
        result = pbvm.run("echo hello from the guest; exit 7", CACHE, timeout=120)
        self.assertEqual(result.status, 7)
        self.assertIn("hello from the guest", result.output)
        # The kernel's fbcon sets a scanout at boot: the trace must show it.
        self.assertTrue(any(e.name == "virtio_gpu_cmd_set_scanout" for e in result.trace))
        self.assertEqual(qemu_processes_for(result.job), [])

    def test_timeout_kills_qemu(self):
        result = pbvm.run("sleep 600", CACHE, timeout=30)
        self.assertIsNone(result.status)
        self.assertTrue(result.timed_out)
        self.assertEqual(qemu_processes_for(result.job), [])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    CACHE = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
