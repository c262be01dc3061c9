/* config.c -- reading and validating .chartlint.yaml; its discovery and globs.
 *
 * The file is parsed with cl_parse_stream(), so nodes carry line:col, and walked while
 * its document tree is alive (the doc callback): only the fixed levels of the schema
 * are visited, never the depth of the input. Each section has one table of the keys it
 * knows; the unknown-key errors and cl_config_list_keys() read the same tables, so the
 * key set the JSON Schema is tested against cannot drift from the parser. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "load.h"
#include "parse.h"
#include "util.h"

/* ---- key tables ---------------------------------------------------------------- */

static const char *const top_keys[] = { "version", "fail-on", "checks", "severity", "params",
                                        "policies", "exclude", "charts", "suppressions",
                                        NULL };
static const char *const checks_keys[] = { "only", "enable", "disable", NULL };
static const char *const policy_keys[] = { "path", "params", NULL };
static const char *const chart_keys[] = { "values", "set", "set-string", "release-name",
                                          "namespace", "kube-version", NULL };
static const char *const supp_keys[] = { "checks", "chart", "files", "kind", "name",
                                         "namespace", "container", "reason", NULL };

/* Where the sub-keys of a section live, as dotted paths: "*" is any map key, "[]" any
 * list item. */
static const struct {
    const char *prefix;
    const char *const *keys;
} key_sections[] = {
    { "", top_keys },
    { "checks.", checks_keys },
    { "policies[].", policy_keys },
    { "charts.*.", chart_keys },
    { "suppressions[].", supp_keys },
};

void cl_config_list_keys(struct cl_buf *out)
{
    for (size_t s = 0; s < sizeof key_sections / sizeof key_sections[0]; s++)
        for (const char *const *k = key_sections[s].keys; *k; k++)
            cl_buf_printf(out, "%s%s\n", key_sections[s].prefix, *k);
}

/* ---- paths --------------------------------------------------------------------- */

/* The working directory, heap; NULL when it cannot be known. */
static char *cwd_dup(void)
{
    return getcwd(NULL, 0);
}

/* abs (absolute) as the run shows paths: relative to the working directory when below
 * it, "../"-relative when they share more than the root, else abs itself; heap. */
static char *display_path(const char *abs)
{
    char *cwd = cwd_dup();
    size_t common = 0, ups = 0;
    struct cl_buf b;

    if (!cwd || abs[0] != '/')
        goto as_is;
    /* the longest common prefix of whole segments */
    for (size_t i = 0;; i++) {
        bool end_a = abs[i] == '\0' || abs[i] == '/', end_c = cwd[i] == '\0' || cwd[i] == '/';

        if (end_a && end_c)
            common = i;
        if (abs[i] != cwd[i] || !abs[i])
            break;
    }
    if (cwd[common] == '\0' && abs[common] == '/') {       /* below the working directory */
        char *out = cl_xstrdup(abs + common + 1);

        free(cwd);
        return out;
    }
    if (common == 0)
        goto as_is;                                         /* only "/" in common */
    for (const char *p = cwd + common; *p; p++)
        ups += *p == '/';
    cl_buf_init(&b);
    for (size_t i = 0; i < ups; i++)
        cl_buf_adds(&b, i ? "/.." : "..");
    if (abs[common] == '/')
        cl_buf_adds(&b, abs + common);
    if (!b.len)
        cl_buf_adds(&b, ".");
    free(cwd);
    return cl_buf_take(&b, NULL);
as_is:
    free(cwd);
    return cl_xstrdup(abs);
}

static char *join(const char *dir, const char *name)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_buf_adds(&b, dir);
    if (!b.len || b.data[b.len - 1] != '/')
        cl_buf_addc(&b, '/');
    cl_buf_adds(&b, name);
    return cl_buf_take(&b, NULL);
}

static bool exists(const char *path, bool want_dir)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return false;
    return want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode);
}

