#!/usr/bin/python3
"""pbvm: run a command in a QEMU guest that has a virtio-gpu (plus vgem).

The build machines have no /dev/dri, so tests that need a real KMS device run
in a small TCG guest: Debian's kernel, a busybox initramfs, and the host's own
root over 9p (read-only), so the guest runs the very binaries built on the
host, at the same paths. See README.md in this folder.

Python API (stdlib only):
    result = pbvm.run(["sh", "-c", "..."], cache="build/vm-cache")
    result.status, result.output, result.screendumps["shot"].png, ...
    image = pbvm.read_ppm(result.screendumps["shot"].ppm)

Command line:
    python3 tests/vm/pbvm.py --cache DIR [options] -- CMD ARGS...

With heads=[(w, h), ...] QEMU gets a D-Bus display on a private bus: every
head is connected (or not) from boot at its own size, and the command can
hot-plug them with pbvm-head.
"""

import argparse
import atexit
import codecs
import ctypes
import fcntl
import gzip
import hashlib
import json
import lzma
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

HERE = Path(__file__).resolve().parent
INIT_SCRIPT = HERE / "pbvm-init"
BUSYBOX = Path("/bin/busybox")
QEMU = "qemu-system-x86_64"
KERNEL_META_PACKAGE = "linux-image-amd64"

# virtio_pci is a module in Debian's kernel and no other module depends on
# it (it is a bus driver), so it has to be asked for explicitly.
# evdev and uinput: tests create input devices that libinput (through udev) sees.
MODULES = ("virtio_pci", "9pnet_virtio", "9p", "virtio_gpu", "vgem", "evdev", "uinput")

TRACE_EVENTS = (
    "virtio_gpu_cmd_res_create_2d",
    "virtio_gpu_cmd_res_create_blob",
    "virtio_gpu_cmd_res_unref",
    "virtio_gpu_cmd_res_back_attach",
    "virtio_gpu_cmd_res_xfer_toh_2d",
    "virtio_gpu_cmd_res_flush",
    "virtio_gpu_cmd_set_scanout",
    "virtio_gpu_cmd_set_scanout_blob",
    "virtio_gpu_update_cursor",
)

GPU_ID = "gpu0"
DEFAULT_TIMEOUT = 300
POLL_SECONDS = 0.1
SCREENDUMP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

# QEMU's D-Bus display (heads=): each head of the virtio-gpu is a console,
# numbered as the heads are since the GPU is the guest's only display.
DBUS_DAEMON = "dbus-daemon"
GDBUS = "gdbus"
DBUS_NAME = "org.qemu"
CONSOLE_PATH = "/org/qemu/Display1/Console_{}"
SET_UI_INFO = "org.qemu.Display1.Console.SetUIInfo"
DBUS_TIMEOUT = 10
# The private bus QEMU and the harness meet on: no service files, no system
# configuration, anything goes between the two.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>{address}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
HEAD_REQUEST = re.compile(r"(\d+) (\d+) (\d+)")
# Written into the job folder as bin/pbvm-head when heads= is given.
PBVM_HEAD = r"""#!/bin/sh
# pbvm-head INDEX WIDTH HEIGHT: runs inside a pbvm guest started with heads=.
# Asks the host to connect virtio-gpu output INDEX at WIDTHxHEIGHT, or to
# disconnect it (0 0); the guest kernel gets a display-change event and sends
# a hotplug uevent. Returns once the connector's status in sysfs shows the
# change (a resize of a connected head: once the host has made it). The host
# watches /job/requests for NAME.head and answers with NAME.head.done.
set -eu

usage() {
    echo "usage: pbvm-head INDEX WIDTH HEIGHT  (0 0: disconnect)" >&2
    exit 2
}

[ $# -eq 3 ] || usage
for n in "$@"; do
    case $n in '' | *[!0-9]*) usage ;; esac
done

req=/job/requests/head-$$
rm -f "$req.head.done"
echo "$1 $2 $3" > "$req.tmp"
mv "$req.tmp" "$req.head"

end=$(($(date +%s) + ${PBVM_HEAD_TIMEOUT:-60}))
while [ ! -e "$req.head.done" ]; do
    if [ "$(date +%s)" -ge "$end" ]; then
        rm -f "$req.head"
        echo "pbvm-head: no answer from the host" >&2
        exit 1
    fi
    sleep 0.1
done

answer=$(cat "$req.head.done")
rm -f "$req.head.done"
if [ "$answer" != ok ]; then
    echo "pbvm-head: $answer" >&2
    exit 1
fi

want=connected
[ "$2" != 0 ] || want=disconnected
for status in /sys/class/drm/card[0-9]*-Virtual-$(($1 + 1))/status; do
    [ -e "$status" ] || continue
    while [ "$(cat "$status")" != $want ]; do
        if [ "$(date +%s)" -ge "$end" ]; then
            echo "pbvm-head: ${status%/status} is not $want" >&2
            exit 1
        fi
        sleep 0.02
    done
done
"""


