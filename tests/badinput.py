#!/usr/bin/env python3
"""badinput.py -- hostile and broken inputs, end to end through the chartlint binary.

    badinput.py CHARTLINT WORKDIR CASE [--sanitize]
    badinput.py --list

Each case generates its input under WORKDIR/CASE at test time (nothing big is committed),
runs chartlint --format json on it with a timeout and checks the defined outcome: exit
code, the expected finding (by code) or diag, JSON that parses, positions on real lines,
and never a signal, a sanitizer report, exit code 3 or a hang. --sanitize (ASan/UBSan
builds) shrinks the huge inputs and skips the memory bound, which ASan inflates.
"""
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cl_driver as cl  # noqa: E402

TIMEOUT = int(os.environ.get("CHARTLINT_TEST_TIMEOUT", "60"))
DEEP = 100000


def configmap(name, extra=""):
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  key: value\n%s"
            % (name, extra))


POD_OK = """apiVersion: v1
kind: Pod
metadata:
  name: ok
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
  containers:
  - name: app
    image: nginx:1.27.0
    securityContext:
      readOnlyRootFilesystem: true
      capabilities:
        drop: [ALL]
    livenessProbe: {httpGet: {path: /, port: 80}}
    readinessProbe: {httpGet: {path: /, port: 80}}
    resources:
      requests: {cpu: 100m, memory: 64Mi}
      limits: {cpu: 200m, memory: 128Mi}
"""


