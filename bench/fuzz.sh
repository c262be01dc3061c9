#!/usr/bin/env bash
# bench/fuzz.sh TARGET|all [SECONDS] -- a long fuzzing campaign (CI runs only a short
# smoke run, tests/fuzz_smoke.sh). Builds the libFuzzer targets with clang under
# ASan+UBSan in build-fuzz/ (CHARTLINT_FUZZ_BUILD to change), then runs TARGET (fuzz_stream,
# fuzz_tmpl, ...; "all": each in turn) for SECONDS (default 600) on a growing corpus in
# build-fuzz/corpus/TARGET, seeded from testdata/fuzz/TARGET. Crashes, leaks and
# timeouts are written to build-fuzz/crashes/TARGET/. Extra libFuzzer flags can be given
# in FUZZ_FLAGS (say "-jobs=2 -workers=2"). Exit 1 when any target found a problem.
set -uo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)

if [ $# -lt 1 ]; then
    echo "usage: bench/fuzz.sh TARGET|all [SECONDS]" >&2
    exit 2
fi
what=$1
secs=${2:-600}
build=${CHARTLINT_FUZZ_BUILD:-$src/build-fuzz}
jobs=${CHARTLINT_JOBS:-2}

targets=()
for f in tests/fuzz/fuzz_*.c; do
    t=$(basename "$f" .c)
    if [ "$what" = all ] || [ "$what" = "$t" ]; then
        targets+=("$t")
    fi
done
if [ ${#targets[@]} -eq 0 ]; then
    echo "bench/fuzz.sh: no target \"$what\" (have: $(ls tests/fuzz/fuzz_*.c | xargs -n1 basename | sed 's/\.c$//' | tr '\n' ' '))" >&2
    exit 2
fi

cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCHARTLINT_FUZZ=ON -DCHARTLINT_SANITIZE=ON >/dev/null || exit 1
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >/dev/null || exit 1

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# libfyaml 0.7.12's own scanner leak (tests/lsan.supp), as in .ci/test and the smoke run:
# without it a campaign of fuzz_stream stops on its seed corpus.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/tests/lsan.supp:print_suppressions=0}
fail=0
for t in "${targets[@]}"; do
    corpus=$build/corpus/$t
    crashes=$build/crashes/$t
    mkdir -p "$corpus" "$crashes"
    echo "== $t for ${secs}s (corpus $corpus, crashes $crashes)"
    # shellcheck disable=SC2086
    if ! "$build/tests/$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
            -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" \
            ${FUZZ_FLAGS:-} "$corpus" "testdata/fuzz/$t" 2>"$build/$t.log"; then
        echo "== $t FAILED: $(grep -m1 'SUMMARY' "$build/$t.log") (log $build/$t.log)"
        ls "$crashes"
        fail=1
    else
        echo "== $t ok: $(grep -m1 'number_of_executed_units' "$build/$t.log")"
    fi
done
exit $fail
