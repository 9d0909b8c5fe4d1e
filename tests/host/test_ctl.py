#!/usr/bin/env python3
"""primebridgectl where there is no primebridge: one clear line, and the
documented exit status (3: not running under primebridge or not allowed,
2: usage). A Wayland socket that is not primebridge's is simulated by a
listening socket that speaks no Wayland."""
import os
import socket
import subprocess
import sys
import tempfile
import unittest

CTL = "build/ctl/primebridgectl"


def run(*args, env=None):
    base = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY",)}
    proc = subprocess.run([CTL, *args], capture_output=True, text=True, timeout=30,
                          env={**base, **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


class Ctl(unittest.TestCase):
    def test_help(self):
        status, out, _ = run("--help")
        self.assertEqual(status, 0)
        for word in ("status [--json]", "watch", "reload", "outputs", "set-host-update"):
            self.assertIn(word, out)

    def test_no_command(self):
        status, _, err = run()
        self.assertEqual(status, 2)
        self.assertIn("Usage:", err)

    def test_no_wayland_display(self):
        status, _, err = run("status")
        self.assertEqual(status, 3)
        self.assertEqual(err, "primebridgectl: not running under primebridge: "
                              "WAYLAND_DISPLAY is not set\n")

    def test_no_control_socket(self):
        with tempfile.TemporaryDirectory() as runtime:
            status, _, err = run("status", env={"XDG_RUNTIME_DIR": runtime,
                                                "WAYLAND_DISPLAY": "wayland-9"})
        self.assertEqual(status, 3)
        self.assertIn(f"cannot connect to {runtime}/wayland-9.primebridge-control "
                      "(is WAYLAND_DISPLAY a primebridge session?)", err)

    def test_socket_that_offers_no_control(self):
        # A server that accepts and closes at once: no registry, no global.
        with tempfile.TemporaryDirectory() as runtime:
            path = os.path.join(runtime, "not-primebridge")
            server = socket.socket(socket.AF_UNIX)
            server.bind(path)
            server.listen(1)
            proc = subprocess.Popen([CTL, "--socket", path, "outputs"],
                                    stderr=subprocess.PIPE, text=True)
            conn, _ = server.accept()
            conn.close()
            server.close()
            _, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 3, err)
        self.assertIn(f"{path} closed the connection: not primebridge's control socket", err)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        CTL = sys.argv.pop(1)
    unittest.main(verbosity=2)
