/* readiness_probe.c -- CL2002: a long-running container has no readiness probe.
 *
 * A probe that names no handler (exec, httpGet, tcpSocket, grpc) counts as none. */
#include "check.h"
#include "checks/common.h"

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    cl_chk_probes(ctx, obj, "readinessProbe");
}

const struct cl_check cl_check_readiness_probe = {
    .code = "CL2002",
    .name = "readiness-probe",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_RELIABILITY,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Long-running container has no readiness probe",
    .rationale =
        "Without a readiness probe a container counts as ready as soon as it starts, "
        "so Services send it traffic before it can answer and keep sending traffic "
        "while it is overloaded; rolling updates also proceed without waiting.",
    .remediation =
        "Add a readinessProbe (httpGet, tcpSocket, grpc or exec) that succeeds only "
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
