/* load.c -- stage 1 for charts: read a Helm chart into struct cl_chart (see load.h).
 *
 * Mirrors Helm's loader (pkg/chart/loader) in two steps. First the chart's files are
 * gathered as a flat list of (name relative to the chart root, display path, bytes):
 * from a directory walk that applies .helmignore and never leaves the chart root, or
 * from a .tgz whose top folder is stripped. Then a job turns such a list into a chart:
 * Chart.yaml is parsed (its tree copied into the load arena so positions stay), files
 * are classified, and every entry under charts/ becomes a new job (a directory's files,
 * or an archive read into a list). Jobs run from a FIFO queue, so nested subcharts cost
 * no recursion and their depth is bounded.
 *
 * All results live in ld->arena; temporary lists are heap memory freed per job. */
#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "tar.h"
#include "util.h"
#include "values.h"

/* ---- problems ---- */

static void vproblem(struct cl_load *ld, enum cl_load_problem_kind kind, const char *file,
                     uint32_t line, uint32_t col,
                     uint32_t end_line, uint32_t end_col, const char *fmt, va_list ap)
{
    struct cl_load_problem *p;

    if (ld->nproblems == ld->cap) {
        ld->cap = ld->cap ? ld->cap * 2 : 16;
        ld->problems = cl_xrealloc(ld->problems, ld->cap * sizeof *ld->problems);
    }
    p = &ld->problems[ld->nproblems++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->pos.file = file;
    p->pos.line = line;
    p->pos.col = col;
    p->pos.end_line = end_line;
    p->pos.end_col = end_col;
    p->message = cl_arena_vprintf(&ld->arena, fmt, ap);
}

static void problem(struct cl_load *ld, enum cl_load_problem_kind kind, const char *file,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void node_problem(struct cl_load *ld, enum cl_load_problem_kind kind, const char *file,
                         const struct cl_node *node, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A whole-file problem: file:1:1. */
static void problem(struct cl_load *ld, enum cl_load_problem_kind kind, const char *file,
                    const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vproblem(ld, kind, file, 1, 1, 0, 0, fmt, ap);
    va_end(ap);
}

static void node_problem(struct cl_load *ld, enum cl_load_problem_kind kind, const char *file,
                         const struct cl_node *node, const char *fmt, ...)
{
    va_list ap;

    /* A node without a position (an empty scalar) points at its nearest ancestor. */
    while (node && node->line == 0)
        node = node->parent;
    va_start(ap, fmt);
    if (node)
        vproblem(ld, kind, file, node->line, node->col, node->end_line, node->end_col, fmt,
                 ap);
    else
        vproblem(ld, kind, file, 1, 1, 0, 0, fmt, ap);
    va_end(ap);
}

/* ---- small helpers ---- */

struct rawfile {
    const char *name;              /* relative to the chart root */
    const char *path;              /* display path */
    const char *data;              /* arena, NUL-terminated */
    size_t len;
};

struct rawlist {
    struct rawfile *v;             /* heap */
    size_t n, cap;
};

static void raw_push(struct rawlist *l, const char *name, const char *path, const char *data,
                     size_t len)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = cl_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n].name = name;
    l->v[l->n].path = path;
    l->v[l->n].data = data;
    l->v[l->n].len = len;
    l->n++;
}

static char *join(struct cl_arena *a, const char *dir, const char *name)
{
    size_t dn, nn, slash;
    char *p;

    if (!dir || !*dir || strcmp(dir, ".") == 0)
        return cl_arena_strdup(a, name);
    dn = strlen(dir);
    nn = strlen(name);
    slash = dir[dn - 1] != '/';
    p = cl_arena_alloc(a, dn + slash + nn + 1);
    memcpy(p, dir, dn);
    p[dn] = '/';                        /* overwritten by name when no slash is due */
    memcpy(p + dn + slash, name, nn + 1);
    return p;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static const char *base_name(const char *s)
{
    const char *b = strrchr(s, '/');
    return b ? b + 1 : s;
}

/* Copy file data into the arena without a UTF-8 BOM (as Helm). */
static const char *keep_data(struct cl_load *ld, const char *data, size_t len, size_t *outlen)
{
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        len -= 3;
    }
    *outlen = len;
    return cl_arena_strndup(&ld->arena, data, len);
}

/* Count n bytes against the load's budget; false (and one problem) once it is spent. */
static bool budget(struct cl_load *ld, const char *file, uint64_t n)
{
    if (ld->used > ld->limits.max_total || n > ld->limits.max_total - ld->used) {
        if (ld->used <= ld->limits.max_total)
            problem(ld, CL_LOAD_CONTENT, file, "chart is larger than the maximum size %llu bytes",
                    (unsigned long long)ld->limits.max_total);
        ld->used = ld->limits.max_total + 1;
        return false;
    }
    ld->used += n;
    return true;
}

/* Read a regular file (path, relative to the directory dfd or AT_FDCWD) into the arena
 * (BOM removed), straight into its final place (no heap copy in between: fewer fresh
 * pages). nofollow refuses a symbolic link, for a name the directory listing said was a
 * regular file. 0, or -1 with a problem. */
static int read_file(struct cl_load *ld, int dfd, const char *path, const char *display,
                     const char **data, size_t *len, bool nofollow)
{
    int fd = openat(dfd, path,
                    O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
    struct stat st;
    char *buf;
    size_t got = 0, size;

    if (fd < 0) {
        problem(ld, CL_LOAD_ENV, display, "cannot read: %s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        problem(ld, CL_LOAD_ENV, display, "cannot read: not a regular file");
        close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size > ld->limits.max_file) {
        problem(ld, CL_LOAD_CONTENT, display, "file is larger than the maximum file size %llu bytes",
                (unsigned long long)ld->limits.max_file);
        close(fd);
        return -1;
    }
    if (!budget(ld, display, (uint64_t)st.st_size)) {
        close(fd);
        return -1;
    }
    size = (size_t)st.st_size;
    buf = cl_arena_alloc(&ld->arena, size + 1);
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            problem(ld, CL_LOAD_ENV, display, "cannot read: %s", strerror(errno));
            close(fd);
            return -1;
        }
        if (n == 0)
            break;                     /* the file shrank: keep what is there */
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    if (got >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        buf += 3;                      /* the BOM, as keep_data() drops it */
        got -= 3;
    }
    *data = buf;
    *len = got;
    return 0;
}

/* ---- copying a parsed tree into the load arena ---- */

struct ptrmap {
    const void **keys;
    void **vals;
    size_t cap, n;
};

static size_t ptr_hash(const void *p, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x & (cap - 1);
}

static void ptrmap_put(struct ptrmap *m, const void *k, void *v)
{
    size_t i;

    if ((m->n + 1) * 2 > m->cap) {
        struct ptrmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 64;
        m->keys = cl_xcalloc(m->cap, sizeof *m->keys);
        m->vals = cl_xcalloc(m->cap, sizeof *m->vals);
        m->n = 0;
        for (size_t j = 0; j < old.cap; j++)
            if (old.keys[j])
                ptrmap_put(m, old.keys[j], old.vals[j]);
        free(old.keys);
        free(old.vals);
    }
    for (i = ptr_hash(k, m->cap); m->keys[i] && m->keys[i] != k; i = (i + 1) & (m->cap - 1))
        ;
    if (!m->keys[i])
        m->n++;
    m->keys[i] = k;
    m->vals[i] = v;
}

static void *ptrmap_get(const struct ptrmap *m, const void *k)
{
    if (!m->cap)
        return NULL;
    for (size_t i = ptr_hash(k, m->cap); m->keys[i]; i = (i + 1) & (m->cap - 1))
        if (m->keys[i] == k)
            return m->vals[i];
    return NULL;
}

struct copy_item {
    const struct cl_node *src;
    struct cl_node **slot;
    struct cl_node *parent;
};

/* Deep copy of a document tree into a (iteratively; aliases re-pointed at the copies of
 * their anchored nodes). Offsets still refer to the document's input buffer. */
static struct cl_node *tree_copy(struct cl_arena *a, const struct cl_node *root)
{
    struct copy_item *stack = NULL;
    size_t n = 0, cap = 0, nalias = 0, alias_cap = 0;
    struct cl_node **aliases = NULL;
    struct ptrmap anchors = { 0 };
    struct cl_node *result = NULL;

    if (!root)
        return NULL;
    cap = 64;
    stack = cl_xmalloc(cap * sizeof *stack);
    stack[n++] = (struct copy_item){ root, &result, NULL };
    while (n > 0) {
        struct copy_item it = stack[--n];
        struct cl_node *c = cl_arena_alloc(a, sizeof *c);

        *c = *it.src;
        c->parent = it.parent;
        c->tag = cl_arena_strdup(a, it.src->tag);
        *it.slot = c;
        if (it.src->flags & CL_NODE_ANCHORED)
            ptrmap_put(&anchors, it.src, c);
        switch (it.src->type) {
        case CL_NODE_SCALAR:
            c->u.scalar.str = it.src->u.scalar.str
                ? cl_arena_strndup(a, it.src->u.scalar.str, it.src->u.scalar.len) : "";
            break;
        case CL_NODE_MAP:
        case CL_NODE_SEQ: {
            size_t k = it.src->type == CL_NODE_MAP ? 2 * it.src->u.coll.n : it.src->u.coll.n;
            c->u.coll.items = k ? cl_arena_alloc(a, k * sizeof *c->u.coll.items) : NULL;
            if (n + k > cap) {
                while (n + k > cap)
                    cap *= 2;
                stack = cl_xrealloc(stack, cap * sizeof *stack);
            }
            for (size_t i = k; i-- > 0;) {
                c->u.coll.items[i] = NULL;
                stack[n++] = (struct copy_item){ it.src->u.coll.items[i], &c->u.coll.items[i], c };
            }
            break;
        }
        case CL_NODE_ALIAS:
            if (nalias == alias_cap) {
                alias_cap = alias_cap ? alias_cap * 2 : 16;
                aliases = cl_xrealloc(aliases, alias_cap * sizeof *aliases);
            }
            aliases[nalias++] = c;
            break;
        }
    }
    for (size_t i = 0; i < nalias; i++)
        aliases[i]->u.target = ptrmap_get(&anchors, aliases[i]->u.target);
    free(stack);
    free(aliases);
    free(anchors.keys);
    free(anchors.vals);
    return result;
}

/* ---- YAML files of the chart ---- */

struct yaml_ctx {
    struct cl_load *ld;
    const char *file;
    struct cl_node *root;
    bool got;
};

static void on_doc(void *ud, struct cl_doc *doc)
{
    struct yaml_ctx *y = ud;

    if (y->got)
        return;                        /* Helm reads the first document only */
    y->got = true;
    y->root = tree_copy(&y->ld->arena, doc->root);
}

static void on_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                       const struct cl_node *node, const struct cl_node *other,
                       const struct cl_pos *pos, const char *msg)
{
    struct yaml_ctx *y = ud;

    (void)doc;
    if (kind == CL_PARSE_DUPLICATE_KEY && node) {
        node_problem(y->ld, CL_LOAD_DUPLICATE_KEY, y->file, node, "duplicate key \"%s\" in %s (first at line %u)",
                     cl_node_str(node) ? cl_node_str(node) : "", base_name(y->file),
                     other ? (unsigned)other->line : 0u);
        return;
    }
    {
        uint32_t line = pos && pos->line ? pos->line : 1, col = pos && pos->col ? pos->col : 1;
        struct cl_node at = { 0 };
        at.line = line;
        at.col = col;
        node_problem(y->ld, CL_LOAD_SYNTAX, y->file, &at, "cannot parse %s: %s", base_name(y->file),
                     msg ? msg : "syntax error");
    }
}

/* Has a mapping of the tree two keys of the same text (what cl_parse_stream reports as
 * duplicates)? Also true for a mapping too large to compare pairwise. */
static bool has_dup_keys(const struct cl_node *root)
{
    const struct cl_node **st = cl_xmalloc(16 * sizeof *st);
    size_t n = 0, cap = 16;
    bool dup = false;

    st[n++] = root;
    while (n && !dup) {
        const struct cl_node *x = st[--n];
        size_t k;

        if (x->type != CL_NODE_MAP && x->type != CL_NODE_SEQ)
            continue;
        k = x->type == CL_NODE_MAP ? 2 * x->u.coll.n : x->u.coll.n;
        if (x->type == CL_NODE_MAP) {
            if (x->u.coll.n > 64)
                dup = true;
            for (size_t i = 1; i < x->u.coll.n && !dup; i++)
                for (size_t j = 0; j < i && !dup; j++) {
                    const struct cl_node *a = x->u.coll.items[2 * i], *b = x->u.coll.items[2 * j];

                    dup = a->type == CL_NODE_SCALAR && b->type == CL_NODE_SCALAR &&
                          a->u.scalar.len == b->u.scalar.len &&
                          memcmp(a->u.scalar.str, b->u.scalar.str, a->u.scalar.len) == 0;
                }
        }
        if (n + k > cap) {
            while (n + k > cap)
                cap *= 2;
            st = cl_xrealloc(st, cap * sizeof *st);
        }
        for (size_t i = 0; i < k; i++)
            st[n++] = x->u.coll.items[i];
    }
    free(st);
    return dup;
}

/* Parse a chart YAML file; the first document's root copied into the arena, or NULL
 * (empty, or unparsable: problems recorded). Plain files without duplicate keys are
 * read by cl_values_quick (the same tree), the rest by libfyaml. */
static const struct cl_node *parse_yaml(struct cl_load *ld, const struct cl_chart_file *f)
{
    struct yaml_ctx y = { ld, f->path, NULL, false };
    struct cl_parse_sink sink;
    struct cl_arena doc_arena;
    const struct cl_node *root;

    memset(&sink, 0, sizeof sink);
    sink.ud = &y;
    sink.doc = on_doc;
    sink.problem = on_problem;
    cl_arena_init(&doc_arena);
    if ((root = cl_values_quick(&doc_arena, f->data, f->len)) != NULL && !has_dup_keys(root)) {
        y.root = tree_copy(&ld->arena, root);
        cl_arena_fini(&doc_arena);
        return y.root;
    }
    cl_arena_reset(&doc_arena);
    if (cl_parse_stream(f->path, f->data, f->len, NULL, &doc_arena, &sink) < 0)
        problem(ld, CL_LOAD_SYNTAX, f->path, "cannot parse %s", base_name(f->path));
    cl_arena_fini(&doc_arena);
    return y.root;
}

/* ---- Chart.yaml fields ---- */

static const char *field_path(struct cl_load *ld, const struct cl_node *root,
                              const struct cl_node *node)
{
    return cl_node_path(&ld->arena, root, node, NULL);
}

/* Go's strconv.FormatFloat(v, 'g', -1, 32): the shortest digits that read back as the
 * same float32, in %e form when the exponent is < -4 or >= 6 (Go's rule for shortest). */
static const char *go_float32_g(struct cl_arena *a, const char *text)
{
    char clean[64], buf[64], digits[16];
    size_t n = 0, nd = 0;
    float f;
    int dp, p;
    bool neg;
    struct cl_buf out;
    char *res;

    for (const char *t = text; *t && n < sizeof clean - 1; t++)
        if (*t != '_')
            clean[n++] = *t;
    clean[n] = '\0';
    if (strcasestr(clean, "nan"))
        return "NaN";
    if (strcasestr(clean, "inf"))
        return clean[0] == '-' ? "-Inf" : "+Inf";
    f = (float)strtod(clean, NULL);
    if (f != f)
        return "NaN";
    if (f > 3.4e38f || f < -3.4e38f)
        return f < 0 ? "-Inf" : "+Inf";
    neg = signbit(f);
    if (f == 0.0f)
        return neg ? "-0" : "0";
    for (p = 1; p <= 9; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, (double)f);
        if ((float)strtod(buf, NULL) == f)
            break;
    }
    /* buf is "-d.ddde+XX": collect the digits and the decimal exponent. */
    {
        const char *q = buf + (buf[0] == '-');
        for (; *q && *q != 'e'; q++)
            if (*q >= '0' && *q <= '9' && nd < sizeof digits - 1)
                digits[nd++] = *q;
        dp = atoi(q + 1) + 1;
    }
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    cl_buf_init(&out);
    if (neg)
        cl_buf_addc(&out, '-');
    if (dp - 1 < -4 || dp - 1 >= 6) {
        int e = dp - 1;
        cl_buf_addc(&out, digits[0]);
        if (nd > 1) {
            cl_buf_addc(&out, '.');
            cl_buf_adds(&out, digits + 1);
        }
        cl_buf_printf(&out, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    } else if (dp <= 0) {
        cl_buf_adds(&out, "0.");
        for (int i = 0; i < -dp; i++)
            cl_buf_addc(&out, '0');
        cl_buf_adds(&out, digits);
    } else {
        for (int i = 0; i < dp; i++)
            cl_buf_addc(&out, (size_t)i < nd ? digits[i] : '0');
        if ((size_t)dp < nd) {
            cl_buf_addc(&out, '.');
            cl_buf_adds(&out, digits + dp);
        }
    }
    res = cl_arena_strdup(a, out.data);
    cl_buf_fini(&out);
    return res;
}

/* The text Helm sees for a scalar read into a Go string field (sigs.k8s.io/yaml): a
 * string as written, a bool as "true"/"false", an int in decimal, a float through
 * float32 ("1.10" -> "1.1"). */
static const char *scalar_text(struct cl_arena *a, const struct cl_node *d)
{
    const char *s = cl_node_string(d);
    long long i;
    bool b;

    if (s)
        return s;
    if (cl_node_bool(d, &b))
        return b ? "true" : "false";
    if (cl_node_int(d, &i))
        return cl_arena_printf(a, "%lld", i);
    if (cl_node_is_number(d))
        return go_float32_g(a, d->u.scalar.str);
    return d->u.scalar.str;
}

/* A Chart.yaml field as Go's decoders find it: keys match the field name ignoring ASCII
 * case ("Name" sets name), and among several such keys the last in byte order wins (the
 * YAML is re-encoded as JSON with sorted keys, and the last JSON key is kept); the same
 * key twice: the later one. Merge keys count when no own key matches. */
static const struct cl_node *get_field(const struct cl_node *map, const char *key)
{
    const struct cl_node *m = cl_node_deref(map), *best = NULL;
    const char *best_key = NULL;

    if (!m || m->type != CL_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < m->u.coll.n; i++) {
        const char *k = cl_node_str(cl_node_key(m, i));
        if (k && strcasecmp(k, key) == 0 && (!best_key || strcmp(k, best_key) >= 0)) {
            best_key = k;
            best = cl_node_value(m, i);
        }
    }
    return best ? best : cl_node_get(m, key);
}

/* Helm's sanitizeString: white space becomes ' ', characters that do not print (controls,
 * format characters) are dropped. Returns s itself when nothing changes. */
static const char *sanitize(struct cl_arena *a, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    struct cl_buf b;
    bool changed = false;
    char *res;

    for (; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p >= 0x80)
            break;
    if (!*p)
        return s;
    cl_buf_init(&b);
    cl_buf_add(&b, s, (size_t)((const char *)p - s));
    while (*p) {
        uint32_t c = *p;
        size_t n = 1;
        if (*p >= 0xc2 && *p < 0xf5) {
            size_t want = *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
            bool ok = true;
            for (size_t i = 1; i < want; i++)
                ok = ok && (p[i] & 0xc0) == 0x80;
            if (ok) {
                n = want;
                c = *p & (want == 2 ? 0x1f : want == 3 ? 0x0f : 0x07);
                for (size_t i = 1; i < n; i++)
                    c = (c << 6) | (p[i] & 0x3f);
            }
        }
        if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x85 ||
            c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
            c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000) {
            cl_buf_addc(&b, ' ');
            changed = true;
        } else if ((n == 1 && (c < 0x20 || c == 0x7f)) || (c >= 0x80 && c < 0xa0) ||
                   c == 0xad || (c >= 0x200b && c <= 0x200f) || (c >= 0x2060 && c <= 0x2064) ||
                   c == 0xfeff) {
            changed = true;            /* dropped */
        } else {
            cl_buf_add(&b, p, n);
        }
        p += n;
    }
    res = changed ? cl_arena_strdup(a, b.data) : NULL;
    cl_buf_fini(&b);
    return changed ? res : s;
}

