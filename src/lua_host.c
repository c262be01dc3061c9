/* lua_host.c -- sandboxed Lua 5.4 rules: loading, the chartlint API, running checks.
 *
 * One lua_State per host. Rules are chunks loaded as text ("t": never bytecode; only the
 * built-in rules come as the bytecode the build compiled them to) whose
 * _ENV upvalue is replaced by a fresh table holding only the allow-list, with copies of
 * the string (no dump), table, math and utf8 libraries, so no rule can see or change
 * another's globals (the built-in rules, which set none, share one such table, made
 * when the first of them needs it). The library tables of the state itself are never
 * handed out; the shared string library reachable through string methods has dump
 * removed, and the other libraries are opened with the first _ENV. A plain built-in
 * rule comes as its metadata, read at build time, and its check function's bytecode
 * (lua_host.h): it is registered without Lua and loaded when an object first reaches
 * it. Such a rule whose functions bind no _ENV is sealed: its calls can keep nothing,
 * so the handles they make are reused by its later calls, and while only sealed rules
 * are loaded the object's shared handles are reused from object to object.
 *
 * Lua sees the parsed tree through small userdata handles (object, node, container),
 * built on access: nothing is converted eagerly. Each handle is stamped with the object
 * (or finish call) it was made for and refuses to work in any later call, because the
 * document tree it points into is freed after its document; so a node kept in a rule's
 * globals, or a node of another object, is a clean error rather than a dangling read.
 * The rules checking one object share its handle, pod spec and container handles; no
 * rule can reach what another holds, so sharing them shows in no rule's behaviour.
 *
 * Set-scoped rules (a finish function) need objects after their trees are gone: while
 * one is enabled, each object it wants is copied with its node positions into a
 * per-set arena when its check runs (once per object however many such rules run), and
 * finish() gets handles to those copies through ctx:objects. The copies are dropped
 * when the next input set starts. ctx.chart and ctx.values read the chart being
 * rendered (check.h's cl_ctx_chart/cl_ctx_values) through fresh tables and read-only
 * views stamped like nodes.
 *
 * Limits: the allocator refuses to grow the state past the memory cap (LUA_ERRMEM),
 * and a count hook ends a call that runs past its instruction budget; once over, the
 * hook fires at every instruction so pcall cannot swallow it for long. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "load.h"
#include "lua_host.h"
#include "model.h"
#include "node.h"
#include "tmpl/value.h"
#include "util.h"

#define HOOK_EVERY 1000

const struct cl_check cl_check_policy_error = {
    .code = "CL0010",
    .name = "policy-error",
    .severity = CL_SEV_ERROR,
    .category = CL_CAT_CHARTLINT,
    .input_problem = true,             /* on unless disabled (run.c), as --only documents */
    .kinds = 0,
    .summary = "A Lua rule or policy pack failed",
    .rationale = "A rule that cannot load or that fails while checking an object checks "
                 "nothing, so the objects it should guard pass silently; the other rules "
                 "and checks still run.",
    .remediation = "Fix the rule at the reported line of its file: the message carries "
                   "Lua's error and traceback (a runtime error, the memory or instruction "
                   "budget, a bad return value or a malformed rule table).",
    .example_bad = "return { id = \"broken\", check = 42 }\n",
    .example_good = "return { id = \"fine\", check = function(obj, ctx) end }\n",
    .example_file = "rules/example.lua",
    .internal = true,
};

struct lrule {
    struct cl_check check;       /* first: run() gets it back from cl_ctx_check() */
    struct cl_lua *lx;
    int fn_ref;                  /* check function, or LUA_NOREF */
    int finish_ref;              /* finish function of a set-scoped rule, or LUA_NOREF */
    int params_ref;              /* ctx.params table */
    const char *file;
    int line;                    /* where check is defined */
    const char **kind_names;     /* kinds outside enum cl_kind_bits, NULL-terminated */
    size_t index;                /* in lx->rules */
    bool builtin;                /* built in (rules/): runs without the count hook */
    /* a built-in rule registered from its metadata: its check function is loaded from
     * src on first use (fn_ref LUA_NOREF until then); load_failed once that failed */
    const struct cl_lua_source *src;
    bool load_failed;
    /* loaded from src with no _ENV bound anywhere: its call can keep no value past its
     * end (no globals, no table upvalues), so its node handles can be reused */
    bool sealed;
};

/* A node of an object snapshot: a copy of the parsed node and the position a user
 * edits, computed while the document was alive. */
struct snode {
    struct cl_node node;         /* first: handles point here */
    struct cl_pos pos;
};

/* An object of the current input set, kept for the finish() of set-scoped rules. */
struct snap {
    struct cl_object obj;        /* doc NULL; node the copied root (a struct snode) */
    const struct cl_ref *ref;    /* the object's own location (run arena) */
};

/* The state's small blocks: size classes of POOL_GRAIN bytes up to POOL_MAX, carved
 * from chunks and kept on a free list per class when Lua frees them (Lua says each
 * block's size when it frees or resizes it, so blocks carry no header). Lua allocates
 * and frees many small objects (strings, tables, closures, a userdata per node handle)
 * for which glibc's malloc and free cost ~180 instructions a call; a class's free list
 * costs a few. The chunks go back when the host is freed. */
#define POOL_GRAIN 16
#define POOL_MAX 256
#define POOL_CHUNK ((size_t)32 << 10)

struct pool {
    void *free[POOL_MAX / POOL_GRAIN];   /* per class: freed blocks, linked by first word */
    unsigned char *cur, *end;            /* unused space of the newest chunk */
    void *chunks;                        /* every chunk, linked by its first word */
};

struct cl_lua {
    lua_State *L;
    size_t used, limit;
    struct pool pool;
    long budget, left;
    struct cl_arena arena;       /* rule metadata, error messages */
    struct lrule **rules;
    size_t nrules, rules_cap;
    struct cl_lua_error *errors;
    size_t nerrors, errors_cap;
    /* snapshots of the current input set (set-scoped rules only); set_arena holds them */
    struct cl_arena set_arena;
    struct snap *snaps;
    size_t nsnaps, snaps_cap;
    bool set_done;               /* a finish() ran: the next run() starts a new set */
    /* the object snapshotted last, and the rule that did it */
    const char *snap_buf;
    size_t snap_index;
    const struct cl_node *snap_node;
    size_t snap_rule;
    /* the call in progress */
    unsigned gen;                /* stamps handles; changes at each call's start and end */
    struct cl_ctx *ctx;
    const struct cl_object *obj;
    struct lrule *rule;
    bool in_call;                /* inside check() or finish() */
    bool in_finish;              /* inside finish(): handles are snapshots */
    const char *cur_file;        /* file whose line an error is reported at */
    int err_line;
    /* policy packs loaded into this host (policy.c owns what they point to) */
    struct cl_pack **packs;
    size_t npacks;
    int node_mt_ref, obj_mt_ref;  /* the node and object metatables, for push_handle */
    int node_fields_ref, obj_fields_ref; /* metatables of their handles' own method
                                          * tables (own_mt) */
    int ctx_ref;                  /* the ctx userdata every call passes */
    int lib_sizes[4];             /* entries of each of libraries[] (push_env) */
    int builtin_env_ref;          /* the _ENV of the built-in rules, or LUA_NOREF */
    bool sandbox_open;            /* the libraries an _ENV copies are open (open_sandbox) */
    /* The object being checked, shared by every rule's check() on it (lua_run): its
     * handle, pod spec and containers are made once per object, not once per rule.
     * Its handles are stamped with gen, which changes when the next object starts. */
    unsigned long cur_id;         /* cl_ctx_object_id of that object; 0: none */
    int obj_slot, spec_slot;      /* registry slots: the object's handle, its pod spec's */
    int conts_ref;                /* registry: its container handles, 1-based (stale
                                   * entries of earlier objects are told by their gen) */
    const struct cl_node *spec;   /* cl_model_pod_spec, once spec_done */
    bool spec_done, spec_handle_done, conts_done;
    struct cl_container *conts;   /* the containers, once conts_done */
    size_t nconts, conts_cap;
    /* Node handles made by the calls of sealed built-in rules (struct lrule), which can
     * keep nothing past their call: registry references, reused from the start by each
     * such call instead of a new userdata per node fetched. Never handed to any other
     * rule, and never the shared object, pod spec or container handles. */
    int *hpool;
    size_t hpool_n, hpool_cap, hpool_next;
    bool hpool_on;                /* the call in progress is a sealed rule's */
    size_t nunsealed;             /* rules not sealed (struct lrule): see may_keep */
};

/* Every full userdata of the state begins with one of these tags. Rule code reaches
 * no userdata but these (the sandbox's libraries make none, and no light userdata is
 * ever handed to Lua code), so the tag read through lua_touserdata tells a handle from
 * any other value without fetching and comparing its metatable. */
enum ud_tag {
    UD_NODE = 0x6c630001, UD_OBJ, UD_VALUES, UD_REGEX, UD_ITER, UD_CTX,
};

struct handle {                  /* object, node or container */
    uint32_t tag;                /* UD_NODE or UD_OBJ, as its metatable */
    unsigned gen;
    const struct cl_node *node;
    const struct snap *snap;     /* the snapshot node lies in, or NULL for the live object */
    const char *cname;           /* container name, or NULL */
    const char *within;          /* name of the container this node is in, or NULL */
    int list;                    /* enum cl_container_list, or -1 */
    size_t index;
    size_t seq;                  /* a container of the live object: 1 + its place in
                                  * cl_lua.conts (sealed_containers_next); else 0 */
    unsigned hits;               /* accesses through h_index, over its reuses */
};

/* Accesses through h_index after which a handle that no rule can keep gets a
 * metatable of its own (own_mt): ~5 k instructions to make, ~350 saved per access. */
enum { OWN_MT_HITS = 32 };

struct regex {
    uint32_t tag;                /* UD_REGEX */
    pcre2_code *code;
    pcre2_match_data *md;
};

static const char OBJ_MT[] = "chartlint.object";
static const char NODE_MT[] = "chartlint.node";
static const char CTX_MT[] = "chartlint.ctx";
static const char RE_MT[] = "chartlint.regex";
static const char ITER_MT[] = "chartlint.iter";
static const char VALUE_MT[] = "chartlint.values";

static void set_lazy_mt(lua_State *L, const char *name);

struct vhandle {                 /* a map or list of the chart's values */
    uint32_t tag;                /* UD_VALUES */
    unsigned gen;
    const struct cl_value *v;
};

static struct cl_lua *host(lua_State *L)
{
    return *(struct cl_lua **)lua_getextraspace(L);
}

/* ---- limits --------------------------------------------------------------------- */

static size_t pool_class(size_t n)
{
    return (n - 1) / POOL_GRAIN;
}

/* A block of class c (never NULL: out of memory exits as everywhere). */
static void *pool_get(struct pool *pl, size_t c)
{
    void *p = pl->free[c];
    size_t n = (c + 1) * POOL_GRAIN;

    if (p) {
        memcpy(&pl->free[c], p, sizeof p);
        return p;
    }
    if ((size_t)(pl->end - pl->cur) < n) {
        unsigned char *chunk = cl_xmalloc(POOL_CHUNK);

        memcpy(chunk, &pl->chunks, sizeof pl->chunks);
        pl->chunks = chunk;
        /* the first grain holds the link; the rest stays aligned to POOL_GRAIN */
        pl->cur = chunk + POOL_GRAIN;
        pl->end = chunk + POOL_CHUNK;
    }
    p = pl->cur;
    pl->cur += n;
    return p;
}

static void pool_put(struct pool *pl, void *p, size_t c)
{
    memcpy(p, &pl->free[c], sizeof p);
    pl->free[c] = p;
}

static void pool_fini(struct pool *pl)
{
    for (void *chunk = pl->chunks, *next; chunk; chunk = next) {
        memcpy(&next, chunk, sizeof next);
        free(chunk);
    }
    memset(pl, 0, sizeof *pl);
}

/* The state's allocator: the memory cap, then small blocks from the pool and the rest
 * from malloc. A block keeps the class of the size it was made with while Lua shrinks
 * it within the pool (Lua then frees it by its smaller size, into a smaller class: the
 * block is at least that big), so shrinking never allocates, as Lua requires. */
static void *lalloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct cl_lua *lx = ud;
    size_t old = ptr ? osize : 0;
    void *p;

    if (nsize == 0) {
        if (ptr) {
            if (old <= POOL_MAX)
                pool_put(&lx->pool, ptr, pool_class(old));
            else
                free(ptr);
        }
        lx->used -= old;
        return NULL;
    }
    if (nsize > old && lx->used + (nsize - old) > lx->limit)
        return NULL;
    if (nsize <= POOL_MAX) {
        if (ptr && old <= POOL_MAX && pool_class(nsize) <= pool_class(old)) {
            p = ptr;
        } else {
            p = pool_get(&lx->pool, pool_class(nsize));
            if (ptr) {
                memcpy(p, ptr, old < nsize ? old : nsize);
                if (old <= POOL_MAX)
                    pool_put(&lx->pool, ptr, pool_class(old));
                else
                    free(ptr);
            }
        }
    } else if (ptr && old <= POOL_MAX) {
        p = malloc(nsize);
        if (!p)
            return NULL;
        memcpy(p, ptr, old);
        pool_put(&lx->pool, ptr, pool_class(old));
    } else {
        p = realloc(ptr, nsize);
        if (!p)
            return NULL;
    }
    lx->used = lx->used - old + nsize;
    return p;
}