class PbvmError(Exception):
    """The harness could not prepare or run the guest."""


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived during run().

    A KeyboardInterrupt so that what stops on Ctrl-C (unittest, for one)
    stops here too, instead of booting the next guest."""

    def __init__(self, signum):
        super().__init__(f"terminated by signal {signum}")
        self.signum = signum


# ---------------------------------------------------------------- kernel cache


def _check_output(args, **kwargs):
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True,
                              **kwargs).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        detail = getattr(e, "stderr", "") or ""
        raise PbvmError(f"{' '.join(map(str, args))} failed: {e}\n{detail}") from e


# Each guest kernel and the suite of Debian's archive that has it. Kernels come
# through an apt configuration of the cache's own (never the machine's sources),
# so every kernel is reachable from a Debian 12 or a Debian 13 machine.
KERNEL_SUITES = {"6.1": "bookworm", "6.12": "trixie", "7.3": "trixie-backports"}
# Guest kernels that boot one of the kernels above with the fixed virtio-gpu of
# modules/virtio-gpu-damage-fix in place of the stock module (name -> kernel).
# prepare() builds that module in the cache, from Debian's linux-source-X.Y at
# the kernel's version and the kernel's headers, with the folder's own
# prepare-source; it is rebuilt when one of those changes.
FIXED_KERNELS = {"6.12-fixed": "6.12", "7.3-fixed": "7.3"}
DAMAGE_FIX_DIR = HERE.parent.parent / "modules" / "virtio-gpu-damage-fix"
DAMAGE_FIX_FILES = ("prepare-source", "ignore-damage-clips.patch", "dkms.conf")
# Part of the fixed module's cache key: bump it when build_fixed_module changes
# what it builds.
DAMAGE_FIX_RECIPE = 1
DEFAULT_KERNEL = os.environ.get("PBVM_KERNEL", "6.12")
DEBIAN_MIRROR = os.environ.get("PRIMEBRIDGE_DEBIAN_MIRROR", "http://deb.debian.org/debian")
DEBIAN_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"


# What each guest kernel's virtio-gpu offers, as seen in these guests: the
# primary plane's FB_DAMAGE_CLIPS and the cursor plane's HOTSPOT_X/Y (to
# atomic clients), and whether it sends the host whole frames for every
# update whatever the damage (src/kernel_damage.h): tests expect those.
KERNEL_FEATURES = {
    "6.1": {"damage_clips": False, "hotspot": False, "whole_frames": False},
    "6.12": {"damage_clips": True, "hotspot": True, "whole_frames": True},
    "7.3": {"damage_clips": True, "hotspot": True, "whole_frames": True},
}


def kernel_feature(name, kernel=None):
    """A KERNEL_FEATURES entry of the guest kernel (default: the one guests boot)."""
    return KERNEL_FEATURES[kernel or DEFAULT_KERNEL][name]


def sends_whole_frames(kernel=None):
    return kernel_feature("whole_frames", kernel)


# A *-fixed kernel offers what its kernel offers, but sends only the damage.
for _fixed, _kernel in FIXED_KERNELS.items():
    KERNEL_FEATURES.setdefault(_fixed, {**KERNEL_FEATURES[_kernel], "whole_frames": False})


def kernel_names():
    """Every name a guest kernel can be given: 6.1, 6.12, 7.3, 6.12-fixed, ..."""
    return [*KERNEL_SUITES, *FIXED_KERNELS]


def base_kernel(kernel=None):
    """The Debian kernel a guest kernel name boots: 6.12-fixed -> 6.12, 6.12 -> 6.12."""
    kernel = kernel or DEFAULT_KERNEL
    return FIXED_KERNELS.get(kernel, kernel)


def has_fixed_module(kernel=None):
    """Whether the guest kernel runs the fixed virtio-gpu (a *-fixed kernel)."""
    return (kernel or DEFAULT_KERNEL) in FIXED_KERNELS


def _apt_options(cache):
    """apt-get/apt-cache options for the cache's own configuration, written
    and updated on first use."""
    d = cache / "apt"
    options = ["-o", f"Dir::Etc::SourceList={d / 'sources.list'}",
               "-o", f"Dir::Etc::SourceParts={d / 'sources.list.d'}",
               "-o", f"Dir::State::Lists={d / 'lists'}",
               "-o", f"Dir::State::status={d / 'status'}",
               "-o", f"Dir::Cache={d / 'cache'}",
               "-o", "APT::Architecture=amd64", "-o", "Debug::NoLocking=1"]
    sources = "".join(
        f"deb [signed-by={DEBIAN_KEYRING}] {DEBIAN_MIRROR} {suite} main\n"
        for suite in sorted(set(KERNEL_SUITES.values())))
    stamp = d / "updated"
    if not (stamp.exists() and stamp.read_text() == sources):
        for sub in ("sources.list.d", "lists/partial", "cache/archives/partial"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        (d / "status").touch()
        (d / "sources.list").write_text(sources)
        _check_output(["apt-get", *options, "update", "-qq"])
        stamp.write_text(sources)
    return options


def _depends(options, package):
    """Names in the Depends field of the candidate of `package`."""
    out = _check_output(["apt-cache", *options, "show", "--no-all-versions", package])
    m = re.search(r"^Depends: (.*)$", out, re.M)
    return [d.split()[0] for d in m.group(1).split(", ")] if m else []


def kernel_packages(cache, kernel):
    """The .deb names that make up the guest kernel `kernel` (6.1, 6.12, 7.3):
    the versioned image that the suite's linux-image-amd64 names, plus the
    packages a split kernel (7.x) keeps its vmlinuz, modules and module lists in."""
    kernel = FIXED_KERNELS.get(kernel, kernel)
    if kernel not in KERNEL_SUITES:
        raise PbvmError(f"unknown guest kernel {kernel!r}; choose one of "
                        f"{', '.join(kernel_names())}")
    options = _apt_options(cache)
    suite = KERNEL_SUITES[kernel]
    images = [d for d in _depends(options, f"{KERNEL_META_PACKAGE}/{suite}")
              if d.startswith("linux-image-")]
    if not images:
        raise PbvmError(f"apt-cache names no kernel for {KERNEL_META_PACKAGE} in {suite}")
    parts = [images[0]]
    parts += [d for d in _depends(options, f"{images[0]}/{suite}")
              if d.startswith(("linux-base-", "linux-binary-", "linux-modules-"))]
    return options, suite, parts


def _fetch_deb(cache, options, package, suite, version=None):
    """Path of the .deb of `package` in the cache (of that version, if given),
    downloaded from `suite` (or the version) if not there yet."""
    # apt names the file PACKAGE_VERSION_ARCH.deb, with an epoch's ':' as %3a.
    pattern = f"{package}_{version.replace(':', '%3a') if version else '*'}_*.deb"
    cached = sorted(cache.glob(pattern))
    if cached:
        return cached[-1]
    # Downloaded aside and moved in whole: an interrupted download must not
    # leave a truncated .deb that looks cached.
    with tempfile.TemporaryDirectory(dir=cache, prefix="download-") as tmp:
        _check_output(["apt-get", *options, "download",
                       f"{package}={version}" if version else f"{package}/{suite}"],
                      cwd=tmp)
        (deb,) = Path(tmp).glob(pattern)
        return deb.rename(cache / deb.name)


def fetch_kernel_debs(cache, kernel):
    """Paths of the kernel's .debs in the cache, downloaded if not there yet."""
    options, suite, packages = kernel_packages(cache, kernel)
    return [_fetch_deb(cache, options, package, suite) for package in packages]


def module_name(path):
    """Kernel module name of a .ko path (virtio-gpu.ko.xz -> virtio_gpu)."""
    base = Path(path).name.split(".ko")[0]
    return base.replace("-", "_")


