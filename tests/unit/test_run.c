/* test_run.c -- the run pipeline: findings from small inputs, List unpacking, exit codes,
 * check selection, helm Source notes, input names, directory walks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include <cmocka.h>

#include "chartlint.h"
#include "finding.h"
#include "util.h"

/* A run with the given selection; ids are comma-separated in one string or NULL. */
static struct cl_run *new_run(const char *only, const char *enable, const char *disable,
                              enum cl_severity fail_on, const char *format)
{
    static const char *only_v[2], *enable_v[2], *disable_v[2];
    struct cl_options opts;
    const char *err = NULL;
    struct cl_run *run;

    cl_options_init(&opts);
    only_v[0] = only;
    enable_v[0] = enable;
    disable_v[0] = disable;
    opts.only = only ? only_v : NULL;
    opts.enable = enable ? enable_v : NULL;
    opts.disable = disable ? disable_v : NULL;
    opts.fail_on = fail_on;
    opts.format = format;
    opts.color = 0;
    opts.quiet = true;
    run = cl_run_new(&opts, &err);
    if (!run)
        fail_msg("cl_run_new: %s", err ? err : "?");
    return run;
}

static struct cl_run *lint(const char *only, const char *yaml)
{
    struct cl_run *run = new_run(only, NULL, NULL, CL_SEV_WARNING, "text");

    cl_run_buffer(run, "in.yaml", yaml, strlen(yaml));
    return run;
}

/* Report into a string (caller frees); *code gets the exit code. */
static char *report(struct cl_run *run, enum cl_exit *code)
{
    char *out = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&out, &len);
    enum cl_exit c;

    assert_non_null(mem);
    c = cl_run_report(run, mem);
    fclose(mem);
    if (code)
        *code = c;
    return out;
}

static const struct cl_finding *only_finding(const struct cl_run *run, const char *code)
{
    const struct cl_finding *found = NULL;

    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        if (strcmp(f->code, code) == 0) {
            if (found)
                fail_msg("more than one %s finding", code);
            found = f;
        }
    }
    if (!found)
        fail_msg("no %s finding", code);
    return found;
}

static void test_syntax_error(void **state)
{
    struct cl_run *run = lint(NULL, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n"
                                    "---\napiVersion: v1\nkind: ConfigMap\n"
                                    "metadata:\n  name: b\n");
    const struct cl_finding *f = only_finding(run, "CL0001");
    enum cl_exit code;

    (void)state;
    assert_string_equal(f->check, "yaml-syntax");
    assert_int_equal(f->severity, CL_SEV_ERROR);
    assert_string_equal(f->pos.file, "in.yaml");
    assert_true(f->pos.line >= 3 && f->pos.line <= 4);
    assert_false(f->has_object);
    assert_true(f->message[0] != '\0');
    assert_null(strchr(f->message, '\n'));
    free(report(run, &code));
    assert_int_equal(code, CL_EXIT_FINDINGS);
    cl_run_free(run);
}

static void test_duplicate_key(void **state)
{
    struct cl_run *run = lint(NULL, "apiVersion: v1\n"
                                    "kind: ConfigMap\n"
                                    "metadata:\n"
                                    "  name: settings\n"
                                    "data:\n"
                                    "  mode: fast\n"
                                    "  mode: safe\n");
    const struct cl_finding *f = only_finding(run, "CL0002");

    (void)state;
    assert_string_equal(f->check, "duplicate-key");
    assert_string_equal(f->message, "duplicate key \"mode\" (first at 6:3)");
    assert_int_equal(f->pos.line, 7);
    assert_int_equal(f->pos.col, 3);
    assert_true(f->has_object);
    assert_string_equal(f->kind, "ConfigMap");
    assert_string_equal(f->name, "settings");
    assert_string_equal(f->namespace, "default");
    assert_string_equal(f->path, "data.mode");
    assert_int_equal(f->nrelated, 1);
    assert_int_equal(f->related[0].pos.line, 6);
    assert_int_equal(f->related[0].pos.col, 3);
    assert_string_equal(f->related[0].pos.file, "in.yaml");
    cl_run_free(run);
}

