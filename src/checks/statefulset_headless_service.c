/* statefulset_headless_service.c -- CL2004: a StatefulSet's spec.serviceName must name
 * a headless Service of the same input set and namespace that selects its pods.
 *
 * Cross-object: run() keeps a compact summary of every Service (namespace, name,
 * headless or not, selector pairs) in a hash index keyed by namespace and name, and of
 * every StatefulSet that sets serviceName (its pod template labels, sorted); finish()
 * joins the two. Summaries live in the run arena and hold only copied strings and
 * saved references (cl_ctx_ref), since document trees are freed after each document.
 *
 * A missing (or empty) serviceName is not reported. The API server never required it,
 * and Kubernetes marked the field optional in its API reference in 2025
 * (kubernetes/kubernetes#130233): a StatefulSet without a governing Service is a
 * supported way to run pods with stable storage and no per-pod DNS names. */
#include <stdlib.h>

#include "check.h"
#include "xindex.h"

struct svc {
    const char *ns, *name;
    bool headless;
    const char *cluster_ip;          /* spec.clusterIP as written, or NULL */
    struct cl_xpair *sel;            /* sorted unique selector pairs (copied) */
    size_t nsel;
    const struct cl_ref *ref;        /* metadata.name (or the object) */
    const struct cl_ref *ip_ref;     /* spec.clusterIP or nearest; NULL when headless */
    const struct cl_ref *sel_ref;    /* spec.selector or nearest */
};

struct sts {
    struct sts *next;
    const char *ns, *service;
    struct cl_xpair *labels;         /* sorted unique pod template labels (copied) */
    size_t nlabels;
    const struct cl_ref *at;         /* spec.serviceName */
};

struct state {
    struct cl_xnames services;       /* struct svc by namespace and name */
    struct sts *head, **tail;
};

static struct state *state_get(struct cl_ctx *ctx)
{
    void **slot = cl_ctx_state(ctx);
    struct state *st = *slot;

    if (!st) {
        st = cl_ctx_alloc(ctx, sizeof *st);
        cl_xnames_init(&st->services, ctx);
        st->tail = &st->head;
        *slot = st;
    }
    return st;
}

/* Copy the pairs of a labels/selector mapping into the run arena. */
static struct cl_xpair *copy_pairs(struct cl_ctx *ctx, const struct cl_node *map, size_t *np)
{
    struct cl_xpair *tmp, *out = NULL;
    size_t n = cl_xindex_pairs(map, &tmp);

    if (n > 0) {
        out = cl_ctx_alloc(ctx, n * sizeof *out);
        for (size_t i = 0; i < n; i++) {
            out[i].key = cl_ctx_strdup(ctx, tmp[i].key);
            out[i].value = cl_ctx_strdup(ctx, tmp[i].value);
        }
        free(tmp);
    }
    *np = n;
    return out;
}

/* The node itself when it exists, else the nearest of the fallbacks that does. */
static const struct cl_node *or_else(const struct cl_node *n, const struct cl_node *a,
                                     const struct cl_node *b)
{
    return n ? n : a ? a : b;
}

static void add_service(struct cl_ctx *ctx, struct state *st, const struct cl_object *obj,
                        struct cl_buf *key)
{
    const struct cl_node *spec = cl_node_get(obj->node, "spec");
    const struct cl_node *ip = cl_node_get(spec, "clusterIP");
    const struct cl_node *sel = cl_node_get(spec, "selector");
    const struct cl_node *name_node = cl_node_at(obj->node, "metadata.name");
    const char *ip_str = cl_node_string(ip);
    struct svc *s;

