#!/usr/bin/env python3
"""primebridge's command line on the build machine itself (no /dev/dri):
every mistake a user can make gets one clear line and a non-zero status."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BINARY = os.environ.get("PRIMEBRIDGE", "build/compositor/primebridge")


def run(*args, env=None):
    proc = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=30,
                          env={**os.environ, **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


def no_drm_devices():
    try:
        return not any(n.startswith(("card", "renderD")) for n in os.listdir("/sys/class/drm"))
    except FileNotFoundError:
        return True


class CommandLine(unittest.TestCase):
    def assert_one_line_error(self, status, stderr, expected_status, *fragments):
        self.assertEqual(status, expected_status, stderr)
        lines = stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, f"expected one line, got: {stderr!r}")
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def test_help_lists_actions_and_options(self):
        status, out, _ = run("--help")
        self.assertEqual(status, 0)
        for word in ("--probe", "--test-pattern", "--display-device", "--render-device",
                     "--config"):
            self.assertIn(word, out)

    def test_version(self):
        status, out, _ = run("--version")
        self.assertEqual(status, 0)
        self.assertRegex(out, r"^primebridge \d+\.\d+\.\d+\n$")

    def test_unknown_option(self):
        status, _, err = run("--probe", "--frobnicate")
        self.assert_one_line_error(status, err, 2, "--frobnicate: unknown option")

    def test_command_without_compositor(self):
        status, _, err = run("--probe", "--", "true")
        self.assert_one_line_error(status, err, 2, "only goes with running the compositor")

    def test_render_device_regular_file(self):
        status, _, err = run("--probe", "--render-device", "/etc/passwd")
        self.assert_one_line_error(status, err, 1, "--render-device", "/etc/passwd",
                                   "not a device node")

    def test_render_device_missing(self):
        status, _, err = run("--probe", "--render-device", "/dev/dri/renderD200")
        self.assert_one_line_error(status, err, 1, "/dev/dri/renderD200",
                                   "No such file or directory")

    def test_display_device_not_drm(self):
        status, _, err = run("--test-pattern=1", "--allow-root", "--display-device", "/dev/null")
        self.assert_one_line_error(status, err, 1, "/dev/null", "not a DRM node")

    def test_display_device_directory(self):
        status, _, err = run("--probe", "--display-device", "/etc")
        self.assert_one_line_error(status, err, 1, "/etc", "directory")

    @unittest.skipUnless(os.geteuid() == 0, "needs root")
    def test_root_is_refused_unless_allowed(self):
        for action in ((), ("--test-pattern=1",), ("--kiosk", "--", "true")):
            status, _, err = run(*action, "--display-device", "/dev/null")
            self.assert_one_line_error(status, err, 2, "refusing to run as root", "--allow-root")
        status, _, err = run("--allow-root", "--display-device", "/dev/null")
        self.assert_one_line_error(status, err, 1, "/dev/null", "not a DRM node")
        # Diagnosis stays open to root.
        status, _, err = run("--probe", "--display-device", "/dev/null")
        self.assert_one_line_error(status, err, 1, "/dev/null", "not a DRM node")

    @unittest.skipUnless(os.geteuid() == 0, "needs root to make set-ID copies")
    def test_set_id_privileges_are_given_up(self):
        """Set-user-ID and set-group-ID root copies run by nobody run as nobody:
        not refused as root, and a path only root's user or group may reach
        stays out of reach."""
        with tempfile.TemporaryDirectory() as folder:
            os.chmod(folder, 0o755)
            private = os.path.join(folder, "root-only")
            os.mkdir(private)
            os.chmod(private, 0o770)  # root's user and root's group
            secret = os.path.join(private, "card0")
            open(secret, "w").close()
            for mode in (0o4755, 0o2755):
                copy = os.path.join(folder, f"primebridge-{mode:o}")
                shutil.copy(BINARY, copy)
                os.chown(copy, 0, 0)
                os.chmod(copy, mode)
                proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534",
                                       "--clear-groups", copy, "--display-device", secret],
                                      capture_output=True, text=True, timeout=30)
                if os.statvfs(folder).f_flag & os.ST_NOSUID:
                    self.skipTest(f"{folder} is mounted nosuid")
                with self.subTest(mode=f"{mode:o}"):
                    self.assert_one_line_error(proc.returncode, proc.stderr, 1, secret,
                                               "Permission denied")

    @unittest.skipUnless(no_drm_devices(), "this machine has DRM devices")
    def test_probe_without_devices(self):
        status, out, err = run("--probe")
        self.assert_one_line_error(status, err, 1, "no DRM device found", "virtio-gpu")
        self.assertEqual(out, "")

    def test_config_error_names_file_and_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
            f.write("[buffers]\n# fine\nstride-alignment = 300\n")
        try:
            status, _, err = run("--probe", "--config", f.name)
            self.assert_one_line_error(status, err, 2, f"{f.name}:3:", "stride-alignment",
                                       "power of two")
        finally:
            os.unlink(f.name)

    def test_config_missing_file(self):
        status, _, err = run("--probe", "--config", "/nonexistent.conf")
        self.assert_one_line_error(status, err, 2, "/nonexistent.conf", "cannot open")

    def test_config_found_in_xdg_config_home(self):
        with tempfile.TemporaryDirectory() as home:
            os.mkdir(os.path.join(home, "primebridge"))
            path = os.path.join(home, "primebridge", "primebridge.conf")
            with open(path, "w") as f:
                f.write("[render]\ncopy = sometimes\n")
            status, _, err = run("--probe", env={"XDG_CONFIG_HOME": home})
            self.assert_one_line_error(status, err, 2, f"{path}:2:", "auto, gpu, readback or cpu")


# Malformed configuration files and the message --check-config must give
# (after "FILE:"), each a separate file checked by a separate process.
BAD_CONFIGS = [
    ("[devices]\nfoo = 1\n", "2: unknown key 'foo' in [devices]"),
    ("[screens]\n", "1: unknown section [screens]"),
    ("[devices\n", "1: malformed section header"),
    ("display = auto\n", "1: key 'display' before any [section]"),
    ("[devices]\ndisplay\n", "2: expected key = value"),
    ("[devices]\ndisplay = card0\n", "2: display = 'card0': expected"),
    ("[devices]\nrender = \n", "2: render = '': expected"),
    ("[buffers]\nstride-alignment = 100\n", "2: stride-alignment = '100': expected"),
    ("[buffers]\nstride-alignment = 256px\n", "2: stride-alignment = '256px'"),
    ("[buffers]\nhost-update = sometimes\n", "2: host-update = 'sometimes'"),
    ("[render]\ncopy = fast\n", "2: copy = 'fast': expected auto, gpu, readback or cpu"),
    ("[devices]\n[devices]\n", "2: duplicate section [devices]"),
    ("[render]\ncopy = gpu\ncopy = cpu\n", "3: duplicate key 'copy'"),
    ("[output]\nmode = big\n", "2: mode = 'big'"),
    ("[output]\nmode = 1024x768@60Hz\n", "2: mode = '1024x768@60Hz'"),
    ("[output]\nmode = 0x768\n", "2: mode = '0x768'"),
    ("[control]\ntrusted-uids = bob\n", "2: trusted-uids = 'bob'"),
    ("[control]\ntrusted-uids = 0\n", "2: trusted-uids = '0'"),
    ("[kiosk]\nallow-quit = yes\n", "2: allow-quit = 'yes': expected true or false"),
    ("[kiosk]\nrestart-delay-min = 0\n", "2: restart-delay-min = '0'"),
    ("[kiosk]\nrestart-delay-max = 2s\n", "2: restart-delay-max = '2s'"),
    ("[kiosk]\nmax-rapid-failures = 1001\n", "2: max-rapid-failures = '1001'"),
    ("[kiosk]\nhide-cursor-after = -5\n", "2: hide-cursor-after = '-5'"),
    ("[kiosk]\nallow-vt-switch = 1\n", "2: allow-vt-switch = '1'"),
    ("# ok\n[render]\ncopy = gpu\xff\n", "3: invalid UTF-8"),
    ("# \xc0\xaf overlong\n", "1: invalid UTF-8"),
    ("[render]\n# " + "x" * 2000 + "\n", "2: line longer than 1023 bytes"),
    ("[render]\ncopy = cpu\x00\n", "2: NUL byte in line"),
    ("\n\n\n[buffers]\nstride-alignment = 8192\n", "5: stride-alignment = '8192'"),
    ("[Render]\n", "1: unknown section [Render]"),
    ("[render]\n = cpu\n", "2: unknown key '' in [render]"),
]


class CheckConfig(unittest.TestCase):
    def test_malformed_files(self):
        self.assertGreaterEqual(len(BAD_CONFIGS), 30)
        with tempfile.TemporaryDirectory() as tmp:
            for i, (text, message) in enumerate(BAD_CONFIGS):
                path = os.path.join(tmp, f"bad{i}.conf")
                with open(path, "w", encoding="latin-1") as f:
                    f.write(text)
                with self.subTest(text=text[:40]):
                    status, _, err = run("--check-config", path)
                    self.assertEqual(status, 2, err)
                    self.assertEqual(err.count("\n"), 1, err)
                    self.assertTrue(err.startswith(f"primebridge: {path}:{message}"), err)

    def test_files_that_are_not_configurations(self):
        with tempfile.TemporaryDirectory() as tmp:
            cases = [(os.path.join(tmp, "missing.conf"), "cannot open: No such file"),
                     (tmp, "expected a regular file")]
            big = os.path.join(tmp, "big.conf")
            with open(big, "w") as f:
                f.write("#" * (1 << 20) + "\n")
            cases.append((big, "expected a regular file of at most 1048576 bytes"))
            for path, message in cases:
                with self.subTest(path=path):
                    status, _, err = run("--check-config", path)
                    self.assertEqual(status, 2, err)
                    self.assertEqual(err, f"primebridge: {path}: {message}" +
                                     err.split(message, 1)[1], err)

    def test_valid_files(self):
        shipped = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                               "config", "primebridge.conf")
        status, out, _ = run("--check-config", shipped)
        self.assertEqual((status, out), (0, f"{shipped}: valid\n"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "ok.conf")
            with open(path, "w") as f:
                f.write("[kiosk]\ncommand = foot -e 'café'\nallow-quit = true\n")
            status, out, err = run("--check-config", path)
            self.assertEqual(status, 0, err)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        BINARY = sys.argv.pop(1)
    unittest.main(verbosity=2)
