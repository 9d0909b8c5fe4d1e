#!/usr/bin/python3
"""Two run_bench results side by side: what a guest kernel change did to the
host traffic of every compositor (primebridge and the peers alike).

For each compositor and workload that sends something: flushes, whole
frames among them, Mpx sent, and sent/damaged on each kernel. Markdown on
stdout.

Usage: kernel_compare.py STOCK_RESULTS.json FIXED_RESULTS.json
"""
import json
import sys


def sent_per_damaged(run):
    if not run.get("px_damaged"):
        return None
    return run["px_sent"] / run["px_damaged"]


def cell(run):
    if run is None or run.get("frames") is None:
        return "not measured"
    ratio = sent_per_damaged(run)
    ratio_text = f"{ratio:.2f}" if ratio is not None else "-"
    return (f"{run['frames']} ({run['full_frames']} whole), "
            f"{run['px_sent'] / 1e6:.3g} Mpx, {ratio_text}")


def index(results):
    return {(r["compositor"], r["workload"]): r for r in results["runs"]}


def compare(stock, fixed):
    stock_kernel = stock["guest"].get("kernel", "?")
    fixed_kernel = fixed["guest"].get("kernel", "?")
    stock_runs, fixed_runs = index(stock), index(fixed)
    lines = [
        f"Host traffic per compositor and workload, kernel {stock_kernel} against "
        f"{fixed_kernel} ({stock['guest']['seconds']:g} s each): flushes (whole frames "
        "among them), Mpx sent, sent/damaged.",
        "",
        f"| compositor | workload | {stock_kernel} | {fixed_kernel} | Mpx sent, fixed/stock |",
        "|---|---|---|---|---|",
    ]
    for key in stock_runs:
        before, after = stock_runs[key], fixed_runs.get(key)
        if not before.get("frames") and not (after and after.get("frames")):
            continue  # nothing sent on either kernel: idle workloads
        if after and after.get("px_sent") is not None and before.get("px_sent"):
            gain = f"{after['px_sent'] / before['px_sent']:.3f}"
        else:
            gain = "-"
        lines.append(f"| {key[0]} | {key[1]} | {cell(before)} | {cell(after)} | {gain} |")
    return "\n".join(lines)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    with open(sys.argv[1]) as f:
        stock = json.load(f)
    with open(sys.argv[2]) as f:
        fixed = json.load(f)
    print(compare(stock, fixed))


if __name__ == "__main__":
    main()
