#!/usr/bin/env python3
"""A desktop session on primebridge in the QEMU test guest, with Debian's clients.

foot typing through a virtual keyboard, EGL clients, two outputs driven by
wlr-randr and unplugged at run time, grim against the host's screendump,
swaylock locking the session, swayidle and an idle inhibitor, wayland-info
against the README's list of globals, a sandboxed client's globals, a waybar panel, X11 programs through
XWayland, the title bars primebridge draws (xterm, foot) and wl-clipboard.
Usage: test_desktop.py BUILD_DIR VM_CACHE_DIR [unittest args]"""
import re
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pbvm  # noqa: E402
import test_session  # noqa: E402
from test_session import BACKGROUND, HEIGHT, WIDTH, find_pattern, session  # noqa: E402

# foot refuses a locale that is not UTF-8.
DESKTOP_ENV = {"LANG": "C.UTF-8"}
HEADS = [(1280, 800), (1024, 768)]
# Pointer motions that end where they say, whatever the timing.
FLAT_POINTER = "[input]\\npointer-acceleration = flat\\npointer-speed = 0\\n"
# Waits until clients are told of pb-input's pen tablet (libinput reads
# libwacom's database first), and two seconds more; wayland-info's last list
# in /job/info.txt.
WAIT_FOR_TABLET = ("for i in $(seq 60); do wayland-info > /job/info.txt; "
                   "grep -q 'tablet: pb-input pen tablet' /job/info.txt && break; "
                   "sleep 0.5; done; sleep 2; ")


def desktop(command, **kwargs):
    env = {**DESKTOP_ENV, **kwargs.pop("env", {})}
    return session(command, env=env, **kwargs)


def bounding_box(image, chosen):
    """The bounding box (x0, y0, x1, y1) of the pixels chosen(x, y) picks, or None."""
    xs, ys = [], []
    for y in range(image.height):
        for x in range(image.width):
            if chosen(x, y):
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs) + 1, max(ys) + 1) if xs else None


def changed_box(a, b):
    """The bounding box of the pixels that differ, or None."""
    return bounding_box(a, lambda x, y: a.pixel(x, y) != b.pixel(x, y))


def box_of(image, colour):
    """The bounding box of the pixels of one colour, or None."""
    return bounding_box(image, lambda x, y: image.pixel(x, y) == colour)


def drawn_box(image):
    """The bounding box of everything drawn over the (black) background, or None."""
    assert BACKGROUND == (0, 0, 0)
    return changed_box(image, pbvm.Image(image.width, image.height, bytes(len(image.data))))


def read_png(path):
    """A PNG as pbvm reads PPMs (through netpbm's pngtopnm)."""
    ppm = path.with_suffix(".ppm")
    with open(ppm, "wb") as out:
        subprocess.run(["pngtopnm", str(path)], stdout=out, check=True)
    return pbvm.read_ppm(ppm)


def count_not_background(image, box):
    x0, y0, x1, y1 = box
    return sum(1 for y in range(y0, y1) for x in range(x0, x1)
               if image.pixel(x, y) != BACKGROUND)


class Terminal(unittest.TestCase):
    def test_foot_shows_text_typed_by_a_virtual_keyboard(self):
        text = "primebridge 42"
        result = desktop(
            "foot -o font=monospace:size=14 sh -c 'cat > /job/typed.txt' & sleep 4; "
            "pbvm-screendump before; "
            f"wtype -d 20 '{text}'; wtype -k Return; sleep 1; pbvm-screendump after; "
            "wtype -M ctrl d -m ctrl; wait")
        self.assertEqual(result.status, 0, result.output)
        self.assertEqual((result.job / "typed.txt").read_text(), text + "\n")
        before = pbvm.read_ppm(result.screendumps["before"].ppm)
        after = pbvm.read_ppm(result.screendumps["after"].ppm)
        box = changed_box(before, after)
        self.assertIsNotNone(box, "the typed text never reached the screen")
        x0, y0, x1, y1 = box
        print(f"\nfoot: typed '{text}', screen changed in {box} "
              f"({x1 - x0}x{y1 - y0} px)", file=sys.stderr)
        # One line of text and the cursor gone to the next line: a wide, low strip.
        self.assertGreater(x1 - x0, len(text) * 8)
        self.assertGreater(x1 - x0, 2 * (y1 - y0))


    def test_configured_layout_and_binding(self):
        # A German keyboard swaps Y and Z; Super+q replaces Alt+F4 for closing.
        input_ = f"{test_session.BUILD}/tests/clients/pb-input"
        result = desktop(
            "foot sh -c 'cat > /job/typed.txt' & term=$!; sleep 4; "
            f"{input_} keys 21 44 28; sleep 0.5; {input_} keys 56+62; sleep 1; "
            "kill -0 $term && echo open-after-alt-f4; "
            f"{input_} keys 125+16; "
            "for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 $term 2>/dev/null || break; sleep 0.5; "
            "done; kill -0 $term 2>/dev/null && echo still-open || echo closed; "
            "kill $term 2>/dev/null; wait",
            config="[input]\\nkeyboard-layout = de\\n[bindings]\\nclose = Super+q\\n")
        self.assertEqual(result.status, 0, result.output)
        # Alt+F4 (no longer a binding) went to foot: whatever it typed follows the line.
        self.assertTrue((result.job / "typed.txt").read_text().startswith("zy\n"))
        self.assertIn("open-after-alt-f4", result.output)
        self.assertIn("closed", result.output.split("open-after-alt-f4")[1])