static void hook(lua_State *L, lua_Debug *ar)
{
    struct cl_lua *lx = host(L);

    (void)ar;
    lx->left -= HOOK_EVERY;
    if (lx->left <= 0) {
        lua_sethook(L, hook, LUA_MASKCOUNT, 1);
        luaL_error(L, "instruction budget of %d exceeded", (int)lx->budget);
    }
}

static void limits_on(struct cl_lua *lx)
{
    lx->left = lx->budget;
    lua_sethook(lx->L, hook, LUA_MASKCOUNT, HOOK_EVERY);
}

static void limits_off(struct cl_lua *lx)
{
    lua_sethook(lx->L, NULL, 0, 0);
}

/* Message handler: the error (any value) as text plus a traceback; remembers the line
 * of the innermost frame in the rule's own file. */
static int msgh(lua_State *L)
{
    struct cl_lua *lx = host(L);
    const char *msg;
    lua_Debug ar;

    if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER)
        msg = lua_tostring(L, 1);
    else
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    for (int level = 0; lx->cur_file && lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0 && ar.source[0] == '@' && strcmp(ar.source + 1, lx->cur_file) == 0) {
            lx->err_line = ar.currentline;
            break;
        }
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* The error on top of the stack as one line: "\n\t" in tracebacks become "; ". */
static char *error_text(struct cl_lua *lx, int status)
{
    const char *s = lua_type(lx->L, -1) == LUA_TSTRING ? lua_tostring(lx->L, -1) : NULL;
    struct cl_buf b;
    char *out;

    if (status == LUA_ERRMEM)
        s = "not enough memory (the lua memory cap was reached; see --lua-memory)";
    else if (!s)
        s = "(error object is not a string)";
    cl_buf_init(&b);
    for (bool tb = false; *s; s++) {
        if (!tb && strncmp(s, "\nstack traceback:", 17) == 0) {
            cl_buf_adds(&b, " [traceback:");
            s += 16;
            tb = true;
        } else if (*s == '\n') {
            cl_buf_adds(&b, tb && b.data[b.len - 1] != ':' ? "; " : " ");
            while (s[1] == '\t' || s[1] == '\n')
                s++;
        } else {
            cl_buf_addc(&b, *s == '\t' ? ' ' : *s);
        }
        if (tb && !s[1])
            cl_buf_addc(&b, ']');
    }
    out = cl_arena_strdup(&lx->arena, b.data ? b.data : "");
    cl_buf_fini(&b);
    return out;
}

static void add_error(struct cl_lua *lx, const char *file, int line, const char *msg)
{
    struct cl_lua_error *e;

    if (lx->nerrors == lx->errors_cap) {
        lx->errors_cap = lx->errors_cap ? 2 * lx->errors_cap : 8;
        lx->errors = cl_xrealloc(lx->errors, lx->errors_cap * sizeof *lx->errors);
    }
    e = &lx->errors[lx->nerrors++];
    memset(e, 0, sizeof *e);
    e->pos.file = cl_arena_strdup(&lx->arena, file);
    e->pos.line = line > 0 ? (uint32_t)line : 1;
    e->pos.col = 1;
    e->message = cl_arena_strdup(&lx->arena, msg);
}

/* ---- handles -------------------------------------------------------------------- */

/* (Re)start handle h for node in the current call (its tag stays). */
static void handle_init(const struct cl_lua *lx, struct handle *h, const struct cl_node *node)
{
    h->gen = lx->gen;
    h->node = node;
    h->snap = NULL;
    h->cname = NULL;
    h->within = NULL;
    h->list = -1;
    h->index = 0;
    h->seq = 0;
}

/* Rules whose calls could keep a handle past their end: a handle that might be kept
 * is never reused (the pool of sealed calls, and the object's shared handles). */
static bool may_keep(const struct cl_lua *lx)
{
    return lx->nunsealed > 0;
}

/* The key of a handle's own method table (own_mt) under which the table holds its
 * handle: a light userdata, which rule code cannot make, so it never reaches it. */
static const char HANDLE_KEY = 0;

/* Give the handle on top of the stack a metatable of its own, a copy of its kind's
 * (__name, __len, __tostring, __metatable) whose __index is a table of the kind's
 * methods and, under HANDLE_KEY, the handle: a method's name then resolves in the VM's
 * own table lookup, no C call (~450 instructions each through the shared metatable's
 * C __index). A key that is not a method reaches that table's metatable, whose C
 * __index (h_field) finds the handle under HANDLE_KEY and serves the fields as the
 * shared h_index does. Made by h_index once a handle has had OWN_MT_HITS accesses
 * (the handles reused from object to object). Fetching a method skips h_index's
 * liveness test, so only handles that no rule can keep past its call get one
 * (!may_keep, which h_index tests); keep_begins puts
 * the shared metatable back on the ones a rule of another kind could be handed. */
static int h_field(lua_State *L);

static void own_mt(lua_State *L, bool is_obj)
{
    struct cl_lua *lx = host(L);
    int *fields_ref = is_obj ? &lx->obj_fields_ref : &lx->node_fields_ref;

    if (*fields_ref == LUA_NOREF) {                    /* the first of its kind */
        lua_createtable(L, 0, 1);
        lua_pushboolean(L, is_obj);
        lua_pushcclosure(L, h_field, 1);
        lua_setfield(L, -2, "__index");
        *fields_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, is_obj ? lx->obj_mt_ref : lx->node_mt_ref);
    lua_createtable(L, 0, 6);                          /* the handle's */
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_getfield(L, -2, "__index");                    /* h_index, its upvalue 1 methods */
    lua_getupvalue(L, -1, 1);
    lua_createtable(L, 0, 20);                         /* the handle's methods */
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_pushvalue(L, -6);                              /* the handle */
    lua_rawsetp(L, -2, &HANDLE_KEY);
    lua_rawgeti(L, LUA_REGISTRYINDEX, *fields_ref);
    lua_setmetatable(L, -2);
    lua_setfield(L, -4, "__index");
    lua_pop(L, 2);
    lua_setmetatable(L, -3);
    lua_pop(L, 1);
}

/* The shared metatable back on handle (at the top of the stack) if own_mt gave it one. */
static void shared_mt(lua_State *L, struct cl_lua *lx)
{
    const struct handle *h = lua_touserdata(L, -1);

    if (h && (h->tag == UD_NODE || h->tag == UD_OBJ)) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, h->tag == UD_OBJ ? lx->obj_mt_ref : lx->node_mt_ref);
        lua_setmetatable(L, -2);
    }
}

/* A rule that may keep handles is loaded (may_keep turns true, for good): the handles
 * it can be handed that own_mt made, the object's, its pod spec's and its containers',
 * take the shared metatable, whose __index tests liveness on every access. The pooled
 * node handles of sealed calls are never handed to such a rule. */
static void keep_begins(lua_State *L, struct cl_lua *lx)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, lx->obj_slot);
    shared_mt(L, lx);
    lua_rawgeti(L, LUA_REGISTRYINDEX, lx->spec_slot);
    shared_mt(L, lx);
    lua_pop(L, 2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, lx->conts_ref);
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TUSERDATA; i++) {
        shared_mt(L, lx);
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
}

static struct handle *push_handle(lua_State *L, const char *mt, const struct cl_node *node)
{
    struct cl_lua *lx = host(L);
    struct handle *h = lua_newuserdatauv(L, sizeof *h, 0);

    h->tag = mt == OBJ_MT ? UD_OBJ : UD_NODE;
    handle_init(lx, h, node);
    /* the two hot metatables by reference: luaL_setmetatable looks them up by name */
    h->hits = 0;
    if (mt == NODE_MT || mt == OBJ_MT) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, mt == NODE_MT ? lx->node_mt_ref : lx->obj_mt_ref);
        lua_setmetatable(L, -2);
    } else {
        luaL_setmetatable(L, mt);
    }
    return h;
}

/* The node or object handle at arg, or NULL: luaL_testudata() for the two handle kinds
 * by their tag (enum ud_tag), one API call where fetching and comparing the metatable
 * took four. */
static struct handle *any_handle(lua_State *L, int arg)
{
    struct handle *h = lua_touserdata(L, arg);

    return h && (h->tag == UD_NODE || h->tag == UD_OBJ) ? h : NULL;
}

static int dead_handle(lua_State *L)
{
    return luaL_error(L, "node handle used outside the check call that made it "
                         "(handles live for one call of check or finish)");
}

/* A live handle of the current call at arg (object, node or container). */
static struct handle *check_handle(lua_State *L, int arg)
{
    struct cl_lua *lx = host(L);
    struct handle *h = any_handle(L, arg);

    if (!h)
        luaL_typeerror(L, arg, "chartlint node");
    if (h->gen != lx->gen || !lx->in_call)
        dead_handle(L);
    return h;
}

/* The object a live handle belongs to: its snapshot's, or the object being checked. */
static const struct cl_object *obj_of(const struct cl_lua *lx, const struct handle *h)
{
    return h->snap ? &h->snap->obj : lx->obj;
}

/* Where a handle's node is in the input (template line for rendered charts). */
static struct cl_pos pos_of(const struct cl_lua *lx, const struct handle *h)
{
    if (h->snap)
        return ((const struct snode *)h->node)->pos;
    return cl_doc_pos(lx->obj->doc, h->node);
}

/* A handle of node below the handle from (node or object; may be NULL): its container
 * and snapshot carry over. */
static void push_node_in(lua_State *L, const struct handle *from, const struct cl_node *node)
{
    struct cl_lua *lx = host(L);
    struct handle *h;

    if (!node) {
        lua_pushnil(L);
        return;
    }
    if (lx->hpool_on && lx->hpool_next < lx->hpool_n) {
        /* a handle of an earlier sealed call, which nothing holds any more */
        lua_rawgeti(L, LUA_REGISTRYINDEX, lx->hpool[lx->hpool_next++]);
        h = lua_touserdata(L, -1);
        handle_init(lx, h, node);
    } else {
        h = push_handle(L, NODE_MT, node);
        if (lx->hpool_on) {
            if (lx->hpool_n == lx->hpool_cap) {
                lx->hpool_cap = lx->hpool_cap ? 2 * lx->hpool_cap : 16;
                lx->hpool = cl_xrealloc(lx->hpool, lx->hpool_cap * sizeof *lx->hpool);
            }
            lua_pushvalue(L, -1);
            lx->hpool[lx->hpool_n++] = luaL_ref(L, LUA_REGISTRYINDEX);
            lx->hpool_next = lx->hpool_n;
        }
    }
    if (from) {
        h->within = from->within;
        h->snap = from->snap;
    }
}

static int n_get(lua_State *L)
{
    struct handle *h = check_handle(L, 1);

    push_node_in(L, h, cl_node_at(h->node, luaL_checkstring(L, 2)));
    return 1;
}

static int n_str(lua_State *L)
{
    const char *s = cl_node_str(check_handle(L, 1)->node);

    if (s)
        lua_pushstring(L, s);
    else
        lua_pushnil(L);
    return 1;
}

static int n_string(lua_State *L)
{
    const char *s = cl_node_string(check_handle(L, 1)->node);

    if (s)
        lua_pushstring(L, s);
    else
        lua_pushnil(L);
    return 1;
}

static int n_bool(lua_State *L)
{
    bool b;

    if (cl_node_bool(check_handle(L, 1)->node, &b))
        lua_pushboolean(L, b);
    else
        lua_pushnil(L);
    return 1;
}

static int n_int(lua_State *L)
{
    long long v;

    if (cl_node_int(check_handle(L, 1)->node, &v))
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnil(L);
    return 1;
}

static int n_is_true(lua_State *L)
{
    lua_pushboolean(L, cl_node_is_true(check_handle(L, 1)->node));
    return 1;
}

static int n_is_null(lua_State *L)
{
    lua_pushboolean(L, cl_node_is_null(check_handle(L, 1)->node));
    return 1;
}

static int n_type(lua_State *L)
{
    const struct cl_node *n = check_handle(L, 1)->node;

    lua_pushstring(L, cl_node_is_map(n) ? "map" : cl_node_is_seq(n) ? "seq"
                      : cl_node_is_null(n) ? "null" : "scalar");
    return 1;
}

/* The scalar as a Lua value with Kubernetes' YAML resolution; nil for null and for
 * collections. */
