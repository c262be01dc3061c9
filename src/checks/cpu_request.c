/* cpu_request.c -- CL3001: a container has no cpu request. */
#include "check.h"
#include "checks/common.h"

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    cl_chk_resources(ctx, obj, "cpu", false);
}

const struct cl_check cl_check_cpu_request = {
    .code = "CL3001",
    .name = "cpu-request",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_RESOURCES,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Container has no CPU request",
    .rationale = "The scheduler places pods by their requests: a container without a CPU "
                 "request counts as needing nothing, so nodes get overcommitted and the "
                 "container is the first to be starved under contention.",
    .remediation = "Set resources.requests.cpu to the CPU the container needs in normal "
                   "operation (for example 100m); a CPU limit alone also works, because "
                   "Kubernetes then defaults the request to the limit. Pod-level resources "
                   "(spec.resources) count for every container of the pod.",
    .example_bad = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                   "  template:\n    spec:\n      containers:\n      - name: app\n"
                   "        image: nginx:1.27.0\n",
    .example_good = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                    "  template:\n    spec:\n      containers:\n      - name: app\n"
                    "        image: nginx:1.27.0\n        resources:\n"
                    "          requests:\n            cpu: 100m\n",
    .run = run,
};
