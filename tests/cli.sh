#!/bin/sh
# cli.sh -- the chartlint command line: usage errors, exit codes, subcommands, inputs.
#   sh cli.sh CHARTLINT WORKDIR
# Every case prints "ok NAME" or "FAIL NAME: why" (with the output); exit 1 on any failure.
set -u
BIN=$1
WORK=$2
failures=0
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1

# run NAME WANT_RC ARGS... : runs the binary, stdout in out, stderr in err.
run() {
    name=$1 want=$2
    shift 2
    "$BIN" "$@" >out 2>err </dev/null
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit code $rc, want $want"
        return 1
    fi
    return 0
}

fail() {
    echo "FAIL $1: $2"
    echo "--- stdout:"; cat out 2>/dev/null
    echo "--- stderr:"; cat err 2>/dev/null
    failures=$((failures + 1))
}

# has NAME FILE TEXT : FILE contains TEXT (fixed string).
has() {
    if grep -qF -- "$3" "$2"; then echo "ok $1"; else fail "$1" "$2 lacks '$3'"; fi
}

hasnt() {
    if grep -qF -- "$3" "$2"; then fail "$1" "$2 has '$3'"; else echo "ok $1"; fi
}

cat >clean.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
YAML
cat >dup.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
  mode: safe
YAML
printf 'replicaCount: 2\n' >values.yaml

run no-args 2 && has no-args-message err "chartlint: no input given" &&
    has no-args-hint err "Try 'chartlint --help'."
run unknown-option 2 --bogus clean.yaml && has unknown-option-message err "unknown option '--bogus'"
run missing-value 2 clean.yaml --format && has missing-value-message err "'--format' needs a value"
run bad-fail-on 2 --fail-on fatal clean.yaml && has bad-fail-on-message err 'invalid --fail-on level "fatal"'
run bad-format 2 --format xml clean.yaml && has bad-format-message err 'unknown format "xml"'
run unknown-check 2 --only no-such-check clean.yaml &&
    has unknown-check-message err 'unknown check "no-such-check"'
run help 0 --help && has help-subcommands out "chartlint explain ID" &&
    has help-exit-codes out "Exit codes:" && has help-fail-on out "--fail-on LEVEL"
run version 0 --version && has version-text out "chartlint "

run clean 0 clean.yaml && has clean-summary out "no findings in 1 file"
run findings 1 dup.yaml && has findings-line out "dup.yaml:7:3: warning[duplicate-key]"
run fail-on-error 0 --fail-on error dup.yaml
run info-below-warning 0 values.yaml && has info-shown out "info[not-k8s-object]"
run fail-on-info 1 --fail-on info values.yaml
run disable 0 --fail-on info --disable not-k8s-object values.yaml &&
    hasnt disable-hides out "not-k8s-object"
run only-comma 1 --only CL0005,duplicate-key --fail-on info dup.yaml values.yaml &&
    has only-both out "duplicate-key" && has only-both-2 out "not-k8s-object"
# --only never hides input that could not be linted (CL0001 here); --disable does.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: [1\n' >broken.yaml
run only-keeps-syntax 1 --only CL1001 broken.yaml &&
    has only-keeps-syntax-line out "broken.yaml:4:1: error[yaml-syntax]"
run only-disable-syntax 0 --only CL1001 --disable yaml-syntax broken.yaml &&
    hasnt only-disable-syntax-line out "yaml-syntax"
run only-keeps-not-object 1 --only CL1001 --fail-on info values.yaml &&
    has only-keeps-not-object-line out "info[not-k8s-object]"
# --only and chartlint's own checks (docs/cli.md, "Narrowing the checks"): an invalid
# suppression stays on like a config error; unused-suppression and stale-baseline are
# reported only when selected, and then only for checks that ran.
cat >supp.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    ignore.chartlint.io/read-only-root-fs: "vetted"
    ignore.chartlint.io/cpu-limit: "vetted"
    ignore.chartlint.io/memory-limit: ""
spec:
  containers:
  - name: app
    image: nginx:1.2
    securityContext: {readOnlyRootFilesystem: true}
