#!/usr/bin/env python3
"""The primebridge compositor in the QEMU test guest, with real clients.

Checks what a user (and the host) sees: the exact pixels of a client on the
host's screendump, the rectangles the host is sent (QEMU's virtio-gpu trace),
the frame rate, silence when idle, and survival of failing clients.
Usage: test_session.py BUILD_DIR VM_CACHE_DIR [unittest args]"""
import json
import os
import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pbvm  # noqa: E402

BUILD = None
CACHE = None
WIDTH, HEIGHT, REFRESH = 1280, 800, 75
BACKGROUND = (0, 0, 0)  # the scene's clear colour: primebridge draws no background
PATCH = (50, 40, 20, 10)  # x, y, w, h of pb-test-client's second commit
PATCH_COLOUR = (0xff, 0x80, 0x00)
# The guest starts with no input device: primebridge must start all the same.
ENV = {
    "MESA_SHADER_CACHE_DISABLE": "true",
    "LSAN_OPTIONS": f"suppressions={Path(__file__).resolve().parent.parent / 'lsan.supp'}",
}
# fbcon's blinking cursor would flush 8x16 rectangles of its own.
QUIET_CONSOLE = "echo 0 > /sys/class/graphics/fbcon/cursor_blink; "


def pattern_pixel(x, y):
    """pb-test-client's pattern, as RGB."""
    return ((5 * x + 3 * y) & 255, (x ^ y) & 255, ((x * y) >> 4) & 255)


def session(command, config=None, extra="", options="", **kwargs):
    """Boots the guest and runs primebridge OPTIONS -- sh -c COMMAND there.
    Once COMMAND is done, primebridgectl saves the counters for counters();
    EXTRA runs after primebridge has exited."""
    client = f"{BUILD}/tests/clients/pb-test-client"
    args = options
    if config is not None:
        args += " --config $XDG_RUNTIME_DIR/pb.conf"
        command_prefix = f"printf '{config}' > $XDG_RUNTIME_DIR/pb.conf; "
    else:
        command_prefix = ""
    inner = (f"({command.replace('CLIENT', client)}); status=$?; sleep 0.5; "
             f"{BUILD}/ctl/primebridgectl status --json > /job/status.json; exit $status")
    script = (f"{QUIET_CONSOLE}{command_prefix}"
              f"{BUILD}/compositor/primebridge --allow-root {args} -- sh -c {pbvm.shlex.quote(inner)}")
    if extra:
        script += f"; status=$?; {extra}; exit $status"
    env = {**ENV, **kwargs.pop("env", {})}
    return pbvm.run_checked(script, CACHE, env=env, timeout=300, **kwargs)


def assert_clean_log(path):
    """primebridge's output sent to a file: a sanitizer report there fails too."""
    log = path.read_text() if path.exists() else ""
    for marker in pbvm.SANITIZER_MARKERS:
        if marker in log:
            raise AssertionError(f"sanitizer report in {path.name}:\n{log}")
    return log


def status_output(result, name="status.json"):
    """The one output, as primebridgectl status --json gave it."""
    path = result.job / name
    if not path.exists():
        raise AssertionError(f"primebridgectl saved no status:\n{result.output}")
    (output,) = json.loads(path.read_text())["outputs"]
    return output


def counters(result, name="status.json"):
    """The output's counters, as primebridgectl status --json gave them."""
    return status_output(result, name)["counters"]


def scanned_out(result):
    """Resources primebridge showed: all but the console's, which was first."""
    ids = [e["res_id"] for e in result.trace
           if e.name == "virtio_gpu_cmd_set_scanout" and e["res_id"] != 0]
    return set(ids) - {ids[0]} if ids else set()


def flushes(result, start=None, end=None):
    """Flushes of primebridge's buffers (w, h, x, y, time) between two host times."""
    ours = scanned_out(result)
    return [e for e in result.trace
            if e.name == "virtio_gpu_cmd_res_flush" and e["res_id"] in ours
            and (start is None or e.time >= start) and (end is None or e.time <= end)]


def window_origin(width=WIDTH, height=HEIGHT):
    """primebridge opens new windows centred on the output."""
    return (width - 400) // 2, (height - 300) // 2


