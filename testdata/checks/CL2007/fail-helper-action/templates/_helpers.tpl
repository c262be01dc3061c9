{{- define "web.containers" -}}
- name: app
  image:   {{ printf "%s:%s" .Values.image.repository "latest" | quote }}
- name: sidecar
  image: {{ "busybox" }}
- name: pinned
  image: "nginx:1.27.0"
{{- end }}
