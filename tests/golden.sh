#!/bin/sh
# golden.sh -- run one reporter golden case through the chartlint binary.
#
#   golden.sh CHARTLINT CASE_DIR FORMAT EXT VERSION [SHARED_DIR]
#
# The case directory holds input.yaml and optionally:
#   args    arguments, one per line, replacing the default "input.yaml" (paths are
#           relative to the case directory, where chartlint runs; "-" reads stdin.yaml)
# and the expectations:
#   expected.EXT     standard output, byte for byte (the tool version reads @VERSION@)
#   expected.stderr  standard error (absent: must be empty)
#   expected.exit    the exit code
# CHARTLINT_UPDATE=1 rewrites the expectations from the actual output instead.
# JSON output must parse, JUnit output be well-formed XML of JUnit's structure
# (junit_check.py); SARIF output must pass sarif_check.py (the schema in
# SHARED_DIR/schemas and GitHub's upload rules).
set -u
bin=$1 case=$2 format=$3 ext=$4 version=$5 shared=${6:-}
here=$(cd "$(dirname "$0")" && pwd)

cd "$case" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

set -- --format "$format"
# SARIF URIs are relative to the git top level by default: pin them to the case.
[ "$format" = sarif ] && set -- "$@" --sarif-root .
if [ -f args ]; then
    while IFS= read -r a || [ -n "$a" ]; do
        set -- "$@" "$a"
    done < args
else
    set -- "$@" input.yaml
fi
stdin=/dev/null
[ -f stdin.yaml ] && stdin=stdin.yaml

NO_COLOR=1 "$bin" "$@" < "$stdin" > "$tmp/out" 2> "$tmp/err"
echo $? > "$tmp/exit"
# Pin the version so a release does not rewrite every golden file.
sed -E "s/\"(version|semanticVersion)\": \"$version\"(,?)\$/\"\\1\": \"@VERSION@\"\\2/" "$tmp/out" \
    > "$tmp/out.pinned"

if { [ "$format" = json ] || [ "$format" = gitlab ]; } && command -v python3 > /dev/null; then
    python3 -m json.tool "$tmp/out" > /dev/null ||
        { echo "golden: $case: output is not valid JSON"; exit 1; }
fi
if { [ "$format" = junit ] || [ "$format" = checkstyle ]; } && command -v python3 > /dev/null; then
    python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$tmp/out" ||
        { echo "golden: $case: output is not well-formed XML"; exit 1; }
fi
if [ "$format" = junit ] && command -v python3 > /dev/null; then
    python3 "$here/junit_check.py" "$tmp/out" ||
        { echo "golden: $case: output is not a well-structured JUnit report"; exit 1; }
fi
if [ "$format" = sarif ]; then
    python3 "$here/sarif_check.py" "$tmp/out" "$shared/schemas/sarif-schema-2.1.0.json" ||
        { echo "golden: $case: output is not valid SARIF"; exit 1; }
fi

if [ "${CHARTLINT_UPDATE:-}" = 1 ]; then
    cp "$tmp/out.pinned" "expected.$ext"
    cp "$tmp/exit" expected.exit
    if [ -s "$tmp/err" ]; then cp "$tmp/err" expected.stderr; else rm -f expected.stderr; fi
    echo "golden: $case: updated"
    exit 0
fi

fail=0
[ -f "expected.$ext" ] || { echo "golden: $case: no expected.$ext (run with CHARTLINT_UPDATE=1)"; exit 1; }
if ! cmp -s "expected.$ext" "$tmp/out.pinned"; then
    echo "golden: $case: standard output differs from expected.$ext:"
    diff -u "expected.$ext" "$tmp/out.pinned" | sed 's/^/    /'
    fail=1
fi
errwant=expected.stderr
[ -f expected.stderr ] || { : > "$tmp/none"; errwant="$tmp/none"; }
if ! cmp -s "$errwant" "$tmp/err"; then
    echo "golden: $case: standard error differs:"
    diff -u "$errwant" "$tmp/err" | sed 's/^/    /'
    fail=1
fi
if ! cmp -s expected.exit "$tmp/exit"; then
    echo "golden: $case: exit code $(cat "$tmp/exit"), expected $(cat expected.exit 2>/dev/null)"
    fail=1
fi
[ $fail = 0 ] && echo "golden: $case: ok"
exit $fail