static void sanitize_str(struct cl_load *ld, struct cl_chart_str *f)
{
    if (f->str)
        f->str = sanitize(&ld->arena, f->str);
}

/* A string field: absent or null leaves str NULL; a scalar of any type is read as Helm
 * reads it into a string (scalar_text); a collection is a problem. */
static void get_str(struct cl_load *ld, const char *file, const struct cl_node *root,
                    const struct cl_node *map, const char *key, struct cl_chart_str *out)
{
    const struct cl_node *v = get_field(map, key);
    const struct cl_node *d = cl_node_deref(v);

    out->str = NULL;
    out->node = v;
    if (!v || !d || cl_node_is_null(d))
        return;
    if (d->type != CL_NODE_SCALAR) {
        node_problem(ld, CL_LOAD_METADATA, file, v, "field \"%s\" must be a string", field_path(ld, root, v));
        return;
    }
    out->str = scalar_text(&ld->arena, d);
}

static bool get_bool(struct cl_load *ld, const char *file, const struct cl_node *root,
                     const struct cl_node *map, const char *key, bool *out)
{
    const struct cl_node *v = get_field(map, key);
    const struct cl_node *d = cl_node_deref(v);

    *out = false;
    if (!v || !d || cl_node_is_null(d))
        return false;
    if (!cl_node_bool(d, out)) {
        node_problem(ld, CL_LOAD_METADATA, file, v, "field \"%s\" must be a boolean", field_path(ld, root, v));
        return false;
    }
    return true;
}