def parse_modules_dep(text):
    """modules.dep -> {name: (relative path, [names it depends on])}."""
    modules = {}
    for line in text.splitlines():
        path, _, deps = line.partition(":")
        if path:
            modules[module_name(path)] = (path, [module_name(d) for d in deps.split()])
    return modules


def load_order(modules, wanted, builtin=()):
    """Names to insmod, dependencies first, for the modules in `wanted`."""
    order = []
    seen = set(builtin)

    def visit(name):
        if name in seen:
            return
        if name not in modules:
            raise PbvmError(f"kernel has no module {name}")
        seen.add(name)
        for dep in modules[name][1]:
            visit(dep)
        order.append(name)

    for name in wanted:
        visit(name.replace("-", "_"))
    return order


def read_module(path):
    """Module bytes, decompressed: busybox insmod wants plain ELF."""
    if path.name.endswith(".ko.xz"):
        return lzma.decompress(path.read_bytes())
    if path.name.endswith(".ko.gz"):
        return gzip.decompress(path.read_bytes())
    if path.name.endswith(".ko.zst"):
        return subprocess.run(["zstd", "-dc", path], check=True,
                              capture_output=True).stdout
    return path.read_bytes()


def cpio_newc(entries):
    """A newc cpio archive of (name, mode, data, rdev) entries.

    Written by hand: the kernel opens /dev/console for init before anything
    is mounted, and a hand-made archive can hold that node without mknod on
    the host (or cpio(1), which the machines lack)."""
    out = bytearray()

    def pad4():
        out.extend(b"\0" * (-len(out) % 4))

    for ino, (name, mode, data, rdev) in enumerate(
            [*entries, ("TRAILER!!!", 0, b"", (0, 0))], start=1):
        encoded = name.encode() + b"\0"
        fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(encoded), 0)
        out += b"070701" + "".join(f"{f:08X}" for f in fields).encode()
        out += encoded
        pad4()
        out += data
        pad4()
    return bytes(out)


def build_initramfs(modules_dir, modules, order, init_text, replace=None):
    """gzip'd initramfs: busybox, the init script and the modules in order.

    replace maps module names to .ko files packed in place of the kernel's."""
    replace = replace or {}
    files = [f"{module_name(modules[name][0])}.ko" for name in order]
    entries = [
        ("bin", 0o040755, b"", (0, 0)),
        ("dev", 0o040755, b"", (0, 0)),
        ("dev/console", 0o020600, b"", (5, 1)),
        ("proc", 0o040755, b"", (0, 0)),
        ("modules", 0o040755, b"", (0, 0)),
        ("bin/busybox", 0o100755, BUSYBOX.read_bytes(), (0, 0)),
        ("init", 0o100755, init_text.encode(), (0, 0)),
        ("modules/load-order", 0o100644, "".join(f + "\n" for f in files).encode(),
         (0, 0)),
    ]
    for name, filename in zip(order, files):
        data = read_module(replace.get(name) or modules_dir / modules[name][0])
        entries.append((f"modules/{filename}", 0o100644, data, (0, 0)))
    return gzip.compress(cpio_newc(entries), mtime=0)


def _builtin_modules(modules_dir):
    builtin = modules_dir / "modules.builtin"
    return {module_name(line) for line in builtin.read_text().split()}


def _write_atomically(path, data):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _build_kernel_dir(debs, out, init_text, replace=None):
    """Extract vmlinuz from the kernel's .debs and build the initramfs into `out`
    (with the modules of `replace`, name -> .ko, in place of the kernel's)."""
    with tempfile.TemporaryDirectory(dir=out.parent, prefix="extract-") as tmp:
        root = Path(tmp)
        for deb in debs:
            _check_output(["dpkg-deb", "-x", deb, root])
        # Debian 13's kernels keep their modules under usr/lib, where depmod -b
        # does not look.
        if (root / "usr" / "lib" / "modules").is_dir() and not (root / "lib").exists():
            (root / "lib").symlink_to("usr/lib")
        (modules_dir,) = (root / "lib" / "modules").iterdir()
        # The .deb ships no modules.dep: its postinst runs depmod.
        _check_output(["depmod", "-b", root, modules_dir.name])
        modules = parse_modules_dep((modules_dir / "modules.dep").read_text())
        order = load_order(modules, MODULES, _builtin_modules(modules_dir))
        missing = set(replace or {}) - set(order)
        if missing:
            raise PbvmError(f"cannot replace {', '.join(sorted(missing))}: not loaded "
                            "as a module by this kernel")
        initrd = build_initramfs(modules_dir, modules, order, init_text, replace)
        (vmlinuz,) = [*(root / "boot").glob("vmlinuz-*"), *modules_dir.glob("vmlinuz")]
        _write_atomically(out / "vmlinuz", vmlinuz.read_bytes())
        _write_atomically(out / "initrd.gz", initrd)
        (out / "modules.txt").write_text("\n".join(order) + "\n")


def _sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _deb_field(deb, name):
    return _check_output(["dpkg-deb", "-f", deb, name]).strip()


# Variables of the calling environment that would change a kernel module build.
KBUILD_ENV_DROP = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "KBUILD_OUTPUT",
                   "KBUILD_EXTMOD", "O", "M", "ARCH", "CROSS_COMPILE", "CC", "LD",
                   "CFLAGS", "LDFLAGS", "KCFLAGS", "KCPPFLAGS", "INSTALL_MOD_PATH")


