/* unused_suppression.c -- CL0009: a suppression that suppressed nothing (reported by the
 * pipeline for annotations and comments, and by the config file for its entries). */
#include "check.h"

const struct cl_check cl_check_unused_suppression = {
    .code = "CL0009",
    .name = "unused-suppression",
    .severity = CL_SEV_INFO,
    .category = CL_CAT_CHARTLINT,
    .kinds = 0,
    .summary = "Suppression suppressed nothing",
    .rationale = "A suppression outlives the finding it was written for: once the manifest is "
                 "fixed it silently hides the next, real problem of the same check. Only "
                 "suppressions of checks that ran are reported, so --only and --disable do "
                 "not make suppressions look unused.",
    .remediation = "Remove the suppression (annotation, comment or config entry), or move it "
                   "to the object, container or node the finding is actually about.",
    .example_bad = "apiVersion: v1\n"
                   "kind: Pod\n"
                   "metadata:\n"
                   "  name: web\n"
                   "  annotations:\n"
                   "    ignore.chartlint.io/read-only-root-fs: \"nginx writes its cache\"\n"
                   "spec:\n"
                   "  containers:\n"
                   "  - name: app\n"
                   "    image: nginx:1.27.0\n"
                   "    securityContext:\n"
                   "      readOnlyRootFilesystem: true\n",
    .example_good = "apiVersion: v1\n"
                    "kind: Pod\n"
                    "metadata:\n"
                    "  name: web\n"
                    "  annotations:\n"
                    "    ignore.chartlint.io/read-only-root-fs: \"nginx writes its cache\"\n"
                    "spec:\n"
                    "  containers:\n"
                    "  - name: app\n"
                    "    image: nginx:1.27.0\n",
    .example_with = "read-only-root-fs",
    .internal = true,
};
