#!/bin/sh
# policy_fixtures.sh CHARTLINT PACKDIR -- run the fixtures of a policy pack as the pack
# format defines them: for each tests/<rule>/ folder, only <pack>.<rule> enabled, every
# pass*.yaml gives no finding and every fail*.yaml gives exactly fail*.expected (text,
# no colour, quiet, paths relative to the folder). CHARTLINT_UPDATE=1 rewrites them.
set -u
bin=$1 pack=$(cd "$2" && pwd)
case $bin in /*) ;; */*) bin=$(pwd)/$bin ;; esac
name=$(basename "$pack")
failures=0 cases=0
for dir in "$pack"/tests/*/; do
    rule=$(basename "$dir")
    for f in "$dir"pass*.yaml "$dir"fail*.yaml; do
        [ -e "$f" ] || continue
        base=$(basename "$f")
        cases=$((cases + 1))
        out=$(cd "$dir" && "$bin" --policy "$pack" --only "$name.$rule" --no-color -q "$base")
        case $base in
        pass*)
            if [ -n "$out" ]; then
                echo "FAIL $name.$rule: $base: expected no finding, got:"; echo "$out"
                failures=$((failures + 1))
            fi ;;
        *)
            exp="${f%.yaml}.expected"
            if [ "${CHARTLINT_UPDATE:-}" = 1 ]; then
                printf '%s\n' "$out" > "$exp"
            elif [ -z "$out" ] || ! printf '%s\n' "$out" | diff -u "$exp" - ; then
                echo "FAIL $name.$rule: $base: output differs from $(basename "$exp")"
                failures=$((failures + 1))
            fi ;;
        esac
    done
done
echo "$name: $cases cases, $failures failed"
[ "$cases" -gt 0 ] && [ "$failures" -eq 0 ]
