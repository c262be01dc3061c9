/* test_explain.c -- `rules`, `explain` and `docs` output generated from the registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "chartlint.h"
#include "util.h"

/* A memory stream whose buffer the caller frees after close (heap-held so the
 * stream's pointers to buf and len stay valid until fclose). */
struct mem {
    char *buf;
    size_t len;
};

static char *mem_close(FILE *f, struct mem *m)
{
    char *buf;

    fclose(f);
    buf = m->buf;
    free(m);
    return buf;
}

static FILE *mem_open(struct mem **mp)
{
    struct mem *m = calloc(1, sizeof *m);
    FILE *f;

    assert_non_null(m);
    f = open_memstream(&m->buf, &m->len);
    assert_non_null(f);
    *mp = m;
    return f;
}

static char *capture_rules(const char *format)
{
    struct mem *m;
    FILE *f = mem_open(&m);

    cl_explain_rules(f, format);
    return mem_close(f, m);
}

static char *capture_explain(const char *id, const char *format, int *rc)
{
    struct mem *m;
    FILE *f = mem_open(&m);

    *rc = cl_explain(f, id, format);
    return mem_close(f, m);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Text table: a header, one line per check, the summary column aligned. */
static void test_rules_text(void **state)
{
    (void)state;
    char *out = capture_rules("text");
    const char *line = out;
    const char *sum = strstr(out, "SUMMARY");
    size_t col, lines = 0;

    assert_non_null(sum);
    assert_true(strncmp(out, "CODE", 4) == 0);
    col = (size_t)(sum - out);
    for (size_t i = 0; i < cl_catalog_count(); i++) {
        line = strchr(line, '\n');
        assert_non_null(line);
        line++;
        const struct cl_check *c = cl_catalog_get(i);
        assert_true(strncmp(line, c->code, strlen(c->code)) == 0);
        assert_true(strncmp(line + col, c->summary, strlen(c->summary)) == 0);
        assert_int_equal(line[col - 1], ' ');
        lines++;
    }
    assert_int_equal(count(out, "\n"), lines + 1);
    free(out);
}

/* JSON list: one object per check with every documentation field, in order. */
static void test_rules_json(void **state)
{
    (void)state;
    char *out = capture_rules("json");
    static const char *const keys[] = { "code", "name", "severity", "category", "source", "kinds",
                                        "summary", "rationale", "remediation", "exampleBad",
                                        "exampleGood", "params", "retired", "internal" };
    const char *p = out;

    assert_true(strncmp(out, "[\n  {\n    \"code\": ", 18) == 0);
    assert_true(strcmp(out + strlen(out) - 5, "  }\n]\n") == 0 ||
                strcmp(out + strlen(out) - 6, "  }\n]\n") == 0);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        char key[32];
        snprintf(key, sizeof key, "\n    \"%s\": ", keys[k]);     /* check level only */
        assert_int_equal(count(out, key), cl_catalog_count());
    }
    for (size_t i = 0; i < cl_catalog_count(); i++) {
        char code[32];
        snprintf(code, sizeof code, "\"code\": \"%s\",", cl_catalog_get(i)->code);
        p = strstr(p, code);            /* catalog order */
        assert_non_null(p);
    }
    free(out);
}

static void test_explain_one(void **state)
{
    (void)state;
    for (size_t i = 0; i < cl_catalog_count(); i++) {
        const struct cl_check *c = cl_catalog_get(i);
        int rc;
        char head[128];
        char *out = capture_explain(c->name, "text", &rc);

        assert_int_equal(rc, 0);
        snprintf(head, sizeof head, "%s %s", c->code, c->name);
        assert_true(strncmp(out, head, strlen(head)) == 0);
        assert_non_null(strstr(out, c->summary));
        if (c->rationale)
            assert_non_null(strstr(out, c->rationale));
        if (c->remediation)
            assert_non_null(strstr(out, c->remediation));
        for (const struct cl_param *prm = c->params; prm && prm->name; prm++)
            assert_non_null(strstr(out, prm->name));
        free(out);

        out = capture_explain(c->code, "json", &rc);
        assert_int_equal(rc, 0);
        snprintf(head, sizeof head, "{\n  \"code\": \"%s\",\n  \"name\": \"%s\",\n", c->code,
                 c->name);
        assert_true(strncmp(out, head, strlen(head)) == 0);
        assert_true(strcmp(out + strlen(out) - 3, "\n}\n") == 0);
        free(out);
    }
}

static void test_explain_unknown(void **state)
{
    (void)state;
    int rc;
    char *out = capture_explain("no-such-check", "text", &rc);

    assert_int_equal(rc, -1);
    assert_string_equal(out, "");
    free(out);
    out = capture_explain("CL9999", "json", &rc);
    assert_int_equal(rc, -1);
    free(out);
}

static void test_docs_write(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/cl-docs-XXXXXX";
    char *dir = mkdtemp(tmpl);
    char path[512];

    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/a/b", dir);        /* missing parents are created */
    assert_int_equal(cl_docs_write(path), 0);

    snprintf(path, sizeof path, "%s/a/b/index.md", dir);
    char *index = cl_read_file(path, SIZE_MAX, NULL);
    assert_non_null(index);
    for (size_t i = 0; i < cl_catalog_count(); i++) {
        const struct cl_check *c = cl_catalog_get(i);
        char link[64], title[128];
        snprintf(link, sizeof link, "[%s](%s.md)", c->code, c->code);
        assert_non_null(strstr(index, link));

        snprintf(path, sizeof path, "%s/a/b/%s.md", dir, c->code);
        char *page = cl_read_file(path, SIZE_MAX, NULL);
        assert_non_null(page);
        snprintf(title, sizeof title, "\n# %s %s\n", c->code, c->name);
        assert_non_null(strstr(page, title));
        if (c->example_bad) {
            /* the fence outgrows any backtick run in the example */
            bool ticks = strstr(c->example_bad, "```") != NULL;
            bool lua = c->example_file && strstr(c->example_file, ".lua");
            assert_non_null(strstr(page, ticks ? "## Bad example\n\n````" :
                                         lua ? "## Bad example\n\n```lua\n" :
                                               "## Bad example\n\n```yaml\n"));
        }
        free(page);
        unlink(path);
    }
    free(index);

    /* writing again gives the same bytes (deterministic) */
    snprintf(path, sizeof path, "%s/a/b/index.md", dir);
    char *before = cl_read_file(path, SIZE_MAX, NULL);
    snprintf(path, sizeof path, "%s/a/b", dir);
    assert_int_equal(cl_docs_write(path), 0);
    snprintf(path, sizeof path, "%s/a/b/index.md", dir);
    char *after = cl_read_file(path, SIZE_MAX, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* a directory below a regular file cannot be made */
    snprintf(path, sizeof path, "%s/a/b/index.md/sub", dir);
    assert_int_equal(cl_docs_write(path), -1);
    assert_int_equal(cl_docs_write(""), -1);

    for (size_t i = 0; i < cl_catalog_count(); i++) {
        snprintf(path, sizeof path, "%s/a/b/%s.md", dir, cl_catalog_get(i)->code);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/a/b/index.md", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/a/b", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/a", dir);
    rmdir(path);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_text),
        cmocka_unit_test(test_rules_json),
        cmocka_unit_test(test_explain_one),
        cmocka_unit_test(test_explain_unknown),
        cmocka_unit_test(test_docs_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
