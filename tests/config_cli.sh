#!/bin/sh
# config_cli.sh -- the configuration file through the binary: discovery walking up,
# --config, --no-config, precedence over flags, exclude, fail-on, per-chart values,
# each suppression key, and bad config files.
#   sh config_cli.sh CHARTLINT WORKDIR SOURCE_DIR
# Every case prints "ok NAME" or "FAIL NAME: why" (with the output); exit 1 on any failure.
set -u
BIN=$1
WORK=$2
SRC=$3
failures=0
# shellcheck source=tests/cli_lib.sh
. "$(dirname "$0")/cli_lib.sh"
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1

# A repository: the config at the top, a manifest two directories down.
mkdir -p repo/.git repo/apps/web repo/vendor/lib
cat >repo/apps/web/deploy.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
      - name: app
        image: nginx:1.27.0
        securityContext:
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 200m, memory: 128Mi}
      - name: sidecar
        image: envoy:1.30.0
        securityContext:
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 200m, memory: 128Mi}
YAML
cp repo/apps/web/deploy.yaml repo/vendor/lib/deploy.yaml
# findings without a config: liveness-probe (error) and readiness-probe (warning) x 2
run baseline 1 --no-config repo/apps/web/deploy.yaml &&
    count baseline-liveness out "error[liveness-probe]" 2 &&
    count baseline-readiness out "warning[readiness-probe]" 2

cat >repo/.chartlint.yaml <<'YAML'
version: 1
checks:
  disable: [liveness-probe]
YAML
run discover-walks-up 1 repo/apps/web/deploy.yaml &&
    hasnt discover-disables out "liveness-probe" && has discover-keeps out "readiness-probe"
(cd repo/apps && "$BIN" web >"$WORK/out" 2>"$WORK/err")
hasnt discover-from-subdir out "liveness-probe"
run discover-dir 1 repo/apps && hasnt discover-dir-disables out "liveness-probe"
run no-config 1 --no-config repo/apps/web/deploy.yaml && has no-config-ignores out "liveness-probe"
run verbose-names-config 1 -v repo/apps/web/deploy.yaml &&
    has verbose-names-config-err err 'chartlint: using config "repo/.chartlint.yaml"'
run verbose-no-config 1 -v --no-config repo/apps/web/deploy.yaml && hasnt verbose-no-config-err err "using config"
(cd repo/apps/web && "$BIN" - <deploy.yaml >"$WORK/out" 2>"$WORK/err")
hasnt discover-stdin-cwd out "liveness-probe"

# a config above the git top level is not found
printf 'checks:\n  disable: [readiness-probe]\n' >.chartlint.yaml
run stops-at-git-top 1 --no-config repo/apps/web/deploy.yaml
run stops-at-git-top-2 1 repo/apps/web/deploy.yaml && has stops-at-git-top-keeps out "readiness-probe"
rm .chartlint.yaml

# .chartlint.yml works too; the nearest wins
printf 'checks:\n  disable: [readiness-probe]\n' >repo/apps/.chartlint.yml
run nearest-yml 1 repo/apps/web/deploy.yaml &&
    has nearest-yml-liveness out "liveness-probe" && hasnt nearest-yml-readiness out "readiness-probe"
# each input is linted with its own nearest config, in either order
run other-config 1 repo/apps/web/deploy.yaml repo/vendor/lib/deploy.yaml &&
    has other-config-web out "apps/web/deploy.yaml:13:9: error[liveness-probe]" &&
    hasnt other-config-web-readiness out "apps/web/deploy.yaml:13:9: warning[readiness-probe]" &&
    has other-config-vendor out "vendor/lib/deploy.yaml:13:9: warning[readiness-probe]" &&
    hasnt other-config-vendor-liveness out "vendor/lib/deploy.yaml:13:9: error[liveness-probe]"
run other-config-order 1 repo/vendor/lib/deploy.yaml repo/apps/web/deploy.yaml &&
    has other-config-order-web out "apps/web/deploy.yaml:13:9: error[liveness-probe]" &&
    hasnt other-config-order-vendor out "vendor/lib/deploy.yaml:13:9: error[liveness-probe]"
rm repo/apps/.chartlint.yml

# --config FILE: that file only
printf 'checks:\n  only: [readiness-probe]\n' >other.yaml
run config-flag 1 --config other.yaml repo/apps/web/deploy.yaml &&
    has config-flag-only out "readiness-probe" && hasnt config-flag-not-discovered out "liveness-probe"
printf 'checks:\n  disable: [readiness-probe]\n' >repo/apps/.chartlint.yml
run config-flag-no-note 1 --config other.yaml repo/apps/web/deploy.yaml repo/vendor/lib/deploy.yaml &&
    hasnt config-flag-no-note-err err "is not used"
