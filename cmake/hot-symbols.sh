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
# usage: cmake/hot-symbols.sh BUILD/chartlint [SHARED_DIR]   (needs valgrind and nm)
set -euo pipefail

exe=${1:?usage: cmake/hot-symbols.sh BUILD/chartlint [SHARED_DIR]}
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${2:-$root/../shared}
out=$root/cmake/hot-symbols.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")
cd "$shared/corpus"
i=0
for chart in argo-events kube-state-metrics cert-manager alertmanager; do
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$((i++))" \
        "$exe" "charts/$chart" --namespace default >/dev/null 2>&1 || true
done
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$((i++))" \
    "$exe" --format json golden/argo-events.yaml golden/alertmanager.yaml >/dev/null 2>&1 || true

{
    # IFUNC symbols and their named resolvers: glibc's start-up calls every one
    nm "$exe" | awk '$2 == "i" || $3 ~ /_ifunc$/ { print $3 }'
    # fn=(id) name on a function's first mention; "'N" marks a recursion cycle
    sed -n -E "s/^fn=\([0-9]+\) (.*)$/\1/p" "$tmp"/cg.* | sed -E "s/'[0-9]+$//" |
        grep -v -E '^(0x|\()'
} | LC_ALL=C sort -u >"$out"
echo "hot-symbols: $(wc -l <"$out") symbols in $out"