class Case:
    def __init__(self, chartlint, work, sanitize):
        self.chartlint, self.work, self.sanitize = chartlint, work, sanitize

    def write(self, name, data):
        path = os.path.join(self.work, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fp:
            fp.write(data if isinstance(data, bytes) else data.encode())
        return name

    def lint(self, *paths, extra=(), timeout=None):
        """Lint paths (relative to the work dir); returns (result, json)."""
        res = cl.run(self.chartlint, ["--format", "json"] + list(extra) + list(paths),
                     timeout or TIMEOUT, cwd=self.work)
        doc = cl.parse_json(res)
        inputs = {}
        for p in paths:
            full = os.path.join(self.work, p)
            if os.path.isfile(full) and not os.path.islink(full):
                with open(full, "rb") as fp:
                    inputs[p] = fp.read()
        cl.check_positions(doc, inputs)
        return res, doc


def expect(cond, msg, res):
    if not cond:
        raise cl.Failure("%s\n%s\nfindings: %s\nerrors: %s" % (
            msg, res.describe(),
            [(f["code"], f["line"], f["message"]) for f in (res.json or {}).get("findings", [])][:20],
            (res.json or {}).get("errors")))


def codes(doc):
    return [f["code"] for f in doc["findings"]]


def objects(doc):
    return doc["summary"].get("objects")


# --- the cases -------------------------------------------------------------------------

def case_malformed(c):
    """A broken document between two good ones: one CL0001 at the broken line, and the
    documents around it are still linted."""
    name = c.write("malformed.yaml", configmap("before") + "---\n"
                   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n"
                   "data: {key: [unclosed\n"
                   "---\n" + configmap("after"))
    res, doc = c.lint(name)
    expect(res.rc == 1, "want exit code 1 (a syntax error is an error finding)", res)
    syn = [f for f in doc["findings"] if f["code"] == "CL0001"]
    expect(len(syn) == 1, "want exactly one CL0001 yaml-syntax finding", res)
    expect(12 <= syn[0]["line"] <= 14, "CL0001 should point into the broken document", res)
    expect(objects(doc) == 2, "the good documents before and after must be linted", res)


def case_malformed_eof(c):
    """An unterminated quoted scalar running to the end of the file."""
    name = c.write("eof.yaml", configmap("before") + '---\nkey: "never closed\nmore')
    res, doc = c.lint(name)
    expect(res.rc == 1, "want exit code 1", res)
    expect("CL0001" in codes(doc), "want a CL0001 yaml-syntax finding", res)
    expect(objects(doc) == 1, "the document before the error must be linted", res)


def case_tabs(c):
    """Tab indentation, a classic hand-edit mistake."""
    name = c.write("tabs.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: t\n")
    res, doc = c.lint(name)
    expect(res.rc == 1 and "CL0001" in codes(doc), "want exit code 1 with CL0001", res)


def case_binary(c):
    """Random bytes with NULs under a .yaml name: one clean syntax finding, not one per
    byte."""
    rnd = random.Random(1234)
    data = bytes(rnd.randrange(256) for _ in range(64 * 1024))
    name = c.write("binary.yaml", b"\x7fELF\x02\x01\x01\x00" + data)
    res, doc = c.lint(name)
    expect(res.rc == 1, "want exit code 1", res)
    expect(codes(doc) and all(x == "CL0001" for x in codes(doc)),
           "want only CL0001 yaml-syntax findings", res)
    expect(len(doc["findings"]) <= 3, "want at most a few findings, not one per byte", res)


def case_nul_in_text(c):
    """A NUL byte inside an otherwise good manifest."""
    name = c.write("nul.yaml", configmap("n").replace("value", "va\x00lue"))
    res, doc = c.lint(name)
    expect(res.rc == 1 and "CL0001" in codes(doc), "want exit code 1 with CL0001", res)
    expect(len(doc["findings"]) <= 3, "want at most a few findings", res)


def case_empty(c):
    """Empty and comment-only files: nothing to lint, nothing wrong."""
    c.write("empty.yaml", b"")
    c.write("comments.yaml", "# only a comment\n---\n# another\n...\n")
    c.write("blank.yaml", "\n\n   \n")
    res, doc = c.lint("empty.yaml", "comments.yaml", "blank.yaml")
    expect(res.rc == 0, "want exit code 0", res)
    expect(doc["findings"] == [] and doc["errors"] == [], "want no findings and no errors", res)
    expect(objects(doc) == 0, "want 0 objects", res)


def case_invalid_utf8(c):
    """Bytes that are not UTF-8 in a scalar: a clean CL0001, and the JSON stays valid."""
    name = c.write("latin1.yaml", configmap("u").encode().replace(b"value", b"caf\xe9 \xff\xfe\xc3\x28"))
    res, doc = c.lint(name)
    expect(res.rc == 1 and "CL0001" in codes(doc), "want exit code 1 with CL0001", res)
    expect(len(doc["findings"]) <= 3, "want at most a few findings", res)


def case_bom(c):
    """A UTF-8 byte order mark is legal YAML: the object is linted normally."""
    name = c.write("bom.yaml", b"\xef\xbb\xbf" + configmap("bom").encode())
    res, doc = c.lint(name)
    expect(res.rc == 0 and doc["findings"] == [], "want exit code 0 and no findings", res)
    expect(objects(doc) == 1, "want 1 object", res)


def big_stream(c, name, target):
    """Write a valid stream of ConfigMaps of about target bytes; returns (name, docs)."""
    doc_tmpl = configmap("cm-%08d", "".join("  k%02d: \"%s\"\n" % (i, "v" * 40)
                                           for i in range(16)))
    size = len(doc_tmpl % 0) + 4
    n = max(1, target // size)
    path = os.path.join(c.work, name)
    with open(path, "w") as fp:
        chunk = []
        for i in range(n):
            chunk.append("---\n" + doc_tmpl % i)
            if len(chunk) == 4096:
                fp.write("".join(chunk))
                chunk = []
        fp.write("".join(chunk))
    return name, n


def case_huge(c):
    """A ~100 MB valid stream (25 MB under sanitizers): linted completely, in time, with
    peak memory below twice the input."""
    target = (25 if c.sanitize else 100) * 1024 * 1024
    name, n = big_stream(c, "huge.yaml", target)
    size = os.path.getsize(os.path.join(c.work, name))
    res, doc = c.lint(name)
    expect(res.rc == 0 and doc["findings"] == [], "want exit code 0 and no findings", res)
    expect(objects(doc) == n, "want all %d objects linted" % n, res)
    if not c.sanitize and res.maxrss_kib:
        rss = res.maxrss_kib * 1024
        expect(rss < 2 * size, "peak RSS %.1f MB is not below twice the input (%.1f MB)"
               % (rss / 1e6, size / 1e6), res)
        print("huge: %.1f MB in %.2f s, peak RSS %.1f MB" % (size / 1e6, res.seconds, rss / 1e6))


def case_huge_scalar(c):
    """One document with a 32 MB scalar on a single line."""
    mb = 8 if c.sanitize else 32
    name = c.write("scalar.yaml", configmap("s", "  big: " + "x" * (mb * 1024 * 1024) + "\n"))
    res, doc = c.lint(name)
    expect(res.rc == 0 and doc["findings"] == [], "want exit code 0 and no findings", res)
    expect(objects(doc) == 1, "want 1 object", res)


def case_many_documents(c):
    """200,000 small documents, each under a helm "# Source:" header, and 200,000 empty
    ones: per-document work must not grow with the stream (no rescans from the start)."""
    n = 50000 if c.sanitize else 200000
    parts = []
    for i in range(n):
        parts.append("---\n# Source: chart/templates/cm-%d.yaml\n" % i)
        parts.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-%d}\n" % i)
        parts.append("---\n")
    name = c.write("many.yaml", "".join(parts))
    res, doc = c.lint(name)
    expect(res.rc == 0 and doc["findings"] == [], "want exit code 0 and no findings", res)
    expect(objects(doc) == n, "want all %d objects linted" % n, res)
    print("many-documents: %d documents in %.2f s" % (2 * n, res.seconds))


def case_wide_mapping(c):
    """One mapping with 300,000 keys, every 1000th repeated: duplicate detection must not
    be quadratic; each repeat is a CL0002 up to the per-document bound (100, then a
    101st saying that further ones are not reported)."""
    n = 60000 if c.sanitize else 300000
    keys = ["  k%d: v\n" % i for i in range(n)]
    keys += ["  k%d: again\n" % i for i in range(0, n, 1000)]
    name = c.write("wide.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\n"
                   "data:\n" + "".join(keys))
    res, doc = c.lint(name)
    dups = [f for f in doc["findings"] if f["code"] == "CL0002"]
    want = min(n // 1000, 101)
    expect(res.rc == 1, "want exit code 1", res)
    expect(len(dups) == want, "want %d CL0002 duplicate-key findings" % want, res)
    expect(dups[0]["line"] == 5 + n, "the first repeat is on line %d" % (5 + n), res)
    if n // 1000 > 101:
        expect("not reported" in dups[-1]["message"],
               "the last reported duplicate should say the rest are not reported", res)


def case_many_anchors(c):
    """100,000 anchors each used once: alias resolution must not be quadratic."""
    n = 20000 if c.sanitize else 100000
    body = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: anchors}", "data:"]
    body += ["  a%d: &x%d v%d" % (i, i, i) for i in range(n)]
    body += ["  b%d: *x%d" % (i, i) for i in range(n)]
    name = c.write("anchors.yaml", "\n".join(body) + "\n")
    res, doc = c.lint(name)
    expect(res.rc == 0 and doc["findings"] == [], "want exit code 0 and no findings", res)
    expect(objects(doc) == 1, "want 1 object", res)


def deep_case(c, name, nested, line=6):
    """A 100,000-deep value inside a ConfigMap, then a good document. Either it parses
    (2 objects, exit 0) or the parser refuses it with one clean CL0001 and goes on with
    the next document (1 object, exit 1); anything else fails."""
    c.write(name, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n"
            "  deep: " + nested + "\n---\n" + configmap("after"))
    res, doc = c.lint(name)
    if "CL0001" in codes(doc):
        expect(res.rc == 1, "a refused document is an error: want exit code 1", res)
        expect(codes(doc) == ["CL0001"], "want exactly one CL0001", res)
        expect(doc["findings"][0]["line"] == line, "CL0001 should point at line %d" % line, res)
        expect(objects(doc) == 1, "the document after the deep one must be linted", res)
    else:
        expect(res.rc == 0 and doc["findings"] == [], "want exit code 0 and no findings", res)
        expect(objects(doc) == 2, "want 2 objects", res)
    print("%s: %s" % (name, "refused with CL0001" if doc["findings"] else "parsed"))


def case_deep_block(c):
    deep_case(c, "deep-block.yaml", "\n  " + "- " * DEEP + "x", line=7)


def case_deep_flow_seq(c):
    deep_case(c, "deep-flow-seq.yaml", "[" * DEEP + "x" + "]" * DEEP)


def case_deep_flow_map(c):
    deep_case(c, "deep-flow-map.yaml", "{a: " * DEEP + "x" + "}" * DEEP)


def laughs(prefix, leaf, levels=9, width=10):
    """Anchor chain &{p}0 .. &{p}{levels}: each level is width aliases of the previous."""
    lines = ["%s0: &%s0 %s" % (prefix, prefix, leaf)]
    for i in range(1, levels + 1):
        lines.append("%s%d: &%s%d [%s]" % (prefix, i, prefix, i,
                                          ", ".join(["*%s%d" % (prefix, i - 1)] * width)))
    return lines


def case_billion_laughs(c):
    """10^9 containers and labels if expanded; fine when aliases are followed lazily."""
    body = "\n".join(["apiVersion: apps/v1", "kind: Deployment",
                      "metadata:", "  name: lol", "  annotations:"] +
                     ["    " + line for line in laughs("a", '"lol"')] +
                     ["spec:", "  selector: {matchLabels: {app: lol}}", "  template:",
                      "    metadata: {labels: {app: lol}}",
                      "    spec:", "      containers: *a9", ""])
    name = c.write("lol.yaml", body)
    res, doc = c.lint(name)
    expect(res.rc == 1, "want exit code 1", res)
    expect("CL0004" in codes(doc), "want CL0004 field-type (containers that are lists)", res)
    expect(len(doc["findings"]) <= 100, "findings must not multiply with the expansion", res)


def case_merge_bomb(c):
    """Merge keys chained 9 levels x 10: a lookup of a missing key must not walk 10^9
    mappings."""
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", "  name: merge", "  annotations:",
             "    m0: &m0 {k: v}"]
    for i in range(1, 10):
        lines.append("    m%d: &m%d {<<: [%s]}" % (i, i, ", ".join(["*m%d" % (i - 1)] * 10)))
    lines += ["spec:", "  <<: *m9", "  containers:", "  - <<: *m9",
              "    name: app", "    image: nginx:1.27.0", ""]
    name = c.write("merge.yaml", "\n".join(lines))
    res, doc = c.lint(name)
    expect(res.rc == 1, "want exit code 1 (the container lacks everything)", res)
    expect("CL1002" in codes(doc), "want CL1002 run-as-non-root for the bare container", res)