class EglClients(unittest.TestCase):
    def test_simple_egl_frames(self):
        result = desktop("timeout -s INT 14 stdbuf -oL weston-simple-egl -b; "
                         "weston-simple-dmabuf-egl 2>&1 | head -3; true")
        self.assertEqual(result.status, 0, result.output)
        frames = [int(line.split()[0]) for line in result.output.splitlines()
                  if line.endswith("fps") and "frames in 5 seconds" in line]
        print(f"\nweston-simple-egl: {frames} frames in 5 s", file=sys.stderr)
        self.assertTrue(frames and frames[0] > 10, result.output)
        # The guest's default composes on vgem (the readback path), which
        # offers linux-dmabuf: weston-simple-dmabuf-egl gets past it to the
        # optional protocols, then stops allocating on a render node (dumb
        # buffers are refused there; test_render_gpu.py runs it on vgem's
        # card node).
        self.assertRegex(result.output, r"the CPU reads frames back")
        self.assertNotIn("No zwp_linux_dmabuf global", result.output)
        self.assertIn("zwp_linux_explicit_synchronization_v1 not supported", result.output)


class Outputs(unittest.TestCase):
    def test_wlr_randr_lists_and_changes_outputs(self):
        result = desktop(
            "wlr-randr > /job/before.txt; "
            "wlr-randr --output Virtual-2 --mode 800x600 && sleep 1; "
            "wlr-randr > /job/after.txt; pbvm-screendump head1 1; pbvm-screendump head0 0",
            heads=HEADS)
        self.assertEqual(result.status, 0, result.output)
        before = (result.job / "before.txt").read_text()
        after = (result.job / "after.txt").read_text()
        self.assertRegex(before, r"Virtual-1 \"primebridge output Virtual-1\"")
        self.assertRegex(before, r"Virtual-2 \"primebridge output Virtual-2\"")
        self.assertRegex(before, r"1024x768 px, [0-9.]+ Hz \(preferred, current\)")
        self.assertRegex(after, r"800x600 px, [0-9.]+ Hz.*current")
        head1 = pbvm.read_ppm(result.screendumps["head1"].ppm)
        self.assertEqual((head1.width, head1.height), (800, 600))
        head0 = pbvm.read_ppm(result.screendumps["head0"].ppm)
        self.assertEqual((head0.width, head0.height), (WIDTH, HEIGHT))

    def test_grim_matches_the_screendumps(self):
        result = desktop(
            "CLIENT hold 400 300 20 & c=$!; sleep 3; grim /job/all.png; "
            "pbvm-screendump head0 0; pbvm-screendump head1 1; kill $c; wait", heads=HEADS)
        self.assertEqual(result.status, 0, result.output)
        shot = read_png(result.job / "all.png")
        heads = [pbvm.read_ppm(result.screendumps[f"head{i}"].ppm) for i in (0, 1)]
        self.assertEqual((shot.width, shot.height), (WIDTH + 1024, HEIGHT))
        offsets = [0, WIDTH]
        for index, (head, ox) in enumerate(zip(heads, offsets)):
            wrong = sum(1 for y in range(head.height) for x in range(head.width)
                        if shot.pixel(ox + x, y) != head.pixel(x, y))
            self.assertEqual(wrong, 0, f"grim differs from head {index} in {wrong} pixels")
        self.assertIsNotNone(find_pattern(heads[0]), "the client is not on the screendump")

    def test_unplugged_output_gives_its_windows_back(self):
        # A window dragged onto the second output, which is then unplugged and re-plugged.
        result = desktop(
            "CLIENT hold 400 300 40 & c=$!; sleep 3; "
            "wlr-randr --output Virtual-1 --pos 1024,0 --output Virtual-2 --pos 0,0; sleep 1; "
            "pbvm-screendump moved-1 1; pbvm-head 1 0 0; sleep 2; "
            "wlr-randr > /job/unplugged.txt; pbvm-screendump after-0 0; "
            "pbvm-head 1 1024 768; sleep 2; wlr-randr > /job/replugged.txt; kill $c; wait",
            heads=HEADS)
        self.assertEqual(result.status, 0, result.output)
        self.assertNotIn("Virtual-2", (result.job / "unplugged.txt").read_text())
        self.assertIn("Virtual-2", (result.job / "replugged.txt").read_text())
        after = pbvm.read_ppm(result.screendumps["after-0"].ppm)
        self.assertIsNotNone(find_pattern(after),
                             "the window did not come back to the remaining output")


def colours(image):
    """How many pixels have each colour."""
    seen = {}
    for y in range(image.height):
        for x in range(image.width):
            seen[image.pixel(x, y)] = seen.get(image.pixel(x, y), 0) + 1
    return seen


