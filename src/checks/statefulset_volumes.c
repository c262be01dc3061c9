/* statefulset_volumes.c -- CL2003: StatefulSet volume mounts and claim templates that
 * the API server or the StatefulSet controller would reject.
 *
 * Everything is decided within one object, so the check reports from run(). Names are
 * looked up in per-object scratch hash tables (a StatefulSet with thousands of volumes
 * costs a linear pass, not a quadratic one). When spec.template.spec.volumes or
 * spec.volumeClaimTemplates has the wrong type, mounts are not resolved at all: the
 * field-type check reports the real mistake and every mount would be noise. */
#include <stdlib.h>

#include "check.h"
#include "xindex.h"

/* A list field that is absent, null or a sequence; anything else has the wrong type. */
static bool list_ok(const struct cl_node *n)
{
    return !n || cl_node_is_null(n) || cl_node_is_seq(n);
}

static void *find_name(const struct cl_xindex *ix, const char *name)
{
    return cl_xindex_find(ix, name, strlen(name), cl_xindex_hash(CL_XINDEX_SEED, name,
                                                                 strlen(name)));
}

static void add_name(struct cl_xindex *ix, const char *name, const struct cl_node *node)
{
    cl_xindex_add(ix, name, strlen(name), cl_xindex_hash(CL_XINDEX_SEED, name, strlen(name)),
                  (void *)node);
}

/* The nearest existing node of a missing nested field: the deepest present mapping on
 * the way, or NULL when one on the way has the wrong type (the field-type check's job). */
static const struct cl_node *nearest(const struct cl_node *from, const char *const *steps,
                                     size_t nsteps)
{
    const struct cl_node *at = from;

    for (size_t i = 0; i < nsteps; i++) {
        const struct cl_node *next = cl_node_get(at, steps[i]);
        if (!next || cl_node_is_null(next))
            return at;
        if (!cl_node_is_map(next))
            return NULL;
        at = next;
    }
    return at;
}

static void check_claim(struct cl_ctx *ctx, const struct cl_node *claim, const char *name)
{
    const struct cl_node *spec = cl_node_get(claim, "spec");
    const struct cl_node *modes, *storage;
    static const char *const spec_path[] = { "spec" };
    static const char *const storage_path[] = { "spec", "resources", "requests" };

    if (spec && !cl_node_is_null(spec) && !cl_node_is_map(spec))
        return;                                 /* wrong type: CL0004 */

    modes = cl_node_get(spec, "accessModes");
    if (!modes || cl_node_is_null(modes)) {
        const struct cl_node *at = nearest(claim, spec_path, 1);
        if (at)
            cl_report(ctx, at, NULL, "volumeClaimTemplate \"%s\" has no spec.accessModes", name);
    } else if (cl_node_is_seq(modes) && cl_node_len(modes) == 0) {
        cl_report(ctx, modes, NULL, "volumeClaimTemplate \"%s\" has an empty spec.accessModes",
                  name);
    }

    storage = cl_node_at(claim, "spec.resources.requests.storage");
    if (!storage || cl_node_is_null(storage)) {
        const struct cl_node *at = nearest(claim, storage_path, 3);
        if (at)
            cl_report(ctx, at, NULL,
                      "volumeClaimTemplate \"%s\" requests no storage "
                      "(spec.resources.requests.storage)", name);
    }
}

/* Mounts (field "volumeMounts") or devices ("volumeDevices") of one container. */
static void check_mounts(struct cl_ctx *ctx, const struct cl_container *c, const char *field,
                         const char *what, const struct cl_xindex *vols,
                         const struct cl_xindex *claims, struct cl_xindex *seen)
{
    const struct cl_node *list = cl_node_deref(cl_node_get(c->node, field));

    /* A list that aliases name again (containers: [*c, *c, ...]) is checked once. */
    if (!cl_node_is_seq(list) || cl_xindex_seen(seen, list))
        return;
    for (size_t i = 0; i < cl_node_len(list); i++) {
        const struct cl_node *m = cl_node_item(list, i);
        const struct cl_node *name_node = cl_node_get(m, "name");
        const char *name = cl_node_string(name_node);
        if (!name || find_name(vols, name) || find_name(claims, name))
            continue;
        cl_report(ctx, name_node, c->name,
                  "%s \"%s\" of container \"%s\" names no pod volume or volumeClaimTemplate",
                  what, name, c->name);
    }
}

