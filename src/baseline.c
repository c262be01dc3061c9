/* baseline.c -- reading, applying and writing baseline files (see baseline.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "baseline.h"
#include "node.h"
#include "parse.h"
#include "report/internal.h"
#include "report/jsonw.h"

struct cl_baseline {
    struct cl_arena arena;
    const char *path;
    const char *reason;                /* of the findings it suppresses */
    struct cl_baseline_entry *v;       /* file order */
    size_t n, cap;
    size_t *byfp;                      /* indexes of v sorted by fingerprint, then order */
    char *error;                       /* while loading: the first problem, heap */
};

static void set_error(struct cl_baseline *bl, uint32_t line, uint32_t col, const char *fmt,
                      ...) __attribute__((format(printf, 4, 5)));

static void set_error(struct cl_baseline *bl, uint32_t line, uint32_t col, const char *fmt, ...)
{
    struct cl_buf b;
    va_list ap;

    if (bl->error)
        return;
    cl_buf_init(&b);
    cl_buf_printf(&b, "%s:%u:%u: ", bl->path, (unsigned)(line ? line : 1),
                  (unsigned)(col ? col : 1));
    va_start(ap, fmt);
    cl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    bl->error = cl_buf_take(&b, NULL);
}

static const char *field(const struct cl_node *entry, const char *key)
{
    const char *s = cl_node_string(cl_node_deref(cl_node_get(entry, key)));

    return s ? s : "";
}

static bool is_fingerprint(const char *s)
{
    size_t n = 0;

    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 16;
}

static void on_doc(void *ud, struct cl_doc *doc)
{
    struct cl_baseline *bl = ud;
    const struct cl_node *root = cl_node_deref(doc->root);
    const struct cl_node *version, *findings;
    long long v;

    if (doc->index > 0) {
        set_error(bl, root ? root->line : 1, 1, "a baseline is one JSON document");
        return;
    }
    if (!cl_node_is_map(root)) {
        set_error(bl, root ? root->line : 1, root ? root->col : 1,
                  "not a chartlint baseline (expected a JSON object)");
        return;
    }
    version = cl_node_deref(cl_node_get(root, "version"));
    if (!version || !cl_node_int(version, &v) || v != CL_BASELINE_VERSION) {
        set_error(bl, version ? version->line : root->line, version ? version->col : root->col,
                  "unsupported baseline version (expected %d)", CL_BASELINE_VERSION);
        return;
    }
    findings = cl_node_deref(cl_node_get(root, "findings"));
    if (!cl_node_is_seq(findings)) {
        set_error(bl, findings ? findings->line : root->line,
                  findings ? findings->col : root->col,
                  "\"findings\" must be an array of baseline entries");
        return;
    }
    for (size_t i = 0, n = cl_node_len(findings); i < n; i++) {
        const struct cl_node *e = cl_node_deref(cl_node_item(findings, i));
        struct cl_baseline_entry *be;
        const char *fp;

        if (!cl_node_is_map(e) || !is_fingerprint(fp = field(e, "fingerprint"))) {
            const struct cl_node *at = cl_node_item(findings, i);

            set_error(bl, at->line, at->col, "baseline entry %zu has no \"fingerprint\" of "
                      "16 hex digits", i + 1);
            return;
        }
        if (bl->n == bl->cap) {
            bl->cap = bl->cap ? 2 * bl->cap : 64;
            bl->v = cl_xrealloc(bl->v, bl->cap * sizeof *bl->v);
        }
        be = &bl->v[bl->n++];
        memset(be, 0, sizeof *be);
        be->fingerprint = cl_arena_strdup(&bl->arena, fp);
        be->check = cl_arena_strdup(&bl->arena, field(e, "check"));
        be->object = cl_arena_strdup(&bl->arena, field(e, "object"));
        be->pos.file = bl->path;
        be->pos.line = e->line;
        be->pos.col = e->col;
    }
}

