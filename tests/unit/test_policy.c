/* test_policy.c -- policy packs: pack.yaml problems at their line:col, the minimum
 * version, rule globs kept inside the pack, params, and what a pack selects and
 * re-grades in a run. */
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
#include "finding.h"
#include "lua_host.h"
#include "policy.h"

static char dir[] = "/tmp/chartlint-policy-XXXXXX";

static void put(const char *name, const char *text)
{
    char path[512];
    FILE *fp;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static const char rule_a[] =
    "return { id = 'a', severity = 'info',\n"
    "  params = { n = { type = 'int', default = 1, doc = 'n' },\n"
    "             names = { type = 'list', default = { 'x' }, doc = 'names' } },\n"
    "  check = function(obj, ctx)\n"
    "    ctx:report{ node = obj, message = ('a %d %s'):format(ctx.params.n,\n"
    "      table.concat(ctx.params.names, '+')) }\n"
    "  end }\n";

static int setup(void **state)
{
    char path[600];

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/rules", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    put("rules/a.lua", rule_a);
    return 0;
}

static int teardown(void **state)
{
    char cmd[600];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

/* Load dir into a fresh host; the caller frees it. */
static struct cl_lua *load(const struct cl_pack **pack)
{
    struct cl_lua *lx = cl_lua_new(0);
    const char *err = NULL;

    *pack = cl_policy_load(lx, dir, &err);
    assert_non_null(*pack);
    return lx;
}

/* Is there a load error at line:col whose message holds text? */
/* The value of param name of check, or NULL. */
static const char *param_of(const struct cl_check *c, const char *name)
{
    for (const struct cl_param *p = c->params; p && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p->default_value;
    return NULL;
}

static bool has_error(const struct cl_lua *lx, unsigned line, unsigned col, const char *text)
{
    for (size_t i = 0; i < cl_lua_nerrors(lx); i++) {
        const struct cl_lua_error *e = cl_lua_error_get(lx, i);

        if (e->pos.line == line && e->pos.col == col && strstr(e->message, text) &&
            strstr(e->pos.file, "pack.yaml"))
            return true;
    }
    for (size_t i = 0; i < cl_lua_nerrors(lx); i++) {
        const struct cl_lua_error *e = cl_lua_error_get(lx, i);

        print_message("  %s:%u:%u: %s\n", e->pos.file, (unsigned)e->pos.line,
                      (unsigned)e->pos.col, e->message);
    }
    return false;
}

static void test_good_pack(void **state)
{
    const struct cl_pack *pack;
    struct cl_lua *lx;

    (void)state;
    put("pack.yaml", "name: acme\nversion: 1.2.0-rc.1\ndescription: \"Acme rules\"\n"
                     "chartlint: \">= 0.0.1\"\nparams:\n  a:\n    n: 7\n    names: [p, q]\n");
    lx = load(&pack);
    assert_int_equal(cl_lua_nerrors(lx), 0);
    assert_string_equal(pack->name, "acme");
    assert_string_equal(pack->version, "1.2.0-rc.1");
    assert_string_equal(pack->description, "Acme rules");
    assert_int_equal(pack->nrules, 1);
    assert_string_equal(cl_lua_check(lx, pack->first)->name, "acme.a");
    assert_ptr_equal(cl_policy_pack_of(lx, cl_lua_check(lx, pack->first)), pack);
    assert_string_equal(param_of(cl_lua_check(lx, pack->first), "n"), "7");
    assert_string_equal(param_of(cl_lua_check(lx, pack->first), "names"), "p,q");
    cl_lua_free(lx);
}

static void test_manifest_errors(void **state)
{
    const struct cl_pack *pack;
    struct cl_lua *lx;

    (void)state;
    put("pack.yaml", "name: 7up_\n"                       /* 1 */
                     "version: v1\n"                      /* 2 */
                     "description: [x]\n"                 /* 3 */
                     "rules: [\"/etc/*.lua\", \"rules/*.lua\", \"none/*.lua\"]\n"   /* 4 */
                     "params:\n"                          /* 5 */
                     "  a:\n"                             /* 6 */
                     "    n: many\n"                      /* 7 */
                     "    z: 1\n"                         /* 8 */
                     "  b: {n: 1}\n"                      /* 9 */
                     "checks:\n"                          /* 10 */
                     "  enable: [nope]\n"                 /* 11 */
                     "  sometimes: [a]\n"                 /* 12 */
                     "severity:\n"                        /* 13 */
                     "  a: loud\n"                        /* 14 */
                     "colour: red\n");                    /* 15 */
    lx = load(&pack);
    assert_true(has_error(lx, 1, 7, "must be kebab-case"));
    assert_true(has_error(lx, 2, 10, "is not a semantic version"));
    assert_true(has_error(lx, 3, 14, "description must be a string"));
    assert_true(has_error(lx, 4, 9, "must be a path inside the pack"));
    assert_true(has_error(lx, 4, 38, "matches no file"));
    assert_true(has_error(lx, 7, 5, "takes an integer"));
    assert_true(has_error(lx, 8, 5, "has no param \"z\" (it has: "));
    assert_true(has_error(lx, 9, 3, "\"b\" is not a rule of pack"));
    assert_true(has_error(lx, 11, 12, "unknown check \"nope\""));
    assert_true(has_error(lx, 12, 3, "unknown key \"sometimes\""));
    assert_true(has_error(lx, 14, 6, "must be error, warning or info"));
    assert_true(has_error(lx, 15, 1, "unknown key \"colour\""));
    assert_int_equal(cl_lua_nerrors(lx), 12);
    /* the rest still loads: the rule, under the directory's name */
    assert_int_equal(pack->nrules, 1);
    cl_lua_free(lx);
}

static void test_missing_and_bad_yaml(void **state)
{
    const struct cl_pack *pack;
    struct cl_lua *lx;

    (void)state;
    put("pack.yaml", "version: 1.0.0\n");
    lx = load(&pack);
    assert_true(has_error(lx, 1, 1, "missing \"name\""));
    assert_true(has_error(lx, 1, 1, "missing \"description\""));
    assert_int_equal(pack->nrules, 1);          /* the default rules glob */
    cl_lua_free(lx);

    put("pack.yaml", "name: x\nversion: [\n");
    lx = load(&pack);
    assert_true(cl_lua_nerrors(lx) >= 1);
    assert_non_null(strstr(cl_lua_error_get(lx, 0)->message, "invalid yaml"));
    cl_lua_free(lx);

    put("pack.yaml", "");
    lx = load(&pack);
    assert_true(has_error(lx, 1, 1, "pack.yaml is empty"));
    cl_lua_free(lx);
}

static void test_newer_chartlint(void **state)
{
    const struct cl_pack *pack;
    struct cl_lua *lx;

    (void)state;
    put("pack.yaml", "name: acme\nversion: 1.0.0\ndescription: d\nchartlint: \">= 999.1\"\n");
    lx = load(&pack);
    assert_true(has_error(lx, 4, 12, "needs chartlint >= 999.1"));
    assert_int_equal(pack->nrules, 0);          /* not loaded */
    cl_lua_free(lx);
}

static void test_symlink_outside(void **state)
{
    const struct cl_pack *pack;
    struct cl_lua *lx;
    char outside[600], link[600];

    (void)state;
    snprintf(outside, sizeof outside, "%s-outside.lua", dir);
    snprintf(link, sizeof link, "%s/rules/b.lua", dir);
    FILE *fp = fopen(outside, "w");
    assert_non_null(fp);
    fputs("return { id = 'b', check = function() end }\n", fp);
    fclose(fp);
    assert_int_equal(symlink(outside, link), 0);
    put("pack.yaml", "name: acme\nversion: 1.0.0\ndescription: d\nrules: [rules/*.lua]\n");
    lx = load(&pack);
    assert_true(has_error(lx, 4, 9, "is outside the pack"));
    assert_int_equal(pack->nrules, 1);
    cl_lua_free(lx);
    unlink(link);
    unlink(outside);
}

static void test_no_manifest(void **state)
{
    const struct cl_pack *pack;
    struct cl_lua *lx;
    const char *slash = strrchr(dir, '/');
    char path[600];

    (void)state;
    snprintf(path, sizeof path, "%s/pack.yaml", dir);
    unlink(path);
    lx = load(&pack);
    assert_int_equal(cl_lua_nerrors(lx), 0);
    assert_string_equal(pack->name, slash + 1);
    assert_null(pack->manifest);
    assert_int_equal(pack->nrules, 1);
    cl_lua_free(lx);
}

static void test_param_arg(void **state)
{
    const struct cl_pack *pack;
    struct cl_lua *lx;
    const char *err = NULL;

    (void)state;
    put("pack.yaml", "name: acme\nversion: 1.0.0\ndescription: d\n");
    lx = load(&pack);
    assert_int_equal(cl_policy_param_arg(lx, "acme.a.n=3", &err), 0);
    assert_string_equal(param_of(cl_lua_check(lx, pack->first), "n"), "3");
    assert_int_equal(cl_policy_param_arg(lx, "acme.a.names=u,v", &err), 0);
    assert_int_equal(cl_policy_param_arg(lx, "acme.a.n=x", &err), -1);
    assert_non_null(strstr(err, "takes an integer"));
    assert_int_equal(cl_policy_param_arg(lx, "acme.b.n=1", &err), -1);
    assert_non_null(strstr(err, "is not a rule of pack"));
    assert_int_equal(cl_policy_param_arg(lx, "other.a.n=1", &err), -1);
    assert_non_null(strstr(err, "no pack \"other\""));
    static const char *const bad[] = { "acme.a", "acme=1", ".a.n=1", "acme..n=1", "acme.a.=1",
                                       "acmea.n=1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(cl_policy_param_arg(lx, bad[i], &err), -1);
        assert_non_null(err);
    }
    cl_lua_free(lx);
}

/* In a run: pack.yaml's checks and severity apply, the command line wins. */
static void test_run_selection(void **state)
{
    static const char pod[] = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                              "spec:\n  containers:\n  - {name: app, image: nginx:1.27.0}\n";
    const char *policies[] = { dir, NULL };
    const char *params[] = { "acme.a.n=5", NULL };
    const char *enable[] = { "cpu-limit", NULL };
    struct cl_options opts;
    struct cl_run *run;
    const char *err = NULL;
    bool a = false, liveness = false, cpu_limit = false;

    (void)state;
    put("pack.yaml", "name: acme\nversion: 1.0.0\ndescription: d\n"
                     "checks:\n  disable: [cpu-limit]\nseverity:\n  acme.a: error\n"
                     "  liveness-probe: info\n");
    cl_options_init(&opts);
    opts.policies = policies;
    opts.policy_params = params;
    opts.no_config = true;
    run = cl_run_new(&opts, &err);
    assert_non_null(run);
    cl_run_buffer(run, "pod.yaml", pod, strlen(pod));
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        if (strcmp(f->check, "acme.a") == 0) {
            a = true;
            assert_int_equal(f->severity, CL_SEV_ERROR);
            assert_string_equal(f->message, "a 5 x");
        }
        liveness |= strcmp(f->check, "liveness-probe") == 0 && f->severity == CL_SEV_INFO;
        cpu_limit |= strcmp(f->check, "cpu-limit") == 0;
        assert_string_not_equal(f->check, "policy-error");
    }
    assert_true(a && liveness && !cpu_limit);
    cl_run_free(run);

    opts.enable = enable;                       /* --enable beats the pack's disable */
    run = cl_run_new(&opts, &err);
    assert_non_null(run);
    cl_run_buffer(run, "pod.yaml", pod, strlen(pod));
    cpu_limit = false;
    for (size_t i = 0; i < cl_run_nfindings(run); i++)
        cpu_limit |= strcmp(cl_run_finding(run, i)->check, "cpu-limit") == 0;
    assert_true(cpu_limit);
    cl_run_free(run);

    params[0] = "acme.a.nope=1";                /* a bad --policy-param is a usage error */
    assert_null(cl_run_new(&opts, &err));
    assert_non_null(strstr(err, "no param \"nope\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_pack),
        cmocka_unit_test(test_manifest_errors),
        cmocka_unit_test(test_missing_and_bad_yaml),
        cmocka_unit_test(test_newer_chartlint),
        cmocka_unit_test(test_symlink_outside),
        cmocka_unit_test(test_param_arg),
        cmocka_unit_test(test_run_selection),
        cmocka_unit_test(test_no_manifest),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
