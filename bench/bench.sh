#!/usr/bin/env bash
# bench/bench.sh -- chartlint's speed and memory against a bare libfyaml event parse.
#
# Builds chartlint (build-bench/, RelWithDebInfo, no tests) and bench/fyparse.c, makes a
# ~50 MB stream by concatenating the shared corpus goldens, then on that stream times
# `chartlint --format json` (output to /dev/null) and fyparse, best of N each (default
# 5), interleaved in the same run, and reports the ratio and chartlint's peak RSS
# against the input size (target < 2x). The time target (<= 1.5x) is judged on CPU time
# (user + system, best of N): on a shared machine wall time mostly measures the other
# processes. CPU time still varies with load (caches, frequency), so when valgrind is
# installed the script also counts instructions (callgrind, repeatable to a fraction
# of a percent) for both programs on a smaller stream made the same way (--icut-mb,
# default 5; 0 skips it). Finally it times chartlint on each corpus golden. Prints a
# Markdown report on stdout and keeps a copy in bench/results/latest.md.
#
# Usage: bench/bench.sh [--mb N] [--runs N] [--icut-mb N]
#        (CHARTLINT_SHARED_DIR: default ../shared; CHARTLINT=path times that binary
#        instead of building one)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${CHARTLINT_SHARED_DIR:-$(cd .. && pwd)/shared}
mb=50
runs=5
icut=5
while [ $# -gt 0 ]; do
    case $1 in
    --mb) mb=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --icut-mb) icut=$2; shift 2 ;;
    *) echo "usage: bench/bench.sh [--mb N] [--runs N] [--icut-mb N]" >&2; exit 2 ;;
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
    # the shipped configuration, as bench/render.py builds it: static, and against musl
    # when musl-gcc is installed. A build directory keeps its compiler: one configured
    # with the other is started over (CMake would drop the other -D settings when it
    # resets the cache itself).
    libc=(-DCHARTLINT_MUSL=OFF)
    want=glibc
    if musl=$(command -v musl-gcc); then
        libc=(-DCHARTLINT_MUSL=ON -DCMAKE_C_COMPILER="$musl")
        want=musl
    fi
    if [ -f "$out/CMakeCache.txt" ]; then
        was=glibc
        grep -q '^CMAKE_C_COMPILER:[A-Z]*=.*musl-gcc$' "$out/CMakeCache.txt" && was=musl
        [ "$was" = "$want" ] || rm -rf "$out/CMakeCache.txt" "$out/CMakeFiles"
    fi
    cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHARTLINT_SANITIZE=OFF \
          -DCHARTLINT_TESTS=OFF -DCHARTLINT_STATIC_DEPS=ON -DCHARTLINT_STATIC_EXE=ON \
          "${libc[@]}" >/dev/null
    cmake --build "$out" -j"$(nproc)" --target chartlint >/dev/null
    chartlint=$root/$out/chartlint
fi
log "building fyparse in $out/"
# fyparse runs the same libfyaml code as chartlint: the static archive when the chartlint
# being timed has no shared libfyaml (CMake's CHARTLINT_STATIC_DEPS, the default), else
# the shared library. Comparing a static chartlint with a shared-library baseline would
# credit chartlint with libfyaml's own speed-up from static linking (~15%).
fy_link=$(pkg-config --libs libfyaml)
fy_how="shared libfyaml"
if ! ldd "$chartlint" 2>/dev/null | grep -q libfyaml; then
    fy_archive=$(pkg-config --variable=libdir libfyaml)/libfyaml.a
    if [ -f "$fy_archive" ]; then
        fy_link="$fy_archive -lm"
        fy_how="static libfyaml.a, as chartlint"
        # a fully static chartlint (CMake's CHARTLINT_STATIC_EXE) has its C library
        # linked in too: so has the baseline. A musl chartlint (CHARTLINT_MUSL) is still
        # timed against fyparse static with glibc, Debian's libfyaml as built: the
        # conservative baseline (glibc's malloc and string functions are libfyaml's own)
        if ! ldd "$chartlint" >/dev/null 2>&1; then
            fy_link="-static $fy_link"
            fy_how="fully static with libfyaml.a and glibc"
        fi
    fi
fi
# shellcheck disable=SC2046,SC2086
cc -O2 -std=c11 -Wall -Wextra -Werror -o "$out/fyparse" bench/fyparse.c \
   $(pkg-config --cflags libfyaml) $fy_link
log "fyparse links $fy_how"
# how chartlint is linked, for the report: its C library from its start-up symbol
# (the symbol table read whole first: grep -q stopping early would fail nm's pipe)
cl_how="shared libraries"
if ! ldd "$chartlint" >/dev/null 2>&1; then
    cl_how="fully static"
    cl_syms=$(nm "$chartlint" 2>/dev/null || true)
    if grep -q ' __init_libc$' <<<"$cl_syms"; then
        cl_how="fully static, musl"
    elif grep -q ' __libc_start_call_main$' <<<"$cl_syms"; then
        cl_how="fully static, glibc"
    fi
fi
fyparse=$root/$out/fyparse

# make_stream MB: prints the path of a stream of whole passes over the goldens (each
# is a complete helm output) of at least MB MiB, making it once.
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
stream=$(make_stream "$mb")
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

# Instructions (user space, whole process) under callgrind; empty when not counted.
# chartlint exits 1 when it reports findings, so the exit status is not checked here.
count_ir() {
    { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null || true; } |
        awk '/Collected :/ { print $NF }'
}
fy_ir='' cl_ir='' ir_ratio='' istream=''
if [ "$icut" -gt 0 ] && command -v valgrind >/dev/null; then
    istream=$(make_stream "$icut")
    log "counting instructions on $istream (callgrind)"
    fy_ir=$(count_ir "$fyparse" "$istream")
    cl_ir=$(count_ir "$chartlint" --format json "$istream")
    [ -n "$fy_ir" ] && [ -n "$cl_ir" ] && ir_ratio=$(ratio "$cl_ir" "$fy_ir")
fi
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
    echo "- chartlint: $cl_how; fyparse: libfyaml $(pkg-config --modversion libfyaml) ($fy_how), $(cc --version | head -n 1)"
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
    if [ -n "$ir_ratio" ]; then
        echo "Instructions (callgrind, $istream, $(wc -c < "$istream") bytes):" \
             "fyparse $fy_ir, chartlint --format json $cl_ir."
        echo
    fi
    echo "| target | measured | verdict |"
    echo "|---|---|---|"
    echo "| **chartlint / fyparse cpu time <= 1.5x (the target's measure)** | ${cpu_ratio}x | $(verdict "$cpu_ratio" 1.5 le) |"
    if [ -n "$ir_ratio" ]; then
        echo "| chartlint / fyparse instructions <= 1.5x (load-independent check) | ${ir_ratio}x | $(verdict "$ir_ratio" 1.5 le) |"
    fi
    echo "| (informational) chartlint / fyparse wall time | ${wall_ratio}x | |"
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