def build_fixed_module(cache, kernel, debs):
    """Path of the fixed virtio-gpu.ko (modules/virtio-gpu-damage-fix) for the
    guest kernel `kernel` (6.12 or 7.3) whose .debs are `debs`, built in the
    cache if needed.

    Built out of tree from Debian's linux-source-X.Y of the kernel's own
    version, against the kernel's headers and kbuild (their .debs come through
    the cache's apt configuration and are unpacked in a temporary folder), by
    the folder's prepare-source; rebuilt when those packages or the folder's
    files change. The caller holds the cache lock."""
    options, suite, _ = kernel_packages(cache, kernel)
    image = _deb_field(debs[0], "Package")
    version = _deb_field(debs[0], "Version")
    release = image.removeprefix("linux-image-")
    m = re.match(r"\d+\.\d+", release)
    if not m:
        raise PbvmError(f"cannot tell the series of kernel {release}")
    headers = f"linux-headers-{release}"
    packages = [headers, *[d for d in _depends(options, f"{headers}/{suite}")
                           if d.startswith(("linux-headers-", "linux-kbuild-"))]]
    source = f"linux-source-{m[0]}"
    build_debs = [_fetch_deb(cache, options, p, suite, version)
                  for p in [*packages, source]]
    key = hashlib.sha256(json.dumps([
        DAMAGE_FIX_RECIPE, [deb.name for deb in build_debs],
        {name: _sha256(DAMAGE_FIX_DIR / name) for name in DAMAGE_FIX_FILES},
    ]).encode()).hexdigest()
    out = cache / f"virtio-gpu-damage-fix_{release}"
    ko, stamp, log = out / "virtio-gpu.ko", out / "key", out / "build.log"
    if stamp.exists() and stamp.read_text() == key and ko.exists():
        return ko
    out.mkdir(exist_ok=True)
    stamp.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix="build-") as tmp:
        root, src = Path(tmp) / "root", Path(tmp) / "virtio"
        for deb in build_debs:
            _check_output(["dpkg-deb", "-x", deb, root])
        kdir = root / "usr" / "src" / headers
        # The headers' Makefile names the headers at the path they are
        # installed at (include /usr/src/...-common/Makefile; 7.x also sets
        # KBUILD_OUTPUT=/usr/src/...): point it at the unpacked ones.
        makefile = kdir / "Makefile"
        makefile.write_text(makefile.read_text().replace(
            "/usr/src/linux-headers-", f"{root}/usr/src/linux-headers-"))
        tarball = root / "usr" / "src" / f"{source}.tar.xz"
        env = {k: v for k, v in os.environ.items() if k not in KBUILD_ENV_DROP}
        with open(log, "w") as log_file:
            for args in ([DAMAGE_FIX_DIR / "prepare-source", "-s", tarball, kdir, src],
                         ["make", f"-j{os.cpu_count() or 1}", "-C", kdir, f"M={src}",
                          "modules"]):
                log_file.write(f"$ {shlex.join(map(str, args))}\n")
                log_file.flush()
                status = subprocess.run(args, stdout=log_file, stderr=subprocess.STDOUT,
                                        env=env).returncode
                if status:
                    raise PbvmError(
                        f"building the fixed virtio-gpu for {release} failed (status "
                        f"{status}; 77: this kernel needs no fix); see {log}:\n"
                        f"{_tail_lines(log.read_text(errors='replace'), 15)}")
        # As dkms does (and Debian for its own modules): no debug info.
        _check_output(["strip", "--strip-debug", src / "virtio-gpu.ko"])
        _write_atomically(ko, (src / "virtio-gpu.ko").read_bytes())
    stamp.write_text(key)
    return ko