static int n_value(lua_State *L)
{
    const struct cl_node *n = check_handle(L, 1)->node;
    long long i;
    bool b;

    if (!cl_node_is_scalar(n) || cl_node_is_null(n))
        lua_pushnil(L);
    else if (cl_node_bool(n, &b))
        lua_pushboolean(L, b);
    else if (cl_node_int(n, &i))
        lua_pushinteger(L, (lua_Integer)i);
    else if (cl_node_is_number(n))
        lua_pushnumber(L, strtod(cl_node_str(n), NULL));
    else
        lua_pushstring(L, cl_node_str(n));
    return 1;
}

static int n_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)cl_node_len(check_handle(L, 1)->node));
    return 1;
}

/* node:at(i) (1-based sequence item) or node:at("key") (mapping value). */
static int n_at(lua_State *L)
{
    const struct handle *h = check_handle(L, 1);
    const struct cl_node *n = h->node;

    if (lua_type(L, 2) == LUA_TNUMBER) {
        lua_Integer i = luaL_checkinteger(L, 2);
        size_t len = cl_node_is_seq(n) ? cl_node_len(n) : 0;

        push_node_in(L, h, i >= 1 && (size_t)i <= len ? cl_node_item(n, (size_t)i - 1) : NULL);
    } else {
        push_node_in(L, h, cl_node_get(n, luaL_checkstring(L, 2)));
    }
    return 1;
}

static int items_next(lua_State *L)
{
    struct handle *h = check_handle(L, lua_upvalueindex(1));
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
    const struct cl_node *n = h->node;
    const struct handle *from = lua_touserdata(L, lua_upvalueindex(1));

    if ((size_t)i >= cl_node_len(n))
        return 0;
    lua_pushinteger(L, i + 1);
    lua_replace(L, lua_upvalueindex(2));
    if (cl_node_is_seq(n)) {
        lua_pushinteger(L, i + 1);
        push_node_in(L, from, cl_node_item(n, (size_t)i));
    } else {
        const char *k = cl_node_str(cl_node_key(n, (size_t)i));

        if (k)
            lua_pushstring(L, k);
        else
            push_node_in(L, from, cl_node_key(n, (size_t)i));
        push_node_in(L, from, cl_node_value(n, (size_t)i));
    }
    return 2;
}

/* for i, item in node:items() (sequence) / for key, value in node:items() (mapping) */
static int n_items(lua_State *L)
{
    check_handle(L, 1);
    lua_settop(L, 1);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, items_next, 2);
    return 1;
}

static int n_keys(lua_State *L)
{
    const struct cl_node *n = check_handle(L, 1)->node;
    size_t len = cl_node_is_map(n) ? cl_node_len(n) : 0;

    lua_createtable(L, (int)len, 0);
    for (size_t i = 0; i < len; i++) {
        const char *k = cl_node_str(cl_node_key(n, i));

        lua_pushstring(L, k ? k : "");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* A mapping of string scalars as a Lua table (labels, annotations). */
static void push_string_map(lua_State *L, const struct cl_node *map)
{
    size_t len = cl_node_is_map(map) ? cl_node_len(map) : 0;

    lua_createtable(L, 0, (int)len);
    for (size_t i = 0; i < len; i++) {
        const char *k = cl_node_str(cl_node_key(map, i));
        const char *v = cl_node_str(cl_node_value(map, i));

        if (k && v) {
            lua_pushstring(L, v);
            lua_setfield(L, -2, k);
        }
    }
}

/* The container id findings name: its name, or for an unnamed container its place
 * ("initContainers[1]"), as the C checks report it (lx's arena). */
static const char *container_id(struct cl_lua *lx, const char *name,
                                enum cl_container_list list, size_t index)
{
    if (name && *name)
        return name;
    return cl_arena_printf(&lx->arena, "%s[%zu]", cl_model_list_name(list), index);
}

struct iter {                    /* obj:containers() of a snapshot */
    uint32_t tag;                /* UD_ITER */
    struct cl_container_iter it;
};

static int o_containers_next(lua_State *L)
{
    struct cl_container_iter *it = &((struct iter *)lua_touserdata(L, lua_upvalueindex(1)))->it;
    struct cl_container c;
    struct handle *h, *o;

    o = check_handle(L, lua_upvalueindex(2));
    if (!cl_model_next_container(it, &c))
        return 0;
    h = push_handle(L, NODE_MT, c.node);
    h->snap = o->snap;
    h->cname = c.name;
    h->within = container_id(host(L), c.name, c.list, c.index);
    h->list = (int)c.list;
    h->index = c.index;
    return 1;
}

/* The pod spec of the object being checked, looked up once per object. */
static const struct cl_node *cur_spec(struct cl_lua *lx)
{
    if (!lx->spec_done) {
        lx->spec = cl_model_pod_spec(lx->obj);
        lx->spec_done = true;
    }
    return lx->spec;
}

/* The containers of the object being checked, listed once per object. */
static void cur_conts(struct cl_lua *lx)
{
    struct cl_container_iter ci;
    struct cl_container c;

    if (lx->conts_done)
        return;
    lx->nconts = 0;
    cl_model_containers(&ci, cur_spec(lx), CL_LISTS_ALL);
    while (cl_model_next_container(&ci, &c)) {
        if (lx->nconts == lx->conts_cap) {
            lx->conts_cap = lx->conts_cap ? 2 * lx->conts_cap : 8;
            lx->conts = cl_xrealloc(lx->conts, lx->conts_cap * sizeof *lx->conts);
        }
        lx->conts[lx->nconts++] = c;
    }
    lx->conts_done = true;
}

/* Push the handle of container i of the object being checked: made once per object
 * and kept in conts_ref for the other rules' loops. */
static void push_container(lua_State *L, struct cl_lua *lx, size_t i)
{
    const struct cl_container *c = &lx->conts[i];
    struct handle *h;

    lua_rawgeti(L, LUA_REGISTRYINDEX, lx->conts_ref);
    if (lua_rawgeti(L, -1, (lua_Integer)i + 1) == LUA_TUSERDATA) {
        h = lua_touserdata(L, -1);
        if (h->gen == lx->gen)
            return;
        if (!may_keep(lx)) {           /* an earlier object's, which no rule can hold */
            handle_init(lx, h, c->node);
            h->cname = c->name;
            h->within = container_id(lx, c->name, c->list, c->index);
            h->list = (int)c->list;
            h->index = c->index;
            h->seq = i + 1;
            return;
        }
    }
    lua_pop(L, 1);
    h = push_handle(L, NODE_MT, c->node);
    h->cname = c->name;
    h->within = container_id(lx, c->name, c->list, c->index);
    h->list = (int)c->list;
    h->index = c->index;
    h->seq = i + 1;
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, (lua_Integer)i + 1);
}

/* The iterator of a live object's containers: upvalue 1 the object handle, 2 the next
 * index into lx->conts. */
static int cur_containers_next(lua_State *L)
{
    struct cl_lua *lx = host(L);
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
    const struct handle *o = lua_touserdata(L, lua_upvalueindex(1));

    /* o is the object handle o_containers put there: only its stamp needs a test */
    if (o->gen != lx->gen || !lx->in_call)
        dead_handle(L);
    if ((size_t)i >= lx->nconts)
        return 0;
    lua_pushinteger(L, i + 1);
    lua_replace(L, lua_upvalueindex(2));
    push_container(L, lx, (size_t)i);
    return 1;
}

/* The iterator of obj:containers() in a sealed rule's call (struct lrule), where no
 * iterator can outlive the call: stateless, the generic for's state the handle the
 * loop was made from and its control the last container handle, so a loop allocates
 * nothing (the closure of cur_containers_next is a new object per loop). */
static int sealed_containers_next(lua_State *L)
{
    struct cl_lua *lx = host(L);
    const struct handle *o = any_handle(L, 1);
    size_t i = 0;

    if (!o || o->snap)
        luaL_typeerror(L, 1, "chartlint object");
    if (o->gen != lx->gen || !lx->in_call)
        dead_handle(L);
    cur_conts(lx);
    if (!lua_isnil(L, 2)) {
        const struct handle *c = any_handle(L, 2);

        if (!c || c->gen != lx->gen || c->seq == 0 || c->seq > lx->nconts)
            luaL_argerror(L, 2, "a container of the object expected");
        i = c->seq;
    }
    if (i >= lx->nconts)
        return 0;
    push_container(L, lx, i);
    return 1;
}

/* for c in obj:containers() -- containers, initContainers, ephemeralContainers */
static int o_containers(lua_State *L)
{
    struct cl_lua *lx = host(L);
    struct iter *it;
    const struct handle *h = check_handle(L, 1);

    if (!h->snap) {
        cur_conts(lx);
        if (lx->hpool_on) {
            lua_pushcfunction(L, sealed_containers_next);
            lua_pushvalue(L, 1);
            return 2;
        }
        lua_settop(L, 1);
        lua_pushinteger(L, 0);
        lua_pushcclosure(L, cur_containers_next, 2);
        return 1;
    }
    it = lua_newuserdatauv(L, sizeof *it, 0);
    it->tag = UD_ITER;
    set_lazy_mt(L, ITER_MT);
    cl_model_containers(&it->it, cl_model_pod_spec(obj_of(lx, h)), CL_LISTS_ALL);
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, o_containers_next, 2);
    return 1;
}

static int o_pod_spec(lua_State *L)
{
    struct cl_lua *lx = host(L);
    const struct handle *h = check_handle(L, 1);

    if (h->snap || h->within) {        /* a snapshot's, or called on a container's node */
        push_node_in(L, h, h->snap ? cl_model_pod_spec(obj_of(lx, h)) : cur_spec(lx));
    } else {
        const struct cl_node *spec = cur_spec(lx);

        /* one handle for every rule's call on this object (never a pooled one): the
         * slot keeps the last one made, reused when no rule can hold it */
        if (!spec) {
            lua_pushnil(L);
        } else if (lua_rawgeti(L, LUA_REGISTRYINDEX, lx->spec_slot) == LUA_TUSERDATA &&
                   (lx->spec_handle_done || !may_keep(lx))) {
            if (!lx->spec_handle_done)
                handle_init(lx, lua_touserdata(L, -1), spec);
        } else {
            lua_pop(L, 1);
            push_handle(L, NODE_MT, spec);
            lua_pushvalue(L, -1);
            lua_rawseti(L, LUA_REGISTRYINDEX, lx->spec_slot);
        }
        lx->spec_handle_done = true;
    }
    return 1;
}

static int o_pod_meta(lua_State *L)
{
    const struct handle *h = check_handle(L, 1);

    push_node_in(L, h, cl_model_pod_meta(obj_of(host(L), h)));
    return 1;
}

static const luaL_Reg node_methods[] = {
    { "get", n_get }, { "str", n_str }, { "string", n_string }, { "bool", n_bool },
    { "int", n_int }, { "is_true", n_is_true }, { "is_null", n_is_null },
    { "type", n_type }, { "value", n_value }, { "len", n_len }, { "at", n_at },
    { "items", n_items }, { "keys", n_keys },
    { NULL, NULL },
};

static const luaL_Reg object_methods[] = {
    { "containers", o_containers }, { "pod_spec", o_pod_spec }, { "pod_meta", o_pod_meta },
    { NULL, NULL },
};

/* __index of nodes and objects: methods from upvalue 1 (the object methods only in
 * the objects' table), then fields; upvalue 2 says whether this is the objects' one.
 * Only the metatable reaches this function (its __metatable hides it and the sandbox
 * has no getmetatable or debug), so argument 1 is a handle of that kind: only its
 * liveness is checked, and the method lookup comes first, one rawget. */
static int fields(lua_State *L, struct cl_lua *lx, const struct handle *h, bool is_obj);

static int h_index(lua_State *L)
{
    struct cl_lua *lx = host(L);
    struct handle *h = lua_touserdata(L, 1);

    if (h->gen != lx->gen || !lx->in_call)
        dead_handle(L);
    if (++h->hits == OWN_MT_HITS && !may_keep(lx)) {
        /* a handle reused from object to object (pooled or shared): its own */
        lua_pushvalue(L, 1);
        own_mt(L, h->tag == UD_OBJ);
        lua_pop(L, 1);
    }
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;                      /* a method (only string keys there) */
    lua_pop(L, 1);
    return fields(L, lx, h, lua_toboolean(L, lua_upvalueindex(2)));
}

/* __index of a handle's own method table (own_mt): argument 1 is that table, whose
 * HANDLE_KEY holds the handle; the key is no method. Upvalue 1: an object's? */
static int h_field(lua_State *L)
{
    struct cl_lua *lx = host(L);
    struct handle *h;

    lua_rawgetp(L, 1, &HANDLE_KEY);
    h = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (h->gen != lx->gen || !lx->in_call)
        dead_handle(L);
    return fields(L, lx, h, lua_toboolean(L, lua_upvalueindex(1)));
}

