/* policy.h -- policy packs: a directory of Lua rules loaded under the pack's name. */
#ifndef CL_POLICY_H
#define CL_POLICY_H

#include "lua_host.h"

/* Load the pack in dir into lx: every *.lua file of dir and of dir/rules, in name
 * order, with rule ids namespaced by the pack name (the directory's base name):
 * "acme.require-owner-label". A rule that fails to load is a recorded load error (a
 * CL0010 finding); 0. -1 with *err (static storage) when dir cannot be read at all.
 * The config file's `policies` key calls this for each listed directory. */
int cl_policy_load_pack(struct cl_lua *lx, const char *dir, const char **err);

#endif
