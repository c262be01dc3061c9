#!/usr/bin/env python3
"""corpus.py -- lint one rendered manifest stream end to end and check the result.

    corpus.py CHARTLINT FILE          lint FILE with --format json (from FILE's directory)
    corpus.py CHARTLINT --chart DIR   lint the chart DIR, rendered by chartlint itself
    corpus.py CHARTLINT --shared DIR  exit 77 (skip) or 1 (CI=true) when DIR is missing
    corpus.py --selftest              prove the checks reject broken runs (fake binaries)

A run passes iff chartlint exits 0 or 1 (never 2 or 3, no signal, no sanitizer report,
within the timeout), prints JSON that parses with the contract's top-level keys, and
every finding naming FILE points at a real line of it (1 <= line <= lines of FILE).
For a chart, every finding naming one of the chart's files (a template, values.yaml)
must point at a real line of that file.
"""
import os
import stat
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cl_driver as cl  # noqa: E402

TIMEOUT = int(os.environ.get("CHARTLINT_TEST_TIMEOUT", "60"))


def lint_file(chartlint, path):
    """Raise cl.Failure unless linting path behaves; returns the JSON report."""
    folder, name = os.path.split(os.path.abspath(path))
    with open(path, "rb") as fp:
        data = fp.read()
    res = cl.run(chartlint, ["--format", "json", name], TIMEOUT, cwd=folder)
    if res.rc not in (0, 1):
        raise cl.Failure("exit code %d, want 0 or 1\n%s" % (res.rc, res.describe()))
    doc = cl.parse_json(res)
    cl.check_positions(doc, {name: data})
    return doc


def lint_chart(chartlint, chart):
    """Raise cl.Failure unless linting the chart directory behaves; returns the report."""
    parent, name = os.path.split(os.path.abspath(chart.rstrip("/")))
    inputs = {}
    for root, _, files in os.walk(os.path.join(parent, name)):
        for f in files:
            full = os.path.join(root, f)
            if os.path.isfile(full) and not os.path.islink(full):
                with open(full, "rb") as fp:
                    inputs[os.path.relpath(full, parent)] = fp.read()
    res = cl.run(chartlint, ["--format", "json", name], TIMEOUT, cwd=parent)
    if res.rc not in (0, 1):
        raise cl.Failure("exit code %d, want 0 or 1\n%s" % (res.rc, res.describe()))
    doc = cl.parse_json(res)
    cl.check_positions(doc, inputs)
    return doc


FAKES = {
    # name: (shell body of a fake chartlint, expected to be rejected)
    "exit-2": 'echo \'{"version":1,"tool":{},"findings":[],"errors":[],"summary":{}}\'; exit 2',
    "exit-3": "exit 3",
    "crash": "kill -SEGV $$",
    "not-json": "echo 'x.yaml:1:1: error[yaml-syntax] oops'; exit 1",
    "asan": 'echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow" >&2; exit 1',
    "line-past-end": (
        'echo \'{"version":1,"tool":{},"errors":[],"summary":{},"findings":[{"check":"c",'
        '"code":"CL1001","severity":"warning","message":"m","file":"in.yaml","line":3,'
        '"column":1}]}\'; exit 1'),
    "line-zero": (
        'echo \'{"version":1,"tool":{},"errors":[],"summary":{},"findings":[{"check":"c",'
        '"code":"CL1001","severity":"warning","message":"m","file":"in.yaml","line":0,'
        '"column":1}]}\'; exit 1'),
}
GOOD_FAKE = (
    'echo \'{"version":1,"tool":{},"errors":[],"summary":{},"findings":[{"check":"c",'
    '"code":"CL1001","severity":"warning","message":"m","file":"in.yaml","line":2,'
    '"column":3}]}\'; exit 1')


def selftest():
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "in.yaml")
        with open(target, "w") as fp:
            fp.write("a: 1\nb: 2")              # two lines, the last without newline

        def fake(name, body):
            exe = os.path.join(tmp, name)
            with open(exe, "w") as fp:
                fp.write("#!/bin/sh\n" + body + "\n")
            os.chmod(exe, stat.S_IRWXU)
            return exe

        bad = 0
        for name, body in sorted(FAKES.items()):
            try:
                lint_file(fake(name, body), target)
                print("selftest: fake %r was accepted, want rejected" % name)
                bad += 1
            except cl.Failure as e:
                print("selftest: fake %r rejected: %s" % (name, str(e).splitlines()[0]))
        try:
            lint_file(fake("good", GOOD_FAKE), target)
            print("selftest: a well-behaved fake is accepted")
        except cl.Failure as e:
            print("selftest: well-behaved fake rejected: %s" % e)
            bad += 1
        return 1 if bad else 0


def main(argv):
    if argv[1:] == ["--selftest"]:
        return selftest()
    if len(argv) == 4 and argv[2] == "--chart":
        try:
            doc = lint_chart(os.path.abspath(argv[1]), argv[3])
        except cl.Failure as e:
            print("FAIL %s: %s" % (argv[3], e))
            return 1
        codes = sorted(set(f["code"] for f in doc["findings"]))
        print("ok %s: %d findings (%s), %d errors" % (
            argv[3], len(doc["findings"]), " ".join(codes), len(doc["errors"])))
        return 0
    if len(argv) == 4 and argv[2] == "--shared":
        cl.shared_dir_or_skip(argv[3], "corpus")
        return 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    chartlint, path = os.path.abspath(argv[1]), argv[2]
    if not os.path.isfile(path):
        # The shared corpus disappeared since configuration: same rule as a missing dir.
        cl.shared_dir_or_skip(None, "corpus file %s" % path)
    try:
        doc = lint_file(chartlint, path)
    except cl.Failure as e:
        print("FAIL %s: %s" % (path, e))
        return 1
    s = doc.get("summary", {})
    print("ok %s: %d findings, %d errors, %s objects" % (
        os.path.basename(path), len(doc["findings"]), len(doc["errors"]), s.get("objects")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