def prepare(cache, kernel=None):
    """(vmlinuz, initrd) for the guest kernel (6.1, 6.12 or 7.3, or 6.12-fixed or
    7.3-fixed: that kernel with the fixed virtio-gpu; default DEFAULT_KERNEL),
    built if needed.

    Rebuilt only when the kernel packages, the module list, the init script,
    busybox or the fixed module change. Locked because meson runs tests in
    parallel."""
    cache = Path(cache).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    kernel = kernel or DEFAULT_KERNEL
    with open(cache / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        debs = fetch_kernel_debs(cache, kernel)
        init_text = INIT_SCRIPT.read_text()
        replace = {}
        if kernel in FIXED_KERNELS:
            replace["virtio_gpu"] = build_fixed_module(cache, FIXED_KERNELS[kernel], debs)
        key_parts = [
            [deb.name for deb in debs], MODULES, init_text,
            hashlib.sha256(BUSYBOX.read_bytes()).hexdigest(),
        ]
        if replace:
            key_parts.append({name: _sha256(ko) for name, ko in replace.items()})
        key = hashlib.sha256(json.dumps(key_parts).encode()).hexdigest()
        out = cache / debs[0].name.removesuffix(".deb")
        if replace:
            out = out.with_name(out.name + "+virtio-gpu-damage-fix")
        stamp = out / "key"
        if not (stamp.exists() and stamp.read_text() == key):
            out.mkdir(exist_ok=True)
            _build_kernel_dir(debs, out, init_text, replace)
            stamp.write_text(key)
        return out / "vmlinuz", out / "initrd.gz"


# ---------------------------------------------------------------- trace events


@dataclass
class TraceEvent:
    """One QEMU trace line, e.g. name='virtio_gpu_cmd_res_flush',
    fields={'res_id': 1, 'w': 1280, 'h': 800, 'x': 0, 'y': 0}."""
    name: str
    fields: dict
    time: float | None = None  # host seconds since the epoch

    def __getitem__(self, key):
        return self.fields[key]


# "-msg timestamp=on" puts "pid@seconds:" before each event.
TRACE_LINE = re.compile(
    r"(?:\d+@(?P<time>\d+\.\d+):)?(?P<name>[a-z][a-z0-9_]*)(?: (?P<args>.*))?")
# QEMU's trace formats say "res" and "id"; spell out what they identify.
FIELD_NAMES = {"res": "res_id", "id": "scanout_id"}


def _trace_value(text):
    try:
        return int(text, 0)
    except ValueError:
        return text


def parse_trace(text):
    """TraceEvents of a QEMU log-backend trace ("name key value, key value")."""
    events = []
    for line in text.splitlines():
        m = TRACE_LINE.fullmatch(line.strip())
        if not m:
            continue
        fields = {}
        for pair in filter(None, (m["args"] or "").split(", ")):
            key, _, value = pair.partition(" ")
            fields[FIELD_NAMES.get(key, key)] = _trace_value(value)
        events.append(TraceEvent(m["name"], fields,
                                 float(m["time"]) if m["time"] else None))
    return events


# ---------------------------------------------------------------- pictures


@dataclass
class Image:
    width: int
    height: int
    data: bytes  # RGB, 3 bytes per pixel, rows top to bottom

    def pixel(self, x, y):
        """(r, g, b) at column x, row y."""
        i = 3 * (y * self.width + x)
        return tuple(self.data[i:i + 3])


PPM_TOKEN = re.compile(rb"\s*(?:#[^\n]*\n\s*)*(\S+)")


def _ppm_header(raw, path):
    """(width, height, offset of the pixel data) of an 8-bit P6 PPM."""
    tokens = []
    pos = 0
    while len(tokens) < 4:
        m = PPM_TOKEN.match(raw, pos)
        if not m:
            raise PbvmError(f"{path}: truncated PPM header")
        tokens.append(m.group(1))
        pos = m.end()
    magic, width, height, maxval = tokens[0], *map(int, tokens[1:])
    if magic != b"P6" or maxval > 255:
        raise PbvmError(f"{path}: not an 8-bit P6 PPM")
    return width, height, pos + 1  # one whitespace byte ends the header


def read_ppm(path):
    """Read a binary PPM (P6, maxval < 256), as QEMU's screendump writes."""
    raw = Path(path).read_bytes()
    width, height, offset = _ppm_header(raw, path)
    data = raw[offset:offset + 3 * width * height]
    if len(data) != 3 * width * height:
        raise PbvmError(f"{path}: truncated PPM data")
    return Image(width, height, data)


def _strip_row_padding(path):
    """Repair a QEMU 7.2 screendump in place.

    Its ppm_save writes each row with pixman's stride (a multiple of 4 bytes)
    instead of width * 3, so any width whose width * 3 is not a multiple of 4
    (1366, say) gives a PPM with extra bytes per row: a skewed picture."""
    raw = path.read_bytes()
    width, height, offset = _ppm_header(raw, path)
    row = 3 * width
    stride = (row + 3) & ~3
    if stride == row or len(raw) - offset != stride * height:
        return
    rows = (raw[offset + y * stride:offset + y * stride + row] for y in range(height))
    _write_atomically(path, raw[:offset] + b"".join(rows))


# ---------------------------------------------------------------- QEMU


class Qmp:
    """Minimal QMP client: one command at a time, events are skipped."""

    def __init__(self, path, timeout=30):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.file = self.sock.makefile("rw")
        self._reply()  # greeting
        self.command("qmp_capabilities")

    def _reply(self):
        while True:
            line = self.file.readline()
            if not line:
                raise PbvmError("QMP connection closed")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def command(self, name, **arguments):
        self.file.write(json.dumps({"execute": name, "arguments": arguments}) + "\n")
        self.file.flush()
        reply = self._reply()
        if "error" in reply:
            raise PbvmError(f"QMP {name}: {reply['error'].get('desc')}")
        return reply["return"]

    def close(self):
        self.file.close()
        self.sock.close()


def _qemu_opt(value):
    """Quote a value for QEMU's comma-separated option syntax."""
    return str(value).replace(",", ",,")


# A second virtio-gpu, as a render device that the guest can hot-remove
# (echo 1 > /sys/bus/pci/devices/RENDER_GPU_PCI/remove): vgem cannot be.
RENDER_GPU_PCI = "0000:00:10.0"


def qemu_command(kernel, initrd, job, qmp, xres=None, yres=None, max_outputs=1,
                 trace_events=TRACE_EVENTS, dbus_address=None, render_gpu=False, cpu=None):
    """QEMU's argv. With dbus_address, a D-Bus display on that bus and the
    guest paused (-S) until the harness has set the heads and says cont.
    render_gpu adds the removable second virtio-gpu at RENDER_GPU_PCI. cpu is
    QEMU's -cpu (default: QEMU's own, qemu64)."""
    gpu = f"virtio-gpu-pci,id={GPU_ID}"
    if xres is not None:
        gpu += f",xres={xres},yres={yres}"
    if max_outputs != 1:
        gpu += f",max_outputs={max_outputs}"
    trace = [a for e in trace_events for a in ("-trace", f"enable={e}")]
    display = ["-display", "none"]
    if dbus_address is not None:
        display = ["-display", f"dbus,addr={_qemu_opt(dbus_address)}", "-S"]
    return [
        QEMU, "-accel", "tcg", *(["-cpu", cpu] if cpu else []), "-m", "2048", "-smp", "2",
        "-nodefaults", "-vga", "none", *display,
        "-serial", f"file:{job / 'serial.log'}",
        "-qmp", f"unix:{_qemu_opt(qmp)},server=on,wait=off",
        "-kernel", str(kernel), "-initrd", str(initrd),
        # panic=-1: a dead init reboots at once, and -no-reboot turns that
        # into QEMU exiting instead of hanging until the timeout.
        "-append", "console=ttyS0 quiet panic=-1",
        "-device", gpu,
        *(["-device", "virtio-gpu-pci,id=render-gpu,addr=0x10"] if render_gpu else []),
        "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,"
                   "readonly=on,multidevs=remap",
        "-virtfs", f"local,path={_qemu_opt(job)},mount_tag=job,"
                   "security_model=none,multidevs=remap",
        # Debian's QEMU has the "log" trace backend: events go to the -D file.
        "-msg", "timestamp=on", "-D", str(job / "trace.log"), *trace,
        "-no-reboot",
    ]


_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1
_running = set()


def _kill(proc):
    """Kill QEMU's whole process group and reap it."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()
    _running.discard(proc)


@atexit.register
def _kill_all():
    for proc in list(_running):
        _kill(proc)


def _spawn(args, log):
    parent = os.getpid()

    def die_with_parent():
        # Even a SIGKILLed harness, which runs no cleanup, takes QEMU along.
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    # Its own session: a terminal's Ctrl-C or a kill of our group reaches the
    # harness only, which then stops QEMU itself (and reaps it).
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=die_with_parent)
    _running.add(proc)
    return proc


class _SigtermRaises:
    """Within the block, SIGTERM (meson test's timeout) raises Terminated."""

    def __enter__(self):
        self.old = None
        try:
            self.old = signal.signal(signal.SIGTERM, self._raise)
        except ValueError:
            pass  # not the main thread: the caller handles signals
        return self

    @staticmethod
    def _raise(signum, frame):
        raise Terminated(signum)

    def __exit__(self, *exc):
        if self.old is not None:
            signal.signal(signal.SIGTERM, self.old)


# ---------------------------------------------------------------- heads


def _dbus_escape(text):
    """Escape a value for a D-Bus address (unix:path=VALUE)."""
    return "".join(c if re.fullmatch(r"[-0-9A-Za-z_/.*]", c) else
                   "".join(f"%{b:02x}" for b in c.encode()) for c in str(text))


def set_head(bus_address, index, width, height):
    """Connect virtio-gpu head `index` at width x height, or disconnect it
    (0, 0), through the D-Bus display of the QEMU on bus_address.

    QEMU enables or disables the head, remembers the size for the next
    GET_DISPLAY_INFO and EDID, and tells the guest the display changed (its
    virtio_gpu driver then sends a hotplug uevent). Asking for what the head
    already has changes nothing and tells the guest nothing."""
    _check_output([GDBUS, "call", "--address", bus_address, "--dest", DBUS_NAME,
                   "--object-path", CONSOLE_PATH.format(index),
                   "--method", SET_UI_INFO, "--timeout", str(DBUS_TIMEOUT),
                   # width_mm, height_mm (0: QEMU's EDID assumes 100 dpi),
                   # x and y offsets, width, height.
                   "--", "0", "0", "0", "0", str(width), str(height)])


class _Bus:
    """A private dbus-daemon for QEMU's D-Bus display, listening in `folder`."""

    def __init__(self, folder, log_path):
        socket_path = Path(folder) / "bus"
        self.address = f"unix:path={_dbus_escape(socket_path)}"
        config = Path(folder) / "bus.conf"
        config.write_text(BUS_CONFIG.format(address=xml_escape(self.address)))
        self.log = open(log_path, "wb")
        try:
            self.proc = _spawn([DBUS_DAEMON, "--nofork", f"--config-file={config}"],
                               self.log)
        except OSError as e:
            self.log.close()
            raise PbvmError(f"cannot start {DBUS_DAEMON}: {e}") from e
        deadline = time.monotonic() + DBUS_TIMEOUT
        while not socket_path.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise PbvmError(f"{DBUS_DAEMON} did not start:\n"
                                f"{_read_text(Path(log_path))}")
            time.sleep(0.01)

    def close(self):
        _kill(self.proc)
        self.log.close()


def _check_heads(heads, xres, max_outputs):
    """heads as a list of (width, height) or None; raises PbvmError."""
    heads = [None if size is None else tuple(size) for size in heads]
    if not heads:
        raise PbvmError("heads: give at least one head")
    if xres is not None:
        raise PbvmError("give xres and yres or heads, not both")
    if max_outputs not in (1, len(heads)):
        raise PbvmError(f"heads names {len(heads)} heads but max_outputs is "
                        f"{max_outputs}")
    for size in heads:
        if size is not None and not (
                len(size) == 2 and all(isinstance(n, int) and n > 0 for n in size)):
            raise PbvmError(f"heads: bad size {size!r} (want (width, height) or None)")
    return heads


def _start_heads(proc, job, qmp_path, bus, heads):
    """Give the paused guest its heads, then let it run."""
    try:
        _check_output([GDBUS, "wait", "--address", bus.address,
                       "--timeout", str(DBUS_TIMEOUT), DBUS_NAME])
    except PbvmError as e:
        if proc.poll() is not None:
            raise PbvmError(f"QEMU exited (status {proc.returncode}) before its "
                            f"D-Bus display appeared:\n"
                            f"{_tail_lines(_read_text(job / 'qemu.log'))}") from e
        raise
    for index, size in enumerate(heads):
        if size is not None:
            set_head(bus.address, index, *size)
        elif index == 0:
            # Head 0 is on from the start, but QEMU ignores a request equal
            # to the last one, which starts as all zeros: go through 1x1.
            set_head(bus.address, 0, 1, 1)
            set_head(bus.address, 0, 0, 0)
    qmp = Qmp(qmp_path)
    try:
        qmp.command("cont")
    finally:
        qmp.close()


@dataclass
class HeadChange:
    index: int
    width: int   # 0 (and height 0): disconnected
    height: int
    time: float  # host seconds since the epoch when QEMU was asked


class _HeadSwitcher:
    """Answers the guest's pbvm-head requests."""

    def __init__(self, job, bus, max_outputs, changes):
        self.job = job
        self.bus = bus
        self.max_outputs = max_outputs
        self.changes = changes

    def serve(self):
        for req in sorted((self.job / "requests").glob("*.head")):
            self._answer(req)

    def _answer(self, req):
        """Sets the head NAME.head asks for; NAME.head.done says how it went."""
        text = req.read_text().strip()
        req.unlink()
        try:
            m = HEAD_REQUEST.fullmatch(text)
            if not m:
                raise PbvmError(f"bad request {text!r}")
            index, width, height = map(int, m.groups())
            if index >= self.max_outputs:
                raise PbvmError(f"no head {index}: the GPU has {self.max_outputs}")
            if (width == 0) != (height == 0):
                raise PbvmError(f"bad size {width}x{height}")
            asked = time.time()
            set_head(self.bus.address, index, width, height)
            self.changes.append(HeadChange(index, width, height, asked))
            answer = "ok"
        except PbvmError as e:
            answer = f"error: {e}"
        _write_atomically(req.with_name(req.name + ".done"), answer.encode())


# ---------------------------------------------------------------- jobs


@dataclass
class Screendump:
    png: Path
    ppm: Path
    time: float  # host seconds since the epoch when it was taken, as trace times


@dataclass
class Result:
    job: Path                       # the job folder, kept after the run
    status: int | None = None       # the command's exit status; None: no end
    output: str = ""                # the command's stdout and stderr
    serial: str = ""                # the guest console
    dmesg: str = ""
    trace: list = field(default_factory=list)        # TraceEvents
    screendumps: dict = field(default_factory=dict)  # name -> Screendump
    head_changes: list = field(default_factory=list)  # HeadChanges (pbvm-head)
    error: str | None = None        # why status is None
    timed_out: bool = False
    boot_seconds: float | None = None  # QEMU start to the command's start
    seconds: float = 0.0               # QEMU start to QEMU exit
    qemu_aborts: list = field(default_factory=list)  # QEMU's own assertions, retried


def _make_job_dir(cache, job):
    if job is None:
        jobs = cache / "jobs"
        jobs.mkdir(parents=True, exist_ok=True)
        job = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"),
                                    dir=jobs))
        # Guest programs dropped to another user (cage must not run as
        # root) still need to read the job folder.
        job.chmod(0o755)
        return job
    job = Path(job).resolve()
    job.mkdir(parents=True, exist_ok=True)
    if any(job.iterdir()):
        raise PbvmError(f"job folder {job} is not empty")
    return job