static void run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    const struct cl_node *spec = cl_node_get(obj->node, "spec");
    const struct cl_node *pod = cl_model_pod_spec(obj);
    const struct cl_node *vols = cl_node_get(pod, "volumes");
    const struct cl_node *claims = cl_node_get(spec, "volumeClaimTemplates");
    struct cl_xindex vol_ix, claim_ix;

    cl_xindex_init(&vol_ix, NULL);
    cl_xindex_init(&claim_ix, NULL);

    for (size_t i = 0; cl_node_is_seq(vols) && i < cl_node_len(vols); i++) {
        const struct cl_node *v = cl_node_item(vols, i);
        const struct cl_node *name_node = cl_node_get(v, "name");
        const char *name = cl_node_string(name_node);
        if (name)
            add_name(&vol_ix, name, name_node);
    }

    for (size_t i = 0; cl_node_is_seq(claims) && i < cl_node_len(claims); i++) {
        const struct cl_node *claim = cl_node_item(claims, i);
        const struct cl_node *name_node = cl_node_at(claim, "metadata.name");
        const char *name = cl_node_string(name_node);
        const struct cl_node *vol;

        if (!cl_node_is_map(claim))
            continue;                           /* wrong type: CL0004 */
        if (!name) {
            if (!name_node || cl_node_is_null(name_node))
                cl_report(ctx, claim, NULL, "volumeClaimTemplate has no metadata.name");
            continue;
        }
        vol = find_name(&vol_ix, name);
        if (vol) {
            cl_report_ref(ctx, cl_ctx_ref(ctx, name_node, NULL), cl_ctx_ref(ctx, vol, NULL),
                          cl_xindex_msg(ctx, "pod volume \"%s\"", name),
                          "volumeClaimTemplate \"%s\" has the same name as a pod volume", name);
        }
        add_name(&claim_ix, name, name_node);
        check_claim(ctx, claim, name);
    }

    if (pod && list_ok(vols) && list_ok(claims)) {
        struct cl_container_iter it;
        struct cl_container c;
        struct cl_xindex seen;

        cl_xindex_init(&seen, NULL);
        cl_model_containers(&it, pod, CL_LISTS_ALL);
        while (cl_model_next_container(&it, &c)) {
            check_mounts(ctx, &c, "volumeMounts", "volume mount", &vol_ix, &claim_ix, &seen);
            check_mounts(ctx, &c, "volumeDevices", "volume device", &vol_ix, &claim_ix, &seen);
        }
        cl_xindex_fini(&seen);
    }

    cl_xindex_fini(&vol_ix);
    cl_xindex_fini(&claim_ix);
}

const struct cl_check cl_check_statefulset_volumes = {
    .code = "CL2003",
    .name = "statefulset-volumes",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_RELIABILITY,
    .kinds = CL_KIND_STATEFULSET,
    .summary = "StatefulSet mounts a volume it does not define, or has an unusable claim "
               "template",
    .rationale = "The API server rejects a pod template whose volumeMounts or volumeDevices "
                 "name neither a pod volume nor a volumeClaimTemplate, so the StatefulSet "
                 "never creates a pod. A claim template with the same name as a pod volume "
                 "silently replaces that volume, and a claim template without "
                 "spec.accessModes or spec.resources.requests.storage cannot be provisioned, "
                 "which leaves the first pod Pending for good.",
    .remediation = "Give every volumeMount and volumeDevice the name of an entry in "
                   "spec.template.spec.volumes or spec.volumeClaimTemplates, keep those names "
                   "distinct, and give each claim template spec.accessModes (for example "
                   "[ReadWriteOnce]) and spec.resources.requests.storage.",
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
                   "        image: postgres:16.4\n"
                   "        volumeMounts:\n"
                   "        - name: data\n"
                   "          mountPath: /var/lib/postgresql/data\n",
    .example_good = "apiVersion: apps/v1\n"
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
                    "        image: postgres:16.4\n"
                    "        volumeMounts:\n"
                    "        - name: data\n"
                    "          mountPath: /var/lib/postgresql/data\n"
                    "  volumeClaimTemplates:\n"
                    "  - metadata:\n"
                    "      name: data\n"
                    "    spec:\n"
                    "      accessModes: [ReadWriteOnce]\n"
                    "      resources:\n"
                    "        requests:\n"
                    "          storage: 10Gi\n",
    .run = run,
};