char *cl_config_find(const char *start)
{
    char *dir = cl_realpath(start && *start ? start : ".");
    char *found = NULL;
    struct stat st;

    if (!dir)
        return NULL;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');

        if (slash == dir)
            slash[1] = '\0';
        else if (slash)
            *slash = '\0';
    }
    for (;;) {
        static const char *const names[] = { ".chartlint.yaml", ".chartlint.yml" };
        char *git;
        bool top;

        for (size_t i = 0; i < 2 && !found; i++) {
            char *p = join(dir, names[i]);

            if (exists(p, false))
                found = display_path(p);
            free(p);
        }
        if (found)
            break;
        git = join(dir, ".git");
        top = access(git, F_OK) == 0 || strcmp(dir, "/") == 0;
        free(git);
        if (top)
            break;
        {
            char *slash = strrchr(dir, '/');

            if (slash == dir)
                slash[1] = '\0';
            else
                *slash = '\0';
        }
    }
    free(dir);
    return found;
}

char *cl_config_relpath(const struct cl_config *cfg, const char *path)
{
    char *abs = realpath(path, NULL);
    size_t n = strlen(cfg->dir);
    char *out = NULL;

    if (!abs) {
        /* a file that is gone (a template of a packaged chart): lexically */
        char *cwd = path[0] == '/' ? NULL : cwd_dup();

        abs = cwd ? join(cwd, path) : cl_xstrdup(path);
        free(cwd);
    }
    if (strcmp(cfg->dir, "/") == 0)
        out = cl_xstrdup(abs + 1);
    else if (strncmp(abs, cfg->dir, n) == 0 && abs[n] == '/')
        out = cl_xstrdup(abs + n + 1);
    free(abs);
    return out;
}

/* ---- globs --------------------------------------------------------------------- */

/* Split s at '/' into segments (pointers into a heap copy, *copy to free). */
static const char **segments(const char *s, char **copy, size_t *n)
{
    size_t cap = 1;
    const char **v;
    char *p;

    for (const char *q = s; *q; q++)
        cap += *q == '/';
    v = cl_xmalloc((cap + 1) * sizeof *v);
    *copy = cl_xstrdup(s);
    *n = 0;
    for (p = *copy;;) {
        char *slash = strchr(p, '/');

        if (slash)
            *slash = '\0';
        if (*p)
            v[(*n)++] = p;
        if (!slash)
            break;
        p = slash + 1;
    }
    return v;
}

/* Do the pattern segments match exactly the path segments? "**" spans any number of
 * segments; one backtracking point suffices, as for '*' within a string. */
static bool match_segments(const char **pat, size_t np, const char **seg, size_t ns)
{
    size_t p = 0, s = 0, star_p = SIZE_MAX, star_s = 0;

    while (s < ns || p < np) {
        if (p < np && strcmp(pat[p], "**") == 0) {
            star_p = ++p;
            star_s = s;
            continue;
        }
        if (p < np && s < ns && cl_glob_match(pat[p], seg[s])) {
            p++;
            s++;
            continue;
        }
        if (star_p != SIZE_MAX && star_s < ns) {
            p = star_p;
            s = ++star_s;
            continue;
        }
        return false;
    }
    return true;
}

const char *cl_config_glob_check(const char *pattern)
{
    const char *bad;

    if (!pattern || !*pattern)
        return "empty pattern";
    if ((bad = cl_glob_check(pattern)) != NULL)
        return bad;
    return NULL;
}

bool cl_config_glob_match(const char *pattern, const char *path)
{
    char *pcopy, *scopy;
    const char **pat, **seg;
    size_t np, ns;
    bool hit = false;

    while (pattern[0] == '.' && pattern[1] == '/')
        pattern += 2;
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    pat = segments(pattern, &pcopy, &np);
    seg = segments(path, &scopy, &ns);
    if (np == 0) {
        hit = false;
    } else if (!strchr(pattern, '/') || (np == 1 && pattern[strlen(pattern) - 1] == '/' &&
                                         pattern[0] != '/')) {
        for (size_t i = 0; i < ns && !hit; i++)
            hit = cl_glob_match(pat[0], seg[i]);
    } else {
        /* the path itself, or a directory above it */
        for (size_t k = ns; k > 0 && !hit; k--)
            hit = match_segments(pat, np, seg, k);
    }
    free(pat);
    free(seg);
    free(pcopy);
    free(scopy);
    return hit;
}

/* ---- the loader ---------------------------------------------------------------- */

struct loader {
    struct cl_arena *a;
    struct cl_config *cfg;
    const struct cl_doc *doc;
    size_t ndocs;
    size_t errors_cap;
};