/* The field k (argument 2) of handle h, or nil. */
static int fields(lua_State *L, struct cl_lua *lx, const struct handle *h, bool is_obj)
{
    const char *k = luaL_checkstring(L, 2);

    if (strcmp(k, "line") == 0 || strcmp(k, "col") == 0) {
        struct cl_pos pos = pos_of(lx, h);

        lua_pushinteger(L, k[0] == 'l' ? pos.line : pos.col);
    } else if (strcmp(k, "file") == 0) {
        lua_pushstring(L, pos_of(lx, h).file);
    } else if (strcmp(k, "path") == 0) {
        const struct cl_object *o = obj_of(lx, h);
        struct cl_arena a;

        cl_arena_init(&a);
        lua_pushstring(L, cl_node_path(&a, o->node, h->node,
                                       o->path_prefix ? o->path_prefix : ""));
        cl_arena_fini(&a);
    } else if (is_obj) {
        const struct cl_object *o = obj_of(lx, h);
        const struct cl_node *meta = cl_node_get(o->node, "metadata");

        if (strcmp(k, "kind") == 0) lua_pushstring(L, o->kind ? o->kind : "");
        else if (strcmp(k, "apiVersion") == 0) lua_pushstring(L, o->api_version ? o->api_version : "");
        else if (strcmp(k, "name") == 0) lua_pushstring(L, o->name ? o->name : "");
        else if (strcmp(k, "namespace") == 0) lua_pushstring(L, o->namespace ? o->namespace : "");
        else if (strcmp(k, "labels") == 0) push_string_map(L, cl_node_get(meta, "labels"));
        else if (strcmp(k, "annotations") == 0) push_string_map(L, cl_node_get(meta, "annotations"));
        else if (strcmp(k, "node") == 0) push_node_in(L, h, o->node);
        else lua_pushnil(L);
    } else if (h->list >= 0 && strcmp(k, "name") == 0) {
        lua_pushstring(L, h->cname ? h->cname : "");
    } else if (h->list >= 0 && strcmp(k, "label") == 0) {
        /* as the C checks name a container in messages: "app", or initContainers[1] */
        if (h->cname && *h->cname) {
            luaL_Buffer B;
            char *out = luaL_buffinitsize(L, &B, CL_QUOTE_SIZE);

            luaL_pushresultsize(&B, cl_quote(out, h->cname, strlen(h->cname), true));
        } else {
            lua_pushfstring(L, "%s[%d]", cl_model_list_name((enum cl_container_list)h->list),
                            (int)h->index);
        }
    } else if (h->list >= 0 && strcmp(k, "list") == 0) {
        lua_pushstring(L, cl_model_list_name((enum cl_container_list)h->list));
    } else if (h->list >= 0 && strcmp(k, "index") == 0) {
        lua_pushinteger(L, (lua_Integer)h->index);
    } else {
        lua_pushnil(L);
    }
    return 1;
}

static int h_len(lua_State *L)
{
    return n_len(L);
}

static int h_tostring(lua_State *L)
{
    struct handle *h = lua_touserdata(L, 1);
    const char *s = h && h->gen == host(L)->gen && host(L)->in_call ? cl_node_str(h->node) : NULL;

    lua_pushfstring(L, "%s%s%s", s ? "node \"" : "node", s ? s : "", s ? "\"" : "");
    return 1;
}

/* ---- ctx ------------------------------------------------------------------------ */

/* Does node lie inside the current object's mapping? */
static bool in_object(const struct cl_object *obj, const struct cl_node *node)
{
    for (const struct cl_node *n = node; n; n = n->parent)
        if (n == obj->node)
            return true;
    return false;
}

/* The root of the tree node lies in. */
static const struct cl_node *root_of(const struct cl_node *node)
{
    while (node->parent)
        node = node->parent;
    return node;
}

/* A finding of a set-scoped rule's finish() at node of a snapshot. */
static void report_snap(struct cl_lua *lx, const struct handle *h, const char *container,
                        const char *msg)
{
    const struct snap *sn = h->snap;
    struct cl_ref *ref = cl_ctx_alloc(lx->ctx, sizeof *ref);

    *ref = *sn->ref;
    ref->container = container;
    if (h->node != sn->obj.node) {
        struct cl_arena a;

        ref->pos = ((const struct snode *)h->node)->pos;
        ref->pos.file = cl_ctx_strdup(lx->ctx, ref->pos.file);
        cl_arena_init(&a);
        ref->path = cl_ctx_strdup(lx->ctx, cl_node_path(&a, sn->obj.node, h->node,
                                                        sn->obj.path_prefix));
        cl_arena_fini(&a);
        ref->note = NULL;
        memset(&ref->note_pos, 0, sizeof ref->note_pos);
    }
    cl_report_ref(lx->ctx, ref, NULL, NULL, "%s", msg);
}

/* ctx:report{node = n, message = "...", container = "name"}; in finish() also
 * object = o (a node of o, or o itself when node is nil). */
static int c_report(lua_State *L)
{
    struct cl_lua *lx = host(L);
    struct handle *h, *o = NULL;
    const char *msg, *container = NULL;
    char *copy, *cont = NULL;

    luaL_checktype(L, 2, LUA_TTABLE);
    if (!lx->ctx || !lx->in_call)
        return luaL_error(L, "ctx:report called outside a check call");
    lua_getfield(L, 2, "message");
    if (lua_type(L, -1) != LUA_TSTRING)
        return luaL_error(L, "ctx:report needs message = <string>, got %s", luaL_typename(L, -1));
    msg = lua_tostring(L, -1);
    lua_getfield(L, 2, "object");
    if (!lua_isnil(L, -1)) {
        if (!lx->in_finish)
            return luaL_error(L, "ctx:report: object = is for finish(ctx); check reports "
                                 "on the object it was given");
        o = check_handle(L, lua_gettop(L));
        if (!luaL_testudata(L, lua_gettop(L), OBJ_MT))
            return luaL_error(L, "ctx:report: object must be an object from ctx:objects");
    }
    lua_getfield(L, 2, "node");
    if (lua_isnil(L, -1)) {
        h = o;
        if (!h && lx->in_finish)
            return luaL_error(L, "ctx:report in finish needs node = or object = (an object "
                                 "of ctx:objects or one of its nodes)");
    } else {
        h = check_handle(L, lua_gettop(L));
        if (lx->in_finish
                ? (o && root_of(h->node) != o->snap->obj.node)
                : !in_object(lx->obj, h->node))
            return luaL_error(L, "ctx:report: the node belongs to another object");
    }
    lua_getfield(L, 2, "container");
    if (lua_type(L, -1) == LUA_TSTRING)
        container = lua_tostring(L, -1);
    else if (!lua_isnil(L, -1))
        return luaL_error(L, "ctx:report: container must be a string");
    if (h && (!container || !*container))
        container = h->within;         /* c.name of an unnamed container is "": its place */
    /* copies first: cl_report does not raise, but keep Lua strings out of C's hands */
    copy = cl_ctx_strdup(lx->ctx, msg);
    if (container)
        cont = cl_ctx_strdup(lx->ctx, container);
    if (lx->in_finish)
        report_snap(lx, h, cont, copy);
    else
        cl_report(lx->ctx, h ? h->node : lx->obj->node, cont, "%s", copy);
    return 0;
}

/* Is the string field key of the filter table at index t absent or equal to s? */
static bool filter_ok(lua_State *L, int t, const char *key, const char *s)
{
    bool ok;

    if (lua_isnoneornil(L, t))
        return true;
    lua_getfield(L, t, key);
    ok = lua_isnil(L, -1) || (lua_type(L, -1) == LUA_TSTRING && cl_streq(lua_tostring(L, -1), s));
    lua_pop(L, 1);
    return ok;
}

static bool wants(const struct lrule *r, const struct cl_object *obj);

/* ctx:objects{kind = , apiVersion = , namespace = , name = } in finish(): the objects
 * of the input set this rule wants (its kinds), in input order, filtered. */
static int c_objects(lua_State *L)
{
    struct cl_lua *lx = host(L);
    lua_Integer n = 0;

    if (!lx->in_call || !lx->rule)
        return luaL_error(L, "ctx:objects called outside a rule call");
    if (!lx->in_finish)
        return luaL_error(L, "ctx:objects is for finish(ctx), which runs once the whole input "
                             "set has been checked; check(obj, ctx) sees one object");
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        for (const char *const *k = (const char *const[]){ "kind", "apiVersion", "namespace",
                                                             "name", NULL }; *k; k++) {
            lua_getfield(L, 2, *k);
            if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
                return luaL_error(L, "ctx:objects: %s must be a string", *k);
            lua_pop(L, 1);
        }
    }
    lua_newtable(L);
    /* a rule that saw no object of this set must not see another set's snapshots */
    if (!*cl_ctx_state(lx->ctx))
        return 1;
    for (size_t i = 0; i < lx->nsnaps; i++) {
        const struct snap *sn = &lx->snaps[i];
        struct handle *h;

        if (!(lx->rule->check.kinds & sn->obj.kind_bit) || !wants(lx->rule, &sn->obj) ||
            !filter_ok(L, 2, "kind", sn->obj.kind) ||
            !filter_ok(L, 2, "apiVersion", sn->obj.api_version) ||
            !filter_ok(L, 2, "namespace", sn->obj.namespace) ||
            !filter_ok(L, 2, "name", sn->obj.name))
            continue;
        h = push_handle(L, OBJ_MT, sn->obj.node);
        h->snap = sn;
        lua_rawseti(L, -2, ++n);
    }
    return 1;
}

/* ---- ctx.chart and ctx.values ---------------------------------------------------- */

/* A value of the chart's values as Lua sees it: scalars as Lua values, maps and lists
 * as read-only views. */
static void push_value(lua_State *L, const struct cl_value *v)
{
    struct vhandle *vh;

    switch (v ? v->kind : CL_V_NIL) {
    case CL_V_BOOL:
        lua_pushboolean(L, v->u.b);
        break;
    case CL_V_INT:
        lua_pushinteger(L, (lua_Integer)v->u.i);
        break;
    case CL_V_FLOAT:
        if (v->u.f == (double)(lua_Integer)v->u.f && v->u.f >= -9007199254740992.0 &&
            v->u.f <= 9007199254740992.0)
            lua_pushinteger(L, (lua_Integer)v->u.f);     /* YAML's 3 reads as float64 */
        else
            lua_pushnumber(L, v->u.f);
        break;
    case CL_V_STRING:
        lua_pushlstring(L, v->u.str.s, v->u.str.len);
        break;
    case CL_V_LIST:
    case CL_V_MAP:
        vh = lua_newuserdatauv(L, sizeof *vh, 0);
        vh->tag = UD_VALUES;
        vh->gen = host(L)->gen;
        vh->v = v;
        set_lazy_mt(L, VALUE_MT);
        break;
    default:
        lua_pushnil(L);
    }
}

static const struct cl_value *check_vhandle(lua_State *L, int arg)
{
    struct vhandle *vh = luaL_checkudata(L, arg, VALUE_MT);

    if (vh->gen != host(L)->gen || !host(L)->in_call)
        luaL_error(L, "ctx.values used outside the check call that read it (values live "
                      "for one call of check)");
    return vh->v;
}

/* values.key (maps) or values[i] (lists, 1-based) */
static int v_index(lua_State *L)
{
    const struct cl_value *v = check_vhandle(L, 1);

    if (v->kind == CL_V_MAP && lua_type(L, 2) == LUA_TSTRING) {
        size_t len;
        const char *k = lua_tolstring(L, 2, &len);

        push_value(L, cl_map_get(v->u.map, k, len));
    } else if (v->kind == CL_V_LIST && lua_isinteger(L, 2)) {
        lua_Integer i = lua_tointeger(L, 2);

        push_value(L, i >= 1 && (size_t)i <= v->u.list->n ? &v->u.list->items[i - 1] : NULL);
    } else {
        lua_pushnil(L);
    }
    return 1;
}

static int v_newindex(lua_State *L)
{
    check_vhandle(L, 1);
    return luaL_error(L, "ctx.values is read-only");
}

static int v_len(lua_State *L)
{
    const struct cl_value *v = check_vhandle(L, 1);

    lua_pushinteger(L, (lua_Integer)(v->kind == CL_V_MAP ? v->u.map->n : v->u.list->n));
    return 1;
}

static int v_next(lua_State *L)
{
    const struct cl_value *v = check_vhandle(L, 1);
    size_t i = 0, n = v->kind == CL_V_MAP ? v->u.map->n : v->u.list->n;

    /* the control value is the previous key: find where it is (maps are sorted) */
    if (!lua_isnil(L, 2)) {
        if (v->kind == CL_V_LIST) {
            i = (size_t)luaL_checkinteger(L, 2);
        } else {
            size_t len;
            const char *k = luaL_checklstring(L, 2, &len);
            const struct cl_map_entry *e = cl_map_entry(v->u.map, k, len);

            i = e ? (size_t)(e - v->u.map->e) + 1 : n;
        }
    }
    if (i >= n)
        return 0;
    if (v->kind == CL_V_LIST) {
        lua_pushinteger(L, (lua_Integer)i + 1);
        push_value(L, &v->u.list->items[i]);
    } else {
        lua_pushlstring(L, v->u.map->e[i].key, v->u.map->e[i].klen);
        push_value(L, &v->u.map->e[i].val);
    }
    return 2;
}

