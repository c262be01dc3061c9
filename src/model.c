/* model.c -- stage 4: Kubernetes objects, pod specs and containers over the YAML tree.
 *
 * Everything here reads the document tree in place: no allocation, no copies. Strings
 * returned (kind, names) are the tree's scalar text and live as long as the document.
 * A field of the wrong type reads as absent, so a check never has to guard against a
 * sequence where a mapping belongs; the field-type check (CL0004) reports such fields.
 * Workload kinds are recognised by kind alone, whatever the apiVersion, so that
 * old and custom API groups (extensions/v1beta1 Deployment, ...) are still linted. */
#include <string.h>

#include "model.h"
#include "util.h"

/* The value of key in map, aliases resolved; NULL when absent or null, or when map
 * is not a mapping. */
static const struct cl_node *get(const struct cl_node *map, const char *key)
{
    const struct cl_node *v;

    if (!map || !cl_node_is_map(map))
        return NULL;
    v = cl_node_get(map, key);
    if (!v)
        return NULL;
    v = cl_node_deref(v);
    if (!v || cl_node_is_null(v))
        return NULL;
    return v;
}

static const struct cl_node *get_map(const struct cl_node *map, const char *key)
{
    const struct cl_node *v = get(map, key);

    return v && cl_node_is_map(v) ? v : NULL;
}

static const char *get_string(const struct cl_node *map, const char *key)
{
    return cl_node_string(get(map, key));
}

static const struct {
    const char *kind;
    unsigned bit;
} kinds[] = {
    {"Pod", CL_KIND_POD},
    {"Deployment", CL_KIND_DEPLOYMENT},
    {"StatefulSet", CL_KIND_STATEFULSET},
    {"DaemonSet", CL_KIND_DAEMONSET},
    {"ReplicaSet", CL_KIND_REPLICASET},
    {"ReplicationController", CL_KIND_REPLICATIONCONTROLLER},
    {"Job", CL_KIND_JOB},
    {"CronJob", CL_KIND_CRONJOB},
    {"Service", CL_KIND_SERVICE},
    {"Ingress", CL_KIND_INGRESS},
};

unsigned cl_model_kind_bit(const char *kind)
{
    if (kind)
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (kinds[i].kind[0] == kind[0] && strcmp(kinds[i].kind, kind) == 0)
                return kinds[i].bit;
    return CL_KIND_OTHER;
}

static const struct cl_node *pod_template(const struct cl_object *obj);

bool cl_model_object(struct cl_object *obj, const struct cl_doc *doc,
                     const struct cl_node *node, const char *path_prefix,
                     const char *release_ns)
{
    const struct cl_node *meta, *tmpl;
    const char *api_version, *kind, *s;

    memset(obj, 0, sizeof *obj);
    node = node ? cl_node_deref(node) : NULL;
    if (!node || !cl_node_is_map(node))
        return false;
    api_version = get_string(node, "apiVersion");
    kind = get_string(node, "kind");
    if (!api_version || !kind)
        return false;

    obj->doc = doc;
    obj->node = node;
    obj->path_prefix = path_prefix ? path_prefix : "";
    obj->api_version = api_version;
    obj->kind = kind;
    obj->kind_bit = cl_model_kind_bit(kind);

    meta = get_map(node, "metadata");
    s = get_string(meta, "name");
    if (!s || !*s)
        s = get_string(meta, "generateName");
    obj->name = s ? s : "";
    s = get_string(meta, "namespace");
    if (s && *s) {
        obj->namespace = s;
        obj->namespace_explicit = true;
    } else {
        obj->namespace = release_ns ? release_ns : "default";
    }
    /* found once here, not by each check that asks */
    tmpl = pod_template(obj);
    obj->pod_spec = get_map(tmpl, "spec");
    obj->pod_meta = get_map(tmpl, "metadata");
    obj->model_node = node;
    return true;
}

