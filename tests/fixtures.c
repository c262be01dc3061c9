/* fixtures.c -- data-driven check tests: per-check fixtures, the registry, embedded examples.
 *
 *   chartlint_fixtures fixture DIR       DIR is testdata/checks/<CODE>: run only that check
 *                                        on each pass* file (no finding of the check allowed)
 *                                        and each fail* file (text output, no colour, quiet,
 *                                        paths relative to DIR, equal to fail*.expected byte
 *                                        for byte; CHARTLINT_UPDATE=1 rewrites .expected).
 *   chartlint_fixtures registry DIR      DIR is testdata/checks: codes CL[0-9]{4}, unique and
 *                                        sorted; names unique kebab-case; documentation fields
 *                                        present; a fixture directory for every live check.
 *   chartlint_fixtures examples          each example_bad gives exactly one finding of its
 *                                        check, each example_good none.
 *
 * Exit status 0 when everything passed, 1 otherwise; every failure is printed. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chartlint.h"
#include "finding.h"
#include "util.h"
#include "lua_host.h"

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
    va_list ap;

    fputs("FAIL: ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    failures++;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_manifest(const char *name)
{
    return has_suffix(name, ".yaml") || has_suffix(name, ".yml") || has_suffix(name, ".json");
}

/* A fixture is a manifest file, or a chart: a directory (holding Chart.yaml) or a .tgz,
 * rendered and linted as `chartlint DIR` does. dir is the folder name lives in. */
static bool is_fixture_in(const char *dir, const char *name)
{
    struct stat st;
    char *path;
    bool chart;

    if (is_manifest(name) || has_suffix(name, ".tgz"))
        return true;
    if (asprintf(&path, "%s/%s/Chart.yaml", dir, name) < 0)
        abort();
    chart = stat(path, &st) == 0;
    free(path);
    return chart;
}

static bool is_fixture(const char *name)
{
    return is_fixture_in(".", name);
}

/* The name without its extension (a chart directory has none). */
static size_t stem_len(const char *name)
{
    const char *dot = strrchr(name, '.');

    return dot ? (size_t)(dot - name) : strlen(name);
}

/* Read a whole file (heap, NUL-terminated), or NULL. */
static char *read_file(const char *path, size_t *lenp)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (!fp)
        return NULL;
    do {
        if (cap - len < 4096) {
            cap = cap ? 2 * cap : 8192;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        n = fread(buf + len, 1, cap - len - 1, fp);
        len += n;
    } while (n > 0);
    fclose(fp);
    buf[len] = '\0';
    if (lenp)
        *lenp = len;
    return buf;
}

/* A run of check code alone: --only code, plus an explicit --disable of the other
 * input-problem checks, which --only keeps on by itself. A check about other checks'
 * findings also runs the checks its example_with names. */
static struct cl_run *run_only(const char *code, const char *baseline)
{
    struct cl_options opts;
    const char *only[] = { code, NULL };
    const char *disable[cl_checks_count + 1];
    const struct cl_check *self = cl_check_find(code);
    const char *with[] = { self ? self->example_with : NULL, NULL };
    size_t ndisable = 0;
    const char *err = NULL;
    struct cl_run *run;

    for (size_t i = 0; i < cl_checks_count; i++)
        if (cl_checks[i]->input_problem && !cl_checks[i]->retired && cl_checks[i] != self)
            disable[ndisable++] = cl_checks[i]->code;
    disable[ndisable] = NULL;
    cl_options_init(&opts);
    opts.only = only;
    opts.enable = with;
    opts.baseline = baseline;
    opts.disable = disable;
    opts.color = 0;
    opts.quiet = true;
    opts.format = "text";
    run = cl_run_new(&opts, &err);
    if (!run) {
        fail("cannot run only %s: %s", code, err ? err : "?");
        exit(1);
    }
    return run;
}

/* Findings of a run are final once reported (a baseline's stale entries appear then):
 * report to nowhere. */
static void finish_run(struct cl_run *run)
{
    FILE *null = fopen("/dev/null", "w");

    if (!null)
        abort();
    cl_run_report(run, null);
    fclose(null);
}

/* The baseline a fixture runs with: <stem>.baseline beside it, when present (heap path,
 * or NULL). */
static char *fixture_baseline(const char *name)
{
    char *path;
    struct stat st;

    if (asprintf(&path, "%.*s.baseline", (int)stem_len(name), name) < 0)
        abort();
    if (stat(path, &st) == 0)
        return path;
    free(path);
    return NULL;
}

