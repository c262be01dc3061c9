#!/usr/bin/env bash
# fuzz_smoke.sh SRC_DIR BUILD_DIR -- CI's short fuzzing run: build the libFuzzer targets
# with clang (ASan+UBSan, -DCHARTLINT_FUZZ=ON) in BUILD_DIR and run each on a copy of its
# seed corpus, two at a time. The run is deterministic so that CI is repeatable: a fixed
# -seed (CHARTLINT_FUZZ_SEED, default 1) and a fixed number of inputs per target
# (CHARTLINT_FUZZ_RUNS overrides runs_for() below), with CHARTLINT_FUZZ_SECONDS (default
# 90) only as a cap on slow machines. Random exploration belongs to bench/fuzz.sh. Exit 77 (skipped)
# when clang or libFuzzer is missing; 1 when a build fails or a target finds a crash,
# leak or timeout (its log and crash-* file are left in BUILD_DIR/run/TARGET/).
# Longer campaigns: bench/fuzz.sh.
set -uo pipefail
src=$(cd "$1" && pwd)
mkdir -p "$2" && build=$(cd "$2" && pwd) || exit 1
secs=${CHARTLINT_FUZZ_SECONDS:-90}
runs=${CHARTLINT_FUZZ_RUNS:-}

# Inputs per target: what a loaded 2-core machine gets through in about 15 s under
# ASan+UBSan, so the time cap is never what ends a run and CI stays repeatable (the
# slow targets render charts or write every report format per input).
runs_for() {
    if [ -n "$runs" ]; then
        echo "$runs"
        return
    fi
    case $1 in
        fuzz_report) echo 500 ;;
        fuzz_stream | fuzz_xchecks) echo 3000 ;;
        fuzz_lua) echo 10000 ;;
        *) echo 20000 ;;
    esac
}
seed=${CHARTLINT_FUZZ_SEED:-1}
jobs=${CHARTLINT_JOBS:-2}

cc=${CHARTLINT_FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null; then
    echo "fuzz-smoke: skipped: $cc not found (install clang and libclang-rt-14-dev)"
    exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    >"$probe/p.c"
if ! "$cc" -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null; then
    echo "fuzz-smoke: skipped: $cc cannot link -fsanitize=fuzzer (install libclang-rt-14-dev)"
    exit 77
fi

cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCHARTLINT_FUZZ=ON -DCHARTLINT_SANITIZE=ON >"$build.cmake.log" 2>&1 \
    || { cat "$build.cmake.log"; exit 1; }
targets=()
for f in "$src"/tests/fuzz/fuzz_*.c; do
    targets+=("$(basename "$f" .c)")
done
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >"$build.build.log" 2>&1 \
    || { tail -50 "$build.build.log"; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
    local t=$1 dir="$build/run/$1"
    rm -rf "$dir"
    mkdir -p "$dir/corpus"
    cp "$src/testdata/fuzz/$t"/* "$dir/corpus/" 2>/dev/null
    (cd "$dir" && "$build/tests/$t" -seed="$seed" -runs="$(runs_for "$t")" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 corpus >log 2>&1)
}

fail=0
pids=()
names=()
for t in "${targets[@]}"; do
    run_one "$t" &
    pids+=($!)
    names+=("$t")
    if [ ${#pids[@]} -ge "$jobs" ]; then
        if ! wait "${pids[0]}"; then
            echo "fuzz-smoke: ${names[0]} FAILED (log: $build/run/${names[0]}/log)"
            tail -40 "$build/run/${names[0]}/log"
            fail=1
        else
            echo "fuzz-smoke: ${names[0]} ok: $(grep -m1 'stat::number_of_executed_units' "$build/run/${names[0]}/log")"
        fi
        pids=("${pids[@]:1}")
        names=("${names[@]:1}")
    fi
done
for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
        echo "fuzz-smoke: ${names[$i]} FAILED (log: $build/run/${names[$i]}/log)"
        tail -40 "$build/run/${names[$i]}/log"
        fail=1
    else
        echo "fuzz-smoke: ${names[$i]} ok: $(grep -m1 'stat::number_of_executed_units' "$build/run/${names[$i]}/log")"
    fi
done
exit $fail
