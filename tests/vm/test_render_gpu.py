#!/usr/bin/env python3
"""The copy paths that compose on the render device, in the test guest,
and every path's host traffic.

gpu: the render device is vgem, rendered for by Mesa's software EGL device
([render] egl-device = software): frames are allocated on vgem and reach
the virtio-gpu buffers as dma-bufs, exactly as with a passed-through GPU;
only the rasteriser is the CPU (llvmpipe). Checks the exact pixels with the
host updated in place and by flipping, that the CPU copied no pixel, that
each copy's fence was carried by the flip or awaited, the status the control
protocol reports, a dma-buf client (weston-simple-dmabuf-egl through
linux-dmabuf) and clients sending wrong dma-buf parameters.
readback: vgem with its own driver (Mesa's kms_swrast), as the guest has it:
it composes but crashes writing the imported buffer, so the default
configuration reads the damage back; exact pixels, in place and flipping,
and a dma-buf client. Also set-copy-path readback on a gpu output.
Every path (gpu, readback, cpu): an animation's host traffic on the fixed
kernel is its damage.
The render device lost: a second virtio-gpu as the render device, removed
under a running session; everything moves to the cpu path with one line,
the window stays exact and clients go on.
Usage: test_render_gpu.py BUILD_DIR VM_CACHE_DIR [unittest args]"""
import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pbvm  # noqa: E402
import test_session  # noqa: E402
from test_session import WIDTH, HEIGHT, flushes, session, status_output  # noqa: E402

GPU = "[render]\\ncopy = gpu\\negl-device = software\\n"
CPU = "[render]\\ncopy = cpu\\n"
# The guest's default: vgem's own driver cannot write the linear buffer.
READBACK = None
PATTERN = 'CLIENT pattern 400 300 "pbvm-screendump a" "pbvm-screendump b"'