    if (!cl_node_is_map(spec))
        spec = NULL;
    s = cl_ctx_alloc(ctx, sizeof *s);
    s->ns = cl_ctx_strdup(ctx, cl_xindex_ns(ctx, obj));
    s->name = cl_ctx_strdup(ctx, obj->name ? obj->name : "");
    if (ip_str)
        s->headless = strcmp(ip_str, "None") == 0;
    else if (!ip || cl_node_is_null(ip))        /* clusterIPs[0] is the primary clusterIP */
        s->headless = cl_streq(cl_node_string(cl_node_at(spec, "clusterIPs[0]")), "None");
    s->cluster_ip = ip_str ? cl_ctx_strdup(ctx, ip_str) : NULL;
    s->sel = copy_pairs(ctx, sel, &s->nsel);
    s->ref = cl_ctx_ref(ctx, or_else(name_node, obj->node, NULL), NULL);
    if (!s->headless)
        s->ip_ref = cl_ctx_ref(ctx, or_else(ip, spec, obj->node), NULL);
    s->sel_ref = cl_ctx_ref(ctx, or_else(sel, spec, obj->node), NULL);

    cl_xnames_add(&st->services, key, s->ns, s->name, s);
}

static void add_statefulset(struct cl_ctx *ctx, struct state *st, const struct cl_object *obj)
{
    const struct cl_node *name_node = cl_node_at(obj->node, "spec.serviceName");
    const char *service = cl_node_string(name_node);
    struct sts *s;

    if (!service || !service[0])
        return;                             /* optional: see the comment at the top */
    s = cl_ctx_alloc(ctx, sizeof *s);
    s->ns = cl_ctx_strdup(ctx, cl_xindex_ns(ctx, obj));
    s->service = cl_ctx_strdup(ctx, service);
    s->labels = copy_pairs(ctx, cl_node_get(cl_model_pod_meta(obj), "labels"), &s->nlabels);
    s->at = cl_ctx_ref(ctx, name_node, NULL);
    *st->tail = s;
    st->tail = &s->next;
}

/* A core Service (apiVersion v1): other APIs reuse the kind name (Knative's
 * serving.knative.dev Service) for objects that are not Kubernetes Services. */
static bool is_core(const struct cl_object *obj)
{
    return cl_streq(obj->api_version, "v1");
}

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    struct state *st = state_get(ctx);

    if (obj->kind_bit == CL_KIND_SERVICE && is_core(obj)) {
        struct cl_buf key;
        cl_buf_init(&key);
        add_service(ctx, st, obj, &key);
        cl_buf_fini(&key);
    } else if (obj->kind_bit == CL_KIND_STATEFULSET) {
        add_statefulset(ctx, st, obj);
    }
}

static void check_one(struct cl_ctx *ctx, const struct state *st, const struct sts *s,
                      struct cl_buf *key)
{
    void *elsewhere;
    const struct svc *svc = cl_xnames_find(&st->services, key, s->ns, s->service, &elsewhere);

    if (!svc) {
        const struct svc *other = elsewhere;
        if (other)
            cl_report_ref(ctx, s->at, other->ref,
                          cl_xindex_msg(ctx, "service \"%s\" in namespace \"%s\"", other->name,
                                        other->ns),
                          "serviceName \"%s\" names no service in namespace \"%s\" (one exists "
                          "in namespace \"%s\")", s->service, s->ns, other->ns);
        else
            cl_report_ref(ctx, s->at, NULL, NULL,
                          "serviceName \"%s\" names no service in namespace \"%s\"",
                          s->service, s->ns);
        return;
    }

    if (!svc->headless) {
        if (svc->cluster_ip)
            cl_report_ref(ctx, s->at, svc->ip_ref,
                          cl_xindex_msg(ctx, "clusterIP of service \"%s\"", svc->name),
                          "governing service \"%s\" is not headless: spec.clusterIP is \"%s\", "
                          "not \"None\"", svc->name, svc->cluster_ip);
        else
            cl_report_ref(ctx, s->at, svc->ip_ref,
                          cl_xindex_msg(ctx, "service \"%s\"", svc->name),
                          "governing service \"%s\" is not headless: spec.clusterIP is not "
                          "\"None\"", svc->name);
    }