/* A sequence field: NULL when absent or null; a problem when not a sequence. */
static const struct cl_node *get_seq(struct cl_load *ld, const char *file,
                                     const struct cl_node *root, const struct cl_node *map,
                                     const char *key)
{
    const struct cl_node *v = get_field(map, key);
    const struct cl_node *d = cl_node_deref(v);

    if (!v || !d || cl_node_is_null(d))
        return NULL;
    if (d->type != CL_NODE_SEQ) {
        node_problem(ld, CL_LOAD_METADATA, file, v, "field \"%s\" must be a list", field_path(ld, root, v));
        return NULL;
    }
    return d;
}

static bool alias_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

/* Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without leading zeros when
 * strict (pre-release). Advances *pp. */
static bool semver_idents(const char **pp, bool strict)
{
    const char *p = *pp;

    for (;;) {
        const char *b = p;
        bool digits = true;
        while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
               (*p >= 'A' && *p <= 'Z') || *p == '-') {
            digits = digits && *p >= '0' && *p <= '9';
            p++;
        }
        if (p == b)
            return false;
        if (strict && digits && p - b > 1 && *b == '0')
            return false;
        if (*p != '.')
            break;
        p++;
    }
    *pp = p;
    return true;
}

/* Masterminds semver v3 NewVersion (what Helm uses): "v"? MAJOR(.MINOR(.PATCH)?)?
 * (-PRERELEASE)? (+METADATA)?. */
static bool semver_ok(const char *s)
{
    const char *p = s;

    if (*p == 'v')
        p++;
    for (int part = 0; part < 3; part++) {
        const char *b = p;
        if (part > 0) {
            if (*p != '.')
                break;
            b = ++p;
        }
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == b || p - b > 19)
            return false;
    }
    if (*p == '-') {
        p++;
        if (!semver_idents(&p, true))
            return false;
    }
    if (*p == '+') {
        p++;
        if (!semver_idents(&p, false))
            return false;
    }
    return *p == '\0';
}

