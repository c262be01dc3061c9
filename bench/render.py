#!/usr/bin/env python3
"""bench/render.py -- chartlint's render + lint time against `helm template` alone.

For every case of the shared corpus (../shared/corpus/cases.tsv: a chart and an optional
values file, rendered as `helm template release-name charts/<chart> --namespace default
[-f charts/<chart>/<values>]` from the corpus directory), times

    chartlint charts/<chart> --namespace default [-f ...]      (render + lint, output discarded)
    helm template release-name charts/<chart> --namespace default [-f ...]

N times each (default 7) after one warm-up run each, the two interleaved run by run so
both see the same load. For each run it takes wall time (monotonic clock around the
child) and CPU time (user + system of the child, from wait4); one more run of each under
GNU time gives the peak RSS. Per case it reports the medians, the ratio helm/chartlint
of the medians, and the median of the per-case ratios over all cases: the figure issue
3's target is stated in (chartlint at least 20x faster than helm template on the
median case). It also names the largest chart (by template bytes and by the size of
helm's golden output) and chartlint's peak RSS on it (target: under 20 MB).

Exits 0, or 77 when the corpus is missing (1 under CI=true), 2 on bad arguments, 1 when
chartlint fails. Exit codes of either program are recorded, not judged: chartlint exits 1 when it
reports findings, and three corpus cases fail in helm by design. Anything above 1 from
chartlint (usage, internal error) or a signal stops the run.

Both programs are timed as installed copies: before the runs, chartlint and helm are
copied (a plain file copy, as a package manager or `cmake --install` writes them) into one
temporary directory, and the copies run. A program's start-up cost depends on how its
file got into the page cache: measured on this VM (docs/performance.md, "Installed
copies"), the binary as the linker wrote it costs ~0.35 ms more per run than the same
bytes copied, and either program read back from disk after eviction costs more again.
Timing both as fresh copies puts them in the same state. --no-copy times the paths as
given.

Usage: bench/render.py [--runs N] [--cases REGEX] [--chartlint PATH] [--helm PATH]
                       [--shared DIR] [--out FILE] [--no-copy]
Without --chartlint it builds build-bench/chartlint (RelWithDebInfo, no tests, the
dependencies' archives and the C library linked in statically: CHARTLINT_STATIC_DEPS and
CHARTLINT_STATIC_EXE, set on the command line so an old build-bench/ cache cannot
leave them off; and with musl-gcc installed, CHARTLINT_MUSL, the shipped configuration:
musl instead of glibc), as bench/bench.sh does; the report names how the binary it
timed is linked and which C library it carries. Prints a Markdown report and keeps it in bench/results/render.md.
helm v4.1.4 comes from ../shared/tools/install-helm.sh (not a CI dependency).
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    print("render-bench: " + msg, file=sys.stderr, flush=True)


def read_cases(corpus):
    """[(case, chart, values or '')] from cases.tsv, header skipped."""
    cases = []
    with open(os.path.join(corpus, "cases.tsv"), encoding="utf-8") as fp:
        for i, line in enumerate(fp):
            cols = line.rstrip("\n").split("\t")
            if i == 0 or not cols[0]:
                continue
            while len(cols) < 3:
                cols.append("")
            cases.append((cols[0], cols[1], cols[2]))
    return cases


def run_once(argv, cwd):
    """Run argv with output discarded: (wall s, cpu s, exit code)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, proc.returncode


def peak_rss(argv, cwd):
    """Peak RSS of one run of argv in KiB, by GNU time (0 without /usr/bin/time).

    Not from the timing runs: a child forked from this Python process inherits its
    high-water mark across exec, so wait4's ru_maxrss would report Python's RSS for any
    smaller program. GNU time's own child starts from a small process."""
    if not os.access("/usr/bin/time", os.X_OK):
        return 0
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as tf:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf.name] + argv, cwd=cwd,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        lines = tf.read().split()
    return int(lines[-1]) if lines and lines[-1].isdigit() else 0


def template_bytes(chart_dir):
    """Bytes of every file under a templates/ folder of the chart and its subcharts."""
    total = 0
    for root, _, files in os.walk(chart_dir):
        parts = os.path.relpath(root, chart_dir).split(os.sep)
        if "templates" not in parts:
            continue
        for f in files:
            p = os.path.join(root, f)
            if os.path.isfile(p) and not os.path.islink(p):
                total += os.path.getsize(p)
    return total


def build_chartlint():
    out = os.path.join(ROOT, "build-bench")
    log("building chartlint in build-bench/")
    musl = shutil.which("musl-gcc")
    libc = ["-DCHARTLINT_MUSL=ON", "-DCMAKE_C_COMPILER=" + musl] if musl else \
           ["-DCHARTLINT_MUSL=OFF"]
    # a build directory keeps its compiler: one configured with another is started over
    # (CMake would drop the other -D settings when it resets the cache itself)
    cache = os.path.join(out, "CMakeCache.txt")
    if os.path.isfile(cache):
        with open(cache, encoding="utf-8", errors="replace") as fp:
            was_musl = re.search(r"^CMAKE_C_COMPILER:[A-Z]+=.*musl-gcc$", fp.read(), re.M)
        if bool(was_musl) != bool(musl):
            os.remove(cache)
            shutil.rmtree(os.path.join(out, "CMakeFiles"), ignore_errors=True)
    subprocess.run(["cmake", "-S", ROOT, "-B", out, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                    "-DCHARTLINT_SANITIZE=OFF", "-DCHARTLINT_TESTS=OFF",
                    "-DCHARTLINT_STATIC_DEPS=ON", "-DCHARTLINT_STATIC_EXE=ON"] + libc,
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", out, "-j%d" % (os.cpu_count() or 1),
                    "--target", "chartlint"], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "chartlint")