class ClientPixels(unittest.TestCase):
    """pb-test-client's pattern must reach the host exactly, then only its patch."""

    def check_pattern(self, result, warning_expected, whole_frames=False,
                      size=(WIDTH, HEIGHT), kernel=None):
        self.assertEqual(result.status, 0, result.output)
        # The guest's default: vgem's own driver composes but cannot write
        # the linear buffer, so the CPU reads the damage back, saying so once.
        warnings = len(re.findall(r"Warning: (composing and copying frames on the CPU|"
                                  r"the CPU reads frames back)", result.output))
        self.assertEqual(warnings, 1 if warning_expected else 0, result.output)
        first = pbvm.read_ppm(result.screendumps["a"].ppm)
        second = pbvm.read_ppm(result.screendumps["b"].ppm)
        width, height = size
        self.assertEqual((first.width, first.height), size)
        ox, oy = window_origin(width, height)
        px, py, pw, ph = PATCH
        for y in range(height):
            for x in range(width):
                inside = ox <= x < ox + 400 and oy <= y < oy + 300
                want = pattern_pixel(x - ox, y - oy) if inside else BACKGROUND
                got = first.pixel(x, y)
                if got != want:
                    self.fail(f"first frame: pixel ({x}, {y}) is {got}, expected {want}")
                in_patch = inside and px <= x - ox < px + pw and py <= y - oy < py + ph
                got = second.pixel(x, y)
                if got != (PATCH_COLOUR if in_patch else want):
                    self.fail(f"second frame: pixel ({x}, {y}) is {got}")
        # The host was sent the patch alone for the second commit (a flip of
        # a dumb buffer sends the whole frame on a plane without FB_DAMAGE_CLIPS,
        # and so does every update on a kernel with the stuck damage flag).
        sent = flushes(result, result.screendumps["a"].time, result.screendumps["b"].time)
        self.assertTrue(sent, "the patch never reached the host")
        whole_frames = whole_frames or pbvm.sends_whole_frames(kernel)
        expected = (0, 0, width, height) if whole_frames else (ox + px, oy + py, pw, ph)
        for event in sent:
            self.assertEqual((event["x"], event["y"], event["w"], event["h"]), expected)

    def test_cpu_path(self):
        result = session('CLIENT pattern 400 300 "pbvm-screendump a" "pbvm-screendump b"',
                         config="[render]\\ncopy = cpu\\n")
        self.assertIn("Copy path: cpu (the configuration asks for the CPU path)",
                      result.output)
        self.check_pattern(result, warning_expected=False)

    def test_flip_path(self):
        # Three buffers in turn: each must be brought up to date with every
        # change it missed (the damage ring), or stale pixels would show.
        result = session('CLIENT pattern 400 300 "pbvm-screendump a" "pbvm-screendump b"',
                         config="[render]\\ncopy = cpu\\n[buffers]\\nhost-update = flip\\n")
        self.assertIn("host update by flip: the configuration asks for it", result.output)
        self.check_pattern(result, warning_expected=False, whole_frames=True)
        c = counters(result)
        self.assertGreaterEqual(c["flips"], 3)
        self.assertEqual(c["px_sent"], sum(e["w"] * e["h"] for e in flushes(result)))

    def test_legacy_modesetting(self):
        for update in ("in-place", "flip"):
            with self.subTest(host_update=update):
                result = session(
                    'CLIENT pattern 400 300 "pbvm-screendump a" "pbvm-screendump b"',
                    config=f"[render]\\ncopy = cpu\\n[buffers]\\nhost-update = {update}\\n",
                    env={"PRIMEBRIDGE_NO_ATOMIC": "1"})
                self.check_pattern(result, warning_expected=False,
                                   whole_frames=update == "flip")

    def test_width_not_a_multiple_of_64(self):
        result = session('CLIENT pattern 400 300 "pbvm-screendump a" "pbvm-screendump b"',
                         config="[render]\\ncopy = cpu\\n", xres=1366, yres=768)
        self.assertIn("Virtual-1: 1366x768, stride 5632, dumb buffers", result.output)
        self.check_pattern(result, warning_expected=False, size=(1366, 768))

    def test_configured_mode(self):
        result = session('CLIENT pattern 400 300 "pbvm-screendump a" "pbvm-screendump b"',
                         config="[render]\\ncopy = cpu\\n[output]\\nmode = 1024x768@60\\n")
        self.assertIn("Output Virtual-1: 1024x768@60.004 Hz", result.output)
        self.check_pattern(result, warning_expected=False, size=(1024, 768))
        # A mode the connector lacks: said once, and the preferred mode used.
        result = session("true", config="[output]\\nmode = 1000x700\\n")
        self.assertRegex(result.output, r"Virtual-1 has no mode 1000x700 as configured in "
                         r"\[output\] mode; using its preferred mode 1280x800. It has: "
                         r"1280x800@75 .*1024x768@60")

    def test_render_device_that_cannot_render_falls_back(self):
        # A render device whose renderer cannot be made (here Mesa is told
        # to load a driver that does not exist): the compositor warns once,
        # composes with pixman and shows the client all the same.
        result = session('CLIENT pattern 400 300 "pbvm-screendump a" "pbvm-screendump b"',
                         config="[render]\\ncopy = readback\\n",
                         env={"MESA_LOADER_DRIVER_OVERRIDE": "none"})
        self.assertRegex(result.output, r"Warning: composing and copying frames on the CPU, "
                         r"not on /dev/dri/renderD129: the readback path cannot start on the "
                         r"render device")
        self.check_pattern(result, warning_expected=True)