/* Past 100 duplicate keys in one document, one more finding says the rest are not
 * reported; the next document counts afresh. */
static void test_duplicate_key_bound(void **state)
{
    char *yaml = NULL;
    size_t len = 0, n = 0, last = 0;
    FILE *mem = open_memstream(&yaml, &len);
    struct cl_run *run;

    (void)state;
    assert_non_null(mem);
    for (int doc = 0; doc < 2; doc++) {
        fputs("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n", mem);
        for (int i = 0; i < (doc ? 3 : 150); i++)
            fputs("  k: v\n", mem);
        fputs("---\n", mem);
    }
    fclose(mem);
    run = lint("CL0002", yaml);
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const char *m = cl_run_finding(run, i)->message;

        n++;
        if (strstr(m, "; further duplicate keys in this document are not reported"))
            last++;
    }
    assert_int_equal(n, 101 + 2);
    assert_int_equal(last, 1);
    cl_run_free(run);
    free(yaml);
}

static void test_not_object(void **state)
{
    struct cl_run *run = lint(NULL, "replicaCount: 2\n---\n- a\n---\n---\n# comment only\n");
    enum cl_exit code;
    size_t n = 0;

    (void)state;
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        assert_string_equal(f->code, "CL0005");
        assert_int_equal(f->severity, CL_SEV_INFO);
        assert_string_equal(f->message,
                            "document is not a Kubernetes object (no apiVersion/kind); skipped");
        n++;
    }
    assert_int_equal(n, 2);
    free(report(run, &code));
    assert_int_equal(code, CL_EXIT_OK);          /* info is below --fail-on warning */
    cl_run_free(run);

    run = new_run(NULL, NULL, NULL, CL_SEV_INFO, "text");
    cl_run_buffer(run, "in.yaml", "a: 1\n", 5);
    free(report(run, &code));
    assert_int_equal(code, CL_EXIT_FINDINGS);
    cl_run_free(run);
}

static void test_list_unpacking(void **state)
{
    const char *yaml = "apiVersion: v1\n"
                       "kind: List\n"
                       "items:\n"
                       "  - apiVersion: v1\n"
                       "    kind: ConfigMap\n"
                       "    metadata: {name: one}\n"
                       "  - not: an object\n"
                       "  - apiVersion: v1\n"
                       "    kind: ConfigMap\n"
                       "    metadata: {name: two, namespace: ns}\n"
                       "    data:\n"
                       "      k: 1\n"
                       "      k: 2\n"
                       "---\n"
                       "apiVersion: v1\n"
                       "kind: ServiceList\n"
                       "items:\n"
                       "  - apiVersion: v1\n"
                       "    kind: Service\n"
                       "    metadata: {name: web}\n";
    struct cl_run *run = new_run(NULL, NULL, NULL, CL_SEV_WARNING, "json");
    const struct cl_finding *f;
    char *out;

    (void)state;
    cl_run_buffer(run, "list.yaml", yaml, strlen(yaml));
    f = only_finding(run, "CL0002");
    assert_true(f->has_object);
    assert_string_equal(f->name, "two");
    assert_string_equal(f->namespace, "ns");
    assert_string_equal(f->path, "items[2].data.k");
    f = only_finding(run, "CL0005");
    assert_int_equal(f->pos.line, 7);
    assert_string_equal(f->message,
                        "list item is not a Kubernetes object (no apiVersion/kind); skipped");
    out = report(run, NULL);
    /* Three objects: two ConfigMaps and the Service; the Lists themselves are not. */
    assert_non_null(strstr(out, "\"objects\": 3"));
    free(out);
    cl_run_free(run);
}

