/* lua_host.h -- stage 5: sandboxed Lua 5.4 rules behind the C check interface.
 *
 * A struct cl_lua owns one lua_State (per run). Each rule file is loaded from text only
 * into its own _ENV holding the allow-list of STYLE.md section 7, and the table it
 * returns becomes a struct cl_check whose run() calls the rule's check(obj, ctx) under
 * an instruction budget and the state's memory cap (and whose finish() calls the rule's
 * finish(ctx), if any, once the input set is complete). Any failure (load, bad table,
 * runtime error, budget, memory) becomes a CL0010 policy-error finding at the rule
 * file's line; the other rules and checks still run. See docs/lua-api.md. */
#ifndef CL_LUA_HOST_H
#define CL_LUA_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "pos.h"

#define CL_LUA_MEMORY_DEFAULT ((size_t)256 << 20)   /* bytes per run */
#define CL_LUA_BUDGET_DEFAULT 20000000L             /* VM instructions per check() call */

struct cl_lua;

/* The policy-error check (CL0010): reported by the Lua host, never run itself. */
extern const struct cl_check cl_check_policy_error;

/* A new host with a memory cap in bytes (0: the default). Caller frees it with
 * cl_lua_free(). Never NULL (out of memory exits). */
struct cl_lua *cl_lua_new(size_t memory_limit);
void cl_lua_free(struct cl_lua *lx);
/* Instructions allowed per check() call (tests lower it). */
void cl_lua_set_budget(struct cl_lua *lx, long budget);

/* Load one rule file from text into its own _ENV and register its check. ns is the
 * pack name ("acme": the rule's id becomes "acme.<id>") or NULL for built-in rules;
 * params (NULL-terminated "name=value" overrides) may be NULL. 0 on success; -1 with a
 * load error recorded (see cl_lua_nerrors). */
int cl_lua_load_rule(struct cl_lua *lx, const char *path, const char *src, size_t len,
                     const char *ns, const char *const *params);
/* Load the rules embedded from rules/ at build time. Returns the failures. */
int cl_lua_load_builtin(struct cl_lua *lx);

/* Override parameter name of rule (a rule of lx) with value in cl_param string form
 * (lists comma-separated; for the config file's params): ctx.params and the check's
 * params see it from now on. 0, or -1 when the rule declares no such parameter. */
int cl_lua_set_param(struct cl_lua *lx, const struct cl_check *rule, const char *name,
                     const char *value);

/* Rules loaded so far, in load order; borrowed, valid until cl_lua_free(). */
size_t cl_lua_ncheck(const struct cl_lua *lx);
const struct cl_check *cl_lua_check(const struct cl_lua *lx, size_t i);
/* Is check a rule of this host? */
bool cl_lua_owns(const struct cl_lua *lx, const struct cl_check *check);
/* Find a rule by id or code; NULL when none. */
const struct cl_check *cl_lua_find(const struct cl_lua *lx, const char *id);

/* Load errors (file:line and message) not yet taken; cl_lua_take_errors forgets them. */
struct cl_lua_error {
    struct cl_pos pos;
    const char *message;
};
size_t cl_lua_nerrors(const struct cl_lua *lx);
/* Record a load error at pos (file, line, col), as the policy packs' pack.yaml does. */
void cl_lua_add_error(struct cl_lua *lx, const struct cl_pos *pos, const char *msg);

/* Memory that lives as long as lx (zeroed; out of memory exits), for policy.c. */
void *cl_lua_alloc(struct cl_lua *lx, size_t n);
char *cl_lua_strdup(struct cl_lua *lx, const char *s);

/* The policy packs loaded into lx (struct cl_pack: policy.h), in load order. lx keeps
 * the pointer; the pack lives in lx's memory (cl_lua_alloc). */
struct cl_pack;
void cl_lua_pack_add(struct cl_lua *lx, struct cl_pack *pack);
size_t cl_lua_npacks(const struct cl_lua *lx);
const struct cl_pack *cl_lua_pack(const struct cl_lua *lx, size_t i);
const struct cl_lua_error *cl_lua_error_get(const struct cl_lua *lx, size_t i);
void cl_lua_take_errors(struct cl_lua *lx);

/* The built-in Lua rules' metadata for `rules`, `explain`, docs, SARIF and
 * cl_check_find(): a process-wide catalog loaded on first use (freed at exit). */
size_t cl_lua_builtin_count(void);
const struct cl_check *cl_lua_builtin(size_t i);

/* Embedded rule files (generated at build time from the .lua files of rules/ by
 * cmake/embed_rules.c): each precompiled to Lua bytecode with its debug information.
 * A plain rule (string fields, kinds, a check function; see embed_rules.c) comes as its
 * metadata, read at build time, and the bytecode of its check function alone, whose
 * upvalues the host binds as upvals says; any other rule as its whole file. */
enum cl_lua_upval_kind {
    CL_LUA_UP_ENV,               /* the rule's _ENV */
    CL_LUA_UP_QUOTE,             /* chartlint.quote */
    CL_LUA_UP_FUNC,              /* a function of the file, whose upvalues are all _ENV */
};
struct cl_lua_upval {
    enum cl_lua_upval_kind kind;
    const char *chunk;           /* CL_LUA_UP_FUNC: its bytecode */
    size_t len;
};
struct cl_lua_meta {
    const char *id, *code, *severity, *category, *summary, *rationale, *remediation,
        *example_bad, *example_good;   /* the rule table's fields, NULL when absent */
    const char *const *kinds;    /* NULL-terminated, or NULL when the field is absent */
    int line;                    /* where check is defined */
    const struct cl_lua_upval *upvals;   /* the check function's, in order */
    int nupvals;
};
struct cl_lua_source {
    const char *path;            /* "rules/latest-tag.lua" */
    const char *chunk;           /* bytecode: of the check function when meta is set, */
    size_t len;                  /* else of the file, chunk name "@<path>" either way */
    const struct cl_lua_meta *meta;
};
extern const struct cl_lua_source cl_lua_sources[];
extern const size_t cl_lua_sources_count;

#endif
