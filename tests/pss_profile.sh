#!/bin/sh
# pss_profile.sh CHARTLINT ROOT -- the whole policies/pss-restricted pack at once: the
# compliant workloads of testdata/policies give no finding of the pack, the violating
# pod gives a finding of every one of its rules, a rendered chart's findings point
# at its templates, and no rule of the bundled packs fails on badly shaped objects.
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
# a chart chartlint renders: findings at the template line that wrote the container
out=$(cd "$root" && "$bin" --no-color -q --policy policies/pss-restricted \
          --only pss-restricted.seccomp-profile-restricted testdata/charts/my-app)
if ! echo "$out" | grep -q '^testdata/charts/my-app/templates/database-statefulset.yaml:28:9: error\[pss-restricted.seccomp-profile-restricted\] neither the pod nor container "postgres" sets securityContext.seccompProfile'; then
    echo "FAIL: no finding at the template line of the chart's postgres container:"; echo "$out"
    fail=1
fi
# wrong shapes everywhere: findings maybe, rule failures never
out=$("$bin" --no-color -q --policy "$pack" --policy "$root/policies/acme" \
          "$root/testdata/policies/bad-shapes.yaml")
if echo "$out" | grep -q 'policy-error'; then
    echo "FAIL: a rule failed on badly shaped input:"; echo "$out" | grep 'policy-error'
    fail=1
fi
[ "$fail" -eq 0 ] && echo "ok: $n rules"
exit "$fail"