def case_alias_cycle(c):
    """An alias inside its own anchored node is undefined in YAML: a clean CL0001 (or a
    normal lint if the parser accepts it), never a hang."""
    name = c.write("cycle.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: c}\n"
                   "spec: &s\n  containers:\n  - name: app\n    image: x:1\n    nested: *s\n")
    res, doc = c.lint(name)
    expect(res.rc == 1, "want exit code 1", res)


WRONG_TYPES = [
    # (name, pod spec YAML at 6 spaces, must give CL0004)
    ("containers-string", "containers: nginx", True),
    ("containers-map", "containers: {name: app, image: x}", True),
    ("container-string", "containers: [nginx]", True),
    ("container-number", "containers: [42]", True),
    ("name-list", "containers: [{name: [a], image: x}]", True),
    ("sc-list", "containers: [{name: app, image: x, securityContext: [a]}]", True),
    ("sc-string", "containers: [{name: app, image: x, securityContext: yes}]", True),
    ("nonroot-string", 'containers: [{name: app, image: x, securityContext: '
                       '{runAsNonRoot: "true"}}]', True),
    ("user-string", 'containers: [{name: app, image: x, securityContext: '
                    '{runAsUser: "abc"}}]', True),
    ("user-float", "containers: [{name: app, image: x, securityContext: "
                   "{runAsUser: 1.5}}]", True),
    ("rofs-map", "containers: [{name: app, image: x, securityContext: "
                 "{readOnlyRootFilesystem: {a: b}}}]", True),
    ("caps-string", "containers: [{name: app, image: x, securityContext: "
                    "{capabilities: ALL}}]", True),
    ("drop-string", "containers: [{name: app, image: x, securityContext: "
                    "{capabilities: {drop: ALL}}}]", True),
    ("drop-nested", "containers: [{name: app, image: x, securityContext: "
                    "{capabilities: {drop: [[ALL]]}}}]", True),
    ("add-map", "containers: [{name: app, image: x, securityContext: "
                "{capabilities: {add: {SYS_ADMIN: true}}}}]", True),
    ("resources-number", "containers: [{name: app, image: x, resources: 5}]", True),
    ("limits-list", "containers: [{name: app, image: x, resources: {limits: [1]}}]", True),
    ("requests-string", "containers: [{name: app, image: x, resources: {requests: big}}]", True),
    ("probe-string", "containers: [{name: app, image: x, livenessProbe: yes}]", True),
    ("probe-list", "containers: [{name: app, image: x, readinessProbe: [a]}]", True),
    ("pod-sc-list", "securityContext: [a]\n      containers: [{name: app, image: x}]", True),
    ("initcontainers-string", "initContainers: nope\n      containers: [{name: app, image: x}]",
     True),
    ("null-everything", "containers: [{name: ~, image: ~, securityContext: ~, resources: ~}]",
     False),
]