def _write_cmd_script(job, cmd, env, cwd, path=(HERE,)):
    lines = ["# Written by pbvm.py; run by the guest's init as sh /job/cmd.sh.",
             f"export PATH={shlex.quote(':'.join(map(str, path)))}:\"$PATH\""]
    for name, value in env.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise PbvmError(f"bad environment variable name {name!r}")
        lines.append(f"export {name}={shlex.quote(str(value))}")
    lines.append(f"cd {shlex.quote(str(cwd))} || exit 125")
    lines.append("exec " + shlex.join(map(str, cmd)))
    (job / "cmd.sh").write_text("\n".join(lines) + "\n")


class _Tail:
    """Hands out what has been appended to a file since the last call."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def read(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return None
        self.offset += len(data)
        return self.decoder.decode(data)


def _take_screendump(qmp, job, name, head):
    ppm, png = job / f"{name}.ppm", job / f"{name}.png"
    taken = time.time()
    qmp.command("screendump", filename=str(ppm), device=GPU_ID, head=head)
    _strip_row_padding(ppm)
    with open(png, "wb") as out:
        subprocess.run(["pnmtopng", ppm], stdout=out, stderr=subprocess.PIPE,
                       check=True)
    return Screendump(png, ppm, taken)


class _Screendumper:
    """Answers the guest's screendump requests (see pbvm-screendump)."""

    def __init__(self, job, qmp_path, screendumps):
        self.job = job
        self.qmp_path = qmp_path
        self.qmp = None  # connected on the first request
        self.screendumps = screendumps

    def serve(self):
        for req in sorted((self.job / "requests").glob("*.req")):
            self._answer(req)

    def _answer(self, req):
        """Screendump for requests/NAME.req; NAME.done says how it went."""
        name = req.name.removesuffix(".req")
        head = req.read_text().strip()
        req.unlink()
        try:
            if not SCREENDUMP_NAME.fullmatch(name) or not head.isdigit():
                raise PbvmError(f"bad request {name!r} head {head!r}")
            if self.qmp is None:
                self.qmp = Qmp(self.qmp_path)
            self.screendumps[name] = _take_screendump(self.qmp, self.job, name,
                                                      int(head))
            answer = "ok"
        except (PbvmError, OSError, subprocess.CalledProcessError) as e:
            answer = f"error: {e}"
        _write_atomically(req.with_suffix(".done"), answer.encode())

    def close(self):
        if self.qmp is not None:
            self.qmp.close()