YAML
run only-keeps-invalid-supp 1 --only CL1001 --fail-on info supp.yaml &&
    has only-keeps-invalid-supp-line out 'supp.yaml:8:39: error[invalid-suppression] suppression annotation "ignore.chartlint.io/memory-limit" gives no reason' &&
    hasnt only-keeps-invalid-supp-unused out "unused-suppression"
run only-disable-invalid-supp 0 --only CL1001 --disable invalid-suppression --fail-on info supp.yaml
run only-unused-supp 1 --only CL1001,unused-suppression --disable CL0008 --fail-on info supp.yaml &&
    has only-unused-supp-line out 'supp.yaml:6:5: info[unused-suppression] unused suppression: no "read-only-root-fs" finding' &&
    hasnt only-unused-supp-other out "cpu-limit"
cat >bl.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: app
    image: nginx:1.2
YAML
sed 's/^    image: nginx:1.2$/&\
    securityContext: {readOnlyRootFilesystem: true}\
    resources: {requests: {cpu: 1}}/' bl.yaml >bl-fixed.yaml
run only-write-baseline 0 --only CL1001,CL3001 --write-baseline bl.json bl.yaml &&
    run only-stale-unselected 0 --only CL1001 --baseline bl.json --fail-on info bl-fixed.yaml &&
    hasnt only-stale-unselected-line out "stale-baseline" &&
    run only-stale-selected 1 --only CL1001,stale-baseline --baseline bl.json --fail-on info bl-fixed.yaml &&
    has only-stale-selected-line out 'info[stale-baseline] stale baseline entry: no "read-only-root-fs" finding' &&
    hasnt only-stale-selected-other out "cpu-request"
# Several outputs at once: the main format on stdout, others into files.
run outputs 1 --format text --output sarif=o.sarif --output=json=o.json dup.yaml &&
    has outputs-text out "dup.yaml:7:3: warning[duplicate-key]" &&
    has outputs-sarif o.sarif '"ruleId": "duplicate-key"' && has outputs-json o.json '"code": "CL0002"'
run output-no-file 2 --output sarif dup.yaml && has output-no-file-msg err 'invalid --output "sarif"'
run output-bad-format 2 --output xml=o.xml dup.yaml && has output-bad-format-msg err 'unknown format in --output "xml=o.xml"'
run output-unwritable 2 --output json=no-such-dir/o.json dup.yaml &&
    has output-unwritable-msg err "no-such-dir/o.json: cannot write"

# SARIF URIs: relative to the git top level by default, or to --sarif-root.
mkdir -p repo/.git repo/sub && cp dup.yaml repo/sub/
(cd repo/sub && "$BIN" --format sarif dup.yaml >../../out 2>../../err)
has sarif-git-root out '"uri": "sub/dup.yaml"' && has sarif-srcroot out '"uriBaseId": "%SRCROOT%"'
run sarif-root 1 --format sarif --sarif-root repo repo/sub/dup.yaml &&
    has sarif-root-uri out '"uri": "sub/dup.yaml"'
cat >ignored.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    ignore.chartlint.io/duplicate-key: "kept for the old reader"
data:
  mode: fast
  mode: safe
YAML
run sarif-no-suppressed 0 --format sarif ignored.yaml && hasnt sarif-no-suppressed-result out '"ruleId": "duplicate-key"'
run sarif-suppressed 0 --format sarif --sarif-suppressed ignored.yaml &&
    has sarif-suppressed-result out '"justification": "kept for the old reader"'

run options-after-paths 1 dup.yaml --quiet && hasnt quiet out "in 1 file"
run json 1 --format=json dup.yaml && has json-code out '"code": "CL0002"'

run empty-path 2 clean.yaml "" && has empty-path-message err "an empty path was given"
run missing-path 2 nowhere.yaml && has missing-path-diag err "nowhere.yaml: cannot read: No such file or directory"
run missing-and-good 0 nowhere.yaml clean.yaml && has missing-and-good-diag err "cannot read"

printf 'x: 1\n' | "$BIN" --fail-on info - >out 2>err
if [ $? -eq 1 ]; then has stdin-name out "<stdin>:1:1: info[not-k8s-object]"; else fail stdin "exit code"; fi

