#!/bin/sh
# packs.sh -- `chartlint test` on the packs of testdata/packs: exit codes and output.
#   packs.sh CHARTLINT PACKS_DIR
# tiny passes (0); wrong's fixture expects other findings (1, with a diff); broken's
# pack.yaml has errors, each printed at its line:col (2); a missing pack and no pack at
# all are usage errors (2); --update rewrites an .expected file to what the rule gives.
set -u
bin=$1 packs=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

# expect NAME CODE PATTERN... -- ARGS: the exit code is CODE and stdout (or stderr) holds
# every fixed-string PATTERN.
expect() {
    name=$1 want=$2
    shift 2
    pats=""
    while [ "$1" != "--" ]; do
        pats="$pats
$1"
        shift
    done
    shift
    "$bin" "$@" > "$tmp/out" 2>&1
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: exit $got, expected $want"
        sed 's/^/    /' "$tmp/out"
        failed=1
        return
    fi
    echo "$pats" | while IFS= read -r p; do
        [ -z "$p" ] && continue
        grep -qF -- "$p" "$tmp/out" || { echo "FAIL $name: output lacks: $p"; sed 's/^/    /' "$tmp/out"; exit 1; }
    done || { failed=1; return; }
    echo "ok   $name"
}

expect tiny 0 "PASS tiny.no-default-namespace (2 cases)" \
    "1 rule passed, 0 failed (2 cases in 1 pack)" -- test "$packs/tiny"
expect wrong 1 "FAIL wrong.no-default-namespace: fail-missing.yaml: expected 2 finding lines" \
    "--- fail-missing.expected" "+++ actual output" \
    '-fail-missing.yaml:10:14: error[wrong.no-default-namespace] service "web" is in the forbidden namespace "default"' \
    '+fail-missing.yaml:10:14: warning[wrong.no-default-namespace] service "web" is in the forbidden namespace "kube-system"' \
    "0 rules passed, 1 failed" -- test "$packs/wrong"
expect broken 2 "broken/pack.yaml:3:10: error[policy-error] version \"one\" is not a semantic version" \
    "broken/pack.yaml:5:24: error[policy-error] rules entry \"../tiny/rules/*.lua\" must be a path inside the pack" \
    "broken/pack.yaml:7:12: error[policy-error] checks.enable: unknown check \"no-such-check\"" \
    "broken/pack.yaml:8:1: error[policy-error] unknown key \"colour\"" \
    "a pack did not load cleanly" -- test "$packs/broken"
expect both 1 "PASS tiny.no-default-namespace" "FAIL wrong.no-default-namespace" \
    "1 rule passed, 1 failed (4 cases in 2 packs)" -- test "$packs/tiny" "$packs/wrong"
expect missing 2 "cannot read policy pack" -- test "$packs/no-such-pack"
expect none 2 "test needs policy pack directories" -- test
expect update-elsewhere 2 "--update is only for 'chartlint test'" -- --update "$packs"

# --update: a copy of wrong gets tiny's expectations back and then passes
cp -R "$packs/wrong" "$tmp/wrong"
expect update 0 "updated" -- test --update "$tmp/wrong"
expect updated 0 "PASS wrong.no-default-namespace (2 cases)" -- test "$tmp/wrong"

# the pack's rules lint like any check, pack.yaml's params applied, --policy-param over them
expect lint 1 'warning[tiny.no-default-namespace] service "web" is in the forbidden namespace "kube-system"' \
    -- --policy "$packs/tiny" "$packs/tiny/tests/no-default-namespace/fail-missing.yaml"
expect param 1 'is in the forbidden namespace "shop"' -- --policy "$packs/tiny" \
    --policy-param tiny.no-default-namespace.forbidden=default,shop \
    "$packs/tiny/tests/no-default-namespace/pass-namespaced.yaml"
expect param-unknown 2 'no param "nope"' -- --policy "$packs/tiny" \
    --policy-param tiny.no-default-namespace.nope=1 "$packs/tiny/tests/no-default-namespace/pass-namespaced.yaml"
expect param-pack 2 'no pack "acme" is loaded' -- --policy "$packs/tiny" \
    --policy-param acme.x.y=1 "$packs/tiny/tests/no-default-namespace/pass-namespaced.yaml"
expect param-syntax 2 "expected PACK.RULE.PARAM=VALUE" -- --policy "$packs/tiny" \
    --policy-param tiny=1 "$packs/tiny/tests/no-default-namespace/pass-namespaced.yaml"
# rules, explain and docs list a pack's rules with --policy, by their PACK.RULE ids
expect rules 0 "tiny.no-default-namespace" "pack tiny" "built-in Lua" -- rules --policy "$packs/tiny"
expect explain 0 "tiny.no-default-namespace" "source:      pack tiny" \
    'forbidden (string list, default "default,kube-system")' \
    -- explain tiny.no-default-namespace --policy "$packs/tiny"
expect explain-json 0 '"source": "pack tiny"' -- explain tiny.no-default-namespace --format json \
    --policy "$packs/tiny"
expect explain-nopack 2 'unknown check "tiny.no-default-namespace"' -- explain tiny.no-default-namespace
expect docs 0 "" -- docs --out "$tmp/docs" --policy "$packs/tiny"
grep -q "pack tiny" "$tmp/docs/tiny.no-default-namespace.md" ||
    { echo "FAIL docs: no page for the pack rule"; failed=1; }
exit $failed
