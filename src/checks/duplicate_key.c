/* duplicate_key.c -- CL0002: a mapping has the same key twice (reported by the pipeline). */
#include "check.h"

const struct cl_check cl_check_duplicate_key = {
    .code = "CL0002",
    .name = "duplicate-key",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_CHARTLINT,
    .kinds = 0,
    .summary = "Mapping has the same key twice",
    .rationale = "Kubernetes' decoder keeps the last value of a duplicated key and silently "
                 "drops the first, so a setting written earlier in the mapping never takes "
                 "effect.",
    .remediation = "Remove one of the two keys, or merge their values into a single key.",
    .example_bad = "apiVersion: v1\n"
                   "kind: ConfigMap\n"
                   "metadata:\n"
                   "  name: settings\n"
                   "data:\n"
                   "  mode: fast\n"
                   "  mode: safe\n",
    .example_good = "apiVersion: v1\n"
                    "kind: ConfigMap\n"
                    "metadata:\n"
                    "  name: settings\n"
                    "data:\n"
                    "  mode: safe\n",
    .internal = true,
};
