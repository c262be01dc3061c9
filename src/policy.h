/* policy.h -- policy packs: a directory with pack.yaml, Lua rules and their fixtures.
 *
 * A pack's pack.yaml (docs/lua-api.md, "Policy packs") names it, versions it, lists its
 * rule files by glob and sets their params, the checks it turns on or off and severity
 * overrides. Every problem in it is a CL0010 load error at pack.yaml's line:col; the
 * rest of the pack still loads where it can. A directory without pack.yaml is a pack of
 * its *.lua files and those of its rules/ folder, named after the directory. */
#ifndef CL_POLICY_H
#define CL_POLICY_H

#include <stddef.h>

#include "check.h"
#include "lua_host.h"

/* A loaded pack; lives in its host's memory (cl_lua_alloc) until cl_lua_free(). */
struct cl_pack {
    const char *name;            /* "acme": rule ids are "acme.<id>" */
    const char *version;         /* semver from pack.yaml, or NULL without one */
    const char *description;     /* one line, or NULL */
    const char *dir;             /* as given, without trailing '/' */
    const char *manifest;        /* "<dir>/pack.yaml", or NULL when there is none */
    size_t first, nrules;        /* its rules: cl_lua_check(lx, first + i) */
    const char **enable;         /* names of checks it turns on, NULL-terminated */
    const char **disable;        /* ...and off */
    const struct cl_check **sev_check;   /* severity overrides, nsev of them */
    enum cl_severity *sev;
    size_t nsev;
};

/* Load the pack in dir into lx (see the top of this file). 0 when loaded, even with
 * load errors recorded (CL0010 findings, see cl_lua_nerrors); -1 with *err (static
 * storage) when dir cannot be read at all. The config file's `policies` key calls this
 * for each listed directory. */
int cl_policy_load_pack(struct cl_lua *lx, const char *dir, const char **err);

/* The same, returning the pack (NULL with *err when dir cannot be read; a pack whose
 * pack.yaml asks for a newer chartlint is returned with no rules). Per-pack params for
 * the config file: see cl_policy_set_param. */
const struct cl_pack *cl_policy_load(struct cl_lua *lx, const char *dir, const char **err);

/* Set parameter param of rule (its id without the pack prefix, or with it) of pack to
 * value (lists comma-separated), over pack.yaml's value. 0, or -1 with *err (static
 * storage until the next call) naming what is unknown or of the wrong type. */
int cl_policy_set_param(struct cl_lua *lx, const struct cl_pack *pack, const char *rule,
                        const char *param, const char *value, const char **err);

/* `--policy-param PACK.RULE.PARAM=VALUE`: find the pack by name among lx's packs and
 * set the param. 0, or -1 with *err (static storage until the next call). */
int cl_policy_param_arg(struct cl_lua *lx, const char *arg, const char **err);

/* The pack rule is a rule of, or NULL for built-in checks and rules. */
const struct cl_pack *cl_policy_pack_of(const struct cl_lua *lx, const struct cl_check *rule);

#endif
