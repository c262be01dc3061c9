{{- define "web.container" -}}
# chartlint: ignore=read-only-root-fs -- nginx writes its cache under /var/cache
- name: app
  image: nginx:1.27.0
  imagePullPolicy: IfNotPresent
  securityContext:
    allowPrivilegeEscalation: false
    capabilities: {drop: [ALL]}
  livenessProbe: {httpGet: {path: /, port: 80}}
  readinessProbe: {httpGet: {path: /, port: 80}}
  resources:
    requests: {cpu: 10m, memory: 16Mi}
    limits: {cpu: 100m, memory: 16Mi}
{{- end }}
