/* run_as_non_root.c -- CL1002: a container runs, or may run, as root.
 *
 * The effective values come from the container's securityContext, else the pod's
 * (cl_model_security). A container passes when runAsNonRoot is true and runAsUser is
 * not 0 (the kubelet then refuses to start an image whose user is root), or when
 * runAsUser is a non-zero UID even without runAsNonRoot. Pods for Windows cannot set
 * runAsUser; there runAsNonRoot makes the kubelet refuse ContainerAdministrator, so the
 * message for a missing runAsNonRoot names that user instead. */
#include "check.h"
#include "checks/common.h"

/* " in the pod securityContext" when field comes from the pod, not the container. */
static const char *from(const struct cl_container *c, const struct cl_node *field,
                        const char *name)
{
    return cl_chk_get(cl_chk_get_map(c->node, "securityContext"), name) == field
               ? ""
               : " in the pod securityContext";
}

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    const struct cl_node *spec = cl_model_pod_spec(obj);
    bool windows = cl_chk_windows(spec);
    struct cl_container_iter it;
    struct cl_container c;

    cl_model_containers(&it, spec, CL_LISTS_ALL);
    while (cl_model_next_container(&it, &c)) {
        const struct cl_node *nonroot = cl_model_security(spec, &c, "runAsNonRoot");
        const struct cl_node *user = cl_model_security(spec, &c, "runAsUser");
        bool nonroot_true = nonroot && cl_node_is_true(nonroot);
        long long uid = 0;
        bool has_uid = user && cl_node_int(user, &uid);

        if (has_uid && uid == 0) {
            cl_report(ctx, user, cl_chk_container_id(ctx, &c),
                      "container %s runs as root (runAsUser 0%s)",
                      cl_chk_container(ctx, &c), from(&c, user, "runAsUser"));
            continue;
        }
        if (nonroot_true || (has_uid && uid > 0))
            continue;
        if (has_uid)
            cl_report(
                ctx, user, cl_chk_container_id(ctx, &c),
                "container %s may run as root (runAsUser %lld%s is not a valid user id "
                "and runAsNonRoot is not true)",
                cl_chk_container(ctx, &c), uid, from(&c, user, "runAsUser"));
        else if (nonroot)
            cl_report(ctx, nonroot, cl_chk_container_id(ctx, &c),
                      "container %s may run as root (runAsNonRoot false%s and no non-zero "
                      "runAsUser)",
                      cl_chk_container(ctx, &c), from(&c, nonroot, "runAsNonRoot"));
        else if (windows)
            cl_report(ctx, cl_chk_near(&c, true), cl_chk_container_id(ctx, &c),
                      "container %s may run as ContainerAdministrator (runAsNonRoot not "
                      "set)",
                      cl_chk_container(ctx, &c));
        else
            cl_report(ctx, cl_chk_near(&c, true), cl_chk_container_id(ctx, &c),
                      "container %s may run as root (runAsNonRoot not set and no non-zero "
                      "runAsUser)",
                      cl_chk_container(ctx, &c));
    }
}

const struct cl_check cl_check_run_as_non_root = {
    .code = "CL1002",
    .name = "run-as-non-root",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_SECURITY,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Container runs or may run as root",
    .rationale =
        "A process running as root inside a container is one kernel or runtime bug "
        "away from root on the node, and can modify everything the container can "
        "reach; many images default to root unless told otherwise.",
    .remediation =
        "Set securityContext.runAsNonRoot: true (on the pod or the container) and "
        "give a non-zero securityContext.runAsUser, or build the image with a "
        "numeric non-root USER; never set runAsUser: 0.",
    .example_bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                   "  containers:\n  - name: app\n    image: nginx:1.27.0\n",
    .example_good = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                    "  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n"
                    "  containers:\n  - name: app\n    image: nginx:1.27.0\n",
    .run = run,
};
