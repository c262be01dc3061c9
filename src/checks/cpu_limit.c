/* cpu_limit.c -- CL3003: a container has no cpu limit. */
#include "check.h"
#include "checks/common.h"

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    cl_chk_resources(ctx, obj, "cpu", true);
}

const struct cl_check cl_check_cpu_limit = {
    .code = "CL3003",
    .name = "cpu-limit",
    .severity = CL_SEV_INFO,
    .category = CL_CAT_RESOURCES,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Container has no CPU limit",
    .rationale =
        "Without a CPU limit a busy container can use every idle core of its node, "
        "which hides its real needs until the node fills up; some teams prefer no CPU "
        "limits to avoid throttling, so this is informational.",
    .remediation =
        "Set resources.limits.cpu to the most CPU the container should use (for "
        "example 500m), or disable this check if your policy is to run without CPU "
        "limits. A pod-level limit (spec.resources.limits.cpu) counts for every "
        "container of the pod.",
    .example_bad = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                   "  template:\n    spec:\n      containers:\n      - name: app\n"
                   "        image: nginx:1.27.0\n",
    .example_good = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                    "  template:\n    spec:\n      containers:\n      - name: app\n"
                    "        image: nginx:1.27.0\n        resources:\n"
                    "          limits:\n            cpu: 100m\n",
    .run = run,
};
