"""cl_driver.py -- shared helpers of the end-to-end test drivers (corpus.py, badinput.py).

Runs the chartlint binary with a timeout, classifies how it ended (exit code, signal,
timeout, sanitizer report) and checks its `--format json` output against the JSON
contract (docs/json-format.md): the document parses, has the top-level keys, and every
position that names the linted input points at a real line of it.
"""
import json
import os
import resource
import subprocess
import sys
import time

SKIP = 77                     # CTest SKIP_RETURN_CODE of these suites
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "UndefinedBehaviorSanitizer")


class Failure(Exception):
    """A check of the run failed; the message says which and why."""


class Result:
    def __init__(self, args, rc, out, err, seconds, maxrss_kib):
        self.args, self.rc, self.out, self.err = args, rc, out, err
        self.seconds, self.maxrss_kib = seconds, maxrss_kib
        self.json = None

    def describe(self):
        tail = self.err.decode("utf-8", "replace")[-2000:]
        return "command: %s\nexit code: %s\nstderr (tail):\n%s" % (
            " ".join(self.args), self.rc, tail)


def run(chartlint, args, timeout, stdin=None, cwd=None):
    """Run chartlint with args; Failure on timeout, signal or sanitizer report."""
    cmd = [chartlint] + list(args)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise Failure("timed out after %ss: %s" % (timeout, " ".join(cmd)))
    except OSError as e:
        raise Failure("cannot run %s: %s" % (cmd[0], e))
    seconds = time.monotonic() - start
    # ru_maxrss of children is the largest child so far: only meaningful when this
    # child is the largest, which the callers that use it arrange (one run per process).
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    res = Result(cmd, proc.returncode, proc.stdout, proc.stderr, seconds,
                 after if after > before else None)
    if proc.returncode < 0:
        raise Failure("killed by signal %d\n%s" % (-proc.returncode, res.describe()))
    text = proc.stderr.decode("utf-8", "replace")
    for mark in SANITIZER_MARKS:
        if mark in text:
            raise Failure("sanitizer report (%s)\n%s" % (mark, res.describe()))
    if proc.returncode == 3:
        raise Failure("internal error (exit code 3)\n%s" % res.describe())
    return res


def count_lines(data):
    """Lines of a file as an editor shows them (a last line without newline counts)."""
    n = data.count(b"\n")
    if data and not data.endswith(b"\n"):
        n += 1
    return n


def parse_json(res):
    """Parse the JSON report of res and check its top-level shape; returns it."""
    try:
        doc = json.loads(res.out.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise Failure("output is not valid JSON: %s\n%s\nstdout (head): %r" % (
            e, res.describe(), res.out[:400]))
    for key in ("version", "tool", "findings", "errors", "summary"):
        if key not in doc:
            raise Failure("JSON report lacks %r\n%s" % (key, res.describe()))
    if not isinstance(doc["findings"], list) or not isinstance(doc["errors"], list):
        raise Failure("JSON findings/errors are not arrays\n%s" % res.describe())
    for f in doc["findings"]:
        for key in ("check", "code", "severity", "message", "file", "line", "column"):
            if key not in f:
                raise Failure("finding lacks %r: %r" % (key, f))
    res.json = doc
    return doc


def check_positions(doc, inputs):
    """Every finding (and related note, and error) naming one of inputs -- a map of
    display path to file bytes -- must point at a real line: 1 <= line <= lines."""
    nlines = {path: count_lines(data) for path, data in inputs.items()}

    def check(where, file, line, col):
        if file not in nlines:
            return
        if not isinstance(line, int) or not 1 <= line <= max(nlines[file], 1):
            raise Failure("%s: line %r of %s is not a line of the input (it has %d lines)"
                          % (where, line, file, nlines[file]))
        if not isinstance(col, int) or col < 1:
            raise Failure("%s: column %r of %s is not >= 1" % (where, col, file))

    for f in doc["findings"]:
        where = "finding %s %r" % (f["code"], f["message"])
        check(where, f["file"], f["line"], f["column"])
        for r in f.get("related") or []:
            check(where + " (related)", r.get("file"), r.get("line"), r.get("column"))
    for e in doc["errors"]:
        if e.get("line"):
            check("error %r" % e.get("message"), e.get("file"), e.get("line"), e.get("column"))


def shared_dir_or_skip(path, what):
    """Return path when it exists; else exit SKIP, or 1 when CI=true."""
    if path and os.path.isdir(path):
        return path
    msg = "%s: shared material not found at %r (set -DCHARTLINT_SHARED_DIR)" % (what, path)
    if os.environ.get("CI") == "true":
        print("FAIL: " + msg + "; CI=true requires it", file=sys.stderr)
        sys.exit(1)
    print("SKIP: " + msg)
    sys.exit(SKIP)
