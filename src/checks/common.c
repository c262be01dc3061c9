/* common.c -- helpers shared by the built-in per-object checks (see common.h). */
#include <stdio.h>
#include <string.h>

#include "checks/common.h"
#include "util.h"

const struct cl_node *cl_chk_get(const struct cl_node *map, const char *key)
{
    const struct cl_node *v;

    if (!map || !cl_node_is_map(map))
        return NULL;
    v = cl_node_get(map, key);
    v = v ? cl_node_deref(v) : NULL;
    if (!v || cl_node_is_null(v))
        return NULL;
    return v;
}

const struct cl_node *cl_chk_get_map(const struct cl_node *map, const char *key)
{
    const struct cl_node *v = cl_chk_get(map, key);

    return v && cl_node_is_map(v) ? v : NULL;
}

const struct cl_node *cl_chk_get_seq(const struct cl_node *map, const char *key)
{
    const struct cl_node *v = cl_chk_get(map, key);

    return v && cl_node_is_seq(v) ? v : NULL;
}

bool cl_chk_is_quantity(const struct cl_node *v)
{
    return v && (cl_node_string(v) != NULL || cl_node_is_number(v));
}

/* Append s to b as messages show values (cl_quote), between double quotes when quote is
 * set. Only the first CL_QUOTE_MAX + 1 bytes are looked at: that is enough to know a cut. */
static void add_text(struct cl_buf *b, const char *s, bool quote)
{
    char out[CL_QUOTE_SIZE];

    cl_buf_add(b, out, cl_quote(out, s, strnlen(s, CL_QUOTE_MAX + 1), quote));
}

/* Copy the buffer's text into the run arena and release the buffer. */
static const char *take(struct cl_ctx *ctx, struct cl_buf *b)
{
    const char *s = cl_ctx_strdup(ctx, b->data ? b->data : "");

    cl_buf_fini(b);
    return s;
}

const char *cl_chk_quote(struct cl_ctx *ctx, const char *s)
{
    struct cl_buf b;

    cl_buf_init(&b);
    add_text(&b, s ? s : "", true);
    return take(ctx, &b);
}

const char *cl_chk_container(struct cl_ctx *ctx, const struct cl_container *c)
{
    if (c->name && *c->name)
        return cl_chk_quote(ctx, c->name);
    return cl_chk_container_id(ctx, c);
}

const char *cl_chk_container_id(struct cl_ctx *ctx, const struct cl_container *c)
{
    struct cl_buf b;

    if (c->name && *c->name)
        return c->name;
    cl_buf_init(&b);
    cl_buf_printf(&b, "%s[%zu]", cl_model_list_name(c->list), c->index);
    return take(ctx, &b);
}

const char *cl_chk_describe(struct cl_ctx *ctx, const struct cl_node *node)
{
    struct cl_buf b;
    const char *text;
    bool flag;
    long long n;

    node = node ? cl_node_deref(node) : NULL;
    if (!node)
        return "nothing";
    if (cl_node_is_map(node))
        return "a mapping";
    if (cl_node_is_seq(node))
        return "a list";
    if (cl_node_is_null(node))
        return "null";
    text = cl_node_str(node);
    cl_buf_init(&b);
    if (cl_node_string(node))
        cl_buf_adds(&b, "string ");
    else if (cl_node_bool(node, &flag))
        cl_buf_adds(&b, "boolean ");
    else if (cl_node_int(node, &n))
        cl_buf_adds(&b, "integer ");
    else if (cl_node_is_number(node))
        cl_buf_adds(&b, "number ");
    else
        cl_buf_adds(&b, "value ");
    add_text(&b, text ? text : "", cl_node_string(node) != NULL);
    return take(ctx, &b);
}

const struct cl_node *cl_chk_near(const struct cl_container *c, bool sc)
{
    const struct cl_node *v = sc ? cl_chk_get_map(c->node, "securityContext") : NULL;

    return v ? v : c->node;
}

void cl_chk_probes(struct cl_ctx *ctx, const struct cl_object *obj, const char *field)
{
    static const char *const handlers[] = {"exec", "httpGet", "tcpSocket", "grpc"};
    const struct cl_node *spec = cl_model_pod_spec(obj);
    struct cl_container_iter it;
    struct cl_container c;

    cl_model_containers(&it, spec, CL_LISTS_RESOURCES);
    while (cl_model_next_container(&it, &c)) {
        const struct cl_node *probe;
        bool handler = false;

        if (!cl_model_long_running(obj, spec, &c))
            continue;
        probe = cl_chk_get_map(c.node, field);
        if (!probe) {
            cl_report(ctx, c.node, cl_chk_container_id(ctx, &c), "%s %s has no %s",
                      c.sidecar ? "sidecar container" : "container",
                      cl_chk_container(ctx, &c), field);
            continue;
        }
        for (size_t i = 0; i < sizeof handlers / sizeof handlers[0] && !handler; i++)
            handler = cl_chk_get_map(probe, handlers[i]) != NULL;
        if (!handler)
            cl_report(ctx, probe, cl_chk_container_id(ctx, &c),
                      "%s %s has a %s without a handler (exec, httpGet, tcpSocket or grpc)",
                      c.sidecar ? "sidecar container" : "container",
                      cl_chk_container(ctx, &c), field);
    }
}

bool cl_chk_windows(const struct cl_node *pod_spec)
{
    return cl_streq(cl_node_string(cl_chk_get(cl_chk_get_map(pod_spec, "os"), "name")),
                    "windows");
}

void cl_chk_resources(struct cl_ctx *ctx, const struct cl_object *obj, const char *resource,
                      bool limit)
{
    const struct cl_node *spec = cl_model_pod_spec(obj);
    const struct cl_node *pod_res = cl_chk_get_map(spec, "resources");
    struct cl_container_iter it;
    struct cl_container c;

    /* Pod-level resources (spec.resources) bound the whole pod, containers included. */
    if (cl_chk_is_quantity(cl_chk_get(cl_chk_get_map(pod_res, "limits"), resource)) ||
        (!limit &&
         cl_chk_is_quantity(cl_chk_get(cl_chk_get_map(pod_res, "requests"), resource))))
        return;
    cl_model_containers(&it, spec, CL_LISTS_RESOURCES);
    while (cl_model_next_container(&it, &c)) {
        const struct cl_node *res = cl_chk_get_map(c.node, "resources");
        const struct cl_node *requests = cl_chk_get_map(res, "requests");
        const struct cl_node *limits = cl_chk_get_map(res, "limits");
        const struct cl_node *near;

        if (cl_chk_is_quantity(cl_chk_get(limits, resource)))
            continue;
        if (limit) {
            near = limits ? limits : res ? res : c.node;
            cl_report(ctx, near, cl_chk_container_id(ctx, &c),
                      "container %s has no %s limit (resources.limits.%s)",
                      cl_chk_container(ctx, &c), resource, resource);
            continue;
        }
        if (cl_chk_is_quantity(cl_chk_get(requests, resource)))
            continue;
        near = requests ? requests : res ? res : c.node;
        cl_report(ctx, near, cl_chk_container_id(ctx, &c),
                  "container %s has no %s request (resources.requests.%s; a %s limit "
                  "also sets the request)",
                  cl_chk_container(ctx, &c), resource, resource, resource);
    }
}