class Locking(unittest.TestCase):
    LOCK = (0x33, 0x66, 0xcc)
    RELOCK = (0x33, 0xcc, 0x66)

    def assert_only(self, result, name, colour):
        found = colours(pbvm.read_ppm(result.screendumps[name].ppm))
        self.assertEqual(list(found), [colour], f"{name}: {sorted(found.items())[:5]}")

    def test_swaylock_locks_outlives_its_death_and_unlocks(self):
        inp = f"{test_session.BUILD}/tests/clients/pb-input"
        # The guest's root gets the password "pb" (a bind mount over the
        # read-only /etc/shadow): swaylock checks it through PAM.
        result = desktop(
            "echo \"root:$(openssl passwd -6 pb):19000:0:99999:7:::\" > /job/shadow; "
            "mount --bind /job/shadow /etc/shadow; "
            "foot -o font=monospace:size=14 sh -c 'cat > /job/typed.txt' & foot=$!; sleep 4; "
            "pbvm-screendump before; "
            # -f: swaylock returns once it heard "locked": by then the desktop is hidden.
            "swaylock -f -c 3366cc; pbvm-screendump at-locked; locker=$(pidof swaylock); "
            "sleep 2; pbvm-screendump locked; "
            "pbvm-head 1 1024 768; sleep 3; pbvm-screendump plugged 1; "
            # A wrong password, the quit and close bindings: all the locker's.
            f"{inp} keys 30 28; {inp} ctrl-alt-backspace; {inp} alt-f4; sleep 1; "
            "kill -9 $locker; sleep 2; pbvm-screendump abandoned; pbvm-screendump abandoned-1 1; "
            "swaylock -c 33cc66 & locker=$!; sleep 3; pbvm-screendump relocked; "
            f"{inp} keys 25 48 28; wait $locker; echo swaylock=$?; sleep 1; "
            "pbvm-screendump unlocked; kill $foot && echo foot-was-running; wait",
            heads=[(WIDTH, HEIGHT), None])
        self.assertEqual(result.status, 0, result.output)
        # Locked: the locker's colour alone, on the output plugged in meanwhile too.
        self.assert_only(result, "locked", self.LOCK)
        self.assert_only(result, "plugged", self.LOCK)
        # The locker killed: still locked, behind a plain colour on every output.
        abandoned = colours(pbvm.read_ppm(result.screendumps["abandoned"].ppm))
        self.assertEqual(len(abandoned), 1, abandoned)
        (cover,) = abandoned
        self.assertNotIn(cover, (self.LOCK, BACKGROUND))
        at_locked = colours(pbvm.read_ppm(result.screendumps["at-locked"].ppm))
        self.assertLessEqual(set(at_locked), {cover, self.LOCK}, "the desktop showed once locked")
        self.assert_only(result, "abandoned-1", cover)
        self.assertIn("The screen locker quit without unlocking", result.output)
        # A second locker takes over, and the right password unlocks.
        self.assert_only(result, "relocked", self.RELOCK)
        self.assertIn("swaylock=0", result.output)
        before = pbvm.read_ppm(result.screendumps["before"].ppm)
        unlocked = pbvm.read_ppm(result.screendumps["unlocked"].ppm)
        self.assertIsNone(changed_box(before, unlocked), "the desktop did not come back as it was")
        # No key typed while locked reached the window, nor closed it or quit.
        self.assertIn("foot-was-running", result.output)
        self.assertEqual((result.job / "typed.txt").read_text(), "")


    def test_locked_with_an_output_off(self):
        # An output turned off shows nothing: "locked" must not wait for it.
        result = desktop("wlr-randr --output Virtual-2 --off; sleep 1; "
                         "timeout 10 swaylock -f -c 3366cc; echo swaylock-f=$?; sleep 2; "
                         "pbvm-screendump locked; pkill -9 swaylock",
                         heads=[(WIDTH, HEIGHT), (1024, 768)])
        self.assertEqual(result.status, 0, result.output)
        self.assertIn("swaylock-f=0", result.output)
        self.assert_only(result, "locked", self.LOCK)


class Idle(unittest.TestCase):
    def test_swayidle_fires_after_the_timeout_unless_inhibited(self):
        inp = f"{test_session.BUILD}/tests/clients/pb-input"
        stamp = "date +%s.%N >"
        # A window inhibits idling for 7 s, then goes: idle 3 s later, and
        # resumed on the next input.
        result = desktop(
            f"swayidle -w timeout 3 '{stamp} /job/idle' resume '{stamp} /job/resumed' & "
            "idle=$!; sleep 0.5; CLIENT inhibit 300 200 7 & client=$!; sleep 6; "
            "test -e /job/idle && echo idle-while-inhibited; "
            f"wait $client; {stamp} /job/uninhibited; sleep 5; "
            f"{inp} move 5 2 2; sleep 1; kill $idle; wait")
        self.assertEqual(result.status, 0, result.output)
        self.assertNotIn("idle-while-inhibited", result.output)
        seconds = {name: float((result.job / name).read_text())
                   for name in ("uninhibited", "idle", "resumed")}
        waited = seconds["idle"] - seconds["uninhibited"]
        print(f"\nswayidle: idle {waited:.2f} s after the inhibitor went (timeout 3 s), "
              f"resumed {seconds['resumed'] - seconds['idle']:.2f} s later on input",
              file=sys.stderr)
        self.assertTrue(2.5 <= waited <= 4.5, waited)
        self.assertGreater(seconds["resumed"], seconds["idle"])


