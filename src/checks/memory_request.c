/* memory_request.c -- CL3002: a container has no memory request. */
#include "check.h"
#include "checks/common.h"

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    cl_chk_resources(ctx, obj, "memory", false);
}

const struct cl_check cl_check_memory_request = {
    .code = "CL3002",
    .name = "memory-request",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_RESOURCES,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Container has no memory request",
    .rationale =
        "The scheduler places pods by their requests: a container without a memory "
        "request counts as needing none, so nodes get overcommitted and the pod is "
        "among the first evicted under memory pressure.",
    .remediation =
        "Set resources.requests.memory to the memory the container needs in normal "
        "operation (for example 128Mi); a memory limit alone also works, because "
        "Kubernetes then defaults the request to the limit. Pod-level resources "
        "(spec.resources) count for every container of the pod.",
    .example_bad = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                   "  template:\n    spec:\n      containers:\n      - name: app\n"
                   "        image: nginx:1.27.0\n",
    .example_good = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                    "  template:\n    spec:\n      containers:\n      - name: app\n"
                    "        image: nginx:1.27.0\n        resources:\n"
                    "          requests:\n            memory: 128Mi\n",
    .run = run,
};
