#!/bin/sh
# baseline.sh -- the baseline round trip through the binary (docs/baseline.md):
#   baseline.sh CHARTLINT WORK_DIR
# write a baseline, lint again (exit 0, findings suppressed with kind "baseline"),
# change one thing (only the new finding fails), remove a cause (its entry is stale,
# CL0012 at the entry's line), identical findings need one entry each, a broken
# baseline is a usage error, and SARIF leaves baselined results out.
set -u
bin=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

pod() {   # pod NAME CONTAINER...: a Pod whose containers lack readOnlyRootFilesystem
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n  containers:\n' "$1"
    shift
    for c in "$@"; do
        printf '  - name: %s\n    image: nginx:1.27.0\n' "$c"
    done
}
lint() { "$bin" -q --no-color --only read-only-root-fs --enable stale-baseline "$@"; }

mkdir m
pod web app side > m/web.yaml
lint m > out.txt; rc=$?
[ $rc -eq 1 ] || fail "plain lint: exit $rc, expected 1"

lint --write-baseline base.json m > out.txt; rc=$?
[ $rc -eq 0 ] || fail "--write-baseline: exit $rc, expected 0"
grep -q '"version": 1' base.json || fail "baseline has no version 1"
[ "$(grep -c '"fingerprint"' base.json)" -eq 2 ] || fail "baseline should list 2 findings"
lint --write-baseline base2.json m > /dev/null
cmp -s base.json base2.json || fail "writing the same findings twice gives different files"

lint --baseline base.json m > out.txt; rc=$?
[ $rc -eq 0 ] || { fail "lint with the baseline: exit $rc, expected 0"; cat out.txt; }
lint --baseline base.json --format json m > out.json
python3 - out.json <<'PY' || fail "json: baselined findings not shown suppressed"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["code"] == "CL1001"]
assert len(f) == 2, f
assert all(x["suppressed"] and x["suppression"]["kind"] == "baseline" for x in f), f
assert d["summary"]["suppressed"] == 2, d["summary"]
PY

# a new container: only its finding fails
pod web app side extra > m/web.yaml
lint --baseline base.json m > out.txt; rc=$?
[ $rc -eq 1 ] || fail "new finding: exit $rc, expected 1"
[ "$(grep -c 'read-only-root-fs' out.txt)" -eq 1 ] && grep -q 'container "extra"' out.txt ||
    { fail "new finding: only the new container should be reported"; cat out.txt; }

# the cause removed: the entry is stale, at its line of the baseline
pod web app > m/web.yaml
lint --baseline base.json m > out.txt; rc=$?
[ $rc -eq 0 ] || fail "stale entry: exit $rc, expected 0 (info)"
line=$(grep -n '"container": "side"' base.json | cut -d: -f1)
grep -q "^base.json:$((line - 5)):5: info\[stale-baseline\] .*\"read-only-root-fs\"" out.txt ||
    { fail "stale entry not reported at its line ($((line - 5)))"; cat out.txt; }
"$bin" -q --no-color --only liveness-probe --enable stale-baseline --baseline base.json m \
    > out.txt
grep -q stale-baseline out.txt && fail "entries of a check that did not run are not stale"
lint --baseline base.json --disable stale-baseline m > out.txt
grep -q stale-baseline out.txt && fail "--disable stale-baseline still reports it"

# two identical findings (same object, same path) need two entries
pod web app > m/web.yaml
{ pod web app; echo '---'; pod web app; } > m/web.yaml
lint --write-baseline two.json m > /dev/null
[ "$(grep -c '"fingerprint"' two.json)" -eq 2 ] || fail "two identical findings: 2 entries"
python3 - two.json one.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["findings"] = d["findings"][:1]
open(sys.argv[2], "w").write(json.dumps(d, indent=2) + "\n")
PY
lint --baseline one.json m > out.txt; rc=$?
[ $rc -eq 1 ] && [ "$(grep -c 'read-only-root-fs' out.txt)" -eq 1 ] ||
    { fail "one entry must accept one of two identical findings (exit $rc)"; cat out.txt; }

# SARIF leaves baselined results out unless --sarif-suppressed
lint --baseline two.json --format sarif --sarif-root . m > out.sarif
grep -q '"ruleId": "read-only-root-fs"' out.sarif && fail "sarif: baselined result present"
lint --baseline two.json --format sarif --sarif-root . --sarif-suppressed m > out.sarif
grep -q '"kind": "external"' out.sarif || fail "sarif --sarif-suppressed: no external suppression"

# broken baselines are usage errors naming the place
printf '{"version": 2, "findings": []}\n' > v2.json
lint --baseline v2.json m > out.txt 2> err.txt; rc=$?
[ $rc -eq 2 ] && grep -q 'v2.json:1:13: unsupported baseline version' err.txt ||
    { fail "version 2: exit $rc"; cat err.txt; }
printf '{"version": 1, "findings": [{"check": "x"}]}\n' > nofp.json
lint --baseline nofp.json m > out.txt 2> err.txt; rc=$?
[ $rc -eq 2 ] && grep -q 'nofp.json:1:29: baseline entry 1 has no "fingerprint"' err.txt ||
    { fail "entry without fingerprint: exit $rc"; cat err.txt; }
printf '{"version": 1, "findings": [' > trunc.json
lint --baseline trunc.json m > out.txt 2> err.txt; rc=$?
[ $rc -eq 2 ] && grep -q 'trunc.json:.*invalid json' err.txt ||
    { fail "truncated json: exit $rc"; cat err.txt; }
lint --baseline missing.json m > out.txt 2> err.txt; rc=$?
[ $rc -eq 2 ] && grep -q 'missing.json: cannot read the baseline' err.txt ||
    { fail "missing baseline: exit $rc"; cat err.txt; }
lint --write-baseline nodir/b.json m > out.txt 2> err.txt; rc=$?
[ $rc -eq 2 ] && grep -q 'nodir/b.json: cannot write the baseline' err.txt ||
    { fail "unwritable baseline: exit $rc"; cat err.txt; }

[ $fails -eq 0 ] && echo "baseline: all passed"
[ $fails -eq 0 ]
