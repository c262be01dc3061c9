#!/bin/sh
# docs_example.sh -- the example in docs/json-format.md is real output, not prose.
#   docs_example.sh CHARTLINT DOCS_DIR TESTDATA_DIR
# The first ```json block of json-format.md must equal what
# `chartlint --format json input.yaml missing.yaml` prints in golden/text/notes
# (the tool version aside).
set -u
bin=$1 docs=$2 testdata=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

pin() { sed -E 's/^    "version": "[^"]*"$/    "version": "@VERSION@"/'; }
awk '/^```json$/ { if (!done) { on = 1; next } } /^```$/ { if (on) { on = 0; done = 1 } }
     on { print }' "$docs/json-format.md" | pin > "$tmp/doc"
(cd "$testdata/golden/text/notes" && "$bin" --format json input.yaml missing.yaml 2>/dev/null) |
    pin > "$tmp/actual"
[ -s "$tmp/doc" ] || { echo "docs: no json example in json-format.md"; exit 1; }
if ! diff -u "$tmp/doc" "$tmp/actual"; then
    echo "docs: the example in docs/json-format.md no longer matches chartlint's output"
    exit 1
fi
echo "docs: json-format.md example is current"