/* Read a dependencies list (Chart.yaml v2, or requirements.yaml). */
static void read_deps(struct cl_load *ld, struct cl_chart *c, const char *file,
                      const struct cl_node *root, const struct cl_node *seq)
{
    size_t n = cl_node_len(seq), k = 0;

    c->deps = n ? cl_arena_zalloc(&ld->arena, n * sizeof *c->deps) : NULL;
    c->ndeps = 0;
    for (size_t i = 0; i < n; i++) {
        const struct cl_node *item = cl_node_item(seq, i);
        const struct cl_node *m = cl_node_deref(item);
        struct cl_chart_dep *d = &c->deps[k];
        const struct cl_node *tags, *iv;
        const char *key;

        if (!m || cl_node_is_null(m)) {
            node_problem(ld, CL_LOAD_METADATA, file, item, "dependencies must not contain empty or null items");
            continue;
        }
        if (m->type != CL_NODE_MAP) {
            node_problem(ld, CL_LOAD_METADATA, file, item, "dependency \"%s\" must be a mapping",
                         field_path(ld, root, item));
            continue;
        }
        d->node = m;
        d->file = file;
        get_str(ld, file, root, m, "name", &d->name);
        get_str(ld, file, root, m, "version", &d->version);
        get_str(ld, file, root, m, "repository", &d->repository);
        get_str(ld, file, root, m, "condition", &d->condition);
        get_str(ld, file, root, m, "alias", &d->alias);
        d->has_enabled = get_bool(ld, file, root, m, "enabled", &d->enabled);
        sanitize_str(ld, &d->name);
        sanitize_str(ld, &d->version);
        sanitize_str(ld, &d->repository);
        sanitize_str(ld, &d->condition);
        tags = get_seq(ld, file, root, m, "tags");
        if (tags) {
            size_t nt = cl_node_len(tags);
            d->tags = cl_arena_zalloc(&ld->arena, (nt ? nt : 1) * sizeof *d->tags);
            for (size_t t = 0; t < nt; t++) {
                const struct cl_node *tn = cl_node_item(tags, t);
                const struct cl_node *td = cl_node_deref(tn);
                if (!td || td->type != CL_NODE_SCALAR || cl_node_is_null(td)) {
                    node_problem(ld, CL_LOAD_METADATA, file, tn ? tn : tags, "field \"%s\" must be a string",
                                 field_path(ld, root, tn ? tn : tags));
                    continue;
                }
                d->tags[d->ntags++] = sanitize(&ld->arena, scalar_text(&ld->arena, td));
            }
        }
        iv = get_field(m, "import-values");
        if (iv && !cl_node_is_null(cl_node_deref(iv))) {
            if (!cl_node_is_seq(iv))
                node_problem(ld, CL_LOAD_METADATA, file, iv, "field \"%s\" must be a list",
                             field_path(ld, root, iv));
            else
                d->import_values = cl_node_deref(iv);
        }
        if (!d->name.str || !*d->name.str)
            node_problem(ld, CL_LOAD_METADATA, file, item, "dependency has no \"name\"");
        if (d->alias.str && !alias_ok(d->alias.str))
            node_problem(ld, CL_LOAD_METADATA, file, d->alias.node,
                         "dependency \"%s\" has disallowed characters in the alias \"%s\"",
                         d->name.str ? d->name.str : "", d->alias.str);
        key = d->alias.str && *d->alias.str ? d->alias.str : d->name.str;
        for (size_t j = 0; key && j < k; j++) {
            const char *other = c->deps[j].alias.str && *c->deps[j].alias.str
                ? c->deps[j].alias.str : c->deps[j].name.str;
            if (cl_streq(other, key)) {
                node_problem(ld, CL_LOAD_METADATA, file, item, "more than one dependency with name or alias "
                             "\"%s\"", key);
                break;
            }
        }
        k++;
    }
    c->ndeps = k;
}

static void read_meta(struct cl_load *ld, struct cl_chart *c)
{
    const char *file = c->chart_yaml->path;
    const struct cl_node *root = c->meta, *m = cl_node_deref(root), *v, *seq;

    if (m && !cl_node_is_null(m) && m->type != CL_NODE_MAP) {
        node_problem(ld, CL_LOAD_METADATA, file, root, "Chart.yaml must be a mapping");
        m = NULL;
    }
    if (m && m->type != CL_NODE_MAP)
        m = NULL;
    get_str(ld, file, root, m, "apiVersion", &c->api_version);
    get_str(ld, file, root, m, "name", &c->name);
    get_str(ld, file, root, m, "version", &c->version);
    get_str(ld, file, root, m, "appVersion", &c->app_version);
    get_str(ld, file, root, m, "description", &c->description);
    get_str(ld, file, root, m, "kubeVersion", &c->kube_version);
    get_str(ld, file, root, m, "home", &c->home);
    get_str(ld, file, root, m, "icon", &c->icon);
    get_str(ld, file, root, m, "type", &c->type_str);
    get_bool(ld, file, root, m, "deprecated", &c->deprecated);
    /* Helm sanitizes these (not apiVersion, version, type) before validating. */
    sanitize_str(ld, &c->name);
    sanitize_str(ld, &c->description);
    sanitize_str(ld, &c->home);
    sanitize_str(ld, &c->icon);
    sanitize_str(ld, &c->app_version);
    sanitize_str(ld, &c->kube_version);

    if (!c->api_version.str || !*c->api_version.str) {
        c->api_version.str = "v1";     /* Helm 2 charts had none: v1, as Helm does */
        c->api = 1;
    } else if (strcmp(c->api_version.str, "v1") == 0) {
        c->api = 1;
    } else if (strcmp(c->api_version.str, "v2") == 0) {
        c->api = 2;
    } else {
        c->api = 0;
        node_problem(ld, CL_LOAD_METADATA, file, c->api_version.node,
                     "unknown apiVersion \"%s\" (expected \"v1\" or \"v2\")", c->api_version.str);
    }
    if (!c->name.str || !*c->name.str)
        node_problem(ld, CL_LOAD_METADATA, file, c->name.node ? c->name.node : root,
                     "Chart.yaml has no chart \"name\"");
    else if (strchr(c->name.str, '/') || strcmp(c->name.str, ".") == 0)
        node_problem(ld, CL_LOAD_METADATA, file, c->name.node, "chart name \"%s\" is invalid", c->name.str);
    if (!c->version.str || !*c->version.str)
        node_problem(ld, CL_LOAD_METADATA, file, c->version.node ? c->version.node : root,
                     "Chart.yaml has no chart \"version\"");
    else if (!semver_ok(c->version.str))
        node_problem(ld, CL_LOAD_METADATA, file, c->version.node,
                     "chart version \"%s\" is not a valid semantic version", c->version.str);
    c->type = CL_CHART_APPLICATION;
    if (c->type_str.str && strcmp(c->type_str.str, "library") == 0)
        c->type = CL_CHART_LIBRARY;
    else if (c->type_str.str && *c->type_str.str && strcmp(c->type_str.str, "application") != 0)
        node_problem(ld, CL_LOAD_METADATA, file, c->type_str.node,
                     "chart type \"%s\" must be \"application\" or \"library\"", c->type_str.str);

    v = get_field(m, "annotations");
    if (v && !cl_node_is_null(cl_node_deref(v))) {
        const struct cl_node *am = cl_node_deref(v);
        if (!am || am->type != CL_NODE_MAP) {
            node_problem(ld, CL_LOAD_METADATA, file, v, "field \"annotations\" must be a mapping");
        } else {
            c->annotations = am;
            for (size_t i = 0; i < am->u.coll.n; i++) {
                const struct cl_node *av = cl_node_value(am, i);
                const struct cl_node *ad = cl_node_deref(av);
                if (ad && ad->type != CL_NODE_SCALAR)
                    node_problem(ld, CL_LOAD_METADATA, file, av, "field \"%s\" must be a string",
                                 field_path(ld, root, av));
            }
        }
    }
    seq = get_seq(ld, file, root, m, "maintainers");
    for (size_t i = 0; i < cl_node_len(seq); i++) {
        const struct cl_node *it = cl_node_item(seq, i), *d = cl_node_deref(it);
        if (!d || cl_node_is_null(d))
            node_problem(ld, CL_LOAD_METADATA, file, it, "maintainers must not contain empty or null items");
        else if (d->type != CL_NODE_MAP)
            node_problem(ld, CL_LOAD_METADATA, file, it, "field \"%s\" must be a mapping",
                         field_path(ld, root, it));
    }
    seq = get_seq(ld, file, root, m, "sources");
    (void)seq;
    seq = get_seq(ld, file, root, m, "keywords");
    (void)seq;
    seq = get_seq(ld, file, root, m, "dependencies");
    if (seq)
        read_deps(ld, c, file, root, seq);
}

