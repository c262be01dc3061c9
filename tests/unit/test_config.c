/* test_config.c -- the configuration file: every key read, every error at its line:col,
 * globs, discovery walking up, and a run that applies a config. */
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
#include "config.h"
#include "finding.h"
#include "util.h"

static struct cl_arena arena;

static struct cl_config *parse(const char *text)
{
    cl_arena_reset(&arena);
    return cl_config_parse(&arena, ".chartlint.yaml", "/repo", text, strlen(text));
}

/* The config has exactly one error, at line:col, whose message contains want. */
static void one_error(const char *text, uint32_t line, uint32_t col, const char *want)
{
    struct cl_config *cfg = parse(text);

    if (cfg->nerrors != 1) {
        for (size_t i = 0; i < cfg->nerrors; i++)
            print_message("  %u:%u: %s\n", cfg->errors[i].pos.line, cfg->errors[i].pos.col,
                          cfg->errors[i].message);
        fail_msg("%zu errors for:\n%s", cfg->nerrors, text);
    }
    if (cfg->errors[0].pos.line != line || cfg->errors[0].pos.col != col ||
        !strstr(cfg->errors[0].message, want))
        fail_msg("got %u:%u: %s\nwant %u:%u: ...%s...", cfg->errors[0].pos.line,
                 cfg->errors[0].pos.col, cfg->errors[0].message, line, col, want);
    assert_string_equal(cfg->errors[0].pos.file, ".chartlint.yaml");
}

static void test_full(void **state)
{
    struct cl_config *cfg;

    (void)state;
    cfg = parse("version: 1\n"
                "fail-on: error\n"
                "checks:\n"
                "  only: [read-only-root-fs]\n"
                "  enable: CL1002\n"
                "  disable: [liveness-probe, readiness-probe]\n"
                "severity:\n"
                "  liveness-probe: info\n"
                "params:\n"
                "  dangerous-capabilities:\n"
                "    allowed: [NET_BIND_SERVICE, CHOWN]\n"
                "  some-rule:\n"
                "    max: 3\n"
                "    strict: yes\n"
                "    name: x\n"
                "policies:\n"
                "  - packs/acme\n"
                "  - path: /abs/pack\n"
                "    params:\n"
                "      require-labels: {labels: [a, b]}\n"
                "exclude: [\"vendor/**\", \"*.tmp.yaml\"]\n"
                "charts:\n"
                "  web:\n"
                "    values: [ci/values.yaml, /abs/v.yaml]\n"
                "    set: [a=1]\n"
                "    set-string: b=2\n"
                "    release-name: rel\n"
                "    namespace: prod\n"
                "    kube-version: v1.30.0\n"
                "suppressions:\n"
                "  - checks: [liveness-probe, CL2002]\n"
                "    chart: web\n"
                "    files: \"templates/*.yaml\"\n"
                "    kind: Deployment\n"
                "    name: web\n"
                "    namespace: prod\n"
                "    container: app\n"
                "    reason: the mesh probes it\n");
    for (size_t i = 0; i < cfg->nerrors; i++)
        print_message("%u:%u: %s\n", cfg->errors[i].pos.line, cfg->errors[i].pos.col,
                      cfg->errors[i].message);
    assert_int_equal(cfg->nerrors, 0);
    assert_int_equal(cfg->fail_on, CL_SEV_ERROR);
    assert_true(cfg->has_only);
    assert_int_equal(cfg->only.n, 1);
    assert_string_equal(cfg->only.v[0].id, "read-only-root-fs");
    assert_int_equal(cfg->only.v[0].pos.line, 4);
    assert_int_equal(cfg->only.v[0].pos.col, 10);
    assert_int_equal(cfg->enable.n, 1);
    assert_string_equal(cfg->enable.v[0].id, "CL1002");
    assert_int_equal(cfg->disable.n, 2);
    assert_int_equal(cfg->nseverity, 1);
    assert_int_equal(cfg->severity[0].severity, CL_SEV_INFO);
    assert_int_equal(cfg->nparams, 4);
    assert_string_equal(cfg->params[0].value, "NET_BIND_SERVICE,CHOWN");
    assert_int_equal(cfg->params[0].type, CL_PARAM_STRING_LIST);
    assert_string_equal(cfg->params[1].value, "3");
    assert_int_equal(cfg->params[1].type, CL_PARAM_INT);
    assert_string_equal(cfg->params[2].value, "true");
    assert_int_equal(cfg->params[2].type, CL_PARAM_BOOL);
    assert_int_equal(cfg->params[3].type, CL_PARAM_STRING);
    assert_int_equal(cfg->policies.n, 2);
    assert_string_equal(cfg->policies.v[0].id, "/repo/packs/acme");
    assert_string_equal(cfg->policies.v[1].id, "/abs/pack");
    assert_int_equal(cfg->npack_params, 1);
    assert_int_equal(cfg->pack_params[0].policy, 1);
    assert_string_equal(cfg->pack_params[0].check.id, "require-labels");
    assert_string_equal(cfg->pack_params[0].name, "labels");
    assert_string_equal(cfg->pack_params[0].value, "a,b");
    assert_int_equal(cfg->pack_params[0].name_pos.line, 20);
    assert_int_equal(cfg->exclude.n, 2);
    assert_int_equal(cfg->ncharts, 1);
    assert_string_equal(cfg->charts[0].key, "web");
    assert_int_equal(cfg->charts[0].values.n, 2);
    assert_string_equal(cfg->charts[0].values.v[0].id, "/repo/ci/values.yaml");
    assert_string_equal(cfg->charts[0].set.v[0].id, "a=1");
    assert_string_equal(cfg->charts[0].set_string.v[0].id, "b=2");
    assert_string_equal(cfg->charts[0].release_name, "rel");
    assert_string_equal(cfg->charts[0].namespace, "prod");
    assert_string_equal(cfg->charts[0].kube_version, "v1.30.0");
    assert_int_equal(cfg->nsuppressions, 1);
    assert_int_equal(cfg->suppressions[0].checks.n, 2);
    assert_string_equal(cfg->suppressions[0].chart, "web");
    assert_string_equal(cfg->suppressions[0].files, "templates/*.yaml");
    assert_string_equal(cfg->suppressions[0].kind, "Deployment");
    assert_string_equal(cfg->suppressions[0].name, "web");
    assert_string_equal(cfg->suppressions[0].namespace, "prod");
    assert_string_equal(cfg->suppressions[0].container, "app");
    assert_string_equal(cfg->suppressions[0].reason, "the mesh probes it");
    assert_int_equal(cfg->suppressions[0].pos.line, 31);
    assert_int_equal(cfg->suppressions[0].pos.col, 5);
}