rm repo/apps/.chartlint.yml
run config-missing 2 --config nope.yaml repo/apps/web/deploy.yaml &&
    has config-missing-message err 'cannot read the config file "nope.yaml"'
run config-dir 2 --config repo repo/apps/web/deploy.yaml
run config-empty-arg 2 --config= repo/apps/web/deploy.yaml

# values a config error names are quoted as check messages quote them: escaped, cut
z64=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz
printf 'checks:\n  enable: ["a\\tb", "%s"]\n' "${z64}zzzzzzzzzzzzzzzz" >quote.yaml
run config-quote 1 --config quote.yaml repo/apps/web/deploy.yaml &&
    has config-quote-tab out 'quote.yaml:2:12: error[config-error] unknown check "a\tb" in checks.enable' &&
    has config-quote-cut out "quote.yaml:2:20: error[config-error] unknown check \"${z64}\"... in checks.enable"

# precedence: command-line options win
cat >repo/.chartlint.yaml <<'YAML'
fail-on: error
checks:
  disable: [liveness-probe]
severity:
  readiness-probe: info
YAML
run config-fail-on 0 repo/apps/web/deploy.yaml && has severity-override out "info[readiness-probe]"
run flag-fail-on 1 --fail-on info repo/apps/web/deploy.yaml
run flag-enable 1 --enable liveness-probe repo/apps/web/deploy.yaml && has flag-enable-wins out "error[liveness-probe]"
run flag-only 0 --only readiness-probe repo/apps/web/deploy.yaml &&
    hasnt flag-only-replaces out "liveness-probe" && has flag-only-severity out "info[readiness-probe]"
printf 'checks:\n  only: [liveness-probe]\n' >repo/.chartlint.yaml
run config-only 1 repo/apps/web/deploy.yaml && hasnt config-only-narrows out "readiness-probe"
run config-only-flag-disable 0 --disable liveness-probe repo/apps/web/deploy.yaml

# policy packs from the config, their rules' params and severities
cat >repo/apps/web/svc.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80}]
YAML
cat >repo/.chartlint.yaml <<YAML
policies:
  - $SRC/policies/acme
checks:
  only: [acme.forbidden-service-types]
YAML
run pack-rule 1 repo/apps/web/svc.yaml && has pack-rule-runs out "[acme.forbidden-service-types]"
cat >>repo/.chartlint.yaml <<'YAML'
params:
  acme.forbidden-service-types:
    types: [LoadBalancer]
YAML
run pack-param 0 repo/apps/web/svc.yaml && hasnt pack-param-applies out "forbidden-service-types"
cat >repo/.chartlint.yaml <<YAML
policies:
  - path: $SRC/policies/acme
checks:
  only: [acme.forbidden-service-types]
severity:
  acme.forbidden-service-types: info
YAML
run pack-severity 0 repo/apps/web/svc.yaml && has pack-severity-info out "info[acme.forbidden-service-types]"
cat >repo/.chartlint.yaml <<YAML
policies:
  - path: $SRC/policies/acme
    params:
      forbidden-service-types:
        types: [LoadBalancer]
checks:
  only: [acme.forbidden-service-types]
YAML
run pack-entry-param 0 repo/apps/web/svc.yaml && hasnt pack-entry-param-applies out "forbidden-service-types"
cat >repo/.chartlint.yaml <<YAML
policies:
  - path: $SRC/policies/acme
    params:
      acme.forbidden-service-types:
        types: [LoadBalancer]
params:
  acme.forbidden-service-types:
    types: [NodePort]
checks:
  only: [acme.forbidden-service-types]
YAML
run pack-params-top-wins 1 repo/apps/web/svc.yaml && has pack-params-top-wins-out out "[acme.forbidden-service-types]"
cat >repo/.chartlint.yaml <<YAML
policies:
  - path: $SRC/policies/acme
    params:
      no-such-rule: {x: 1}
      forbidden-service-types:
        types: true
YAML
run pack-entry-param-errors 1 repo/apps/web/svc.yaml &&
    has pack-entry-unknown-rule out 'repo/.chartlint.yaml:4:7: error[config-error] "no-such-rule" is not a rule of pack "acme"' &&
    has pack-entry-param-type out 'repo/.chartlint.yaml:6:16: error[config-error] parameter "types" of "acme.forbidden-service-types" takes a list of strings'
printf 'policies: [no/such/pack]\n' >repo/.chartlint.yaml
run pack-missing 1 repo/apps/web/svc.yaml &&
    has pack-missing-error out 'repo/.chartlint.yaml:1:12: error[config-error] cannot read policy pack'