class HostTraffic(unittest.TestCase):
    def test_animated_250x250(self):
        seconds = 10
        result = session(f"CLIENT animate 250 250 {seconds}")
        self.assertEqual(result.status, 0, result.output)
        c = counters(result)
        sent = flushes(result)
        flushed_px = sum(e["w"] * e["h"] for e in sent)
        ratio = flushed_px / c["px_damaged"]
        times = [e.time for e in sent[1:]]  # after the first, full, frame
        rate = (len(times) - 1) / (times[-1] - times[0])
        print(f"\nprimebridge, 250x250 animation for {seconds} s: {len(sent)} flushes, "
              f"{flushed_px} px flushed / {c['px_damaged']} px damaged = {ratio:.3f}, "
              f"{rate:.1f} flushes/s (mode {REFRESH} Hz), "
              f"{sum(1 for e in sent if e['w'] * e['h'] == WIDTH * HEIGHT)} full frames",
              file=sys.stderr)
        self.assertEqual(flushed_px, c["px_sent"], "the host got other rectangles than counted")
        if pbvm.sends_whole_frames():
            # The kernel's bug, measured and shown above: every flush is whole.
            self.assertTrue(all(e["w"] * e["h"] == WIDTH * HEIGHT for e in sent))
        else:
            self.assertLessEqual(ratio, 1.5)
        self.assertLessEqual(rate, REFRESH * 1.05)
        self.assertGreater(len(sent), seconds * 5, "the animation hardly reached the host")

    def test_pointer_motion_moves_only_the_cursor_plane(self):
        # On the cpu path: the render device's cursor in the guest is drawn
        # by a software rasteriser whose first draw takes seconds (see
        # test_render_gpu.py's ReadbackPath.test_cursor_plane).
        # The motions start once the window's first frame is on the host
        # (pattern mode runs the command then), so a client slow to draw under
        # load is not taken for a flush caused by the pointer.
        result = session(f"CLIENT pattern 400 300 'pbvm-screendump start; "
                         f"{BUILD}/tests/clients/pb-input move 100 6 4; pbvm-screendump end' "
                         "true", config="[render]\\ncopy = cpu\\n")
        self.assertEqual(result.status, 0, result.output)
        self.assertIn("pb-input: moved 100 times", result.output)
        start, end = result.screendumps["start"].time, result.screendumps["end"].time
        cursor = [e for e in result.trace if e.name == "virtio_gpu_update_cursor"
                  and start <= e.time <= end]
        moves = [e for e in cursor if "move" in e.fields]  # "update" for a new image
        images = len(cursor) - len(moves)
        print(f"\npointer: 100 motions, {len(moves)} cursor moves, {images} cursor images, "
              f"{len(flushes(result, start, end))} frame flushes", file=sys.stderr)
        self.assertGreaterEqual(len(moves), 50, "the pointer did not move the cursor plane")
        self.assertLessEqual(images, 2, "the cursor image was re-sent while moving")
        self.assertEqual(flushes(result, start, end), [])
        # 100 x (6, 4) with libinput's acceleration: far right and down, on screen.
        x, y = moves[-1]["x"], moves[-1]["y"]
        self.assertTrue(600 <= x < WIDTH and 400 <= y < HEIGHT, (x, y))

    def test_idle_sends_nothing(self):
        result = session("CLIENT hold 400 300 12 & sleep 4; pbvm-screendump start; sleep 5; "
                         "pbvm-screendump end; wait")
        self.assertEqual(result.status, 0, result.output)
        start, end = result.screendumps["start"].time, result.screendumps["end"].time
        self.assertGreater(end - start, 4.5)
        self.assertTrue(flushes(result, None, start), "nothing was ever shown")
        self.assertEqual(flushes(result, start, end), [])


PRESENTED_HW = 0x4  # wp_presentation_feedback kind hw_completion


class Presentation(unittest.TestCase):
    """wp_presentation: every frame of an animation is reported presented, after
    its commit, with the mode's refresh; a page flip's as completed by hardware."""

    def feedback(self, update):
        seconds = 4
        result = session(f"CLIENT latency 250 250 {seconds} /job/latency.txt",
                         config=f"[render]\\ncopy = cpu\\n[buffers]\\nhost-update = {update}\\n")
        self.assertEqual(result.status, 0, result.output)
        lines = [line.split() for line in (result.job / "latency.txt").read_text().splitlines()
                 if not line.startswith("#")]
        presented = [(int(f[1]), int(f[3]), int(f[4]), int(f[5]))
                     for f in lines if f[2] == "presented"]
        discarded = sum(1 for f in lines if f[2] == "discarded")
        print(f"\npresentation, {update}: {len(presented)} frames presented, {discarded} "
              "discarded", file=sys.stderr)
        self.assertGreater(len(presented), seconds * 30, "the animation was hardly presented")
        delays = sorted(shown - commit for commit, shown, _, _ in presented)
        print(f"commit to presented {delays[len(delays) // 2] / 1e6:.1f} ms median",
              file=sys.stderr)
        # The client's last frame may be cut off by its own exit.
        self.assertLessEqual(discarded, 1)
        self.assertTrue(all(delay > 0 for delay in delays), "presented before committed")
        period = 1e9 / REFRESH
        for _, _, refresh, flags in presented:
            self.assertAlmostEqual(refresh, period, delta=period * 0.01)
            self.assertEqual(bool(flags & PRESENTED_HW), update == "flip", flags)

    def test_in_place(self):
        self.feedback("in-place")

    def test_flip(self):
        self.feedback("flip")


def find_pattern(image):
    """The top-left corner of pb-test-client's pattern on a screendump, or None."""
    row = [pattern_pixel(x, 0) for x in range(32)]
    for y in range(image.height):
        for x in range(image.width - 32):
            if image.pixel(x, y) == row[0] and all(
                    image.pixel(x + i, y) == row[i] for i in range(1, 32)):
                return x, y
    return None