static void test_empty(void **state)
{
    (void)state;
    assert_int_equal(parse("")->nerrors, 0);
    assert_int_equal(parse("# only a comment\n")->nerrors, 0);
    assert_int_equal(parse("---\n")->nerrors, 0);
    assert_int_equal(parse("version: 1\n")->fail_on, CL_SEV_NONE);
}

static void test_errors(void **state)
{
    (void)state;
    one_error("- a\n- b\n", 1, 1, "the config file must be a mapping, not a list");
    one_error("version: 1\ncolour: true\n", 2, 1,
              "unknown key \"colour\" in the config file (expected version, fail-on,");
    one_error("version: 2\n", 1, 10, "unsupported config version 2 (this chartlint reads "
              "version 1)");
    one_error("version: one\n", 1, 10, "version must be a number");
    one_error("fail-on: fatal\n", 1, 10, "invalid fail-on \"fatal\" (expected error, "
              "warning or info)");
    one_error("fail-on:\n", 1, 8, "fail-on must be a string, not empty");
    one_error("checks: [a]\n", 1, 9, "checks must be a mapping, not a list");
    one_error("checks:\n  disabel: [x]\n", 2, 3, "unknown key \"disabel\" in checks "
              "(expected only, enable or disable)");
    one_error("checks:\n  enable: {a: 1}\n", 2, 11, "checks.enable must be a list of "
              "strings, not a mapping");
    one_error("checks:\n  enable: [a, [b]]\n", 2, 15, "each item of a list must be a "
              "string, not a list");
    one_error("checks:\n  enable: [a, \"\"]\n", 2, 15, "each item of a list must not be "
              "empty");
    one_error("severity:\n  liveness-probe: fatal\n", 2, 19, "invalid severity \"fatal\"");
    one_error("severity:\n  liveness-probe: [info]\n", 2, 19, "severity must be a string, "
              "not a list");
    one_error("severity: error\n", 1, 11, "severity must be a mapping, not a scalar");
    one_error("params:\n  x: [1]\n", 2, 6, "params of \"x\" must be a mapping, not a list");
    one_error("params:\n  x:\n    p: {a: b}\n", 3, 8, "a param value must be a string, "
              "number, boolean or list, not a mapping");
    one_error("params:\n  x:\n    p: [a, \"b,c\"]\n", 3, 12, "must not contain ','");
    one_error("params:\n  x:\n    p:\n", 3, 6, "not empty");
    one_error("policies: packs/acme\n", 1, 11, "policies must be a list of pack directories");
    one_error("policies:\n  - path: p\n    parms: {}\n", 3, 5, "unknown key \"parms\" in "
              "a policies entry (expected path or params)");
    one_error("policies:\n  - path: p\n    params: [a]\n", 3, 13, "params of a policies "
              "entry must be a mapping, not a list");
    one_error("policies:\n  - {path: p, name: acme}\n", 2, 15, "unknown key \"name\"");
    one_error("policies:\n  - {path: p, params: {r: {x: {a: 1}}}}\n", 2, 31,
              "a param value must be a string");
    one_error("exclude: [\"[a-\"]\n", 1, 11, "bad glob \"[a-\" in exclude");
    one_error("exclude: [\"\"]\n", 1, 11, "each item of a list must not be empty");
    one_error("charts: [web]\n", 1, 9, "charts must be a mapping, not a list");
    one_error("charts:\n  web: [v.yaml]\n", 2, 8, "charts entry \"web\" must be a mapping");
    one_error("charts:\n  web:\n    valeus: [v.yaml]\n", 3, 5, "unknown key \"valeus\" in "
              "charts entry \"web\" (expected values, set, set-string, release-name, "
              "namespace or kube-version)");
    one_error("charts:\n  web:\n    namespace: [a]\n", 3, 16, "namespace must be a string");
    one_error("suppressions: {checks: [a]}\n", 1, 15, "suppressions must be a list of "
              "entries, not a mapping");
    one_error("suppressions:\n  - checks: [a]\n", 2, 5, "a suppressions entry needs a "
              "\"reason\"");
    one_error("suppressions:\n  - checks: [a]\n    reason: \"  \"\n", 3, 13,
              "reason must not be blank");
    one_error("suppressions:\n  - checks: [a]\n    reason: \"\"\n", 3, 13,
              "reason must not be empty");
    one_error("suppressions:\n  - reason: r\n", 2, 5, "needs \"checks\"");
    one_error("suppressions:\n  - checks: []\n    reason: r\n", 2, 13, "must not be empty");
    one_error("suppressions:\n  - checks: [a]\n    reason: r\n    file: x\n", 4, 5,
              "unknown key \"file\" in a suppressions entry (expected checks, chart, files,");
    one_error("suppressions:\n  - checks: [a]\n    reason: r\n    files: \"[x\"\n", 4, 12,
              "bad glob \"[x\" in files");
    one_error("suppressions:\n  - checks: [a]\n    reason: r\n    kind: [Pod]\n", 4, 11,
              "kind must be a string");
    one_error("suppressions:\n  - just text\n", 2, 5, "a suppressions entry must be a "
              "mapping, not a scalar");
    one_error("version: 1\nversion: 1\n", 2, 1, "duplicate key \"version\"");
    one_error("? [a]\n: 1\n", 1, 3, "keys of the config file must be strings");
}

