#!/usr/bin/env bash
# bench/lua_vs_c.sh -- the built-in Lua rules against as many comparable C checks.
#
# Issue 4's target: on the large stream of bench/bench.sh, the 7 built-in Lua rules must
# cost no more than 2x 7 comparable C checks. Each side runs alone (--only), next to a
# baseline run that only parses and walks the objects (--only yaml-syntax, which the
# other two runs also carry, since --only keeps the input-problem checks on); the cost
# of a set of checks is its run minus the baseline. Measured two ways: CPU time (user +
# system, best of N, interleaved) on the large stream, and instruction counts
# (valgrind --tool=callgrind, repeatable) on a smaller stream made the same way. Prints
# a Markdown report and keeps it in bench/results/lua-vs-c.md.
#
# The C side is the seven per-container or per-pod-spec checks closest to the Lua
# rules: read-only-root-fs, run-as-non-root, drop-capabilities, dangerous-capabilities,
# liveness-probe, readiness-probe, cpu-request.
#
# Usage: bench/lua_vs_c.sh [--mb N] [--runs N] [--icut-mb N]
#        (CHARTLINT_SHARED_DIR: default ../shared; CHARTLINT=path uses that binary)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${CHARTLINT_SHARED_DIR:-$(cd .. && pwd)/shared}
mb=50 runs=5 icut=5
while [ $# -gt 0 ]; do
    case $1 in
    --mb) mb=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --icut-mb) icut=$2; shift 2 ;;
    *) echo "usage: bench/lua_vs_c.sh [--mb N] [--runs N] [--icut-mb N]" >&2; exit 2 ;;
    esac
done
golden=$shared/corpus/golden
[ -d "$golden" ] || { echo "bench: no corpus at $golden (set CHARTLINT_SHARED_DIR)" >&2; exit 2; }
out=build-bench
mkdir -p "$out" bench/results
log() { echo "bench: $*" >&2; }

if [ -n "${CHARTLINT:-}" ]; then
    chartlint=$(realpath "$CHARTLINT")
else
    log "building chartlint in $out/"
    cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHARTLINT_SANITIZE=OFF \
          -DCHARTLINT_TESTS=OFF >/dev/null
    cmake --build "$out" -j2 --target chartlint >/dev/null
    chartlint=$root/$out/chartlint
fi

# make_stream MB: the path of a stream of whole passes over the goldens of >= MB MiB.
make_stream() {
    local path=$out/stream-${1}mb.yaml pass copies
    if [ ! -s "$path" ]; then
        pass=$(cat "$golden"/*.yaml | wc -c)
        copies=$(( ($1 * 1024 * 1024 + pass - 1) / pass ))
        log "making $path: $copies passes over the corpus goldens"
        for _ in $(seq "$copies"); do cat "$golden"/*.yaml; done > "$path.tmp"
        mv "$path.tmp" "$path"
    fi
    echo "$path"
}

lua=privileged-container,privilege-escalation,host-network,host-pid,host-ipc,latest-tag,image-pull-policy
c=read-only-root-fs,run-as-non-root,drop-capabilities,dangerous-capabilities,liveness-probe,readiness-probe,cpu-request
base=yaml-syntax
# the same input-problem checks in every run: --only keeps them, so name them all
args() { echo "--format json --only $1"; }

# cpu_ms ONLY STREAM: CPU time (user + system) of one run, in ms.
cpu_ms() {
    local statf rc=0
    statf=$(mktemp)
    # shellcheck disable=SC2046
    /usr/bin/time -o "$statf" -f '%U %S' "$chartlint" $(args "$1") "$2" >/dev/null 2>&1 || rc=$?
    [ $rc -le 1 ] || { log "chartlint failed (exit $rc) with --only $1"; exit 1; }
    tail -n 1 "$statf" | awk '{ printf "%d", ($1 + $2) * 1000 }'
    rm -f "$statf"
}

stream=$(make_stream "$mb")
bytes=$(wc -c < "$stream")
log "timing on $stream ($bytes bytes), best of $runs, interleaved"
b_best=0 l_best=0 c_best=0
for i in $(seq "$runs"); do
    t=$(cpu_ms "$base" "$stream"); { [ "$b_best" = 0 ] || [ "$t" -lt "$b_best" ]; } && b_best=$t
    t=$(cpu_ms "$lua" "$stream");  { [ "$l_best" = 0 ] || [ "$t" -lt "$l_best" ]; } && l_best=$t
    t=$(cpu_ms "$c" "$stream");    { [ "$c_best" = 0 ] || [ "$t" -lt "$c_best" ]; } && c_best=$t
    log "run $i: baseline ${b_best} ms, lua ${l_best} ms, c ${c_best} ms (best so far)"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "n/a"; else printf "%.2f", a / b }'; }
l_cost=$((l_best - b_best)) c_cost=$((c_best - b_best))

icount() {  # icount ONLY STREAM: instructions (callgrind Ir) of one run
    local f
    f=$(mktemp)
    # shellcheck disable=SC2046
    valgrind --tool=callgrind --callgrind-out-file="$f" "$chartlint" $(args "$1") "$2" \
        >/dev/null 2>"$out/callgrind.log" || true
    awk '/^summary:/ { print $2 }' "$f"
    rm -f "$f"
}
ir=""
if [ "$icut" != 0 ] && command -v valgrind >/dev/null; then
    small=$(make_stream "$icut")
    log "counting instructions on $small"
    b_ir=$(icount "$base" "$small"); l_ir=$(icount "$lua" "$small"); c_ir=$(icount "$c" "$small")
    ir=yes
fi

{
    echo "## Built-in Lua rules vs C checks"
    echo
    echo "Seven Lua rules ($lua) against seven C checks ($c), each set alone with --only;"
    echo "cost = run - baseline (--only $base: parse, model, input-problem checks)."
    echo
    echo "| measure | baseline | Lua rules | C checks | Lua cost | C cost | Lua / C |"
    echo "|---|---|---|---|---|---|---|"
    echo "| CPU ms, $((bytes / 1048576)) MiB stream, best of $runs | $b_best | $l_best | $c_best | $l_cost | $c_cost | $(ratio "$l_cost" "$c_cost") |"
    if [ -n "$ir" ]; then
        echo "| instructions (M), ${icut} MiB stream | $((b_ir / 1000000)) | $((l_ir / 1000000)) | $((c_ir / 1000000)) | $(((l_ir - b_ir) / 1000000)) | $(((c_ir - b_ir) / 1000000)) | $(ratio $((l_ir - b_ir)) $((c_ir - b_ir))) |"
    fi
    echo
    echo "Target: Lua / C <= 2."
} | tee bench/results/lua-vs-c.md
