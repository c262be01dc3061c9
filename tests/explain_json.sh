#!/bin/sh
# explain_json.sh -- `rules --format json` and `explain CODE --format json` for every
# check print documents that parse, each with the check's code.
#   explain_json.sh CHARTLINT
set -u
bin=$1
command -v python3 > /dev/null || { echo "explain: python3 missing"; exit 1; }
"$bin" rules --format json | python3 -c '
import json, sys
rules = json.load(sys.stdin)
assert isinstance(rules, list) and rules, "rules: not a non-empty array"
for r in rules:
    assert r["code"] and r["name"] and r["summary"], r
' || { echo "explain: rules --format json is not a valid rule list"; exit 1; }
codes=$("$bin" rules | awk 'NR > 1 { print $1 }')
[ -n "$codes" ] || { echo "explain: rules listed no check"; exit 1; }
for code in $codes; do
    "$bin" explain "$code" --format json | python3 -c '
import json, sys
doc = json.load(sys.stdin)
assert doc["code"] == sys.argv[1], (doc["code"], sys.argv[1])
' "$code" || { echo "explain: explain $code --format json is not valid"; exit 1; }
done
echo "explain: rules and $(echo "$codes" | wc -l) explain documents are valid JSON"
