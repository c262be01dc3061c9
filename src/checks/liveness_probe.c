/* liveness_probe.c -- CL2001: a long-running container has no liveness probe.
 *
 * A probe that names no handler (exec, httpGet, tcpSocket, grpc) counts as none. */
#include "check.h"
#include "checks/common.h"

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    cl_chk_probes(ctx, obj, "livenessProbe");
}

const struct cl_check cl_check_liveness_probe = {
    .code = "CL2001",
    .name = "liveness-probe",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_RELIABILITY,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Long-running container has no liveness probe",
    .rationale =
        "Without a liveness probe the kubelet restarts a container only when its "
        "process exits, so a deadlocked or wedged process keeps its pod in service "
        "doing nothing until someone notices.",
    .remediation =
        "Add a livenessProbe (httpGet, tcpSocket, grpc or exec) that fails only when "
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
