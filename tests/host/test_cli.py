#!/usr/bin/env python3
"""primebridge's command line on the build machine itself (no /dev/dri):
every mistake a user can make gets one clear line and a non-zero status."""
import os
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
        status, _, err = run("--test-pattern=1", "--display-device", "/dev/null")
        self.assert_one_line_error(status, err, 1, "/dev/null", "not a DRM node")

    def test_display_device_directory(self):
        status, _, err = run("--probe", "--display-device", "/etc")
        self.assert_one_line_error(status, err, 1, "/etc", "directory")

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
            self.assert_one_line_error(status, err, 2, f"{path}:2:", "auto, gpu or cpu")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        BINARY = sys.argv.pop(1)
    unittest.main(verbosity=2)
