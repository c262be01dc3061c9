#!/usr/bin/env python3
"""render.py -- chart render tests of `chartlint template` and chart linting.

  render.py conformance CHARTLINT SHARED FLOORS   every case of
      SHARED/renderer/conformance/cases.jsonl through `chartlint template`, scored by the
      shared score.py; prints passed/total and fails when the pass count drops below the
      recorded floor ("conformance N" in FLOORS).
  render.py corpus CHARTLINT SHARED FLOORS        every case of SHARED/corpus/cases.tsv
      rendered and compared with helm's golden output by compare-golden.py (--loose for the
      NONDETERMINISTIC cases); cases helm fails must fail with helm's message on stderr,
      byte for byte. Fails below "corpus N".
  render.py my-app CHARTLINT CHART                lints the chart with its default, dev and
      prod values: every finding must be at a line of a file of the chart (a template or
      a values file), never at a line of rendered output.

A floor only rises: when more cases pass than recorded, the output says so, and the
floor in FLOORS should be raised with the change that made them pass. SHARED missing:
exit 77 (skipped) unless CI=true, then 1."""
import json
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77


def shared_missing(path, what):
    if os.path.exists(path):
        return None
    msg = "render: %s not found at %s" % (what, path)
    if os.environ.get("CI") == "true":
        print(msg + " (CI=true: failing)")
        return 1
    print(msg + "; skipped (set CHARTLINT_SHARED_DIR)")
    return SKIP


def floor_of(floors, key):
    with open(floors, encoding="utf-8") as f:
        for line in f:
            parts = line.split("#", 1)[0].split()
            if len(parts) == 2 and parts[0] == key:
                return int(parts[1])
    raise SystemExit("render: no floor for %r in %s" % (key, floors))


def judge(key, passed, total, floor):
    print("%s: %d/%d cases pass (recorded floor %d)" % (key, passed, total, floor))
    if passed < floor:
        print("FAIL: %s passes dropped below the floor" % key)
        return 1
    if passed > floor:
        print("note: %d more than the floor; raise '%s %d' in tests/render-floors.txt"
              % (passed - floor, key, passed))
    return 0


def conformance(chartlint, shared, floors):
    conf = os.path.join(shared, "renderer", "conformance")
    rc = shared_missing(os.path.join(conf, "cases.jsonl"), "conformance cases")
    if rc is not None:
        return rc
    cmd = "%s template release-name {chart} --namespace default" % chartlint
    p = subprocess.run([sys.executable, os.path.join(conf, "score.py"), "--cmd", cmd,
                        "--jobs", os.environ.get("CHARTLINT_JOBS", "4"),
                        "--max-failures", "15"],
                       capture_output=True, text=True)
    sys.stdout.write(p.stdout[-6000:])
    m = re.search(r"^conformance: (\d+)/(\d+) cases", p.stdout, re.M)
    if not m:
        print("FAIL: score.py printed no result\n" + p.stderr[-2000:])
        return 1
    return judge("conformance", int(m.group(1)), int(m.group(2)), floor_of(floors, "conformance"))


def corpus(chartlint, shared, floors):
    root = os.path.join(shared, "corpus")
    rc = shared_missing(os.path.join(root, "cases.tsv"), "corpus")
    if rc is not None:
        return rc
    loose = set()
    with open(os.path.join(root, "NONDETERMINISTIC"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[1] == "yes":
                loose.add(parts[0])
    passed = total = 0
    with open(os.path.join(root, "cases.tsv"), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    for row in rows[1:]:
        case, chart = row[0], row[1]
        values = row[2] if len(row) > 2 else ""
        total += 1
        args = [chartlint, "template", "release-name", "charts/" + chart,
                "--namespace", "default"]
        if values:
            args += ["-f", "charts/%s/%s" % (chart, values)]
        p = subprocess.run(args, cwd=root, capture_output=True, timeout=120)
        with open(os.path.join(root, "golden", case + ".status"), encoding="utf-8") as s:
            want = int(s.readline().split()[1])
            want_err = s.read()
        if want != 0:
            # the same failure: helm's message on stderr, byte for byte
            got_err = p.stderr.decode("utf-8", "replace")
            ok = p.returncode != 0 and got_err == want_err
            why = ("helm fails this case; chartlint rendered it" if p.returncode == 0 else
                   "" if ok else "not helm's failure: want %r, got %r" % (
                       want_err.splitlines()[0:2], got_err.splitlines()[0:2]))
        elif p.returncode != 0:
            ok, why = False, p.stderr.decode("utf-8", "replace").strip().splitlines()[0:1]
        else:
            with tempfile.NamedTemporaryFile(suffix=".yaml") as out:
                out.write(p.stdout)
                out.flush()
                cmp = [sys.executable, os.path.join(root, "compare-golden.py"),
                       os.path.join(root, "golden", case + ".yaml"), out.name]
                if case in loose:
                    cmp.append("--loose")
                c = subprocess.run(cmp, capture_output=True, text=True)
                ok = c.returncode == 0
                why = (c.stdout + c.stderr).strip().splitlines()[0:2]
        passed += ok
        print("%s %s%s" % ("PASS" if ok else "FAIL", case, "" if ok else "  %s" % (why,)))
    return judge("corpus", passed, total, floor_of(floors, "corpus"))


def my_app(chartlint, chart):
    chart = os.path.normpath(chart)
    failures = 0
    for values in (None, "values-dev.yaml", "values-prod.yaml"):
        args = [chartlint, "--format", "json", "--fail-on", "error", chart]
        if values:
            args += ["--values", os.path.join(chart, values)]
        p = subprocess.run(args, capture_output=True, text=True)
        label = values or "values.yaml"
        if p.returncode not in (0, 1):
            print("FAIL %s: exit %d\n%s" % (label, p.returncode, p.stderr))
            failures += 1
            continue
        doc = json.loads(p.stdout)
        findings = doc.get("findings", [])
        bad = []
        for f in findings:
            path = f.get("file") or ""
            line = f.get("line") or 0
            if not os.path.normpath(path).startswith(chart + os.sep) or line < 1:
                bad.append("%s:%s %s" % (path, line, f.get("message")))
        if doc.get("errors"):
            bad += ["error: %s" % (e,) for e in doc["errors"]]
        print("%s %s: %d findings, all at lines of the chart's files" % (
            "FAIL" if bad else "ok  ", label, len(findings)) if not bad else
            "FAIL %s: %d findings not at a line of the chart:\n  %s" % (
                label, len(bad), "\n  ".join(bad[:20])))
        failures += bool(bad)
    return 1 if failures else 0


def main(argv):
    if len(argv) > 2:
        argv = argv[:2] + [os.path.abspath(argv[2])] + argv[3:]
    if len(argv) == 5 and argv[1] == "conformance":
        return conformance(argv[2], argv[3], argv[4])
    if len(argv) == 5 and argv[1] == "corpus":
        return corpus(argv[2], argv[3], argv[4])
    if len(argv) == 4 and argv[1] == "my-app":
        return my_app(argv[2], argv[3])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
