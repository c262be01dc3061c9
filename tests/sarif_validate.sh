#!/bin/sh
# sarif_validate.sh -- every SARIF golden file through the shared validator
# (SHARED_DIR/tools/validate-sarif.sh: the OASIS schema, GitHub's ingestion rules and
# Microsoft's SARIF multitool), with warnings counted as errors.
#   sh sarif_validate.sh SOURCE_DIR SHARED_DIR
# The golden tests prove chartlint prints these files byte for byte, so validating them
# validates the output. Exit 0 valid, 1 invalid, 77 skipped: the validator is absent or
# cannot set itself up (its npm packages are fetched on first use) -- but under CI=true
# a skip is a failure.
set -u
src=$1 shared=$2
tool=$shared/tools/validate-sarif.sh

skip() {
    if [ "${CI:-}" = true ]; then
        echo "sarif_validate: FAIL (CI=true): $1"
        exit 1
    fi
    echo "sarif_validate: SKIP: $1"
    exit 77
}

[ -f "$tool" ] || skip "no validator at $tool (set CHARTLINT_SHARED_DIR)"
set -- "$src"/testdata/golden/sarif/*/expected.sarif.json
[ -f "$1" ] || { echo "sarif_validate: no SARIF golden files under $src/testdata/golden/sarif"; exit 1; }
bash "$tool" --strict -q "$@"
rc=$?
case $rc in
0) echo "sarif_validate: $# files valid"; exit 0 ;;
2) skip "the validator could not set itself up (node, npm or its packages missing)" ;;
*) echo "sarif_validate: FAIL: invalid SARIF (see above)"; exit 1 ;;
esac
