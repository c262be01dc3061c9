#!/bin/sh
# docs.sh -- fail when docs/checks/ differs from what the registry generates.
#   docs.sh CHARTLINT DOCS_CHECKS_DIR
set -u
bin=$1 want=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$bin" docs --out "$tmp/checks" || { echo "docs: chartlint docs failed"; exit 1; }
if ! diff -ru "$want" "$tmp/checks"; then
    echo "docs: docs/checks is out of date: run \`chartlint docs --out docs/checks\`"
    exit 1
fi
echo "docs: docs/checks is up to date"
