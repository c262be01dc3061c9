/* embed_rules.c -- build-time tool: compile the rules/ files to Lua bytecode and write them
 * as a C file (cl_lua_sources in lua_host.h).
 *
 *     embed_rules OUT.c SRCDIR rules/a.lua rules/b.lua ...
 *
 * Each rule is compiled by the same Lua 5.4 the binary links, under the chunk name
 * "@rules/a.lua" chartlint gives a rule file, and dumped with its debug information
 * (line numbers, local and upvalue names), so error messages and tracebacks read as
 * when the source was compiled at run time. A rule that does not compile fails the
 * build with Lua's message. Runs once per build, never in chartlint. */
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(int argc, char **argv)
{
    lua_State *L;
    FILE *fp;
    char *tmp;
    int rc = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: embed_rules OUT.c SRCDIR [rules/NAME.lua...]\n");
        return 2;
    }
    tmp = malloc(strlen(argv[1]) + 5);
    L = luaL_newstate();
    if (!tmp || !L) {
        fprintf(stderr, "embed_rules: out of memory\n");
        return 1;
    }
    sprintf(tmp, "%s.tmp", argv[1]);
    fp = fopen(tmp, "w");
    if (!fp) {
        perror(tmp);
        return 1;
    }
    fprintf(fp, "/* generated from rules/ by cmake/embed_rules.c: do not edit */\n"
                "#include \"lua_host.h\"\n\n");
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
            fprintf(fp, "static const char rule_%d[] = {", i - 3);
            for (size_t j = 0; j < o.len; j++)
                fprintf(fp, "%s%d,", j % 20 ? "" : "\n   ", (signed char)o.data[j]);
            fprintf(fp, "\n};\n");
        }
        lua_settop(L, 0);
        free(o.data);
        free(chunk);
        free(src);
    }
    fprintf(fp, "\nconst struct cl_lua_source cl_lua_sources[] = {\n");
    for (int i = 3; i < argc; i++)
        fprintf(fp, "    { \"%s\", rule_%d, sizeof rule_%d },\n", argv[i], i - 3, i - 3);
    fprintf(fp, "    { 0, 0, 0 },\n};\nconst size_t cl_lua_sources_count = %d;\n", argc - 3);
    lua_close(L);
    if (fclose(fp) != 0)
        rc = 1;
    if (rc == 0 && rename(tmp, argv[1]) != 0) {
        perror(argv[1]);
        rc = 1;
    }
    if (rc != 0)
        remove(tmp);
    free(tmp);
    return rc;
}
