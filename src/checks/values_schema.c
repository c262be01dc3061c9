/* values_schema.c -- CL0007: a chart's values break its values.schema.json (reported by
 * the pipeline from the renderer's schema validation). */
#include "check.h"

const struct cl_check cl_check_values_schema = {
    .code = "CL0007",
    .name = "values-schema",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_CHARTLINT,
    .input_problem = true,
    .kinds = 0,
    .summary = "Values do not meet the chart's values.schema.json",
    .rationale = "Helm validates the coalesced values of a chart and of each subchart "
                 "against their values.schema.json before rendering and refuses to install "
                 "or template the release when any value breaks it; chartlint reports each "
                 "violation at the values line (values.yaml, a -f file or a --set argument) "
                 "that caused it, with the schema rule as a note, and still renders and "
                 "checks the chart.",
    .remediation = "Change the reported value to what the schema rule asks for, or fix the "
                   "schema when the value is right; a chart's own defaults should meet its "
                   "schema.",
    .example_file = "values.schema.json",
    .example_bad = "{\n"
                   "  \"type\": \"object\",\n"
                   "  \"required\": [\"image\"]\n"
                   "}\n",
    .example_good = "{\n"
                    "  \"type\": \"object\",\n"
                    "  \"properties\": {\"replicaCount\": {\"type\": \"integer\", "
                    "\"minimum\": 1}}\n"
                    "}\n",
    .internal = true,
};