class GpuPath(unittest.TestCase):
    # Imported as an attribute: a TestCase in this module's namespace would run here too.
    check_pattern = test_session.ClientPixels.check_pattern

    def assert_gpu_copies(self, result):
        self.assertRegex(result.output, r"Copy path: gpu \(the render device \(vgem\) imports "
                         r"the linear buffer and writes it\)")
        self.assertRegex(result.output, r"render device /dev/dri/renderD129 \(vgem, software "
                         r"EGL device\)")
        output = status_output(result)
        self.assertEqual(output["copy_path"], "gpu", output)
        c = output["counters"]
        print(f"\ngpu path: {c['frames_presented']} frames, {c['px_copied']} px copied by the "
              f"render device, {c['px_copied_cpu']} by the CPU; fences: {c['fenced_flips']} "
              f"carried by flips, {c['fences_awaited']} awaited", file=sys.stderr)
        self.assertGreater(c["px_copied"], 0)
        self.assertEqual(c["px_copied_cpu"], 0, "the CPU copied pixels on the GPU path")
        # Every frame's copy had a fence: carried to the kernel, or awaited.
        self.assertEqual(c["fenced_flips"] + c["fences_awaited"], c["frames_presented"])
        return c

    def test_in_place(self):
        result = session(PATTERN, config=GPU)
        self.check_pattern(result, warning_expected=False)
        self.assert_gpu_copies(result)

    def test_flip_carries_the_fence(self):
        result = session(PATTERN, config=GPU + "[buffers]\\nhost-update = flip\\n")
        self.check_pattern(result, warning_expected=False, whole_frames=True)
        c = self.assert_gpu_copies(result)
        self.assertGreaterEqual(c["flips"], 3)
        # The first frame lights the CRTC (a modeset, its fence awaited);
        # every flip after it carries its fence as IN_FENCE_FD.
        self.assertEqual(c["fenced_flips"], c["flips"])

    def test_switched_to_read_back(self):
        # set-copy-path readback on a GPU-started output: the render device
        # still composes, the CPU reads the copy region back. The CPU path
        # (pixman) needs a restart: refused, saying so.
        ctl = f"{test_session.BUILD}/ctl/primebridgectl"
        result = session(f'CLIENT pattern 400 300 "{ctl} set-copy-path Virtual-1 cpu; '
                         f'{ctl} set-copy-path Virtual-1 readback; '
                         f'{ctl} reset; pbvm-screendump a" "pbvm-screendump b"', config=GPU)
        self.check_pattern(result, warning_expected=False)
        self.assertRegex(result.output, r"composing with pixman needs a restart with "
                         r"\[render\] copy = cpu")
        output = status_output(result)
        self.assertEqual(output["copy_path"], "readback", output)
        self.assertRegex(output["copy_path_reason"], "read back")
        c = output["counters"]
        print(f"\nread back: {c['frames_presented']} frames after the switch, "
              f"{c['px_copied_cpu']} px read back by the CPU of {c['px_damaged']} damaged",
              file=sys.stderr)
        # Everything after the switch was read back by the CPU: the patch.
        self.assertGreater(c["frames_presented"], 0)
        self.assertEqual(c["px_copied_cpu"], c["px_copied"])
        self.assertEqual(c["px_copied_cpu"], c["px_damaged"])

    def test_dma_buf_client(self):
        self.assert_gpu_copies(check_dma_buf_client(self, GPU))

    def test_bad_dma_buf_parameters(self):
        # Each wrong parameter is a protocol error for that client alone: the
        # compositor goes on, and a window shown meanwhile stays exact.
        bad = f"{test_session.BUILD}/tests/clients/pb-bad-dmabuf /dev/dri/card1"
        script = ("CLIENT hold 400 300 14 & holder=$!; sleep 3; "
                  + "; ".join(f"echo {mode}: $({bad} {mode})" for mode in BAD_DMABUF)
                  + "; pbvm-screendump after; wait $holder")
        result = session(script, config=GPU)
        self.assertEqual(result.status, 0, result.output)
        for mode, expected in BAD_DMABUF.items():
            self.assertIn(f"{mode}: {expected}", result.output)
        self.assert_gpu_copies(result)
        shot = pbvm.read_ppm(result.screendumps["after"].ppm)
        ox, oy = test_session.window_origin()
        for y in range(HEIGHT):
            for x in range(WIDTH):
                inside = ox <= x < ox + 400 and oy <= y < oy + 300
                want = (test_session.pattern_pixel(x - ox, y - oy) if inside
                        else test_session.BACKGROUND)
                if shot.pixel(x, y) != want:
                    self.fail(f"pixel ({x}, {y}) is {shot.pixel(x, y)}, expected {want}")


class ReadbackPath(unittest.TestCase):
    check_pattern = test_session.ClientPixels.check_pattern

    def assert_read_back(self, result):
        self.assertRegex(result.output, r"Warning: the CPU reads frames back from "
                         r"/dev/dri/renderD129: the render device \(vgem\) cannot write the "
                         r"linear buffer")
        output = status_output(result)
        self.assertEqual(output["copy_path"], "readback", output)
        c = output["counters"]
        print(f"\nreadback path: {c['frames_presented']} frames, {c['px_copied_cpu']} px read "
              f"back by the CPU of {c['px_damaged']} damaged", file=sys.stderr)
        self.assertGreater(c["px_copied"], 0)
        self.assertEqual(c["px_copied_cpu"], c["px_copied"])

    def test_in_place(self):
        result = session(PATTERN, config=READBACK)
        self.check_pattern(result, warning_expected=True)
        self.assert_read_back(result)

    def test_flip(self):
        result = session(PATTERN, config="[buffers]\\nhost-update = flip\\n")
        self.check_pattern(result, warning_expected=True, whole_frames=True)
        self.assert_read_back(result)
        self.assertGreaterEqual(status_output(result)["counters"]["flips"], 3)

    def test_dma_buf_client(self):
        self.assert_read_back(check_dma_buf_client(self, READBACK))

    def test_cursor_plane(self):
        # The cursor image is drawn by the render device into a linear
        # buffer and shown on the cursor plane: moving it sends no frame.
        # Motions first, then a pause: the software rasteriser's first draw
        # compiles shaders for seconds, and the kernel drops input meanwhile.
        move = f"{test_session.BUILD}/tests/clients/pb-input move"
        result = session(f"CLIENT hold 400 300 24 & sleep 2; {move} 20 2 2; sleep 8; "
                         f"pbvm-screendump start; {move} 100 6 4; pbvm-screendump end; wait",
                         config=READBACK)
        self.assertEqual(result.status, 0, result.output)
        start, end = result.screendumps["start"].time, result.screendumps["end"].time
        cursor = [e for e in result.trace if e.name == "virtio_gpu_update_cursor"
                  and start <= e.time <= end]
        moves = [e for e in cursor if "move" in e.fields]
        print(f"\nreadback cursor: 100 motions, {len(moves)} cursor moves, "
              f"{len(cursor) - len(moves)} cursor images", file=sys.stderr)
        self.assertGreaterEqual(len(moves), 10, "the cursor plane was not used")
        self.assertEqual(flushes(result, start, end), [])


