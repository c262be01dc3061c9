/* common.h -- small helpers shared by the built-in per-object checks (src/checks/).
 *
 * Private to the checks: field reads that treat null and aliases like Kubernetes'
 * decoder does, and the bits of message text every check needs (quoted values,
 * container labels, type descriptions). Text returned lives in the run arena. */
#ifndef CL_CHECKS_COMMON_H
#define CL_CHECKS_COMMON_H

#include "check.h"
#include "model.h"
#include "node.h"

/* The value of key in map with aliases resolved; NULL when map is not a mapping or
 * the key is absent or null. Borrowed: lives with the document. */
const struct cl_node *cl_chk_get(const struct cl_node *map, const char *key);
/* The same, but NULL unless the value is a mapping / a sequence. */
const struct cl_node *cl_chk_get_map(const struct cl_node *map, const char *key);
const struct cl_node *cl_chk_get_seq(const struct cl_node *map, const char *key);

/* Is v a Kubernetes quantity as YAML can spell it: a string or a plain number? */
bool cl_chk_is_quantity(const struct cl_node *v);

/* s between double quotes, with '"', '\\' and control bytes escaped and long values cut
 * ("..." after 64 bytes), so a message stays one line. Run arena; never NULL. */
const char *cl_chk_quote(struct cl_ctx *ctx, const char *s);

/* How a container is named in messages: its quoted name ("app"), or for an unnamed
 * container its place (initContainers[1]). Run arena. */
const char *cl_chk_container(struct cl_ctx *ctx, const struct cl_container *c);
/* The container name to pass to cl_report(): the name, or the place when unnamed. */
const char *cl_chk_container_id(struct cl_ctx *ctx, const struct cl_container *c);

/* The YAML type and value of a node for "got ..." in messages: 'string "true"',
 * 'boolean yes', 'integer 0', 'number 1.5', 'null', 'a mapping', 'a list'. Run arena. */
const char *cl_chk_describe(struct cl_ctx *ctx, const struct cl_node *node);

/* The nearest existing node for a missing container field: the container's
 * securityContext mapping when it has one (sc true), else the container mapping. */
const struct cl_node *cl_chk_near(const struct cl_container *c, bool sc);

/* Shared run() of the probe checks (CL2001, CL2002): report every long-running container
 * of obj without field ("livenessProbe", "readinessProbe"), or whose probe names no
 * handler (exec, httpGet, tcpSocket, grpc), which Kubernetes rejects. */
void cl_chk_probes(struct cl_ctx *ctx, const struct cl_object *obj, const char *field);

/* Is the pod spec for Windows (spec.os.name "windows")? Kubernetes forbids the Linux-only
 * securityContext fields (readOnlyRootFilesystem, capabilities, runAsUser...) there. */
bool cl_chk_windows(const struct cl_node *pod_spec);

/* Shared run() of the four resource checks (CL3001-CL3004): report every regular and
 * init container of obj without resources.requests.<resource> (limit false; a limit of
 * the same resource counts, as Kubernetes defaults the request to it) or without
 * resources.limits.<resource> (limit true). resource is "cpu" or "memory". Pod-level
 * resources (spec.resources) of the same kind satisfy every container of the pod. */
void cl_chk_resources(struct cl_ctx *ctx, const struct cl_object *obj, const char *resource,
                      bool limit);

#endif