static void test_entries_with_errors_dropped(void **state)
{
    struct cl_config *cfg;

    (void)state;
    cfg = parse("suppressions:\n"
                "  - checks: [a]\n"
                "  - checks: [b]\n"
                "    reason: fine\n"
                "  - checks: [c]\n"
                "    reason: r\n"
                "    files: \"[x\"\n");
    assert_int_equal(cfg->nerrors, 2);
    assert_int_equal(cfg->nsuppressions, 1);
    assert_string_equal(cfg->suppressions[0].checks.v[0].id, "b");
}

static void test_bad_input(void **state)
{
    struct cl_config *cfg;
    char *big;

    (void)state;
    one_error("checks: [\n", 2, 1, "invalid yaml");
    one_error("a: b: c\n", 1, 5, "invalid yaml");
    cl_arena_reset(&arena);
    cfg = cl_config_parse(&arena, "c.yaml", "/", "version: 1\0\x01\x02", 14);
    assert_int_equal(cfg->nerrors, 1);
    assert_non_null(strstr(cfg->errors[0].message, "not text"));
    assert_int_equal(cfg->errors[0].pos.line, 1);
    big = malloc(CL_CONFIG_MAX_BYTES + 2);
    memset(big, '#', CL_CONFIG_MAX_BYTES + 1);
    big[CL_CONFIG_MAX_BYTES + 1] = '\0';
    cl_arena_reset(&arena);
    cfg = cl_config_parse(&arena, "c.yaml", "/", big, CL_CONFIG_MAX_BYTES + 1);
    assert_int_equal(cfg->nerrors, 1);
    assert_non_null(strstr(cfg->errors[0].message, "too big"));
    free(big);
    one_error("version: 1\n---\nversion: 1\n", 3, 1, "more than one yaml document");
    /* deep nesting under a known key: one error, no recursion */
    {
        struct cl_buf b;

        cl_buf_init(&b);
        cl_buf_adds(&b, "checks:\n  enable: ");
        for (int i = 0; i < 100000; i++)
            cl_buf_addc(&b, '[');
        for (int i = 0; i < 100000; i++)
            cl_buf_addc(&b, ']');
        cl_buf_addc(&b, '\n');
        one_error(b.data, 2, 12, "each item of a list must be a string, not a list");
        cl_buf_fini(&b);
    }
    /* an alias bomb is one node per alias */
    cfg = parse("a: &a [x, x, x, x, x, x, x, x]\n"
                "b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
                "checks:\n  enable: *c\n");
    assert_true(cfg->nerrors >= 3);
}