static size_t count_code(const struct cl_run *run, const char *code)
{
    size_t n = 0;

    for (size_t i = 0; i < cl_run_nfindings(run); i++)
        if (strcmp(cl_run_finding(run, i)->code, code) == 0)
            n++;
    return n;
}

static void print_findings(const struct cl_run *run)
{
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        printf("    %s:%u:%u: %s[%s] %s\n", f->pos.file ? f->pos.file : "?",
               (unsigned)f->pos.line, (unsigned)f->pos.col, cl_severity_name(f->severity),
               f->check, f->message);
    }
}

static void fixture_pass(const char *code, const char *name)
{
    char *baseline = fixture_baseline(name);
    struct cl_run *run = run_only(code, baseline);
    size_t n;

    cl_run_path(run, name);
    finish_run(run);
    n = count_code(run, code);
    if (n) {
        fail("%s: expected no %s finding, got %zu:", name, code, n);
        print_findings(run);
    } else {
        printf("ok   %s\n", name);
    }
    cl_run_free(run);
    free(baseline);
}

static void fixture_fail(const char *code, const char *name, bool update)
{
    char *baseline = fixture_baseline(name);
    struct cl_run *run = run_only(code, baseline);
    char *out = NULL, *expected, *exp_name;
    size_t out_len = 0, exp_len = 0, stem = stem_len(name);
    FILE *mem = open_memstream(&out, &out_len);

    if (!mem)
        abort();
    if (asprintf(&exp_name, "%.*s.expected", (int)stem, name) < 0)
        abort();
    cl_run_path(run, name);
    cl_run_report(run, mem);
    fclose(mem);
    if (count_code(run, code) == 0)
        fail("%s: a fail fixture must give at least one %s finding", name, code);
    cl_run_free(run);
    free(baseline);

    if (update) {
        FILE *fp = fopen(exp_name, "wb");

        if (!fp || fwrite(out, 1, out_len, fp) != out_len || fclose(fp) != 0)
            fail("%s: cannot write: %s", exp_name, strerror(errno));
        else
            printf("updated %s\n", exp_name);
    } else if (!(expected = read_file(exp_name, &exp_len))) {
        fail("%s: missing %s (run with CHARTLINT_UPDATE=1 and review it)", name, exp_name);
        printf("--- actual output:\n%s", out);
    } else {
        if (exp_len != out_len || memcmp(expected, out, out_len) != 0) {
            fail("%s: output differs from %s", name, exp_name);
            printf("--- expected:\n%s--- actual:\n%s---\n", expected, out);
        } else {
            printf("ok   %s\n", name);
        }
        free(expected);
    }
    free(exp_name);
    free(out);
}

