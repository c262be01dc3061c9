#!/bin/sh
# lua_docs_set.sh CHARTLINT DOC -- the cross-object and chart-data examples of
# docs/lua-api.md work as documented: each ```lua block whose first line names
# acme/service-has-pods.lua or acme/values-pinned-image.lua is loaded as pack "acme"
# and run on the inputs the text describes.
set -eu
bin=$1 doc=$2
case $bin in /*) ;; */*) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/acme"
extract() {   # extract NAME: the lua block starting with "-- acme/NAME"
    awk -v first="-- acme/$1" '/^```lua$/ {on=1; n=0; next} /^```$/ {on=0; next}
        on && n++ == 0 && $0 != first {on=0} on' "$doc" > "$tmp/acme/$1"
    test -s "$tmp/acme/$1" || { echo "FAIL: no lua block for $1 in $doc"; exit 1; }
}
extract service-has-pods.lua
extract values-pinned-image.lua

mkdir "$tmp/deploy"
cat > "$tmp/deploy/svc.yaml" <<'Y'
apiVersion: v1
kind: Service
metadata: {name: orphan}
spec:
  ports:
  - {port: 80}
  selector: {app: gone}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
Y
cat > "$tmp/deploy/web.yaml" <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app}]}
Y
out=$(cd "$tmp" && "$bin" --only acme.service-has-pods --policy acme deploy/ || true)
echo "$out"
echo "$out" | grep -qx 'deploy/svc.yaml:7:13: warning\[acme.service-has-pods\] service "orphan" selects no pod of this input (Service/orphan)' \
    || { echo "FAIL: service-has-pods did not report as documented"; exit 1; }
test "$(echo "$out" | grep -c 'acme.service-has-pods')" -eq 1 \
    || { echo "FAIL: service-has-pods reported a matched Service"; exit 1; }

mkdir -p "$tmp/chart/templates"
printf 'apiVersion: v2\nname: shop\nversion: 1.2.3\n' > "$tmp/chart/Chart.yaml"
printf 'image: {repository: nginx, tag: latest}\n' > "$tmp/chart/values.yaml"
cat > "$tmp/chart/templates/web.yaml" <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
Y
out=$(cd "$tmp" && "$bin" --only acme.values-pinned-image --policy acme ./chart || true)
echo "$out"
echo "$out" | grep -q 'templates/web.yaml:4:9: error\[acme.values-pinned-image\] chart "shop" 1.2.3 runs image tag "latest" from its values (Deployment/web)' \
    || { echo "FAIL: values-pinned-image did not report as documented"; exit 1; }
(cd "$tmp" && "$bin" --only acme.values-pinned-image --policy acme --set image.tag=1.27 ./chart) \
    || { echo "FAIL: values-pinned-image reported a pinned tag"; exit 1; }
(cd "$tmp" && "$bin" --only acme.values-pinned-image --policy acme deploy/) \
    || { echo "FAIL: values-pinned-image reported plain manifests"; exit 1; }
echo ok