static void test_globs(void **state)
{
    (void)state;
    assert_null(cl_config_glob_check("vendor/**"));
    assert_non_null(cl_config_glob_check("[a"));
    assert_non_null(cl_config_glob_check(""));
    assert_true(cl_config_glob_match("vendor/**", "vendor/a/b.yaml"));
    assert_true(cl_config_glob_match("vendor", "x/vendor/b.yaml"));
    assert_true(cl_config_glob_match("vendor/", "x/vendor/b.yaml"));
    assert_false(cl_config_glob_match("vendor/**", "x/vendor/b.yaml"));
    assert_true(cl_config_glob_match("**/vendor/**", "x/vendor/b.yaml"));
    assert_true(cl_config_glob_match("*.tmp.yaml", "a/b/c.tmp.yaml"));
    assert_false(cl_config_glob_match("*.tmp.yaml", "a/b/c.yaml"));
    assert_true(cl_config_glob_match("charts/*/templates/*.yaml", "charts/web/templates/a.yaml"));
    assert_false(cl_config_glob_match("charts/*/templates/*.yaml",
                                      "charts/web/x/templates/a.yaml"));
    assert_true(cl_config_glob_match("charts/**/a.yaml", "charts/a.yaml"));
    assert_true(cl_config_glob_match("charts/**/a.yaml", "charts/x/y/z/a.yaml"));
    assert_true(cl_config_glob_match("./charts/web", "charts/web/templates/a.yaml"));
    assert_false(cl_config_glob_match("charts/we", "charts/web/templates/a.yaml"));
    assert_true(cl_config_glob_match("c?arts/[vw]eb/**", "charts/web/a"));
    assert_true(cl_config_glob_match("**", "anything/at/all"));
    /* many "**" segments stay linear enough */
    assert_false(cl_config_glob_match("**/**/**/**/**/**/**/**/**/**/x",
                                      "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/y"));
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_find(void **state)
{
    char tmpl[] = "/tmp/chartlint-config-XXXXXX";
    char *top = mkdtemp(tmpl), path[512], *found, cwd[4096];

    (void)state;
    assert_non_null(top);
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/repo", top);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/repo/.git", top);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/repo/a", top);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/repo/a/b", top);
    mkdir(path, 0777);
    /* above the git top level: never found */
    snprintf(path, sizeof path, "%s/.chartlint.yaml", top);
    write_file(path, "version: 1\n");
    snprintf(path, sizeof path, "%s/repo/a/b", top);
    assert_null(cl_config_find(path));
    /* at the top level, from a directory and from a file below */
    snprintf(path, sizeof path, "%s/repo/.chartlint.yml", top);
    write_file(path, "version: 1\n");
    snprintf(path, sizeof path, "%s/repo/a/b", top);
    found = cl_config_find(path);
    assert_non_null(found);
    assert_non_null(strstr(found, "/repo/.chartlint.yml"));
    free(found);
    /* the nearest wins, .yaml before .yml; relative to the working directory */
    snprintf(path, sizeof path, "%s/repo/a/.chartlint.yaml", top);
    write_file(path, "version: 1\n");
    snprintf(path, sizeof path, "%s/repo/a/b/m.yaml", top);
    write_file(path, "a: 1\n");
    snprintf(path, sizeof path, "%s/repo", top);
    assert_int_equal(chdir(path), 0);
    found = cl_config_find("a/b/m.yaml");
    assert_string_equal(found, "a/.chartlint.yaml");
    free(found);
    assert_int_equal(chdir(cwd), 0);
    snprintf(path, sizeof path, "rm -rf '%s'", top);
    assert_int_equal(system(path), 0);
}

