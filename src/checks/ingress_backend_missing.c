/* ingress_backend_missing.c -- CL2006: an Ingress backend names a Service, or a port of
 * it, that the input set does not define.
 *
 * Cross-object: run() keeps, per Service, its namespace, name and exposed ports (numbers
 * and names, each sorted for binary search) in a hash index keyed by namespace and name,
 * and per Ingress service backend the service name, the port and saved locations;
 * finish() joins them. Both backend spellings are read: networking.k8s.io/v1
 * (service.name, service.port.number or .name) and the older extensions/v1beta1 and
 * networking.k8s.io/v1beta1 (serviceName, servicePort), for rules' paths and for the
 * default backend (spec.defaultBackend, or spec.backend before v1). Resource backends
 * are not service backends and are skipped. A servicePort written as a quoted number
 * ("8080") is compared as that number. Ports of an ExternalName Service are not checked:
 * it forwards to a DNS name whose ports the input cannot show. */
#include <stdlib.h>

#include "check.h"
#include "xindex.h"

/* A numeric ports[].targetPort and the port it belongs to: a backend naming the
 * container's port instead of the Service's is the commonest slip, worth a hint. */
struct target {
    long long target, port;
};

struct svc {
    const char *ns, *name;
    bool check_ports;                /* false: ExternalName, or ports of the wrong type */
    long long *nums;                 /* sorted ports[].port */
    size_t nnums;
    struct target *targets;          /* numeric targetPorts, sorted by target */
    size_t ntargets;
    const char **names;              /* sorted ports[].name */
    size_t nnames;
    const struct cl_ref *ref;        /* metadata.name (or the object) */
    const struct cl_ref *ports_ref;  /* spec.ports or nearest */
};

struct backend {
    struct backend *next;
    const char *ns, *service;
    bool has_num;
    long long num;
    const char *port_name;           /* a named port, or NULL */
    const struct cl_ref *at;         /* the service name */
    const struct cl_ref *port_at;    /* the port; NULL when no port is given */
};

