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
        # A timeout is the command's doing: never run again as a QEMU abort.
        self.assertEqual(result.qemu_aborts, [])

    def test_qemu_abort_is_recognised(self):
        """The abort seen in CI is told apart from a guest that just ended."""
        job = Path(pbvm._make_job_dir(Path(CACHE), None))
        ended = pbvm.Result(job=job)
        (job / "qemu.log").write_text("2026-12-01T10:00:00.1Z qemu-system-x86_64: terminating on signal 15\n")
        self.assertIsNone(pbvm._qemu_abort(ended))
        (job / "qemu.log").write_text(
            "qemu-system-x86_64: system/physmem.c:2671: iotlb_to_section: "
            "Assertion `section_index < d->map.sections_nb' failed.\n")
        self.assertEqual(pbvm._qemu_abort(ended),
                         "system/physmem.c:2671: iotlb_to_section: Assertion "
                         "`section_index < d->map.sections_nb' failed")
        ended.status = 0
        self.assertIsNone(pbvm._qemu_abort(ended), "a command that finished is never rerun")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    CACHE = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
