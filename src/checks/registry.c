/* registry.c -- the one table of built-in checks, sorted by code.
 *
 * Codes are permanent: a retired check keeps its entry with .retired = true. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lua_host.h"
#include "util.h"

extern const struct cl_check cl_check_yaml_syntax;
extern const struct cl_check cl_check_duplicate_key;
extern const struct cl_check cl_check_render_error;
extern const struct cl_check cl_check_chart_content;
extern const struct cl_check cl_check_values_schema;
extern const struct cl_check cl_check_invalid_suppression;
extern const struct cl_check cl_check_unused_suppression;
extern const struct cl_check cl_check_stale_baseline;
extern const struct cl_check cl_check_config_error;
extern const struct cl_check cl_check_chart_metadata;
extern const struct cl_check cl_check_field_type;
extern const struct cl_check cl_check_not_k8s_object;
extern const struct cl_check cl_check_read_only_root_fs;
extern const struct cl_check cl_check_run_as_non_root;
extern const struct cl_check cl_check_drop_capabilities;
extern const struct cl_check cl_check_dangerous_capabilities;
extern const struct cl_check cl_check_liveness_probe;
extern const struct cl_check cl_check_readiness_probe;
extern const struct cl_check cl_check_statefulset_volumes;
extern const struct cl_check cl_check_statefulset_headless_service;
extern const struct cl_check cl_check_ingress_path_order;
extern const struct cl_check cl_check_ingress_backend_missing;
extern const struct cl_check cl_check_cpu_request;
extern const struct cl_check cl_check_memory_request;
extern const struct cl_check cl_check_cpu_limit;
extern const struct cl_check cl_check_memory_limit;

const struct cl_check *const cl_checks[] = {
    &cl_check_yaml_syntax,                  /* CL0001 */
    &cl_check_duplicate_key,                /* CL0002 */
    &cl_check_render_error,                 /* CL0003 */
    &cl_check_field_type,                   /* CL0004 */
    &cl_check_not_k8s_object,               /* CL0005 */
    &cl_check_chart_content,                /* CL0006 */
    &cl_check_values_schema,                /* CL0007 */
    &cl_check_invalid_suppression,          /* CL0008 */
    &cl_check_unused_suppression,           /* CL0009 */
    &cl_check_config_error,                 /* CL0011 */
    &cl_check_stale_baseline,               /* CL0012 */
    &cl_check_read_only_root_fs,            /* CL1001 */
    &cl_check_run_as_non_root,              /* CL1002 */
    &cl_check_drop_capabilities,            /* CL1003 */
    &cl_check_dangerous_capabilities,       /* CL1004 */
    &cl_check_liveness_probe,               /* CL2001 */
    &cl_check_readiness_probe,              /* CL2002 */
    &cl_check_statefulset_volumes,          /* CL2003 */
    &cl_check_statefulset_headless_service, /* CL2004 */
    &cl_check_ingress_path_order,           /* CL2005 */
    &cl_check_ingress_backend_missing,      /* CL2006 */
    &cl_check_cpu_request,                  /* CL3001 */
    &cl_check_memory_request,               /* CL3002 */
    &cl_check_cpu_limit,                    /* CL3003 */
    &cl_check_memory_limit,                 /* CL3004 */
    &cl_check_chart_metadata,               /* CL4001 */
};

const size_t cl_checks_count = sizeof cl_checks / sizeof cl_checks[0];

const struct cl_check *cl_check_find(const char *id)
{
    for (size_t i = 0; i < cl_checks_count; i++)
        if (strcmp(cl_checks[i]->name, id) == 0 || strcasecmp(cl_checks[i]->code, id) == 0)
            return cl_checks[i];
    if (strcmp(cl_check_policy_error.name, id) == 0 ||
        strcasecmp(cl_check_policy_error.code, id) == 0)
        return &cl_check_policy_error;
    for (size_t i = 0, n = cl_lua_builtin_count(); i < n; i++) {
        const struct cl_check *c = cl_lua_builtin(i);

        if (strcmp(c->name, id) == 0 || strcasecmp(c->code, id) == 0)
            return c;
    }
    return NULL;
}

static const struct cl_check **catalog;
static size_t ncatalog;

static int cmp_code(const void *a, const void *b)
{
    return strcmp((*(const struct cl_check *const *)a)->code,
                  (*(const struct cl_check *const *)b)->code);
}

static void catalog_free(void)
{
    free(catalog);
    catalog = NULL;
    ncatalog = 0;
}

/* Built on first use: the registry, CL0010 and the built-in Lua rules, by code. */
static void catalog_build(void)
{
    size_t nlua = cl_lua_builtin_count();

    catalog = cl_xcalloc(cl_checks_count + 1 + nlua, sizeof *catalog);
    for (size_t i = 0; i < cl_checks_count; i++)
        catalog[ncatalog++] = cl_checks[i];
    catalog[ncatalog++] = &cl_check_policy_error;
    for (size_t i = 0; i < nlua; i++)
        catalog[ncatalog++] = cl_lua_builtin(i);
    qsort(catalog, ncatalog, sizeof *catalog, cmp_code);
    atexit(catalog_free);
}

size_t cl_catalog_count(void)
{
    if (!catalog)
        catalog_build();
    return ncatalog;
}

const struct cl_check *cl_catalog_get(size_t i)
{
    return i < cl_catalog_count() ? catalog[i] : NULL;
}

const char *cl_severity_name(enum cl_severity sev)
{
    switch (sev) {
    case CL_SEV_ERROR: return "error";
    case CL_SEV_WARNING: return "warning";
    case CL_SEV_INFO: return "info";
    default: return "none";
    }
}

enum cl_severity cl_severity_parse(const char *s)
{
    if (strcmp(s, "error") == 0) return CL_SEV_ERROR;
    if (strcmp(s, "warning") == 0) return CL_SEV_WARNING;
    if (strcmp(s, "info") == 0) return CL_SEV_INFO;
    return CL_SEV_NONE;
}

const char *cl_category_name(enum cl_category cat)
{
    switch (cat) {
    case CL_CAT_CHARTLINT: return "chartlint";
    case CL_CAT_SECURITY: return "security";
    case CL_CAT_RELIABILITY: return "reliability";
    case CL_CAT_RESOURCES: return "resources";
    case CL_CAT_HYGIENE: return "hygiene";
    }
    return "unknown";
}