static void test_selection(void **state)
{
    struct cl_options opts;
    const char *bad[] = { "no-such-check", NULL };
    const char *retired_ok[] = { "cl0001,duplicate-key", NULL };
    const char *err = NULL;
    struct cl_run *run;

    (void)state;
    cl_options_init(&opts);
    opts.enable = bad;
    assert_null(cl_run_new(&opts, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "\"no-such-check\""));

    cl_options_init(&opts);
    opts.only = retired_ok;                 /* a code in any case and a name, comma-separated */
    run = cl_run_new(&opts, &err);
    assert_non_null(run);
    cl_run_free(run);

    cl_options_init(&opts);
    opts.format = "no-such-format";
    err = NULL;
    assert_null(cl_run_new(&opts, &err));
    assert_non_null(strstr(err, "\"no-such-format\""));

    /* --only: the listed check, and still the input problems (CL0001 here): narrowing
     * the checks never hides input that could not be linted. */
    run = lint("CL1001", "a: [1\n---\nb: 1\n");
    assert_int_equal(cl_run_nfindings(run), 2);
    assert_string_equal(cl_run_finding(run, 0)->code, "CL0001");
    assert_string_equal(cl_run_finding(run, 1)->code, "CL0005");
    cl_run_free(run);

    /* ...unless disabled explicitly: nothing but the listed check. */
    run = new_run("CL0005", NULL, "CL0001", CL_SEV_WARNING, "text");
    {
        const char *y = "a: [1\n---\nb: 1\n";

        cl_run_buffer(run, "in.yaml", y, strlen(y));
    }
    assert_int_equal(cl_run_nfindings(run), 1);
    assert_string_equal(cl_run_finding(run, 0)->code, "CL0005");
    cl_run_free(run);

    /* --only a check that is not about input: no CL1001 finding in a Pod that has no
     * containers, and no problem with the input either. */
    run = lint("CL1001", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n");
    assert_int_equal(cl_run_nfindings(run), 0);
    cl_run_free(run);

    /* --disable by name. */
    run = new_run(NULL, NULL, "not-k8s-object", CL_SEV_WARNING, "text");
    cl_run_buffer(run, "in.yaml", "b: 1\n", 5);
    assert_int_equal(cl_run_nfindings(run), 0);
    cl_run_free(run);

    /* --only then --enable adds, --disable removes. */
    run = new_run("CL0005", "CL0001", "CL0005", CL_SEV_WARNING, "text");
    {
        const char *y = "a: [1\n---\nb: 1\n";

        cl_run_buffer(run, "in.yaml", y, strlen(y));
    }
    assert_int_equal(cl_run_nfindings(run), 1);
    assert_string_equal(cl_run_finding(run, 0)->code, "CL0001");
    cl_run_free(run);
}

static void test_fail_on(void **state)
{
    const char *dup = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: 1, k: 2}\n";
    struct cl_run *run;
    enum cl_exit code;

    (void)state;
    run = new_run(NULL, NULL, NULL, CL_SEV_ERROR, "text");     /* duplicate-key: warning */
    cl_run_buffer(run, "in.yaml", dup, strlen(dup));
    assert_int_equal(cl_run_nfindings(run), 1);
    free(report(run, &code));
    assert_int_equal(code, CL_EXIT_OK);
    cl_run_free(run);

    run = new_run(NULL, NULL, NULL, CL_SEV_WARNING, "text");
    cl_run_buffer(run, "in.yaml", dup, strlen(dup));
    free(report(run, &code));
    assert_int_equal(code, CL_EXIT_FINDINGS);
    cl_run_free(run);

    /* Nothing read at all: usage exit code, and the diag names the path. */
    run = new_run(NULL, NULL, NULL, CL_SEV_WARNING, "json");
    cl_run_path(run, "/nonexistent/chartlint-test.yaml");
    {
        char *out = report(run, &code);

        assert_int_equal(code, CL_EXIT_USAGE);
        assert_non_null(strstr(out, "cannot read: No such file or directory"));
        free(out);
    }
    cl_run_free(run);
}

