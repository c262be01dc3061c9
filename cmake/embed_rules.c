/* embed_rules.c -- build-time tool: compile the rules/ files to Lua bytecode and write them
 * as a C file (cl_lua_sources in lua_host.h).
 *
 *     embed_rules OUT.c SRCDIR rules/a.lua rules/b.lua ...
 *
 * Each rule is compiled by the same Lua 5.4 the binary links, under the chunk name
 * "@rules/a.lua" chartlint gives a rule file, and dumped with its debug information
 * (line numbers, local and upvalue names), so error messages and tracebacks read as
 * when the source was compiled at run time. A rule that does not compile fails the
 * build with Lua's message. Runs once per build, never in chartlint.
 *
 * The rule is also run here, in an environment like the sandbox's, and when its table
 * is plain (string fields, a kinds list, a check function, no params or finish) its
 * metadata is written as C data and only its check function is dumped, with what each
 * of that function's upvalues holds: the rule's _ENV, chartlint.quote, or a function of
 * the file whose own upvalues are at most _ENV (dumped too). chartlint then registers
 * the rule without running Lua, and loads the check function when an object first
 * reaches it: no run interns the documentation strings. A rule outside these bounds is
 * embedded whole, as before, and registered by running it at start-up. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CL_EMBED_MAX_UPVALS 16

struct out {
    unsigned char *data;
    size_t len, cap;
};

static int writer(lua_State *L, const void *p, size_t n, void *ud)
{
    struct out *o = ud;

    (void)L;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;

        while (cap < o->len + n)
            cap *= 2;
        o->data = realloc(o->data, cap);
        if (!o->data)
            return 1;
        o->cap = cap;
    }
    memcpy(o->data + o->len, p, n);
    o->len += n;
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n;

    *len = 0;
    if (!fp)
        return NULL;
    do {
        if (*len == cap) {
            cap = cap ? 2 * cap : 8192;
            if (!(buf = realloc(buf, cap)))
                break;
        }
        n = fread(buf + *len, 1, cap - *len, fp);
        *len += n;
    } while (n > 0);
    if (ferror(fp)) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    return buf;
}

/* chartlint.quote and chartlint.regex as the rule sees them at build time: only their
 * identity matters (an upvalue holding quote is bound to the real one at run time). */
static int build_quote(lua_State *L)
{
    return luaL_error(L, "chartlint.quote does not run at build time");
}

static int build_regex(lua_State *L)
{
    return luaL_error(L, "chartlint.regex does not run at build time");
}

/* s as a C string literal: printable ASCII as is, everything else (and " \ ?) octal. */
static void put_cstr(FILE *fp, const char *s)
{
    if (!s) {
        fputs("NULL", fp);
        return;
    }
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != '?')
            fputc(*p, fp);
        else
            fprintf(fp, "\\%03o", *p);
    }
    fputc('"', fp);
}

static void put_bytes(FILE *fp, const char *name, const struct out *o)
{
    fprintf(fp, "static const char %s[] = {", name);
    for (size_t j = 0; j < o->len; j++)
        fprintf(fp, "%s%d,", j % 20 ? "" : "\n   ", (signed char)o->data[j]);
    fprintf(fp, "\n};\n");
}

/* Dump the function at the top of the stack into o (with debug information). */
static int dump_top(lua_State *L, struct out *o)
{
    return lua_dump(L, writer, o, 0) == 0 && o->data ? 0 : -1;
}

static const char *const meta_fields[] = {
    "id", "code", "severity", "category", "summary", "rationale", "remediation",
    "example_bad", "example_good", NULL,
};
static const char *const known_fields[] = {
    "id", "code", "severity", "category", "summary", "rationale", "remediation",
    "example_bad", "example_good", "kinds", "check", NULL,
};

/* What upvalue n of the function at index f holds: 0 the rule's _ENV (env at index e),
 * 1 chartlint.quote, 2 a function whose own upvalues all hold _ENV; -1 anything else. */