# Subcommand words are reserved; a directory called rules is linted as ./rules.
mkdir rules && cp dup.yaml rules/
run rules-subcommand 0 rules && has rules-table out "CL0001" && has rules-table-2 out "yaml-syntax"
run rules-json 0 rules --format json && has rules-json-out out '"code": "CL0002"'
run rules-dir 1 ./rules && has rules-dir-lint out "./rules/dup.yaml:7:3"
run rules-after-dashdash 1 -- rules && has rules-after-dashdash-lint out "rules/dup.yaml:7:3"
run rules-extra 2 rules extra
run explain 0 explain CL0002 && has explain-text out "duplicate-key"
run explain-name 0 explain duplicate-key --format json && has explain-json out '"CL0002"'
run explain-missing 2 explain
run explain-unknown 2 explain no-such-check
run docs-no-out 2 docs
run docs 0 docs --out docs-out && [ -f docs-out/CL0002.md ] && echo "ok docs-written" ||
    fail docs "docs-out/CL0002.md not written"
run out-without-docs 2 --out x clean.yaml

# "--" ends the options: a path may start with "-".
cp dup.yaml ./-odd.yaml
run double-dash 1 -- -odd.yaml && has double-dash-path out "-odd.yaml:7:3"

# Colour: forced on, forced off, and off when not a terminal.
run color 1 --color dup.yaml && has color-on out "$(printf '\033[')"
run no-color 1 --no-color dup.yaml && hasnt color-off out "$(printf '\033[')"
run auto-color 1 dup.yaml && hasnt color-auto out "$(printf '\033[')"

# Directories: sorted walk, charts rendered and linted, nothing readable is exit code 2.
mkdir -p tree/b tree/chart/templates && cp dup.yaml tree/b/x.yaml && cp values.yaml tree/a.yml &&
    printf 'apiVersion: v2\nname: c\nversion: 1.0.0\n' >tree/chart/Chart.yaml &&
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n' \
        >tree/chart/templates/cm.yaml
run tree 1 --fail-on info tree && hasnt tree-chart err "is a Helm chart" &&
    has tree-order out "tree/a.yml:1:1" && has tree-order-2 out "tree/b/x.yaml:7:3"
run chart-only 0 tree/chart && has chart-only-read out "in 1 file (1 object)"
run chart-file 0 tree/chart/templates/cm.yaml tree/chart &&
    has chart-file-once out "in 1 file (1 object)"

# template: helm template's output; a failing template still prints the others.
run template 0 template rel tree/chart && has template-source out "# Source: c/templates/cm.yaml" &&
    has template-release out "name: rel"
printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Values.missing.x }}\n' \
    >tree/chart/templates/bad.yaml
run template-fail 1 template tree/chart && has template-fail-rest out "name: release-name" &&
    has template-fail-err err "nil pointer evaluating interface {}.x" &&
    has template-fail-where err "c/templates/bad.yaml:4:18"
run chart-fail 1 tree/chart &&
    has chart-fail-finding out "tree/chart/templates/bad.yaml:4:19: error[render-error]"
run template-no-chart 2 template tree/b
run template-set 0 template tree/chart --set missing.x=fromset --set-string n=1 &&
    has template-set-value out "name: fromset"
run chart-set 0 tree/chart --set missing.x=v
# template generates its own keys (the stock keys are for lints): two renders differ.
mkdir -p keys/templates && printf 'apiVersion: v2\nname: k\nversion: 1.0.0\n' >keys/Chart.yaml &&
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: k\ndata:\n  key: {{ (genCA "ca" 1).Key | b64enc | quote }}\n' \
        >keys/templates/cm.yaml
if run template-keys 0 template keys && cp out keys1 && run template-keys-2 0 template keys; then
    if grep -q '  key: "' keys1 && ! cmp -s out keys1; then
        echo "ok template-fresh-keys"
    else
        fail template-fresh-keys "no key, or two renders printed the same key"
    fi
fi
run chart-set-bad 1 tree/chart --set 'a[=b' && has chart-set-bad-diag err "failed parsing --set data"

# --random-seed and --now: the same seed prints the same bytes, another seed others; the
# clock is the one given; both work when linting as well.
mkdir -p rand/templates &&
    printf 'apiVersion: v2\nname: r\nversion: 0.1.0\n' >rand/Chart.yaml &&
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\ndata:\n  a: {{ randAlphaNum 16 | quote }}\n  b: {{ uuidv4 | quote }}\n  c: {{ "abcdefgh" | shuffle | quote }}\n  d: {{ randBytes 12 | quote }}\n  t: {{ now | unixEpoch | quote }}\n  ca: {{ (genCA "ca" 30).Cert | b64enc | quote }}\n  ec: {{ genPrivateKey "ecdsa" | b64enc | quote }}\n' \
        >rand/templates/cm.yaml
