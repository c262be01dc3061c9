/* policy.c -- policy packs: load a directory of Lua rules under the pack's name. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "util.h"

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n > m && memcmp(s + n - m, suffix, m) == 0;
}

/* Read a whole file into a heap buffer (caller frees); NULL on failure. */
static char *read_file(const char *path, size_t *lenp)
{
    FILE *fp = fopen(path, "rb");
    struct cl_buf b;
    char chunk[8192];
    size_t n;

    if (!fp)
        return NULL;
    cl_buf_init(&b);
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        cl_buf_add(&b, chunk, n);
    if (ferror(fp)) {
        fclose(fp);
        cl_buf_fini(&b);
        return NULL;
    }
    fclose(fp);
    cl_buf_addc(&b, '\0');
    return cl_buf_take(&b, lenp);
}

/* Load the *.lua files of dir (sorted); -1 when dir cannot be opened. */
static int load_dir(struct cl_lua *lx, const char *dir, const char *ns)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;

    if (!d)
        return -1;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || !ends_with(de->d_name, ".lua"))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            names = cl_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = cl_xstrdup(de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        struct cl_buf path;
        size_t len;
        char *src;

        cl_buf_init(&path);
        cl_buf_printf(&path, "%s/%s", dir, names[i]);
        src = read_file(path.data, &len);
        if (src)
            cl_lua_load_rule(lx, path.data, src, len - 1, ns, NULL);
        free(src);
        cl_buf_fini(&path);
        free(names[i]);
    }
    free(names);
    return 0;
}

int cl_policy_load_pack(struct cl_lua *lx, const char *dir, const char **err)
{
    static char msg[512];
    size_t len = strlen(dir);
    char *base, *rules;
    const char *slash;
    int rc = 0;

    while (len > 1 && dir[len - 1] == '/')
        len--;
    base = cl_xstrndup(dir, len);
    slash = strrchr(base, '/');
    if (load_dir(lx, base, slash ? slash + 1 : base) < 0) {
        snprintf(msg, sizeof msg, "cannot read policy pack \"%s\": %s", dir, strerror(errno));
        *err = msg;
        rc = -1;
    } else {
        rules = cl_xmalloc(len + sizeof "/rules");
        snprintf(rules, len + sizeof "/rules", "%s/rules", base);
        load_dir(lx, rules, slash ? slash + 1 : base);
        free(rules);
    }
    free(base);
    return rc;
}
