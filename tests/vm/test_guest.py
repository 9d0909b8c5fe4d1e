#!/usr/bin/env python3
"""primebridge on a real virtio-gpu, in the QEMU test guest (see pbvm.py).

Each test boots a guest, runs primebridge there and checks what a user
would: what --probe reports, and the picture the host's screendump shows.
Usage: test_guest.py PRIMEBRIDGE_BINARY VM_CACHE_DIR [unittest args]"""
import os
import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pbvm  # noqa: E402

BINARY = None
CACHE = None
BARS = [(255, 255, 255), (255, 255, 0), (0, 255, 255), (0, 255, 0),
        (255, 0, 255), (255, 0, 0), (0, 0, 255), (0, 0, 0)]
QUIET_MESA = {"MESA_SHADER_CACHE_DISABLE": "true"}

# Shows the pattern, waits until primebridge says it is on screen, asks the
# host for a screendump of every head, then stops primebridge early with
# SIGTERM (it must exit 0 and clean up).
SHOW_PATTERN = r"""
{binary} --test-pattern=120 --allow-root > "$XDG_RUNTIME_DIR/pattern.log" 2>&1 & pid=$!
shown=0
for i in $(seq 150); do
    if [ $(grep -c "^test pattern on" "$XDG_RUNTIME_DIR/pattern.log") -ge {heads} ]; then shown=1; break; fi
    kill -0 $pid 2>/dev/null || break
    sleep 0.2
done
cat "$XDG_RUNTIME_DIR/pattern.log"
[ $shown = 1 ] || exit 3
for head in $(seq 0 $(({heads} - 1))); do pbvm-screendump head$head $head || exit 4; done
kill -TERM $pid
wait $pid
"""


def boot(command, **kwargs):
    env = {**QUIET_MESA, **kwargs.pop("env", {})}
    return pbvm.run_checked(command, CACHE, env=env, timeout=240, **kwargs)


def bar_start(bar, width):
    return bar * width // 8


class Probe(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.result = boot(f"{BINARY} --probe")
        cls.out = cls.result.output

    def field(self, name):
        match = re.search(rf"^\s*{re.escape(name)}: (.*)$", self.out, re.M)
        self.assertIsNotNone(match, f"no '{name}:' line in:\n{self.out}")
        return match.group(1)

    def test_exit_status(self):
        self.assertEqual(self.result.status, 0, self.out)

    def test_roles(self):
        self.assertEqual(self.field("display device"), "/dev/dri/card0 (virtio_gpu)")
        self.assertEqual(self.field("render device"), "/dev/dri/renderD129 (vgem)")
        self.assertEqual(self.field("render EGL device"), "node")
        self.assertRegex(self.out, r"device /dev/dri/card0\n  role: display\n  driver: virtio_gpu")
        self.assertRegex(self.out, r"device /dev/dri/card1\n  role: render\n  driver: vgem")

    def test_display_capabilities(self):
        self.assertEqual(self.field("atomic"), "yes")
        self.assertEqual(self.field("blob"), "no")
        self.assertEqual(self.field("host-visible"), "no")
        self.assertEqual(self.field("3d"), "no")
        self.assertEqual(self.field("FB_DAMAGE_CLIPS"),
                         "yes" if pbvm.kernel_feature("damage_clips") else "no")
        self.assertEqual(self.field("primary plane formats"), "XR24")
        self.assertTrue(self.field("cursor plane").startswith("yes, 64x64, formats AR24"))
        self.assertEqual(self.field("connector Virtual-1"),
                         "connected, preferred mode 1280x800@75")

    def test_linear_buffer(self):
        self.assertEqual(self.field("linear buffer"),
                         "1280x800, stride 5120 (alignment 256), 800 rows, 4096000 bytes, dumb")

    def test_import_into_render_device(self):
        self.assertEqual(self.field("import into render device"), "ok (EGL dma-buf import)")
        # Whether vgem can also be rendered into is reported either way; the
        # copy path must follow from it: a render device that cannot write
        # the buffer still composes, and the CPU reads the damage back.
        written = self.field("render into imported buffer").startswith("ok")
        self.assertTrue(self.field("copy path").startswith("gpu" if written else "readback"))

    def test_host_update(self):
        self.assertTrue(self.field("host update").startswith("in-place"))


class Pattern(unittest.TestCase):
    def show(self, heads=1, **kwargs):
        result = boot(SHOW_PATTERN.format(binary=BINARY, heads=heads), **kwargs)
        self.assertEqual(result.status, 0, result.output)
        return result

    def assert_bars(self, screendump, width, height):
        image = pbvm.read_ppm(screendump.ppm)
        self.assertEqual((image.width, image.height), (width, height))
        for bar, colour in enumerate(BARS):
            centre = (bar_start(bar, width) + bar_start(bar + 1, width)) // 2
            for y in (1, height // 2, height - 2):
                self.assertEqual(image.pixel(centre, y), colour,
                                 f"bar {bar} at ({centre}, {y}) in {screendump.png}")

    def assert_scanout(self, result, width, height):
        scanouts = [e for e in result.trace if e.name == "virtio_gpu_cmd_set_scanout"
                    and e["w"] == width and e["h"] == height]
        self.assertTrue(scanouts, "the host never saw a scanout of the pattern's size")

    def test_default_mode(self):
        result = self.show()
        self.assertIn("test pattern on Virtual-1: 1280x800@75, stride 5120, dumb buffer, "
                      "atomic commit", result.output)
        self.assert_bars(result.screendumps["head0"], 1280, 800)
        self.assert_scanout(result, 1280, 800)

    def test_width_not_a_multiple_of_64(self):
        # 1366 * 4 = 5464 bytes: the buffer is padded to 5632 (22 x 256).
        result = self.show(xres=1366, yres=768)
        self.assertIn("test pattern on Virtual-1: 1366x768@75, stride 5632, dumb buffer",
                      result.output)
        self.assert_bars(result.screendumps["head0"], 1366, 768)
        self.assert_scanout(result, 1366, 768)

    def test_legacy_modeset(self):
        result = self.show(env={"PRIMEBRIDGE_NO_ATOMIC": "1"})
        self.assertIn("legacy commit", result.output)
        self.assert_bars(result.screendumps["head0"], 1280, 800)

    def test_second_head_disabled(self):
        # QEMU enables only the first of max_outputs heads until a display
        # front-end asks for more, and -display none never does: the second
        # connector must be listed as disconnected and the first still lit.
        result = boot(f"{BINARY} --probe", max_outputs=2)
        self.assertEqual(result.status, 0, result.output)
        self.assertIn("connector Virtual-1: connected", result.output)
        self.assertIn("connector Virtual-2: disconnected", result.output)
        result = self.show(max_outputs=2)
        self.assertNotIn("Virtual-2", result.output)
        self.assert_bars(result.screendumps["head0"], 1280, 800)


class Errors(unittest.TestCase):
    def test_display_without_connector(self):
        result = boot(f"{BINARY} --test-pattern=1 --allow-root --display-device /dev/dri/card1")
        self.assertEqual(result.status, 1, result.output)
        self.assertIn("--display-device: /dev/dri/card1 (vgem) has no connected connector",
                      result.output)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BINARY = os.path.abspath(sys.argv.pop(1))
    CACHE = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