def static_libc(path):
    """Which C library a static executable carries, from its symbol table (musl's start-up
    is __init_libc, glibc's __libc_start_call_main); "" when it cannot tell."""
    try:
        res = subprocess.run(["nm", path], capture_output=True, text=True)
    except OSError:
        return ""
    names = set(ln.split()[-1] for ln in res.stdout.splitlines() if ln.strip())
    if "__init_libc" in names:
        return "musl"
    if "__libc_start_call_main" in names:
        return "glibc"
    return ""


def linkage(path):
    """How the binary at path is linked, from ldd: fully static (with musl or glibc),
    static dependencies with glibc shared, or shared libraries (named)."""
    try:
        res = subprocess.run(["ldd", path], capture_output=True, text=True)
    except OSError:
        return "linkage unknown"
    if res.returncode != 0 or "not a dynamic executable" in res.stdout + res.stderr:
        libc = static_libc(path)
        return "fully static" + (", " + libc if libc else "")
    deps = [ln.split()[0] for ln in res.stdout.splitlines()
            if ln.strip() and "=>" in ln and not re.match(r"\s*lib(c|m)\.so", ln)]
    return "shared: " + ", ".join(deps) if deps else "static dependencies, glibc shared"


def ms(s):
    return "%.1f" % (s * 1000)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--cases", default="", help="only cases matching this regex")
    ap.add_argument("--chartlint", default=os.environ.get("CHARTLINT", ""))
    ap.add_argument("--helm", default=shutil.which("helm") or "")
    ap.add_argument("--shared", default=os.environ.get(
        "CHARTLINT_SHARED_DIR", os.path.join(os.path.dirname(ROOT), "shared")))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "render.md"))
    ap.add_argument("--no-copy", action="store_true",
                    help="time the binaries where they are, not installed copies")
    args = ap.parse_args()

    corpus = os.path.join(os.path.abspath(args.shared), "corpus")
    if not os.path.isfile(os.path.join(corpus, "cases.tsv")):
        log("no corpus at %s (set CHARTLINT_SHARED_DIR or --shared)" % corpus)
        # 77 is ctest's "skipped" for tests/bench.cmake, except in CI
        return 1 if os.environ.get("CI") == "true" else 77
    if not args.helm or not os.access(args.helm, os.X_OK):
        log("no helm: install it with ../shared/tools/install-helm.sh or pass --helm")
        return 2
    helm = os.path.abspath(args.helm)
    chartlint = os.path.abspath(args.chartlint) if args.chartlint else build_chartlint()
    if args.runs < 1:
        log("--runs must be at least 1")
        return 2

    cases = [c for c in read_cases(corpus) if re.search(args.cases, c[0])]
    if not cases:
        log("no case matches %r" % args.cases)
        return 2

    with tempfile.TemporaryDirectory(prefix="render-bench.") as tmp:
        if args.no_copy:
            timed = (chartlint, helm)
        else:
            timed = (os.path.join(tmp, "chartlint"), os.path.join(tmp, "helm"))
            shutil.copy2(chartlint, timed[0])
            shutil.copy2(helm, timed[1])
        return run_cases(args, corpus, cases, timed, (chartlint, helm))


def run_cases(args, corpus, cases, timed, origin):
    """Times every case with the binaries in timed; origin names them in the report."""
    chartlint, helm = timed

    rows = []
    for name, chart, values in cases:
        extra = ["-f", "charts/%s/%s" % (chart, values)] if values else []
        cl_argv = [chartlint, "charts/" + chart, "--namespace", "default"] + extra
        helm_argv = [helm, "template", "release-name", "charts/" + chart,
                     "--namespace", "default"] + extra
        cl, hm = [], []
        for i in range(args.runs + 1):   # run 0 is the warm-up, not kept
            a = run_once(cl_argv, corpus)
            b = run_once(helm_argv, corpus)
            if a[2] not in (0, 1):
                log("%s: chartlint exited %d: %s" % (name, a[2], " ".join(cl_argv)))
                return 1
            if i:
                cl.append(a)
                hm.append(b)
        med = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
        row = {
            "case": name,
            "tbytes": template_bytes(os.path.join(corpus, "charts", chart)),
            "obytes": os.path.getsize(os.path.join(corpus, "golden", name + ".yaml")),
            "cl_wall": med(cl, 0), "cl_cpu": med(cl, 1),
            "cl_wall_best": min(x[0] for x in cl), "cl_cpu_best": min(x[1] for x in cl),
            "cl_rss": peak_rss(cl_argv, corpus), "cl_rc": cl[-1][2],
            "hm_wall": med(hm, 0), "hm_cpu": med(hm, 1),
            "hm_wall_best": min(x[0] for x in hm), "hm_cpu_best": min(x[1] for x in hm),
            "hm_rss": peak_rss(helm_argv, corpus), "hm_rc": hm[-1][2],
        }
        row["r_wall"] = row["hm_wall"] / max(row["cl_wall"], 1e-6)
        row["r_cpu"] = row["hm_cpu"] / max(row["cl_cpu"], 1e-6)
        rows.append(row)
        log("%-50s chartlint %6s ms (cpu %6s)  helm %7s ms (cpu %7s)  %5.1fx wall %5.1fx cpu"
            % (name, ms(row["cl_wall"]), ms(row["cl_cpu"]), ms(row["hm_wall"]),
               ms(row["hm_cpu"]), row["r_wall"], row["r_cpu"]))

    report = render_report(rows, args.runs, origin[0], origin[1], timed != origin)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fp:
        fp.write(report)
    sys.stdout.write(report)
    return 0