/* ---- building a chart from its file list ---- */

struct job {
    struct cl_chart *parent;
    const char *dir_name;
    const char *root;
    unsigned depth;
    struct rawlist files;
};

struct jobq {
    struct job *v;
    size_t n, cap, next;
};

static void job_push(struct jobq *q, struct job j)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 8;
        q->v = cl_xrealloc(q->v, q->cap * sizeof *q->v);
    }
    q->v[q->n++] = j;
}

static int file_cmp(const void *a, const void *b)
{
    return strcmp(((const struct cl_chart_file *)a)->name, ((const struct cl_chart_file *)b)->name);
}

struct group_ref {
    const char *name;              /* points into a rawfile name after "charts/" */
    size_t len;
    size_t idx;
};

static int group_cmp(const void *a, const void *b)
{
    const struct group_ref *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->name, y->name, n);

    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static struct cl_chart_file *file_vec_add(struct cl_chart_file **v, size_t *n, size_t *cap,
                                          const struct rawfile *r)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *v = cl_xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[*n] = (struct cl_chart_file){ r->name, r->path, r->data, r->len, 0 };
    return &(*v)[(*n)++];
}

/* Heap vector -> sorted arena array. */
static struct cl_chart_file *file_vec_keep(struct cl_load *ld, struct cl_chart_file *v, size_t n)
{
    struct cl_chart_file *out = NULL;

    if (n) {
        out = cl_arena_alloc(&ld->arena, n * sizeof *out);
        memcpy(out, v, n * sizeof *out);
        qsort(out, n, sizeof *out, file_cmp);
    }
    free(v);
    return out;
}

static struct cl_chart_file *keep_one(struct cl_load *ld, const struct rawfile *r)
{
    struct cl_chart_file *f = cl_arena_zalloc(&ld->arena, sizeof *f);

    *f = (struct cl_chart_file){ r->name, r->path, r->data, r->len, 0 };
    return f;
}

static bool is_manifest_ext(const char *name)
{
    return has_suffix(name, ".yaml") || has_suffix(name, ".yml") || has_suffix(name, ".json");
}

static int read_archive(struct cl_load *ld, const char *display, const void *buf, size_t len,
                        struct rawlist *out, const char **root);

/* Turn one job's files into a chart; queue its subcharts. NULL (problems recorded)
 * when there is no Chart.yaml. */
static struct cl_chart *build_chart(struct cl_load *ld, struct jobq *q, struct job *j)
{
    struct cl_chart *c;
    const struct rawfile *chart_yaml = NULL, *requirements = NULL;
    struct cl_chart_file *tv = NULL, *cv = NULL, *fv = NULL;
    size_t tn = 0, tcap = 0, cn = 0, ccap = 0, fn = 0, fcap = 0, ng = 0;
    struct group_ref *groups = NULL;

    for (size_t i = 0; i < j->files.n; i++)
        if (strcmp(j->files.v[i].name, "Chart.yaml") == 0)
            chart_yaml = &j->files.v[i];
    if (!chart_yaml) {
        const char *file = join(&ld->arena, j->root, "Chart.yaml");
        if (j->parent)
            problem(ld, CL_LOAD_METADATA, file, "subchart \"%s\" has no Chart.yaml", j->dir_name);
        else
            problem(ld, CL_LOAD_METADATA, file, "chart has no Chart.yaml");
        return NULL;
    }
    c = cl_arena_zalloc(&ld->arena, sizeof *c);
    c->root = j->root;
    c->dir_name = j->dir_name;
    c->parent = j->parent;
    c->depth = j->depth;
    c->chart_yaml = keep_one(ld, chart_yaml);
    c->meta = parse_yaml(ld, c->chart_yaml);
    read_meta(ld, c);

    groups = cl_xmalloc((j->files.n ? j->files.n : 1) * sizeof *groups);
    for (size_t i = 0; i < j->files.n; i++) {
        const struct rawfile *r = &j->files.v[i];
        const char *n = r->name;

        if (strcmp(n, "Chart.yaml") == 0) {
            continue;
        } else if (strcmp(n, "Chart.lock") == 0) {
            c->lock = keep_one(ld, r);
        } else if (strcmp(n, "values.yaml") == 0) {
            c->values = keep_one(ld, r);
        } else if (strcmp(n, "values.schema.json") == 0) {
            c->schema = keep_one(ld, r);
        } else if (strcmp(n, "requirements.yaml") == 0) {
            requirements = r;
            c->requirements = keep_one(ld, r);
            if (c->api == 1)
                file_vec_add(&fv, &fn, &fcap, r);
        } else if (strcmp(n, "requirements.lock") == 0) {
            c->lock = keep_one(ld, r);
            if (c->api == 1)
                file_vec_add(&fv, &fn, &fcap, r);
        } else if (cl_startswith(n, "templates/")) {
            struct cl_chart_file *f = file_vec_add(&tv, &tn, &tcap, r);
            if (base_name(n)[0] == '_')
                f->flags |= CL_FILE_PARTIAL;
            if (has_suffix(n, "NOTES.txt"))   /* Helm's test: a name ending in NOTES.txt */
                f->flags |= CL_FILE_NOTES;
        } else if (cl_startswith(n, "charts/")) {
            const char *g = n + 7, *slash = strchr(g, '/');
            if (has_suffix(n, ".prov")) {
                file_vec_add(&fv, &fn, &fcap, r);
                continue;
            }
            groups[ng++] = (struct group_ref){ g, slash ? (size_t)(slash - g) : strlen(g), i };
        } else {
            /* crds/ stay in .Files too, as in Helm; the manifests are listed apart. */
            file_vec_add(&fv, &fn, &fcap, r);
            if (cl_startswith(n, "crds/") && is_manifest_ext(n))
                file_vec_add(&cv, &cn, &ccap, r);
        }
    }
    if (requirements) {
        const struct cl_node *rroot = parse_yaml(ld, c->requirements);
        const struct cl_node *rm = cl_node_deref(rroot);
        const struct cl_node *seq = cl_node_is_map(rm)
            ? get_seq(ld, c->requirements->path, rroot, rm, "dependencies") : NULL;
        if (rm && !cl_node_is_null(rm) && !cl_node_is_map(rm))
            node_problem(ld, CL_LOAD_METADATA, c->requirements->path, rroot, "requirements.yaml must be a mapping");
        if (seq) {
            if (c->api == 2)
                problem(ld, CL_LOAD_METADATA, c->requirements->path, "dependencies belong in Chart.yaml since "
                        "apiVersion \"v2\"; requirements.yaml is deprecated");
            read_deps(ld, c, c->requirements->path, rroot, seq);
        }
    }
    c->templates = file_vec_keep(ld, tv, tn);
    c->ntemplates = tn;
    c->crds = file_vec_keep(ld, cv, cn);
    c->ncrds = cn;
    c->files = file_vec_keep(ld, fv, fn);
    c->nfiles = fn;