class Shell(unittest.TestCase):
    """Windows driven with a real (uinput) keyboard and mouse through libinput."""

    def test_alt_f4_closes_the_focused_window(self):
        result = session(f"CLIENT hold 400 300 60 & sleep 3; "
                         f"{BUILD}/tests/clients/pb-input alt-f4; wait")
        self.assertEqual(result.status, 0, result.output)
        self.assertIn("pb-input: pressed Alt+F4", result.output)
        self.assertIn("pb-test-client: closed by the compositor", result.output)

    def test_alt_drag_moves_a_window(self):
        # A window large enough that the pointer, moved a little from the
        # top-left corner, lands on it whatever libinput's acceleration does.
        w, h = 1200, 760
        result = session(f"CLIENT hold {w} {h} 30 & client=$!; sleep 3; pbvm-screendump before; "
                         f"{BUILD}/tests/clients/pb-input move 20 3 3; "
                         f"{BUILD}/tests/clients/pb-input alt-drag 40 3 2; "
                         f"sleep 0.5; pbvm-screendump after; kill $client; wait")
        before = find_pattern(pbvm.read_ppm(result.screendumps["before"].ppm))
        after = find_pattern(pbvm.read_ppm(result.screendumps["after"].ppm))
        self.assertEqual(before, ((WIDTH - w) // 2, (HEIGHT - h) // 2), result.output)
        self.assertIsNotNone(after, "the window is no longer on screen")
        print(f"\nAlt+drag moved the window from {before} to {after}", file=sys.stderr)
        self.assertGreater(after[0] - before[0], 20)
        self.assertGreater(after[1] - before[1], 10)


class Control(unittest.TestCase):
    """primebridgectl and the control protocol, checked against the host's view."""

    def test_counters_agree_with_the_host(self):
        # The probe's copy path, then an animation, then the counters: after
        # the client has gone and its last frame was sent (sleep 1).
        result = pbvm.run_checked(
            f"{QUIET_CONSOLE}{BUILD}/compositor/primebridge --probe > /job/probe.txt; "
            f"{BUILD}/compositor/primebridge --allow-root -- sh -c '"
            f"{BUILD}/tests/clients/pb-test-client animate 250 250 5; sleep 1; "
            f"{BUILD}/ctl/primebridgectl status --json > /job/status.json; "
            f"pbvm-screendump counted'", CACHE, env=ENV, timeout=300)
        self.assertEqual(result.status, 0, result.output)
        status = json.loads((result.job / "status.json").read_text())
        probe = (result.job / "probe.txt").read_text()
        (output,) = status["outputs"]
        counters = output["counters"]
        sent = flushes(result, end=result.screendumps["counted"].time)
        sent_px = sum(e["w"] * e["h"] for e in sent)
        print(f"\nprimebridgectl: {counters['frames_presented']} frames, "
              f"{counters['px_sent']} px sent; QEMU: {len(sent)} flushes, {sent_px} px; "
              f"copy {counters['copy_ns_median'] / 1e6:.3f} ms median, "
              f"{counters['copy_ns_p99'] / 1e6:.3f} ms p99", file=sys.stderr)
        self.assertAlmostEqual(counters["px_sent"], sent_px, delta=sent_px * 0.01)
        self.assertAlmostEqual(counters["frames_presented"], len(sent), delta=len(sent) * 0.01)
        self.assertGreater(counters["frames_presented"], 50)
        self.assertEqual(counters["px_damaged"], counters["px_copied"])
        self.assertRegex(probe, rf"copy path: {output['copy_path']} ")
        self.assertEqual(status["devices"][0],
                         {"role": "display", "path": "/dev/dri/card0", "driver": "virtio_gpu",
                          "pci_id": "1af4:1050"})
        self.assertEqual(output["buffer"], {"width": WIDTH, "height": HEIGHT, "stride": 5120,
                                            "rows": 800, "kind": "dumb", "count": 1})
        self.assertGreater(counters["copy_ns_p99"], 0)

    def test_runtime_controls(self):
        result = session("C=" + f"{BUILD}/ctl/primebridgectl; "
                         "$C set-host-update Virtual-1 flip && $C status --json > /job/flip.json; "
                         "$C set-copy-path Virtual-1 gpu; echo gpu=$?; "
                         "$C reset && $C status --json > /job/reset.json; "
                         "$C set-host-update Nowhere-1 flip; echo missing=$?")
        self.assertEqual(result.status, 0, result.output)
        flip = json.loads((result.job / "flip.json").read_text())["outputs"][0]
        self.assertEqual((flip["host_update"], flip["buffer"]["count"]), ("flip", 3))
        self.assertIn("Virtual-1 now updates the host by flip", result.output)
        self.assertIn("the GPU path needs a render device that writes the linear buffers",
                      result.output)
        self.assertIn("gpu=1", result.output)
        self.assertIn("missing=1", result.output)
        reset = json.loads((result.job / "reset.json").read_text())["outputs"][0]
        self.assertEqual(reset["counters"]["px_sent"], 0)

    def test_reload(self):
        # A valid change applies (the host update); an invalid file changes nothing.
        result = session(
            "C=" + f"{BUILD}/ctl/primebridgectl; "
            "printf '[buffers]\\nhost-update = flip\\n' > $XDG_RUNTIME_DIR/pb.conf; "
            "$C reload; $C status --json > /job/after.json; "
            "printf '[buffers]\\nhost-update = sideways\\n' > $XDG_RUNTIME_DIR/pb.conf; "
            "$C reload; echo bad=$?; $C status --json > /job/after-bad.json; "
            # SIGHUP does the same as reload (the compositor is our parent).
            "printf '[buffers]\\nhost-update = in-place\\n' > $XDG_RUNTIME_DIR/pb.conf; "
            "kill -HUP $PPID; sleep 1; $C status --json > /job/after-hup.json",
            config="[buffers]\\nhost-update = in-place\\n")
        self.assertEqual(result.status, 0, result.output)
        self.assertIn("reloaded /run/user/0/pb.conf", result.output)
        self.assertEqual(json.loads((result.job / "after.json").read_text())
                         ["outputs"][0]["host_update"], "flip")
        self.assertIn("pb.conf:2: host-update = 'sideways': expected auto, flip or in-place; "
                      "the configuration in force is unchanged", result.output)
        self.assertIn("bad=1", result.output)
        self.assertEqual(json.loads((result.job / "after-bad.json").read_text())
                         ["outputs"][0]["host_update"], "flip")
        self.assertEqual(json.loads((result.job / "after-hup.json").read_text())
                         ["outputs"][0]["host_update"], "in-place")

    def test_systemd_readiness(self):
        # Type=notify: READY=1 reaches $NOTIFY_SOCKET only once clients can
        # connect (the Wayland socket exists when the message arrives).
        listener = (
            "import os, socket, sys\n"
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
            "s.bind(sys.argv[1])\n"
            "open(sys.argv[1] + '.ready', 'w').close()\n"
            "msg = s.recv(4096).decode()\n"
            "socks = sorted(f for f in os.listdir(os.environ['XDG_RUNTIME_DIR']) "
            "if f.startswith('wayland-') and not f.endswith(('.lock', '-control')))\n"
            "print('notify:', repr(msg), 'sockets:', socks)\n")
        (Path(CACHE) / "notify_listener.py").write_text(listener)
        result = pbvm.run_checked(
            f"N=/tmp/notify; /usr/bin/python3 {CACHE}/notify_listener.py $N & l=$!; "
            "while [ ! -e $N.ready ]; do sleep 0.1; done; "
            f"NOTIFY_SOCKET=$N {BUILD}/compositor/primebridge --allow-root -- sh -c 'sleep 2'; wait $l",
            CACHE, env=ENV, timeout=300)
        self.assertIn("notify: 'READY=1\\nSTATUS=Running on WAYLAND_DISPLAY=wayland-0' "
                      "sockets: ['wayland-0']", result.output)

    def test_trust(self):
        # primebridge started without a command: a client from outside is
        # not its child, and only the control socket lets it in.
        ctl, bad = f"{BUILD}/ctl/primebridgectl", f"{BUILD}/tests/clients/pb-bad-control"
        result = pbvm.run_checked(
            f"{BUILD}/compositor/primebridge --allow-root > /job/pb.log 2>&1 & pb=$!; "
            "R=$XDG_RUNTIME_DIR; i=0; "
            "while [ ! -S $R/wayland-0.primebridge-control ] && [ $i -lt 100 ]; do "
            "sleep 0.1; i=$((i+1)); done; "
            f"{ctl} --socket $R/wayland-0 status; echo wayland=$?; "
            f"WAYLAND_DISPLAY=wayland-0 {ctl} outputs; echo control=$?; "
            f"{bad} bind-hidden $R/wayland-0.primebridge-control $R/wayland-0; "
            f"{bad} bad-enum $R/wayland-0.primebridge-control; "
            f"{bad} v1-readback $R/wayland-0.primebridge-control; "
            f"{bad} bad-output $R/wayland-0.primebridge-control; "
            f"{bad} garbage $R/wayland-0.primebridge-control; "
            f"WAYLAND_DISPLAY=wayland-0 {ctl} outputs; echo alive=$?; "
            "kill $pb; wait $pb; echo primebridge=$?; "
            # Its own child may use the Wayland socket.
            f"{BUILD}/compositor/primebridge --allow-root -- sh -c '{ctl} --socket "
            "$XDG_RUNTIME_DIR/$WAYLAND_DISPLAY outputs' > /dev/null 2>&1; echo child=$?",
            CACHE, env=ENV, timeout=300)
        out = result.output
        assert_clean_log(result.job / "pb.log")
        self.assertIn("not allowed: /run/user/0/wayland-0 offers no primebridge control", out)
        self.assertIn("wayland=3", out)
        self.assertIn("Virtual-1\ncontrol=0", out)
        self.assertIn("offered on /run/user/0/wayland-0: no\n"
                      "disconnected: wl_registry error 0", out)
        # invalid_value: mode 7, and readback to a version 1 object.
        self.assertEqual(out.count("disconnected: zpb_control_manager_v1 error 1"), 2, out)
        self.assertIn("disconnected: zpb_control_manager_v1 error 0", out)  # invalid_output
        self.assertIn("disconnected: connection closed", out)               # garbage
        self.assertIn("Virtual-1\nalive=0", out)
        self.assertIn("primebridge=0", out)
        self.assertIn("child=0", out)


KIOSK = r"""
printf '[render]\ncopy = cpu\n[kiosk]\n{settings}' > $XDG_RUNTIME_DIR/kiosk.conf
{build}/compositor/primebridge --allow-root --config $XDG_RUNTIME_DIR/kiosk.conf --kiosk -- {command} \
    > /job/kiosk.log 2>&1 & pb=$!
i=0; while ! grep -q "Kiosk: running" /job/kiosk.log && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
{steps}
kill $pb; wait $pb; echo "primebridge=$?"
"""


class Kiosk(unittest.TestCase):
    def kiosk(self, command, settings, steps, **kwargs):
        script = KIOSK.format(build=BUILD, command=command, settings=settings, steps=steps)
        result = pbvm.run_checked(QUIET_CONSOLE + script, CACHE, env=ENV, timeout=300, **kwargs)
        log = assert_clean_log(result.job / "kiosk.log")
        self.assertIn("primebridge=0", result.output)
        return result, log

    def test_an_application_that_exits_is_restarted(self):
        # pb-test-client draws its pattern for 2 s and exits; the kiosk puts it
        # full screen (at 0,0) and starts it again.
        result, log = self.kiosk(f"{BUILD}/tests/clients/pb-test-client hold 400 300 2",
                                 "restart-delay-min = 300\\n",
                                 "for i in 1 2 3; do sleep 0.4; pbvm-screendump first-$i; done; "
                                 "i=0; while [ $(grep -c 'Started ' /job/kiosk.log) -lt 2 ] && "
                                 "[ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "
                                 "for i in 1 2 3; do sleep 0.4; pbvm-screendump again-$i; done")
        self.assertRegex(log, r"Kiosk: .*pb-test-client hold 400 300 2 ended with exit status 0 "
                              r"after 2\.\d s; restarting in 300 ms \(failure 1 of 5")
        # Shown within about a second of each start (its first frame's time varies).
        for name in ("first", "again"):
            found = [find_pattern(pbvm.read_ppm(result.screendumps[f"{name}-{i}"].ppm))
                     for i in (1, 2, 3)]
            self.assertIn((0, 0), found, f"{name}: the application is not shown")

    def test_the_application_spans_every_output_as_configured(self):
        # Two heads, the second placed left of the first by the configuration:
        # foot covers both, its top-left corner (its cursor) on the second.
        result, log = self.kiosk(
            "foot -o font=monospace:size=14 sh -c 'sleep 3; stty size > /job/size; sleep 60'",
            "[output Virtual-2]\\nposition = 0,0\\n[output Virtual-1]\\nposition = 1024,0\\n",
            "sleep 8; pbvm-screendump head0 0; pbvm-screendump head1 1",
            heads=[(WIDTH, HEIGHT), (1024, 768)])
        rows, columns = map(int, (result.job / "size").read_text().split())
        heads = [pbvm.read_ppm(result.screendumps[f"head{i}"].ppm) for i in (0, 1)]
        covered = []
        for head in heads:
            counts = {}
            for y in range(head.height):
                for x in range(head.width):
                    counts[head.pixel(x, y)] = counts.get(head.pixel(x, y), 0) + 1
            colour, count = max(counts.items(), key=lambda item: item[1])
            covered.append((colour, count / (head.width * head.height)))
        print(f"\nkiosk foot on two heads: {columns}x{rows} cells; background and share "
              f"per head: {covered}", file=sys.stderr)
        self.assertEqual(covered[0][0], covered[1][0], "the heads show different things")
        self.assertNotEqual(covered[0][0], BACKGROUND, "an output shows no application")
        self.assertTrue(all(share > 0.95 for _, share in covered), covered)
        # Wider than the first head alone (foot's cells are 8 to 10 pixels wide).
        self.assertGreater(columns * 10, WIDTH, columns)
        # Its text cursor (top-left) is on Virtual-2, placed at 0,0.
        cursor = [(x, y) for y in range(40) for x in range(40)
                  if heads[1].pixel(x, y) != covered[1][0]]
        self.assertTrue(cursor, "foot's top-left corner is not on Virtual-2")

    def test_an_application_that_crashes_leads_to_the_error_screen(self):
        result, log = self.kiosk("sh -c 'exit 3'",
                                 "restart-delay-min = 100\\nrestart-delay-max = 1500\\n"
                                 "max-rapid-failures = 3\\n",
                                 "i=0; while ! grep -q 'error screen shown' /job/kiosk.log && "
                                 "[ $i -lt 150 ]; do sleep 0.1; i=$((i+1)); done; "
                                 "for i in 1 2 3 4 5 6 7 8; do sleep 1; "
                                 "pbvm-screendump error-$i; done")
        delays = [int(d) for d in re.findall(r"exit status 3 after \d+\.\d s; restarting in "
                                             r"(\d+) ms", log)]
        print(f"\nkiosk back-off delays (ms): {delays}", file=sys.stderr)
        self.assertEqual(delays[:3], [100, 200, 1500], log)
        self.assertIn("(failure 3: error screen shown)", log)
        # Its first text, fontconfig's first use, can take seconds in a fresh
        # guest (under ASan more): the first of eight screendumps a second apart
        # that shows it.
        shots = [pbvm.read_ppm(result.screendumps[f"error-{i}"].ppm) for i in range(1, 9)]
        shown = [i for i, shot in enumerate(shots, 1)
                 if shot.pixel(WIDTH - 2, HEIGHT - 2) == (0x59, 0x0c, 0x0c)]  # dark red
        self.assertTrue(shown, "the error screen never showed")
        print(f"kiosk error screen shown within {shown[0]} s of the log line", file=sys.stderr)
        image = shots[shown[0] - 1]
        text = [(x, y) for y in range(20, 170) for x in range(20, 900)
                if image.pixel(x, y) == (255, 255, 255)]
        self.assertGreater(len(text), 500, "the error screen has no text")

    def test_pointer_hides_and_quit_is_ignored(self):
        # hide-cursor-after = 1: the host's cursor image goes away a second
        # after the last motion; Ctrl+Alt+BackSpace does not end a kiosk.
        inp = f"{BUILD}/tests/clients/pb-input"
        result, log = self.kiosk(f"{BUILD}/tests/clients/pb-test-client hold 400 300 30",
                                 "hide-cursor-after = 1\\n",
                                 # Away from the 400x300 application, which sets no
                                 # cursor image of its own (the theme's shows), over
                                 # 1.5 s: the new device may take a while to be opened.
                                 f"{inp} move 150 4 3; pbvm-screendump moved; sleep 2.5; "
                                 f"pbvm-screendump idle; {inp} ctrl-alt-backspace; sleep 1; "
                                 "kill -0 $pb && echo still-running")
        self.assertIn("pb-input: pressed Ctrl+Alt+BackSpace", result.output)
        self.assertIn("still-running", result.output)
        moved, idle = result.screendumps["moved"].time, result.screendumps["idle"].time
        # QEMU's cursor update with resource 0 hides it.
        hidden = [e for e in result.trace if e.name == "virtio_gpu_update_cursor"
                  and "update" in e.fields and e["res_id"] == 0 and moved < e.time < idle]
        self.assertTrue(hidden, "the pointer was not hidden after a second without motion")

    def test_other_clients_stay_hidden(self):
        # A client that is not the application (started beside primebridge,
        # not by it) never shows; the application does.
        result, log = self.kiosk(f"{BUILD}/tests/clients/pb-test-client hold 400 300 30", "",
                                 f"sleep 1; WAYLAND_DISPLAY=wayland-0 "
                                 f"{BUILD}/tests/clients/pb-test-client hold 200 100 30 & "
                                 f"sleep 2; pbvm-screendump shown")
        self.assertIn("Kiosk: a window of another client stays hidden", log)
        image = pbvm.read_ppm(result.screendumps["shown"].ppm)
        self.assertEqual(find_pattern(image), (0, 0))
        # Nothing but the application and the background: no second pattern.
        self.assertEqual(image.pixel(WIDTH // 2, HEIGHT // 2), BACKGROUND)


class Comparison(unittest.TestCase):
    """weston-simple-shm (250x250) under primebridge, weston 14, cage 0.2 and labwc 0.8,
    one run. The peers are measured and reported, never judged."""

    def test_side_by_side(self):
        seconds = 10
        script = Path(__file__).resolve().parent / "compare-compositors.sh"
        result = pbvm.run_checked(f"{script} {BUILD}/compositor/primebridge {seconds}",
                                  CACHE, env=ENV, timeout=600)
        self.assertEqual(result.status, 0, result.output)
        self.assertIn("compare: done", result.output)
        assert_clean_log(result.job / "primebridge.log")
        console = {e["res_id"] for e in result.trace
                   if e.name == "virtio_gpu_cmd_set_scanout" and e["res_id"]}
        console = min(console)  # the console's framebuffer was created first
        rows = {}
        shown = {}
        for name in PEERS:
            start = result.screendumps[f"{name}-start"].time
            end = result.screendumps[f"{name}-end"].time
            sent = [e for e in result.trace if e.name == "virtio_gpu_cmd_res_flush"
                    and e["res_id"] != console and start <= e.time <= end]
            full = sum(1 for e in sent if e["w"] * e["h"] == WIDTH * HEIGHT)
            pixels = sum(e["w"] * e["h"] for e in sent)
            rows[name] = (len(sent), full, pixels, len(sent) / (end - start))
            # weston-simple-shm's rings have hundreds of colours, a desktop few.
            mid = result.screendumps.get(f"{name}-mid")
            colours = set()
            if mid:
                image = pbvm.read_ppm(mid.ppm)
                colours = {image.pixel(x, y)
                           for x in range(0, WIDTH, 4) for y in range(0, HEIGHT, 4)}
            shown[name] = len(colours) > 100
        print(f"\nweston-simple-shm for {seconds} s on {WIDTH}x{HEIGHT}@{REFRESH} "
              f"(kernel {pbvm.DEFAULT_KERNEL}):", file=sys.stderr)
        print(f"{'compositor':12} {'flushes':>8} {'full':>6} {'px sent':>12} {'flushes/s':>10} "
              f"{'client shown':>12}", file=sys.stderr)
        for name, (count, full, pixels, rate) in rows.items():
            print(f"{name:12} {count:8} {full:6} {pixels:12} {rate:10.1f} "
                  f"{'yes' if shown[name] else 'NO':>12}", file=sys.stderr)
        self.assertTrue(shown["primebridge"], "primebridge did not show the client half-way")
        c = counters(result, "primebridge-status.json")
        count, full, pixels, rate = rows["primebridge"]
        self.assertLessEqual(rate, REFRESH * 1.05)
        if pbvm.sends_whole_frames():
            self.assertEqual(full, count, "the kernel's whole frames were not all counted")
        else:
            self.assertEqual(full, 0, "primebridge sent a full frame for a 250x250 client")
            self.assertLessEqual(pixels / (250 * 250 * count), 1.5)
            self.assertLessEqual(c["px_sent"] / c["px_damaged"], 1.5)


PEERS = ("primebridge", "weston", "cage", "labwc")


def animation_frame(test, image, box):
    """True when every pixel of box (x, y, w, h) is one frame of pb-test-client's
    animation: red 0, blue the frame number n, green x + y + n (mod 256)."""
    x0, y0, w, h = box
    for y in range(y0, y0 + h):
        for x in range(x0, x0 + w):
            r, g, b = image.pixel(x, y)
            if r != 0 or g != (x - x0 + y - y0 + b) & 255:
                test.fail(f"pixel ({x}, {y}) is {(r, g, b)}: not the animation")


DIRECT = re.compile(r"Virtual-1: (\d+) frames presented.*?(\d+) frames straight from a client")


class DirectCopy(unittest.TestCase):
    """A full-screen client's buffer is copied without composition, while nothing covers it."""

    def test_full_screen_client_alone_then_covered(self):
        result = session("CLIENT fullscreen 9 & sleep 4; pbvm-screendump alone; "
                         'CLIENT pattern 400 300 "pbvm-screendump covered" true; sleep 2; wait',
                         config="[render]\\ncopy = cpu\\n")
        self.assertEqual(result.status, 0, result.output)
        animation_frame(self, pbvm.read_ppm(result.screendumps["alone"].ppm),
                        (0, 0, WIDTH, HEIGHT))
        # The window over it: composed, the pattern exact and the animation around it.
        covered = pbvm.read_ppm(result.screendumps["covered"].ppm)
        ox, oy = window_origin()
        for y in range(oy, oy + 300, 7):
            for x in range(ox, ox + 400, 7):
                self.assertEqual(covered.pixel(x, y), pattern_pixel(x - ox, y - oy), (x, y))
        animation_frame(self, covered, (0, 0, WIDTH, oy))
        frames, direct = (int(n) for n in DIRECT.search(result.output).groups())
        c = counters(result)
        print(f"\nfull screen 9 s: {frames} frames, {direct} copied straight from the "
              f"client's buffer; px sent/damaged {c['px_sent'] / c['px_damaged']:.3f}",
              file=sys.stderr)
        self.assertGreater(direct, frames // 2)
        self.assertLess(direct, frames, "the covered frames were not composed")
        self.assertLessEqual(c["px_sent"] / c["px_damaged"], 1.5)

    def test_turned_off(self):
        result = session("CLIENT fullscreen 3",
                         config="[render]\\ncopy = cpu\\ndirect-copy = false\\n")
        self.assertEqual(result.status, 0, result.output)
        frames, direct = (int(n) for n in DIRECT.search(result.output).groups())
        self.assertGreater(frames, 10)
        self.assertEqual(direct, 0)


FRAMEBUFFERS = "grep -c 'framebuffer\\[' /sys/kernel/debug/dri/0/framebuffer"


class SessionPause(unittest.TestCase):
    """A VT switch through seatd: away, the console has the display; back, the same clients."""

    def test_vt_switch_away_and_back(self):
        result = session(f"CLIENT hold 400 300 16 & c=$!; sleep 3; {FRAMEBUFFERS} > /job/fb-before; "
                         "pbvm-screendump before; busybox chvt 2; sleep 2; pbvm-screendump away; "
                         "busybox chvt 1; sleep 2; pbvm-screendump back; "
                         f"{FRAMEBUFFERS} > /job/fb-after; wait $c",
                         config="[render]\\ncopy = cpu\\n")
        self.assertEqual(result.status, 0, result.output)
        self.assertIn("Session paused", result.output)
        self.assertIn("Session resumed", result.output)
        before = pbvm.read_ppm(result.screendumps["before"].ppm)
        away = pbvm.read_ppm(result.screendumps["away"].ppm)
        back = pbvm.read_ppm(result.screendumps["back"].ppm)
        ox, oy = window_origin()
        for y in range(oy, oy + 300, 9):
            for x in range(ox, ox + 400, 9):
                self.assertEqual(before.pixel(x, y), pattern_pixel(x - ox, y - oy), (x, y))
        self.assertNotEqual(away.pixel(ox + 200, oy + 150), before.pixel(ox + 200, oy + 150),
                            "the console did not take the display")
        differ = sum(1 for y in range(HEIGHT) for x in range(WIDTH)
                     if back.pixel(x, y) != before.pixel(x, y))
        self.assertEqual(differ, 0, f"{differ} pixels differ after coming back")
        fb_before = int((result.job / "fb-before").read_text())
        fb_after = int((result.job / "fb-after").read_text())
        print(f"\nVT switch: framebuffers {fb_before} before, {fb_after} after", file=sys.stderr)
        self.assertEqual(fb_after, fb_before)


class Robustness(unittest.TestCase):
    def test_client_vanishing_mid_frame(self):
        result = session("CLIENT vanish 300 200; CLIENT vanish 64 64; "
                         'CLIENT pattern 400 300 "pbvm-screendump a" "pbvm-screendump b"',
                         config="[render]\\ncopy = cpu\\n")
        ClientPixels.check_pattern(self, result, warning_expected=False)

    def test_misbehaving_clients(self):
        """Each bad client is cut off or refused; the compositor and a good client go on."""
        bad = f"{BUILD}/tests/clients/pb-bad-client"
        result = session(f"CLIENT animate 250 250 25 > /job/good.txt & sleep 3; "
                         f"for m in flood huge no-destroy; do echo \"$m: $(timeout 60 {bad} $m)\"; "
                         "done; sleep 1; pbvm-screendump after; wait",
                         config="[render]\\ncopy = cpu\\n")
        self.assertEqual(result.status, 0, result.output)
        self.assertRegex(result.output, r"flood: disconnected")
        # WL_DISPLAY_ERROR_IMPLEMENTATION, and one line in primebridge's log.
        self.assertIn("huge: disconnected: protocol error 3 on wl_display@1", result.output)
        self.assertRegex(result.output, r"Disconnecting client \d+: its buffer of 16384x16384 "
                                        r"exceeds 8192x8192")
        released = re.search(r"no-destroy: still connected: 300 buffers committed, "
                             r"(\d+) released", result.output)
        self.assertIsNotNone(released, result.output)
        self.assertGreaterEqual(int(released.group(1)), 298)
        good = re.search(r"(\d+) frames drawn", (result.job / "good.txt").read_text())
        print(f"\nbad clients: good client drew {good.group(1)} frames in 25 s; "
              f"{released.group(1)} of 300 never-destroyed buffers released", file=sys.stderr)
        self.assertGreater(int(good.group(1)), 25 * 10)
        ox, oy = (WIDTH - 250) // 2, (HEIGHT - 250) // 2
        animation_frame(self, pbvm.read_ppm(result.screendumps["after"].ppm), (ox, oy, 250, 250))

    def test_command_status_is_returned(self):
        result = session("exit 7")
        self.assertEqual(result.status, 7, result.output)
        self.assertIn("The command ended with status 7", result.output)


def main(usage):
    """Runs the tests of the __main__ script (this one, test_desktop.py or
    test_kernels.py) with BUILD_DIR and VM_CACHE_DIR taken from the command line."""
    global BUILD, CACHE
    if len(sys.argv) < 3:
        sys.exit(usage)
    BUILD = os.path.abspath(sys.argv.pop(1))
    CACHE = os.path.abspath(sys.argv.pop(1))
    unittest.main(module="__main__", verbosity=2)


if __name__ == "__main__":
    main(__doc__)
