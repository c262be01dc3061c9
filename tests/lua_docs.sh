#!/bin/sh
# lua_docs.sh CHARTLINT DOC -- the tutorial rule of docs/lua-api.md works as documented:
# extracted from the first ```lua block, loaded as pack "acme", it reports a Deployment
# without an owner label and not one with it.
set -eu
bin=$1 doc=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/acme"
awk '/^```lua$/ && !done {on=1; next} /^```$/ && on {on=0; done=1} on' "$doc" \
    > "$tmp/acme/require-owner-label.lua"
test -s "$tmp/acme/require-owner-label.lua" || { echo "no lua block in $doc"; exit 1; }
cat > "$tmp/bad.yaml" <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {template: {spec: {containers: [{name: app}]}}}
Y
sed 's/{name: web}/{name: web, labels: {owner: team-a}}/' "$tmp/bad.yaml" > "$tmp/good.yaml"
out=$("$bin" --only acme.require-owner-label --policy "$tmp/acme" "$tmp/bad.yaml" || true)
echo "$out"
echo "$out" | grep -q 'bad.yaml:3:11: warning\[acme.require-owner-label\] object "web" has no owner label (Deployment/web)' \
    || { echo "FAIL: tutorial rule did not report"; exit 1; }
"$bin" --only acme.require-owner-label --policy "$tmp/acme" "$tmp/good.yaml" \
    || { echo "FAIL: tutorial rule reported a labelled object"; exit 1; }
echo ok
