/* config_error.c -- CL0011: the configuration file has a problem (reported by the run). */
#include "check.h"

const struct cl_check cl_check_config_error = {
    .code = "CL0011",
    .name = "config-error",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_CHARTLINT,
    .input_problem = true,
    .kinds = 0,
    .summary = "The configuration file has an unknown key or a bad value",
    .rationale = "A misspelt key or a value of the wrong type in .chartlint.yaml would "
                 "otherwise be ignored in silence: a check the team disabled would still "
                 "run, or one it relies on would not. The rest of the file still applies.",
    .remediation = "Fix the key or value at the reported line of the config file; "
                   "docs/config.md lists every key, and docs/chartlint.schema.json lets an "
                   "editor check the file as it is typed.",
    .example_file = ".chartlint.yaml",
    .example_bad = "version: 1\n"
                   "checks:\n"
                   "  disabel: [liveness-probe]\n",
    .example_good = "version: 1\n"
                    "checks:\n"
                    "  disable: [liveness-probe]\n",
    .internal = true,
};