static int cmd_fixture(const char *dir)
{
    const char *slash = strrchr(dir, '/');
    const char *code = slash ? slash + 1 : dir;
    const struct cl_check *check = cl_check_find(code);
    bool update = getenv("CHARTLINT_UPDATE") && strcmp(getenv("CHARTLINT_UPDATE"), "1") == 0;
    size_t n, npass = 0, nfail = 0;
    char **names;

    if (!*code) {
        fail("%s: no check code in the directory name", dir);
        return 1;
    }
    if (!check || strcmp(check->code, code) != 0) {
        fail("%s: \"%s\" is not the code of a registered check", dir, code);
        return 1;
    }
    if (chdir(dir) != 0) {
        fail("%s: %s", dir, strerror(errno));
        return 1;
    }
    names = cl_list_dir(".", &n);
    for (size_t i = 0; i < n; i++) {
        const char *name = names[i];

        if (has_prefix(name, "pass") && is_fixture(name)) {
            fixture_pass(code, name);
            npass++;
        } else if (has_prefix(name, "fail") && is_fixture(name)) {
            fixture_fail(code, name, update);
            nfail++;
        } else if ((has_prefix(name, "pass") || has_prefix(name, "fail")) &&
                   has_suffix(name, ".baseline")) {
            continue;              /* read by the fixture of the same stem */
        } else if (has_prefix(name, "fail") && has_suffix(name, ".expected")) {
            bool found = false;
            size_t stem = strlen(name) - strlen(".expected");

            for (size_t j = 0; j < n && !found; j++)
                found = strncmp(names[j], name, stem) == 0 &&
                        (names[j][stem] == '.' || names[j][stem] == '\0') &&
                        is_fixture(names[j]);
            if (!found)
                fail("%s: no fail fixture for this expectation", name);
        } else {
            fail("%s: not a fixture (pass*.yaml, fail*.yaml, pass*/fail* chart directories, "
                 "fail*.expected)", name);
        }
    }
    cl_free_names(names, n);
    if (!npass || !nfail)
        fail("%s: needs at least one pass and one fail fixture (has %zu and %zu)", code, npass,
             nfail);
    printf("%s: %zu pass, %zu fail fixtures, %d failures\n", code, npass, nfail, failures);
    return failures ? 1 : 0;
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

static bool is_code(const char *s)
{
    if (strlen(s) != 6 || s[0] != 'C' || s[1] != 'L')
        return false;
    for (int i = 2; i < 6; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool ends_with_period(const char *s)
{
    size_t n = s ? strlen(s) : 0;

    return n > 1 && s[n - 1] == '.';
}

/* Examples that are rule files of a policy pack (CL0010's) rather than manifests. */
static bool examples_are_lua(const struct cl_check *c)
{
    return c->example_file && has_suffix(c->example_file, ".lua");
}

static int cmd_registry(const char *testdata)
{
    for (size_t i = 0; i < cl_checks_count; i++)
        if (i && strcmp(cl_checks[i - 1]->code, cl_checks[i]->code) >= 0)
            fail("%s: registry not sorted by code (after %s)", cl_checks[i]->code,
                 cl_checks[i - 1]->code);
    /* the whole catalog: the registry, CL0010 and the built-in Lua rules */
    for (size_t i = 0; i < cl_catalog_count(); i++) {
        const struct cl_check *c = cl_catalog_get(i);
        const char *code = c->code ? c->code : "(null)";
        char *dir;
        char **names;
        size_t n, npass = 0, nfail = 0;

        if (!c->code || !is_code(c->code))
            fail("check %zu: code \"%s\" is not CL followed by four digits", i, code);
        if (!c->name || !is_kebab(c->name))
            fail("%s: name \"%s\" is not kebab-case", code, c->name ? c->name : "(null)");
        for (size_t j = 0; j < i; j++) {
            const struct cl_check *o = cl_catalog_get(j);

            if (c->code && o->code && strcmp(c->code, o->code) == 0)
                fail("%s: code used twice", code);
            if (c->name && o->name && strcmp(c->name, o->name) == 0)
                fail("%s: name \"%s\" used twice", code, c->name);
        }
        if (!c->summary || !*c->summary)
            fail("%s: empty summary", code);
        else if (has_suffix(c->summary, "."))
            fail("%s: summary ends with a period", code);
        if (!ends_with_period(c->rationale))
            fail("%s: rationale is empty or does not end with '.'", code);
        if (!ends_with_period(c->remediation))
            fail("%s: remediation is empty or does not end with '.'", code);
        if (c->severity < CL_SEV_INFO || c->severity > CL_SEV_ERROR)
            fail("%s: default severity is not error, warning or info", code);
        if (!c->internal && !c->run && !c->finish && !c->retired)
            fail("%s: a check that is not internal needs run() or finish()", code);
        for (const struct cl_param *p = c->params; p && p->name; p++)
            if (!p->doc || !*p->doc || !p->default_value)
                fail("%s: parameter \"%s\" needs a default and a doc line", code, p->name);
        if (c->retired || !c->code)
            continue;
        if (!c->example_bad || !c->example_good)
            fail("%s: example_bad and example_good are required", code);
        /* CL0010 comes from rule files, not manifests: its fixtures are the policy
         * packs of testdata/packs (tests/packs.cmake) and its examples rule files. */
        if (examples_are_lua(c))
            continue;
        if (asprintf(&dir, "%s/%s", testdata, c->code) < 0)
            abort();
        names = cl_list_dir(dir, &n);
        for (size_t j = 0; j < n; j++) {
            npass += has_prefix(names[j], "pass") && is_fixture_in(dir, names[j]);
            nfail += has_prefix(names[j], "fail") && is_fixture_in(dir, names[j]);
        }
        if (!npass || !nfail)
            fail("%s: %s needs at least one pass*.yaml and one fail*.yaml fixture", code, dir);
        cl_free_names(names, n);
        free(dir);
    }
    printf("registry: %zu checks, %d failures\n", cl_catalog_count(), failures);
    return failures ? 1 : 0;
}

/* Findings of check c on one example; they are printed when there are not want. */
/* Write text to dir/name, creating dir/templates when name is under it. */
static void write_at(const char *dir, const char *name, const char *text)
{
    char *path;
    FILE *fp;

    if (asprintf(&path, "%s/%s", dir, name) < 0)
        abort();
    fp = fopen(path, "wb");
    if (!fp || fwrite(text, 1, strlen(text), fp) != strlen(text) || fclose(fp) != 0)
        fail("%s: cannot write: %s", path, strerror(errno));
    free(path);
}

/* A check whose examples are a chart's file (example_file): lint a minimal chart whose
 * example_file holds the example. */
static void example_chart(struct cl_run *run, const struct cl_check *c, const char *text)
{
    char tmpl[] = "/tmp/chartlint-example-XXXXXX";
    char *dir = mkdtemp(tmpl), *sub;

    if (!dir) {
        fail("%s: cannot make a temporary chart: %s", c->code, strerror(errno));
        return;
    }
    if (asprintf(&sub, "%s/templates", dir) < 0)
        abort();
    mkdir(sub, 0777);
    free(sub);
    write_at(dir, "Chart.yaml", "apiVersion: v2\nname: example\nversion: 0.1.0\n");
    write_at(dir, c->example_file, text);
    cl_run_path(run, dir);
    if (asprintf(&sub, "rm -rf '%s'", dir) < 0)
        abort();
    if (system(sub) != 0)
        fail("%s: cannot remove %s", c->code, dir);
    free(sub);
}

static size_t example_count(const struct cl_check *c, const char *yaml, const char *what,
                            size_t want)
{
    char baseline[] = "/tmp/chartlint-baseline-XXXXXX";
    struct cl_run *run;
    size_t n;

    if (c->example_baseline) {
        int fd = mkstemp(baseline);
        size_t len = strlen(c->example_baseline);

        if (fd < 0 || write(fd, c->example_baseline, len) != (ssize_t)len || close(fd) != 0)
            fail("%s: cannot write %s: %s", c->code, baseline, strerror(errno));
        what = "example.yaml";     /* the file the baseline's entries name */
    }
    run = run_only(c->code, c->example_baseline ? baseline : NULL);
    if (c->example_file)
        example_chart(run, c, yaml);
    else
        cl_run_buffer(run, what, yaml, strlen(yaml));
    finish_run(run);
    n = count_code(run, c->code);
    if (c->example_baseline)
        unlink(baseline);
    if (n != want)
        print_findings(run);
    cl_run_free(run);
    return n;
}

/* Load an example rule file into a fresh host: the number of load errors, printed
 * when it is not want. */
static size_t lua_example_errors(const struct cl_check *c, const char *text, size_t want)
{
    struct cl_lua *lx = cl_lua_new(0);
    size_t n;

    cl_lua_load_rule(lx, c->example_file, text, strlen(text), "example", NULL);
    n = cl_lua_nerrors(lx);
    for (size_t i = 0; n != want && i < n; i++)
        printf("    %s:%u: %s\n", c->example_file, (unsigned)cl_lua_error_get(lx, i)->pos.line,
               cl_lua_error_get(lx, i)->message);
    cl_lua_free(lx);
    return n;
}

static int cmd_examples(void)
{
    size_t tested = 0;

    for (size_t i = 0; i < cl_catalog_count(); i++) {
        const struct cl_check *c = cl_catalog_get(i);
        size_t n;

        if (c->retired)
            continue;
        if (!c->example_bad || !c->example_good) {
            fail("%s: missing example_bad or example_good", c->code);
            continue;
        }
        if (examples_are_lua(c)) {
            if ((n = lua_example_errors(c, c->example_bad, 1)) != 1)
                fail("%s: example_bad gives %zu load errors, expected exactly 1", c->code, n);
            if ((n = lua_example_errors(c, c->example_good, 0)) != 0)
                fail("%s: example_good gives %zu load errors, expected none", c->code, n);
            tested++;
            continue;
        }
        if ((n = example_count(c, c->example_bad, "example_bad", 1)) != 1)
            fail("%s: example_bad gives %zu %s findings, expected exactly 1", c->code, n, c->code);
        if ((n = example_count(c, c->example_good, "example_good", 0)) != 0)
            fail("%s: example_good gives %zu %s findings, expected none", c->code, n, c->code);
        tested++;
    }
    printf("examples: %zu checks, %d failures\n", tested, failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "fixture") == 0)
        return cmd_fixture(argv[2]);
    if (argc == 3 && strcmp(argv[1], "registry") == 0)
        return cmd_registry(argv[2]);
    if (argc == 2 && strcmp(argv[1], "examples") == 0)
        return cmd_examples();
    fprintf(stderr, "usage: chartlint_fixtures fixture DIR | registry DIR | examples\n");
    return 2;
}
