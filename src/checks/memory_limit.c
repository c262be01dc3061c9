/* memory_limit.c -- CL3004: a container has no memory limit. */
#include "check.h"
#include "checks/common.h"

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    cl_chk_resources(ctx, obj, "memory", true);
}

const struct cl_check cl_check_memory_limit = {
    .code = "CL3004",
    .name = "memory-limit",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_RESOURCES,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Container has no memory limit",
    .rationale =
        "Without a memory limit a leaking or overloaded container can take all memory "
        "of its node until the kernel's out-of-memory killer picks victims, which may "
        "be other pods.",
    .remediation =
        "Set resources.limits.memory to the most memory the container may use (for "
        "example 256Mi); setting it equal to the request gives predictable behaviour. A "
        "pod-level limit (spec.resources.limits.memory) counts for every container of "
        "the pod.",
    .example_bad = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                   "  template:\n    spec:\n      containers:\n      - name: app\n"
                   "        image: nginx:1.27.0\n",
    .example_good = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                    "  template:\n    spec:\n      containers:\n      - name: app\n"
                    "        image: nginx:1.27.0\n        resources:\n"
                    "          limits:\n            memory: 128Mi\n",
    .run = run,
};
