/* render_error.c -- CL0003: a chart template failed to render (reported by the pipeline). */
#include "check.h"

const struct cl_check cl_check_render_error = {
    .code = "CL0003",
    .name = "render-error",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_CHARTLINT,
    .input_problem = true,
    .kinds = 0,
    .summary = "Chart template fails to render",
    .rationale = "Helm refuses to install a chart when any template fails (a parse error, a "
                 "nil pointer, `fail` or `required`, a function given bad arguments) or when "
                 "its values cannot be read; chartlint reports each failing template at the "
                 "action that failed and still renders and checks the others.",
    .remediation = "Fix the template action at the reported position, or give the value it "
                   "needs (guard optional maps with `with`, `dig` or `default`).",
    .example_file = "templates/example.yaml",
    .example_bad = "apiVersion: v1\n"
                   "kind: ConfigMap\n"
                   "metadata:\n"
                   "  name: {{ .Values.app.name }}\n",
    .example_good = "apiVersion: v1\n"
                    "kind: ConfigMap\n"
                    "metadata:\n"
                    "  name: {{ .Release.Name }}\n",
    .internal = true,
};
