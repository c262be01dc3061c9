#!/usr/bin/env bash
# bench/bench.sh -- chartlint's speed and memory against a bare libfyaml event parse.
#
# Builds chartlint (build-bench/, RelWithDebInfo, no tests) and bench/fyparse.c, makes a
# ~50 MB stream by concatenating the shared corpus goldens, then on that stream times
# `chartlint --format json` (output to /dev/null) and fyparse, best of 3 each,
# interleaved in the same run, and reports the ratio (target <= 1.5x) and chartlint's
# peak RSS against the input size (target < 2x). Finally it times chartlint on each
# corpus golden. Prints a Markdown report on stdout and keeps a copy in
# bench/results/latest.md.
#
# Usage: bench/bench.sh [--mb N] [--runs N]   (CHARTLINT_SHARED_DIR: default ../shared;
#        CHARTLINT=path times that binary instead of building one)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${CHARTLINT_SHARED_DIR:-$(cd .. && pwd)/shared}
mb=50
runs=3
while [ $# -gt 0 ]; do
    case $1 in
    --mb) mb=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: bench/bench.sh [--mb N] [--runs N]" >&2; exit 2 ;;
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
    cmake --build "$out" -j"$(nproc)" --target chartlint >/dev/null
    chartlint=$root/$out/chartlint
fi
log "building fyparse in $out/"
# shellcheck disable=SC2046
cc -O2 -std=c11 -Wall -Wextra -Werror -o "$out/fyparse" bench/fyparse.c \
   $(pkg-config --cflags --libs libfyaml)
fyparse=$root/$out/fyparse

# The stream: whole passes over the goldens (each is a complete helm output) until
# the target size is reached.
stream=$out/stream-${mb}mb.yaml
if [ ! -s "$stream" ]; then
    pass=$(cat "$golden"/*.yaml | wc -c)
    copies=$(( (mb * 1024 * 1024 + pass - 1) / pass ))
    log "making $stream: $copies passes over the corpus goldens"
    for _ in $(seq "$copies"); do cat "$golden"/*.yaml; done > "$stream.tmp"
    mv "$stream.tmp" "$stream"
fi
bytes=$(wc -c < "$stream")

have_time=no
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && have_time=yes

# run_once OUTVAR CMD...: wall seconds and peak RSS (KiB) of one run of CMD, stdout to
# /dev/null. Exit codes above 1 are failures (chartlint's 1 means findings).
run_once() {
    local var=$1; shift
    local t0 t1 rc=0 rss
    local rssf; rssf=$(mktemp)
    t0=$(date +%s%N)
    if [ $have_time = yes ]; then
        /usr/bin/time -o "$rssf" -f %M "$@" >/dev/null 2>"$out/last.stderr" || rc=$?
        t1=$(date +%s%N)
        rss=$(tail -n 1 "$rssf")
    else
        "$@" >/dev/null 2>"$out/last.stderr" & local pid=$! hwm=0 v
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
            sleep 0.01
        done
        wait "$pid" || rc=$?
        t1=$(date +%s%N)
        rss=$hwm
    fi
    rm -f "$rssf"
    if [ $rc -gt 1 ]; then
        log "failed (exit $rc): $*"; cat "$out/last.stderr" >&2; exit 1
    fi
    printf -v "$var" '%s %s' "$(( (t1 - t0) / 1000000 ))" "$rss"
}

best_ms() { sort -n | head -n 1; }

log "timing on $stream ($bytes bytes), best of $runs"
cl_times=() fy_times=() ft_times=() cl_rss=0
for i in $(seq "$runs"); do
    run_once r "$fyparse" "$stream";                      fy_times+=("${r% *}")
    run_once r "$fyparse" --text "$stream";               ft_times+=("${r% *}")
    run_once r "$chartlint" --format json "$stream";      cl_times+=("${r% *}")
    [ "${r#* }" -gt "$cl_rss" ] && cl_rss=${r#* }
    log "run $i: fyparse ${fy_times[-1]} ms, fyparse --text ${ft_times[-1]} ms, chartlint ${cl_times[-1]} ms, rss ${r#* } KiB"
done
fy_best=$(printf '%s\n' "${fy_times[@]}" | best_ms)
ft_best=$(printf '%s\n' "${ft_times[@]}" | best_ms)
cl_best=$(printf '%s\n' "${cl_times[@]}" | best_ms)
ratio=$(awk -v a="$cl_best" -v b="$fy_best" 'BEGIN { printf "%.2f", a / b }')
rss_ratio=$(awk -v r="$cl_rss" -v n="$bytes" 'BEGIN { printf "%.2f", r * 1024 / n }')
mbs() { awk -v n="$bytes" -v ms="$1" 'BEGIN { printf "%.1f", n / 1048576 / (ms / 1000) }'; }
verdict() { awk -v x="$1" -v t="$2" -v op="$3" \
    'BEGIN { ok = (op == "le") ? (x <= t) : (x < t); print ok ? "met" : "MISSED" }'; }

{
    echo "## Results"
    echo
    echo "- machine: $(nproc) cores, $(awk -F': *' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "- libfyaml $(pkg-config --modversion libfyaml), $(cc --version | head -n 1)"
    echo "- input: $stream, $bytes bytes ($(awk -v n="$bytes" 'BEGIN { printf "%.1f", n / 1048576 }') MiB, $(grep -c '^---' "$stream") documents)"
    echo "- peak RSS measured with $( [ $have_time = yes ] && echo '/usr/bin/time (GNU time, %M)' || echo 'VmHWM polled from /proc')"
    echo
    echo "| program | best of $runs | all runs (ms) | throughput |"
    echo "|---|---|---|---|"
    echo "| fyparse (libfyaml events only) | ${fy_best} ms | ${fy_times[*]} | $(mbs "$fy_best") MiB/s |"
    echo "| fyparse --text (events + every scalar's text; informational) | ${ft_best} ms | ${ft_times[*]} | $(mbs "$ft_best") MiB/s |"
    echo "| chartlint --format json | ${cl_best} ms | ${cl_times[*]} | $(mbs "$cl_best") MiB/s |"
    echo
    echo "| target | measured | verdict |"
    echo "|---|---|---|"
    echo "| chartlint / fyparse time <= 1.5x | ${ratio}x | $(verdict "$ratio" 1.5 le) |"
    echo "| (informational) chartlint / fyparse --text | $(awk -v a="$cl_best" -v b="$ft_best" 'BEGIN { printf "%.2f", a / b }')x | |"
    echo "| chartlint peak RSS < 2x input | $(awk -v r="$cl_rss" 'BEGIN { printf "%.1f", r / 1024 }') MiB = ${rss_ratio}x | $(verdict "$rss_ratio" 2 lt) |"
    echo
    echo "### Per corpus golden (chartlint --format json, best of $runs)"
    echo
    echo "| case | bytes | ms | exit |"
    echo "|---|---|---|---|"
    for f in "$golden"/*.yaml; do
        ts=() rc=0
        for _ in $(seq "$runs"); do
            t0=$(date +%s%N)
            "$chartlint" --format json "$f" >/dev/null 2>&1 || rc=$?
            t1=$(date +%s%N)
            ts+=("$(( (t1 - t0) / 1000 ))")
        done
        [ $rc -gt 1 ] && log "chartlint exited $rc on $f"
        best=$(printf '%s\n' "${ts[@]}" | best_ms)
        printf '| %s | %s | %s | %s |\n' "$(basename "$f" .yaml)" "$(wc -c < "$f")" \
            "$(awk -v us="$best" 'BEGIN { printf "%.1f", us / 1000 }')" "$rc"
    done
} | tee bench/results/latest.md