def case_wrong_types(c):
    """Every field the checks read, with the wrong type, one Deployment each: CL0004
    where the model knows the type, and never a crash."""
    docs = []
    for name, spec, _ in WRONG_TYPES:
        docs.append("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\nspec:\n"
                    "  selector: {matchLabels: {app: x}}\n  template:\n"
                    "    metadata: {labels: {app: x}}\n    spec:\n      %s\n" % (name, spec))
    # Whole sections of the wrong type.
    docs.append("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: spec-number}\nspec: 7\n")
    docs.append("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: template-list}\n"
                "spec: {template: [a]}\n")
    docs.append("apiVersion: apps/v1\nkind: Deployment\nmetadata: [a]\nspec: {}\n")
    docs.append("apiVersion: [apps/v1]\nkind: Deployment\n")
    docs.append("apiVersion: v1\nkind: {a: b}\n")
    docs.append("apiVersion: v1\nkind: List\nitems: 5\n")
    docs.append("apiVersion: v1\nkind: List\nitems: [5, [a], {kind: Pod}]\n")
    name = c.write("wrong-types.yaml", "---\n".join(docs))
    res, doc = c.lint(name)
    expect(res.rc == 1, "want exit code 1", res)
    expect("CL0001" not in codes(doc), "the input is valid YAML: want no CL0001", res)
    by_obj = {}
    for f in doc["findings"]:
        obj = f.get("object") or {}
        by_obj.setdefault(obj.get("name"), []).append(f["code"])
    missing = [n for n, _, want in WRONG_TYPES if want and "CL0004" not in by_obj.get(n, [])]
    expect(not missing, "want a CL0004 field-type finding for: %s" % ", ".join(missing), res)


