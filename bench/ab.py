#!/usr/bin/env python3
"""Compares two sipdbg binaries on one capture: CPU time (user+sys) and
peak RSS of `sipdbg -N FILE` and `sipdbg report --json FILE`, runs
interleaved (old, new, old, new, …) so that both meet the same machine
state, and prints the medians and the ratio new/old as a table.

    bench/ab.py OLD_BINARY NEW_BINARY FILE [RUNS]

The refactors of issue 17 must keep the ratio within 1.05 (CPU) and
1.10 (RSS).
"""
import os, resource, statistics, subprocess, sys

def run(argv):
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1); os.dup2(fd, 2)
        os.execv(argv[0], argv)
    _, status, ru = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"{' '.join(argv)}: exit status {os.waitstatus_to_exitcode(status)}")
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0

def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    old, new, path = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    modes = {"-N": ["-N", path], "report --json": ["report", "--json", path]}
    res = {(b, m): ([], []) for b in ("old", "new") for m in modes}
    for _ in range(runs):
        for m, args in modes.items():
            for b, binary in (("old", old), ("new", new)):
                cpu, rss = run([binary] + args)
                res[(b, m)][0].append(cpu); res[(b, m)][1].append(rss)
    print(f"{os.path.basename(path)}: {os.path.getsize(path)} bytes, {runs} runs each, interleaved (median)")
    print(f"{'command':<16}{'old CPU s':>11}{'new CPU s':>11}{'ratio':>8}{'old RSS MB':>12}{'new RSS MB':>12}{'ratio':>8}")
    for m in modes:
        oc, orss = map(statistics.median, res[("old", m)])
        nc, nrss = map(statistics.median, res[("new", m)])
        print(f"{m:<16}{oc:>11.2f}{nc:>11.2f}{nc/oc:>8.3f}{orss:>12.0f}{nrss:>12.0f}{nrss/orss:>8.3f}")

main()