    /* Subcharts: one job per distinct entry under charts/, in name order. */
    qsort(groups, ng, sizeof *groups, group_cmp);
    c->subcharts = ng ? cl_arena_zalloc(&ld->arena, ng * sizeof *c->subcharts) : NULL;
    for (size_t i = 0; i < ng;) {
        size_t e = i;
        const char *gname;
        struct job sub;

        while (e < ng && groups[e].len == groups[i].len &&
               memcmp(groups[e].name, groups[i].name, groups[i].len) == 0)
            e++;
        gname = cl_arena_strndup(&ld->arena, groups[i].name, groups[i].len);
        memset(&sub, 0, sizeof sub);
        sub.parent = c;
        sub.dir_name = gname;
        sub.depth = j->depth + 1;
        if (gname[0] == '_' || gname[0] == '.') {
            i = e;                     /* Helm skips these */
            continue;
        }
        if (sub.depth > CL_LOAD_MAX_DEPTH) {
            problem(ld, CL_LOAD_CONTENT, j->files.v[groups[i].idx].path,
                    "subcharts are nested deeper than %d levels", CL_LOAD_MAX_DEPTH);
            i = e;
            continue;
        }
        if (has_suffix(gname, ".tgz")) {
            const struct rawfile *r = &j->files.v[groups[i].idx];
            if (e - i != 1 || strchr(r->name + 7, '/')) {
                problem(ld, CL_LOAD_CONTENT, r->path, "\"charts/%s\" is a directory named like an archive",
                        gname);
            } else if (read_archive(ld, r->path, r->data, r->len, &sub.files, &sub.root) == 0) {
                job_push(q, sub);
            } else {
                free(sub.files.v);
            }
        } else {
            for (size_t k = i; k < e; k++) {
                const struct rawfile *r = &j->files.v[groups[k].idx];
                const char *rest = r->name + 7 + groups[i].len;
                if (*rest == '/' && rest[1])
                    raw_push(&sub.files, rest + 1, r->path, r->data, r->len);
            }
            if (sub.files.n == 0) {
                problem(ld, CL_LOAD_CONTENT, j->files.v[groups[i].idx].path,
                        "\"charts/%s\" is neither a chart directory nor a .tgz archive", gname);
            } else {
                sub.root = join(&ld->arena, j->root, cl_arena_printf(&ld->arena, "charts/%s",
                                                                      gname));
                job_push(q, sub);
            }
        }
        i = e;
    }
    free(groups);
    return c;
}

/* Link each dependency to the subchart of that name (Helm's CheckDependencies matches
 * Chart.yaml names, never directory names); a missing one is a problem. Iterative over
 * the whole tree. */
static void link_dependencies(struct cl_load *ld, struct cl_chart *top)
{
    struct cl_chart **stack;
    size_t n = 0, cap = 16;

    if (!top)
        return;
    stack = cl_xmalloc(cap * sizeof *stack);
    stack[n++] = top;
    while (n > 0) {
        struct cl_chart *c = stack[--n];
        for (size_t i = 0; i < c->ndeps; i++) {
            struct cl_chart_dep *d = &c->deps[i];
            for (size_t k = 0; k < c->nsubcharts && !d->chart; k++)
                if (d->name.str && cl_streq(c->subcharts[k]->name.str, d->name.str))
                    d->chart = c->subcharts[k];
            if (!d->chart && d->name.str && *d->name.str)
                node_problem(ld, CL_LOAD_METADATA, d->file, d->name.node,
                             "dependency \"%s\" is missing from the charts/ directory",
                             d->name.str);
        }
        if (n + c->nsubcharts > cap) {
            while (n + c->nsubcharts > cap)
                cap *= 2;
            stack = cl_xrealloc(stack, cap * sizeof *stack);
        }
        for (size_t k = c->nsubcharts; k-- > 0;)
            stack[n++] = c->subcharts[k];
    }
    free(stack);
}

/* Run jobs until the queue is empty; the first job's chart is returned. */
static struct cl_chart *run_jobs(struct cl_load *ld, struct job first)
{
    struct jobq q = { 0 };
    struct cl_chart *top = NULL;

    job_push(&q, first);
    while (q.next < q.n) {
        struct job j = q.v[q.next++];
        struct cl_chart *c = build_chart(ld, &q, &j);

        if (c && j.parent)
            j.parent->subcharts[j.parent->nsubcharts++] = c;
        if (q.next == 1)
            top = c;
        free(j.files.v);
    }
    free(q.v);
    link_dependencies(ld, top);
    return top;
}

/* ---- archives ---- */

struct dup_ref {
    const char *name;
    size_t idx;
};

static int dup_cmp(const void *a, const void *b)
{
    const struct dup_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    if (c)
        return c;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* An archive may hold a name twice; extracting it, the later entry wins. Keep that one
 * (in archive order) and report the others. */
static void drop_duplicates(struct cl_load *ld, const char *display, struct rawlist *l)
{
    struct dup_ref *v;
    bool *drop, any = false;
    size_t k = 0;

    if (l->n < 2)
        return;
    v = cl_xmalloc(l->n * sizeof *v);
    drop = cl_xcalloc(l->n, sizeof *drop);
    for (size_t i = 0; i < l->n; i++)
        v[i] = (struct dup_ref){ l->v[i].name, i };
    qsort(v, l->n, sizeof *v, dup_cmp);
    for (size_t i = 0; i + 1 < l->n; i++) {
        if (strcmp(v[i].name, v[i + 1].name) == 0) {
            drop[v[i].idx] = true;
            any = true;
            problem(ld, CL_LOAD_CONTENT, display,
                    "entry \"%s\" appears more than once; the last one is used",
                    l->v[v[i].idx].path);
        }
    }
    if (any) {
        for (size_t i = 0; i < l->n; i++)
            if (!drop[i])
                l->v[k++] = l->v[i];
        l->n = k;
    }
    free(v);
    free(drop);
}

/* Read a .tgz into a file list with its top folder stripped. 0, or -1 (problems
 * recorded) when nothing usable came out. *root is the display root of the chart. */
static int read_archive(struct cl_load *ld, const char *display, const void *buf, size_t len,
                        struct rawlist *out, const char **root)
{
    struct cl_tar_limits lim;
    struct cl_tar *t;
    struct cl_tar_entry e;
    const char *top = NULL;
    int rc;
    uint64_t before;

    lim.max_file = ld->limits.max_file;
    lim.max_total = ld->used < ld->limits.max_total ? ld->limits.max_total - ld->used : 0;
    t = cl_tar_new(buf, len, &lim);
    while ((rc = cl_tar_next(t, &e)) == 1) {
        const char *slash;
        size_t n;

        if (e.problem) {
            problem(ld, CL_LOAD_CONTENT, display, "%s", e.problem);
            continue;
        }
        if (e.type != CL_TAR_FILE)
            continue;
        slash = strchr(e.name, '/');
        if (!slash || !slash[1]) {
            problem(ld, CL_LOAD_CONTENT, display, "entry \"%s\" is outside the chart's top folder", e.raw_name);
            continue;
        }
        if (!top)
            top = cl_arena_strndup(&ld->arena, e.name, (size_t)(slash - e.name));
        {
            const char *data = keep_data(ld, e.data, e.len, &n);
            raw_push(out, cl_arena_strdup(&ld->arena, slash + 1),
                     join(&ld->arena, display, e.name), data, n);
        }
    }
    before = cl_tar_inflated(t);
    if (rc < 0)
        problem(ld, CL_LOAD_CONTENT, display, "cannot read archive: %s", cl_tar_error(t));
    cl_tar_free(t);
    ld->used += before;
    if (!top) {
        if (rc >= 0)
            problem(ld, CL_LOAD_CONTENT, display, "no files in chart archive");
        return -1;
    }
    drop_duplicates(ld, display, out);
    *root = join(&ld->arena, display, top);
    return 0;
}

int cl_load_archive(struct cl_load *ld, const char *name, const void *buf, size_t len)
{
    struct job j;

    memset(&j, 0, sizeof j);
    name = cl_arena_strdup(&ld->arena, name);
    if (read_archive(ld, name, buf, len, &j.files, &j.root) < 0) {
        free(j.files.v);
        return -1;
    }
    ld->chart = run_jobs(ld, j);
    return ld->chart ? 0 : -1;
}

/* ---- directories ---- */

/* A directory of the walk. While its entries wait on the stack it stays open (fd), so
 * that they are opened and stat'ed by their own name, one path component for the
 * kernel to look up instead of the whole path from the working directory; fd is
 * AT_FDCWD (full paths) beyond WALK_OPEN_DIRS open directories. */
struct dirframe {
    dev_t dev;
    ino_t ino;
    const struct dirframe *parent;
    struct dirframe *all;          /* every frame of the walk, for closing */
    int fd;                        /* open directory, or AT_FDCWD */
    size_t pending;                /* its entries not yet walked */
};

#define WALK_OPEN_DIRS 16
#define WALK_DENTS (16 * 1024)    /* getdents64 buffer: ~400 entries a call */

struct walk_item {
    char *rel;                     /* heap */
    struct dirframe *frame;        /* the directory holding it */
    unsigned char type;            /* the listing's d_type (DT_UNKNOWN: ask lstat) */
};

/* A directory entry: its name (heap) and the type the listing gave for it. */
struct dir_entry {
    char *name;
    unsigned char type;
};

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const struct dir_entry *)a)->name, ((const struct dir_entry *)b)->name);
}