/* pairs(values): keys in sorted order (maps) or 1..n (lists) */
static int v_pairs(lua_State *L)
{
    check_vhandle(L, 1);
    lua_pushcfunction(L, v_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static int v_tostring(lua_State *L)
{
    struct vhandle *vh = luaL_checkudata(L, 1, VALUE_MT);

    lua_pushstring(L, vh->v && vh->v->kind == CL_V_LIST ? "values list" : "values map");
    return 1;
}

static void set_str(lua_State *L, const char *key, const char *s)
{
    if (s) {
        lua_pushstring(L, s);
        lua_setfield(L, -2, key);
    }
}

/* ctx.chart: a fresh table of the chart's metadata (each access makes a new one). */
static void push_chart(lua_State *L, const struct cl_chart *c)
{
    lua_createtable(L, 0, 12);
    set_str(L, "name", c->name.str);
    set_str(L, "version", c->version.str);
    set_str(L, "apiVersion", c->api_version.str);
    set_str(L, "appVersion", c->app_version.str);
    set_str(L, "description", c->description.str);
    set_str(L, "kubeVersion", c->kube_version.str);
    set_str(L, "home", c->home.str);
    set_str(L, "icon", c->icon.str);
    set_str(L, "type", c->type == CL_CHART_LIBRARY ? "library" : "application");
    set_str(L, "root", c->root);
    lua_pushboolean(L, c->deprecated);
    lua_setfield(L, -2, "deprecated");
    push_string_map(L, c->annotations);
    lua_setfield(L, -2, "annotations");
    lua_createtable(L, (int)c->ndeps, 0);
    for (size_t i = 0; i < c->ndeps; i++) {
        const struct cl_chart_dep *d = &c->deps[i];

        lua_createtable(L, 0, 5);
        set_str(L, "name", d->name.str);
        set_str(L, "version", d->version.str);
        set_str(L, "repository", d->repository.str);
        set_str(L, "condition", d->condition.str);
        set_str(L, "alias", d->alias.str);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "dependencies");
}

static int ctx_index(lua_State *L)
{
    struct cl_lua *lx = host(L);
    const char *k = luaL_checkstring(L, 2);

    if (strcmp(k, "report") == 0)
        lua_pushcfunction(L, c_report);
    else if (strcmp(k, "objects") == 0)
        lua_pushcfunction(L, c_objects);
    else if (strcmp(k, "params") == 0 && lx->rule)
        lua_rawgeti(L, LUA_REGISTRYINDEX, lx->rule->params_ref);
    else if (strcmp(k, "namespace") == 0 && lx->ctx)
        lua_pushstring(L, cl_ctx_namespace(lx->ctx));
    else if (strcmp(k, "rule") == 0 && lx->rule)
        lua_pushstring(L, lx->rule->check.name);
    else if (strcmp(k, "chart") == 0 && lx->ctx && lx->in_call && cl_ctx_chart(lx->ctx))
        push_chart(L, cl_ctx_chart(lx->ctx));
    else if (strcmp(k, "values") == 0 && lx->ctx && lx->in_call && cl_ctx_values(lx->ctx))
        push_value(L, cl_ctx_values(lx->ctx));
    else
        lua_pushnil(L);
    return 1;
}

/* ---- chartlint.regex ------------------------------------------------------------ */

static int re_gc(lua_State *L)
{
    struct regex *re = luaL_checkudata(L, 1, RE_MT);

    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    re->md = NULL;
    re->code = NULL;
    return 0;
}

/* 0-based match offsets of re in s, or -1 when none (raises on match errors). */
static int re_exec(lua_State *L, size_t *start, size_t *end)
{
    struct regex *re = luaL_checkudata(L, 1, RE_MT);
    size_t len;
    const char *s = luaL_checklstring(L, 2, &len);
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, NULL);

    if (rc == PCRE2_ERROR_NOMATCH)
        return -1;
    if (rc < 0) {
        PCRE2_UCHAR buf[160];

        pcre2_get_error_message(rc, buf, sizeof buf);
        return luaL_error(L, "regex match failed: %s", (const char *)buf);
    }
    *start = pcre2_get_ovector_pointer(re->md)[0];
    *end = pcre2_get_ovector_pointer(re->md)[1];
    return rc;
}

static int re_match(lua_State *L)
{
    size_t a, b;

    lua_pushboolean(L, re_exec(L, &a, &b) >= 0);
    return 1;
}

static int re_find(lua_State *L)
{
    size_t a, b;

    if (re_exec(L, &a, &b) < 0) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushinteger(L, (lua_Integer)a + 1);
    lua_pushinteger(L, (lua_Integer)b);
    return 2;
}

/* chartlint.regex(pattern): compiled once per host (cached by pattern). */
static int l_regex(lua_State *L)
{
    size_t len;
    const char *pat = luaL_checklstring(L, 1, &len);
    struct regex *re;
    int errcode;
    PCRE2_SIZE erroff;

    lua_getfield(L, LUA_REGISTRYINDEX, "chartlint.regex.cache");
    lua_pushvalue(L, 1);
    if (lua_rawget(L, -2) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    re = lua_newuserdatauv(L, sizeof *re, 0);
    re->tag = UD_REGEX;
    re->code = NULL;
    re->md = NULL;
    luaL_setmetatable(L, RE_MT);
    re->code = pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                             &errcode, &erroff, NULL);
    if (!re->code) {
        PCRE2_UCHAR buf[160];

        pcre2_get_error_message(errcode, buf, sizeof buf);
        return luaL_error(L, "invalid regex \"%s\": %s at offset %d", pat,
                          (const char *)buf, (int)erroff);
    }
    re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
    if (!re->md)
        return luaL_error(L, "not enough memory for regex \"%s\"", pat);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    return 1;
}

/* ---- state and sandbox ---------------------------------------------------------- */

static void new_mt(lua_State *L, const char *name, lua_CFunction index, lua_CFunction gc)
{
    luaL_newmetatable(L, name);
    if (index) {
        if (index == h_index) {
            bool is_obj = name == OBJ_MT;

            luaL_newlib(L, node_methods);
            if (is_obj)
                luaL_setfuncs(L, object_methods, 0);
            lua_pushboolean(L, is_obj);
            lua_pushcclosure(L, h_index, 2);
        } else {
            lua_pushcfunction(L, index);
        }
        lua_setfield(L, -2, "__index");
    }
    if (gc) {
        lua_pushcfunction(L, gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");      /* getmetatable is not allowed anyway */
    lua_pop(L, 1);
}

/* Metatables of what only some runs make, created on first use: the views of
 * ctx.values and the containers iterator of a snapshot. Sets the metatable name of the
 * value on top of the stack. */
static void set_lazy_mt(lua_State *L, const char *name)
{
    if (luaL_getmetatable(L, name) == LUA_TNIL) {
        lua_pop(L, 1);
        if (name == VALUE_MT) {
            new_mt(L, VALUE_MT, v_index, NULL);
            luaL_getmetatable(L, VALUE_MT);
            lua_pushcfunction(L, v_newindex);
            lua_setfield(L, -2, "__newindex");
            lua_pushcfunction(L, v_len);
            lua_setfield(L, -2, "__len");
            lua_pushcfunction(L, v_pairs);
            lua_setfield(L, -2, "__pairs");
            lua_pushcfunction(L, v_tostring);
            lua_setfield(L, -2, "__tostring");
        } else {
            new_mt(L, name, NULL, NULL);
            luaL_getmetatable(L, name);
        }
    }
    lua_setmetatable(L, -2);
}

/* lua_CFunction: what a rule's _ENV copies from (base, table, math and utf8 beside the
 * string library cl_lua_new opened) and chartlint.regex's metatable and cache. Each
 * step can be repeated, so a call that failed half-way (memory) can be made again. */
static int open_sandbox(lua_State *L)
{
    static const luaL_Reg libs[] = {
        { LUA_GNAME, luaopen_base }, { LUA_TABLIBNAME, luaopen_table },
        { LUA_MATHLIBNAME, luaopen_math }, { LUA_UTF8LIBNAME, luaopen_utf8 },
        { NULL, NULL },
    };

    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    new_mt(L, RE_MT, NULL, re_gc);
    luaL_getmetatable(L, RE_MT);
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, re_match);
    lua_setfield(L, -2, "match");
    lua_pushcfunction(L, re_find);
    lua_setfield(L, -2, "find");
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "chartlint.regex.cache");
    host(L)->sandbox_open = true;
    return 0;
}

/* Open the sandbox's libraries once, in a protected call. LUA_OK, or the error's
 * status with the error on the stack. */
static int sandbox_open(struct cl_lua *lx)
{
    if (lx->sandbox_open)
        return LUA_OK;
    lua_pushcfunction(lx->L, open_sandbox);
    return lua_pcall(lx->L, 0, 0, 0);
}

struct cl_lua *cl_lua_new(size_t memory_limit)
{
    struct cl_lua *lx = cl_xcalloc(1, sizeof *lx);
    lua_State *L;

    lx->limit = memory_limit ? memory_limit : CL_LUA_MEMORY_DEFAULT;
    lx->budget = CL_LUA_BUDGET_DEFAULT;
    cl_arena_init(&lx->arena);
    cl_arena_init(&lx->set_arena);
    /* the cap applies from here on; the libraries need well under 1 MiB */
    if (lx->limit < ((size_t)1 << 20))
        lx->limit = (size_t)1 << 20;
    L = lua_newstate(lalloc, lx);
    if (!L)
        cl_xmalloc((size_t)-1);
    lx->L = L;
    *(struct cl_lua **)lua_getextraspace(L) = lx;
    /* generational from the start (switching later is a full collection), and no
     * collection while the state is set up: everything made here stays */
    lua_gc(L, LUA_GCGEN, 0, 0);
    lua_gc(L, LUA_GCSTOP);
    /* the string library for string methods; the rest of the sandbox (the other
     * libraries, chartlint.regex) comes with the first _ENV a rule needs (sandbox_open) */
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    lua_pop(L, 1);
    /* string methods reach the shared library: no dump there either */
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    new_mt(L, NODE_MT, h_index, NULL);
    new_mt(L, OBJ_MT, h_index, NULL);
    luaL_getmetatable(L, OBJ_MT);
    host(L)->obj_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    luaL_getmetatable(L, NODE_MT);
    lua_pushvalue(L, -1);
    host(L)->node_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushcfunction(L, h_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, h_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    lx->node_fields_ref = lx->obj_fields_ref = LUA_NOREF;     /* own_mt makes them */
    new_mt(L, CTX_MT, ctx_index, NULL);
    *(uint32_t *)lua_newuserdatauv(L, sizeof(uint32_t), 0) = UD_CTX;
    luaL_setmetatable(L, CTX_MT);
    lua_pushvalue(L, -1);
    lx->ctx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_setfield(L, LUA_REGISTRYINDEX, "chartlint.ctx");
    lua_pushboolean(L, 0);                    /* slots hold a value, so they stay keys */
    lx->obj_slot = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushboolean(L, 0);
    lx->spec_slot = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_newtable(L);
    lx->conts_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lx->builtin_env_ref = LUA_NOREF;
    lua_gc(L, LUA_GCRESTART);
    return lx;
}

void cl_lua_free(struct cl_lua *lx)
{
    if (!lx)
        return;
    lua_close(lx->L);
    pool_fini(&lx->pool);
    for (size_t i = 0; i < lx->nrules; i++)
        free(lx->rules[i]);
    free(lx->rules);
    free(lx->errors);
    free(lx->snaps);
    free(lx->packs);
    free(lx->conts);
    free(lx->hpool);
    cl_arena_fini(&lx->set_arena);
    cl_arena_fini(&lx->arena);
    free(lx);
}

/* ---- chartlint.quote ------------------------------------------------------------ */

/* chartlint.quote(v): the string or number v as the C checks' messages quote values
 * (cl_quote: "a\tb", long values cut after 64 bytes), where Lua's %q would print a tab
 * as \9 and a newline as a backslash and a line break. */
static int l_quote(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    luaL_Buffer B;
    char *out = luaL_buffinitsize(L, &B, CL_QUOTE_SIZE);

    luaL_pushresultsize(&B, cl_quote(out, s, len, true));
    return 1;
}

void cl_lua_set_budget(struct cl_lua *lx, long budget)
{
    lx->budget = budget > HOOK_EVERY ? budget : HOOK_EVERY;
}

static const char *const allowed[] = {
    "assert", "error", "ipairs", "next", "pairs", "pcall", "select", "tonumber",
    "tostring", "type", "xpcall", "rawequal", "rawlen", "rawget", NULL,
};
static const char *const libraries[] = { "string", "table", "math", "utf8", NULL };

/* A fresh _ENV: the allow-list, copies of the libraries, and the chartlint table. Each
 * copy is made at its library's size (counted once per host: the state's library
 * tables never change after cl_lua_new), not grown by rehashing. */
static void push_env(lua_State *L)
{
    struct cl_lua *lx = host(L);

    if (sandbox_open(lx) != LUA_OK)
        lua_error(L);                  /* only in a protected call: load_rule opens first */
    lua_createtable(L, 0, 24);
    lua_pushglobaltable(L);
    for (const char *const *name = allowed; *name; name++) {
        lua_getfield(L, -1, *name);
        lua_setfield(L, -3, *name);
    }
    for (const char *const *name = libraries; *name; name++) {
        size_t i = (size_t)(name - libraries);

        lua_getfield(L, -1, *name);
        if (!lx->lib_sizes[i]) {
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lx->lib_sizes[i]++;
                lua_pop(L, 1);
            }
        }
        lua_createtable(L, 0, lx->lib_sizes[i]);
        lua_pushnil(L);
        while (lua_next(L, -3)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        }
        lua_setfield(L, -4, *name);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, l_regex);
    lua_setfield(L, -2, "regex");
    lua_pushcfunction(L, l_quote);
    lua_setfield(L, -2, "quote");
    lua_pushstring(L, CHARTLINT_VERSION);
    lua_setfield(L, -2, "version");
    lua_setfield(L, -2, "chartlint");
}

/* ---- rule tables ---------------------------------------------------------------- */

static bool is_kebab(const char *s)
{
    if (!*s || *s == '-')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              (*s == '-' && s[1] && s[1] != '-')))
            return false;
    return true;
}