def readme_globals():
    """The globals the README lists, after "Globals offered:"."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    listed = re.search(r"Globals offered: (.*?)\.\n", readme, re.DOTALL)
    return set(re.findall(r"`([a-z0-9_]+)`", listed.group(1)))


# What a sandboxed client must not see (security-context-v1).
PRIVILEGED = {"zwlr_screencopy_manager_v1", "zwlr_export_dmabuf_manager_v1",
              "zwlr_data_control_manager_v1", "zwlr_output_manager_v1",
              "zwlr_output_power_manager_v1", "zwp_virtual_keyboard_manager_v1",
              "zwlr_virtual_pointer_manager_v1", "zwlr_layer_shell_v1",
              "ext_session_lock_manager_v1", "zwlr_foreign_toplevel_manager_v1",
              "ext_foreign_toplevel_list_v1", "zwlr_gamma_control_manager_v1",
              "wp_security_context_manager_v1", "zpb_control_manager_v1",
              "zwp_input_method_manager_v2"}


class Globals(unittest.TestCase):
    def test_wayland_info_and_a_sandboxed_client(self):
        sandboxed = f"{test_session.BUILD}/tests/clients/pb-sandboxed"
        result = desktop(f"wayland-info > /job/info.txt; {sandboxed} > /job/sandboxed.txt")
        self.assertEqual(result.status, 0, result.output)
        info = (result.job / "info.txt").read_text()
        offered = set(re.findall(r"interface: '([a-z0-9_]+)'", info))
        # The README lists every global wayland-info shows, and only those.
        listed = readme_globals()
        self.assertEqual(offered - listed, set(), "offered but not in the README")
        self.assertEqual(listed - offered, set(), "in the README but not offered")
        # A sandboxed client sees the others, none of the privileged ones.
        seen = set((result.job / "sandboxed.txt").read_text().split())
        print(f"\nglobals: {len(offered)} offered, {len(seen)} to a sandboxed client",
              file=sys.stderr)
        self.assertEqual(seen, offered - PRIVILEGED)


MAGENTA = (255, 0, 255)


class InputMethod(unittest.TestCase):
    def test_text_from_an_input_method_reaches_a_gtk_entry(self):
        # zenity's entry (GTK 4) enables text-input-v3; our input method
        # (input-method-v2) is activated, commits text, and its popup sits
        # under the text cursor, following it as the text grows.
        method = f"{test_session.BUILD}/tests/clients/pb-input-method"
        result = desktop(
            "zenity --entry --text=Name > /job/entry.txt & z=$!; sleep 8; "
            f"{method} 'héllo' 'wwwwwwwwww' > /job/im.txt & m=$!; sleep 3; "
            "pbvm-screendump first; kill -USR1 $m; sleep 2; pbvm-screendump second; "
            "wtype -k Return; wait $z; echo \"zenity $?\" >> /job/im.txt; "
            "kill $m; wait $m",
            env={"GSK_RENDERER": "cairo"})
        log = (result.job / "im.txt").read_text()
        print(f"\ninput method's log:\n{log}", file=sys.stderr)
        self.assertIn("activated", log.splitlines())
        self.assertIn("zenity 0", log.splitlines(), result.output)
        self.assertEqual((result.job / "entry.txt").read_text(), "héllowwwwwwwwww\n")
        # The popup: whole, and told the text cursor is right above it.
        first = box_of(pbvm.read_ppm(result.screendumps["first"].ppm), MAGENTA)
        second = box_of(pbvm.read_ppm(result.screendumps["second"].ppm), MAGENTA)
        print(f"popup at {first}, then {second}", file=sys.stderr)
        self.assertIsNotNone(first, "no popup on the screen")
        self.assertEqual((first[2] - first[0], first[3] - first[1]), (160, 24))
        rectangles = [tuple(map(int, line.split()[1:])) for line in log.splitlines()
                      if line.startswith("rectangle")]
        self.assertTrue(rectangles, "the popup was never told where the cursor is")
        x, y, _, h = rectangles[-1]
        self.assertEqual((x, y + h), (0, 0), "the popup is not right below the cursor")
        # Ten more characters moved the cursor, and the popup with it, to the
        # right by about ten glyphs, on the same line.
        self.assertEqual(second[1], first[1])
        self.assertTrue(40 <= second[0] - first[0] <= 200, (first, second))


    def test_keys_go_to_an_input_method_that_grabs_the_keyboard(self):
        # The input method grabs the keyboard and turns A into alpha: keys of a
        # real (uinput) keyboard reach it and not zenity, until it goes.
        build = test_session.BUILD
        result = desktop(
            "zenity --entry --text=Name > /job/entry.txt & z=$!; sleep 8; "
            f"{build}/tests/clients/pb-input-method --grab 'α' > /job/im.txt & m=$!; "
            # One A, and the second once GTK has taken in the first: a commit
            # that crosses the field's next state carries an older serial, and
            # GTK drops it (text-input-v3's serials; seen once here).
            f"sleep 3; {build}/tests/clients/pb-input keys 30; sleep 1; "
            f"{build}/tests/clients/pb-input keys 30; sleep 1; "
            f"kill $m; wait $m; sleep 1; {build}/tests/clients/pb-input keys 28; wait $z",
            env={"GSK_RENDERER": "cairo"})
        log = (result.job / "im.txt").read_text().splitlines()
        print(f"\ninput method's log: {log}", file=sys.stderr)
        self.assertEqual(result.status, 0, result.output)
        self.assertIn("grabbed", log)
        self.assertEqual([line for line in log if line.startswith("key")],
                         ["key 30", "key 30"])
        self.assertEqual((result.job / "entry.txt").read_text(), "αα\n")


def wayland_events(log, interface, event):
    """The arguments of each event of one interface in a WAYLAND_DEBUG=client log."""
    pattern = rf"^\[[ 0-9.]+\] +(?:{{[^}}]*}} +)?{interface}[@#]\d+\.{event}\((.*)\)$"
    return re.findall(pattern, log, re.MULTILINE)


class Tablet(unittest.TestCase):
    def test_a_pen_draws_in_gtk_and_clicks_in_foot(self):
        # foot does not bind tablet-v2: the pen is a pointer there, its tip
        # the left button. zenity's GTK does: over it the pen is a pen, with
        # pressure, and no pointer button. Both logged by libwayland itself.
        pen = f"{test_session.BUILD}/tests/clients/pb-input pen"
        result = desktop(
            "WAYLAND_DEBUG=client foot -o font=monospace:size=14 2> /job/foot.wl & f=$!; "
            f"{pen} 500 300 520 300 5 470 500 530 500 10 & p=$!; sleep 4; "
            f"{WAIT_FOR_TABLET}kill -USR1 $p; sleep 1; "
            "WAYLAND_DEBUG=client zenity --entry --text=Name 2> /job/zenity.wl & z=$!; "
            "sleep 8; kill -USR1 $p; wait $p; sleep 1; kill $z $f; wait",
            env={"GSK_RENDERER": "cairo"})
        foot = (result.job / "foot.wl").read_text(errors="replace")
        zenity = (result.job / "zenity.wl").read_text(errors="replace")
        foot_presses = [a for a in wayland_events(foot, "wl_pointer", "button")
                        if a.replace(" ", "").endswith(",272,1")]
        zenity_presses = wayland_events(zenity, "wl_pointer", "button")
        tool = {e: wayland_events(zenity, "zwp_tablet_tool_v2", e)
                for e in ("proximity_in", "down", "pressure", "motion", "up",
                          "proximity_out")}
        print(f"\nfoot: {len(foot_presses)} left-button presses; zenity: "
              + ", ".join(f"{len(v)} {e}" for e, v in tool.items())
              + f", {len(zenity_presses)} pointer buttons", file=sys.stderr)
        self.assertIn("tablet: pb-input pen tablet", (result.job / "info.txt").read_text())
        self.assertEqual(len(foot_presses), 1, "the pen's tip over foot is one click")
        for event in ("proximity_in", "down", "motion", "up", "proximity_out"):
            self.assertTrue(tool[event], f"zenity never heard the pen's {event}")
        self.assertEqual(len(tool["down"]), 1)
        # 600 of 1023 on the device: about 0.59 of the protocol's 65535.
        pressures = [int(a) for a in tool["pressure"]]
        self.assertTrue(any(30000 < p < 45000 for p in pressures), pressures)
        self.assertGreaterEqual(len(tool["motion"]), 5)
        self.assertEqual(zenity_presses, [], "the pen also acted as a pointer over GTK")


class Gestures(unittest.TestCase):
    def test_a_three_finger_swipe_reaches_gtk(self):
        # The pointer over zenity (GTK binds pointer-gestures), then a uinput
        # touchpad swipes right with three fingers, three times. Flat pointer
        # acceleration, so that the motions end where they say under any load.
        build = test_session.BUILD
        result = desktop(
            "WAYLAND_DEBUG=client zenity --entry --text=Name 2> /job/zenity.wl & z=$!; "
            # A first motion, then a pause for the first cursor draw's stall.
            f"sleep 8; {build}/tests/clients/pb-input move 2 1 1; sleep 4; "
            # To (602, 302): inside the dialog wherever GTK's first size
            # placed it (its top-left was seen at (490, 276) and (415, 195)).
            f"{build}/tests/clients/pb-input move 150 4 2; "
            f"{build}/tests/clients/pb-input swipe 3; sleep 1; kill $z; wait",
            env={"GSK_RENDERER": "cairo"}, config=FLAT_POINTER)
        log = (result.job / "zenity.wl").read_text(errors="replace")
        begins = wayland_events(log, "zwp_pointer_gesture_swipe_v1", "begin")
        updates = wayland_events(log, "zwp_pointer_gesture_swipe_v1", "update")
        ends = wayland_events(log, "zwp_pointer_gesture_swipe_v1", "end")
        print(f"\nzenity: {len(begins)} swipes begun, {len(updates)} updates, "
              f"{len(ends)} ended", file=sys.stderr)
        self.assertTrue(begins, "no swipe reached zenity")
        # begin(serial, time, surface, fingers): three fingers.
        self.assertTrue(all(b.replace(" ", "").endswith(",3") for b in begins), begins)
        self.assertEqual(len(ends), len(begins))
        # update(time, dx, dy): the fingers went right.
        dx = sum(float(u.split(",")[1]) for u in updates)
        self.assertGreater(dx, 0, updates)


class LayerKeyboard(unittest.TestCase):
    def test_a_panel_asking_on_demand_gets_the_keyboard_on_click(self):
        # foot has the keyboard; a click (a pen's tap, which is absolute) on a
        # layer surface asking for the keyboard on demand moves it there, and
        # a click on foot moves it back.
        build = test_session.BUILD
        pen = f"{build}/tests/clients/pb-input pen"
        keys = f"{build}/tests/clients/pb-input keys"
        result = desktop(
            "foot -o font=monospace:size=14 sh -c 'cat > /job/typed.txt' & f=$!; "
            f"{build}/tests/clients/pb-layer-keyboard > /job/panel.txt & l=$!; "
            # The bar is 400x60 at the top centre; foot is centred below it. The
            # first stroke, on foot, only warms up: the first time a pointer
            # enters foot, loading its cursor stalls the compositor for a
            # second or more (llvmpipe, ASan), and libinput, finding the pen
            # silent for longer than 50 ms, drops the rest of that stroke.
            f"{pen} 480 500 520 500 10 480 37 520 37 10 480 500 520 500 10 & p=$!; sleep 4; "
            f"{WAIT_FOR_TABLET}kill -USR1 $p; sleep 3; "
            "pbvm-screendump shown; "
            f"{keys} 30 28; kill -USR1 $p; sleep 1; {keys} 48 28; "
            f"kill -USR1 $p; wait $p; sleep 1; {keys} 46 28; sleep 1; "
            "kill $l; kill $f; wait")
        typed = (result.job / "typed.txt").read_text()
        panel = (result.job / "panel.txt").read_text().splitlines()
        print(f"\nfoot read {typed!r}; the panel heard {panel}", file=sys.stderr)
        shot = pbvm.read_ppm(result.screendumps["shown"].ppm)
        self.assertEqual(box_of(shot, (0, 192, 0)), (440, 0, 840, 60))
        # a, then (after clicking foot again) c: b went to the panel.
        self.assertEqual(typed, "a\nc\n")
        self.assertEqual(panel, ["enter", "key 48 1", "key 48 0", "key 28 1", "key 28 0",
                                 "leave"])


class Windows(unittest.TestCase):
    def test_a_window_larger_than_the_output_is_made_to_fit(self):
        # foot asks for 220 columns, wider than the output: placed at the
        # top-left and configured to the output's width, its columns follow.
        result = desktop("foot -W 220x20 -o font=monospace:size=14 "
                         "sh -c 'sleep 5; stty size > /job/size; sleep 3' & sleep 6; "
                         "pbvm-screendump shown; wait")
        self.assertEqual(result.status, 0, result.output)
        rows, columns = map(int, (result.job / "size").read_text().split())
        shot = pbvm.read_ppm(result.screendumps["shown"].ppm)
        box = drawn_box(shot)
        print(f"\nfoot asked for 220x20 cells, got {columns}x{rows}; drawn at {box}",
              file=sys.stderr)
        self.assertLess(columns, 220)
        self.assertEqual(rows, 20)
        # At the top-left, as wide as the output (foot keeps to whole cells, up
        # to a cell narrower), and no wider.
        self.assertEqual(box[:2], (0, 0), box)
        self.assertTrue(WIDTH - 20 < box[2] <= WIDTH, box)
        self.assertLess(box[3], HEIGHT)


class Scale(unittest.TestCase):
    def test_fractional_scale_buffer_matches_the_screendump(self):
        # [output] scale = 1.5: foot hears 180/120 through fractional-scale-v1,
        # draws a buffer 1.5 times its logical size and sets that size through
        # viewporter; the screendump shows the buffer pixel for pixel.
        result = desktop("WAYLAND_DEBUG=1 foot -o font=monospace:size=10 sh -c 'sleep 5' "
                         "2> /job/foot.log & sleep 4; pbvm-screendump scaled; wait",
                         config="[output]\\nscale = 1.5\\n")
        self.assertEqual(result.status, 0, result.output)
        log = (result.job / "foot.log").read_text()
        self.assertIn("180", re.findall(r"wp_fractional_scale_v1#\d+\.preferred_scale\((\d+)\)", log))
        logical = {tuple(map(int, m)) for m in
                   re.findall(r"wp_viewport#\d+\.set_destination\((\d+), (\d+)\)", log)}
        buffers = [tuple(map(int, m)) for m in re.findall(
            r"wl_shm_pool#\d+\.create_buffer\(new id wl_buffer#\d+, \d+, (\d+), (\d+),", log)]
        # The window's content: its last buffer larger than the title bar and
        # the invisible resize borders; its logical size is set 1.5 times smaller.
        buffer = [b for b in buffers if b[0] > 100 and b[1] > 100][-1]
        width, height = round(buffer[0] / 1.5), round(buffer[1] / 1.5)
        self.assertIn((width, height), logical, f"no {width}x{height} viewport for {buffer}")
        shot = pbvm.read_ppm(result.screendumps["scaled"].ppm)
        x0, y0, x1, y1 = drawn_box(shot)
        print(f"\nscale 1.5: foot {width}x{height} logical, buffer {buffer[0]}x{buffer[1]}, "
              f"drawn {x1 - x0}x{y1 - y0} at ({x0}, {y0})", file=sys.stderr)
        # Drawn pixel for pixel: the buffer's width, and its height plus the
        # title bar's (primebridge's, as foot asks xdg-decoration for one).
        self.assertEqual(x1 - x0, buffer[0])
        self.assertGreater(y1 - y0, buffer[1])


class Panel(unittest.TestCase):
    def test_waybar_reserves_its_zone(self):
        # With its clock module, waybar 0.12 showed no bar in this guest (it
        # logs basic_string::_M_create either way); a fixed text shows it.
        config = ('{"layer": "top", "position": "top", "height": 30, '
                  '"modules-left": ["custom/name"], '
                  '"custom/name": {"format": "primebridge"}}')
        result = desktop(
            f"printf '%s' '{config}' > $XDG_RUNTIME_DIR/waybar.json; "
            # Waybar 0.12 needs a session bus, as a login session has.
            "dbus-run-session waybar -c $XDG_RUNTIME_DIR/waybar.json > /job/waybar.log 2>&1 & "
            "bar=$!; sleep 10; "
            'CLIENT pattern 400 300 "pbvm-screendump a" "true"; kill $bar; wait')
        self.assertEqual(result.status, 0, result.output)
        shot = pbvm.read_ppm(result.screendumps["a"].ppm)
        panel = count_not_background(shot, (0, 0, WIDTH, 30))
        self.assertGreater(panel, WIDTH * 30 * 0.9, "no panel along the top")
        origin = find_pattern(shot)
        # Centred in the 1280x770 left below the panel, not in the whole output.
        self.assertEqual(origin, ((WIDTH - 400) // 2, 30 + (HEIGHT - 30 - 300) // 2),
                         result.output)


class X11(unittest.TestCase):
    def test_xeyes_appears_through_xwayland(self):
        result = desktop("echo \"$DISPLAY\" > /job/display.txt; xeyes -geometry 300x200 & "
                         "eyes=$!; sleep 8; pbvm-screendump eyes; kill $eyes; wait; "
                         "timeout 12 glxgears -info > /job/gears.txt 2>&1; true")
        self.assertEqual(result.status, 0, result.output)
        self.assertRegex((result.job / "display.txt").read_text(), r"^:[0-9]+$")
        self.assertIn("XWayland is running on DISPLAY=", result.output)
        shot = pbvm.read_ppm(result.screendumps["eyes"].ppm)
        # Centred with the title bar primebridge draws above it (xeyes draws no frame).
        top = (HEIGHT - 200 - TITLE_BAR) // 2 + TITLE_BAR
        box = ((WIDTH - 300) // 2, top, (WIDTH + 300) // 2, top + 200)
        # Two white eyes on xeyes' black window: about half of it.
        x0, y0, x1, y1 = box
        white = sum(1 for y in range(y0, y1) for x in range(x0, x1)
                    if shot.pixel(x, y) == (255, 255, 255))
        print(f"\nxeyes: {white} of its window's 60000 px white (the eyes)", file=sys.stderr)
        self.assertGreater(white, 60000 * 0.4)
        gears = (result.job / "gears.txt").read_text()
        renderer = re.search(r"GL_RENDERER\s*=\s*(.*)", gears)
        rates = re.findall(r"(\d+) frames in [0-9.]+ seconds", gears)
        print(f"glxgears through XWayland: renderer {renderer and renderer[1]}, frames {rates}",
              file=sys.stderr)
        self.assertTrue(renderer and rates and int(rates[0]) > 0, gears)


# The title bar primebridge draws (compositor/decoration.c): its height and
# the colour of a focused window's bar.
TITLE_BAR = 26
ACTIVE_BAR = (0x28, 0x4b, 0x7a)
# The window's place and size from xwd's header (25 big-endian words:
# window_width, window_height, window_x, window_y are the 21st to 24th).
XWD_GEOMETRY = ("import struct, sys; h = struct.unpack('>25I', sys.stdin.buffer.read(100)); "
                "print(h[22], h[23], h[20], h[21])")
# Relative motion moves the cursor by exactly what pb-input says.


def bar_height(image, x, y):
    """How many rows of the bar's colour lie right above row y at column x."""
    rows = 0
    while y - rows - 1 >= 0 and image.pixel(x, y - rows - 1) == ACTIVE_BAR:
        rows += 1
    return rows


