# shellcheck shell=sh
# cli_lib.sh -- helpers shared by the shell tests that drive the chartlint binary
# (config_cli.sh, config_per_input.sh). Sourced, not run: the caller sets BIN (the
# binary), WORK (its scratch directory, where out and err are written) and failures=0,
# and exits 1 when failures is not 0 at its end.

# run NAME WANT_RC ARGS... : runs the binary, stdout in out, stderr in err.
run() {
    name=$1 want=$2
    shift 2
    "$BIN" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit code $rc, want $want"
        return 1
    fi
    echo "ok $name"
    return 0
}

fail() {
    echo "FAIL $1: $2"
    echo "--- stdout:"; cat "$WORK/out" 2>/dev/null
    echo "--- stderr:"; cat "$WORK/err" 2>/dev/null
    failures=$((failures + 1))
}

has() {
    if grep -qF -- "$3" "$WORK/$2"; then echo "ok $1"; else fail "$1" "$2 lacks '$3'"; fi
}

hasnt() {
    if grep -qF -- "$3" "$WORK/$2"; then fail "$1" "$2 has '$3'"; else echo "ok $1"; fi
}

# count NAME FILE TEXT N : TEXT occurs on N lines of FILE
count() {
    n=$(grep -cF -- "$3" "$WORK/$2")
    if [ "$n" -eq "$4" ]; then echo "ok $1"; else fail "$1" "$2 has '$3' $n times, want $4"; fi
}
