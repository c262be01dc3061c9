{{ toYaml .Values | indent 2 }}
{{ .Values | toJson }}
{{ fromYaml "a: [1, 2]" | toPrettyJson }}
{{ tpl "{{ .Values.name }}" . }}