class RenderDeviceLost(unittest.TestCase):
    check_pattern = test_session.ClientPixels.check_pattern

    def test_removed_mid_session(self):
        # vgem cannot be removed while in use; a second virtio-gpu, rendered
        # for by the software EGL device, can: its PCI device is removed
        # under the running session. On the fixed module, so that the host
        # traffic shows what each frame sent.
        ctl = f"{test_session.BUILD}/ctl/primebridgectl"
        remove = (f"{ctl} status --json > /job/before.json; pbvm-screendump before; "
                  f"echo 1 > /sys/bus/pci/devices/{pbvm.RENDER_GPU_PCI}/remove; sleep 3; "
                  f"pbvm-screendump a")
        # After the loss: the window's patch is drawn, and a new client connects.
        # (\\$?: the command is in double quotes, in sh -c.)
        after = "pbvm-screendump b; timeout 2 weston-simple-shm; echo new-client=\\$?"
        result = session(f'CLIENT pattern 400 300 "{remove}" "{after}"', config=GPU,
                         options="--display-device /dev/dri/card0 "
                                 "--render-device /dev/dri/renderD129",
                         kernel="6.12-fixed", render_gpu=True)
        before = status_output(result, "before.json")
        self.assertEqual(before["copy_path"], "gpu", before)
        self.assertEqual(before["counters"]["px_copied_cpu"], 0)
        lost = re.findall(r"Warning: the render device /dev/dri/renderD129 \(virtio_gpu\) was "
                          r"removed: pixman composes on the CPU from now on; clients go on",
                          result.output)
        self.assertEqual(len(lost), 1, result.output)
        # The window as it was, then its patch, drawn after the loss.
        self.check_pattern(result, warning_expected=False, kernel="6.12-fixed")
        # The first frame after the loss went whole to the host.
        sent = flushes(result, result.screendumps["before"].time, result.screendumps["a"].time)
        self.assertIn((0, 0, WIDTH, HEIGHT), [(e["x"], e["y"], e["w"], e["h"]) for e in sent])
        self.assertIn("new-client=124", result.output, "a client started after the loss failed")
        output = status_output(result)
        self.assertEqual(output["copy_path"], "cpu", output)
        self.assertRegex(output["copy_path_reason"], "was removed")
        c = output["counters"]
        print(f"\nrender device removed: {len(sent)} flushes meanwhile, "
              f"{c['frames_presented'] - before['counters']['frames_presented']} frames after "
              f"it, {c['px_copied_cpu']} px copied by the CPU", file=sys.stderr)
        self.assertGreater(c["px_copied_cpu"], 0)


