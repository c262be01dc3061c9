/* model.h -- stage 4: Kubernetes objects, pod specs and containers over the YAML tree.
 *
 * The model never allocates per access and never fails on input: a field of the wrong
 * type reads as absent here, and the field-type check (CL0004) reports it once. */
#ifndef CL_MODEL_H
#define CL_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "node.h"
#include "parse.h"

enum cl_kind_bits {
    CL_KIND_POD = 1u << 0,
    CL_KIND_DEPLOYMENT = 1u << 1,
    CL_KIND_STATEFULSET = 1u << 2,
    CL_KIND_DAEMONSET = 1u << 3,
    CL_KIND_REPLICASET = 1u << 4,
    CL_KIND_REPLICATIONCONTROLLER = 1u << 5,
    CL_KIND_JOB = 1u << 6,
    CL_KIND_CRONJOB = 1u << 7,
    CL_KIND_SERVICE = 1u << 8,
    CL_KIND_INGRESS = 1u << 9,
    CL_KIND_OTHER = 1u << 31,          /* any other kind */
    CL_KINDS_WORKLOADS = 0xffu,        /* every kind with a pod template */
    CL_KINDS_ALL = 0xffffffffu,
};

/* One Kubernetes object: a document root, or an item of a List. */
struct cl_object {
    const struct cl_doc *doc;
    const struct cl_node *node;        /* the object's mapping */
    const char *path_prefix;           /* "" or "items[3]" for a List member */
    const char *api_version;           /* "" when absent or not a string */
    const char *kind;
    const char *name;                  /* metadata.name, or metadata.generateName, or "" */
    const char *namespace;             /* metadata.namespace, else the release namespace */
    bool namespace_explicit;
    unsigned kind_bit;                 /* one of enum cl_kind_bits */
    /* Found once by cl_model_object() rather than by every check: the pod spec and pod
     * template metadata (cl_model_pod_spec/_meta). They belong to model_node: a copy of
     * the struct given another node (a copied tree) looks them up again. */
    const struct cl_node *model_node;
    const struct cl_node *pod_spec, *pod_meta;
};

/* Fill obj from a mapping node; false when it is not a Kubernetes object (no string
 * apiVersion and kind). release_ns is the namespace of objects that name none. */
bool cl_model_object(struct cl_object *obj, const struct cl_doc *doc,
                     const struct cl_node *node, const char *path_prefix,
                     const char *release_ns);
unsigned cl_model_kind_bit(const char *kind);

/* The pod spec of a workload (Pod: spec; CronJob: spec.jobTemplate.spec.template.spec;
 * PodTemplate: template.spec;
 * others: spec.template.spec), or NULL. The pod template's metadata likewise. */
const struct cl_node *cl_model_pod_spec(const struct cl_object *obj);
const struct cl_node *cl_model_pod_meta(const struct cl_object *obj);

enum cl_container_list { CL_LIST_CONTAINERS, CL_LIST_INIT, CL_LIST_EPHEMERAL };

struct cl_container {
    const struct cl_node *node;        /* the container mapping (always a mapping) */
    const char *name;                  /* "" when missing */
    enum cl_container_list list;
    size_t index;                      /* index within its list */
    bool sidecar;                      /* init container with restartPolicy: Always */
};

struct cl_container_iter {
    const struct cl_node *spec;
    unsigned lists;                    /* bit (1 << list) for each list to visit */
    int list;
    size_t i;
    const struct cl_node *seqs[3];     /* each list's sequence, or NULL: found at start */
};

#define CL_LISTS_ALL ((1u << CL_LIST_CONTAINERS) | (1u << CL_LIST_INIT) | (1u << CL_LIST_EPHEMERAL))
#define CL_LISTS_RESOURCES ((1u << CL_LIST_CONTAINERS) | (1u << CL_LIST_INIT))

/* Iterate the containers of a pod spec (NULL spec: none), lists in the order
 * containers, initContainers, ephemeralContainers; items that are not mappings skipped. */
void cl_model_containers(struct cl_container_iter *it, const struct cl_node *pod_spec,
                         unsigned lists);
bool cl_model_next_container(struct cl_container_iter *it, struct cl_container *c);

/* "containers", "initContainers", "ephemeralContainers". */
const char *cl_model_list_name(enum cl_container_list list);

/* Effective security context field: the container's securityContext.<field> when set,
 * else the pod's securityContext.<field> for the fields a pod can set (runAsNonRoot,
 * runAsUser, runAsGroup, seLinuxOptions, seccompProfile, appArmorProfile,
 * windowsOptions, supplementalGroups...), else NULL. */
const struct cl_node *cl_model_security(const struct cl_node *pod_spec,
                                        const struct cl_container *c, const char *field);

/* Does this container run for the pod's lifetime (regular containers and native
 * sidecars of long-running workloads)? False for Jobs, CronJobs, bare Pods with
 * restartPolicy Never/OnFailure, init and ephemeral containers. */
bool cl_model_long_running(const struct cl_object *obj, const struct cl_node *pod_spec,
                           const struct cl_container *c);

#endif
