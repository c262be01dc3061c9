{{- define "web.container" -}}
# chartlint: ignore=read-only-root-fs -- the helper's container writes its cache
- name: app
  image: nginx:1.27.0
  securityContext:
    readOnlyRootFilesystem: true
{{- end }}
