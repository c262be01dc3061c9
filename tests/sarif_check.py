#!/usr/bin/env python3
"""sarif_check.py -- validate a SARIF file from chartlint.

    sarif_check.py FILE [SCHEMA]

Checks the OASIS SARIF 2.1.0 schema (with python3-jsonschema, when SCHEMA is given
and readable; skipped with a note otherwise unless CI=true) and the rules GitHub code
scanning applies on upload: rules defined and indexed, results with a relative URI and a
region, ordered regions, suppressions on all results or none.
"""
import json
import os
import re
import sys


def fail(msg):
    print("sarif: %s" % msg)
    sys.exit(1)


def check_schema(doc, schema_path):
    ci = os.environ.get("CI") == "true"
    if not schema_path or not os.path.isfile(schema_path):
        if ci:
            fail("schema %r not found (CI=true)" % schema_path)
        print("sarif: note: schema not found, skipping schema validation")
        return
    try:
        import jsonschema
    except ImportError:
        if ci:
            fail("python3-jsonschema is not installed (CI=true)")
        print("sarif: note: python3-jsonschema missing, skipping schema validation")
        return
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str)
    if errors:
        e = errors[0]
        fail("schema: %s at %s" % (e.message, "/".join(map(str, e.absolute_path))))


def check_location(where, loc):
    phys = loc.get("physicalLocation") or fail("%s: no physicalLocation" % where)
    uri = phys.get("artifactLocation", {}).get("uri")
    if not uri:
        fail("%s: no artifactLocation.uri" % where)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri) or uri.startswith("/") or "\\" in uri \
            or ".." in uri.split("/"):
        fail("%s: uri %r is not relative" % (where, uri))
    region = phys.get("region") or fail("%s: no region" % where)
    start = region.get("startLine")
    if not isinstance(start, int) or start < 1:
        fail("%s: bad startLine %r" % (where, start))
    end = region.get("endLine", start)
    if end < start:
        fail("%s: endLine before startLine" % where)
    if end == start and region.get("endColumn", region.get("startColumn", 1)) < \
            region.get("startColumn", 1):
        fail("%s: endColumn before startColumn" % where)


def check_github(doc, relative):
    if doc.get("version") != "2.1.0":
        fail("version is not 2.1.0")
    for run in doc.get("runs", []):
        driver = run["tool"]["driver"]
        if not driver.get("name"):
            fail("tool.driver.name is empty")
        rules = driver.get("rules")
        if not isinstance(rules, list):
            fail("tool.driver.rules missing")
        ids = [r["id"] for r in rules]
        if len(set(ids)) != len(ids):
            fail("duplicate rule ids")
        for r in rules:
            for key in ("shortDescription", "fullDescription", "help"):
                if not r.get(key, {}).get("text"):
                    fail("rule %s: no %s.text" % (r["id"], key))
        suppressed = set()
        for i, res in enumerate(run.get("results", [])):
            where = "result %d" % i
            if not res.get("message", {}).get("text"):
                fail("%s: empty message" % where)
            if res.get("ruleId") not in ids:
                fail("%s: ruleId %r not in rules" % (where, res.get("ruleId")))
            if "ruleIndex" in res and ids[res["ruleIndex"]] != res["ruleId"]:
                fail("%s: ruleIndex does not point at %s" % (where, res["ruleId"]))
            locs = res.get("locations") or fail("%s: no locations" % where)
            for loc in locs + res.get("relatedLocations", []):
                if relative:
                    check_location(where, loc)
            suppressed.add("suppressions" in res)
        if len(suppressed) > 1:
            fail("suppressions present on some results only")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as f:
        try:
            doc = json.load(f)
        except ValueError as e:
            fail("not JSON: %s" % e)
    check_schema(doc, sys.argv[2] if len(sys.argv) > 2 else None)
    check_github(doc, relative=os.environ.get("SARIF_ABSOLUTE_OK") != "1")
    print("sarif: valid")


if __name__ == "__main__":
    main()