static bool is_code(const char *s)
{
    if (strncmp(s, "CL", 2) != 0 || strlen(s) != 6)
        return false;
    for (int i = 2; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Field k of the table at -1 as a string copy, or NULL; *bad set on a wrong type. */
static const char *opt_string(struct cl_lua *lx, const char *k, const char **bad)
{
    lua_State *L = lx->L;
    const char *s = NULL;

    lua_getfield(L, -1, k);
    if (lua_type(L, -1) == LUA_TSTRING)
        s = cl_arena_strdup(&lx->arena, lua_tostring(L, -1));
    else if (!lua_isnil(L, -1) && !*bad)
        *bad = cl_arena_printf(&lx->arena, "field \"%s\" must be a string, got %s", k,
                               luaL_typename(L, -1));
    lua_pop(L, 1);
    return s;
}

static enum cl_category category_parse(const char *s)
{
    if (cl_streq(s, "reliability")) return CL_CAT_RELIABILITY;
    if (cl_streq(s, "resources")) return CL_CAT_RESOURCES;
    if (cl_streq(s, "hygiene")) return CL_CAT_HYGIENE;
    if (cl_streq(s, "chartlint")) return CL_CAT_CHARTLINT;
    return CL_CAT_SECURITY;
}

static const char *override_of(const char *const *params, const char *name)
{
    size_t n = strlen(name);

    for (size_t i = 0; params && params[i]; i++)
        if (strncmp(params[i], name, n) == 0 && params[i][n] == '=')
            return params[i] + n + 1;
    return NULL;
}

/* Push a parameter's value as Lua sees it in ctx.params. */
static void push_param(lua_State *L, const struct cl_param *p)
{
    const char *v = p->default_value ? p->default_value : "";

    switch (p->type) {
    case CL_PARAM_INT:
        lua_pushinteger(L, (lua_Integer)strtoll(v, NULL, 10));
        break;
    case CL_PARAM_BOOL:
        lua_pushboolean(L, strcmp(v, "true") == 0);
        break;
    case CL_PARAM_STRING_LIST: {
        lua_Integer i = 0;

        lua_newtable(L);
        while (*v) {
            size_t n = strcspn(v, ",");
            const char *b = v, *e = v + n;

            while (b < e && *b == ' ')
                b++;
            while (e > b && e[-1] == ' ')
                e--;
            if (e > b) {
                lua_pushlstring(L, b, (size_t)(e - b));
                lua_rawseti(L, -2, ++i);
            }
            v += n;
            if (*v == ',')
                v++;
        }
        break;
    }
    default:
        lua_pushstring(L, v);
    }
}

/* params = { name = { type = "string"|"list"|"int"|"bool", default = ..., doc = "..." } } */
static const char *read_params(struct cl_lua *lx, struct lrule *r, const char *const *over)
{
    lua_State *L = lx->L;
    size_t n = 0, cap = 0;
    struct cl_param *v = NULL;
    const char *bad = NULL;

    lua_getfield(L, -1, "params");
    if (!lua_isnil(L, -1) && !lua_istable(L, -1)) {
        lua_pop(L, 1);
        return "field \"params\" must be a table";
    }
    lua_newtable(L);                         /* ctx.params */
    if (lua_istable(L, -2)) {
        lua_pushnil(L);
        while (!bad && lua_next(L, -3)) {
            struct cl_param p = { 0 };
            const char *type, *ov;

            if (lua_type(L, -2) != LUA_TSTRING || !lua_istable(L, -1)) {
                bad = "params must map names to tables {type=, default=, doc=}";
                lua_pop(L, 1);
                break;
            }
            p.name = cl_arena_strdup(&lx->arena, lua_tostring(L, -2));
            type = opt_string(lx, "type", &bad);
            p.type = cl_streq(type, "list") ? CL_PARAM_STRING_LIST
                     : cl_streq(type, "int") ? CL_PARAM_INT
                     : cl_streq(type, "bool") ? CL_PARAM_BOOL : CL_PARAM_STRING;
            if (type && !cl_streq(type, "list") && !cl_streq(type, "int") &&
                !cl_streq(type, "bool") && !cl_streq(type, "string"))
                bad = cl_arena_printf(&lx->arena, "param \"%s\": unknown type \"%s\"", p.name, type);
            p.doc = opt_string(lx, "doc", &bad);
            lua_getfield(L, -1, "default");
            if (lua_istable(L, -1)) {
                struct cl_buf b;

                cl_buf_init(&b);
                for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
                    cl_buf_printf(&b, "%s%s", i > 1 ? "," : "", lua_tostring(L, -1));
                    lua_pop(L, 1);
                }
                lua_pop(L, 1);
                p.default_value = cl_arena_strdup(&lx->arena, b.data ? b.data : "");
                cl_buf_fini(&b);
            } else if (lua_type(L, -1) == LUA_TBOOLEAN) {
                p.default_value = lua_toboolean(L, -1) ? "true" : "false";
            } else if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
                p.default_value = cl_arena_strdup(&lx->arena, lua_tostring(L, -1));
            } else {
                p.default_value = "";
            }
            lua_pop(L, 1);
            if ((ov = override_of(over, p.name)))
                p.default_value = cl_arena_strdup(&lx->arena, ov);
            if (n + 1 >= cap) {
                cap = cap ? 2 * cap : 4;
                v = cl_xrealloc(v, cap * sizeof *v);
            }
            v[n++] = p;
            push_param(L, &p);
            lua_setfield(L, -4, p.name);
            lua_pop(L, 1);
        }
    }
    if (bad) {
        free(v);
        lua_pop(L, 3);
        return bad;
    }
    r->params_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    if (n) {
        struct cl_param *keep = cl_arena_zalloc(&lx->arena, (n + 1) * sizeof *keep);

        memcpy(keep, v, n * sizeof *keep);
        r->check.params = keep;
    }
    free(v);
    return NULL;
}

static void lua_run(struct cl_ctx *ctx, const struct cl_object *obj);
static void lua_finish(struct cl_ctx *ctx);

/* Is id the name or code of a C check, the policy-error check or a rule of lx? */
static bool taken(const struct cl_lua *lx, const char *id)
{
    for (size_t i = 0; i < cl_checks_count; i++)
        if (strcmp(cl_checks[i]->name, id) == 0 || strcasecmp(cl_checks[i]->code, id) == 0)
            return true;
    return strcmp(id, cl_check_policy_error.name) == 0 ||
           strcasecmp(id, cl_check_policy_error.code) == 0 || cl_lua_find(lx, id) != NULL;
}

/* Fill the check of r from m, the rule table's fields (read from Lua, or at build
 * time for the built-in rules), and validate them. bad is a problem found while
 * reading them, kinds_bad one with kinds (reported after the others). NULL, or the
 * problem. */
static const char *rule_fill(struct cl_lua *lx, struct lrule *r, const struct cl_lua_meta *m,
                             const char *ns, bool builtin, const char *bad,
                             const char *kinds_bad)
{
    const char *id = m->id, *code = m->code, *sev = m->severity;

    r->check.summary = m->summary;
    r->check.rationale = m->rationale;
    r->check.remediation = m->remediation;
    r->check.example_bad = m->example_bad;
    r->check.example_good = m->example_good;
    r->check.category = category_parse(m->category);
    if (!bad && (!id || !is_kebab(id)))
        bad = cl_arena_printf(&lx->arena, "field \"id\" must be a kebab-case string (\"%s\")",
                              id ? id : "");
    if (!bad && code && !is_code(code))
        bad = cl_arena_printf(&lx->arena, "field \"code\" must be CL and four digits, got \"%s\"", code);
    if (!bad && sev && cl_severity_parse(sev) == CL_SEV_NONE)
        bad = cl_arena_printf(&lx->arena, "field \"severity\" must be error, warning or info, got \"%s\"", sev);
    r->check.severity = sev ? cl_severity_parse(sev) : CL_SEV_WARNING;
    r->check.name = !id ? "" : ns ? cl_arena_printf(&lx->arena, "%s.%s", ns, id) : id;
    r->check.code = code ? code : r->check.name;
    if (!bad && !r->check.summary)
        r->check.summary = r->check.name;
    /* the built-in rules' ids and codes are the build's: tests/unit/test_lua.c's
     * test_builtin finds each by both through cl_check_find, which fails on a clash */
    if (!bad && !builtin && (taken(lx, r->check.name) || (code && taken(lx, code))))
        bad = cl_arena_printf(&lx->arena, "rule id \"%s\" or its code is already taken",
                              r->check.name);
    if (!bad)
        bad = kinds_bad;
    /* kinds = { "workloads" | "all" | "<Kind>" ... } */
    r->check.kinds = 0;
    if (!m->kinds) {
        r->check.kinds = CL_KINDS_ALL;
    } else if (!bad) {
        size_t nk = 0, n = 0;

        while (m->kinds[n])
            n++;
        r->kind_names = cl_arena_zalloc(&lx->arena, (n + 1) * sizeof *r->kind_names);
        for (size_t i = 0; i < n; i++) {
            const char *k = m->kinds[i];
            unsigned bit = strcmp(k, "workloads") == 0 ? CL_KINDS_WORKLOADS
                           : strcmp(k, "all") == 0 ? CL_KINDS_ALL : cl_model_kind_bit(k);

            r->check.kinds |= bit;
            if (bit == CL_KIND_OTHER)
                r->kind_names[nk++] = k;
        }
        if (!nk)
            r->kind_names = NULL;
    }
    return bad;
}

static const char *const no_kinds[] = { NULL };

static void rule_add(struct cl_lua *lx, struct lrule *r)
{
    if (lx->nrules == lx->rules_cap) {
        lx->rules_cap = lx->rules_cap ? 2 * lx->rules_cap : 16;
        lx->rules = cl_xrealloc(lx->rules, lx->rules_cap * sizeof *lx->rules);
    }
    r->index = lx->nrules;
    lx->rules[lx->nrules++] = r;
}