def _supervise(proc, job, qmp_path, timeout, on_output, result, started,
               head_switcher=None):
    """Serve the guest until QEMU exits; False if the deadline passed first."""
    screendumper = _Screendumper(job, qmp_path, result.screendumps)
    output = _Tail(job / "output.log")
    try:
        while proc.poll() is None:
            if time.monotonic() > started + timeout:
                return False
            screendumper.serve()
            if head_switcher:
                head_switcher.serve()
            text = output.read()
            # init creates output.log just before it starts the command.
            if text is not None and result.boot_seconds is None:
                result.boot_seconds = time.monotonic() - started
            if text and on_output:
                on_output(text)
            time.sleep(POLL_SECONDS)
        text = output.read()
        if text and on_output:
            on_output(text)
        return True
    finally:
        screendumper.close()


def _read_text(path):
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return ""


def _tail_lines(text, n=30):
    return "\n".join(text.splitlines()[-n:])


def _collect(job, proc, finished, timeout, result):
    result.output = _read_text(job / "output.log")
    result.serial = _read_text(job / "serial.log")
    result.dmesg = _read_text(job / "dmesg.log")
    result.trace = parse_trace(_read_text(job / "trace.log"))
    status = _read_text(job / "status").strip()
    if status.isdigit():
        result.status = int(status)
    if not finished:
        result.timed_out = True
        result.error = f"guest timed out after {timeout} s"
    elif result.status is None:
        result.error = (
            f"guest ended without finishing the command (QEMU exit status "
            f"{proc.returncode}); last console lines:\n"
            f"{_tail_lines(result.serial)}\n{_tail_lines(_read_text(job / 'qemu.log'))}")


def run(cmd, cache, job=None, *, xres=None, yres=None, max_outputs=1,
        heads=None, timeout=DEFAULT_TIMEOUT, env=None, cwd=None,
        trace_events=TRACE_EVENTS, on_output=None, kernel=None, render_gpu=False,
        cpu=None):
    """Run `cmd` (argv list, or a string for sh -c) in a fresh guest.

    cwd defaults to the current folder (same path in the guest); env adds
    variables; on_output(text) receives the command's output as it appears.
    heads, a list of (width, height) or None (disconnected), one per
    virtio-gpu output, sets max_outputs and each head's size from boot (in
    place of xres and yres) and lets the command run pbvm-head; it costs a
    private dbus-daemon next to QEMU. kernel picks the guest kernel (6.1,
    6.12 or 7.3, or 6.12-fixed or 7.3-fixed: that kernel with the fixed
    virtio-gpu of modules/virtio-gpu-damage-fix in place of the stock one;
    default $PBVM_KERNEL, else 6.12). render_gpu adds a second virtio-gpu
    that the command may hot-remove (see RENDER_GPU_PCI). cpu is QEMU's -cpu
    model and features (libFuzzer's runtime needs "qemu64,+popcnt").
    Returns a Result; raises PbvmError if the guest could not be started.
    SIGTERM and KeyboardInterrupt propagate, after QEMU has been killed."""
    if (xres is None) != (yres is None):
        raise PbvmError("give both xres and yres, or neither")
    if heads is not None:
        heads = _check_heads(heads, xres, max_outputs)
        max_outputs = len(heads)
    if isinstance(cmd, str):
        cmd = ["sh", "-c", cmd]
    cache = Path(cache).resolve()
    vmlinuz, initrd = prepare(cache, kernel)
    result = _run_in_guest(cmd, cache, _make_job_dir(cache, job), vmlinuz, initrd,
                           xres, yres, max_outputs, heads, timeout, env, cwd,
                           trace_events, on_output, render_gpu, cpu)
    crash = _qemu_abort(result)
    if crash is None:
        return result
    # QEMU's multi-threaded TCG sometimes trips its own assertions (seen:
    # iotlb_to_section in system/physmem.c) at random points of a run. That
    # is QEMU's fault, not the command's, and says nothing about it: say so
    # and run the command once more in a fresh guest. A second abort is
    # returned as it is.
    retry_job = _make_job_dir(cache, None if job is None else f"{result.job}-retry")
    print(f"pbvm: QEMU itself aborted ({crash}); the guest's output is kept in "
          f"{result.job}; running the command once more in {retry_job}",
          file=sys.stderr, flush=True)
    retried = _run_in_guest(cmd, cache, retry_job, vmlinuz, initrd, xres, yres,
                            max_outputs, heads, timeout, env, cwd, trace_events,
                            on_output, render_gpu, cpu)
    retried.qemu_aborts = [crash] + retried.qemu_aborts
    return retried


