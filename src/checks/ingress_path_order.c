/* ingress_path_order.c -- CL2005: Ingress paths that can never match, because an earlier
 * path of the same host catches their requests first, or because another Ingress of the
 * input set already routes the same host, path and pathType.
 *
 * Coverage. A Prefix (or ImplementationSpecific, which the common controllers treat as
 * a prefix) path P covers a later path Q when Q equals P or continues P at a '/'
 * boundary, comparing element by element as Kubernetes defines Prefix matching: a
 * trailing '/' of a Prefix path is ignored ("/foo/" and "/foo" match the same requests)
 * and "/" covers every path. An Exact path covers only the same Exact path, which is a
 * duplicate. Coverage is decided per host within one Ingress, in rule order and path
 * order, as controllers that match in order do.
 *
 * Lookups are hash lookups, never a scan of the earlier paths: each Prefix path is
 * indexed under "host\0normalized-path", and Q is looked up at each of its '/' boundaries
 * by hashing Q's bytes once, incrementally (linear in Q's length).
 *
 * Duplicates. host + path + pathType seen earlier in the input set (this Ingress or
 * another one, whatever the namespace, since hosts are cluster-wide) is reported at the
 * later path, once, and then not also as shadowed. Ingresses of different classes
 * (spec.ingressClassName, or the kubernetes.io/ingress.class annotation) are served by
 * different controllers and never collide. The set-wide index keeps one saved location
 * per distinct route.
 *
 * Aliases: a paths list that several rules name through YAML aliases is checked once,
 * for the first rule naming it. Its nodes are the same for every rule, so the findings
 * would repeat at the same positions, and a few kilobytes of aliases could otherwise
 * multiply the work (rules times paths) into the billions.
 *
 * A networking.k8s.io/v1 path without pathType is reported too (the API requires it);
 * for coverage it counts as ImplementationSpecific, the default of older versions.
 * Paths that are not strings, or have an unknown pathType, are left to other checks. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "xindex.h"

struct state {
    struct cl_xindex routes;         /* class\0host\0type\0path -> const struct cl_ref * */
};

/* One path of the Ingress being checked (lives during run()). */
struct entry {
    const struct cl_node *node;      /* the path scalar */
    const char *path, *type;
    size_t index;                    /* order within the Ingress */
};

/* Append the host phrase of a message: on host "x", or on rules without a host. */
static void add_host(struct cl_buf *msg, const char *host)
{
    if (host[0])
        cl_buf_printf(msg, " on host \"%s\"", host);
    else
        cl_buf_adds(msg, " on rules without a host");
}

/* Length of a Prefix path without its trailing slashes ("/" becomes ""). */
static size_t prefix_len(const char *path)
{
    size_t n = strlen(path);

    while (n > 0 && path[n - 1] == '/')
        n--;
    return n;
}

/* The earliest indexed Prefix path covering q (len bytes): buf holds "host\0"; prefixes
 * of q are appended and looked up at each boundary. Returns its entry index + 1, or 0. */
