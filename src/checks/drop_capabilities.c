/* drop_capabilities.c -- CL1003: a container keeps the runtime's default capabilities.
 *
 * Kubernetes passes capability names to the runtime as written; "ALL" is the one
 * spelling the Pod Security Standards (restricted) accept for dropping everything, so
 * a lower-case "all" gets its own message. Pods for Windows (spec.os.name: windows) are
 * exempt: the API rejects capabilities there. */
#include <strings.h>

#include "check.h"
#include "checks/common.h"
#include "util.h"

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    const struct cl_node *spec = cl_model_pod_spec(obj);
    struct cl_container_iter it;
    struct cl_container c;

    if (cl_chk_windows(spec))
        return; /* capabilities cannot be set for Windows pods */
    cl_model_containers(&it, spec, CL_LISTS_ALL);
    while (cl_model_next_container(&it, &c)) {
        const struct cl_node *caps = cl_model_security(spec, &c, "capabilities");
        const struct cl_node *drop = cl_chk_get_seq(caps, "drop");
        const struct cl_node *near_all = NULL;
        bool all = false;

        for (size_t i = 0; drop && i < cl_node_len(drop) && !all; i++) {
            const struct cl_node *item = cl_node_item(drop, i);
            const char *s = cl_node_string(item);

            if (cl_streq(s, "ALL"))
                all = true;
            else if (s && !near_all && strcasecmp(s, "ALL") == 0)
                near_all = item;
        }
        if (all)
            continue;
        if (near_all)
            cl_report(
                ctx, near_all, cl_chk_container_id(ctx, &c),
                "container %s drops capability %s; write \"ALL\" in upper case to drop "
                "all capabilities (securityContext.capabilities.drop)",
                cl_chk_container(ctx, &c), cl_chk_quote(ctx, cl_node_str(near_all)));
        else
            cl_report(ctx,
                      drop   ? drop
                      : caps ? caps
                             : cl_chk_near(&c, true),
                      cl_chk_container_id(ctx, &c),
                      "container %s does not drop all capabilities "
                      "(securityContext.capabilities.drop lacks \"ALL\")",
                      cl_chk_container(ctx, &c));
    }
}

const struct cl_check cl_check_drop_capabilities = {
    .code = "CL1003",
    .name = "drop-capabilities",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_SECURITY,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Container does not drop all Linux capabilities",
    .rationale = "Container runtimes grant a default set of Linux capabilities (CHOWN, "
                 "DAC_OVERRIDE, NET_RAW, SETUID and more) that most processes never need "
                 "and that an attacker can use to escalate or to attack the network.",
    .remediation =
        "Set securityContext.capabilities.drop: [\"ALL\"] on every container and "
        "add back only the capabilities the process needs, such as "
        "NET_BIND_SERVICE.",
    .example_bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                   "  containers:\n  - name: app\n    image: nginx:1.27.0\n",
    .example_good = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                    "  containers:\n  - name: app\n    image: nginx:1.27.0\n"
                    "    securityContext:\n      capabilities:\n        drop: [\"ALL\"]\n",
    .run = run,
};