/* Entries of the directory path (relative to dfd or AT_FDCWD), sorted (heap array of
 * heap strings). The directory is opened as opendir() opens it and read with
 * getdents64() into buf (a heap buffer of bufsize bytes the caller keeps for the walk):
 * no fstat() and no DIR buffer per directory. *fd is the open directory, for the
 * caller to close; -1 with *err on failure. */
static struct dir_entry *list_dir(int dfd, const char *path, char *buf, size_t bufsize,
                                  size_t *np, int *fd, int *err)
{
    struct dir_entry *v = NULL;
    size_t n = 0, cap = 0;
    ssize_t got;

    *np = 0;
    *err = 0;
    *fd = openat(dfd, path, O_RDONLY | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC);
    if (*fd < 0) {
        *err = errno;
        return NULL;
    }
    while ((got = getdents64(*fd, (void *)buf, bufsize)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            for (size_t i = 0; i < n; i++)
                free(v[i].name);
            free(v);
            close(*fd);
            *fd = -1;
            return NULL;
        }
        for (ssize_t off = 0; off < got;) {
            const struct dirent64 *de = (const struct dirent64 *)(buf + off);

            off += de->d_reclen;
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                v = cl_xrealloc(v, cap * sizeof *v);
            }
            v[n].name = cl_xstrdup(de->d_name);
            v[n++].type = de->d_type;
        }
    }
    if (n)                             /* an empty directory has no array to sort */
        qsort(v, n, sizeof *v, name_cmp);
    *np = n;
    return v;
}

/* One entry of frame walked: the last one closes the directory. */
static void frame_done(struct dirframe *fr, size_t *open_dirs)
{
    if (fr && --fr->pending == 0 && fr->fd >= 0) {
        close(fr->fd);
        fr->fd = AT_FDCWD;
        (*open_dirs)--;
    }
}

/* A new frame for a directory just listed (fd open, nn entries): it keeps fd open for
 * its entries while fewer than WALK_OPEN_DIRS are, else closes it (full paths). */
static struct dirframe *frame_new(struct cl_arena *tmp, struct dirframe **all, const struct stat *st,
                                  const struct dirframe *parent, int fd, size_t nn,
                                  size_t *open_dirs)
{
    struct dirframe *fr = cl_arena_zalloc(tmp, sizeof *fr);

    fr->dev = st->st_dev;
    fr->ino = st->st_ino;
    fr->parent = parent;
    fr->all = *all;
    *all = fr;
    fr->pending = nn;
    fr->fd = AT_FDCWD;
    if (nn && *open_dirs < WALK_OPEN_DIRS) {
        fr->fd = fd;
        (*open_dirs)++;
    } else {
        close(fd);
    }
    return fr;
}

struct bad_rule_ctx {
    struct cl_load *ld;
    const char *file;
};

static void on_bad_rule(void *ud, uint32_t line, uint32_t col, const char *msg)
{
    struct bad_rule_ctx *b = ud;
    struct cl_node at = { 0 };

    at.line = line;
    at.col = col;
    node_problem(b->ld, CL_LOAD_CONTENT, b->file, &at, "ignored .helmignore rule: %s", msg);
}