static void on_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                       const struct cl_node *node, const struct cl_node *other,
                       const struct cl_pos *pos, const char *msg)
{
    struct cl_baseline *bl = ud;

    (void)doc;
    (void)other;
    if (kind == CL_PARSE_SYNTAX)
        set_error(bl, pos ? pos->line : 1, pos ? pos->col : 1, "invalid json: %s",
                  msg ? msg : "syntax error");
    else if (node)
        set_error(bl, node->line, node->col, "duplicate key \"%s\"",
                  cl_node_str(node) ? cl_node_str(node) : "");
}

/* The baseline whose entries cmp_byfp sorts (qsort has no context argument). */
static const struct cl_baseline *sorting;

static int cmp_byfp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(sorting->v[i].fingerprint, sorting->v[j].fingerprint);

    return c ? c : (i > j) - (i < j);
}

struct cl_baseline *cl_baseline_load(const char *path, char **err)
{
    struct cl_baseline *bl = cl_xcalloc(1, sizeof *bl);
    struct cl_parse_sink sink = { .ud = bl, .doc = on_doc, .problem = on_problem };
    struct cl_arena doc_arena;
    char *text;
    size_t len = 0;

    cl_arena_init(&bl->arena);
    bl->path = cl_arena_strdup(&bl->arena, path);
    bl->reason = cl_arena_printf(&bl->arena, "accepted in the baseline %s", path);
    *err = NULL;
    if (!(text = cl_read_file(path, SIZE_MAX, &len))) {
        struct cl_buf e;

        cl_buf_init(&e);
        cl_buf_printf(&e, "%s: cannot read the baseline: %s", path, strerror(errno));
        *err = cl_buf_take(&e, NULL);
        cl_baseline_free(bl);
        return NULL;
    }
    cl_arena_init(&doc_arena);
    if (cl_parse_stream(bl->path, text, len, NULL, &doc_arena, &sink) < 0)
        set_error(bl, 1, 1, "the json parser could not be created");
    else if (!bl->error && !bl->cap && len == 0)
        set_error(bl, 1, 1, "empty file: not a chartlint baseline");
    cl_arena_fini(&doc_arena);
    free(text);
    if (bl->error) {
        *err = bl->error;
        bl->error = NULL;
        cl_baseline_free(bl);
        return NULL;
    }
    bl->byfp = cl_xcalloc(bl->n ? bl->n : 1, sizeof *bl->byfp);
    for (size_t i = 0; i < bl->n; i++)
        bl->byfp[i] = i;
    sorting = bl;
    if (bl->n)
        qsort(bl->byfp, bl->n, sizeof *bl->byfp, cmp_byfp);
    sorting = NULL;
    return bl;
}

void cl_baseline_free(struct cl_baseline *bl)
{
    if (!bl)
        return;
    free(bl->v);
    free(bl->byfp);
    free(bl->error);
    cl_arena_fini(&bl->arena);
    free(bl);
}

void cl_baseline_fingerprint(struct cl_buf *b, const struct cl_finding *f)
{
    cl_report_fingerprint(b, cl_report_file(&f->pos), f);
}

/* An entry with fingerprint fp not matched yet, or NULL. */
static struct cl_baseline_entry *unmatched(struct cl_baseline *bl, const char *fp)
{
    size_t lo = 0, hi = bl->n;

    while (lo < hi) {                  /* the first entry >= fp */
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(bl->v[bl->byfp[mid]].fingerprint, fp) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < bl->n && strcmp(bl->v[bl->byfp[lo]].fingerprint, fp) == 0; lo++)
        if (!bl->v[bl->byfp[lo]].matched)
            return &bl->v[bl->byfp[lo]];
    return NULL;
}