    if (svc->nsel == 0) {
        cl_report_ref(ctx, s->at, svc->sel_ref, cl_xindex_msg(ctx, "service \"%s\"", svc->name),
                      "governing service \"%s\" has no selector, so it selects none of the "
                      "statefulset's pods", svc->name);
        return;
    }
    for (size_t i = 0; i < svc->nsel; i++) {
        const struct cl_xpair *want = &svc->sel[i];
        const struct cl_xpair *got = cl_xindex_pair_find(s->labels, s->nlabels, want->key);
        const char *note;
        if (got && strcmp(got->value, want->value) == 0)
            continue;
        note = cl_xindex_msg(ctx, "selector of service \"%s\"", svc->name);
        if (got)
            cl_report_ref(ctx, s->at, svc->sel_ref, note,
                          "governing service \"%s\" selects label \"%s\" = \"%s\", but the pod "
                          "template has \"%s\" = \"%s\"", svc->name, want->key, want->value,
                          got->key, got->value);
        else
            cl_report_ref(ctx, s->at, svc->sel_ref, note,
                          "governing service \"%s\" selects label \"%s\" = \"%s\", but the pod "
                          "template has no label \"%s\"", svc->name, want->key, want->value,
                          want->key);
        return;
    }
}

static void finish(struct cl_ctx *ctx)
{
    const struct state *st = *cl_ctx_state(ctx);
    struct cl_buf key;

    if (!st)
        return;
    cl_buf_init(&key);
    for (const struct sts *s = st->head; s; s = s->next)
        check_one(ctx, st, s, &key);
    cl_buf_fini(&key);
}

const struct cl_check cl_check_statefulset_headless_service = {
    .code = "CL2004",
    .name = "statefulset-headless-service",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_RELIABILITY,
    .kinds = CL_KIND_STATEFULSET | CL_KIND_SERVICE,
    .summary = "StatefulSet's serviceName is not a headless Service that selects its pods",
    .rationale = "The Service named by spec.serviceName gives each StatefulSet pod its stable "
                 "DNS name (pod-0.service.namespace.svc); those records exist only when that "
                 "Service lives in the same namespace, is headless (clusterIP: None) and "
                 "selects the pods, so peers that find each other by name cannot start. "
                 "A missing serviceName is not reported, since the field is optional.",
    .remediation = "Define a Service in the StatefulSet's namespace with the name given in "
                   "spec.serviceName, clusterIP: None, and a selector whose every label is set "
                   "to the same value in spec.template.metadata.labels.",
    .example_bad = "apiVersion: apps/v1\n"
                   "kind: StatefulSet\n"
                   "metadata:\n"
                   "  name: db\n"
                   "spec:\n"
                   "  serviceName: db\n"
                   "  selector:\n"
                   "    matchLabels: {app: db}\n"
                   "  template:\n"
                   "    metadata:\n"
                   "      labels: {app: db}\n"
                   "    spec:\n"
                   "      containers:\n"
                   "      - name: db\n"
                   "        image: postgres:16.4\n",
    .example_good = "apiVersion: v1\n"
                    "kind: Service\n"
                    "metadata:\n"
                    "  name: db\n"
                    "spec:\n"
                    "  clusterIP: None\n"
                    "  selector: {app: db}\n"
                    "  ports:\n"
                    "  - name: pg\n"
                    "    port: 5432\n"
                    "---\n"
                    "apiVersion: apps/v1\n"
                    "kind: StatefulSet\n"
                    "metadata:\n"
                    "  name: db\n"
                    "spec:\n"
                    "  serviceName: db\n"
                    "  selector:\n"
                    "    matchLabels: {app: db}\n"
                    "  template:\n"
                    "    metadata:\n"
                    "      labels: {app: db}\n"
                    "    spec:\n"
                    "      containers:\n"
                    "      - name: db\n"
                    "        image: postgres:16.4\n",
    .run = run,
    .finish = finish,
};