def case_symlink_loop(c):
    """A directory whose symlinks lead back up: each file linted once, the loop is a
    diag, the walk ends."""
    root = os.path.join(c.work, "tree")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "sub"))
    c.write("tree/ok.yaml", configmap("ok"))
    c.write("tree/sub/more.yaml", configmap("more"))
    os.symlink(".", os.path.join(root, "self"))
    os.symlink("..", os.path.join(root, "sub", "up"))
    os.symlink("loop-b", os.path.join(root, "loop-a.yaml"))     # file symlinks in a cycle
    os.symlink("loop-a.yaml", os.path.join(root, "loop-b"))
    res, doc = c.lint("tree")
    expect(res.rc == 0, "want exit code 0 (the files are clean)", res)
    expect(doc["findings"] == [], "want no findings", res)
    expect(objects(doc) == 2, "want each file linted exactly once (2 objects)", res)
    expect(len(doc["errors"]) >= 1, "want a diag for the loop", res)


def case_fifo_in_tree(c):
    """A named pipe called *.yaml in a directory walk is not a regular file: skipped or
    a diag, never an open() that blocks forever."""
    root = os.path.join(c.work, "tree")
    os.makedirs(root)
    c.write("tree/ok.yaml", configmap("ok"))
    os.mkfifo(os.path.join(root, "pipe.yaml"))
    res, doc = c.lint("tree")
    expect(res.rc == 0 and doc["findings"] == [], "want exit code 0 and no findings", res)
    expect(objects(doc) == 1, "want ok.yaml linted", res)