class TitleBars(unittest.TestCase):
    def test_xterm_gets_a_bar_that_moves_and_closes_it(self):
        # xterm sets no Motif hints: it gets the bar. The pointer goes to the
        # top-left corner, then onto the middle of the bar (xwd says where
        # xterm is), drags it by (100, 60), then clicks the close button.
        inp = f"{test_session.BUILD}/tests/clients/pb-input"
        result = desktop(
            # xwd finds the window once xterm has mapped it.
            "xterm -T pb-title-bar & term=$!; for i in $(seq 60); do "
            "xwd -name pb-title-bar > /job/xterm.xwd 2>/dev/null && break; sleep 0.5; done; "
            "sleep 1; "
            f"set -- $(python3 -c \"{XWD_GEOMETRY}\" < /job/xterm.xwd); "
            "echo \"$1 $2 $3 $4\" > /job/geometry; "
            # A first motion, then a pause: the first cursor draw (llvmpipe)
            # stalls the compositor for seconds, and the kernel drops input
            # meanwhile (as test_render_gpu.py's cursor test says).
            f"{inp} move 2 1 1; sleep 4; "
            f"{inp} move 40 -50 -50; "
            f"{inp} move 1 $(($1 + $3 / 2)) $(($2 - {TITLE_BAR // 2})); sleep 0.5; "
            "pbvm-screendump before; "
            f"{inp} drag 10 10 6; sleep 1; pbvm-screendump dragged; "
            f"{inp} move 1 $(($3 / 2 - {TITLE_BAR // 2})) 0; {inp} click; "
            "for i in $(seq 20); do kill -0 $term 2>/dev/null || break; sleep 0.5; done; "
            "kill -0 $term 2>/dev/null && echo xterm-still-open && kill $term; "
            "wait $term; echo xterm-exit=$?",
            config=FLAT_POINTER)
        self.assertEqual(result.status, 0, result.output)
        x, y, w, h = map(int, (result.job / "geometry").read_text().split())
        before = pbvm.read_ppm(result.screendumps["before"].ppm)
        dragged = pbvm.read_ppm(result.screendumps["dragged"].ppm)
        # Placed centred with its bar: the bar stays inside the output.
        self.assertEqual((x, y), ((WIDTH - w) // 2, (HEIGHT - h - TITLE_BAR) // 2 + TITLE_BAR))
        # A band of the bar's colour right above the window, as wide as it,
        # with the title and the cross drawn on it.
        height = bar_height(before, x + 2, y)
        self.assertEqual(height, TITLE_BAR)
        self.assertEqual(bar_height(before, x + w - 1, y), TITLE_BAR)
        self.assertNotEqual(before.pixel(x - 1, y - 2), ACTIVE_BAR)
        self.assertNotEqual(before.pixel(x + w, y - 2), ACTIVE_BAR)
        self.assertNotEqual(before.pixel(x + 2, y), ACTIVE_BAR)
        title = sum(1 for by in range(y - TITLE_BAR, y) for bx in range(x, x + w - TITLE_BAR)
                    if before.pixel(bx, by) != ACTIVE_BAR)
        cross = sum(1 for by in range(y - TITLE_BAR, y) for bx in range(x + w - TITLE_BAR, x + w)
                    if before.pixel(bx, by) != ACTIVE_BAR)
        self.assertGreater(title, 100, "no title on the bar")
        self.assertGreater(cross, 20, "no close button on the bar")
        # The drag moved the window and its bar by what the pointer moved.
        box_before, box_dragged = drawn_box(before), drawn_box(dragged)
        moved = (box_dragged[0] - box_before[0], box_dragged[1] - box_before[1])
        print(f"\nxterm {w}x{h} at ({x}, {y}), bar {height} px high; drawn at "
              f"{box_before}, after a (100, 60) drag on the bar at {box_dragged}",
              file=sys.stderr)
        self.assertEqual(box_before, (x, y - TITLE_BAR, x + w, y + h))
        self.assertEqual(moved, (100, 60))
        self.assertEqual(bar_height(dragged, x + 102, y + 60), TITLE_BAR)
        # The close button closed it: xterm exited by itself.
        self.assertNotIn("xterm-still-open", result.output)
        self.assertIn("xterm-exit=0", result.output)

    def test_server_side_on_request_client_side_stays_bare(self):
        # foot asks xdg-decoration for server-side decorations (csd.preferred
        # = server, its default) and draws none of its own; GTK draws its own
        # (it binds no xdg-decoration) and gets no bar.
        # Each screendump waits for the client's first buffer (its protocol
        # log says when), then two seconds: on a loaded machine GTK took
        # more than twelve seconds to get there.
        shown = ("for i in $(seq 120); do grep -q 'attach(wl_buffer' /job/{0}.log && break; "
                 "sleep 0.5; done; sleep 2; pbvm-screendump {0}; ")
        result = desktop(
            "WAYLAND_DEBUG=1 foot -o font=monospace:size=12 sh -c 'sleep 60' 2> /job/foot.log & "
            f"f=$!; {shown.format('foot')}kill $f; wait; "
            "WAYLAND_DEBUG=1 GDK_BACKEND=wayland gtk3-widget-factory > /job/gtk.log 2>&1 & "
            f"g=$!; {shown.format('gtk')}kill $g; wait")
        self.assertEqual(result.status, 0, result.output)
        log = (result.job / "foot.log").read_text()
        self.assertRegex(log, r"zxdg_toplevel_decoration_v1#\d+\.set_mode\(2\)")
        self.assertRegex(log, r"zxdg_toplevel_decoration_v1#\d+\.configure\(2\)")
        foot = pbvm.read_ppm(result.screendumps["foot"].ppm)
        bar = box_of(foot, ACTIVE_BAR)
        drawn = drawn_box(foot)
        print(f"\nfoot: bar at {bar}, drawn {drawn}", file=sys.stderr)
        self.assertIsNotNone(bar, "foot got no title bar")
        # The bar is the top of what is drawn, as wide as foot's window.
        self.assertEqual(bar[3] - bar[1], TITLE_BAR)
        self.assertEqual((bar[0], bar[1], bar[2]), drawn[:3])
        self.assertNotEqual(foot.pixel(bar[0] + 2, bar[3]), ACTIVE_BAR)
        gtk_log = (result.job / "gtk.log").read_text()
        # GTK 3 makes an xdg toplevel and never binds xdg-decoration.
        self.assertIn("xdg_toplevel", gtk_log)
        self.assertNotRegex(gtk_log, r'bind\(\d+, "zxdg_decoration_manager_v1"')
        gtk = pbvm.read_ppm(result.screendumps["gtk"].ppm)
        self.assertIsNotNone(drawn_box(gtk), "gtk3-widget-factory showed nothing")
        self.assertIsNone(box_of(gtk, ACTIVE_BAR), "a bar over a window that draws its own")


class Clipboard(unittest.TestCase):
    def test_wl_copy_then_wl_paste(self):
        result = desktop("printf primebridge-clip | wl-copy; sleep 0.5; "
                         "wl-paste -n > /job/pasted.txt; "
                         "printf primebridge-primary | wl-copy --primary; sleep 0.5; "
                         "wl-paste --primary -n > /job/primary.txt")
        self.assertEqual(result.status, 0, result.output)
        self.assertEqual((result.job / "pasted.txt").read_text(), "primebridge-clip")
        self.assertEqual((result.job / "primary.txt").read_text(), "primebridge-primary")


if __name__ == "__main__":
    test_session.main(__doc__)