/* The pod template mapping of a workload (the object itself for a Pod), or NULL. */
static const struct cl_node *pod_template(const struct cl_object *obj)
{
    const struct cl_node *spec;

    /* a core/v1 PodTemplate holds the template itself (no kind bit: C checks skip it) */
    if (obj->kind_bit == CL_KIND_OTHER && cl_streq(obj->kind, "PodTemplate"))
        return get_map(obj->node, "template");
    if (!(obj->kind_bit & CL_KINDS_WORKLOADS))
        return NULL;
    if (obj->kind_bit == CL_KIND_POD)
        return obj->node;
    spec = get_map(obj->node, "spec");
    if (obj->kind_bit == CL_KIND_CRONJOB)
        spec = get_map(get_map(spec, "jobTemplate"), "spec");
    return get_map(spec, "template");
}

const struct cl_node *cl_model_pod_spec(const struct cl_object *obj)
{
    if (obj->model_node && obj->model_node == obj->node)
        return obj->pod_spec;
    return get_map(pod_template(obj), "spec");
}

const struct cl_node *cl_model_pod_meta(const struct cl_object *obj)
{
    if (obj->model_node && obj->model_node == obj->node)
        return obj->pod_meta;
    return get_map(pod_template(obj), "metadata");
}

static const char *const list_names[] = {
    [CL_LIST_CONTAINERS] = "containers",
    [CL_LIST_INIT] = "initContainers",
    [CL_LIST_EPHEMERAL] = "ephemeralContainers",
};

const char *cl_model_list_name(enum cl_container_list list)
{
    if ((unsigned)list < sizeof list_names / sizeof list_names[0])
        return list_names[list];
    return "containers";
}

/* The value of a pod spec's container list: a sequence, or NULL (absent, null, or of
 * another type), as get() and cl_node_is_seq() would find it. */
static const struct cl_node *list_seq(const struct cl_node *v)
{
    v = cl_node_deref(v);
    return v && v->type == CL_NODE_SEQ ? v : NULL;
}

/* The spec's container lists asked for, in one pass over its keys from the last (the
 * last duplicate wins, as in cl_node_get()): each check that iterates containers starts
 * here, and three lookups would be three passes over the spec. A list not among the
 * spec's own keys may still come from a merge key ("<<"): then cl_node_get() decides. */
static void find_lists(struct cl_container_iter *it)
{
    const struct cl_node *spec = it->spec;
    unsigned want = it->lists & CL_LISTS_ALL, found = 0;
    bool merges = false;

    memset(it->seqs, 0, sizeof it->seqs);
    if (!spec)
        return;
    for (size_t i = spec->u.coll.n; i-- > 0 && found != want;) {
        const struct cl_node *k = cl_node_deref(spec->u.coll.items[2 * i]);
        int l;

        if (!k || k->type != CL_NODE_SCALAR)
            continue;
        switch (k->u.scalar.len) {
        case sizeof "containers" - 1: l = CL_LIST_CONTAINERS; break;
        case sizeof "initContainers" - 1: l = CL_LIST_INIT; break;
        case sizeof "ephemeralContainers" - 1: l = CL_LIST_EPHEMERAL; break;
        case 2:
            merges = merges || memcmp(k->u.scalar.str, "<<", 2) == 0;
            continue;
        default: continue;
        }
        if (!(want & ~found & (1u << l)) ||
            memcmp(k->u.scalar.str, list_names[l], k->u.scalar.len) != 0)
            continue;
        found |= 1u << l;
        it->seqs[l] = list_seq(spec->u.coll.items[2 * i + 1]);
    }
    for (int l = CL_LIST_CONTAINERS; merges && l <= CL_LIST_EPHEMERAL; l++)
        if (want & ~found & (1u << l))
            it->seqs[l] = list_seq(get(spec, list_names[l]));
}

void cl_model_containers(struct cl_container_iter *it, const struct cl_node *pod_spec,
                         unsigned lists)
{
    it->spec = pod_spec && cl_node_is_map(pod_spec) ? cl_node_deref(pod_spec) : NULL;
    it->lists = lists;
    it->list = CL_LIST_CONTAINERS;
    it->i = 0;
    find_lists(it);
}

