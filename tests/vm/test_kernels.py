#!/usr/bin/env python3
"""The kernel matrix: what primebridge promises, on one guest kernel.

meson runs this once per kernel (6.1, 6.12, 7.3, and 6.12 and 7.3 with the
fixed virtio-gpu of modules/virtio-gpu-damage-fix) with PBVM_KERNEL set. It
checks what --probe reports of the kernel (FB_DAMAGE_CLIPS, cursor hotspot
properties, whole-frame updates), exact pixels with the host updated in
place and by flipping, the host traffic of weston-simple-shm (250x250) both
ways, the cursor plane under pointer motion, and a VT switch. On kernels
whose virtio-gpu sends whole frames (pbvm.KERNEL_FEATURES) the ratio is
measured and printed, and every flush must be whole; elsewhere
flushed/damaged must stay within 1.5 in place.
Usage: test_kernels.py BUILD_DIR VM_CACHE_DIR [unittest args]"""
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pbvm  # noqa: E402
import test_session  # noqa: E402
from test_session import (HEIGHT, REFRESH, WIDTH, ClientPixels,  # noqa: E402
                          HostTraffic, SessionPause, counters, flushes)

KERNEL = pbvm.DEFAULT_KERNEL


def yes_no(value):
    return "yes" if value else "no"


class Probe(unittest.TestCase):
    def test_probe_names_the_kernel_s_features(self):
        result = pbvm.run_checked(f"uname -r; {test_session.BUILD}/compositor/primebridge --probe",
                                  test_session.CACHE, env=test_session.ENV, timeout=240)
        self.assertEqual(result.status, 0, result.output)
        out = result.output
        self.assertTrue(out.startswith(pbvm.base_kernel() + "."), out[:80])
        clips, hotspot = pbvm.kernel_feature("damage_clips"), pbvm.kernel_feature("hotspot")
        self.assertRegex(out, rf"FB_DAMAGE_CLIPS: {yes_no(clips)}")
        self.assertRegex(out, rf"hotspot properties {yes_no(hotspot)}")
        whole = pbvm.sends_whole_frames()
        self.assertRegex(out, r"damage to the host: whole frames" if whole
                         else r"damage to the host: limited to the damage")
        print(f"\nkernel {KERNEL}: damage clips {yes_no(clips)}, hotspot {yes_no(hotspot)}, "
              f"whole-frame updates {yes_no(whole)}", file=sys.stderr)


class SimpleShm(unittest.TestCase):
    """weston-simple-shm, 250x250, on 1280x800: what the host receives."""

    def traffic(self, update):
        seconds = 8
        config = f"[render]\\ncopy = cpu\\n[buffers]\\nhost-update = {update}\\n"
        result = test_session.session(
            f"pbvm-screendump start; timeout {seconds} weston-simple-shm > /dev/null; "
            "pbvm-screendump end", config=config)
        self.assertEqual(result.status, 0, result.output)
        self.assertNotIn("page flip failed", result.output)
        self.assertNotIn("could not be committed", result.output)
        c = counters(result)
        start, end = result.screendumps["start"].time, result.screendumps["end"].time
        sent = flushes(result, start, end)
        self.assertGreater(len(sent), seconds * 10, "the client hardly reached the host")
        flushed = sum(e["w"] * e["h"] for e in sent)
        whole = sum(1 for e in sent if e["w"] * e["h"] == WIDTH * HEIGHT)
        ratio = flushed / c["px_damaged"]
        rate = len(sent) / (end - start)
        print(f"\nkernel {KERNEL}, {update}: {len(sent)} flushes ({whole} whole), "
              f"{flushed} px flushed / {c['px_damaged']} px damaged = {ratio:.3f}, "
              f"{rate:.1f} flushes/s", file=sys.stderr)
        self.assertLessEqual(rate, REFRESH * 1.05)
        return sent, whole, ratio

    def test_in_place(self):
        sent, whole, ratio = self.traffic("in-place")
        if pbvm.sends_whole_frames():
            self.assertEqual(whole, len(sent))
        else:
            self.assertLessEqual(ratio, 1.5)

    def test_flip(self):
        sent, whole, ratio = self.traffic("flip")
        # Each dumb buffer has its own host copy, and the kernel sends the whole
        # frame when the framebuffer changes: flipping costs whole frames.
        self.assertEqual(whole, len(sent))


class Console(unittest.TestCase):
    def test_console_after_exit(self):
        """Once primebridge has gone, the console shows again, and what it prints."""
        result = test_session.session(
            "CLIENT hold 400 300 4 & sleep 2; pbvm-screendump during; wait",
            config="[render]\\ncopy = cpu\\n",
            extra="echo CONSOLE-CHECK > /dev/tty1; sleep 1; pbvm-screendump after")
        self.assertEqual(result.status, 0, result.output)
        after = pbvm.read_ppm(result.screendumps["after"].ppm)
        # The console's text (light grey on black) left of where the window was.
        lit = sum(1 for y in range(HEIGHT) for x in range(0, 240)
                  if after.pixel(x, y) != (0, 0, 0))
        ox, oy = test_session.window_origin()
        during = pbvm.read_ppm(result.screendumps["during"].ppm)
        self.assertEqual(during.pixel(ox + 10, oy + 10), test_session.pattern_pixel(10, 10))
        self.assertNotEqual(after.pixel(ox + 10, oy + 10), test_session.pattern_pixel(10, 10),
                            "the window stayed on screen after primebridge exited")
        print(f"\nkernel {KERNEL}: console after exit, {lit} lit pixels of its text",
              file=sys.stderr)
        self.assertGreater(lit, 100, "the console's text did not reach the host")


def load_tests(loader, tests, pattern):
    """This file's tests, plus the session tests that each kernel must pass."""
    suite = unittest.TestSuite()
    suite.addTests(loader.loadTestsFromTestCase(Probe))
    suite.addTests(loader.loadTestsFromTestCase(SimpleShm))
    suite.addTests(loader.loadTestsFromTestCase(Console))
    for case, name in ((ClientPixels, "test_cpu_path"), (ClientPixels, "test_flip_path"),
                       (HostTraffic, "test_pointer_motion_moves_only_the_cursor_plane"),
                       (HostTraffic, "test_idle_sends_nothing"),
                       (SessionPause, "test_vt_switch_away_and_back")):
        suite.addTest(case(name))
    return suite


if __name__ == "__main__":
    test_session.main(__doc__)