# QEMU's own assertion message, as its log has it: "qemu-system-x86_64:
# FILE:LINE: FUNCTION: Assertion `...' failed."
_QEMU_ASSERTION = re.compile(r"qemu-system-\S+: (\S+:\d+: \S+: Assertion .* failed)")


def _qemu_abort(result):
    """The assertion QEMU aborted on, or None when QEMU did not abort."""
    if result.status is not None or result.timed_out:
        return None
    found = _QEMU_ASSERTION.search(_read_text(result.job / "qemu.log"))
    return found.group(1) if found else None


def _run_in_guest(cmd, cache, job, vmlinuz, initrd, xres, yres, max_outputs, heads,
                  timeout, env, cwd, trace_events, on_output, render_gpu, cpu):
    (job / "requests").mkdir()
    path = [HERE]
    if heads is not None:
        (job / "bin").mkdir()
        (job / "bin" / "pbvm-head").write_text(PBVM_HEAD)
        (job / "bin" / "pbvm-head").chmod(0o755)
        path.append("/job/bin")
    _write_cmd_script(job, cmd, env or {}, Path(cwd or os.getcwd()).resolve(), path)
    result = Result(job=job)

    with tempfile.TemporaryDirectory(prefix="pbvm-") as sockdir, \
            open(job / "qemu.log", "wb") as log, _SigtermRaises():
        # QMP lives outside the job folder: unix socket paths must be short.
        qmp_path = Path(sockdir) / "qmp"
        started = time.monotonic()
        bus = head_switcher = None
        if heads is not None:
            bus = _Bus(sockdir, job / "dbus.log")
            head_switcher = _HeadSwitcher(job, bus, max_outputs, result.head_changes)
        try:
            args = qemu_command(vmlinuz, initrd, job, qmp_path, xres, yres,
                                max_outputs, trace_events,
                                bus.address if bus else None, render_gpu, cpu)
            proc = _spawn(args, log)
            try:
                if heads is not None:
                    _start_heads(proc, job, qmp_path, bus, heads)
                finished = _supervise(proc, job, qmp_path, timeout, on_output,
                                      result, started, head_switcher)
            finally:
                _kill(proc)
        finally:
            if bus:
                bus.close()
        result.seconds = time.monotonic() - started
    _collect(job, proc, finished, timeout, result)
    return result


# ---------------------------------------------------------------- CLI


SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def run_checked(cmd, cache, **kwargs):
    """run(), raising PbvmError when the guest did not finish or when a
    sanitizer reported in its output: in a sanitizer build a leak or memory
    error is a failure even where an exit status hides it (a child that
    exits with _exit, a client whose status nobody reads)."""
    result = run(cmd, cache, **kwargs)
    if result.status is None:
        raise PbvmError(f"guest did not finish: {result.error}\n{result.serial[-3000:]}")
    if any(marker in result.output for marker in SANITIZER_MARKERS):
        raise PbvmError(f"sanitizer report in the guest:\n{result.output}")
    return result


def _env_pair(text):
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def _head_size(text):
    if text == "off":
        return None
    m = re.fullmatch(r"([1-9]\d*)x([1-9]\d*)", text)
    if not m:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT or off, got {text!r}")
    return int(m[1]), int(m[2])


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Run CMD in a QEMU guest with virtio-gpu and vgem; exit "
                    "with its status.",
        usage="%(prog)s --cache DIR [options] -- CMD [ARGS...]")
    parser.add_argument("--cache", required=True, type=Path,
                        help="folder for the kernel, initramfs and jobs")
    parser.add_argument("--job", type=Path,
                        help="job folder (new or empty); default: under CACHE/jobs")
    parser.add_argument("--kernel", choices=sorted(kernel_names()),
                        help=f"guest kernel (default {DEFAULT_KERNEL}); *-fixed: "
                        "with the fixed virtio-gpu of modules/virtio-gpu-damage-fix")
    parser.add_argument("--cpu", help="QEMU's -cpu (default: QEMU's qemu64)")
    parser.add_argument("--xres", type=int)
    parser.add_argument("--yres", type=int)
    parser.add_argument("--max-outputs", type=int, default=1)
    parser.add_argument("--head", type=_head_size, action="append", dest="heads",
                        metavar="WxH|off", help="one per virtio-gpu output, "
                        "connected at that size or not from boot; lets CMD run "
                        "pbvm-head (repeatable)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="seconds for the whole guest run (default %(default)s)")
    parser.add_argument("--env", type=_env_pair, action="append", default=[],
                        metavar="NAME=VALUE", help="export in the guest (repeatable)")
    parser.add_argument("--cwd", type=Path, help="folder to run CMD in "
                        "(default: the current one; host /tmp is not visible)")
    parser.add_argument("cmd", nargs="+", metavar="CMD")
    args = parser.parse_args(argv)

    def show(text):
        sys.stdout.write(text)
        sys.stdout.flush()

    try:
        result = run(args.cmd, args.cache, args.job, xres=args.xres,
                     yres=args.yres, max_outputs=args.max_outputs,
                     heads=args.heads, timeout=args.timeout,
                     env=dict(args.env), cwd=args.cwd, on_output=show,
                     kernel=args.kernel, cpu=args.cpu)
    except PbvmError as e:
        print(f"pbvm: {e}", file=sys.stderr)
        return 125
    except Terminated as e:
        print(f"pbvm: {e}; QEMU killed", file=sys.stderr)
        return 128 + e.signum
    except KeyboardInterrupt:
        print("pbvm: interrupted; QEMU killed", file=sys.stderr)
        return 128 + signal.SIGINT

    for name, shot in result.screendumps.items():
        print(f"pbvm: screendump {name}: {shot.png}", file=sys.stderr)
    boot = f"{result.boot_seconds:.1f} s" if result.boot_seconds else "-"
    print(f"pbvm: job folder {result.job} (boot {boot}, total "
          f"{result.seconds:.1f} s)", file=sys.stderr)
    if result.status is None:
        print(f"pbvm: {result.error}", file=sys.stderr)
        return 124 if result.timed_out else 125
    return result.status


if __name__ == "__main__":
    sys.exit(main())
