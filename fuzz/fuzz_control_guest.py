#!/usr/bin/env python3
"""Runs fuzz-control in the QEMU test guest (tests/vm/pbvm.py) for SECONDS,
from the committed corpus, against the guest's virtio-gpu: the target lights
its outputs there, so requests naming one (Virtual-1) act on a real bridge
output. Fails on a crash, a sanitizer report, or when no set_host_update
request reached an output (the corpus no longer leads there).

The guest sees the host's root read-only: what libFuzzer writes (new inputs
in corpus/, a crash as crash-*) goes to the job folder, named at the end.
Usage: fuzz_control_guest.py TARGET CORPUS DICT SECONDS VM_CACHE_DIR"""
import re
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "vm"))
import pbvm  # noqa: E402

# libFuzzer's runtime uses popcnt, which QEMU's default CPU model lacks.
CPU = "qemu64,+popcnt"
DISPLAY = "/dev/dri/card0"
# Boot, start-up on the virtio-gpu and libFuzzer's final merge, beyond the fuzzing.
SLACK_SECONDS = 120
REACHED = re.compile(r"^fuzz-control: (\d+) set_host_update and (\d+) set_copy_path "
                     r"requests reached an output$", re.M)


def main(argv):
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    target, corpus, dictionary, seconds, cache = argv[1:]
    fuzz = [target, f"-max_total_time={seconds}", f"-dict={dictionary}",
            "-artifact_prefix=/job/crash-", "-print_final_stats=1", "/job/corpus", corpus]
    command = f"mkdir /job/corpus && exec {shlex.join(fuzz)}"
    try:
        result = pbvm.run(
            command, cache, cpu=CPU, env={"PRIMEBRIDGE_FUZZ_DISPLAY": DISPLAY},
            timeout=int(seconds) + SLACK_SECONDS,
            on_output=lambda text: print(text, end="", flush=True))
    except pbvm.PbvmError as e:
        print(f"fuzz_control_guest: {e}", file=sys.stderr)
        return 1
    print(f"fuzz_control_guest: job folder {result.job} ({result.seconds:.1f} s)")
    if result.status is None:
        print(f"fuzz_control_guest: {result.error}", file=sys.stderr)
        return 1
    # A sanitizer report fails the run even where the exit status would not tell.
    if result.status != 0 or any(m in result.output for m in pbvm.SANITIZER_MARKERS):
        print(f"fuzz_control_guest: fuzz-control failed (exit status {result.status}); "
              f"the input is kept as crash-* in the job folder", file=sys.stderr)
        return 1
    reached = REACHED.search(result.output)
    if not reached or int(reached.group(1)) == 0:
        print("fuzz_control_guest: no set_host_update request reached an output",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
