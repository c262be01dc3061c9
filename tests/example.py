#!/usr/bin/env python3
"""example.py -- the example chart's renders give exactly their intended findings.

    example.py CHARTLINT RENDER.yaml     compare with RENDER.findings beside it

testdata/charts/my-app is deliberately imperfect (frontends without a full security
context, a fluentd sidecar without probes, a migration init container without
resources) and otherwise consistent (the StatefulSet's headless Service and every
Ingress backend exist). RENDER.findings lists one finding a line, sorted:
`CODE check Kind/name [container NAME]`. Exit code 1 is required: that is what
.ci/bootstrap tells a new user. CHARTLINT_UPDATE=1 rewrites the .findings file;
review the diff like a snapshot.
"""
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cl_driver as cl  # noqa: E402


def findings(chartlint, render):
    folder, name = os.path.split(os.path.abspath(render))
    res = cl.run(chartlint, ["--format", "json", name], 60, cwd=folder)
    doc = cl.parse_json(res)
    if res.rc != 1:
        raise cl.Failure("exit code %d, want 1 (the example has findings)\n%s"
                         % (res.rc, res.describe()))
    lines = []
    for f in doc["findings"]:
        obj = f.get("object") or {}
        line = "%s %s %s/%s" % (f["code"], f["check"], obj.get("kind"), obj.get("name"))
        if f.get("container"):
            line += " container " + f["container"]
        lines.append(line)
    return sorted(lines)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    chartlint, render = os.path.abspath(argv[1]), argv[2]
    expected_path = os.path.splitext(render)[0] + ".findings"
    try:
        got = findings(chartlint, render)
    except cl.Failure as e:
        print("FAIL %s: %s" % (render, e))
        return 1
    if os.environ.get("CHARTLINT_UPDATE") == "1":
        with open(expected_path, "w") as fp:
            fp.write("".join(line + "\n" for line in got))
        print("updated %s" % expected_path)
        return 0
    try:
        with open(expected_path) as fp:
            want = [line.rstrip("\n") for line in fp if line.strip()]
    except OSError as e:
        print("FAIL %s: cannot read %s: %s" % (render, expected_path, e.strerror))
        return 1
    missing = sorted((Counter(want) - Counter(got)).elements())
    extra = sorted((Counter(got) - Counter(want)).elements())
    if missing or extra:
        print("FAIL %s differs from %s (CHARTLINT_UPDATE=1 rewrites it):" % (
            render, expected_path))
        for line in missing:
            print("  - " + line)
        for line in extra:
            print("  + " + line)
        return 1
    print("ok %s: %d findings as expected" % (os.path.basename(render), len(got)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
