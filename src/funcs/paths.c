/* paths.c -- Sprig's path functions: base dir clean ext isAbs (Go's path package) and
 * their os* twins (path/filepath, the same on Linux, where helm runs). */
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/sprig.h"

#define ARGS struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out

/* path.Clean: lexical, the shortest equivalent path. */
static struct cl_value clean(struct cl_exec *ex, const char *p, size_t len)
{
    char *o;
    size_t w = 0, r = 0, dotdot = 0;
    bool rooted = len > 0 && p[0] == '/';

    if (len == 0)
        return cl_v_str_ref(".", 1);
    o = cl_arena_alloc(cl_exec_arena(ex), len + 2);
    if (rooted) {
        o[w++] = '/';
        r = 1;
        dotdot = 1;
    }
    while (r < len) {
        if (p[r] == '/') {
            r++;
        } else if (p[r] == '.' && (r + 1 == len || p[r + 1] == '/')) {
            r++;
        } else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == len || p[r + 2] == '/')) {
            r += 2;
            if (w > dotdot) {
                w--;
                while (w > dotdot && o[w] != '/')
                    w--;
            } else if (!rooted) {
                if (w > 0)
                    o[w++] = '/';
                o[w++] = '.';
                o[w++] = '.';
                dotdot = w;
            }
        } else {
            if ((rooted && w != 1) || (!rooted && w != 0))
                o[w++] = '/';
            for (; r < len && p[r] != '/'; r++)
                o[w++] = p[r];
        }
    }
    if (w == 0)
        o[w++] = '.';
    o[w] = '\0';
    return cl_v_str_ref(o, w);
}

static int fn_clean(ARGS)
{
    (void)n;
    *out = clean(ex, args[0].u.str.s, args[0].u.str.len);
    return 0;
}

static int fn_base(ARGS)
{
    const char *p = args[0].u.str.s, *s;
    size_t len = args[0].u.str.len;

    (void)n;
    if (len == 0) {
        *out = cl_v_str_ref(".", 1);
        return 0;
    }
    while (len > 0 && p[len - 1] == '/')
        len--;
    if (len == 0) {
        *out = cl_v_str_ref("/", 1);
        return 0;
    }
    s = memrchr(p, '/', len);
    *out = s ? cl_v_str(cl_exec_arena(ex), s + 1, len - (size_t)(s + 1 - p))
             : cl_v_str(cl_exec_arena(ex), p, len);
    return 0;
}

static int fn_dir(ARGS)
{
    const char *p = args[0].u.str.s, *s = memrchr(p, '/', args[0].u.str.len);

    (void)n;
    *out = clean(ex, p, s ? (size_t)(s - p) + 1 : 0);
    return 0;
}

static int fn_ext(ARGS)
{
    const char *p = args[0].u.str.s;

    (void)n;
    for (size_t i = args[0].u.str.len; i > 0 && p[i - 1] != '/'; i--)
        if (p[i - 1] == '.') {
            *out = cl_v_str(cl_exec_arena(ex), p + i - 1, args[0].u.str.len - (i - 1));
            return 0;
        }
    *out = cl_v_str_ref("", 0);
    return 0;
}

static int fn_is_abs(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_bool(args[0].u.str.len > 0 && args[0].u.str.s[0] == '/');
    return 0;
}

static const struct cl_tmpl_func paths_funcs[] = {
    { "base", fn_base, 1, 1, "s" },
    { "clean", fn_clean, 1, 1, "s" },
    { "dir", fn_dir, 1, 1, "s" },
    { "ext", fn_ext, 1, 1, "s" },
    { "isAbs", fn_is_abs, 1, 1, "s" },
    { "osBase", fn_base, 1, 1, "s" },
    { "osClean", fn_clean, 1, 1, "s" },
    { "osDir", fn_dir, 1, 1, "s" },
    { "osExt", fn_ext, 1, 1, "s" },
    { "osIsAbs", fn_is_abs, 1, 1, "s" },
};

void cl_funcs_add_paths(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, paths_funcs, sizeof paths_funcs / sizeof paths_funcs[0]);
}