def case_unreadable(c):
    """Paths that cannot be read: a diag each; exit code 2 when nothing could be read,
    and the readable input is still linted when there is one."""
    ok = c.write("ok.yaml", configmap("ok"))
    res, doc = c.lint("does-not-exist.yaml")
    expect(res.rc == 2, "nothing readable: want exit code 2", res)
    expect(len(doc["errors"]) == 1 and doc["errors"][0]["file"] == "does-not-exist.yaml",
           "want one diag naming the missing path", res)
    res, doc = c.lint("ok.yaml/child.yaml")
    expect(res.rc == 2 and len(doc["errors"]) == 1, "ENOTDIR: want exit code 2 and a diag", res)
    res, doc = c.lint("does-not-exist.yaml", ok)
    expect(res.rc == 0, "one readable input: want exit code 0", res)
    expect(len(doc["errors"]) == 1 and objects(doc) == 1,
           "want the diag and the readable file linted", res)
    if os.geteuid() != 0:   # root reads mode-000 files, so only an ordinary user can test it
        locked = c.write("locked.yaml", configmap("locked"))
        os.chmod(os.path.join(c.work, locked), 0)
        res, doc = c.lint(locked)
        expect(res.rc == 2 and len(doc["errors"]) == 1, "mode 000: want exit code 2", res)
        os.chmod(os.path.join(c.work, locked), 0o600)


def case_stdin_binary(c):
    """Binary on stdin ("-") is the same as in a file."""
    rnd = random.Random(99)
    data = bytes(rnd.randrange(256) for _ in range(8192))
    res = cl.run(c.chartlint, ["--format", "json", "-"], TIMEOUT, stdin=data, cwd=c.work)
    doc = cl.parse_json(res)
    expect(res.rc == 1 and codes(doc) and all(x == "CL0001" for x in codes(doc)),
           "want exit code 1 with only CL0001", res)
    expect(all(f["file"] == "<stdin>" for f in doc["findings"]), "want file <stdin>", res)


def case_config_file(c):
    """Hostile config files (--config): not YAML, binary, over the size cap, 100,000-deep
    nesting, an alias bomb, wrong types everywhere, a directory. Each is a config-error
    (CL0011) finding at a real line of the config, or a usage error for what cannot be
    read; the manifest is still linted."""
    ok = c.write("ok.yaml", POD_OK)
    rnd = random.Random(5)
    configs = {
        "not-yaml.yaml": "checks: [\n  - a: b: c\n\tversion: {\n",
        "binary.yaml": b"\x00\x01" + bytes(rnd.randrange(256) for _ in range(65536)),
        "huge.yaml": "# padding\n" * ((1 << 20) // 10 + 10),
        "deep.yaml": "checks:\n  enable: " + "[" * DEEP + "]" * DEEP + "\n",
        "deep-map.yaml": "params:\n  x:\n    p: " + "{a: " * DEEP + "b" + "}" * DEEP + "\n",
        "bomb.yaml": "\n".join(laughs("l", "x")) + "\nchecks:\n  enable: *l9\n",
        "types.yaml": "version: [1]\nfail-on: {a: b}\nchecks: 3\nseverity: [x]\n"
                      "params: {x: [1]}\npolicies: {a: b}\nexclude: {a: b}\n"
                      "charts: [a]\nsuppressions: x\n",
    }
    for name, text in configs.items():
        cfg = c.write(name, text)
        res, doc = c.lint(ok, extra=["--config", cfg])
        expect(res.rc == 1, "%s: want exit code 1 (a config error is an error)" % name, res)
        expect("CL0011" in codes(doc), "%s: want a CL0011 config-error finding" % name, res)
        expect(objects(doc) == 1, "%s: the manifest must still be linted" % name, res)
        with open(os.path.join(c.work, cfg), "rb") as fp:
            cl.check_positions(doc, {cfg: fp.read()})
    os.makedirs(os.path.join(c.work, "cfgdir"))
    res = cl.run(c.chartlint, ["--config", "cfgdir", ok], TIMEOUT, cwd=c.work)
    expect(res.rc == 2, "a directory as --config: want exit code 2", res)


CASES = {name[5:].replace("_", "-"): fn for name, fn in sorted(globals().items())
         if name.startswith("case_")}


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(CASES))
        return 0
    args = [a for a in argv[1:] if a != "--sanitize"]
    if len(args) != 3 or args[2] not in CASES:
        print(__doc__, file=sys.stderr)
        return 2
    chartlint, work, name = args
    work = os.path.join(os.path.abspath(work), name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        CASES[name](Case(os.path.abspath(chartlint), work, "--sanitize" in argv))
    except cl.Failure as e:
        print("FAIL %s: %s" % (name, e))
        return 1
    shutil.rmtree(work, ignore_errors=True)      # the huge inputs are not kept around
    print("ok %s" % name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
