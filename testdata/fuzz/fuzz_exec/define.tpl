{{- define "x.name" -}}{{ .Values.name | default "a" | trunc 63 | trimSuffix "-" }}{{- end }}
name: {{ include "x.name" . }}
