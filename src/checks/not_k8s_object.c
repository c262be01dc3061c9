/* not_k8s_object.c -- CL0005: a document is not a Kubernetes object (reported by the
 * pipeline, which skips such documents). */
#include "check.h"

const struct cl_check cl_check_not_k8s_object = {
    .code = "CL0005",
    .name = "not-k8s-object",
    .severity = CL_SEV_INFO,
    .category = CL_CAT_CHARTLINT,
    .input_problem = true,
    .kinds = 0,
    .summary = "Document is not a Kubernetes object",
    .rationale = "A document without a string apiVersion and kind is not something the "
                 "API server accepts, so no check can look at it; it is often a values "
                 "file, a misplaced fragment, or template output that lost its header.",
    .remediation = "Lint only rendered manifests, or give the document its apiVersion and "
                   "kind; move other YAML files out of the linted paths.",
    .example_bad = "name: app\n"
                   "image: nginx:1.27.0\n",
    .example_good = "apiVersion: v1\n"
                    "kind: ConfigMap\n"
                    "metadata:\n"
                    "  name: settings\n",
    .internal = true,
};
