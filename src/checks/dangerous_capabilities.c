/* dangerous_capabilities.c -- CL1004: a container adds Linux capabilities it should not.
 *
 * Every entry of securityContext.capabilities.add must be in the `allowed` parameter.
 * Runtimes upper-case the names and put "CAP_" in front (containerd, CRI-O), so the
 * comparison ignores case and an optional "CAP_" prefix on either side. */
#include <string.h>
#include <strings.h>

#include "check.h"
#include "checks/common.h"

static const char *bare(const char *s, size_t *len)
{
    if (*len >= 4 && strncasecmp(s, "CAP_", 4) == 0) {
        *len -= 4;
        return s + 4;
    }
    return s;
}

/* Is capability cap in the comma-separated list? */
static bool allowed(const char *list, const char *cap)
{
    size_t clen = strlen(cap);
    const char *c = bare(cap, &clen);

    while (list && *list) {
        const char *end = strchr(list, ',');
        size_t n = end ? (size_t)(end - list) : strlen(list);
        const char *item = list;

        while (n > 0 && (*item == ' ' || *item == '\t')) {
            item++;
            n--;
        }
        while (n > 0 && (item[n - 1] == ' ' || item[n - 1] == '\t'))
            n--;
        item = bare(item, &n);
        if (n > 0 && n == clen && strncasecmp(item, c, n) == 0)
            return true;
        list = end ? end + 1 : NULL;
    }
    return false;
}

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    const struct cl_node *spec = cl_model_pod_spec(obj);
    const char *list = cl_ctx_param(ctx, "allowed");
    struct cl_container_iter it;
    struct cl_container c;

    cl_model_containers(&it, spec, CL_LISTS_ALL);
    while (cl_model_next_container(&it, &c)) {
        const struct cl_node *add =
            cl_chk_get_seq(cl_model_security(spec, &c, "capabilities"), "add");

        for (size_t i = 0; add && i < cl_node_len(add); i++) {
            const struct cl_node *item = cl_node_item(add, i);
            const char *cap = cl_node_string(item);

            if (!cap || allowed(list, cap))
                continue;
            cl_report(
                ctx, item, cl_chk_container_id(ctx, &c),
                "container %s adds capability %s%s (securityContext.capabilities.add)",
                cl_chk_container(ctx, &c), cl_chk_quote(ctx, cap),
                strcasecmp(cap, "ALL") == 0 ? ", which grants every capability" : "");
        }
    }
}

static const struct cl_param params[] = {
    {"allowed", CL_PARAM_STRING_LIST, "NET_BIND_SERVICE",
     "Capabilities a container may add (with or without the CAP_ prefix, any case)."},
    {NULL, CL_PARAM_STRING, NULL, NULL},
};

const struct cl_check cl_check_dangerous_capabilities = {
    .code = "CL1004",
    .name = "dangerous-capabilities",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_SECURITY,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Container adds a Linux capability outside the allowed list",
    .rationale =
        "Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE give a "
        "container near-root power over the node's kernel, network or other "
        "processes, and make escaping the container much easier.",
    .remediation =
        "Remove the capability from securityContext.capabilities.add, or, if the "
        "workload truly needs it, add it to the check's allowed parameter in the "
        "policy configuration.",
    .example_bad =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
        "  containers:\n  - name: app\n    image: nginx:1.27.0\n"
        "    securityContext:\n      capabilities:\n        add: [\"SYS_ADMIN\"]\n",
    .example_good = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                    "  containers:\n  - name: app\n    image: nginx:1.27.0\n"
                    "    securityContext:\n      capabilities:\n"
                    "        add: [\"NET_BIND_SERVICE\"]\n",
    .params = params,
    .run = run,
};