/* Validate the rule table on top of the stack and register it. NULL, or the problem. */
static const char *rule_register(struct cl_lua *lx, const char *path, const char *ns,
                                 const char *const *params, bool builtin)
{
    lua_State *L = lx->L;
    struct lrule *r;
    struct cl_lua_meta m = { 0 };
    const char *bad = NULL, *kinds_bad = NULL;
    lua_Debug ar;

    if (!lua_istable(L, -1))
        return cl_arena_printf(&lx->arena, "a rule file must return a table, got %s",
                               luaL_typename(L, -1));
    r = cl_xcalloc(1, sizeof *r);
    r->lx = lx;
    r->builtin = builtin;
    r->file = cl_arena_strdup(&lx->arena, path);
    r->fn_ref = r->finish_ref = r->params_ref = LUA_NOREF;
    m.id = opt_string(lx, "id", &bad);
    m.code = opt_string(lx, "code", &bad);
    m.severity = opt_string(lx, "severity", &bad);
    m.summary = opt_string(lx, "summary", &bad);
    m.rationale = opt_string(lx, "rationale", &bad);
    m.remediation = opt_string(lx, "remediation", &bad);
    m.example_bad = opt_string(lx, "example_bad", &bad);
    m.example_good = opt_string(lx, "example_good", &bad);
    m.category = opt_string(lx, "category", &bad);
    lua_getfield(L, -1, "kinds");
    if (!lua_isnil(L, -1) && !lua_istable(L, -1)) {
        kinds_bad = "field \"kinds\" must be a list of kind names";
        m.kinds = no_kinds;
    } else if (lua_istable(L, -1)) {
        size_t n = lua_rawlen(L, -1);
        const char **kinds = cl_arena_zalloc(&lx->arena, (n + 1) * sizeof *kinds);

        for (lua_Integer i = 1; (size_t)i <= n && !kinds_bad; i++) {
            if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
                kinds_bad = "field \"kinds\" must be a list of kind names";
            else
                kinds[i - 1] = cl_arena_strdup(&lx->arena, lua_tostring(L, -1));
            lua_pop(L, 1);
        }
        m.kinds = kinds;
    }
    lua_pop(L, 1);
    bad = rule_fill(lx, r, &m, ns, builtin, bad, kinds_bad);
    /* finish = function(ctx): a set-scoped rule, run once the input set is complete */
    lua_getfield(L, -1, "finish");
    if (!bad && !lua_isnil(L, -1) && !lua_isfunction(L, -1))
        bad = cl_arena_printf(&lx->arena, "field \"finish\" must be a function, got %s",
                              luaL_typename(L, -1));
    if (!bad && lua_isfunction(L, -1)) {
        lua_pushvalue(L, -1);
        lua_getinfo(L, ">S", &ar);
        r->line = ar.linedefined > 0 ? ar.linedefined : 1;
        r->finish_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    } else {
        lua_pop(L, 1);
    }
    lua_getfield(L, -1, "check");
    if (!bad && !lua_isfunction(L, -1) && !(lua_isnil(L, -1) && r->finish_ref != LUA_NOREF))
        bad = cl_arena_printf(&lx->arena, "field \"check\" must be a function, got %s",
                              luaL_typename(L, -1));
    if (!bad && lua_isfunction(L, -1)) {
        lua_pushvalue(L, -1);
        lua_getinfo(L, ">S", &ar);
        r->line = ar.linedefined > 0 ? ar.linedefined : 1;
        r->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    } else {
        lua_pop(L, 1);
    }
    if (!bad)
        bad = read_params(lx, r, params);
    if (bad) {
        free(r);
        return bad;
    }
    r->check.run = lua_run;
    if (r->finish_ref != LUA_NOREF)
        r->check.finish = lua_finish;
    rule_add(lx, r);
    if (lx->nunsealed++ == 0)          /* a rule from its table: it may keep handles */
        keep_begins(L, lx);
    return NULL;
}

/* Register the built-in rule src from its build-time metadata, without Lua: its check
 * function is loaded when an object first reaches it (load_check). */
static int register_meta(struct cl_lua *lx, const struct cl_lua_source *src)
{
    struct lrule *r = cl_xcalloc(1, sizeof *r);
    const char *bad;

    r->lx = lx;
    r->builtin = true;
    r->src = src;
    r->file = src->path;
    r->line = src->meta->line;
    r->fn_ref = r->finish_ref = r->params_ref = LUA_NOREF;
    bad = rule_fill(lx, r, src->meta, NULL, true, NULL, NULL);
    if (bad) {                         /* embed_rules.c lets no such rule through */
        add_error(lx, src->path, 1, cl_arena_printf(&lx->arena, "malformed rule: %s", bad));
        free(r);
        return -1;
    }
    r->check.run = lua_run;
    rule_add(lx, r);
    return 0;
}

/* Load a rule from src: source text (mode "t") or, for the built-in rules only, the
 * bytecode the build compiled them to (mode "b"). */
static int load_rule(struct cl_lua *lx, const char *path, const char *src, size_t len,
                     const char *mode, const char *ns, const char *const *params)
{
    lua_State *L = lx->L;
    int top = lua_gettop(L), status;
    char *chunk = cl_arena_printf(&lx->arena, "@%s", path);
    const char *bad;

    lx->cur_file = path;
    lx->err_line = 0;
    lua_pushcfunction(L, msgh);
    status = luaL_loadbufferx(L, src, len, chunk, mode);
    if (status == LUA_OK)
        status = sandbox_open(lx);     /* push_env below must not raise */
    if (status == LUA_OK) {
        /* the built-in rules share one _ENV: they are ours, and none sets a global or
         * changes a library (each pack rule still gets its own) */
        if (*mode == 'b' && lx->builtin_env_ref != LUA_NOREF) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, lx->builtin_env_ref);
        } else {
            push_env(L);
            if (*mode == 'b') {
                lua_pushvalue(L, -1);
                lx->builtin_env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
            }
        }
        lua_setupvalue(L, -2, 1);
        limits_on(lx);
        status = lua_pcall(L, 0, 1, top + 1);
        limits_off(lx);
    }
    if (status != LUA_OK) {
        char *msg = error_text(lx, status);
        int line = lx->err_line;

        /* syntax errors carry "path:LINE:" */
        if (!line && strncmp(msg, path, strlen(path)) == 0 && msg[strlen(path)] == ':')
            line = atoi(msg + strlen(path) + 1);
        add_error(lx, path, line, cl_arena_printf(&lx->arena, "cannot load rule: %s", msg));
        lua_settop(L, top);
        lua_gc(L, LUA_GCCOLLECT);
        return -1;
    }
    bad = rule_register(lx, path, ns, params, *mode == 'b');
    if (bad) {
        add_error(lx, path, 1, cl_arena_printf(&lx->arena, "malformed rule: %s", bad));
        lua_settop(L, top);
        return -1;
    }
    lua_settop(L, top);
    return 0;
}

int cl_lua_load_rule(struct cl_lua *lx, const char *path, const char *src, size_t len,
                     const char *ns, const char *const *params)
{
    return load_rule(lx, path, src, len, "t", ns, params);
}

int cl_lua_load_builtin(struct cl_lua *lx)
{
    int failures = 0;

    /* what the built-in rules make stays (their tables, functions and metadata) */
    lua_gc(lx->L, LUA_GCSTOP);
    for (size_t i = 0; i < cl_lua_sources_count; i++)
        failures += cl_lua_sources[i].meta
                    ? register_meta(lx, &cl_lua_sources[i]) < 0
                    : load_rule(lx, cl_lua_sources[i].path, cl_lua_sources[i].chunk,
                                cl_lua_sources[i].len, "b", NULL, NULL) < 0;
    lua_gc(lx->L, LUA_GCRESTART);
    return failures;
}

/* ---- running -------------------------------------------------------------------- */

static bool wants(const struct lrule *r, const struct cl_object *obj)
{
    if (obj->kind_bit != CL_KIND_OTHER || (r->check.kinds & CL_KINDS_ALL) == CL_KINDS_ALL)
        return true;
    for (const char **k = r->kind_names; k && *k; k++)
        if (cl_streq(*k, obj->kind))
            return true;
    return false;
}

static int new_obj_handle(lua_State *L)
{
    push_handle(L, OBJ_MT, lua_touserdata(L, 1));
    return 1;
}

/* Start sharing object id among the rules' calls: a new stamp, so no handle of an
 * earlier object or call works any more, and the object's handle, made in a protected
 * call (it allocates). LUA_OK, or LUA_ERRMEM. */
static int object_begin(struct cl_lua *lx, const struct cl_object *obj, unsigned long id)
{
    lua_State *L = lx->L;
    int status;

    lx->gen++;
    lx->cur_id = 0;
    lx->spec_done = lx->spec_handle_done = lx->conts_done = false;
    if (!may_keep(lx)) {
        /* the last object's handle, which no rule can hold: no allocation */
        if (lua_rawgeti(L, LUA_REGISTRYINDEX, lx->obj_slot) == LUA_TUSERDATA) {
            handle_init(lx, lua_touserdata(L, -1), obj->node);
            lua_pop(L, 1);
            lx->cur_id = id;
            return LUA_OK;
        }
        lua_pop(L, 1);
    }
    lua_pushcfunction(L, new_obj_handle);
    lua_pushlightuserdata(L, (void *)obj->node);
    status = lua_pcall(L, 1, 1, 0);
    if (status == LUA_OK) {
        lua_rawseti(L, LUA_REGISTRYINDEX, lx->obj_slot);
        lx->cur_id = id;
    }
    return status;
}

/* Call fn_ref(args) of rule r: the object handle (obj non-NULL, check) or nothing
 * (finish), then ctx; failures become a policy-error finding at the rule's line.
 * Every check() of one object gets the same handle (object_begin); each finish() call
 * gets a stamp of its own. */
static void call_rule(struct cl_lua *lx, struct cl_ctx *ctx, struct lrule *r, int fn_ref,
                      const struct cl_object *obj)
{
    lua_State *L = lx->L;
    int top = lua_gettop(L), status = LUA_OK, nargs = obj ? 2 : 1;
    unsigned long id = obj ? cl_ctx_object_id(ctx) : 0;

    if (!obj) {
        lx->gen++;
        lx->cur_id = 0;
    }
    lx->ctx = ctx;
    lx->obj = obj;
    lx->rule = r;
    lx->in_call = true;
    lx->in_finish = obj == NULL;
    lx->cur_file = r->file;
    lx->err_line = 0;
    if (obj && (id == 0 || id != lx->cur_id))
        status = object_begin(lx, obj, id);
    if (status == LUA_OK) {
        lua_pushcfunction(L, msgh);
        lua_rawgeti(L, LUA_REGISTRYINDEX, fn_ref);
        if (obj)
            lua_rawgeti(L, LUA_REGISTRYINDEX, lx->obj_slot);
        lua_rawgeti(L, LUA_REGISTRYINDEX, lx->ctx_ref);
        /* The built-in rules run without the count hook, which makes Lua call
         * luaG_traceexec at every VM instruction and rethook at every return: they
         * are ours and, like the C checks, take time linear in the object (loops over
         * its containers and over an image string, no others); the memory cap still
         * holds them. Pack rules keep their instruction budget. */
        if (!r->builtin)
            limits_on(lx);
        lx->hpool_on = r->sealed;
        lx->hpool_next = 0;
        status = lua_pcall(L, nargs, 1, top + 1);
        lx->hpool_on = false;
        if (!r->builtin)
            limits_off(lx);
    }
    if (status == LUA_OK && !lua_isnil(L, -1)) {
        lx->err_line = r->line;
        lua_pushfstring(L, "%s returned a %s value (it must return nothing and report "
                           "with ctx:report)", obj ? "check" : "finish", luaL_typename(L, -1));
        status = LUA_ERRRUN;
    }
    if (status != LUA_OK) {
        struct cl_pos pos = { 0 };
        char *msg = error_text(lx, status);

        pos.file = r->file;
        pos.line = (uint32_t)(lx->err_line ? lx->err_line : r->line);
        pos.col = 1;
        cl_report_pos(ctx, &cl_check_policy_error, &pos, "rule \"%s\" failed: %s",
                      r->check.name, msg);
    }
    if (!obj)
        lx->gen++;
    lx->ctx = NULL;
    lx->obj = NULL;
    lx->rule = NULL;
    lx->in_call = lx->in_finish = false;
    lua_settop(L, top);
    if (status == LUA_ERRMEM || lx->used > lx->limit / 2)
        lua_gc(L, LUA_GCCOLLECT);
}

/* ---- snapshots of the input set ------------------------------------------------- */

static void snaps_clear(struct cl_lua *lx)
{
    lx->nsnaps = 0;
    cl_arena_reset(&lx->set_arena);
}

struct anchor {
    const struct cl_node *orig;
    struct cl_node *copy;
};

static int cmp_anchor(const void *a, const void *b)
{
    const struct cl_node *x = ((const struct anchor *)a)->orig;
    const struct cl_node *y = ((const struct anchor *)b)->orig;

    return x < y ? -1 : x > y;
}

/* A copy of node (no children yet) with its position, in the set arena. file_cache
 * keeps the last position's file so a run of nodes from one file shares its copy. */
static struct cl_node *copy_node(struct cl_lua *lx, const struct cl_doc *doc,
                                 const struct cl_node *orig, struct cl_node *parent,
                                 const char **file_orig, const char **file_copy)
{
    struct snode *sn = cl_arena_alloc(&lx->set_arena, sizeof *sn);

    sn->node = *orig;
    sn->node.parent = parent;
    sn->node.tag = cl_arena_strdup(&lx->set_arena, orig->tag);
    if (orig->type == CL_NODE_SCALAR)
        sn->node.u.scalar.str = cl_arena_strndup(&lx->set_arena, orig->u.scalar.str,
                                                 orig->u.scalar.len);
    sn->pos = cl_doc_pos(doc, orig);
    if (sn->pos.file != *file_orig) {
        *file_orig = sn->pos.file;
        *file_copy = cl_arena_strdup(&lx->set_arena, sn->pos.file);
    }
    sn->pos.file = *file_copy;
    return &sn->node;
}

/* Copy the tree of obj into the set arena, without recursion: the input's depth is
 * the attacker's. Aliases point to the copies of their anchors (dangling when the
 * anchor lies outside the object). */
