/* stale_baseline.c -- CL0012: a baseline entry that matched no finding (reported by the
 * run after --baseline was applied, see src/baseline.c). */
#include "check.h"

const struct cl_check cl_check_stale_baseline = {
    .code = "CL0012",
    .name = "stale-baseline",
    .severity = CL_SEV_INFO,
    .category = CL_CAT_CHARTLINT,
    .kinds = 0,
    .summary = "Baseline entry matches no finding",
    .rationale = "A baseline accepts the findings a repository had when it adopted chartlint; "
                 "an entry whose finding is gone (fixed, or the object renamed) would accept "
                 "a new finding with the same fingerprint later, so it should be removed.",
    .remediation = "Write the baseline again with --write-baseline FILE (together with "
                   "--baseline FILE) once the remaining findings are the accepted ones, or "
                   "delete the reported entry from the file.",
    .example_bad = "apiVersion: v1\n"
                   "kind: Pod\n"
                   "metadata:\n"
                   "  name: web\n"
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
                    "spec:\n"
                    "  containers:\n"
                    "  - name: app\n"
                    "    image: nginx:1.27.0\n",
    .example_with = "read-only-root-fs",
    .example_baseline =
        "{\n"
        "  \"version\": 1,\n"
        "  \"tool\": {\"name\": \"chartlint\"},\n"
        "  \"findings\": [\n"
        "    {\n"
        "      \"fingerprint\": \"f1167ef247b28177\",\n"
        "      \"check\": \"read-only-root-fs\",\n"
        "      \"file\": \"example.yaml\",\n"
        "      \"object\": \"Pod/default/web\",\n"
        "      \"container\": \"app\",\n"
        "      \"path\": \"spec.containers[0]\",\n"
        "      \"message\": \"container \\\"app\\\" can write to its root filesystem\"\n"
        "    }\n"
        "  ]\n"
        "}\n",
    .internal = true,
};
