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

# run_once CMD...: one run of CMD with stdout to /dev/null; sets the globals wall_ms,
# cpu_ms (user + system) and rss_kib (peak RSS). Exit codes above 1 are failures
# (chartlint's 1 means findings).
run_once() {
    local t0 t1 rc=0 statf
    statf=$(mktemp)
    t0=$(date +%s%N)
    if [ $have_time = yes ]; then
        /usr/bin/time -o "$statf" -f '%U %S %M' "$@" >/dev/null 2>"$out/last.stderr" || rc=$?
        t1=$(date +%s%N)
        read -r u s rss_kib < <(tail -n 1 "$statf")
        cpu_ms=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000 }')
    else
        # No GNU time: poll VmHWM and the CPU ticks from /proc while the command runs.
        local pid hwm=0 ticks=0 v hz
        hz=$(getconf CLK_TCK)
        "$@" >/dev/null 2>"$out/last.stderr" & pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
            v=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || true)
            [ -n "$v" ] && ticks=$v
            sleep 0.01
        done
        wait "$pid" || rc=$?
        t1=$(date +%s%N)
        rss_kib=$hwm
        cpu_ms=$(( ticks * 1000 / hz ))
    fi
    rm -f "$statf"
    wall_ms=$(( (t1 - t0) / 1000000 ))
    if [ $rc -gt 1 ]; then
        log "failed (exit $rc): $*"; cat "$out/last.stderr" >&2; exit 1
    fi
}

best_ms() { printf '%s\n' "$@" | sort -n | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

log "timing on $stream ($bytes bytes), best of $runs, interleaved"
fy_wall=() fy_cpu=() ft_wall=() ft_cpu=() cl_wall=() cl_cpu=() cl_rss=0
for i in $(seq "$runs"); do
    run_once "$fyparse" "$stream";                  fy_wall+=("$wall_ms"); fy_cpu+=("$cpu_ms")
    run_once "$fyparse" --text "$stream";           ft_wall+=("$wall_ms"); ft_cpu+=("$cpu_ms")
    run_once "$chartlint" --format json "$stream";  cl_wall+=("$wall_ms"); cl_cpu+=("$cpu_ms")
    [ "$rss_kib" -gt "$cl_rss" ] && cl_rss=$rss_kib
    log "run $i: fyparse ${fy_wall[-1]} ms, fyparse --text ${ft_wall[-1]} ms," \
        "chartlint ${cl_wall[-1]} ms (cpu ${cl_cpu[-1]} ms, rss $rss_kib KiB)"
done
fy_best=$(best_ms "${fy_wall[@]}"); fy_cbest=$(best_ms "${fy_cpu[@]}")
ft_best=$(best_ms "${ft_wall[@]}"); ft_cbest=$(best_ms "${ft_cpu[@]}")
cl_best=$(best_ms "${cl_wall[@]}"); cl_cbest=$(best_ms "${cl_cpu[@]}")
wall_ratio=$(ratio "$cl_best" "$fy_best")
cpu_ratio=$(ratio "$cl_cbest" "$fy_cbest")
rss_ratio=$(awk -v r="$cl_rss" -v n="$bytes" 'BEGIN { printf "%.2f", r * 1024 / n }')
mbs() { awk -v n="$bytes" -v ms="$1" 'BEGIN { printf "%.1f", n / 1048576 / (ms / 1000) }'; }
verdict() { awk -v x="$1" -v t="$2" -v op="$3" \
    'BEGIN { ok = (op == "le") ? (x <= t) : (x < t); print ok ? "met" : "MISSED" }'; }
row() {   # name wall-best cpu-best wall-runs...
    local name=$1 wb=$2 cb=$3; shift 3
    echo "| $name | $wb ms | $cb ms | $* | $(mbs "$wb") MiB/s |"
}

# shellcheck source=/dev/null
os_name=$(. /etc/os-release && echo "$PRETTY_NAME")
{
    echo "## Results"
    echo
    echo "- machine: $(nproc) cores, $(awk -F': *' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, $os_name"
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "- libfyaml $(pkg-config --modversion libfyaml), $(cc --version | head -n 1)"
    echo "- input: $stream, $bytes bytes ($(awk -v n="$bytes" 'BEGIN { printf "%.1f", n / 1048576 }') MiB, $(grep -c '^---' "$stream") documents)"
    echo "- peak RSS measured with $( [ $have_time = yes ] && echo '/usr/bin/time (GNU time, %M)' || echo 'VmHWM polled from /proc')"
    echo "- load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| program | wall, best of $runs | cpu (user+sys), best | wall, all runs (ms) | throughput (wall) |"
    echo "|---|---|---|---|---|"
    row "fyparse (libfyaml events only)" "$fy_best" "$fy_cbest" "${fy_wall[*]}"
    row "fyparse --text (events + every scalar's text; informational)" "$ft_best" "$ft_cbest" "${ft_wall[*]}"
    row "chartlint --format json" "$cl_best" "$cl_cbest" "${cl_wall[*]}"
    echo
    echo "| target | measured | verdict |"
    echo "|---|---|---|"
    echo "| chartlint / fyparse wall time <= 1.5x | ${wall_ratio}x | $(verdict "$wall_ratio" 1.5 le) |"
    echo "| chartlint / fyparse cpu time <= 1.5x | ${cpu_ratio}x | $(verdict "$cpu_ratio" 1.5 le) |"
    echo "| (informational) chartlint / fyparse --text, wall | $(ratio "$cl_best" "$ft_best")x | |"
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
        best=$(best_ms "${ts[@]}")
        printf '| %s | %s | %s | %s |\n' "$(basename "$f" .yaml)" "$(wc -c < "$f")" \
            "$(awk -v us="$best" 'BEGIN { printf "%.1f", us / 1000 }')" "$rc"
    done
} | tee bench/results/latest.md
