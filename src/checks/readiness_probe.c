/* readiness_probe.c -- CL2002: a long-running container has no readiness probe. */
#include "check.h"
#include "checks/common.h"

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    const struct cl_node *spec = cl_model_pod_spec(obj);
    struct cl_container_iter it;
    struct cl_container c;

    cl_model_containers(&it, spec, CL_LISTS_RESOURCES);
    while (cl_model_next_container(&it, &c)) {
        if (!cl_model_long_running(obj, spec, &c) || cl_chk_get_map(c.node, "readinessProbe"))
            continue;
        cl_report(ctx, c.node, cl_chk_container_id(ctx, &c),
                  "%s %s has no readinessProbe", c.sidecar ? "sidecar container" : "container",
                  cl_chk_container(ctx, &c));
    }
}

const struct cl_check cl_check_readiness_probe = {
    .code = "CL2002",
    .name = "readiness-probe",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_RELIABILITY,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Long-running container has no readiness probe",
    .rationale = "Without a readiness probe a container counts as ready as soon as it starts, "
                 "so Services send it traffic before it can answer and keep sending traffic "
                 "while it is overloaded; rolling updates also proceed without waiting.",
    .remediation = "Add a readinessProbe (httpGet, tcpSocket, grpc or exec) that succeeds only "
                   "when the container can serve requests; native sidecars that serve traffic "
                   "need one too.",
    .example_bad = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                   "  template:\n    spec:\n      containers:\n      - name: app\n"
                   "        image: nginx:1.27.0\n",
    .example_good = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                    "  template:\n    spec:\n      containers:\n      - name: app\n"
                    "        image: nginx:1.27.0\n        readinessProbe:\n"
                    "          httpGet: {path: /healthz, port: 8080}\n",
    .run = run,
};