class EveryPath(unittest.TestCase):
    def test_animation_sends_only_the_damage(self):
        # On the fixed module, so that the host traffic shows the damage.
        seconds = 8
        for path, config in (("gpu", GPU), ("readback", READBACK), ("cpu", CPU)):
            with self.subTest(path=path):
                result = session(f"CLIENT animate 250 250 {seconds}", config=config,
                                 kernel="6.12-fixed")
                self.assertEqual(result.status, 0, result.output)
                output = status_output(result)
                self.assertEqual(output["copy_path"], path, output)
                c = output["counters"]
                sent = flushes(result)
                flushed = sum(e["w"] * e["h"] for e in sent)
                ratio = flushed / c["px_damaged"]
                print(f"\n{path} path, 250x250 animation {seconds} s on 6.12-fixed: "
                      f"{c['frames_presented']} frames, {len(sent)} flushes, {flushed} px "
                      f"flushed / {c['px_damaged']} px damaged = {ratio:.3f}, "
                      f"{sum(1 for e in sent if e['w'] * e['h'] == WIDTH * HEIGHT)} whole "
                      f"frames; {c['px_copied_cpu']} px copied by the CPU",
                      file=sys.stderr)
                self.assertGreater(len(sent), seconds * 5, "the animation hardly reached the host")
                self.assertLessEqual(ratio, 1.5)
                if path == "gpu":
                    self.assertEqual(c["px_copied_cpu"], 0)
                else:
                    self.assertEqual(c["px_copied_cpu"], c["px_copied"])


def check_dma_buf_client(test, config):
    # Debian's weston-simple-dmabuf-egl allocates with GBM on vgem's card
    # node (its render node refuses dumb buffers) and renders with Mesa;
    # its buffers reach primebridge through linux-dmabuf, as a GL client's
    # on a passed-through GPU would.
    result = session("WAYLAND_DEBUG=client timeout 6 weston-simple-dmabuf-egl "
                     "-d /dev/dri/card1 2> $XDG_RUNTIME_DIR/client.log & sleep 4; "
                     "pbvm-screendump shot; wait; "
                     "echo created: $(grep -c 'zwp_linux_buffer_params_v1#[0-9]*\\.created(' "
                     "$XDG_RUNTIME_DIR/client.log)",
                     config=config)
    test.assertEqual(result.status, 0, result.output)
    # The compositor's "created" events: dma-bufs it imported as wl_buffers.
    created = re.search(r"^created: (\d+)$", result.output, re.MULTILINE)
    test.assertTrue(created and int(created.group(1)) >= 2,
                    "no dma-buf was made into a wl_buffer:\n" + result.output)
    shot = pbvm.read_ppm(result.screendumps["shot"].ppm)
    # Everything it drew lies inside its 256x256 window, centred.
    ox, oy = (WIDTH - 256) // 2, (HEIGHT - 256) // 2
    drawn = [(x, y) for y in range(HEIGHT) for x in range(WIDTH)
             if shot.pixel(x, y) != test_session.BACKGROUND]
    test.assertTrue(drawn, "the client's frames never reached the host")
    xs, ys = [x for x, _ in drawn], [y for _, y in drawn]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    test.assertTrue(ox <= left and right < ox + 256 and oy <= top and bottom < oy + 256,
                    (left, top, right, bottom))
    # Its quad's corners carry pure vertex colours: green and yellow at
    # the top, red and blue at the bottom.
    corners = {"top-left": ((left, top), (0, 255, 0)),
               "top-right": ((right, top), (255, 255, 0)),
               "bottom-left": ((left, bottom), (255, 0, 0)),
               "bottom-right": ((right, bottom), (0, 0, 255))}
    for name, ((x, y), want) in corners.items():
        got = shot.pixel(x, y)
        test.assertTrue(all(abs(g - w) <= 16 for g, w in zip(got, want)),
                        f"{name} corner ({x}, {y}) is {got}, expected about {want}")
    return result


# pb-bad-dmabuf's modes and what primebridge must answer: linux-dmabuf's
# error codes on the params object (incomplete 3, out_of_bounds 6,
# invalid_wl_buffer 7). wlroots 0.18 checks planes, bounds and sizes; a
# format it leaves to the compositor's import check (compositor/
# linux_dmabuf.c), whose refusal of create_immed is invalid_wl_buffer.
PARAMS = "zwp_linux_buffer_params_v1"
BAD_DMABUF = {
    "good": "accepted",
    "stride": f"disconnected: protocol error 6 on {PARAMS}",
    "offset": f"disconnected: protocol error 6 on {PARAMS}",
    "size": f"disconnected: protocol error 6 on {PARAMS}",
    "planes": f"disconnected: protocol error 3 on {PARAMS}",
    "format": f"disconnected: protocol error 7 on {PARAMS}",
}


if __name__ == "__main__":
    test_session.main(__doc__)
