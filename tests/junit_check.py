#!/usr/bin/env python3
"""junit_check.py -- check that a chartlint JUnit report has the structure JUnit
consumers (GitLab, Jenkins' JUnit XSD, Azure Pipelines) expect.

    junit_check.py REPORT.xml
    junit_check.py --self-test     the checker refuses broken reports, accepts a good one

<testsuites name tests failures errors skipped> holding <testsuite>s with the same
counters (consistent with their testcases and summed at the top), each holding
<testcase classname name> elements followed by at most one <system-out> and one
<system-err>; a testcase holds at most one of <failure message type>, <error> or
<skipped>, and classname+name is unique in the whole report. Exit 1 with a message
per problem."""
import os
import sys
import xml.etree.ElementTree as ET

COUNTERS = ("tests", "failures", "errors", "skipped")


def check(path):
    problems = []

    def bad(msg):
        problems.append(msg)

    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return ["not well-formed XML: %s" % e]
    if root.tag != "testsuites":
        return ["root is <%s>, want <testsuites>" % root.tag]

    def counters(el, where):
        out = {}
        for key in COUNTERS:
            val = el.get(key)
            if val is None or not val.isdigit():
                bad("%s: %s=%r is not a count" % (where, key, val))
                out[key] = 0
            else:
                out[key] = int(val)
        return out

    total = counters(root, "testsuites")
    if not root.get("name"):
        bad("testsuites: no name")
    sums = dict.fromkeys(COUNTERS, 0)
    seen = set()
    suites = list(root)
    if not suites:
        bad("no <testsuite>")
    for si, suite in enumerate(suites):
        where = "testsuite %d" % si
        if suite.tag != "testsuite":
            bad("%s: <%s> in <testsuites>" % (where, suite.tag))
            continue
        if not suite.get("name"):
            bad(where + ": no name")
        where = "testsuite %r" % suite.get("name")
        want = counters(suite, where)
        got = dict.fromkeys(COUNTERS, 0)
        tail = False
        for el in suite:
            if el.tag in ("system-out", "system-err"):
                tail = True
                continue
            if el.tag != "testcase":
                bad("%s: unexpected <%s>" % (where, el.tag))
                continue
            if tail:
                bad("%s: <testcase> after <system-out>/<system-err>" % where)
            key = (el.get("classname"), el.get("name"))
            if not key[0] or not key[1]:
                bad("%s: testcase without classname or name: %r" % (where, key))
            if key in seen:
                bad("%s: duplicate testcase classname+name %r" % (where, key))
            seen.add(key)
            got["tests"] += 1
            kids = [k.tag for k in el]
            if len(kids) > 1 or any(k not in ("failure", "error", "skipped") for k in kids):
                bad("%s: testcase %r holds %r" % (where, key, kids))
                continue
            if kids == ["failure"]:
                got["failures"] += 1
                fail = el[0]
                if fail.get("message") is None or not fail.get("type"):
                    bad("%s: failure of %r lacks message or type" % (where, key))
            elif kids == ["error"]:
                got["errors"] += 1
            elif kids == ["skipped"]:
                got["skipped"] += 1
        if got != want:
            bad("%s: counters %r, testcases give %r" % (where, want, got))
        for key in COUNTERS:
            sums[key] += want[key]
    if sums != total:
        bad("testsuites: counters %r, suites sum to %r" % (total, sums))
    return problems


GOOD = """<testsuites name="x" tests="2" failures="1" errors="0" skipped="0">
<testsuite name="s" tests="2" failures="1" errors="0" skipped="0">
<testcase classname="c" name="a"><failure message="m" type="error">t</failure></testcase>
<testcase classname="c" name="b"/><system-err>e</system-err></testsuite></testsuites>"""

BAD = {
    "duplicate": GOOD.replace('name="b"', 'name="a"'),
    "count": GOOD.replace('<testsuite name="s" tests="2"', '<testsuite name="s" tests="3"'),
    "sum": GOOD.replace('<testsuites name="x" tests="2"', '<testsuites name="x" tests="1"'),
    "order": GOOD.replace('<system-err>e</system-err></testsuite>',
                          '<system-err>e</system-err><testcase classname="c" name="z"/>'
                          '</testsuite>'),
    "two-results": GOOD.replace('>t</failure>', '>t</failure><skipped/>'),
    "no-type": GOOD.replace(' type="error"', ''),
    "no-classname": GOOD.replace('classname="c" name="b"', 'name="b"'),
    "malformed": GOOD[:-5],
}


def self_test():
    import tempfile
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in [("good", GOOD)] + sorted(BAD.items()):
            path = os.path.join(tmp, name + ".xml")
            with open(path, "w") as fp:
                fp.write(text)
            problems = check(path)
            if (name == "good") != (not problems):
                print("junit_check self-test %s: %r" % (name, problems))
                bad += 1
            else:
                print("ok " + name)
    return 1 if bad else 0


def main():
    if sys.argv[1] == "--self-test":
        return self_test()
    problems = check(sys.argv[1])
    for p in problems:
        print("junit_check: %s: %s" % (sys.argv[1], p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
