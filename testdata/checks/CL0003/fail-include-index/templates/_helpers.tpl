{{- define "web.host" -}}
{{ index .Values.hosts 5 }}
{{- end -}}