static bool inside(const char *real, const char *root_real)
{
    size_t n = strlen(root_real);

    if (strcmp(root_real, "/") == 0)
        return true;
    return strncmp(real, root_real, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

/* Walk a chart directory (iteratively, sorted, .helmignore applied, symlinks followed
 * only inside the chart) into a file list. */
static void walk_dir(struct cl_load *ld, const char *root, struct rawlist *out)
{
    struct cl_ignore ig;
    struct walk_item *stack = NULL;
    size_t n = 0, cap = 0, visited = 0;
    struct cl_arena tmp;
    char *root_real = cl_realpath(root);
    const char *ignore_path = join(&ld->arena, root, ".helmignore");
    struct stat st;
    struct dir_entry *names;
    size_t nn;
    int err = 0;
    struct dirframe *top, *frames = NULL, *last = NULL;
    size_t open_dirs = 0;
    char *dents = cl_xmalloc(WALK_DENTS);
    int dfd = -1;
    /* .helmignore as read for its rules, kept for its turn in the walk (no second read) */
    const char *ign_data = NULL;
    size_t ign_len = 0;
    uint64_t ign_size = 0;

    cl_ignore_init(&ig);
    cl_arena_init(&tmp);
    if (!root_real) {
        problem(ld, CL_LOAD_ENV, root, "cannot read: %s", strerror(errno));
        goto out;
    }
    if (lstat(ignore_path, &st) == 0) {
        const char *data;
        size_t len;
        char *real = S_ISLNK(st.st_mode) ? realpath(ignore_path, NULL) : NULL;
        bool ok = !S_ISLNK(st.st_mode) || (real && inside(real, root_real));
        free(real);
        if (!ok)
            problem(ld, CL_LOAD_CONTENT, ignore_path, "symbolic link \".helmignore\" points outside the chart");
        else if (read_file(ld, AT_FDCWD, ignore_path, ignore_path, &data, &len, false) == 0) {
            struct bad_rule_ctx b = { ld, ignore_path };
            cl_ignore_parse(&ig, data, len, on_bad_rule, &b);
            if (S_ISREG(st.st_mode)) {
                ign_data = data;
                ign_len = len;
                ign_size = (uint64_t)st.st_size;
            }
        }
    }
    cl_ignore_add_defaults(&ig);

    if (stat(root, &st) < 0) {
        problem(ld, CL_LOAD_ENV, root, "cannot read: %s", strerror(errno));
        goto out;
    }
    names = list_dir(AT_FDCWD, root, dents, WALK_DENTS, &nn, &dfd, &err);
    if (!names && err) {
        problem(ld, CL_LOAD_ENV, root, "cannot read directory: %s", strerror(err));
        goto out;
    }
    top = frame_new(&tmp, &frames, &st, NULL, dfd, nn, &open_dirs);
    cap = nn > 16 ? nn : 16;
    stack = cl_xmalloc(cap * sizeof *stack);
    for (size_t i = nn; i-- > 0;)
        stack[n++] = (struct walk_item){ names[i].name, top, names[i].type };
    free(names);

    while (n > 0) {
        struct walk_item it = stack[--n];
        const char *full = join(&tmp, root, it.rel);
        const char *display = NULL;
        const char *base = strrchr(it.rel, '/');
        int at;
        const char *name;
        bool is_dir;

        frame_done(last, &open_dirs);  /* the previous entry is done with its directory */
        last = it.frame;
        /* the entry by its name in its open directory, else by its full path; a full
         * path the kernel would refuse (PATH_MAX) is still given as one, so that it
         * fails as it did before (and as helm's walk does) */
        at = strlen(full) < PATH_MAX ? it.frame->fd : AT_FDCWD;
        name = at == AT_FDCWD ? full : base ? base + 1 : it.rel;

        if (++visited > CL_LOAD_MAX_ENTRIES) {
            problem(ld, CL_LOAD_CONTENT, root, "chart has more than %d files and directories", CL_LOAD_MAX_ENTRIES);
            free(it.rel);
            break;
        }
        if (it.type == DT_REG) {
            /* a regular file by the listing's account: no lstat (read_file's open
             * refuses it with O_NOFOLLOW should it have become a symbolic link since) */
            st.st_mode = S_IFREG;
        } else if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            display = join(&ld->arena, root, it.rel);
            problem(ld, CL_LOAD_ENV, display, "cannot read: %s", strerror(errno));
            free(it.rel);
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            char *real = realpath(full, NULL);
            display = join(&ld->arena, root, it.rel);
            if (!real) {
                problem(ld, CL_LOAD_CONTENT, display, "symbolic link \"%s\" cannot be followed: %s", it.rel,
                        strerror(errno));
                free(it.rel);
                continue;
            }
            if (!inside(real, root_real)) {
                problem(ld, CL_LOAD_CONTENT, display, "symbolic link \"%s\" points outside the chart", it.rel);
                free(real);
                free(it.rel);
                continue;
            }
            free(real);
            if (fstatat(at, name, &st, 0) < 0) {
                problem(ld, CL_LOAD_ENV, display, "cannot read: %s", strerror(errno));
                free(it.rel);
                continue;
            }
        }
        is_dir = S_ISDIR(st.st_mode);
        if (cl_ignore_match(&ig, it.rel, is_dir)) {
            free(it.rel);
            continue;
        }
        if (!display)
            display = join(&ld->arena, root, it.rel);
        if (is_dir) {
            struct dirframe *fr;
            const struct dirframe *a;
            for (a = it.frame; a; a = a->parent)
                if (a->dev == st.st_dev && a->ino == st.st_ino)
                    break;
            if (a) {
                problem(ld, CL_LOAD_CONTENT, display, "symbolic link loop at \"%s\"", it.rel);
                free(it.rel);
                continue;
            }
            names = list_dir(at, name, dents, WALK_DENTS, &nn, &dfd, &err);
            if (!names && err) {
                problem(ld, CL_LOAD_ENV, display, "cannot read directory: %s", strerror(err));
                free(it.rel);
                continue;
            }
            fr = frame_new(&tmp, &frames, &st, it.frame, dfd, nn, &open_dirs);
            if (n + nn > cap) {
                while (n + nn > cap)
                    cap *= 2;
                stack = cl_xrealloc(stack, cap * sizeof *stack);
            }
            for (size_t i = nn, rn = strlen(it.rel); i-- > 0;) {
                size_t nl = strlen(names[i].name);
                char *rel = cl_xmalloc(rn + nl + 2);

                memcpy(rel, it.rel, rn);
                rel[rn] = '/';
                memcpy(rel + rn + 1, names[i].name, nl + 1);
                free(names[i].name);
                stack[n++] = (struct walk_item){ rel, fr, names[i].type };
            }
            free(names);
            free(it.rel);
            continue;
        }
        if (!S_ISREG(st.st_mode)) {
            problem(ld, CL_LOAD_CONTENT, display, "cannot load irregular file \"%s\" (not a regular file)",
                    it.rel);
        } else {
            const char *data;
            size_t len;
            if (ign_data && it.type == DT_REG && strcmp(it.rel, ".helmignore") == 0) {
                /* read above; counted against the budget again, as a second read was */
                if (!budget(ld, display, ign_size)) {
                    free(it.rel);
                    break;                 /* budget spent: stop the walk */
                }
                raw_push(out, cl_arena_strdup(&ld->arena, it.rel), display, ign_data, ign_len);
            } else if (read_file(ld, at, name, display, &data, &len, it.type == DT_REG) == 0)
                raw_push(out, cl_arena_strdup(&ld->arena, it.rel), display, data, len);
            else if (ld->used > ld->limits.max_total) {
                free(it.rel);
                break;                 /* budget spent: stop the walk */
            }
        }
        free(it.rel);
    }
out:
    while (n > 0)
        free(stack[--n].rel);
    for (struct dirframe *fr = frames; fr; fr = fr->all)
        if (fr->fd >= 0)
            close(fr->fd);
    free(dents);
    free(stack);
    free(root_real);
    cl_ignore_fini(&ig);
    cl_arena_fini(&tmp);
}

/* The chart directory for path: path itself or the nearest parent with a Chart.yaml.
 * Lexical walk-up so display paths stay as the user wrote them. NULL if none. */
static const char *find_root(struct cl_load *ld, const char *dir)
{
    char *cand = cl_xstrdup(dir);
    const char *found = NULL;

    for (int guard = 0; guard < 4096; guard++) {
        struct stat st;
        char *cy, *real;
        size_t n = strlen(cand);
        bool at_root;

        while (n > 1 && cand[n - 1] == '/')
            cand[--n] = '\0';
        cy = cl_xmalloc(n + 12);
        sprintf(cy, "%s/Chart.yaml", cand);
        if (stat(cy, &st) == 0 && !S_ISDIR(st.st_mode)) {
            found = cl_arena_strdup(&ld->arena, cand);
            free(cy);
            break;
        }
        free(cy);
        real = realpath(cand, NULL);
        at_root = !real || strcmp(real, "/") == 0;
        free(real);
        if (at_root)
            break;
        /* Next candidate: the lexical parent. */
        {
            char *slash = strrchr(cand, '/');
            const char *last = slash ? slash + 1 : cand;
            char *next;
            if (strcmp(last, "..") == 0 || strcmp(last, ".") == 0) {
                next = cl_xmalloc(n + 4);
                sprintf(next, strcmp(cand, ".") == 0 ? ".." : "%s/..", cand);
            } else if (!slash) {
                next = cl_xstrdup(".");
            } else if (slash == cand) {
                next = cl_xstrdup("/");
            } else {
                next = cl_xstrndup(cand, (size_t)(slash - cand));
            }
            free(cand);
            cand = next;
        }
    }
    free(cand);
    return found;
}

static bool looks_like_archive(const char *path)
{
    unsigned char magic[2];
    FILE *f;
    bool gz = false;

    if (has_suffix(path, ".tgz") || has_suffix(path, ".tar.gz"))
        return true;
    f = fopen(path, "rb");
    if (f) {
        gz = fread(magic, 1, 2, f) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        fclose(f);
    }
    return gz;
}

int cl_load_path(struct cl_load *ld, const char *path)
{
    struct stat st;
    const char *root;
    struct job j;

    path = cl_arena_strdup(&ld->arena, path);
    if (stat(path, &st) < 0) {
        problem(ld, CL_LOAD_ENV, path, "cannot read: %s", strerror(errno));
        return -1;
    }
    if (S_ISREG(st.st_mode) && looks_like_archive(path)) {
        const char *data;
        size_t len;
        struct cl_load_limits saved = ld->limits;
        uint64_t used = ld->used;
        int rc;
        /* The archive itself may exceed one file's limit, and its inflated bytes are
         * what the budget counts, not the compressed ones. */
        ld->limits.max_file = ld->limits.max_total;
        rc = read_file(ld, AT_FDCWD, path, path, &data, &len, false);
        ld->limits = saved;
        ld->used = used;
        if (rc < 0)
            return -1;
        return cl_load_archive(ld, path, data, len);
    }
    if (S_ISDIR(st.st_mode)) {
        root = find_root(ld, path);
    } else {
        char *dir = cl_xstrdup(path), *slash = strrchr(dir, '/');
        if (!slash)
            strcpy(dir, ".");
        else if (slash == dir)
            dir[1] = '\0';
        else
            *slash = '\0';
        root = find_root(ld, dir);
        free(dir);
    }
    if (!root) {
        problem(ld, CL_LOAD_ENV, path, "no Chart.yaml in \"%s\" or any parent directory", path);
        return -1;
    }
    memset(&j, 0, sizeof j);
    j.root = root;
    walk_dir(ld, root, &j.files);
    ld->chart = run_jobs(ld, j);
    return ld->chart ? 0 : -1;
}

/* ---- lifetime and lookups ---- */

void cl_load_init(struct cl_load *ld, const struct cl_load_limits *limits)
{
    memset(ld, 0, sizeof *ld);
    cl_arena_init(&ld->arena);
    ld->limits.max_file = limits ? limits->max_file : CL_TAR_MAX_FILE;
    ld->limits.max_total = limits ? limits->max_total : CL_TAR_MAX_TOTAL;
}

void cl_load_fini(struct cl_load *ld)
{
    free(ld->problems);
    cl_arena_fini(&ld->arena);
    memset(ld, 0, sizeof *ld);
}

static const struct cl_chart_file *find_in(const struct cl_chart_file *v, size_t n,
                                           const char *name)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid].name, name);
        if (c == 0)
            return &v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct cl_chart_file *cl_chart_file_find(const struct cl_chart *chart, const char *name)
{
    const struct cl_chart_file *singles[] = { chart->chart_yaml, chart->values, chart->schema,
                                              chart->requirements, chart->lock };
    const struct cl_chart_file *f;

    for (size_t i = 0; i < sizeof singles / sizeof *singles; i++)
        if (singles[i] && strcmp(singles[i]->name, name) == 0)
            return singles[i];
    if ((f = find_in(chart->templates, chart->ntemplates, name)))
        return f;
    return find_in(chart->files, chart->nfiles, name);
}