run seed-1 0 template rand --random-seed 42 --now 2026-01-02T15:04:05Z && cp out seed1.out &&
    run seed-1-again 0 template rand --random-seed 42 --now 2026-01-02T15:04:05Z &&
    if cmp -s out seed1.out; then echo "ok seed-same-bytes"; else fail seed-same-bytes "outputs differ"; fi &&
    run seed-2 0 template rand --random-seed 43 --now 2026-01-02T15:04:05Z &&
    if cmp -s out seed1.out; then fail seed-other-bytes "same output for seeds 42 and 43"; else echo "ok seed-other-bytes"; fi &&
    has seed-now out 't: "1767366245"'
run seed-now-offset 0 template rand --random-seed 1 --now 2026-01-02T17:04:05.25+02:00 &&
    has seed-now-offset-value out 't: "1767366245"'
run seed-bad 1 template rand --random-seed -1 && has seed-bad-message err 'invalid --random-seed "-1"'
run now-bad 1 template rand --now 2026-01-02 && has now-bad-message err 'invalid --now "2026-01-02"'
run seed-lint 0 rand --random-seed 42 --now 2026-01-02T15:04:05Z --format json --fail-on error
run seed-lint-missing 2 rand --random-seed && has seed-lint-missing-message err "'--random-seed' needs a value"

# user input quoted in usage errors, --verbose lines and diags is escaped as the text
# output escapes it: control characters as \n, \t, \xNN, invalid UTF-8 as U+FFFD; each
# message stays one line and no escape sequence reaches the terminal
ESC=$(printf '\033')
FFFD=$(printf '\357\277\275')
lines_are() {
    n=$(wc -l <"$2")
    if [ "$n" -eq "$3" ]; then echo "ok $1"; else fail "$1" "$2 has $n lines, want $3"; fi
}
run esc-format 2 --format "$(printf 'x\ny\033[31m\377')" clean.yaml &&
    has esc-format-msg err 'chartlint: unknown format "x\ny\x1b[31m'"$FFFD"'" (expected one of' &&
    hasnt esc-format-raw err "$ESC" && lines_are esc-format-lines err 2
run esc-option 2 "$(printf -- '--bo\001gus')" clean.yaml &&
    has esc-option-msg err "unknown option '--bo\\x01gus'" && lines_are esc-option-lines err 2
run esc-enable 2 --enable "$(printf 'a\tb')" clean.yaml &&
    has esc-enable-msg err 'unknown check "a\tb" in --enable'
run esc-explain 2 explain "$(printf 'x\001y')" &&
    has esc-explain-msg err 'chartlint: unknown check "x\x01y" (see `chartlint rules`)'
run esc-config 2 --config "$(printf 'c\033]0;x\007.yaml')" clean.yaml &&
    has esc-config-msg err 'cannot read the config file "c\x1b]0;x\x07.yaml"' &&
    hasnt esc-config-raw err "$ESC"
cp clean.yaml "$(printf 'p\033q.yaml')"
run esc-verbose 0 --verbose "$(printf 'p\033q.yaml')" &&
    has esc-verbose-msg err 'chartlint: linting "p\x1bq.yaml"' && hasnt esc-verbose-raw err "$ESC"
run esc-diag 2 "$(printf 'no\033such\n.yaml')" &&
    has esc-diag-msg err 'chartlint: no\x1bsuch\n.yaml: cannot read' && hasnt esc-diag-raw err "$ESC"
run esc-template 2 template "$(printf 'zz\001\377')" &&
    has esc-template-msg err "Error: zz\\x01$FFFD: cannot read" && lines_are esc-template-lines err 1
run esc-output 2 --output "$(printf 'json=nodir/o\033.json')" dup.yaml &&
    has esc-output-msg err 'chartlint: nodir/o\x1b.json: cannot write' && hasnt esc-output-raw err "$ESC"

if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "all cli cases passed"