static int upval_kind(lua_State *L, int f, int n, int e)
{
    int kind = -1;

    if (!lua_getupvalue(L, f, n))
        return -1;
    if (lua_rawequal(L, -1, e)) {
        kind = 0;
    } else if (lua_tocfunction(L, -1) == build_quote) {
        kind = 1;
    } else if (lua_type(L, -1) == LUA_TFUNCTION && !lua_iscfunction(L, -1)) {
        int g = lua_gettop(L);

        kind = 2;
        for (int i = 1; kind == 2 && lua_getupvalue(L, g, i); i++) {
            if (!lua_rawequal(L, -1, e))
                kind = -1;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return kind;
}

/* Is the rule table at index t (run with env at e) plain enough for C metadata? */
static bool plain_rule(lua_State *L, int t, int e)
{
    int nup = 0;

    lua_pushnil(L);
    while (lua_next(L, t)) {
        bool known = false;

        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            return false;
        }
        for (const char *const *k = known_fields; *k; k++)
            known = known || strcmp(*k, lua_tostring(L, -1)) == 0;
        if (!known) {
            lua_pop(L, 1);
            return false;
        }
    }
    for (const char *const *k = meta_fields; *k; k++) {
        int type = lua_getfield(L, t, *k);

        lua_pop(L, 1);
        if (type != LUA_TSTRING && type != LUA_TNIL)
            return false;
    }
    lua_getfield(L, t, "id");
    if (lua_type(L, -1) != LUA_TSTRING) {
        lua_pop(L, 1);
        return false;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "kinds") == LUA_TTABLE) {
        size_t n = lua_rawlen(L, -1), count = 0;

        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            count++;
        }
        for (lua_Integer i = 1; (size_t)i <= n; i++) {
            if (lua_rawgeti(L, -1, i) != LUA_TSTRING)
                count = 0;
            lua_pop(L, 1);
        }
        if (count != n || n == 0) {
            lua_pop(L, 1);
            return false;
        }
    } else if (!lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return false;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, t, "check") != LUA_TFUNCTION || lua_iscfunction(L, -1)) {
        lua_pop(L, 1);
        return false;
    }
    for (int i = 1; lua_getupvalue(L, -1, i); i++) {
        lua_pop(L, 1);
        if (upval_kind(L, lua_gettop(L), i, e) < 0)
            nup = -1;
        else if (nup >= 0)
            nup++;
    }
    lua_pop(L, 1);
    return nup >= 0 && nup <= CL_EMBED_MAX_UPVALS;
}

/* Write the metadata and the check function of the plain rule table at t as C data
 * named after rule number r. 0, or -1 when a function cannot be dumped. */
static int put_meta(FILE *fp, lua_State *L, int t, int e, int r, const char *path)
{
    struct out o = { 0 };
    lua_Debug ar;
    char name[64];
    int nup = 0, kinds = 0, line, fn;
    int kind[CL_EMBED_MAX_UPVALS];

    if (lua_getfield(L, t, "kinds") == LUA_TTABLE) {
        kinds = 1;
        fprintf(fp, "static const char *const kinds_%d[] = {", r);
        for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
            put_cstr(fp, lua_tostring(L, -1));
            fputs(", ", fp);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        fprintf(fp, "NULL };\n");
    }
    lua_pop(L, 1);
    lua_getfield(L, t, "check");
    fn = lua_gettop(L);
    lua_pushvalue(L, fn);
    lua_getinfo(L, ">S", &ar);
    line = ar.linedefined > 0 ? ar.linedefined : 1;
    for (int i = 1; lua_getupvalue(L, fn, i); i++) {
        lua_pop(L, 1);
        kind[nup] = upval_kind(L, fn, i, e);
        if (kind[nup] == 2) {
            struct out u = { 0 };

            lua_getupvalue(L, fn, i);
            if (dump_top(L, &u) < 0) {
                fprintf(stderr, "embed_rules: cannot dump an upvalue of %s\n", path);
                free(u.data);
                return -1;
            }
            lua_pop(L, 1);
            snprintf(name, sizeof name, "rule_%d_up_%d", r, nup);
            put_bytes(fp, name, &u);
            free(u.data);
        }
        nup++;
    }
    if (dump_top(L, &o) < 0) {
        fprintf(stderr, "embed_rules: cannot dump the check function of %s\n", path);
        free(o.data);
        return -1;
    }
    lua_pop(L, 1);
    snprintf(name, sizeof name, "rule_%d", r);
    put_bytes(fp, name, &o);
    free(o.data);
    if (nup) {
        fprintf(fp, "static const struct cl_lua_upval upvals_%d[] = {\n", r);
        for (int i = 0; i < nup; i++) {
            if (kind[i] == 2)
                fprintf(fp, "    { CL_LUA_UP_FUNC, rule_%d_up_%d, sizeof rule_%d_up_%d },\n",
                        r, i, r, i);
            else
                fprintf(fp, "    { %s, NULL, 0 },\n",
                        kind[i] == 0 ? "CL_LUA_UP_ENV" : "CL_LUA_UP_QUOTE");
        }
        fprintf(fp, "};\n");
    }
    fprintf(fp, "static const struct cl_lua_meta meta_%d = {\n", r);
    for (const char *const *k = meta_fields; *k; k++) {
        lua_getfield(L, t, *k);
        fprintf(fp, "    .%s = ", *k);
        put_cstr(fp, lua_tostring(L, -1));
        fputs(",\n", fp);
        lua_pop(L, 1);
    }
    if (kinds)
        fprintf(fp, "    .kinds = kinds_%d,\n", r);
    fprintf(fp, "    .line = %d,\n", line);
    if (nup)
        fprintf(fp, "    .upvals = upvals_%d,\n", r);
    fprintf(fp, "    .nupvals = %d,\n};\n", nup);
    return 0;
}