static void test_source_note(void **state)
{
    const char *yaml = "---\n"
                       "# Source: my-app/templates/cm.yaml\n"
                       "apiVersion: v1\n"
                       "kind: ConfigMap\n"
                       "metadata:\n"
                       "  name: a\n"
                       "data:\n"
                       "  k: 1\n"
                       "  k: 2\n";
    struct cl_run *run = lint(NULL, yaml);
    const struct cl_finding *f = only_finding(run, "CL0002");

    (void)state;
    assert_int_equal(f->pos.line, 9);
    assert_false(f->pos.rendered);
    assert_int_equal(f->nrelated, 2);
    assert_int_equal(f->related[0].pos.line, 8);                  /* the first key */
    assert_string_equal(f->related[1].pos.file, "my-app/templates/cm.yaml");
    assert_int_equal(f->related[1].pos.line, 7);                  /* within the template */
    assert_int_equal(f->related[1].pos.col, 3);
    assert_true(f->related[1].pos.rendered);
    assert_string_equal(f->related[1].message,
                        "rendered from this template (line within the rendered document)");
    cl_run_free(run);
}

static void test_stdin(void **state)
{
    char tmpl[] = "/tmp/chartlint-test-stdin-XXXXXX";
    const char *yaml = "x: 1\n";
    int fd = mkstemp(tmpl), saved = dup(0);
    struct cl_run *run;

    (void)state;
    assert_true(fd >= 0 && saved >= 0);
    assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    assert_int_equal(dup2(fd, 0), 0);
    run = lint(NULL, "");                                        /* an empty buffer: nothing */
    assert_int_equal(cl_run_nfindings(run), 0);
    cl_run_path(run, "-");
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    close(fd);
    unlink(tmpl);
    assert_int_equal(cl_run_nfindings(run), 1);
    assert_string_equal(cl_run_finding(run, 0)->pos.file, "<stdin>");
    cl_run_free(run);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_directory(void **state)
{
    char root[] = "/tmp/chartlint-test-dir-XXXXXX";
    char path[512];
    struct cl_run *run;
    char *out;
    enum cl_exit code;

    (void)state;
    assert_non_null(mkdtemp(root));
#define P(s) (snprintf(path, sizeof path, "%s/%s", root, (s)), path)
    assert_int_equal(mkdir(P("b"), 0755), 0);
    assert_int_equal(mkdir(P("b/chart"), 0755), 0);
    assert_int_equal(mkdir(P(".git"), 0755), 0);
    write_file(P("z.yaml"), "z: 1\n");
    write_file(P("a.yml"), "a: 1\n");
    write_file(P("notes.txt"), "n: 1\n");
    write_file(P("b/c.json"), "{\"c\": 1}\n");
    write_file(P("b/chart/Chart.yaml"), "apiVersion: v2\nname: c\nversion: 1.0.0\n");
    write_file(P("b/chart/x.yaml"), "x: 1\n");
    write_file(P(".git/g.yaml"), "g: 1\n");
    {
        char target[512];

        snprintf(target, sizeof target, "%s/b", root);
        assert_int_equal(symlink(target, P("b/loop")), 0);     /* b/loop -> b */
    }
#undef P

    run = new_run("CL0005", NULL, NULL, CL_SEV_WARNING, "json");
    cl_run_path(run, root);
    out = report(run, &code);
    assert_int_equal(code, CL_EXIT_OK);
    /* Sorted: a.yml, b/c.json, z.yaml; not notes.txt, the chart, .git or the loop. */
    assert_int_equal(cl_run_nfindings(run), 3);
    snprintf(path, sizeof path, "%s/a.yml", root);
    assert_string_equal(cl_run_finding(run, 0)->pos.file, path);
    snprintf(path, sizeof path, "%s/b/c.json", root);
    assert_string_equal(cl_run_finding(run, 1)->pos.file, path);
    snprintf(path, sizeof path, "%s/z.yaml", root);
    assert_string_equal(cl_run_finding(run, 2)->pos.file, path);
    assert_null(strstr(out, "is a Helm chart"));    /* rendered: no templates, no finding */
    assert_non_null(strstr(out, "symlink loop"));
    assert_non_null(strstr(out, "\"files\": 3"));
    free(out);
    cl_run_free(run);

    /* A chart given directly is rendered: it has no templates, so nothing to report, and
     * its x.yaml (not a template) is not linted. */
    run = new_run(NULL, NULL, NULL, CL_SEV_WARNING, "json");
    snprintf(path, sizeof path, "%s/b/chart", root);
    cl_run_path(run, path);
    out = report(run, &code);
    assert_int_equal(code, CL_EXIT_OK);
    assert_int_equal(cl_run_nfindings(run), 0);
    free(out);
    cl_run_free(run);

    snprintf(path, sizeof path, "rm -rf '%s'", root);
    assert_int_equal(system(path), 0);
}

/* A file of more than 8 MiB is read into memory of its own (huge pages where the kernel
 * has them): linted by path, it reports what the same bytes linted as a buffer do, and
 * the last byte counts. */
static void test_large_file(void **state)
{
    char tmpl[] = "/tmp/chartlint-test-large-XXXXXX.yaml";
    const char *tail = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: last}\n"
                       "spec:\n  containers:\n  - name: app # chartlint: ignore=nope -- why\n"
                       "    image: x:1\n";
    size_t size = 0, len;
    char *data, *by_path, *by_buffer;
    struct cl_run *run;
    FILE *fp;
    int fd;

    (void)state;
    fd = mkstemps(tmpl, 5);
    assert_true(fd >= 0);
    fp = fdopen(fd, "w");
    assert_non_null(fp);
    for (int i = 0; size < (9u << 20); i++)
        size += (size_t)fprintf(fp, "---\n# Source: c/templates/cm-%d.yaml\napiVersion: v1\n"
                                    "kind: ConfigMap\nmetadata: {name: cm-%d}\n"
                                    "data: {k: \"%0200d\"}\n", i, i, i);
    fputs(tail, fp);
    size += strlen(tail);
    fclose(fp);

    run = new_run(NULL, NULL, NULL, CL_SEV_WARNING, "json");
    cl_run_path(run, tmpl);
    by_path = report(run, NULL);
    assert_non_null(strstr(by_path, "\"name\": \"last\""));
    assert_non_null(strstr(by_path, "no known check \\\"nope\\\""));
    cl_run_free(run);

    data = malloc(size + 1);
    fp = fopen(tmpl, "r");
    assert_non_null(fp);
    len = fread(data, 1, size + 1, fp);
    fclose(fp);
    assert_int_equal(len, size);
    run = new_run(NULL, NULL, NULL, CL_SEV_WARNING, "json");
    cl_run_buffer(run, tmpl, data, len);
    by_buffer = report(run, NULL);
    assert_string_equal(by_path, by_buffer);
    cl_run_free(run);
    free(by_path);
    free(by_buffer);
    free(data);
    unlink(tmpl);
}

