/* field_type.c -- CL0004: a field the checks read has the wrong YAML type.
 *
 * The model and the other checks read a wrongly typed field as absent and never crash
 * on it; this check is where such a field is reported, once, at the offending value.
 * It walks exactly the fields the model and the built-in per-object checks read: the
 * object's name and namespace, the path down to the pod spec, the container lists and
 * their items, and in each container its name, securityContext, resources, and probes
 * with their handlers. Null counts as absent (Kubernetes' decoder reads it so), never
 * as a wrong type, except as a container list item. */
#include <stdint.h>

#include "check.h"
#include "checks/common.h"
#include "util.h"

enum want { W_BOOL, W_INT, W_STRING, W_MAP, W_LIST, W_STRINGS, W_QUANTITY };

static const char *const want_text[] = {
    [W_BOOL] = "a boolean",
    [W_INT] = "an integer",
    [W_STRING] = "a string",
    [W_MAP] = "a mapping",
    [W_LIST] = "a list",
    [W_STRINGS] = "a list of strings",
    [W_QUANTITY] = "a quantity (a string or a number)",
};

/* Where fields are: the object (prefix is the path of the pod spec, with a final '.',
 * or "") or one container (c set, paths relative to the container). */
struct scope {
    struct cl_ctx *ctx;
    const char *prefix;
    const struct cl_container *c;
};

static bool has(const struct cl_node *v, enum want w)
{
    bool b;
    long long n;

    switch (w) {
    case W_BOOL:
        return cl_node_bool(v, &b);
    case W_INT:
        return cl_node_int(v, &n);
    case W_STRING:
        return cl_node_string(v) != NULL;
    case W_MAP:
        return cl_node_is_map(v);
    case W_LIST:
    case W_STRINGS:
        return cl_node_is_seq(v);
    case W_QUANTITY:
        return cl_chk_is_quantity(v);
    }
    return false;
}

/* Report node, found at field path (with index idx unless SIZE_MAX), for not being w. */
static void bad(const struct scope *s, const struct cl_node *node, const char *path,
                size_t idx, enum want w)
{
    struct cl_buf b;
    const char *field;

    cl_buf_init(&b);
    cl_buf_printf(&b, "%s%s", s->prefix, path);
    if (idx != SIZE_MAX)
        cl_buf_printf(&b, "[%zu]", idx);
    field = cl_ctx_strdup(s->ctx, b.data);
    cl_buf_fini(&b);
    if (s->c)
        cl_report(s->ctx, node, cl_chk_container_id(s->ctx, s->c),
                  "field \"%s\" of container %s must be %s, got %s", field,
                  cl_chk_container(s->ctx, s->c), want_text[w],
                  cl_chk_describe(s->ctx, node));
    else
        cl_report(s->ctx, node, NULL, "field \"%s\" must be %s, got %s", field,
                  want_text[w], cl_chk_describe(s->ctx, node));
}

/* The value of key in map when it has type w. Absent (or null): NULL. Another type:
 * reported, NULL. A list of strings also gets each non-string item reported. */
static const struct cl_node *field(const struct scope *s, const struct cl_node *map,
                                   const char *key, const char *path, enum want w)
{
    const struct cl_node *v = cl_chk_get(map, key);

    if (!v)
        return NULL;
    if (!has(v, w)) {
        bad(s, v, path, SIZE_MAX, w);
        return NULL;
    }
    if (w == W_STRINGS)
        for (size_t i = 0; i < cl_node_len(v); i++) {
            const struct cl_node *item = cl_node_item(v, i);

            item = item ? cl_node_deref(item) : NULL;
            if (item && !cl_node_is_null(item) && !cl_node_string(item))
                bad(s, item, path, i, W_STRING);
        }
    return v;
}

static void security_context(const struct scope *s, const struct cl_node *sc)
{
    const struct cl_node *caps;

    field(s, sc, "runAsNonRoot", "securityContext.runAsNonRoot", W_BOOL);
    field(s, sc, "runAsUser", "securityContext.runAsUser", W_INT);
    field(s, sc, "runAsGroup", "securityContext.runAsGroup", W_INT);
    if (!s->c)
        return;
    field(s, sc, "readOnlyRootFilesystem", "securityContext.readOnlyRootFilesystem",
          W_BOOL);
    field(s, sc, "privileged", "securityContext.privileged", W_BOOL);
    field(s, sc, "allowPrivilegeEscalation", "securityContext.allowPrivilegeEscalation",
          W_BOOL);
    caps = field(s, sc, "capabilities", "securityContext.capabilities", W_MAP);
    field(s, caps, "add", "securityContext.capabilities.add", W_STRINGS);
    field(s, caps, "drop", "securityContext.capabilities.drop", W_STRINGS);
}

/* The resources of a container or (pod-level resources) of a pod spec. */
static void resources(const struct scope *s, const struct cl_node *map)
{
    const struct cl_node *res = field(s, map, "resources", "resources", W_MAP);
    const struct cl_node *req = field(s, res, "requests", "resources.requests", W_MAP);
    const struct cl_node *lim = field(s, res, "limits", "resources.limits", W_MAP);

    field(s, req, "cpu", "resources.requests.cpu", W_QUANTITY);
    field(s, req, "memory", "resources.requests.memory", W_QUANTITY);
    field(s, lim, "cpu", "resources.limits.cpu", W_QUANTITY);
    field(s, lim, "memory", "resources.limits.memory", W_QUANTITY);
}