static struct cl_node *copy_tree(struct cl_lua *lx, const struct cl_object *obj)
{
    struct { const struct cl_node *orig; struct cl_node *copy; } *stack = NULL;
    struct anchor *anchors = NULL, *aliases = NULL;
    size_t nstack = 0, stack_cap = 0, nanchors = 0, anchors_cap = 0, naliases = 0,
           aliases_cap = 0;
    const char *file_orig = NULL, *file_copy = NULL;
    struct cl_node *root = copy_node(lx, obj->doc, obj->node, NULL, &file_orig, &file_copy);

    stack_cap = 64;
    stack = cl_xmalloc(stack_cap * sizeof *stack);
    stack[nstack].orig = obj->node;
    stack[nstack++].copy = root;
    while (nstack) {
        const struct cl_node *o = stack[--nstack].orig;
        struct cl_node *c = stack[nstack].copy;

        if (o->flags & CL_NODE_ANCHORED) {
            if (nanchors == anchors_cap) {
                anchors_cap = anchors_cap ? 2 * anchors_cap : 16;
                anchors = cl_xrealloc(anchors, anchors_cap * sizeof *anchors);
            }
            anchors[nanchors].orig = o;
            anchors[nanchors++].copy = c;
        }
        if (o->type == CL_NODE_ALIAS) {
            if (naliases == aliases_cap) {
                aliases_cap = aliases_cap ? 2 * aliases_cap : 16;
                aliases = cl_xrealloc(aliases, aliases_cap * sizeof *aliases);
            }
            aliases[naliases].orig = o->u.target;
            aliases[naliases++].copy = c;
            c->u.target = NULL;
        } else if (o->type == CL_NODE_MAP || o->type == CL_NODE_SEQ) {
            size_t n = o->type == CL_NODE_MAP ? 2 * o->u.coll.n : o->u.coll.n;

            c->u.coll.items = cl_arena_alloc(&lx->set_arena, (n ? n : 1) * sizeof *c->u.coll.items);
            for (size_t i = 0; i < n; i++)
                c->u.coll.items[i] = copy_node(lx, obj->doc, o->u.coll.items[i], c,
                                               &file_orig, &file_copy);
            /* push in reverse so items are visited in document order */
            for (size_t i = n; i-- > 0;) {
                if (nstack == stack_cap) {
                    stack_cap *= 2;
                    stack = cl_xrealloc(stack, stack_cap * sizeof *stack);
                }
                stack[nstack].orig = o->u.coll.items[i];
                stack[nstack++].copy = c->u.coll.items[i];
            }
        }
    }
    if (naliases && nanchors) {
        qsort(anchors, nanchors, sizeof *anchors, cmp_anchor);
        for (size_t i = 0; i < naliases; i++) {
            struct anchor key = { aliases[i].orig, NULL };
            const struct anchor *a = bsearch(&key, anchors, nanchors, sizeof *anchors,
                                             cmp_anchor);

            if (a)
                aliases[i].copy->u.target = a->copy;
        }
    }
    free(stack);
    free(anchors);
    free(aliases);
    return root;
}

/* Keep obj for the finish() of set-scoped rules, once per object. The checks of one
 * object run one after the other in rule order, so a later rule meeting the object
 * snapshotted last (same document buffer, index and node) meets the same object; an
 * earlier or the same rule meets a new one, even at a reused address. */
static void snapshot(struct cl_lua *lx, struct cl_ctx *ctx, const struct lrule *r,
                     const struct cl_object *obj)
{
    struct snap *sn;

    if (lx->nsnaps && r->index > lx->snap_rule && lx->snap_buf == obj->doc->buf &&
        lx->snap_index == obj->doc->index && lx->snap_node == obj->node &&
        cl_streq(lx->snaps[lx->nsnaps - 1].obj.kind, obj->kind) &&
        cl_streq(lx->snaps[lx->nsnaps - 1].obj.name, obj->name)) {
        lx->snap_rule = r->index;
        return;
    }
    if (lx->nsnaps == lx->snaps_cap) {
        lx->snaps_cap = lx->snaps_cap ? 2 * lx->snaps_cap : 16;
        lx->snaps = cl_xrealloc(lx->snaps, lx->snaps_cap * sizeof *lx->snaps);
    }
    sn = &lx->snaps[lx->nsnaps++];
    sn->ref = cl_ctx_ref(ctx, obj->node, NULL);
    sn->obj = *obj;
    sn->obj.doc = NULL;
    sn->obj.node = copy_tree(lx, obj);
    sn->obj.path_prefix = cl_arena_strdup(&lx->set_arena, obj->path_prefix ? obj->path_prefix : "");
    sn->obj.api_version = sn->ref->api_version;
    sn->obj.kind = sn->ref->kind;
    sn->obj.name = sn->ref->name;
    sn->obj.namespace = sn->ref->namespace;
    lx->snap_buf = obj->doc->buf;
    lx->snap_index = obj->doc->index;
    lx->snap_node = obj->node;
    lx->snap_rule = r->index;
}

/* The built-in _ENV (made on first use), pushed. */
static void push_builtin_env(lua_State *L)
{
    struct cl_lua *lx = host(L);

    if (lx->builtin_env_ref == LUA_NOREF) {
        push_env(L);
        lua_pushvalue(L, -1);
        lx->builtin_env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    } else {
        lua_rawgeti(L, LUA_REGISTRYINDEX, lx->builtin_env_ref);
    }
}

/* Load the bytecode of one function of a built-in rule and bind its upvalues (each
 * one, so none keeps the global table lua_load gives the first): up says what each
 * holds, or NULL when all are the rule's _ENV. */
static void load_function(lua_State *L, const char *path, const char *chunk, size_t len,
                          const struct cl_lua_upval *up, int nup, bool *env)
{
    char name[256];
    int status;

    snprintf(name, sizeof name, "@%s", path);
    status = luaL_loadbufferx(L, chunk, len, name, "b");
    if (status != LUA_OK)
        lua_error(L);
    for (int i = 1; lua_getupvalue(L, -1, i); i++) {
        lua_pop(L, 1);
        if (up && i > nup)
            luaL_error(L, "%s: upvalue %d of the check function is not described", path, i);
        if (!up || up[i - 1].kind == CL_LUA_UP_ENV) {
            push_builtin_env(L);
            *env = true;
        } else if (up[i - 1].kind == CL_LUA_UP_QUOTE) {
            lua_pushcfunction(L, l_quote);
        } else {
            load_function(L, path, up[i - 1].chunk, up[i - 1].len, NULL, 0, env);
        }
        lua_setupvalue(L, -2, i);
    }
}

/* lua_CFunction: the check function of the rule (light userdata) and its ctx.params,
 * referenced from the registry. */
static int load_check_call(lua_State *L)
{
    struct lrule *r = lua_touserdata(L, 1);
    const struct cl_lua_meta *m = r->src->meta;
    bool env = false;

    load_function(L, r->src->path, r->src->chunk, r->src->len, m->upvals, m->nupvals, &env);
    r->sealed = !env;
    if (!r->sealed)
        if (host(L)->nunsealed++ == 0)
            keep_begins(L, host(L));
    lua_newtable(L);
    r->params_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    r->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/* Load the check function of a built-in rule registered from its metadata (protected:
 * it allocates). A failure is the rule's policy-error finding, once. */
static void load_check(struct cl_lua *lx, struct cl_ctx *ctx, struct lrule *r)
{
    lua_State *L = lx->L;
    int top = lua_gettop(L), status;

    lua_pushcfunction(L, load_check_call);
    lua_pushlightuserdata(L, r);
    status = lua_pcall(L, 1, 0, 0);
    if (status != LUA_OK) {
        struct cl_pos pos = { .file = r->file, .line = (uint32_t)r->line, .col = 1 };

        r->load_failed = true;
        r->fn_ref = r->params_ref = LUA_NOREF;
        cl_report_pos(ctx, &cl_check_policy_error, &pos, "rule \"%s\" failed: cannot load: %s",
                      r->check.name, error_text(lx, status));
    }
    lua_settop(L, top);
}

static void lua_run(struct cl_ctx *ctx, const struct cl_object *obj)
{
    struct lrule *r = (struct lrule *)cl_ctx_check(ctx);
    struct cl_lua *lx = r->lx;

    if (!wants(r, obj))
        return;
    if (r->finish_ref != LUA_NOREF) {
        if (lx->set_done) {            /* the first object of a new input set */
            snaps_clear(lx);
            lx->set_done = false;
        }
        *cl_ctx_state(ctx) = lx;       /* this rule saw an object of this set */
        snapshot(lx, ctx, r, obj);
    }
    if (r->fn_ref == LUA_NOREF && r->src && !r->load_failed)
        load_check(lx, ctx, r);
    if (r->fn_ref != LUA_NOREF)
        call_rule(lx, ctx, r, r->fn_ref, obj);
}

static void lua_finish(struct cl_ctx *ctx)
{
    struct lrule *r = (struct lrule *)cl_ctx_check(ctx);
    struct cl_lua *lx = r->lx;

    lx->set_done = true;
    call_rule(lx, ctx, r, r->finish_ref, NULL);
}

/* ---- lookups -------------------------------------------------------------------- */

size_t cl_lua_ncheck(const struct cl_lua *lx)
{
    return lx->nrules;
}

const struct cl_check *cl_lua_check(const struct cl_lua *lx, size_t i)
{
    return i < lx->nrules ? &lx->rules[i]->check : NULL;
}

bool cl_lua_owns(const struct cl_lua *lx, const struct cl_check *check)
{
    for (size_t i = 0; i < lx->nrules; i++)
        if (&lx->rules[i]->check == check)
            return true;
    return false;
}

int cl_lua_set_param(struct cl_lua *lx, const struct cl_check *rule, const char *name,
                     const char *value)
{
    for (size_t i = 0; i < lx->nrules; i++) {
        struct lrule *r = lx->rules[i];

        if (&r->check != rule)
            continue;
        /* the params array lives in lx's arena (read_params): ours to change */
        for (struct cl_param *p = (struct cl_param *)r->check.params; p && p->name; p++) {
            if (strcmp(p->name, name) != 0)
                continue;
            p->default_value = cl_arena_strdup(&lx->arena, value);
            lua_rawgeti(lx->L, LUA_REGISTRYINDEX, r->params_ref);
            push_param(lx->L, p);
            lua_setfield(lx->L, -2, p->name);
            lua_pop(lx->L, 1);
            return 0;
        }
        return -1;
    }
    return -1;
}

const struct cl_check *cl_lua_find(const struct cl_lua *lx, const char *id)
{
    for (size_t i = 0; lx && i < lx->nrules; i++)
        if (strcmp(lx->rules[i]->check.name, id) == 0 ||
            strcasecmp(lx->rules[i]->check.code, id) == 0)
            return &lx->rules[i]->check;
    return NULL;
}

size_t cl_lua_nerrors(const struct cl_lua *lx)
{
    return lx->nerrors;
}

const struct cl_lua_error *cl_lua_error_get(const struct cl_lua *lx, size_t i)
{
    return i < lx->nerrors ? &lx->errors[i] : NULL;
}

void cl_lua_take_errors(struct cl_lua *lx)
{
    lx->nerrors = 0;
}

/* ---- the built-in catalog ------------------------------------------------------- */

static struct cl_lua *catalog;

static void catalog_free(void)
{
    cl_lua_free(catalog);
    catalog = NULL;
}

static struct cl_lua *catalog_get(void)
{
    if (!catalog) {
        catalog = cl_lua_new(0);
        cl_lua_load_builtin(catalog);
        atexit(catalog_free);
    }
    return catalog;
}

size_t cl_lua_builtin_count(void)
{
    return cl_lua_ncheck(catalog_get());
}

const struct cl_check *cl_lua_builtin(size_t i)
{
    return cl_lua_check(catalog_get(), i);
}

/* ---- for policy.c --------------------------------------------------------------- */

void cl_lua_add_error(struct cl_lua *lx, const struct cl_pos *pos, const char *msg)
{
    add_error(lx, pos->file, (int)pos->line, msg);
    if (pos->col > 1)
        lx->errors[lx->nerrors - 1].pos.col = pos->col;
}

void *cl_lua_alloc(struct cl_lua *lx, size_t n)
{
    return cl_arena_zalloc(&lx->arena, n);
}

char *cl_lua_strdup(struct cl_lua *lx, const char *s)
{
    return s ? cl_arena_strdup(&lx->arena, s) : NULL;
}

void cl_lua_pack_add(struct cl_lua *lx, struct cl_pack *pack)
{
    lx->packs = cl_xrealloc(lx->packs, (lx->npacks + 1) * sizeof *lx->packs);
    lx->packs[lx->npacks++] = pack;
}

size_t cl_lua_npacks(const struct cl_lua *lx)
{
    return lx ? lx->npacks : 0;
}

const struct cl_pack *cl_lua_pack(const struct cl_lua *lx, size_t i)
{
    return lx && i < lx->npacks ? lx->packs[i] : NULL;
}
