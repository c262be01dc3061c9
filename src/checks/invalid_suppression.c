/* invalid_suppression.c -- CL0008: a suppression that is malformed, names no known
 * check, or gives no reason (reported by the pipeline, see src/suppress.c and run.c). */
#include "check.h"

const struct cl_check cl_check_invalid_suppression = {
    .code = "CL0008",
    .name = "invalid-suppression",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_CHARTLINT,
    .input_problem = true,
    .kinds = 0,
    .summary = "Suppression is malformed, names an unknown check or gives no reason",
    .rationale = "A suppression hides findings from everyone who reads the output later, so "
                 "it must say why; one that names a check chartlint does not know (a typo, a "
                 "check of a policy pack that is not loaded) or that cannot be read silently "
                 "suppresses nothing. A suppression without a reason still applies, and this "
                 "finding asks for the reason.",
    .remediation = "Write the reason after the check id: the annotation's value "
                   "(ignore.chartlint.io/<check>: \"<reason>\") or the text after \" -- \" in a "
                   "comment (# chartlint: ignore=<check>[,<check>...] -- <reason>), and name "
                   "checks as `chartlint rules` lists them (a name or a code).",
    .example_bad = "apiVersion: v1\n"
                   "kind: Pod\n"
                   "metadata:\n"
                   "  name: web\n"
                   "  annotations:\n"
                   "    ignore.chartlint.io/read-only-root-fs: \"\"\n"
                   "spec:\n"
                   "  containers:\n"
                   "  - name: app\n"
                   "    image: nginx:1.27.0\n",
    .example_good = "apiVersion: v1\n"
                    "kind: Pod\n"
                    "metadata:\n"
                    "  name: web\n"
                    "  annotations:\n"
                    "    ignore.chartlint.io/read-only-root-fs: \"nginx writes its cache; "
                    "tracked in OPS-12\"\n"
                    "spec:\n"
                    "  containers:\n"
                    "  - name: app\n"
                    "    image: nginx:1.27.0\n",
    .internal = true,
};