printf 'params:\n  dangerous-capabilities:\n    allowed: true\n' >repo/.chartlint.yaml
run param-type 1 repo/apps/web/svc.yaml &&
    has param-type-error out 'error[config-error] parameter "allowed" of "dangerous-capabilities" takes a list of strings'
rm repo/apps/web/svc.yaml

# exclude
cat >repo/.chartlint.yaml <<'YAML'
exclude: ["vendor/**"]
YAML
run exclude-walk 1 repo && hasnt exclude-walk-skips out "vendor/" && has exclude-walk-keeps out "apps/web/deploy.yaml"
run exclude-named 0 repo/vendor/lib/deploy.yaml && hasnt exclude-named-skips out "liveness" &&
    hasnt exclude-named-no-diag err "no manifests"
printf 'exclude: [deploy.yaml]\n' >repo/.chartlint.yaml
run exclude-basename 0 repo && has exclude-all-clean out "no findings"

# per-chart values, release name and namespace
mkdir -p repo/charts/shop/templates repo/ci
printf 'apiVersion: v2\nname: shop\nversion: 0.1.0\n' >repo/charts/shop/Chart.yaml
cat >repo/charts/shop/templates/cm.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cfg
  namespace: {{ .Release.Namespace }}
data:
  size: {{ required "size is required" .Values.size | quote }}
  color: {{ .Values.color | default "none" | quote }}
YAML
: >repo/.chartlint.yaml
run chart-needs-value 1 repo/charts/shop && has chart-render-error out "render-error"
printf 'color: blue\n' >repo/ci/shop.yaml
cat >repo/.chartlint.yaml <<'YAML'
charts:
  shop:
    values: [ci/shop.yaml]
    set: [size=3]
    release-name: prod
    namespace: shop-ns
YAML
run chart-values 0 --format json repo/charts/shop && hasnt chart-values-render out "render-error"
"$BIN" template prod repo/charts/shop >/dev/null 2>&1   # (template does not read configs)
cat >repo/charts/shop/templates/pod.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-{{ .Values.color }}-{{ .Values.size }}
spec:
  containers:
  - name: app
    image: nginx:1.27.0
YAML
run chart-values-seen 1 --format json repo/charts/shop &&
    has chart-values-name out '"name": "prod-blue-3"' && has chart-namespace out '"namespace": "shop-ns"'
run chart-flag-wins 1 --format json --set size=9 -n other --release-name dev repo/charts/shop &&
    has chart-flag-set out '"name": "dev-blue-9"' && has chart-flag-ns out '"namespace": "other"'
cat >repo/.chartlint.yaml <<'YAML'
charts:
  charts/shop:
    set: [size=4, color=red]
YAML
run chart-by-dir 1 --format json repo/charts/shop && has chart-by-dir-name out '"name": "release-name-red-4"'
rm repo/charts/shop/templates/pod.yaml

# suppressions: each key narrows the entry; a finding matching all keys is suppressed
supp() {   # supp NAME WANT_SUPPRESSED KEYS...  (YAML lines of one entry besides checks/reason)
    name=$1 want=$2
    shift 2
    {
        echo "checks:"
        echo "  only: [liveness-probe]"
        echo "suppressions:"
        echo "  - checks: [liveness-probe]"
        echo "    reason: \"accepted for $name\""
        for k in "$@"; do echo "    $k"; done
    } >repo/.chartlint.yaml
    "$BIN" --format json repo/apps/web/deploy.yaml >"$WORK/out" 2>"$WORK/err"
    n=$(grep -c '"kind": "config"' "$WORK/out")
    if [ "$n" -eq "$want" ]; then
        echo "ok supp-$name"
    else
        fail "supp-$name" "$n findings suppressed by the config, want $want"
    fi
}
supp all 2
supp kind 2 "kind: Deployment"
supp kind-other 0 "kind: StatefulSet"
supp name 2 "name: web"
supp name-other 0 "name: api"
supp namespace 2 "namespace: shop"
supp namespace-other 0 "namespace: default"
supp container 1 "container: sidecar"
supp container-other 0 "container: db"
supp files 2 "files: \"apps/**/*.yaml\""
supp files-other 0 "files: \"vendor/**\""
supp chart-not-in-chart 0 "chart: shop"
supp code 2 "kind: Deployment" "name: web" "namespace: shop"
has supp-reason out '"reason": "accepted for code"'
run supp-exit 0 repo/apps/web/deploy.yaml && has supp-summary out "2 suppressed"
# chart: by name and by directory
cat >repo/charts/shop/templates/pod.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nginx:1.27.0
YAML
cat >repo/.chartlint.yaml <<'YAML'
charts:
  shop: {set: [size=1]}
