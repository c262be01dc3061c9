#!/usr/bin/env bash
# run.sh -- the steps of chartlint's GitHub Action (action.yml), kept here so the test
# suite runs them locally without GitHub (tests/action.py).
#
#   run.sh build     build chartlint from the action's own source (GITHUB_ACTION_PATH)
#                    unless INPUT_CHARTLINT names a binary; output chartlint=PATH
#   run.sh lint      lint INPUT_PATHS writing the log, SARIF and counts; never fails on
#                    findings (the upload step comes first); outputs below
#   run.sh verdict   fail by INPUT_FAIL_ON and the lint step's exit code
#
# Every input arrives in an environment variable (INPUT_*), set by action.yml's env:
# blocks: nothing a user writes is ever pasted into shell source. Lists (paths, values,
# args) are split on white space into words, without globbing or any other expansion.
# Outputs go to $GITHUB_OUTPUT, a job summary to $GITHUB_STEP_SUMMARY.
set -euo pipefail
set -f                                  # no globbing of words split from inputs

# A workflow command's message, escaped as GitHub's runner expects (%, CR, LF), so
# text taken from inputs cannot end the command and start another one.
gh_escape() {
    local s=${1//'%'/%25}
    s=${s//$'\r'/%0D}
    printf '%s' "${s//$'\n'/%0A}"
}

die() {
    printf '::error title=chartlint::%s\n' "$(gh_escape "$*")"
    exit 2
}

# output NAME VALUE: a step output (a value with newlines uses the delimiter form).
output() {
    local name=$1 value=$2 eof
    if [ -z "${GITHUB_OUTPUT:-}" ]; then
        printf '%s=%s\n' "$name" "$value"
        return
    fi
    case $value in
    *$'\n'*)
        eof="chartlint_$RANDOM$RANDOM$RANDOM"
        printf '%s<<%s\n%s\n%s\n' "$name" "$eof" "$value" "$eof" >> "$GITHUB_OUTPUT"
        ;;
    *)
        printf '%s=%s\n' "$name" "$value" >> "$GITHUB_OUTPUT"
        ;;
    esac
}

# words VAR TEXT: split TEXT on white space (spaces, tabs, newlines) into array VAR.
words() {
    local -n into=$1
    into=()
    local line w
    local -a ws
    while IFS= read -r line || [ -n "$line" ]; do
        read -r -a ws <<< "$line" || true
        for w in "${ws[@]}"; do
            into+=("$w")
        done
    done <<< "$2"
}

truthy() {
    case ${1,,} in
    true | yes | 1 | on) return 0 ;;
    false | no | 0 | off | '') return 1 ;;
    *) die "expected true or false, got \"$1\"" ;;
    esac
}

# The packages chartlint builds with, on Debian and Ubuntu.
DEB_PACKAGES=(cmake pkg-config gcc make libfyaml-dev libpcre2-dev liblua5.4-dev zlib1g-dev
              libssl-dev libcrypt-dev)

install_deps() {
    local -a missing=() sudo=()
    local p
    command -v apt-get > /dev/null 2>&1 ||
        die "install-deps: apt-get not found; install chartlint's build dependencies yourself"
    for p in "${DEB_PACKAGES[@]}"; do
        [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2> /dev/null || true)" = installed ] ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo > /dev/null 2>&1 || die "install-deps: not root and no sudo"
        sudo=(sudo)
    fi
    echo "chartlint action: installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
}

step_build() {
    local src=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
    local build=${CHARTLINT_BUILD_DIR:-${RUNNER_TEMP:-/tmp}/chartlint-build}
    local bin=${INPUT_CHARTLINT:-}

    if [ -n "$bin" ]; then
        [ -x "$bin" ] || die "chartlint: \"$bin\" is not an executable file"
    else
        if truthy "${INPUT_INSTALL_DEPS:-false}"; then
            install_deps
        fi
        command -v cmake > /dev/null 2>&1 ||
            die "cmake not found: set install-deps: true on Debian/Ubuntu runners, or install chartlint's build dependencies"
        cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHARTLINT_TESTS=OFF \
              -DCHARTLINT_SANITIZE=OFF > /dev/null
        cmake --build "$build" --target chartlint -j"$(nproc 2> /dev/null || echo 2)"
        bin=$build/chartlint
        [ -x "$bin" ] || die "the build did not produce $bin"
    fi
    "$bin" --version
    output chartlint "$bin"
}

# summary_count FILE KEY: a count of the JSON summary (pretty-printed, one key a line:
# docs/json-format.md), or 0.
summary_count() {
    local n
    n=$(sed -n 's/^    "'"$2"'": \([0-9][0-9]*\),\{0,1\}$/\1/p' "$1" | tail -n 1)
    printf '%s' "${n:-0}"
}