/* The probes of a container and their handlers: the probe's name, then its handlers'
 * paths in the order of handler_keys. */
static const char *const handler_keys[] = {"exec", "httpGet", "tcpSocket", "grpc"};
static const char *const probes[][5] = {
    {"livenessProbe", "livenessProbe.exec", "livenessProbe.httpGet",
     "livenessProbe.tcpSocket", "livenessProbe.grpc"},
    {"readinessProbe", "readinessProbe.exec", "readinessProbe.httpGet",
     "readinessProbe.tcpSocket", "readinessProbe.grpc"},
    {"startupProbe", "startupProbe.exec", "startupProbe.httpGet", "startupProbe.tcpSocket",
     "startupProbe.grpc"},
};

static void container(struct cl_ctx *ctx, const struct cl_container *c)
{
    const struct scope s = {ctx, "", c};

    field(&s, c->node, "name", "name", W_STRING);
    field(&s, c->node, "restartPolicy", "restartPolicy", W_STRING);
    security_context(&s, field(&s, c->node, "securityContext", "securityContext", W_MAP));
    resources(&s, c->node);
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        const struct cl_node *probe = field(&s, c->node, probes[i][0], probes[i][0], W_MAP);

        for (size_t h = 0; probe && h < sizeof handler_keys / sizeof handler_keys[0]; h++)
            field(&s, probe, handler_keys[h], probes[i][h + 1], W_MAP);
    }
}

/* The pod spec of obj, reporting each wrongly typed step of the way to it, or NULL. The
 * path of the pod spec (with a final '.') goes to *prefix; s has the empty prefix. */
static const struct cl_node *pod_spec(const struct scope *s, const struct cl_object *obj,
                                      const char **prefix)
{
    const struct cl_node *v;

    *prefix = "spec.";
    v = field(s, obj->node, "spec", "spec", W_MAP);
    if (obj->kind_bit == CL_KIND_POD)
        return v;
    if (obj->kind_bit == CL_KIND_CRONJOB) {
        v = field(s, v, "jobTemplate", "spec.jobTemplate", W_MAP);
        v = field(s, v, "spec", "spec.jobTemplate.spec", W_MAP);
        v = field(s, v, "template", "spec.jobTemplate.spec.template", W_MAP);
        *prefix = "spec.jobTemplate.spec.template.spec.";
        return field(s, v, "spec", "spec.jobTemplate.spec.template.spec", W_MAP);
    }
    v = field(s, v, "template", "spec.template", W_MAP);
    *prefix = "spec.template.spec.";
    return field(s, v, "spec", "spec.template.spec", W_MAP);
}

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    struct scope s = {ctx, "", NULL};
    const struct cl_node *meta = field(&s, obj->node, "metadata", "metadata", W_MAP);
    const char *prefix;
    const struct cl_node *spec = pod_spec(&s, obj, &prefix);
    struct cl_container_iter it;
    struct cl_container c;

    field(&s, meta, "name", "metadata.name", W_STRING);
    field(&s, meta, "generateName", "metadata.generateName", W_STRING);
    field(&s, meta, "namespace", "metadata.namespace", W_STRING);

    if (!spec)
        return;
    s.prefix = prefix;
    field(&s, spec, "restartPolicy", "restartPolicy", W_STRING);
    resources(&s, spec);
    security_context(&s, field(&s, spec, "securityContext", "securityContext", W_MAP));
    for (int list = CL_LIST_CONTAINERS; list <= CL_LIST_EPHEMERAL; list++) {
        const char *name = cl_model_list_name((enum cl_container_list)list);
        const struct cl_node *seq = field(&s, spec, name, name, W_LIST);

        for (size_t i = 0; i < cl_node_len(seq); i++) {
            const struct cl_node *item = cl_node_item(seq, i);

            item = item ? cl_node_deref(item) : NULL;
            if (item && !cl_node_is_map(item))
                bad(&s, item, name, i, W_MAP);
        }
    }
    cl_model_containers(&it, spec, CL_LISTS_ALL);
    while (cl_model_next_container(&it, &c))
        container(ctx, &c);
}

const struct cl_check cl_check_field_type = {
    .code = "CL0004",
    .name = "field-type",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_CHARTLINT,
    .input_problem = true,
    .kinds = CL_KINDS_WORKLOADS,
    .summary = "Field has the wrong type",
    .rationale = "Kubernetes rejects an object whose fields have the wrong type (a quoted "
                 "\"true\" where a boolean belongs, a mapping where a list belongs), and "
                 "chartlint cannot check a field it cannot read, so such a field would "
                 "otherwise hide other problems.",
    .remediation =
        "Give the field the type the Kubernetes API expects: unquote booleans and "
        "numbers, write lists with '-' items, and check the template that renders "
        "the field.",
    .example_bad = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                   "  containers:\n  - name: app\n    image: nginx:1.27.0\n"
                   "    securityContext:\n      runAsNonRoot: \"true\"\n",
    .example_good = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                    "  containers:\n  - name: app\n    image: nginx:1.27.0\n"
                    "    securityContext:\n      runAsNonRoot: true\n",
    .run = run,
};