suppressions:
  - checks: [run-as-non-root, read-only-root-fs, drop-capabilities]
    chart: shop
    reason: "shop runs as root"
  - checks: [cpu-request, memory-request, cpu-limit, memory-limit]
    chart: charts/shop
    files: "charts/shop/templates/pod.yaml"
    container: app
    reason: "sized by the namespace's limit range"
YAML
run supp-chart 1 --format json repo/charts/shop &&
    count supp-chart-name out '"reason": "shop runs as root"' 3 &&
    count supp-chart-dir out '"reason": "sized by the namespace' 4
# entries that suppressed nothing: unused-suppression (CL0009, info) at the entry, only
# for checks that ran and entries whose chart/files cover something this run linted
cat >repo/.chartlint.yaml <<'YAML'
suppressions:
  - checks: [liveness-probe]
    kind: StatefulSet
    reason: "matches nothing"
  - checks: [liveness-probe, readiness-probe]
    files: "vendor/**"
    reason: "out of this run's scope"
  - checks: [liveness-probe]
    container: app
    reason: "used"
  - checks: [cpu-limit]
    reason: "its check is disabled"
YAML
run unused 1 --disable cpu-limit repo/apps/web/deploy.yaml &&
    count unused-one out "info[unused-suppression]" 1 &&
    has unused-at-entry out 'repo/.chartlint.yaml:2:5: info[unused-suppression] unused suppression: no "liveness-probe" finding matches this config entry'
run unused-in-scope 1 --disable cpu-limit repo/apps/web/deploy.yaml repo/vendor/lib/deploy.yaml &&
    count unused-in-scope-one out "info[unused-suppression]" 1
run unused-check-off 1 --disable cpu-limit,liveness-probe repo/apps/web/deploy.yaml &&
    hasnt unused-check-off-quiet out "unused-suppression"
run unused-enabled-check 1 repo/apps/web/deploy.yaml && count unused-cpu-limit out "info[unused-suppression]" 2
run unused-disabled 1 --disable unused-suppression,cpu-limit repo/apps/web/deploy.yaml &&
    hasnt unused-disabled-quiet out "unused-suppression"

# a suppression without a reason is an error and suppresses nothing
printf 'suppressions:\n  - checks: [liveness-probe]\n' >repo/.chartlint.yaml
run supp-no-reason 1 repo/apps/web/deploy.yaml &&
    has supp-no-reason-error out '.chartlint.yaml:2:5: error[config-error] a suppressions entry needs a "reason"' &&
    has supp-no-reason-kept out "error[liveness-probe]"

# config errors: reported at line:col, the rest applies, the run goes on
cat >repo/.chartlint.yaml <<'YAML'
version: 1
checks:
  disable: [liveness-probe]
  enabel: [x]
YAML
run config-error 1 repo/apps/web/deploy.yaml &&
    has config-error-line out 'repo/.chartlint.yaml:4:3: error[config-error] unknown key "enabel" in checks' &&
    hasnt config-error-rest-applies out "liveness-probe" && has config-error-lints out "readiness-probe"
(cd repo/apps && "$BIN" web >"$WORK/out" 2>"$WORK/err")
has config-error-relative-above out '../.chartlint.yaml:4:3: error[config-error] unknown key "enabel"'
run config-error-disabled 1 --disable config-error repo/apps/web/deploy.yaml &&
    hasnt config-error-off out "config-error"
# bad input: not YAML, binary, huge
printf 'checks: [\n  - a: b: c\n' >repo/.chartlint.yaml
run not-yaml 1 repo/apps/web/deploy.yaml && has not-yaml-error out "error[config-error] invalid yaml" &&
    has not-yaml-lints out "liveness-probe"
head -c 4096 /dev/urandom >repo/.chartlint.yaml
printf '\000' >>repo/.chartlint.yaml
run binary 1 repo/apps/web/deploy.yaml && has binary-error out "config file is not text" &&
    has binary-lints out "liveness-probe"
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "# padding line %d of a huge config\n", i }' >repo/.chartlint.yaml
run huge 1 repo/apps/web/deploy.yaml && has huge-error out "config file is too big" &&
    has huge-lints out "liveness-probe"
awk 'BEGIN { printf "exclude:\n"; for (i = 0; i < 20000; i++) printf "  - \"x%d/**\"\n", i }' >repo/.chartlint.yaml
run many-globs 1 repo/apps/web/deploy.yaml && has many-globs-lints out "liveness-probe"
rm repo/.chartlint.yaml

echo "$failures failures"
[ "$failures" -eq 0 ]