static size_t covering(const struct cl_xindex *ix, struct cl_buf *buf, const char *q,
                       size_t len)
{
    size_t base = buf->len, best = 0;
    uint64_t h = cl_xindex_hash(CL_XINDEX_SEED, buf->data, base);

    cl_buf_add(buf, q, len);
    for (size_t i = 0; i <= len; i++) {
        if (i == len || q[i] == '/') {
            size_t e = (uintptr_t)cl_xindex_find(ix, buf->data, base + i, h);
            if (e && (!best || e < best))
                best = e;
        }
        if (i < len)
            h = cl_xindex_hash(h, &q[i], 1);
    }
    buf->len = base;
    buf->data[base] = '\0';
    return best;
}

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    void **slot = cl_ctx_state(ctx);
    struct state *st = *slot;
    const struct cl_node *spec = cl_node_get(obj->node, "spec");
    const struct cl_node *rules = cl_node_get(spec, "rules");
    const char *cls = cl_node_string(cl_node_get(spec, "ingressClassName"));
    bool v1 = strcmp(obj->api_version ? obj->api_version : "", "networking.k8s.io/v1") == 0;
    struct cl_xindex prefixes, seen;
    struct cl_buf key, msg;
    struct entry *entries = NULL;
    size_t nentries = 0, cap = 0;

    if (!st) {
        st = cl_ctx_alloc(ctx, sizeof *st);
        cl_xindex_init(&st->routes, ctx);
        *slot = st;
    }
    if (!cls)
        cls = cl_node_string(cl_node_get(cl_node_at(obj->node, "metadata.annotations"),
                                         "kubernetes.io/ingress.class"));
    if (!cls)
        cls = "";
    if (!cl_node_is_seq(rules))
        return;

    cl_xindex_init(&prefixes, NULL);
    cl_xindex_init(&seen, NULL);
    cl_buf_init(&key);
    cl_buf_init(&msg);

    for (size_t i = 0; i < cl_node_len(rules); i++) {
        const struct cl_node *rule = cl_node_item(rules, i);
        const struct cl_node *host_node = cl_node_get(rule, "host");
        const struct cl_node *paths = cl_node_deref(cl_node_at(rule, "http.paths"));
        const char *host = cl_node_string(host_node);

        if (!host) {
            if (host_node && !cl_node_is_null(host_node))
                continue;                       /* wrong type: CL0004 */
            host = "";
        }
        /* A path list that aliases name again is checked once (see the top comment). */
        if (!cl_node_is_seq(paths) || cl_xindex_seen(&seen, paths))
            continue;
        for (size_t j = 0; j < cl_node_len(paths); j++) {
            const struct cl_node *item = cl_node_item(paths, j);
            const struct cl_node *path_node = cl_node_get(item, "path");
            const struct cl_node *type_node = cl_node_get(item, "pathType");
            const char *path = cl_node_string(path_node);
            const char *type = cl_node_string(type_node);
            const struct cl_ref *here, *first;
            struct entry *e;
            size_t by;
            bool exact;

            if (!cl_node_is_map(item))
                continue;
            if (!type_node || cl_node_is_null(type_node)) {
                if (v1)
                    cl_report(ctx, path_node ? path_node : item, NULL,
                              path ? "path \"%s\" has no pathType (required in "
                                     "networking.k8s.io/v1)"
                                   : "path%s has no pathType (required in networking.k8s.io/v1)",
                              path ? path : "");
                type = "ImplementationSpecific";
            }
            if (!path || !type)
                continue;
            exact = strcmp(type, "Exact") == 0;
            if (!exact && strcmp(type, "Prefix") != 0
                && strcmp(type, "ImplementationSpecific") != 0)
                continue;                       /* unknown pathType: rejected by the API */

            /* Set-wide duplicate of class + host + type + path. */
            {
                const char *parts[4] = { cls, host, type, path };
                uint64_t h = cl_xindex_key(&key, 4, parts);
                here = cl_ctx_ref(ctx, path_node, NULL);
                first = cl_xindex_add(&st->routes, key.data, key.len, h, (void *)here);
            }
            if (nentries == cap) {
                cap = cap ? 2 * cap : 16;
                entries = cl_xrealloc(entries, cap * sizeof *entries);
            }
            e = &entries[nentries];
            e->node = path_node;
            e->path = path;
            e->type = type;
            e->index = nentries++;
            if (first != here) {
                cl_buf_reset(&msg);
                cl_buf_printf(&msg, "path \"%s\" (%s)", path, type);
                add_host(&msg, host);
                cl_buf_printf(&msg, " duplicates one in ingress \"%s\"",
                              first->name ? first->name : "");
                cl_report_ref(ctx, here, first, "first defined here", "%s", msg.data);
            } else {
                /* Shadowed by an earlier Prefix path of the same host in this Ingress. */
                const char *host_part[1] = { host };
                cl_xindex_key(&key, 1, host_part);
                cl_buf_addc(&key, '\0');
                by = covering(&prefixes, &key, path, exact ? strlen(path) : prefix_len(path));
                if (by) {
                    const struct entry *p = &entries[by - 1];
                    cl_buf_reset(&msg);
                    cl_buf_printf(&msg, "path \"%s\" (%s) is shadowed by earlier path \"%s\" "
                                  "(%s)", path, type, p->path, p->type);
                    add_host(&msg, host);
                    cl_report_ref(ctx, here, cl_ctx_ref(ctx, p->node, NULL), "shadowing path",
                                  "%s", msg.data);
                }
            }
            if (!exact) {
                const char *host_part[1] = { host };
                size_t n = prefix_len(path);
                cl_xindex_key(&key, 1, host_part);
                cl_buf_addc(&key, '\0');
                cl_buf_add(&key, path, n);
                cl_xindex_add(&prefixes, key.data, key.len,
                              cl_xindex_hash(CL_XINDEX_SEED, key.data, key.len),
                              (void *)(uintptr_t)(e->index + 1));
            }
        }
    }

    cl_buf_fini(&msg);
    cl_buf_fini(&key);
    cl_xindex_fini(&prefixes);
    cl_xindex_fini(&seen);
    free(entries);
}

const struct cl_check cl_check_ingress_path_order = {
    .code = "CL2005",
    .name = "ingress-path-order",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_RELIABILITY,
    .kinds = CL_KIND_INGRESS,
    .summary = "Ingress path is shadowed by an earlier path, duplicated, or has no pathType",
    .rationale = "Controllers that match paths in order send every request of a path covered "
                 "by an earlier Prefix path of the same host to the earlier backend, and two "
                 "Ingresses routing the same host, path and pathType leave the winner to the "
                 "controller, so the later route silently never serves traffic. In "
                 "networking.k8s.io/v1 the API server rejects a path without pathType.",
    .remediation = "List more specific paths before the prefixes that contain them (\"/api/v1\" "
                   "before \"/api\", and \"/\" last), route each host, path and pathType from "
                   "one Ingress only, and give every path a pathType (Prefix or Exact).",
    .example_bad = "apiVersion: networking.k8s.io/v1\n"
                   "kind: Ingress\n"
                   "metadata:\n"
                   "  name: web\n"
                   "spec:\n"
                   "  rules:\n"
                   "  - host: example.com\n"
                   "    http:\n"
                   "      paths:\n"
                   "      - path: /\n"
                   "        pathType: Prefix\n"
                   "        backend:\n"
                   "          service: {name: web, port: {number: 80}}\n"
                   "      - path: /api\n"
                   "        pathType: Prefix\n"
                   "        backend:\n"
                   "          service: {name: api, port: {number: 80}}\n",
    .example_good = "apiVersion: networking.k8s.io/v1\n"
                    "kind: Ingress\n"
                    "metadata:\n"
                    "  name: web\n"
                    "spec:\n"
                    "  rules:\n"
                    "  - host: example.com\n"
                    "    http:\n"
                    "      paths:\n"
                    "      - path: /api\n"
                    "        pathType: Prefix\n"
                    "        backend:\n"
                    "          service: {name: api, port: {number: 80}}\n"
                    "      - path: /\n"
                    "        pathType: Prefix\n"
                    "        backend:\n"
                    "          service: {name: web, port: {number: 80}}\n",
    .run = run,
};
