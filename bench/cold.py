#!/usr/bin/env python3
"""bench/cold.py -- compare the CPU time of programs in the state bench/render.py times them in.

Each run starts after a gap (default 50 ms), as a chartlint run in render.py starts after a
helm run: caches and TLBs are cold, and page faults and system calls cost much more than in
back-to-back runs (argo-events: 3.0 ms cold against 2.1 ms back to back; see
docs/performance.md, "Installed copies, cold runs and the start-up floor"). The binaries
run interleaved, run by run; CPU time is user + system of the child from wait4. Compare
copies with copies: a binary as the linker wrote it starts slower than the same bytes
copied (`install -m755 build-bench/chartlint /tmp/old`).

usage: bench/cold.py [--gap SECONDS] [--runs N] BINARY... -- ARGS...
  cd ../shared/corpus && ../../main/bench/cold.py /tmp/old /tmp/new -- charts/argo-events --namespace default
Prints each binary's median CPU time, its quartiles and its ratio to the first binary.
Exit 0, or 2 on bad arguments."""
import os
import statistics
import subprocess
import sys
import time


def run(argv):
    """CPU seconds (user + system) of one run of argv, output discarded."""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(proc.pid, 0)
    return ru.ru_utime + ru.ru_stime


def main(args):
    gap, runs = 0.05, 60
    while args and args[0] in ("--gap", "--runs") and len(args) > 1:
        try:
            if args[0] == "--gap":
                gap = float(args[1])
            else:
                runs = int(args[1])
        except ValueError:
            print("cold.py: bad value for %s: %r" % (args[0], args[1]), file=sys.stderr)
            return 2
        args = args[2:]
    if "--" not in args or args.index("--") == 0 or runs < 2:
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    cut = args.index("--")
    bins, rest = args[:cut], args[cut + 1:]
    times = {b: [] for b in bins}
    for _ in range(runs):
        for b in bins:
            if gap > 0:
                time.sleep(gap)
            times[b].append(run([b] + rest))
    base = statistics.median(times[bins[0]])
    for b in bins:
        med = statistics.median(times[b])
        q = statistics.quantiles(times[b], n=4)
        print("%-50s median %.3f ms  (quartiles %.3f-%.3f)  %.3fx of the first"
              % (b[-50:], med * 1e3, q[0] * 1e3, q[2] * 1e3, med / base))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