struct state {
    struct cl_xnames services;       /* struct svc by namespace and name */
    struct backend *head, **tail;
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

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool has_num(const struct svc *s, long long n)
{
    return s->nnums > 0 && bsearch(&n, s->nums, s->nnums, sizeof *s->nums, cmp_ll) != NULL;
}

static int cmp_target(const void *a, const void *b)
{
    const struct target *x = a, *y = b;

    if (x->target != y->target)
        return (x->target > y->target) - (x->target < y->target);
    return (x->port > y->port) - (x->port < y->port);
}

/* The port whose targetPort is n (the lowest such), or NULL. */
static const struct target *find_target(const struct svc *s, long long n)
{
    size_t lo = 0, hi = s->ntargets;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->targets[mid].target < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->ntargets && s->targets[lo].target == n ? &s->targets[lo] : NULL;
}

static bool has_name(const struct svc *s, const char *name)
{
    return s->nnames > 0
           && bsearch(&name, s->names, s->nnames, sizeof *s->names, cmp_str) != NULL;
}

/* A string made only of decimal digits (at most 9, so it fits any port), as a number. */
static bool digits(const char *s, long long *out)
{
    long long v = 0;
    size_t i = 0;

    for (; i < 9 && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (s[i] - '0');
    if (i == 0 || s[i] != '\0')
        return false;
    *out = v;
    return true;
}

static void add_service(struct cl_ctx *ctx, struct state *st, const struct cl_object *obj)
{
    const struct cl_node *spec = cl_node_get(obj->node, "spec");
    const struct cl_node *ports = cl_node_get(spec, "ports");
    const struct cl_node *name_node = cl_node_at(obj->node, "metadata.name");
    struct svc *s = cl_ctx_alloc(ctx, sizeof *s);
    size_t n = cl_node_is_seq(ports) ? cl_node_len(ports) : 0;
    struct cl_buf key;

    s->ns = cl_ctx_strdup(ctx, cl_xindex_ns(ctx, obj));
    s->name = cl_ctx_strdup(ctx, obj->name ? obj->name : "");
    s->check_ports = !cl_streq(cl_node_string(cl_node_get(spec, "type")), "ExternalName")
                     && (!ports || cl_node_is_null(ports) || cl_node_is_seq(ports));
    if (n > 0) {
        s->nums = cl_ctx_alloc(ctx, n * sizeof *s->nums);
        s->targets = cl_ctx_alloc(ctx, n * sizeof *s->targets);
        s->names = cl_ctx_alloc(ctx, n * sizeof *s->names);
    }
    for (size_t i = 0; i < n; i++) {
        const struct cl_node *p = cl_node_item(ports, i);
        const char *pname = cl_node_string(cl_node_get(p, "name"));
        long long num, target;
        if (cl_node_int(cl_node_get(p, "port"), &num)) {
            s->nums[s->nnums++] = num;
            if (cl_node_int(cl_node_get(p, "targetPort"), &target) && target != num)
                s->targets[s->ntargets++] = (struct target){ target, num };
        }
        if (pname)
            s->names[s->nnames++] = cl_ctx_strdup(ctx, pname);
    }
    if (s->nnums > 1)
        qsort(s->nums, s->nnums, sizeof *s->nums, cmp_ll);
    if (s->ntargets > 1)
        qsort(s->targets, s->ntargets, sizeof *s->targets, cmp_target);
    if (s->nnames > 1)
        qsort(s->names, s->nnames, sizeof *s->names, cmp_str);
    s->ref = cl_ctx_ref(ctx, name_node ? name_node : obj->node, NULL);
    s->ports_ref = cl_ctx_ref(ctx, ports ? ports : cl_node_is_map(spec) ? spec : obj->node,
                              NULL);

    cl_buf_init(&key);
    cl_xnames_add(&st->services, &key, s->ns, s->name, s);
    cl_buf_fini(&key);
}

/* Remember one backend mapping (either spelling); anything else is ignored. */
static void add_backend(struct cl_ctx *ctx, struct state *st, const char *ns,
                        const struct cl_node *b)
{
    const struct cl_node *svc = cl_node_get(b, "service");
    const struct cl_node *name_node, *port_node = NULL;
    struct backend *be;
    const char *service;
    long long num = 0;
    const char *port_name = NULL;
    bool is_num = false;

    if (cl_node_is_map(svc)) {
        const struct cl_node *port = cl_node_get(svc, "port");
        const struct cl_node *number = cl_node_get(port, "number");
        const struct cl_node *pname = cl_node_get(port, "name");
        name_node = cl_node_get(svc, "name");
        if (number && cl_node_int(number, &num)) {
            is_num = true;
            port_node = number;
        } else if (pname && cl_node_string(pname)) {
            port_name = cl_node_string(pname);
            port_node = pname;
        }
    } else {
        const struct cl_node *port = cl_node_get(b, "servicePort");
        name_node = cl_node_get(b, "serviceName");
        if (port && cl_node_int(port, &num)) {
            is_num = true;
            port_node = port;
        } else if (port && cl_node_string(port)) {
            port_name = cl_node_string(port);
            port_node = port;
            if (digits(port_name, &num)) {
                is_num = true;
                port_name = NULL;
            }
        }
    }
    service = cl_node_string(name_node);
    if (!service || !service[0])
        return;                 /* resource backend, or wrong type (CL0004) */

    be = cl_ctx_alloc(ctx, sizeof *be);
    be->ns = ns;
    be->service = cl_ctx_strdup(ctx, service);
    be->has_num = is_num;
    be->num = num;
    be->port_name = port_name ? cl_ctx_strdup(ctx, port_name) : NULL;
    be->at = cl_ctx_ref(ctx, name_node, NULL);
    be->port_at = port_node ? cl_ctx_ref(ctx, port_node, NULL) : NULL;
    *st->tail = be;
    st->tail = &be->next;
}

static void add_ingress(struct cl_ctx *ctx, struct state *st, const struct cl_object *obj)
{
    const struct cl_node *spec = cl_node_get(obj->node, "spec");
    const struct cl_node *rules = cl_node_get(spec, "rules");
    const struct cl_node *def = cl_node_get(spec, "defaultBackend");
    const char *ns = cl_ctx_strdup(ctx, cl_xindex_ns(ctx, obj));
    struct cl_xindex seen;

    if (!def)
        def = cl_node_get(spec, "backend");
    if (cl_node_is_map(def))
        add_backend(ctx, st, ns, def);
    /* Each backend mapping once, however many aliases name it or its path list: the
     * findings would repeat at the same positions, and aliases of aliases could
     * multiply the summaries (rules times paths) into the billions. */
    cl_xindex_init(&seen, NULL);
    for (size_t i = 0; cl_node_is_seq(rules) && i < cl_node_len(rules); i++) {
        const struct cl_node *paths = cl_node_deref(cl_node_at(cl_node_item(rules, i),
                                                               "http.paths"));
        if (!cl_node_is_seq(paths) || cl_xindex_seen(&seen, paths))
            continue;
        for (size_t j = 0; j < cl_node_len(paths); j++) {
            const struct cl_node *b = cl_node_deref(cl_node_get(cl_node_item(paths, j),
                                                                "backend"));
            if (cl_node_is_map(b) && !cl_xindex_seen(&seen, b))
                add_backend(ctx, st, ns, b);
        }
    }
    cl_xindex_fini(&seen);
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

    if (obj->kind_bit == CL_KIND_SERVICE && is_core(obj))
        add_service(ctx, st, obj);
    else if (obj->kind_bit == CL_KIND_INGRESS)
        add_ingress(ctx, st, obj);
}

static void check_one(struct cl_ctx *ctx, const struct state *st, const struct backend *be,
                      struct cl_buf *key)
{
    void *elsewhere;
    const struct svc *s = cl_xnames_find(&st->services, key, be->ns, be->service, &elsewhere);

    if (!s) {
        const struct svc *other = elsewhere;
        if (other)
            cl_report_ref(ctx, be->at, other->ref,
                          cl_xindex_msg(ctx, "service \"%s\" in namespace \"%s\"", other->name,
                                        other->ns),
                          "backend service \"%s\" is not defined in namespace \"%s\" (one is "
                          "in namespace \"%s\")", be->service, be->ns, other->ns);
        else
            cl_report_ref(ctx, be->at, NULL, NULL,
                          "backend service \"%s\" is not defined in namespace \"%s\"",
                          be->service, be->ns);
        return;
    }
    if (!s->check_ports || !be->port_at)
        return;
    if (be->has_num && !has_num(s, be->num)) {
        const struct target *t = find_target(s, be->num);
        const char *note = cl_xindex_msg(ctx, "ports of service \"%s\"", s->name);
        if (t)
            cl_report_ref(ctx, be->port_at, s->ports_ref, note,
                          "backend port %lld is not a port of service \"%s\" (it is the "
                          "targetPort of port %lld)", be->num, s->name, t->port);
        else
            cl_report_ref(ctx, be->port_at, s->ports_ref, note,
                          "backend port %lld is not a port of service \"%s\"", be->num,
                          s->name);
    } else if (be->port_name && !has_name(s, be->port_name))
        cl_report_ref(ctx, be->port_at, s->ports_ref,
                      cl_xindex_msg(ctx, "ports of service \"%s\"", s->name),
                      "backend port \"%s\" is not a named port of service \"%s\"",
                      be->port_name, s->name);
}

static void finish(struct cl_ctx *ctx)
{
    const struct state *st = *cl_ctx_state(ctx);
    struct cl_buf key;

    if (!st)
        return;
    cl_buf_init(&key);
    for (const struct backend *be = st->head; be; be = be->next)
        check_one(ctx, st, be, &key);
    cl_buf_fini(&key);
}

const struct cl_check cl_check_ingress_backend_missing = {
    .code = "CL2006",
    .name = "ingress-backend-missing",
    .severity = CL_SEV_WARNING,
    .category = CL_CAT_RELIABILITY,
    .kinds = CL_KIND_INGRESS | CL_KIND_SERVICE,
    .summary = "Ingress backend names a Service or port that is not defined",
    .rationale = "An Ingress can only route to a Service in its own namespace, through a port "
                 "that Service exposes; a backend naming anything else answers every request "
                 "with 503 or 404, usually after a rename in one template but not the other.",
    .remediation = "Point the backend at a Service of the same namespace defined in the chart "
                   "or manifests, using one of its ports[].port numbers or ports[].name names "
                   "(not the container's targetPort).",
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
                   "          service:\n"
                   "            name: web\n"
                   "            port:\n"
                   "              number: 80\n",
    .example_good = "apiVersion: v1\n"
                    "kind: Service\n"
                    "metadata:\n"
                    "  name: web\n"
                    "spec:\n"
                    "  selector: {app: web}\n"
                    "  ports:\n"
                    "  - name: http\n"
                    "    port: 80\n"
                    "    targetPort: 8080\n"
                    "---\n"
                    "apiVersion: networking.k8s.io/v1\n"
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
                    "          service:\n"
                    "            name: web\n"
                    "            port:\n"
                    "              number: 80\n",
    .run = run,
    .finish = finish,
};