def render_report(rows, runs, chartlint, helm, copied):
    def cpu_model():
        try:
            with open("/proc/cpuinfo", encoding="utf-8") as fp:
                for line in fp:
                    if line.startswith("model name"):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or "unknown cpu"

    def cmd(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True,
                                  cwd=ROOT).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "unknown"

    med_wall = statistics.median(r["r_wall"] for r in rows)
    med_cpu = statistics.median(r["r_cpu"] for r in rows)
    by_t = max(rows, key=lambda r: r["tbytes"])
    by_o = max(rows, key=lambda r: r["obytes"])
    peak = max(rows, key=lambda r: r["cl_rss"])
    mib = lambda kib: "%.1f MiB" % (kib / 1024)  # noqa: E731
    load = open("/proc/loadavg", encoding="utf-8").read().split()[:3]
    out = []
    w = out.append
    w("## Rendering: chartlint against helm template\n\n")
    w("- date: %s, commit %s\n" % (
        datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        cmd(["git", "rev-parse", "--short", "HEAD"])))
    w("- machine: %d cores, %s, %s\n" % (os.cpu_count() or 0, cpu_model(), platform.platform()))
    w("- chartlint: %s (%s, %s); helm: %s\n" % (
        os.path.relpath(chartlint, ROOT), cmd([chartlint, "--version"]),
        linkage(chartlint), cmd([helm, "version", "--short"])))
    w("- both timed as %s\n" % ("installed copies (copied into one temporary directory "
                                 "before the runs)" if copied else "the files given (--no-copy)"))
    w("- %d cases, %d runs each after one warm-up, chartlint and helm interleaved run by "
      "run; load average at the end: %s\n" % (len(rows), runs, " ".join(load)))
    w("- times are medians over the runs (ms); ratio = helm / chartlint of the medians\n\n")
    w("| case | template bytes | chartlint wall | chartlint cpu | helm wall | helm cpu "
      "| ratio wall | ratio cpu | peak RSS chartlint / helm | exit cl/helm |\n")
    w("|---|---|---|---|---|---|---|---|---|---|\n")
    for r in rows:
        w("| %s | %d | %s | %s | %s | %s | %.1fx | %.1fx | %s | %d/%d |\n" % (
            r["case"], r["tbytes"], ms(r["cl_wall"]), ms(r["cl_cpu"]), ms(r["hm_wall"]),
            ms(r["hm_cpu"]), r["r_wall"], r["r_cpu"],
            mib(r["cl_rss"]) + " / " + mib(r["hm_rss"]), r["cl_rc"],
            r["hm_rc"]))
    w("\n")
    verdict = lambda ok: "met" if ok else "MISSED"  # noqa: E731
    w("| target | measured | verdict |\n|---|---|---|\n")
    w("| chartlint >= 20x faster than helm template, median case, wall | %.1fx | %s |\n"
      % (med_wall, verdict(med_wall >= 20)))
    w("| the same by CPU time (user + system) | %.1fx | %s |\n"
      % (med_cpu, verdict(med_cpu >= 20)))
    w("| peak RSS < 20 MB on the largest chart by templates (%s, %d bytes) | %s | %s |\n"
      % (by_t["case"], by_t["tbytes"], mib(by_t["cl_rss"]),
         verdict(by_t["cl_rss"] * 1024 < 20e6)))
    w("| peak RSS < 20 MB on the largest chart by output (%s, %d bytes) | %s | %s |\n"
      % (by_o["case"], by_o["obytes"], mib(by_o["cl_rss"]),
         verdict(by_o["cl_rss"] * 1024 < 20e6)))
    w("| (informational) highest chartlint peak RSS of any case (%s) | %s | |\n"
      % (peak["case"], mib(peak["cl_rss"])))
    w("| (informational) sum of medians, chartlint / helm, wall | %s / %s ms | |\n" % (
        ms(sum(r["cl_wall"] for r in rows)), ms(sum(r["hm_wall"] for r in rows))))
    return "".join(out)


if __name__ == "__main__":
    sys.exit(main())
