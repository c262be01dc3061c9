#!/usr/bin/env python3
"""config_schema.py -- docs/chartlint.schema.json agrees with the config parser.

    python3 config_schema.py SOURCE_DIR KEYS_PROGRAM CHARTLINT WORKDIR

- the key paths the schema describes equal those the parser knows (KEYS_PROGRAM prints
  them from the parser's own key tables), so neither can gain a key alone;
- the example of docs/config.md is valid against the schema and lints with no
  config-error or policy-error; README's example is valid against the schema;
- configs the schema rejects are config errors for chartlint too, and the other way.
Prints "ok NAME" or "FAIL NAME: why"; exit 1 on any failure."""
import json
import os
import re
import shutil
import subprocess
import sys

import jsonschema
import yaml

SRC, KEYS, BIN, WORK = sys.argv[1:5]
failures = 0


def check(name, cond, why=""):
    global failures
    if cond:
        print("ok", name)
    else:
        print("FAIL %s: %s" % (name, why))
        failures += 1


schema = json.load(open(os.path.join(SRC, "docs", "chartlint.schema.json")))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)


def resolve(node):
    while isinstance(node, dict) and "$ref" in node and len(node) <= 2:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    return node


def schema_keys(node, prefix, out):
    """Dotted key paths of the object properties reachable from node."""
    node = resolve(node)
    if not isinstance(node, dict):
        return
    for key, sub in node.get("properties", {}).items():
        out.add(prefix + key)
        schema_keys(sub, prefix + key + ".", out)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        schema_keys(extra, prefix + "*.", out)
    if "items" in node:
        schema_keys(node["items"], prefix[:-1] + "[]." if prefix else "[].", out)
    for alt in node.get("oneOf", []) + node.get("anyOf", []):
        schema_keys(alt, prefix, out)


have = set()
schema_keys(schema, "", have)
parser = set(subprocess.run([KEYS], check=True, capture_output=True, text=True).stdout.split())
check("keys-schema-has-parser-keys", parser <= have, "missing in schema: %s" % sorted(parser - have))
check("keys-parser-has-schema-keys", have <= parser, "unknown to the parser: %s" % sorted(have - parser))

# the documented example
doc = open(os.path.join(SRC, "docs", "config.md")).read()
m = re.search(r"<!-- example:.*?-->\s*```yaml\n(.*?)```", doc, re.S)
check("example-found", m is not None, "no example block in docs/config.md")
example = m.group(1) if m else "{}"
errors = [e.message for e in validator.iter_errors(yaml.safe_load(example))]
check("example-valid", not errors, "; ".join(errors))

readme = open(os.path.join(SRC, "README.md")).read()
m = re.search(r"## Configuration\n.*?```yaml\n(.*?)```", readme, re.S)
check("readme-example-found", m is not None, "no config example under README's Configuration")
errors = [e.message for e in validator.iter_errors(yaml.safe_load(m.group(1) if m else "{}"))]
check("readme-example-valid", not errors, "; ".join(errors))

shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(os.path.join(WORK, "ci"))
os.symlink(os.path.join(SRC, "policies"), os.path.join(WORK, "policies"))
open(os.path.join(WORK, "ci", "web-values.yaml"), "w").write("replicaCount: 1\n")
open(os.path.join(WORK, ".chartlint.yaml"), "w").write(example)
open(os.path.join(WORK, "pod.yaml"), "w").write(
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
    "  containers:\n  - name: app\n    image: nginx:1.27.0\n")


def lint(config_text):
    path = os.path.join(WORK, "case.yaml")
    open(path, "w").write(config_text)
    r = subprocess.run([BIN, "--config", path, "--format", "json", "pod.yaml"], cwd=WORK,
                       capture_output=True, text=True)
    out = json.loads(r.stdout)
    return [f for f in out["findings"] if f["check"] in ("config-error", "policy-error")]


r = subprocess.run([BIN, "--format", "json", "pod.yaml"], cwd=WORK, capture_output=True, text=True)
try:
    found = json.loads(r.stdout)["findings"]
except ValueError:
    found = None
bad = [f for f in found or [] if f["check"] in ("config-error", "policy-error")]
check("example-lints", found is not None and not bad, r.stdout + r.stderr)

# both sides agree on what is valid
cases = [
    ("unknown-top-key", "colour: true\n", False),
    ("unknown-checks-key", "checks:\n  disabel: [x]\n", False),
    ("bad-level", "fail-on: fatal\n", False),
    ("bad-version", "version: 2\n", False),
    ("reason-missing", "suppressions:\n  - checks: [liveness-probe]\n", False),
    ("reason-blank", "suppressions:\n  - checks: [liveness-probe]\n    reason: ' '\n", False),
    ("checks-missing", "suppressions:\n  - reason: r\n", False),
    ("checks-empty", "suppressions:\n  - checks: []\n    reason: r\n", False),
    ("chart-unknown-key", "charts:\n  web:\n    valeus: [a.yaml]\n", False),
    ("policy-unknown-key", "policies:\n  - {path: policies/acme, x: 1}\n", False),
    ("param-list-comma", "params:\n  dangerous-capabilities:\n    allowed: ['a,b']\n", False),
    ("scalar-lists", "checks:\n  disable: liveness-probe\nexclude: vendor\n", True),
    ("empty", "", True),
    ("minimal", "version: 1\n", True),
]
for name, text, valid in cases:
    data = yaml.safe_load(text)
    schema_ok = not list(validator.iter_errors(data if data is not None else {}))
    errs = lint(text)
    check("agree-" + name, schema_ok == valid and (not errs) == valid,
          "schema says %s, chartlint says %s, want %s: %s" % (
              schema_ok, not errs, valid, [e["message"] for e in errs]))

sys.exit(1 if failures else 0)