static void add_error(struct loader *ld, struct cl_pos pos, const char *fmt, va_list ap)
{
    struct cl_config *cfg = ld->cfg;

    if (cfg->nerrors == ld->errors_cap) {
        size_t cap = ld->errors_cap ? 2 * ld->errors_cap : 8;
        struct cl_config_error *v = cl_arena_alloc(ld->a, cap * sizeof *v);

        if (cfg->nerrors)
            memcpy(v, cfg->errors, cfg->nerrors * sizeof *v);
        cfg->errors = v;
        ld->errors_cap = cap;
    }
    pos.file = cfg->path;
    if (!pos.line)
        pos.line = pos.col = 1;
    cfg->errors[cfg->nerrors].pos = pos;
    cfg->errors[cfg->nerrors++].message = cl_arena_vprintf(ld->a, fmt, ap);
}

static void error_pos(struct loader *ld, struct cl_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_pos(struct loader *ld, struct cl_pos pos, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_error(ld, pos, fmt, ap);
    va_end(ap);
}

static struct cl_pos pos_of(const struct loader *ld, const struct cl_node *node)
{
    struct cl_pos pos = cl_doc_pos(ld->doc, node);

    pos.file = ld->cfg->path;
    return pos;
}

static void error_at(struct loader *ld, const struct cl_node *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_at(struct loader *ld, const struct cl_node *node, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_error(ld, pos_of(ld, node), fmt, ap);
    va_end(ap);
}

/* value quoted for a message as the checks quote values (cl_quote: control characters
 * escaped, cut after 64 bytes) */
static const char *q(struct loader *ld, const char *s)
{
    char out[CL_QUOTE_SIZE];

    return cl_arena_strndup(ld->a, out, cl_quote(out, s, strnlen(s, CL_QUOTE_MAX + 1), true));
}

static const char *type_name(const struct cl_node *node)
{
    if (cl_node_is_map(node))
        return "a mapping";
    if (cl_node_is_seq(node))
        return "a list";
    if (cl_node_is_null(node))
        return "empty";
    return "a scalar";
}

/* "a, b or c" for the keys of a table */
static const char *expected_keys(struct loader *ld, const char *const *keys)
{
    struct cl_buf b;
    char *out;
    size_t n = 0;

    while (keys[n])
        n++;
    cl_buf_init(&b);
    for (size_t i = 0; i < n; i++)
        cl_buf_printf(&b, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", keys[i]);
    out = cl_arena_strdup(ld->a, b.data ? b.data : "");
    cl_buf_fini(&b);
    return out;
}

/* The mapping node is, or NULL after an error naming what. */
static const struct cl_node *want_map(struct loader *ld, const struct cl_node *node,
                                      const char *what)
{
    const struct cl_node *m = cl_node_deref(node);

    if (m && cl_node_is_map(m))
        return m;
    error_at(ld, node, "%s must be a mapping, not %s", what, type_name(m));
    return NULL;
}

/* Key i of map as a string, or NULL after an error (keys must be plain strings). */
static const char *key_str(struct loader *ld, const struct cl_node *map, size_t i,
                           const char *what)
{
    const struct cl_node *key = cl_node_key(map, i);
    const char *s = cl_node_is_scalar(key) ? cl_node_str(key) : NULL;

    if (!s)
        error_at(ld, key, "keys of %s must be strings", what);
    return s;
}

static bool known_key(const char *const *keys, const char *s)
{
    for (; *keys; keys++)
        if (strcmp(*keys, s) == 0)
            return true;
    return false;
}

/* Check every key of map against keys; false for a key that is not there. */
static void unknown_keys(struct loader *ld, const struct cl_node *map, const char *const *keys,
                         const char *what)
{
    for (size_t i = 0, n = cl_node_len(map); i < n; i++) {
        const char *s = key_str(ld, map, i, what);

        if (s && !known_key(keys, s))
            error_at(ld, cl_node_key(map, i), "unknown key %s in %s (expected %s)", q(ld, s),
                     what, expected_keys(ld, keys));
    }
}

/* A non-empty string scalar, copied into the arena; NULL after an error. */
static const char *want_string(struct loader *ld, const struct cl_node *node, const char *what)
{
    const struct cl_node *v = cl_node_deref(node);
    const char *s;

    if (!v || !cl_node_is_scalar(v) || cl_node_is_null(v)) {
        error_at(ld, node, "%s must be a string, not %s", what, type_name(v));
        return NULL;
    }
    s = cl_node_str(v);
    if (!*s) {
        error_at(ld, node, "%s must not be empty", what);
        return NULL;
    }
    return cl_arena_strdup(ld->a, s);
}

/* A list of strings (a single string counts as a list of one) into out. */
static void want_list(struct loader *ld, const struct cl_node *node, const char *what,
                      struct cl_config_list *out)
{
    const struct cl_node *v = cl_node_deref(node);
    size_t n;

    out->v = NULL;
    out->n = 0;
    if (v && cl_node_is_scalar(v) && !cl_node_is_null(v)) {
        const char *s = want_string(ld, v, what);

        if (s) {
            out->v = cl_arena_alloc(ld->a, sizeof *out->v);
            out->v[0] = (struct cl_config_id){ s, pos_of(ld, v) };
            out->n = 1;
        }
        return;
    }
    if (!v || !cl_node_is_seq(v)) {
        error_at(ld, node, "%s must be a list of strings, not %s", what, type_name(v));
        return;
    }
    n = cl_node_len(v);
    out->v = cl_arena_alloc(ld->a, (n ? n : 1) * sizeof *out->v);
    for (size_t i = 0; i < n; i++) {
        const struct cl_node *item = cl_node_item(v, i);
        const char *s = want_string(ld, item, "each item of a list");

        if (s)
            out->v[out->n++] = (struct cl_config_id){ s, pos_of(ld, item) };
    }
}

/* A path written in the config, made relative to the working directory (as the run
 * names files), in the arena. */
static const char *config_path(struct loader *ld, const char *p)
{
    char *abs, *shown;
    const char *out;

    if (p[0] == '/')
        return p;
    abs = join(ld->cfg->dir, p);
    shown = display_path(abs);
    out = cl_arena_strdup(ld->a, shown);
    free(abs);
    free(shown);
    return out;
}

static void read_version(struct loader *ld, const struct cl_node *node)
{
    long long v;

    if (!cl_node_int(cl_node_deref(node), &v)) {
        error_at(ld, node, "version must be a number (this chartlint reads version %d)",
                 CL_CONFIG_VERSION);
        return;
    }
    if (v != CL_CONFIG_VERSION)
        error_at(ld, node, "unsupported config version %lld (this chartlint reads version %d)",
                 v, CL_CONFIG_VERSION);
}

static enum cl_severity want_severity(struct loader *ld, const struct cl_node *node,
                                      const char *what)
{
    const char *s = want_string(ld, node, what);
    enum cl_severity sev = s ? cl_severity_parse(s) : CL_SEV_NONE;

    if (s && sev == CL_SEV_NONE)
        error_at(ld, node, "invalid %s %s (expected error, warning or info)", what, q(ld, s));
    return sev;
}

static void read_checks(struct loader *ld, const struct cl_node *node)
{
    const struct cl_node *m = want_map(ld, node, "checks");
    struct cl_config *cfg = ld->cfg;

    if (!m)
        return;
    unknown_keys(ld, m, checks_keys, "checks");
    for (size_t i = 0, n = cl_node_len(m); i < n; i++) {
        const char *k = cl_node_str(cl_node_key(m, i));
        const struct cl_node *v = cl_node_value(m, i);

        if (cl_streq(k, "only")) {
            want_list(ld, v, "checks.only", &cfg->only);
            cfg->has_only = true;
        } else if (cl_streq(k, "enable")) {
            want_list(ld, v, "checks.enable", &cfg->enable);
        } else if (cl_streq(k, "disable")) {
            want_list(ld, v, "checks.disable", &cfg->disable);
        }
    }
}

static void read_severity(struct loader *ld, const struct cl_node *node)
{
    const struct cl_node *m = want_map(ld, node, "severity");
    struct cl_config *cfg = ld->cfg;
    size_t n;

    if (!m)
        return;
    n = cl_node_len(m);
    cfg->severity = cl_arena_alloc(ld->a, (n ? n : 1) * sizeof *cfg->severity);
    for (size_t i = 0; i < n; i++) {
        const char *id = key_str(ld, m, i, "severity");
        enum cl_severity sev;

        if (!id)
            continue;
        sev = want_severity(ld, cl_node_value(m, i), "severity");
        if (sev == CL_SEV_NONE)
            continue;
        cfg->severity[cfg->nseverity++] = (struct cl_config_severity){
            { cl_arena_strdup(ld->a, id), pos_of(ld, cl_node_key(m, i)) }, sev };
    }
}

/* One parameter value: a scalar or a list of scalars, in cl_param string form. */
static bool param_value(struct loader *ld, const struct cl_node *node,
                        struct cl_config_param *p)
{
    const struct cl_node *v = cl_node_deref(node);
    long long ll;
    bool b;

    p->pos = pos_of(ld, node);
    if (v && cl_node_is_seq(v)) {
        struct cl_buf buf;

        cl_buf_init(&buf);
        cl_buf_adds(&buf, "");
        for (size_t i = 0, n = cl_node_len(v); i < n; i++) {
            const struct cl_node *item = cl_node_deref(cl_node_item(v, i));
            const char *s = item && cl_node_is_scalar(item) && !cl_node_is_null(item)
                                ? cl_node_str(item) : NULL;

            if (!s || !*s || strchr(s, ',')) {
                error_at(ld, cl_node_item(v, i), s && *s ? "list items of params must not "
                                                           "contain ','"
                                                         : "list items of params must be "
                                                           "non-empty strings");
                cl_buf_fini(&buf);
                return false;
            }
            cl_buf_printf(&buf, "%s%s", i ? "," : "", s);
        }
        p->value = cl_arena_strdup(ld->a, buf.data);
        p->type = CL_PARAM_STRING_LIST;
        cl_buf_fini(&buf);
        return true;
    }
    if (!v || !cl_node_is_scalar(v) || cl_node_is_null(v)) {
        error_at(ld, node, "a param value must be a string, number, boolean or list, not %s",
                 type_name(v));
        return false;
    }
    p->value = cl_arena_strdup(ld->a, cl_node_str(v));
    if (cl_node_bool(v, &b)) {
        p->type = CL_PARAM_BOOL;
        p->value = b ? "true" : "false";
    } else if (cl_node_int(v, &ll)) {
        p->type = CL_PARAM_INT;
        p->value = cl_arena_printf(ld->a, "%lld", ll);
    } else {
        p->type = CL_PARAM_STRING;
    }
    return true;
}

/* A mapping of check (or rule) id -> parameter -> value into *out (arena, *n entries),
 * each tagged with policy (the policies entry it belongs to, or SIZE_MAX). */
static void read_param_map(struct loader *ld, const struct cl_node *node, const char *what,
                           size_t policy, struct cl_config_param **out, size_t *n)
{
    const struct cl_node *m = want_map(ld, node, what);
    size_t total = *n;
    struct cl_config_param *v;

    if (!m)
        return;
    for (size_t i = 0, nm = cl_node_len(m); i < nm; i++)
        total += cl_node_len(cl_node_deref(cl_node_value(m, i)));
    v = cl_arena_alloc(ld->a, (total ? total : 1) * sizeof *v);
    if (*n)
        memcpy(v, *out, *n * sizeof *v);
    *out = v;
    for (size_t i = 0, nm = cl_node_len(m); i < nm; i++) {
        const char *id = key_str(ld, m, i, what);
        const struct cl_node *pm;
        char *of;

        if (!id)
            continue;
        of = cl_arena_printf(ld->a, "params of %s", q(ld, id));
        pm = want_map(ld, cl_node_value(m, i), of);
        for (size_t j = 0, np = cl_node_len(pm); pm && j < np; j++) {
            const char *name = key_str(ld, pm, j, of);
            struct cl_config_param p;

            if (!name)
                continue;
            memset(&p, 0, sizeof p);
            p.check = (struct cl_config_id){ cl_arena_strdup(ld->a, id),
                                             pos_of(ld, cl_node_key(m, i)) };
            p.name = cl_arena_strdup(ld->a, name);
            p.name_pos = pos_of(ld, cl_node_key(pm, j));
            p.policy = policy;
            if (param_value(ld, cl_node_value(pm, j), &p) && *n < total)
                v[(*n)++] = p;
        }
    }
}

static void read_params(struct loader *ld, const struct cl_node *node)
{
    read_param_map(ld, node, "params", SIZE_MAX, &ld->cfg->params, &ld->cfg->nparams);
}

static void read_policies(struct loader *ld, const struct cl_node *node)
{
    const struct cl_node *v = cl_node_deref(node);
    struct cl_config_list *out = &ld->cfg->policies;
    size_t n;

    if (!v || !cl_node_is_seq(v)) {
        error_at(ld, node, "policies must be a list of pack directories, not %s",
                 type_name(v));
        return;
    }
    n = cl_node_len(v);
    out->v = cl_arena_alloc(ld->a, (n ? n : 1) * sizeof *out->v);
    for (size_t i = 0; i < n; i++) {
        const struct cl_node *item = cl_node_deref(cl_node_item(v, i));
        const struct cl_node *at = cl_node_item(v, i);
        const char *dir = NULL;

        if (item && cl_node_is_map(item)) {
            const struct cl_node *params = cl_node_get(item, "params");

            unknown_keys(ld, item, policy_keys, "a policies entry");
            if (!cl_node_get(item, "path"))
                error_at(ld, at, "a policies entry needs \"path\" (the pack's directory)");
            else
                dir = want_string(ld, (at = cl_node_get(item, "path")), "path");
            if (dir && params)
                read_param_map(ld, params, "params of a policies entry", out->n,
                               &ld->cfg->pack_params, &ld->cfg->npack_params);
        } else {
            dir = want_string(ld, at, "a policies entry");
        }
        if (dir)
            out->v[out->n++] = (struct cl_config_id){ config_path(ld, dir), pos_of(ld, at) };
    }
}

static void read_exclude(struct loader *ld, const struct cl_node *node)
{
    struct cl_config_list globs;
    struct cl_config_list *out = &ld->cfg->exclude;

    want_list(ld, node, "exclude", &globs);
    out->v = globs.v;
    out->n = 0;
    for (size_t i = 0; i < globs.n; i++) {
        const char *bad = cl_config_glob_check(globs.v[i].id);

        if (bad)
            error_pos(ld, globs.v[i].pos, "bad glob %s in exclude: %s", q(ld, globs.v[i].id),
                      bad);
        else
            out->v[out->n++] = globs.v[i];
    }
}

static void read_chart(struct loader *ld, struct cl_config_chart *c, const struct cl_node *m,
                       const char *what)
{
    unknown_keys(ld, m, chart_keys, what);
    for (size_t i = 0, n = cl_node_len(m); i < n; i++) {
        const char *k = cl_node_str(cl_node_key(m, i));
        const struct cl_node *v = cl_node_value(m, i);

        if (cl_streq(k, "values")) {
            want_list(ld, v, "values", &c->values);
            for (size_t j = 0; j < c->values.n; j++)
                c->values.v[j].id = config_path(ld, c->values.v[j].id);
        } else if (cl_streq(k, "set")) {
            want_list(ld, v, "set", &c->set);
        } else if (cl_streq(k, "set-string")) {
            want_list(ld, v, "set-string", &c->set_string);
        } else if (cl_streq(k, "release-name")) {
            c->release_name = want_string(ld, v, "release-name");
        } else if (cl_streq(k, "namespace")) {
            c->namespace = want_string(ld, v, "namespace");
        } else if (cl_streq(k, "kube-version")) {
            c->kube_version = want_string(ld, v, "kube-version");
        }
    }
}

static void read_charts(struct loader *ld, const struct cl_node *node)
{
    const struct cl_node *m = want_map(ld, node, "charts");
    struct cl_config *cfg = ld->cfg;
    size_t n;

    if (!m)
        return;
    n = cl_node_len(m);
    cfg->charts = cl_arena_zalloc(ld->a, (n ? n : 1) * sizeof *cfg->charts);
    for (size_t i = 0; i < n; i++) {
        const char *key = key_str(ld, m, i, "charts");
        struct cl_config_chart *c = &cfg->charts[cfg->ncharts];
        const struct cl_node *cm;
        char *what;

        if (!key)
            continue;
        what = cl_arena_printf(ld->a, "charts entry %s", q(ld, key));
        if (!(cm = want_map(ld, cl_node_value(m, i), what)))
            continue;
        c->key = cl_arena_strdup(ld->a, key);
        while (c->key[0] == '.' && c->key[1] == '/')
            c->key += 2;
        c->pos = pos_of(ld, cl_node_key(m, i));
        read_chart(ld, c, cm, what);
        cfg->ncharts++;
    }
}

static void read_suppression(struct loader *ld, struct cl_config_suppression *s,
                             const struct cl_node *at, const struct cl_node *m)
{
    static const struct {
        const char *key;
        size_t off;
    } fields[] = {
        { "chart", offsetof(struct cl_config_suppression, chart) },
        { "files", offsetof(struct cl_config_suppression, files) },
        { "kind", offsetof(struct cl_config_suppression, kind) },
        { "name", offsetof(struct cl_config_suppression, name) },
        { "namespace", offsetof(struct cl_config_suppression, namespace) },
        { "container", offsetof(struct cl_config_suppression, container) },
        { "reason", offsetof(struct cl_config_suppression, reason) },
    };
    const struct cl_node *checks = cl_node_get(m, "checks");
    const struct cl_node *reason = cl_node_get(m, "reason");

    s->pos = pos_of(ld, at);
    unknown_keys(ld, m, supp_keys, "a suppressions entry");
    for (size_t i = 0, n = cl_node_len(m); i < n; i++) {
        const char *k = cl_node_str(cl_node_key(m, i));

        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
            if (cl_streq(k, fields[f].key))
                *(const char **)((char *)s + fields[f].off) =
                    want_string(ld, cl_node_value(m, i), fields[f].key);
    }
    if (!checks)
        error_at(ld, at, "a suppressions entry needs \"checks\" (the ids it suppresses)");
    else
        want_list(ld, checks, "checks", &s->checks);
    if (checks && s->checks.n == 0 && cl_node_is_seq(cl_node_deref(checks)))
        error_at(ld, checks, "checks of a suppressions entry must not be empty");
    if (!reason) {
        error_at(ld, at, "a suppressions entry needs a \"reason\"");
    } else if (s->reason) {
        const char *r = s->reason;

        while (*r == ' ' || *r == '\t')
            r++;
        if (!*r) {
            error_at(ld, reason, "reason must not be blank");
            s->reason = NULL;
        }
    }
    if (s->files) {
        const char *bad = cl_config_glob_check(s->files);

        if (bad) {
            error_at(ld, cl_node_get(m, "files"), "bad glob %s in files: %s", q(ld, s->files),
                     bad);
            s->files = NULL;
            s->reason = NULL;          /* an entry that cannot match as written is dropped */
        }
    }
}

static void read_suppressions(struct loader *ld, const struct cl_node *node)
{
    const struct cl_node *v = cl_node_deref(node);
    struct cl_config *cfg = ld->cfg;
    size_t n;

    if (!v || !cl_node_is_seq(v)) {
        error_at(ld, node, "suppressions must be a list of entries, not %s", type_name(v));
        return;
    }
    n = cl_node_len(v);
    cfg->suppressions = cl_arena_zalloc(ld->a, (n ? n : 1) * sizeof *cfg->suppressions);
    for (size_t i = 0; i < n; i++) {
        const struct cl_node *at = cl_node_item(v, i);
        const struct cl_node *m = want_map(ld, at, "a suppressions entry");
        struct cl_config_suppression *s = &cfg->suppressions[cfg->nsuppressions];

        if (!m)
            continue;
        read_suppression(ld, s, at, m);
        /* an entry without a reason or ids is an error and suppresses nothing */
        if (s->reason && s->checks.n)
            cfg->nsuppressions++;
        else
            memset(s, 0, sizeof *s);
    }
}

static void read_top(struct loader *ld, const struct cl_node *root)
{
    const struct cl_node *m;

    if (!root || cl_node_is_null(cl_node_deref(root)))
        return;                        /* an empty config is a valid one */
    if (!(m = want_map(ld, root, "the config file")))
        return;
    unknown_keys(ld, m, top_keys, "the config file");
    for (size_t i = 0, n = cl_node_len(m); i < n; i++) {
        const char *k = cl_node_str(cl_node_key(m, i));
        const struct cl_node *v = cl_node_value(m, i);

        if (cl_streq(k, "version"))
            read_version(ld, v);
        else if (cl_streq(k, "fail-on"))
            ld->cfg->fail_on = want_severity(ld, v, "fail-on");
        else if (cl_streq(k, "checks"))
            read_checks(ld, v);
        else if (cl_streq(k, "severity"))
            read_severity(ld, v);
        else if (cl_streq(k, "params"))
            read_params(ld, v);
        else if (cl_streq(k, "policies"))
            read_policies(ld, v);
        else if (cl_streq(k, "exclude"))
            read_exclude(ld, v);
        else if (cl_streq(k, "charts"))
            read_charts(ld, v);
        else if (cl_streq(k, "suppressions"))
            read_suppressions(ld, v);
    }
}

static void on_doc(void *ud, struct cl_doc *doc)
{
    struct loader *ld = ud;

    if (ld->ndocs++ == 0) {
        ld->doc = doc;
        read_top(ld, doc->root);
        ld->doc = NULL;
    } else if (ld->ndocs == 2) {
        struct cl_pos pos = { 0 };

        pos.line = doc->root ? doc->root->line : 1;
        pos.col = 1;
        error_pos(ld, pos, "the config file holds more than one yaml document; only the "
                           "first is read");
    }
}

static void on_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                       const struct cl_node *node, const struct cl_node *other,
                       const struct cl_pos *pos, const char *msg)
{
    struct loader *ld = ud;

    (void)other;
    if (kind == CL_PARSE_SYNTAX) {
        error_pos(ld, pos ? *pos : (struct cl_pos){ 0 }, "invalid yaml: %s",
                  msg && *msg ? msg : "syntax error");
    } else if (doc && node) {
        const char *k = cl_node_str(node);
        struct cl_pos at = cl_doc_pos(doc, node);

        error_pos(ld, at, "duplicate key %s", q(ld, k ? k : ""));
    }
}

struct cl_config *cl_config_parse(struct cl_arena *arena, const char *path, const char *dir,
                                  const char *text, size_t len)
{
    struct cl_config *cfg = cl_arena_zalloc(arena, sizeof *cfg);
    struct loader ld = { .a = arena, .cfg = cfg };
    struct cl_parse_sink sink = { .ud = &ld, .doc = on_doc, .problem = on_problem,
                                  .run_arena = arena };
    struct cl_arena doc_arena;

    cfg->path = cl_arena_strdup(arena, path);
    cfg->dir = cl_arena_strdup(arena, dir);
    if (len > CL_CONFIG_MAX_BYTES) {
        error_pos(&ld, (struct cl_pos){ 0 }, "config file is too big (%zu bytes, at most "
                  "%zu); ignored", len, CL_CONFIG_MAX_BYTES);
        return cfg;
    }
    if (memchr(text, '\0', len)) {
        error_pos(&ld, (struct cl_pos){ 0 }, "config file is not text (it holds a NUL "
                  "byte); ignored");
        return cfg;
    }
    cl_arena_init(&doc_arena);
    if (cl_parse_stream(cfg->path, text, len, NULL, &doc_arena, &sink) < 0)
        error_pos(&ld, (struct cl_pos){ 0 }, "the yaml parser could not be created");
    cl_arena_fini(&doc_arena);
    return cfg;
}

struct cl_config *cl_config_load(struct cl_arena *arena, const char *path, int *errnum)
{
    struct cl_config *cfg;
    struct cl_buf b;
    char *abs, *slash, chunk[65536];
    int fd;
    ssize_t n;
    struct stat st;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        *errnum = fd < 0 ? errno : EISDIR;
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    cl_buf_init(&b);
    cl_buf_adds(&b, "");
    /* read at most one byte past the cap: enough to know it is too big */
    while (b.len <= CL_CONFIG_MAX_BYTES) {
        n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *errnum = errno;
            close(fd);
            cl_buf_fini(&b);
            return NULL;
        }
        if (n == 0)
            break;
        cl_buf_add(&b, chunk, (size_t)n);
    }
    close(fd);
    abs = realpath(path, NULL);
    if (!abs)
        abs = cl_xstrdup("/");
    slash = strrchr(abs, '/');
    if (slash == abs)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    cfg = cl_config_parse(arena, path, abs, b.data, b.len);
    free(abs);
    cl_buf_fini(&b);
    return cfg;
}