/* Standard input of more than 8 MiB moves into huge pages as it is read (run.c's
 * read_input): from a pipe (read on past the first 8 MiB) and from a regular file
 * already read part-way (read from where it stands), it reports what the same bytes
 * linted as a buffer named "<stdin>" report. */
static void test_large_stdin(void **state)
{
    char tmpl[] = "/tmp/chartlint-test-stdin-XXXXXX";
    const char *skip = "skipped: [not, yaml\n";
    struct cl_buf b;
    char *expect, *got;
    struct cl_run *run;
    int saved, fd, pfd[2], status;
    pid_t pid;

    (void)state;
    cl_buf_init(&b);
    for (int i = 0; b.len < (9u << 20); i++)
        cl_buf_printf(&b, "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p-%d}\n"
                          "spec:\n  containers:\n  - name: app # c%d\n    image: x:%d\n",
                      i, i, i);
    run = new_run(NULL, NULL, NULL, CL_SEV_WARNING, "json");
    cl_run_buffer(run, "<stdin>", b.data, b.len);
    expect = report(run, NULL);
    assert_non_null(strstr(expect, "p-100"));
    cl_run_free(run);

    saved = dup(0);
    assert_true(saved >= 0);
    assert_int_equal(pipe(pfd), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        size_t off = 0;

        close(pfd[0]);
        while (off < b.len) {
            ssize_t n = write(pfd[1], b.data + off, b.len - off);

            if (n <= 0)
                _exit(1);
            off += (size_t)n;
        }
        _exit(0);
    }
    close(pfd[1]);
    assert_int_equal(dup2(pfd[0], 0), 0);
    close(pfd[0]);
    run = new_run(NULL, NULL, NULL, CL_SEV_WARNING, "json");
    cl_run_path(run, "-");
    got = report(run, NULL);
    cl_run_free(run);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_string_equal(got, expect);
    free(got);

    fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, skip, strlen(skip)), (ssize_t)strlen(skip));
    assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
    assert_int_equal(lseek(fd, (off_t)strlen(skip), SEEK_SET), (off_t)strlen(skip));
    assert_int_equal(dup2(fd, 0), 0);
    close(fd);
    run = new_run(NULL, NULL, NULL, CL_SEV_WARNING, "json");
    cl_run_path(run, "-");
    got = report(run, NULL);
    cl_run_free(run);
    assert_string_equal(got, expect);
    free(got);

    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    unlink(tmpl);
    free(expect);
    cl_buf_fini(&b);
}

