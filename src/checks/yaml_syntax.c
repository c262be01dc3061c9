/* yaml_syntax.c -- CL0001: a document is not well-formed YAML (reported by the pipeline). */
#include "check.h"

const struct cl_check cl_check_yaml_syntax = {
    .code = "CL0001",
    .name = "yaml-syntax",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_CHARTLINT,
    .input_problem = true,
    .kinds = 0,
    .summary = "Document is not well-formed YAML",
    .rationale = "A document the YAML parser rejects cannot be applied, and none of the "
                 "objects in it can be checked; the rest of the stream is still linted from "
                 "the next document marker on.",
    .remediation = "Fix the syntax at the reported position: indentation, an unclosed "
                   "quote or bracket, a tab used for indentation, or template output that "
                   "broke the YAML.",
    .example_bad = "apiVersion: v1\n"
                   "kind: ConfigMap\n"
                   "metadata: {name: settings\n",
    .example_good = "apiVersion: v1\n"
                    "kind: ConfigMap\n"
                    "metadata: {name: settings}\n",
    .internal = true,
};
