#!/bin/sh
# config_per_input.sh -- a config per input: `chartlint a b` in a repository where a/ and
# b/ each have a .chartlint.yaml lints each with its own (docs/config.md, "Where chartlint
# finds it"): selection, policy packs and their params, severities, suppressions and
# the fail level, in either order and alternating, with each config's errors reported
# once; --config still applies to every input.
#   sh config_per_input.sh CHARTLINT WORKDIR
# Every case prints "ok NAME" or "FAIL NAME: why" (with the output); exit 1 on any failure.
set -u
BIN=$1
WORK=$2
failures=0
# shellcheck source=tests/cli_lib.sh
. "$(dirname "$0")/cli_lib.sh"
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1

mkdir -p repo/.git repo/packs/echo repo/a repo/b repo/c
cd repo || exit 1
cat >packs/echo/echo.lua <<'LUA'
return { id = "echo", severity = "warning", kinds = { "ConfigMap" },
  summary = "Echoes its parameter",
  params = { word = { type = "string", default = "default", doc = "the word echoed" } },
  check = function(obj, ctx) ctx:report{message = "word " .. ctx.params.word} end }
LUA
for d in a b c; do
    cat >$d/cm.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast}
YAML
    cat >$d/pod.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: app
    image: nginx:1.27.0
YAML
done
cat >a/.chartlint.yaml <<'YAML'
version: 1
fail-on: error
bogus: 1
checks:
  disable: [readiness-probe]
policies:
  - path: ../packs/echo
    params:
      echo: {word: alpha}
YAML
cat >b/.chartlint.yaml <<'YAML'
version: 1
policies:
  - path: ../packs/echo
    params:
      echo: {word: beta}
severity:
  echo.echo: error
suppressions:
  - checks: [liveness-probe]
    reason: "b's pods are probed by the mesh"
  - checks: [liveness-probe]
    name: no-such-pod
    reason: "left over"
YAML

run both 1 a b &&
    has both-a-echo out "a/cm.yaml:1:1: warning[echo.echo] word alpha" &&
    has both-b-echo out "b/cm.yaml:1:1: error[echo.echo] word beta" &&
    has both-a-liveness out "a/pod.yaml:6:5: error[liveness-probe]" &&
    hasnt both-b-liveness out "b/pod.yaml:6:5: error[liveness-probe]" &&
    hasnt both-a-readiness out "a/pod.yaml:6:5: warning[readiness-probe]" &&
    has both-b-readiness out "b/pod.yaml:6:5: warning[readiness-probe]" &&
    has both-b-unused out "b/.chartlint.yaml:11:5: info[unused-suppression]" &&
    count both-a-error out "error[config-error]" 1
run reversed 1 b a &&
    has reversed-a-echo out "a/cm.yaml:1:1: warning[echo.echo] word alpha" &&
    has reversed-b-echo out "b/cm.yaml:1:1: error[echo.echo] word beta"
# alternating: a's config comes back in force, its params and errors not repeated
run alternating 1 a/cm.yaml b/cm.yaml a/pod.yaml c &&
    count alternating-alpha out "word alpha" 1 && count alternating-beta out "word beta" 1 &&
    has alternating-a-pod out "a/pod.yaml:6:5: error[liveness-probe]" &&
    hasnt alternating-a-readiness out "a/pod.yaml:6:5: warning[readiness-probe]" &&
    count alternating-error out "error[config-error]" 1
# no config: the pack of the others does not run, nothing is disabled
run none 1 c && hasnt none-echo out "echo" && has none-readiness out "c/pod.yaml:6:5: warning[readiness-probe]"
run none-first 1 c a/cm.yaml && count none-first-echo out "echo.echo" 1 &&
    has none-first-alpha out "a/cm.yaml:1:1: warning[echo.echo] word alpha"
# each input's fail level: a's warnings do not fail (fail-on: error), b's would
run a-alone 1 a/cm.yaml && has a-alone-config-error out "error[config-error]"
run a-fail-on 0 --disable config-error a/cm.yaml && has a-fail-on-warning out "warning[echo.echo]"
run a-and-c 1 --disable config-error a/cm.yaml c/cm.yaml c/pod.yaml &&
    has a-and-c-c out "c/pod.yaml:6:5: error[liveness-probe]"
run a-and-c-cm 0 --disable config-error a/cm.yaml c/cm.yaml
# junit lists a passing testcase only for checks the object's own config ran
run junit 1 --format junit a b &&
    has junit-b out '<testcase classname="readiness-probe" name="Pod/default/web (b/pod.yaml)"' &&
    hasnt junit-a out '<testcase classname="readiness-probe" name="Pod/default/web (a/pod.yaml)"' &&
    has junit-a-echo out '<testcase classname="echo.echo" name="ConfigMap/default/settings (a/cm.yaml)"'
# --config applies to every input
run config-flag 1 --config b/.chartlint.yaml a c &&
    has config-flag-a out "a/cm.yaml:1:1: error[echo.echo] word beta" &&
    has config-flag-c out "c/cm.yaml:1:1: error[echo.echo] word beta" &&
    hasnt config-flag-liveness out "error[liveness-probe]"

if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "all config-per-input cases passed"
