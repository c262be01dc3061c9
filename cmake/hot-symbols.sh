#!/usr/bin/env bash
# cmake/hot-symbols.sh -- regenerate cmake/hot-symbols.txt, the functions a lint run
# executes, which the release link (lld's --symbol-ordering-file, see CMakeLists.txt)
# places together at the start of .text.
#
# A cold run (bench/render.py, every CI job) pays one page fault per 64 KiB window of
# the executable it touches; linked in archive order, the few functions a run needs
# from glibc, libcrypto, Lua and libfyaml are spread over ~4.7 MB of text. The list is
# what callgrind sees executed on four median corpus charts and on plain manifests
# (JSON output), plus every IFUNC resolver (glibc runs them all at start-up). A name
# that no longer exists is ignored by the linker, so a stale list costs only locality.
#
# One list serves both static configurations: give it a glibc and a musl executable
# (CHARTLINT_MUSL) and it lists the union; the linker ignores the other C library's names.
#
# usage: cmake/hot-symbols.sh EXE [EXE...] [SHARED_DIR]   (needs valgrind and nm; gdb
# for the string functions glibc picks natively)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
shared=$root/../shared
exes=()
for a in "$@"; do
    if [ -d "$a" ]; then
        shared=$a
    else
        exes+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")")
    fi
done
[ ${#exes[@]} -gt 0 ] || { echo "usage: cmake/hot-symbols.sh EXE [EXE...] [SHARED_DIR]" >&2; exit 2; }
out=$root/cmake/hot-symbols.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$shared/corpus"
: >"$tmp/hot"
for exe in "${exes[@]}"; do
    rm -f "$tmp"/cg.*
    i=0
    for chart in argo-events kube-state-metrics cert-manager alertmanager; do
        valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$((i++))" \
            "$exe" "charts/$chart" --namespace default >/dev/null 2>&1 || true
    done
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$((i++))" \
        "$exe" --format json golden/argo-events.yaml golden/alertmanager.yaml >/dev/null 2>&1 || true

    {
        cat "$tmp/hot"
        # IFUNC symbols and their named resolvers: glibc's start-up calls every one
        nm "$exe" | awk '$2 == "i" || $3 ~ /_ifunc$/ { print $3 }'
        # fn=(id) name or cfn=(id) name on a function's first mention (as the caller or
        # the called: a name is given once per file); "'N" marks a recursion cycle
        sed -n -E "s/^c?fn=\([0-9]+\) (.*)$/\1/p" "$tmp"/cg.* | sed -E "s/'[0-9]+$//" |
            grep -v -E '^(0x|\()'
    } | LC_ALL=C sort -u >"$tmp/hot.new"
    mv "$tmp/hot.new" "$tmp/hot"

    # The string and math functions the IFUNCs pick on this machine. valgrind's CPU has no
    # AVX-512, so under callgrind glibc picks __memchr_avx2, __strlen_avx2, ...; run natively
    # on an AVX-512 machine it picks __memchr_evex_rtm, __strlen_evex, ..., which the list
    # above does not name and which lie across the last megabyte of .text (argo-events: 7 of
    # its 21 faults on the text). The pick is read from the IRELATIVE slots after start-up
    # (gdb); a pick is listed when callgrind saw a variant of the same function (the name
    # up to its first '_' after the leading underscores: __strcasecmp_l_evex -> strcasecmp).
    if command -v gdb >/dev/null 2>&1; then
        readelf -rW "$exe" | awk '$3 == "R_X86_64_IRELATIVE" { printf "x/gx 0x%s\n", $1 }' >"$tmp/irel.gdb"
        gdb -q -batch -ex 'break main' -ex 'run --version >/dev/null' -x "$tmp/irel.gdb" "$exe" \
            2>/dev/null | awk '/^0x/ { print $NF }' | sort -u >"$tmp/picked"
        nm "$exe" | awk -v picked="$tmp/picked" -v hot="$tmp/hot" '
            function stem(n) { sub(/^_+/, "", n); sub(/_.*/, "", n); return n }
            function num(x,  i, v) {                 # hex digits, with or without 0x
                sub(/^0[xX]/, "", x)
                for (i = 1; i <= length(x); i++)
                    v = v * 16 + index("0123456789abcdef", tolower(substr(x, i, 1))) - 1
                return v
            }
            BEGIN {
                while ((getline a < picked) > 0) want[num(a)] = 1
                while ((getline h < hot) > 0) hotstem[stem(h)] = 1
            }
            $2 ~ /^[tTW]$/ && (num($1) in want) && (stem($3) in hotstem) { print $3 }' \
            >>"$tmp/hot"
    fi
done
LC_ALL=C sort -u "$tmp/hot" >"$out"
echo "hot-symbols: $(wc -l <"$out") symbols in $out"
