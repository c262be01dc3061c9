/* chart_metadata.c -- CL4001: Chart.yaml (or requirements.yaml) is missing or invalid
 * (reported by the pipeline from the chart loader's problems). */
#include "check.h"

const struct cl_check cl_check_chart_metadata = {
    .code = "CL4001",
    .name = "chart-metadata",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_HYGIENE,
    .kinds = 0,
    .summary = "Chart.yaml is missing a field or has an invalid one",
    .rationale = "Helm refuses a chart without a name or version, with an unknown apiVersion, "
                 "a version that is not SemVer 2, a field of the wrong type or a broken "
                 "dependency list; `helm package` and `helm install` fail on it.",
    .remediation = "Give Chart.yaml apiVersion v2, a name, a SemVer 2 version, and well-formed "
                   "dependencies whose charts are present under charts/.",
    .example_file = "Chart.yaml",
    .example_bad = "apiVersion: v2\n"
                   "name: example\n",
    .example_good = "apiVersion: v2\n"
                    "name: example\n"
                    "version: 0.1.0\n",
    .internal = true,
};