step_lint() {
    local bin=${CHARTLINT_BIN:-}
    local format=${INPUT_FORMAT:-github} fail_on=${INPUT_FAIL_ON:-warning}
    local sarif=${INPUT_SARIF_FILE:-chartlint.sarif}
    local dir=${RUNNER_TEMP:-/tmp}
    local log json rc=0 v
    local -a paths=() values=() extra=() cmd=()

    [ -n "$bin" ] || bin=$(command -v chartlint || true)
    [ -n "$bin" ] || die "no chartlint binary (the build step sets it)"
    case $fail_on in
    error | warning | info | none) ;;
    *) die "fail-on: expected error, warning, info or none, got \"$fail_on\"" ;;
    esac
    case $format in
    text | github | json | sarif | junit | gitlab | checkstyle) ;;
    *) die "format: unknown format \"$format\"" ;;
    esac
    words paths "${INPUT_PATHS:-.}"
    [ ${#paths[@]} -gt 0 ] || paths=(.)
    words values "${INPUT_VALUES:-}"
    words extra "${INPUT_ARGS:-}"

    log=$(mktemp "$dir/chartlint-log.XXXXXX")
    json=$(mktemp "$dir/chartlint-json.XXXXXX")
    mkdir -p -- "$(dirname -- "$sarif")"
    cmd=("$bin" --format "$format" --output "sarif=$sarif" --output "text=$log"
         --output "json=$json" --no-color)
    # "none" still needs a level: the verdict step ignores findings then
    cmd+=(--fail-on "$([ "$fail_on" = none ] && echo error || echo "$fail_on")")
    if [ -n "${INPUT_CONFIG:-}" ]; then
        cmd+=(--config "$INPUT_CONFIG")
    fi
    for v in "${values[@]}"; do
        cmd+=(--values "$v")
    done
    cmd+=("${extra[@]}" -- "${paths[@]}")

    "${cmd[@]}" || rc=$?

    local errors warnings infos suppressed
    errors=$(summary_count "$json" error)
    warnings=$(summary_count "$json" warning)
    infos=$(summary_count "$json" info)
    suppressed=$(summary_count "$json" suppressed)
    output exit-code "$rc"
    output errors "$errors"
    output warnings "$warnings"
    output infos "$infos"
    output suppressed "$suppressed"
    output findings "$((errors + warnings + infos))"
    output log-file "$log"
    if [ -s "$sarif" ]; then
        output sarif-file "$sarif"
    else
        output sarif-file ""
    fi
    rm -f -- "$json"

    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
        {
            printf '### chartlint\n\n'
            printf '| errors | warnings | info | suppressed | exit code |\n'
            printf '|---:|---:|---:|---:|---:|\n'
            printf '| %s | %s | %s | %s | %s |\n\n' "$errors" "$warnings" "$infos" \
                "$suppressed" "$rc"
            if [ -s "$log" ]; then
                printf '<details><summary>findings</summary>\n\n```text\n'
                # the log is chartlint's own text output: control characters are
                # already escaped, and a fence in a message cannot close ours early
                # shellcheck disable=SC2016  # backticks, not an expansion
                head -n 200 -- "$log" | sed 's/```/` ` `/g'
                printf '```\n\n</details>\n'
            fi
        } >> "$GITHUB_STEP_SUMMARY"
    fi
    return 0
}

step_verdict() {
    local rc=${INPUT_EXIT_CODE:-} fail_on=${INPUT_FAIL_ON:-warning}

    case $rc in
    0) echo "chartlint: no findings at or above the fail-on level"; return 0 ;;
    1)
        if [ "$fail_on" = none ]; then
            echo "chartlint: findings reported; fail-on is none"
            return 0
        fi
        printf '::error title=chartlint::findings at or above %s (%s errors, %s warnings, %s info)\n' \
            "$fail_on" "${INPUT_ERRORS:-?}" "${INPUT_WARNINGS:-?}" "${INPUT_INFOS:-?}"
        return 1
        ;;
    2) printf '::error title=chartlint::usage error, or no input could be read (exit 2)\n'; return 2 ;;
    3) printf '::error title=chartlint::internal error (exit 3)\n'; return 3 ;;
    *) printf '::error title=chartlint::the lint step did not run (exit code "%s")\n' "$rc"; return 2 ;;
    esac
}

case ${1:-} in
build) step_build ;;
lint) step_lint ;;
verdict) step_verdict ;;
*) echo "usage: run.sh build|lint|verdict" >&2; exit 2 ;;
esac
