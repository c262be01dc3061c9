#!/bin/sh
# pss_profile.sh CHARTLINT ROOT -- the whole policies/pss-restricted pack at once: the
# compliant workloads of testdata/policies give no finding of the pack, and the
# violating pod gives a finding of every one of its rules.
set -u
bin=$1 root=$2
pack=$root/policies/pss-restricted
fail=0
out=$("$bin" --no-color -q --policy "$pack" "$root/testdata/policies/pss-compliant.yaml")
if echo "$out" | grep -q '\[pss-restricted\.'; then
    echo "FAIL: the compliant workloads give findings:"; echo "$out" | grep '\[pss-restricted\.'
    fail=1
fi
out=$("$bin" --no-color -q --policy "$pack" "$root/testdata/policies/pss-violations.yaml")
n=0
for rule in "$pack"/rules/*.lua; do
    id=pss-restricted.$(basename "$rule" .lua)
    n=$((n + 1))
    if ! echo "$out" | grep -q "error\[$id\]"; then
        echo "FAIL: $id does not fire on the violating pod"
        fail=1
    fi
done
[ "$n" -ge 15 ] || { echo "FAIL: only $n rules in $pack"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok: $n rules"
exit "$fail"
