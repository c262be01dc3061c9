/* policy.c -- policy packs: pack.yaml, rule globs, params, selections and severities.
 *
 * pack.yaml is parsed with the project's own parser (cl_parse_stream), so every
 * problem is reported at its line:col as a CL0010 load error of the host; the tree is
 * alive only during the parser's document callback, so the whole pack is loaded from
 * there. The keys are read in a fixed order whatever their order in the file: the
 * rules first, because params, checks and severity name them. */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chartlint.h"
#include "parse.h"
#include "policy.h"
#include "util.h"

#define MANIFEST_MAX_BYTES ((size_t)1 << 20)     /* a pack.yaml is a few lines */
#define RULE_MAX_BYTES ((size_t)4 << 20)         /* one rule file */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n > m && memcmp(s + n - m, suffix, m) == 0;
}

static bool is_kebab(const char *s)
{
    if (!*s || *s == '-')
        return false;
    for (const char *p = s; *p; p++) {
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
            return false;
        if (*p == '-' && (p[1] == '-' || p[1] == '\0'))
            return false;
    }
    return true;
}

/* "1.2.3" (plus an optional -pre-release and +build) into v[3]; false when not. */
static bool parse_semver(const char *s, long v[3], bool strict)
{
    for (int i = 0; i < 3; i++) {
        char *end;

        v[i] = 0;
        if (i > 0) {
            if (*s != '.') {
                if (strict)
                    return false;
                return *s == '\0';
            }
            s++;
        }
        if (!isdigit((unsigned char)*s) || (s[0] == '0' && isdigit((unsigned char)s[1])))
            return false;
        errno = 0;
        v[i] = strtol(s, &end, 10);
        if (errno)
            return false;
        s = end;
    }
    if (*s == '-' || *s == '+') {
        for (s++; *s; s++)
            if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '+')
                return false;
        return true;
    }
    return *s == '\0';
}