/* Symlinked directories are followed, once each: a fan-out of links to the same
 * directories (2^30 paths) is walked in linear time. */
static void test_symlink_fanout(void **state)
{
    char root[] = "/tmp/chartlint-test-fan-XXXXXX";
    char path[512], target[512];
    struct cl_run *run;
    char *out;
    enum cl_exit code;

    (void)state;
    assert_non_null(mkdtemp(root));
    snprintf(path, sizeof path, "%s/outside", root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/outside/f.yaml", root);
    write_file(path, "f: 1\n");
    snprintf(path, sizeof path, "%s/tree", root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(target, sizeof target, "%s/outside", root);
    snprintf(path, sizeof path, "%s/tree/link", root);
    assert_int_equal(symlink(target, path), 0);
    for (int i = 0; i < 30; i++) {
        snprintf(path, sizeof path, "%s/tree/d%02d", root, i);
        assert_int_equal(mkdir(path, 0755), 0);
    }
    for (int i = 0; i < 29; i++) {
        snprintf(target, sizeof target, "%s/tree/d%02d", root, i + 1);
        snprintf(path, sizeof path, "%s/tree/d%02d/x", root, i);
        assert_int_equal(symlink(target, path), 0);
        snprintf(path, sizeof path, "%s/tree/d%02d/y", root, i);
        assert_int_equal(symlink(target, path), 0);
    }
    snprintf(path, sizeof path, "%s/tree/d29/last.yaml", root);
    write_file(path, "last: 1\n");

    run = new_run("CL0005", NULL, NULL, CL_SEV_WARNING, "json");
    snprintf(path, sizeof path, "%s/tree", root);
    cl_run_path(run, path);
    out = report(run, &code);
    assert_int_equal(code, CL_EXIT_OK);
    /* d29/last.yaml once (through d00/x/x/...), and the linked directory's file. */
    assert_int_equal(cl_run_nfindings(run), 2);
    snprintf(path, sizeof path, "%s/tree/link/f.yaml", root);
    assert_string_equal(cl_run_finding(run, 1)->pos.file, path);
    assert_non_null(strstr(out, "not walked again"));
    free(out);
    cl_run_free(run);

    snprintf(path, sizeof path, "rm -rf '%s'", root);
    assert_int_equal(system(path), 0);
}

static void test_annotation_suppression(void **state)
{
    const char *yaml = "apiVersion: v1\n"
                       "kind: ConfigMap\n"
                       "metadata:\n"
                       "  name: a\n"
                       "  annotations:\n"
                       "    ignore.chartlint.io/duplicate-key: \"generated by a tool\"\n"
                       "data: {k: 1, k: 2}\n"
                       "---\n"
                       "apiVersion: v1\n"
                       "kind: ConfigMap\n"
                       "metadata:\n"
                       "  name: b\n"
                       "  annotations: {ignore.chartlint.io/cl0002: by code}\n"
                       "data: {k: 1, k: 2}\n"
                       "---\n"
                       "apiVersion: v1\n"
                       "kind: ConfigMap\n"
                       "metadata:\n"
                       "  name: c\n"
                       "  annotations: {ignore.chartlint.io/read-only-root-fs: other check}\n"
                       "data: {k: 1, k: 2}\n"
                       "---\n"
                       "apiVersion: apps/v1\n"
                       "kind: StatefulSet\n"
                       "metadata:\n"
                       "  name: db\n"
                       "  annotations: {ignore.chartlint.io/statefulset-headless-service: "
                       "\"service made by an operator\"}\n"
                       "spec:\n"
                       "  serviceName: db\n"
                       "  selector: {matchLabels: {app: db}}\n"
                       "  template:\n"
                       "    metadata: {labels: {app: db}}\n"
                       "    spec: {containers: [{name: db, image: \"postgres:16.4\"}]}\n"
                       "---\n"
                       "apiVersion: apps/v1\n"
                       "kind: StatefulSet\n"
                       "metadata: {name: other}\n"
                       "spec:\n"
                       "  serviceName: other\n"
                       "  selector: {matchLabels: {app: other}}\n"
                       "  template:\n"
                       "    metadata: {labels: {app: other}}\n"
                       "    spec: {containers: [{name: db, image: \"postgres:16.4\"}]}\n";
    struct cl_run *run = lint("CL0002,CL2004", yaml);
    size_t dup_suppressed = 0, dup_open = 0, sts_suppressed = 0, sts_open = 0;
    enum cl_exit code;
    char *out;

    (void)state;
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);
        bool dup = strcmp(f->code, "CL0002") == 0;

        if (f->suppressed) {
            assert_string_equal(f->suppression_kind, "annotation");
            if (dup && strcmp(f->name, "a") == 0)
                assert_string_equal(f->suppression_reason, "generated by a tool");
            if (dup && strcmp(f->name, "b") == 0)
                assert_string_equal(f->suppression_reason, "by code");
            if (!dup) {
                assert_string_equal(f->name, "db");
                assert_string_equal(f->suppression_reason, "service made by an operator");
            }
            *(dup ? &dup_suppressed : &sts_suppressed) += 1;
        } else {
            if (dup)
                assert_string_equal(f->name, "c");
            else
                assert_string_equal(f->name, "other");
            *(dup ? &dup_open : &sts_open) += 1;
        }
    }
    assert_int_equal(dup_suppressed, 2);
    assert_int_equal(dup_open, 1);
    assert_int_equal(sts_suppressed, 1);
    assert_int_equal(sts_open, 1);
    out = report(run, &code);
    assert_int_equal(code, CL_EXIT_FINDINGS);           /* the open ones still count */
    free(out);
    cl_run_free(run);

    /* Only suppressed findings: exit code 0. */
    run = lint("CL0002", yaml);
    out = report(run, &code);
    assert_int_equal(code, CL_EXIT_FINDINGS);           /* ConfigMap c is not suppressed */
    free(out);
    cl_run_free(run);
    {
        const char *one = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
                          "  annotations: {ignore.chartlint.io/duplicate-key: ok}\n"
                          "data: {k: 1, k: 2}\n";

        run = lint(NULL, one);
        assert_int_equal(cl_run_nfindings(run), 1);
        assert_true(cl_run_finding(run, 0)->suppressed);
        out = report(run, &code);
        assert_int_equal(code, CL_EXIT_OK);
        free(out);
        cl_run_free(run);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_duplicate_key_bound),
        cmocka_unit_test(test_not_object),
        cmocka_unit_test(test_list_unpacking),
        cmocka_unit_test(test_selection),
        cmocka_unit_test(test_fail_on),
        cmocka_unit_test(test_source_note),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_directory),
        cmocka_unit_test(test_large_file),
        cmocka_unit_test(test_large_stdin),
        cmocka_unit_test(test_symlink_fanout),
        cmocka_unit_test(test_annotation_suppression),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
