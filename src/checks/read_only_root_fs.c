/* read_only_root_fs.c -- CL1001: a container can write to its root filesystem.
 *
 * Pods for Windows (spec.os.name: windows) are exempt: the API rejects the field there. */
#include "check.h"
#include "checks/common.h"

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    const struct cl_node *spec = cl_model_pod_spec(obj);
    struct cl_container_iter it;
    struct cl_container c;

    if (cl_chk_windows(spec))
        return; /* readOnlyRootFilesystem cannot be set for Windows pods */
    cl_model_containers(&it, spec, CL_LISTS_ALL);
    while (cl_model_next_container(&it, &c)) {
        const struct cl_node *ro = cl_model_security(spec, &c, "readOnlyRootFilesystem");

        if (ro && cl_node_is_true(ro))
            continue;
        if (ro)
            cl_report(ctx, ro, cl_chk_container_id(ctx, &c),
                      "container %s can write to its root filesystem "
                      "(securityContext.readOnlyRootFilesystem is false)",
                      cl_chk_container(ctx, &c));
        else
            cl_report(ctx, cl_chk_near(&c, true), cl_chk_container_id(ctx, &c),
                      "container %s can write to its root filesystem "
                      "(securityContext.readOnlyRootFilesystem is not set)",
                      cl_chk_container(ctx, &c));
    }
}

const struct cl_check cl_check_read_only_root_fs = {
    .code = "CL1001",
    .name = "read-only-root-fs",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_SECURITY,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Container root filesystem is writable",
    .rationale =
        "A writable root filesystem lets an intruder persist tools, alter binaries and "
        "configuration, and hides changes from image scanning; an immutable root "
        "filesystem also makes the container's behaviour reproducible.",
    .remediation = "Set securityContext.readOnlyRootFilesystem: true on every container "
                   "(regular, init and ephemeral) and mount an emptyDir volume where the "
                   "process must write, such as /tmp.",
    .example_bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                   "  containers:\n  - name: app\n    image: nginx:1.27.0\n",
    .example_good = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                    "  containers:\n  - name: app\n    image: nginx:1.27.0\n"
                    "    securityContext:\n      readOnlyRootFilesystem: true\n",
    .run = run,
};