void cl_baseline_apply(struct cl_baseline *bl, struct cl_finding *const *v, size_t n)
{
    struct cl_buf b;

    cl_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        struct cl_finding *f = v[i];
        struct cl_baseline_entry *e;

        if (f->suppressed)
            continue;
        cl_baseline_fingerprint(&b, f);
        if ((e = unmatched(bl, b.data))) {
            e->matched = true;
            f->suppressed = true;
            f->suppression_kind = "baseline";
            f->suppression_reason = bl->reason;
        }
    }
    cl_buf_fini(&b);
}

size_t cl_baseline_len(const struct cl_baseline *bl)
{
    return bl->n;
}

const struct cl_baseline_entry *cl_baseline_entry(const struct cl_baseline *bl, size_t i)
{
    return i < bl->n ? &bl->v[i] : NULL;
}

/* One line of the file to write, with its sort key. */
struct row {
    const struct cl_finding *f;
    char fp[17];
    const char *file;
    char *object;                      /* heap, or NULL */
};

static int strcmp0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_rows(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int c;

    if ((c = strcmp(x->file, y->file)) || (c = strcmp(x->f->code, y->f->code)) ||
        (c = strcmp0(x->object, y->object)) || (c = strcmp0(x->f->container, y->f->container)) ||
        (c = strcmp0(x->f->path, y->f->path)) || (c = strcmp(x->fp, y->fp)))
        return c;
    return strcmp0(x->f->message, y->f->message);
}

static bool skipped(const char *code, const char *const *skip)
{
    for (size_t i = 0; skip && skip[i]; i++)
        if (strcmp(code, skip[i]) == 0)
            return true;
    return false;
}

int cl_baseline_write(const char *path, struct cl_finding *const *v, size_t n,
                      const char *tool_version, const char *const *skip)
{
    struct row *rows = cl_xcalloc(n ? n : 1, sizeof *rows);
    size_t nrows = 0;
    struct cl_buf b;
    struct cl_jw w;
    FILE *fp = fopen(path, "w");
    int rc = 0, e;

    if (!fp) {
        free(rows);
        return -1;
    }
    cl_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        const struct cl_finding *f = v[i];
        struct row *r;

        if ((f->suppressed && !cl_streq(f->suppression_kind, "baseline")) ||
            skipped(f->code, skip))
            continue;
        r = &rows[nrows++];
        r->f = f;
        cl_baseline_fingerprint(&b, f);
        memcpy(r->fp, b.data, 16);
        r->file = cl_report_file(&f->pos);
        if (f->has_object) {
            struct cl_buf o;

            cl_buf_init(&o);
            cl_buf_printf(&o, "%s/%s/%s", f->kind ? f->kind : "",
                          f->namespace ? f->namespace : "", f->name ? f->name : "");
            r->object = cl_buf_take(&o, NULL);
        }
    }
    cl_buf_fini(&b);
    if (nrows)
        qsort(rows, nrows, sizeof *rows, cmp_rows);
    cl_jw_init(&w, fp);
    cl_jw_object(&w, NULL);
    cl_jw_int(&w, "version", CL_BASELINE_VERSION);
    cl_jw_object(&w, "tool");
    cl_jw_str(&w, "name", "chartlint");
    cl_jw_str(&w, "version", tool_version);
    cl_jw_end(&w);
    cl_jw_array(&w, "findings");
    for (size_t i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];

        cl_jw_object(&w, NULL);
        cl_jw_str(&w, "fingerprint", r->fp);
        cl_jw_str(&w, "check", r->f->check);
        cl_jw_str(&w, "file", r->file);
        cl_jw_str(&w, "object", r->object);
        cl_jw_str(&w, "container", r->f->container);
        cl_jw_str(&w, "path", r->f->path ? r->f->path : "");
        cl_jw_str(&w, "message", r->f->message);
        cl_jw_end(&w);
        free(r->object);
    }
    cl_jw_end(&w);
    cl_jw_end(&w);
    free(rows);
    e = ferror(fp) ? EIO : 0;
    if (fclose(fp) != 0 || e) {
        errno = e ? e : errno;
        rc = -1;
    }
    return rc;
}