static int semver_cmp(const long a[3], const long b[3])
{
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* ---- loading -------------------------------------------------------------------- */

struct loader {
    struct cl_lua *lx;
    struct cl_pack *pack;
    const struct cl_doc *doc;
    char *root;                  /* realpath of the pack directory, or NULL */
    size_t ndocs;
};

static void error_pos(struct loader *ld, struct cl_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_pos(struct loader *ld, struct cl_pos pos, const char *fmt, ...)
{
    struct cl_buf b;
    va_list ap;

    cl_buf_init(&b);
    va_start(ap, fmt);
    cl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (!pos.file)
        pos.file = ld->pack->manifest;
    if (!pos.line)
        pos.line = pos.col = 1;
    cl_lua_add_error(ld->lx, &pos, b.data);
    cl_buf_fini(&b);
}

static void error_at(struct loader *ld, const struct cl_node *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_at(struct loader *ld, const struct cl_node *node, const char *fmt, ...)
{
    struct cl_pos pos = { 0 };
    struct cl_buf b;
    va_list ap;

    if (node && ld->doc)
        pos = cl_doc_pos(ld->doc, node);
    cl_buf_init(&b);
    va_start(ap, fmt);
    cl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    error_pos(ld, pos, "%s", b.data);
    cl_buf_fini(&b);
}

static const char *type_name(const struct cl_node *v)
{
    return !v ? "nothing" : cl_node_is_map(v) ? "a mapping" : cl_node_is_seq(v) ? "a list"
           : cl_node_is_null(v) ? "null" : "a scalar";
}

/* A string scalar (any plain or quoted scalar but null and collections), else an error
 * at the node and NULL. */
static const char *want_string(struct loader *ld, const struct cl_node *node, const char *what)
{
    const struct cl_node *v = cl_node_deref(node);

    if (!v || !cl_node_is_scalar(v) || cl_node_is_null(v)) {
        error_at(ld, node, "%s must be a string, not %s", what, type_name(v));
        return NULL;
    }
    return cl_node_str(v);
}

/* Load one rule file; path is what messages show (dir/rel). */
static void load_rule_file(struct loader *ld, const char *path)
{
    size_t len;
    char *src = cl_read_file(path, RULE_MAX_BYTES, &len);

    if (!src) {
        struct cl_pos pos = { 0 };
        struct cl_buf b;

        pos.file = path;
        pos.line = pos.col = 1;
        cl_buf_init(&b);
        cl_buf_printf(&b, "cannot read rule file: %s",
                      errno == EFBIG ? "too big (at most 4 MiB)" : strerror(errno));
        cl_lua_add_error(ld->lx, &pos, b.data);
        cl_buf_fini(&b);
        return;
    }
    cl_lua_load_rule(ld->lx, path, src, len, ld->pack->name, NULL);
    free(src);
}

/* Without pack.yaml: the *.lua files of dir (sorted); -1 when dir cannot be opened. */
static int load_dir(struct loader *ld, const char *dir)
{
    size_t n;
    char **names = cl_list_dir(dir, &n);

    if (!names)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct cl_buf path;

        if (!ends_with(names[i], ".lua"))
            continue;
        cl_buf_init(&path);
        cl_buf_printf(&path, "%s/%s", dir, names[i]);
        load_rule_file(ld, path.data);
        cl_buf_fini(&path);
    }
    cl_free_names(names, n);
    return 0;
}

/* Is the pattern relative and free of ".." steps? */
static bool pattern_inside(const char *pat)
{
    if (pat[0] == '/' || !*pat)
        return false;
    for (const char *p = pat; *p;) {
        size_t n = strcspn(p, "/");

        if (n == 2 && p[0] == '.' && p[1] == '.')
            return false;
        p += n;
        while (*p == '/')
            p++;
    }
    return true;
}

/* Is path, resolved, inside the pack directory? */
static bool file_inside(struct loader *ld, const char *path)
{
    char *real = realpath(path, NULL);
    size_t n = ld->root ? strlen(ld->root) : 0;
    bool ok = real && n && strncmp(real, ld->root, n) == 0 && real[n] == '/';

    free(real);
    return ok;
}

/* rules: a list of globs (default: rules/ *.lua), each file loaded once, in glob order. */
static void read_rules(struct loader *ld, const struct cl_node *node)
{
    const struct cl_node *v = cl_node_deref(node);
    static const char *const fallback[] = { "rules/*.lua" };
    size_t n = node ? cl_node_len(v) : 1;
    char **seen = NULL;
    size_t nseen = 0;

    if (node && (!v || !cl_node_is_seq(v))) {
        error_at(ld, node, "rules must be a list of files or globs, not %s", type_name(v));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct cl_node *item = node ? cl_node_item(v, i) : NULL;
        const char *pat = item ? want_string(ld, item, "a rules entry") : fallback[0];
        struct cl_buf full;
        glob_t g;
        int rc;

        if (!pat)
            continue;
        if (!pattern_inside(pat)) {
            error_at(ld, item, "rules entry \"%s\" must be a path inside the pack "
                     "(relative, without \"..\")", pat);
            continue;
        }
        cl_buf_init(&full);
        cl_buf_printf(&full, "%s/%s", ld->pack->dir, pat);
        memset(&g, 0, sizeof g);
        rc = glob(full.data, 0, NULL, &g);
        if (rc == GLOB_NOMATCH)
            error_at(ld, item, "rules entry \"%s\" matches no file", pat);
        else if (rc != 0)
            error_at(ld, item, "rules entry \"%s\" cannot be read: %s", pat,
                     rc == GLOB_NOSPACE ? "out of memory" : strerror(errno));
        for (size_t k = 0; rc == 0 && k < g.gl_pathc; k++) {
            const char *path = g.gl_pathv[k];
            struct stat st;
            bool dup = false;

            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            if (!file_inside(ld, path)) {
                error_at(ld, item, "rules entry \"%s\": \"%s\" is outside the pack", pat,
                         path + strlen(ld->pack->dir) + 1);
                continue;
            }
            for (size_t j = 0; j < nseen && !dup; j++)
                dup = strcmp(seen[j], path) == 0;
            if (dup)
                continue;
            seen = cl_xrealloc(seen, (nseen + 1) * sizeof *seen);
            seen[nseen++] = cl_xstrdup(path);
            load_rule_file(ld, path);
        }
        globfree(&g);
        cl_buf_fini(&full);
    }
    for (size_t j = 0; j < nseen; j++)
        free(seen[j]);
    free(seen);
}

/* A rule of this pack by id, with or without the "pack." prefix; NULL when none. */
static const struct cl_check *pack_rule(struct cl_lua *lx, const struct cl_pack *pack,
                                        const char *id)
{
    size_t n = strlen(pack->name);

    for (size_t i = 0; i < pack->nrules; i++) {
        const struct cl_check *c = cl_lua_check(lx, pack->first + i);

        if (strcmp(c->name, id) == 0 ||
            (strcmp(c->name + n + 1, id) == 0) || strcmp(c->code, id) == 0)
            return c;
    }
    return NULL;
}

/* A check a pack may select or re-grade: one of its rules, a built-in Lua rule of the
 * host, or a C check of the registry. */
static const struct cl_check *resolve(struct cl_lua *lx, const struct cl_pack *pack,
                                      const char *id)
{
    const struct cl_check *c = pack_rule(lx, pack, id);

    if (!c)
        c = cl_lua_find(lx, id);
    if (!c)
        c = cl_check_find(id);
    return c;
}

/* A param value as cl_param's string form: a scalar's text, or a list's items joined
 * with ','. NULL (after an error) for anything else. */
static char *param_value(struct loader *ld, const struct cl_node *node, const char *what)
{
    const struct cl_node *v = cl_node_deref(node);
    struct cl_buf b;
    char *out;

    if (v && cl_node_is_scalar(v))
        return cl_lua_strdup(ld->lx, cl_node_is_null(v) ? "" : cl_node_str(v));
    if (!v || !cl_node_is_seq(v)) {
        error_at(ld, node, "%s must be a scalar or a list of scalars, not %s", what,
                 type_name(v));
        return NULL;
    }
    cl_buf_init(&b);
    cl_buf_addc(&b, '\0');
    b.len = 0;
    for (size_t i = 0; i < cl_node_len(v); i++) {
        const struct cl_node *item = cl_node_deref(cl_node_item(v, i));

        if (!item || !cl_node_is_scalar(item) || cl_node_is_null(item)) {
            error_at(ld, cl_node_item(v, i), "%s: list items must be scalars, not %s", what,
                     type_name(item));
            cl_buf_fini(&b);
            return NULL;
        }
        cl_buf_printf(&b, "%s%s", i ? "," : "", cl_node_str(item));
    }
    out = cl_lua_strdup(ld->lx, b.data);
    cl_buf_fini(&b);
    return out;
}

/* params: { rule-id: { param: value } } */
static void read_params(struct loader *ld, const struct cl_node *node)
{
    const struct cl_node *v = cl_node_deref(node);

    if (!v || !cl_node_is_map(v)) {
        error_at(ld, node, "params must map rule ids to their params, not %s", type_name(v));
        return;
    }
    for (size_t i = 0; i < cl_node_len(v); i++) {
        const struct cl_node *key = cl_node_key(v, i), *val = cl_node_value(v, i);
        const struct cl_node *m = cl_node_deref(val);
        const char *id = cl_node_str(key);

        if (!id) {
            error_at(ld, key, "params: a rule id must be a string");
            continue;
        }
        if (!pack_rule(ld->lx, ld->pack, id)) {
            error_at(ld, key, "params: \"%s\" is not a rule of pack \"%s\"", id,
                     ld->pack->name);
            continue;
        }
        if (!m || !cl_node_is_map(m)) {
            error_at(ld, val, "params of \"%s\" must map param names to values, not %s", id,
                     type_name(m));
            continue;
        }
        for (size_t j = 0; j < cl_node_len(m); j++) {
            const struct cl_node *pk = cl_node_key(m, j);
            const char *name = cl_node_str(pk), *err = NULL;
            char *value;

            if (!name) {
                error_at(ld, pk, "params of \"%s\": a param name must be a string", id);
                continue;
            }
            value = param_value(ld, cl_node_value(m, j), name);
            if (value && cl_policy_set_param(ld->lx, ld->pack, id, name, value, &err) < 0)
                error_at(ld, pk, "%s", err);
        }
    }
}

/* A list of check ids into a NULL-terminated list of their names. */
static const char **read_ids(struct loader *ld, const struct cl_node *node, const char *what)
{
    const struct cl_node *v = cl_node_deref(node);
    size_t n = v && cl_node_is_seq(v) ? cl_node_len(v) : 0, k = 0;
    const char **out = cl_lua_alloc(ld->lx, (n + 1) * sizeof *out);

    if (!v || !cl_node_is_seq(v)) {
        error_at(ld, node, "%s must be a list of check ids, not %s", what, type_name(v));
        return out;
    }
    for (size_t i = 0; i < n; i++) {
        const char *id = want_string(ld, cl_node_item(v, i), what);
        const struct cl_check *c = id ? resolve(ld->lx, ld->pack, id) : NULL;

        if (id && !c)
            error_at(ld, cl_node_item(v, i), "%s: unknown check \"%s\" (see `chartlint "
                     "rules`)", what, id);
        else if (c)
            out[k++] = c->name;
    }
    return out;
}

static void read_checks(struct loader *ld, const struct cl_node *node)
{
    const struct cl_node *v = cl_node_deref(node);

    if (!v || !cl_node_is_map(v)) {
        error_at(ld, node, "checks must be a mapping with enable and disable, not %s",
                 type_name(v));
        return;
    }
    for (size_t i = 0; i < cl_node_len(v); i++) {
        const struct cl_node *key = cl_node_key(v, i);
        const char *k = cl_node_str(key);

        if (k && strcmp(k, "enable") == 0)
            ld->pack->enable = read_ids(ld, cl_node_value(v, i), "checks.enable");
        else if (k && strcmp(k, "disable") == 0)
            ld->pack->disable = read_ids(ld, cl_node_value(v, i), "checks.disable");
        else
            error_at(ld, key, "checks: unknown key \"%s\" (expected enable or disable)",
                     k ? k : "");
    }
}

static void read_severity(struct loader *ld, const struct cl_node *node)
{
    const struct cl_node *v = cl_node_deref(node);
    size_t n = v && cl_node_is_map(v) ? cl_node_len(v) : 0;
    struct cl_pack *pack = ld->pack;

    if (!v || !cl_node_is_map(v)) {
        error_at(ld, node, "severity must map check ids to error, warning or info, not %s",
                 type_name(v));
        return;
    }
    pack->sev_check = cl_lua_alloc(ld->lx, (n ? n : 1) * sizeof *pack->sev_check);
    pack->sev = cl_lua_alloc(ld->lx, (n ? n : 1) * sizeof *pack->sev);
    for (size_t i = 0; i < n; i++) {
        const struct cl_node *key = cl_node_key(v, i);
        const char *id = cl_node_str(key);
        const char *s = want_string(ld, cl_node_value(v, i), "a severity");
        const struct cl_check *c = id ? resolve(ld->lx, pack, id) : NULL;
        enum cl_severity sev = s ? cl_severity_parse(s) : CL_SEV_NONE;

        if (!c) {
            error_at(ld, key, "severity: unknown check \"%s\" (see `chartlint rules`)",
                     id ? id : "");
            continue;
        }
        if (!s)
            continue;
        if (sev == CL_SEV_NONE) {
            error_at(ld, cl_node_value(v, i), "severity of \"%s\" must be error, warning or "
                     "info, not \"%s\"", id, s);
            continue;
        }
        pack->sev_check[pack->nsev] = c;
        pack->sev[pack->nsev++] = sev;
    }
}

static const char *const top_keys[] = {
    "name", "version", "description", "chartlint", "rules", "params", "checks", "severity",
    NULL,
};

/* The minimum version: ">= X[.Y[.Z]]" (or a bare version, read the same way). false
 * when it asks for a newer chartlint than this one (or cannot be read). */
static bool version_ok(struct loader *ld, const struct cl_node *node)
{
    const char *s = want_string(ld, node, "chartlint");
    long want[3], have[3];

    if (!s)
        return true;
    while (*s == ' ')
        s++;
    if (s[0] == '>' && s[1] == '=')
        s += 2;
    else if (!isdigit((unsigned char)*s)) {
        error_at(ld, node, "chartlint must be a minimum version \">= X.Y.Z\", not \"%s\"", s);
        return true;
    }
    while (*s == ' ')
        s++;
    if (!parse_semver(s, want, false)) {
        error_at(ld, node, "chartlint must be a minimum version \">= X.Y.Z\", not \"%s\"", s);
        return true;
    }
    if (!parse_semver(CHARTLINT_VERSION, have, false))
        return true;
    if (semver_cmp(have, want) < 0) {
        error_at(ld, node, "pack \"%s\" needs chartlint >= %s, this is %s: the pack is not "
                 "loaded", ld->pack->name, s, CHARTLINT_VERSION);
        return false;
    }
    return true;
}

static void read_top(struct loader *ld, const struct cl_node *root)
{
    const struct cl_node *v = cl_node_deref(root);
    const struct cl_node *name = NULL, *version = NULL, *desc = NULL, *min = NULL;
    const struct cl_node *rules = NULL, *params = NULL, *checks = NULL, *severity = NULL;
    struct cl_pack *pack = ld->pack;
    const char *s;
    long ver[3];

    if (!v || !cl_node_is_map(v)) {
        error_at(ld, root, "pack.yaml must be a mapping with name, version and description, "
                 "not %s", type_name(v));
        read_rules(ld, NULL);
        pack->nrules = cl_lua_ncheck(ld->lx) - pack->first;
        return;
    }
    for (size_t i = 0; i < cl_node_len(v); i++) {
        const struct cl_node *key = cl_node_key(v, i), *val = cl_node_value(v, i);
        const char *k = cl_node_str(key);
        size_t t = 0;

        while (top_keys[t] && !(k && strcmp(k, top_keys[t]) == 0))
            t++;
        switch (t) {
        case 0: name = val; break;
        case 1: version = val; break;
        case 2: desc = val; break;
        case 3: min = val; break;
        case 4: rules = val; break;
        case 5: params = val; break;
        case 6: checks = val; break;
        case 7: severity = val; break;
        default:
            error_at(ld, key, "unknown key \"%s\" (expected name, version, description, "
                     "chartlint, rules, params, checks or severity)", k ? k : "");
        }
    }
    if (!name)
        error_at(ld, root, "missing \"name\" (the pack's kebab-case name)");
    else if ((s = want_string(ld, name, "name")) && !is_kebab(s))
        error_at(ld, name, "name \"%s\" must be kebab-case (a-z, 0-9 and single '-')", s);
    else if (s)
        pack->name = cl_lua_strdup(ld->lx, s);
    if (!version)
        error_at(ld, root, "missing \"version\" (a semantic version: 1.0.0)");
    else if ((s = want_string(ld, version, "version")) && !parse_semver(s, ver, true))
        error_at(ld, version, "version \"%s\" is not a semantic version (1.2.0)", s);
    else if (s)
        pack->version = cl_lua_strdup(ld->lx, s);
    if (!desc)
        error_at(ld, root, "missing \"description\" (one line)");
    else if ((s = want_string(ld, desc, "description")) && strchr(s, '\n'))
        error_at(ld, desc, "description must be one line");
    else if (s)
        pack->description = cl_lua_strdup(ld->lx, s);
    if (min && !version_ok(ld, min))
        return;
    read_rules(ld, rules);
    pack->nrules = cl_lua_ncheck(ld->lx) - pack->first;
    if (params)
        read_params(ld, params);
    if (checks)
        read_checks(ld, checks);
    if (severity)
        read_severity(ld, severity);
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
        error_pos(ld, pos, "only the first document of pack.yaml is read");
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

        error_pos(ld, cl_doc_pos(doc, node), "key \"%s\" is given twice", k ? k : "");
    }
}

static void load_manifest(struct loader *ld, const char *text, size_t len)
{
    struct cl_parse_sink sink = { .ud = ld, .doc = on_doc, .problem = on_problem };
    struct cl_arena doc_arena;

    if (memchr(text, '\0', len)) {
        error_pos(ld, (struct cl_pos){ 0 }, "pack.yaml is not text (it holds a NUL byte)");
        return;
    }
    cl_arena_init(&doc_arena);
    if (cl_parse_stream(ld->pack->manifest, text, len, NULL, &doc_arena, &sink) < 0)
        error_pos(ld, (struct cl_pos){ 0 }, "the yaml parser could not be created");
    cl_arena_fini(&doc_arena);
    if (ld->ndocs == 0) {
        error_pos(ld, (struct cl_pos){ 0 }, "pack.yaml is empty (it needs name, version "
                  "and description)");
        read_rules(ld, NULL);
        ld->pack->nrules = cl_lua_ncheck(ld->lx) - ld->pack->first;
    }
}

const struct cl_pack *cl_policy_load(struct cl_lua *lx, const char *dir, const char **err)
{
    static char msg[512];
    struct loader ld = { 0 };
    struct cl_pack *pack;
    struct cl_buf path;
    struct stat st;
    size_t len = strlen(dir);
    const char *slash;
    char *base, *text;

    while (len > 1 && dir[len - 1] == '/')
        len--;
    base = cl_xstrndup(dir, len);
    if (stat(base, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(msg, sizeof msg, "cannot read policy pack \"%s\": %s", dir,
                 stat(base, &st) != 0 ? strerror(errno) : "not a directory");
        *err = msg;
        free(base);
        return NULL;
    }
    pack = cl_lua_alloc(lx, sizeof *pack);
    pack->dir = cl_lua_strdup(lx, base);
    slash = strrchr(base, '/');
    pack->name = cl_lua_strdup(lx, slash ? slash + 1 : base);
    pack->first = cl_lua_ncheck(lx);
    ld.lx = lx;
    ld.pack = pack;
    ld.root = realpath(base, NULL);
    cl_buf_init(&path);
    cl_buf_printf(&path, "%s/pack.yaml", base);
    text = cl_read_file(path.data, MANIFEST_MAX_BYTES, &len);
    if (text) {
        pack->manifest = cl_lua_strdup(lx, path.data);
        load_manifest(&ld, text, len);
    } else if (errno == ENOENT) {
        /* no pack.yaml: every *.lua of dir and of dir/rules */
        cl_buf_reset(&path);
        cl_buf_printf(&path, "%s/rules", base);
        if (load_dir(&ld, base) == 0)
            load_dir(&ld, path.data);
        pack->nrules = cl_lua_ncheck(lx) - pack->first;
    } else {
        struct cl_pos pos = { 0 };

        pack->manifest = cl_lua_strdup(lx, path.data);
        pos.file = pack->manifest;
        error_pos(&ld, pos, "cannot read pack.yaml: %s",
                  errno == EFBIG ? "too big (at most 1 MiB)" : strerror(errno));
    }
    free(text);
    cl_buf_fini(&path);
    free(ld.root);
    free(base);
    cl_lua_pack_add(lx, pack);
    return pack;
}

int cl_policy_load_pack(struct cl_lua *lx, const char *dir, const char **err)
{
    return cl_policy_load(lx, dir, err) ? 0 : -1;
}

/* ---- params --------------------------------------------------------------------- */

static char *param_error;

static const char *set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *set_error(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = cl_xvasprintf(fmt, ap); /* the arguments may quote the last message */
    va_end(ap);
    free(param_error);
    param_error = msg;
    return param_error;
}

static void param_error_free(void)
{
    free(param_error);
    param_error = NULL;
}

/* Does value suit a param of type t? */
static bool value_fits(enum cl_param_type t, const char *value)
{
    char *end;

    switch (t) {
    case CL_PARAM_INT:
        errno = 0;
        (void)strtoll(value, &end, 10);
        return *value && !*end && !errno;
    case CL_PARAM_BOOL:
        return strcmp(value, "true") == 0 || strcmp(value, "false") == 0;
    default:
        return true;
    }
}

int cl_policy_set_param(struct cl_lua *lx, const struct cl_pack *pack, const char *rule,
                        const char *param, const char *value, const char **err)
{
    static bool registered;
    const struct cl_check *c = pack_rule(lx, pack, rule);
    const struct cl_param *decl = NULL;

    if (!registered) {
        atexit(param_error_free);
        registered = true;
    }
    if (!c) {
        *err = set_error("\"%s\" is not a rule of pack \"%s\"", rule, pack->name);
        return -1;
    }
    for (const struct cl_param *p = c->params; p && p->name && !decl; p++)
        if (strcmp(p->name, param) == 0)
            decl = p;
    if (!decl) {
        struct cl_buf b;

        cl_buf_init(&b);
        for (const struct cl_param *p = c->params; p && p->name; p++)
            cl_buf_printf(&b, "%s%s", b.len ? ", " : "", p->name);
        *err = set_error("rule \"%s\" has no param \"%s\" (%s%s)", c->name, param,
                         b.len ? "it has: " : "it has none", b.len ? b.data : "");
        cl_buf_fini(&b);
        return -1;
    }
    if (!value_fits(decl->type, value)) {
        *err = set_error("param \"%s\" of \"%s\" takes %s, not \"%s\"", param, c->name,
                         decl->type == CL_PARAM_INT ? "an integer" : "true or false", value);
        return -1;
    }
    if (cl_lua_set_param(lx, c, param, value) < 0) {
        *err = set_error("rule \"%s\" has no param \"%s\"", c->name, param);
        return -1;
    }
    return 0;
}

int cl_policy_param_arg(struct cl_lua *lx, const char *arg, const char **err)
{
    const char *eq = strchr(arg, '='), *dot1 = strchr(arg, '.'), *dot2;
    const struct cl_pack *pack = NULL;
    char *name, *rule, *param;
    int rc;

    dot2 = dot1 && eq ? memchr(dot1 + 1, '.', (size_t)(eq - dot1 - 1)) : NULL;
    /* the param is after the last dot before '=' (rule ids have no dots) */
    if (dot2)
        for (const char *p = dot2 + 1; p < eq; p++)
            if (*p == '.')
                dot2 = p;
    if (!eq || !dot1 || !dot2 || dot1 > eq || dot1 == arg || dot2 == dot1 + 1 ||
        dot2 + 1 == eq) {
        *err = set_error("invalid --policy-param \"%s\" (expected PACK.RULE.PARAM=VALUE)", arg);
        return -1;
    }
    name = cl_xstrndup(arg, (size_t)(dot1 - arg));
    rule = cl_xstrndup(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    param = cl_xstrndup(dot2 + 1, (size_t)(eq - dot2 - 1));
    for (size_t i = 0; i < cl_lua_npacks(lx) && !pack; i++)
        if (strcmp(cl_lua_pack(lx, i)->name, name) == 0)
            pack = cl_lua_pack(lx, i);
    if (!pack) {
        *err = set_error("--policy-param \"%s\": no pack \"%s\" is loaded (load it with "
                         "--policy DIR)", arg, name);
        rc = -1;
    } else if ((rc = cl_policy_set_param(lx, pack, rule, param, eq + 1, err)) < 0) {
        *err = set_error("--policy-param \"%s\": %s", arg, *err);
    }
    free(name);
    free(rule);
    free(param);
    return rc;
}

const struct cl_pack *cl_policy_pack_of(const struct cl_lua *lx, const struct cl_check *rule)
{
    for (size_t i = 0; i < cl_lua_npacks(lx); i++) {
        const struct cl_pack *p = cl_lua_pack(lx, i);

        for (size_t j = 0; j < p->nrules; j++)
            if (cl_lua_check(lx, p->first + j) == rule)
                return p;
    }
    return NULL;
}
