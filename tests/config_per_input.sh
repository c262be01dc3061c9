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

# a directory walk: the nearest config to each file applies (configs are not merged),
# a directory with a config of its own is linted as its own input, and a chart is one
# unit under its own directory's config (or the nearest above it)
mkdir -p walk/.git walk/apps/web walk/apps/api walk/apps/skip walk/lib walk/vendor walk/charts/own/templates \
    walk/charts/inherits/templates
cd walk || exit 1
for d in . apps/web apps/api apps/skip lib vendor; do cp ../a/pod.yaml $d/pod.yaml; done
printf 'checks:\n  disable: [readiness-probe]\nexclude: [vendor, apps/skip]\n' >.chartlint.yaml
printf 'checks:\n  only: [cpu-limit]\n' >vendor/.chartlint.yaml
printf 'checks:\n  disable: [liveness-probe]\nexclude: [web/pod.yaml]\n' >apps/.chartlint.yaml
printf 'checks:\n  disable: [run-as-non-root]\n' >apps/api/.chartlint.yml
for c in own inherits; do
    printf 'apiVersion: v2\nname: %s\nversion: 0.1.0\n' $c >charts/$c/Chart.yaml
    sed "s/name: web/name: $c/" ../a/pod.yaml >charts/$c/templates/pod.yaml
done
printf 'checks:\n  only: [liveness-probe]\n' >charts/own/.chartlint.yaml
printf 'checks:\n  only: [cpu-limit]\n' >charts/own/templates/.chartlint.yaml
cd .. || exit 1
run walk 1 walk &&
    has walk-top-liveness out "walk/pod.yaml:6:5: error[liveness-probe]" &&
    hasnt walk-top-readiness out "walk/pod.yaml:6:5: warning[readiness-probe]" &&
    has walk-lib-liveness out "walk/lib/pod.yaml:6:5: error[liveness-probe]" &&
    hasnt walk-lib-readiness out "walk/lib/pod.yaml:6:5: warning[readiness-probe]" &&
    hasnt walk-excluded-vendor out "walk/vendor/" &&
    has walk-not-excluded-below out "walk/apps/skip/pod.yaml:6:5: warning[readiness-probe]" &&
    hasnt walk-excluded-below out "walk/apps/web/" &&
    has walk-api-readiness out "walk/apps/api/pod.yaml:6:5: warning[readiness-probe]" &&
    has walk-api-liveness out "walk/apps/api/pod.yaml:6:5: error[liveness-probe]" &&
    hasnt walk-api-root out "walk/apps/api/pod.yaml:6:5: error[run-as-non-root]" &&
    has walk-lib-root out "walk/lib/pod.yaml:6:5: error[run-as-non-root]" &&
    has walk-own-liveness out "walk/charts/own/templates/pod.yaml:6:5: error[liveness-probe]" &&
    count walk-own-only out "walk/charts/own/" 1 &&
    has walk-inherits-liveness out "walk/charts/inherits/templates/pod.yaml:6:5: error[liveness-probe]" &&
    hasnt walk-inherits-readiness out "walk/charts/inherits/templates/pod.yaml:6:5: warning[readiness-probe]" &&
    has walk-inherits-limit out "walk/charts/inherits/templates/pod.yaml:6:5: info[cpu-limit]"
# the same as naming the region on the command line
run walk-api-alone 1 walk/apps/api &&
    has walk-api-alone-readiness out "walk/apps/api/pod.yaml:6:5: warning[readiness-probe]" &&
    hasnt walk-api-alone-root out "error[run-as-non-root]"
run walk-verbose 1 --verbose walk &&
    has walk-verbose-top err 'chartlint: using config "walk/.chartlint.yaml"' &&
    has walk-verbose-apps err 'chartlint: using config "walk/apps/.chartlint.yaml"' &&
    has walk-verbose-api err 'chartlint: using config "walk/apps/api/.chartlint.yml"' &&
    has walk-verbose-own err 'chartlint: using config "walk/charts/own/.chartlint.yaml"' &&
    hasnt walk-verbose-templates err 'templates/.chartlint.yaml'
# --config and --no-config: no config is looked for in the walk either
run walk-config-flag 1 --config b/.chartlint.yaml walk &&
    has walk-config-flag-api out "walk/apps/api/pod.yaml:6:5: error[run-as-non-root]" &&
    has walk-config-flag-skip out "walk/apps/skip/pod.yaml:6:5: warning[readiness-probe]" &&
    has walk-config-flag-own out "walk/charts/own/templates/pod.yaml:6:5: warning[readiness-probe]" &&
    has walk-config-flag-own-root out "walk/charts/own/templates/pod.yaml:6:5: error[run-as-non-root]"
run walk-no-config 1 --no-config walk &&
    has walk-no-config-web out "walk/apps/web/pod.yaml:6:5: warning[readiness-probe]" &&
    has walk-no-config-api out "walk/apps/api/pod.yaml:6:5: error[run-as-non-root]"
# each region's fail level applies to its own findings
for d in walk walk/apps walk/charts/own; do printf 'checks:\n  only: [cpu-limit]\n' >$d/.chartlint.yaml; done
printf 'fail-on: error\nchecks:\n  only: [readiness-probe]\n' >walk/apps/api/.chartlint.yml
run walk-fail-on 0 walk &&
    has walk-fail-on-api out "walk/apps/api/pod.yaml:6:5: warning[readiness-probe]" &&
    has walk-fail-on-lib out "walk/lib/pod.yaml:6:5: info[cpu-limit]" &&
    has walk-fail-on-own out "walk/charts/own/templates/pod.yaml:6:5: info[cpu-limit]"
printf 'checks:\n  only: [readiness-probe]\n' >walk/apps/api/.chartlint.yml
run walk-fail-on-region 1 walk
# a symlink from a region to a directory above it is a loop, though walked before it
ln -s ../.. walk/apps/api/up
run walk-loop 1 walk &&
    has walk-loop-diag err 'walk/apps/api/up: symlink loop: the directory is already being walked as "walk"'
rm walk/apps/api/up

if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "all config-per-input cases passed"