bool cl_model_next_container(struct cl_container_iter *it, struct cl_container *c)
{
    if (!it->spec)
        return false;
    for (; it->list <= CL_LIST_EPHEMERAL; it->list++, it->i = 0) {
        const struct cl_node *seq;

        if (!(it->lists & (1u << it->list)))
            continue;
        seq = it->seqs[it->list];
        if (!seq)
            continue;
        while (it->i < seq->u.coll.n) {
            size_t i = it->i++;
            const struct cl_node *item = cl_node_deref(seq->u.coll.items[i]);
            const char *name;

            if (!item || item->type != CL_NODE_MAP)
                continue;
            name = get_string(item, "name");
            c->node = item;
            c->name = name ? name : "";
            c->list = (enum cl_container_list)it->list;
            c->index = i;
            c->sidecar = it->list == CL_LIST_INIT &&
                         cl_streq(get_string(item, "restartPolicy"), "Always");
            return true;
        }
    }
    return false;
}

enum ftype { F_ANY, F_BOOL, F_INT, F_MAP, F_SEQ, F_STRING };

/* securityContext fields and their types. pod: the field exists in PodSecurityContext
 * too, so a container inherits the pod's value when it sets none itself. */
static const struct {
    const char *name;
    enum ftype type;
    bool pod;
} sc_fields[] = {
    {"allowPrivilegeEscalation", F_BOOL, false},
    {"appArmorProfile", F_MAP, true},
    {"capabilities", F_MAP, false},
    {"fsGroup", F_INT, true},
    {"fsGroupChangePolicy", F_STRING, true},
    {"privileged", F_BOOL, false},
    {"procMount", F_STRING, false},
    {"readOnlyRootFilesystem", F_BOOL, false},
    {"runAsGroup", F_INT, true},
    {"runAsNonRoot", F_BOOL, true},
    {"runAsUser", F_INT, true},
    {"seLinuxChangePolicy", F_STRING, true},
    {"seLinuxOptions", F_MAP, true},
    {"seccompProfile", F_MAP, true},
    {"supplementalGroups", F_SEQ, true},
    {"supplementalGroupsPolicy", F_STRING, true},
    {"sysctls", F_SEQ, true},
    {"windowsOptions", F_MAP, true},
};

static bool has_type(const struct cl_node *v, enum ftype type)
{
    bool b;
    long long n;

    switch (type) {
    case F_ANY:
        return true;
    case F_BOOL:
        return cl_node_bool(v, &b);
    case F_INT:
        return cl_node_int(v, &n);
    case F_MAP:
        return cl_node_is_map(v);
    case F_SEQ:
        return cl_node_is_seq(v);
    case F_STRING:
        return cl_node_string(v) != NULL;
    }
    return false;
}

const struct cl_node *cl_model_security(const struct cl_node *pod_spec,
                                        const struct cl_container *c, const char *field)
{
    enum ftype type = F_ANY;
    bool pod = false;
    const struct cl_node *v;

    for (size_t i = 0; i < sizeof sc_fields / sizeof sc_fields[0]; i++)
        if (strcmp(sc_fields[i].name, field) == 0) {
            type = sc_fields[i].type;
            pod = sc_fields[i].pod;
            break;
        }
    v = c ? get(get_map(c->node, "securityContext"), field) : NULL;
    if (v && has_type(v, type))
        return v;
    if (!pod)
        return NULL;
    v = get(get_map(pod_spec, "securityContext"), field);
    return v && has_type(v, type) ? v : NULL;
}

bool cl_model_long_running(const struct cl_object *obj, const struct cl_node *pod_spec,
                           const struct cl_container *c)
{
    const char *policy;

    if (c->list == CL_LIST_EPHEMERAL || (c->list == CL_LIST_INIT && !c->sidecar))
        return false;
    if (obj->kind_bit & (CL_KIND_JOB | CL_KIND_CRONJOB))
        return false;
    if (obj->kind_bit == CL_KIND_POD) {
        policy = get_string(pod_spec, "restartPolicy");
        if (cl_streq(policy, "Never") || cl_streq(policy, "OnFailure"))
            return false;
    }
    return true;
}