/* Push an environment like the sandbox's: the globals (through __index) and a
 * chartlint table whose functions only stand in for the real ones. */
static void push_build_env(lua_State *L)
{
    lua_newtable(L);
    lua_newtable(L);
    lua_pushglobaltable(L);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, build_quote);
    lua_setfield(L, -2, "quote");
    lua_pushcfunction(L, build_regex);
    lua_setfield(L, -2, "regex");
    lua_pushstring(L, "");
    lua_setfield(L, -2, "version");
    lua_setfield(L, -2, "chartlint");
}

int main(int argc, char **argv)
{
    lua_State *L;
    FILE *fp;
    char *tmp;
    int rc = 0;
    bool *split;

    if (argc < 3) {
        fprintf(stderr, "usage: embed_rules OUT.c SRCDIR [rules/NAME.lua...]\n");
        return 2;
    }
    tmp = malloc(strlen(argv[1]) + 5);
    split = calloc((size_t)argc, sizeof *split);
    L = luaL_newstate();
    if (!tmp || !split || !L) {
        fprintf(stderr, "embed_rules: out of memory\n");
        return 1;
    }
    luaL_openlibs(L);
    sprintf(tmp, "%s.tmp", argv[1]);
    fp = fopen(tmp, "w");
    if (!fp) {
        perror(tmp);
        return 1;
    }
    fprintf(fp, "/* generated from rules/ by cmake/embed_rules.c: do not edit */\n"
                "#include <stddef.h>\n\n#include \"lua_host.h\"\n\n");
    for (int i = 3; i < argc && rc == 0; i++) {
        char path[4096], *src, *chunk;
        struct out o = { 0 };
        size_t len;

        snprintf(path, sizeof path, "%s/%s", argv[2], argv[i]);
        if (!(src = slurp(path, &len))) {
            perror(path);
            rc = 1;
            break;
        }
        chunk = malloc(strlen(argv[i]) + 2);
        sprintf(chunk, "@%s", argv[i]);
        if (luaL_loadbufferx(L, src, len, chunk, "t") != LUA_OK) {
            fprintf(stderr, "embed_rules: %s\n", lua_tostring(L, -1));
            rc = 1;
        } else if (lua_dump(L, writer, &o, 0) != 0 || !o.data) {
            fprintf(stderr, "embed_rules: cannot dump %s\n", argv[i]);
            rc = 1;
        } else {
            int f = lua_gettop(L), e;

            /* run it to read its table: plain ones become C data and their check */
            push_build_env(L);
            e = lua_gettop(L);
            lua_pushvalue(L, e);
            lua_setupvalue(L, f, 1);
            lua_pushvalue(L, f);
            if (lua_pcall(L, 0, 1, 0) == LUA_OK && lua_istable(L, -1) &&
                plain_rule(L, lua_gettop(L), e)) {
                split[i] = true;
                if (put_meta(fp, L, lua_gettop(L), e, i - 3, argv[i]) < 0)
                    rc = 1;
            } else {
                char name[32];

                snprintf(name, sizeof name, "rule_%d", i - 3);
                put_bytes(fp, name, &o);
            }
        }
        lua_settop(L, 0);
        free(o.data);
        free(chunk);
        free(src);
    }
    fprintf(fp, "\nconst struct cl_lua_source cl_lua_sources[] = {\n");
    for (int i = 3; i < argc; i++) {
        fprintf(fp, "    { \"%s\", rule_%d, sizeof rule_%d, ", argv[i], i - 3, i - 3);
        if (split[i])
            fprintf(fp, "&meta_%d },\n", i - 3);
        else
            fprintf(fp, "NULL },\n");
    }
    fprintf(fp, "    { 0, 0, 0, 0 },\n};\nconst size_t cl_lua_sources_count = %d;\n", argc - 3);
    lua_close(L);
    if (fclose(fp) != 0)
        rc = 1;
    if (rc == 0 && rename(tmp, argv[1]) != 0) {
        perror(argv[1]);
        rc = 1;
    }
    if (rc != 0)
        remove(tmp);
    free(split);
    free(tmp);
    return rc;
}
