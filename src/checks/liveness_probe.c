/* liveness_probe.c -- CL2001: a long-running container has no liveness probe. */
#include "check.h"
#include "checks/common.h"

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    const struct cl_node *spec = cl_model_pod_spec(obj);
    struct cl_container_iter it;
    struct cl_container c;

    cl_model_containers(&it, spec, CL_LISTS_RESOURCES);
    while (cl_model_next_container(&it, &c)) {
        if (!cl_model_long_running(obj, spec, &c) || cl_chk_get_map(c.node, "livenessProbe"))
            continue;
        cl_report(ctx, c.node, cl_chk_container_id(ctx, &c),
                  "%s %s has no livenessProbe", c.sidecar ? "sidecar container" : "container",
                  cl_chk_container(ctx, &c));
    }
}

const struct cl_check cl_check_liveness_probe = {
    .code = "CL2001",
    .name = "liveness-probe",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_RELIABILITY,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Long-running container has no liveness probe",
    .rationale = "Without a liveness probe the kubelet restarts a container only when its "
                 "process exits, so a deadlocked or wedged process keeps its pod in service "
                 "doing nothing until someone notices.",
    .remediation = "Add a livenessProbe (httpGet, tcpSocket, grpc or exec) that fails only when "
                   "the process cannot recover by itself, with timeouts generous enough not to "
                   "kill a slow but healthy container; native sidecars need one too.",
    .example_bad = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                   "  template:\n    spec:\n      containers:\n      - name: app\n"
                   "        image: nginx:1.27.0\n",
    .example_good = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                    "  template:\n    spec:\n      containers:\n      - name: app\n"
                    "        image: nginx:1.27.0\n        livenessProbe:\n"
                    "          httpGet: {path: /healthz, port: 8080}\n",
    .run = run,
};