/* A run with --config: selection, severity, params, suppressions and fail-on apply. */
static void test_run_applies(void **state)
{
    char tmpl[] = "/tmp/chartlint-config-XXXXXX";
    char *dir = mkdtemp(tmpl), path[512];
    static const char pod[] =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        "  - name: app\n    image: nginx:1.27.0\n"
        "    securityContext:\n      capabilities:\n        add: [SYS_TIME, SYS_ADMIN]\n";
    struct cl_options opts;
    struct cl_run *run;
    const char *err = NULL;
    size_t dangerous = 0, suppressed = 0, config_errors = 0;
    FILE *devnull = fopen("/dev/null", "w");

    (void)state;
    assert_non_null(dir);
    snprintf(path, sizeof path, "%s/.chartlint.yaml", dir);
    write_file(path, "version: 1\n"
                     "fail-on: error\n"
                     "checks:\n  only: [dangerous-capabilities, liveness-probe]\n"
                     "severity:\n  liveness-probe: info\n"
                     "params:\n  dangerous-capabilities:\n    allowed: [SYS_TIME]\n"
                     "suppressions:\n"
                     "  - checks: [CL1004]\n    kind: Pod\n    container: app\n"
                     "    reason: needs it\n"
                     "  - checks: [liveness-probe]\n    kind: Deployment\n"
                     "    reason: unused\n"
                     "  - checks: [no-such]\n    reason: r\n");
    cl_options_init(&opts);
    opts.config = path;
    opts.quiet = true;
    run = cl_run_new(&opts, &err);
    assert_non_null(run);
    cl_run_buffer(run, "pod.yaml", pod, strlen(pod));
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        if (strcmp(f->check, "dangerous-capabilities") == 0) {
            dangerous++;
            suppressed += f->suppressed;
            assert_string_equal(f->suppression_kind, "config");
            assert_string_equal(f->suppression_reason, "needs it");
            assert_non_null(strstr(f->message, "SYS_ADMIN"));
        } else if (strcmp(f->check, "liveness-probe") == 0) {
            assert_int_equal(f->severity, CL_SEV_INFO);
            assert_false(f->suppressed);
        } else if (strcmp(f->check, "config-error") == 0) {
            config_errors++;
            assert_int_equal(f->pos.line, 18);
            assert_int_equal(f->pos.col, 14);
        } else {
            fail_msg("unexpected finding of %s: %s", f->check, f->message);
        }
    }
    assert_int_equal(dangerous, 1);     /* SYS_TIME is allowed by the param */
    assert_int_equal(suppressed, 1);
    assert_int_equal(config_errors, 1);
    /* the config error is an error: the run fails */
    assert_int_equal(cl_run_report(run, devnull), CL_EXIT_FINDINGS);
    cl_run_free(run);

    /* --fail-on on the command line wins over the config's */
    write_file(path, "fail-on: info\nchecks:\n  only: [liveness-probe]\n"
                     "severity:\n  liveness-probe: info\n");
    opts.fail_on = CL_SEV_ERROR;
    run = cl_run_new(&opts, &err);
    cl_run_buffer(run, "pod.yaml", pod, strlen(pod));
    assert_int_equal(cl_run_report(run, devnull), CL_EXIT_OK);
    cl_run_free(run);
    opts.fail_on = CL_SEV_NONE;
    run = cl_run_new(&opts, &err);
    cl_run_buffer(run, "pod.yaml", pod, strlen(pod));
    assert_int_equal(cl_run_report(run, devnull), CL_EXIT_FINDINGS);
    cl_run_free(run);

    /* an unreadable --config is an error of the options */
    snprintf(path, sizeof path, "%s/missing.yaml", dir);
    opts.config = path;
    assert_null(cl_run_new(&opts, &err));
    assert_non_null(strstr(err, "cannot read the config file"));
    fclose(devnull);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

static void test_keys(void **state)
{
    struct cl_buf b;

    (void)state;
    cl_buf_init(&b);
    cl_config_list_keys(&b);
    assert_non_null(strstr(b.data, "\nfail-on\n"));
    assert_non_null(strstr(b.data, "\ncharts.*.set-string\n"));
    assert_non_null(strstr(b.data, "\nsuppressions[].reason\n"));
    cl_buf_fini(&b);
}

static int setup(void **state)
{
    (void)state;
    cl_arena_init(&arena);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cl_arena_fini(&arena);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_entries_with_errors_dropped),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_globs),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_run_applies),
        cmocka_unit_test(test_keys),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
