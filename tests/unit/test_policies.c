/* test_policies.c -- the bundled policy packs (policies/) load cleanly, document every
 * rule, and each rule's example_bad gives exactly one finding of it and example_good
 * none, as fixture.examples holds the built-in checks to. The packs' fixtures are run
 * by `chartlint test` (tests/policies.cmake). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chartlint.h"
#include "finding.h"
#include "lua_host.h"
#include "policy.h"

static void pack_dir(char *buf, size_t size, const char *name)
{
    const char *testdata = getenv("CL_TESTDATA");

    snprintf(buf, size, "%s/../policies/%s", testdata ? testdata : "testdata", name);
}

/* Findings of check id when only it runs on yaml, with the pack at dir loaded. */
static size_t findings(const char *dir, const char *id, const char *yaml)
{
    const char *pol[] = { dir, NULL }, *only[] = { id, NULL }, *err = NULL;
    struct cl_options opts;
    struct cl_run *run;
    size_t n = 0;

    cl_options_init(&opts);
    opts.policies = pol;
    opts.only = only;
    opts.quiet = true;
    opts.color = 0;
    run = cl_run_new(&opts, &err);
    if (!run)
        fail_msg("cl_run_new: %s", err ? err : "?");
    cl_run_buffer(run, "example.yaml", yaml, strlen(yaml));
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        if (strcmp(f->check, id) == 0)
            n++;
        else if (strcmp(f->code, "CL0010") == 0)
            fail_msg("%s: policy error: %s", id, f->message);
    }
    cl_run_free(run);
    return n;
}

static void check_pack(const char *name, size_t min_rules, enum cl_severity all_sev)
{
    char dir[1024], prefix[128];
    struct cl_lua *lx = cl_lua_new(0);
    const char *err = NULL;
    size_t nrules = 0;

    pack_dir(dir, sizeof dir, name);
    snprintf(prefix, sizeof prefix, "%s.", name);
    if (cl_policy_load_pack(lx, dir, &err) < 0)
        fail_msg("%s: %s", dir, err ? err : "cannot load");
    for (size_t i = 0; i < cl_lua_nerrors(lx); i++)
        fail_msg("%s: %s", name, cl_lua_error_get(lx, i)->message);
    for (size_t i = 0; i < cl_lua_ncheck(lx); i++) {
        const struct cl_check *c = cl_lua_check(lx, i);

        if (strncmp(c->name, prefix, strlen(prefix)) != 0)
            continue;
        nrules++;
        if (!c->summary || !c->rationale || !c->remediation || !c->example_bad ||
            !c->example_good)
            fail_msg("%s: documentation incomplete", c->name);
        if (all_sev != CL_SEV_NONE && c->severity != all_sev)
            fail_msg("%s: severity %d", c->name, (int)c->severity);
        if (findings(dir, c->name, c->example_bad) != 1)
            fail_msg("%s: example_bad does not give exactly one finding", c->name);
        if (findings(dir, c->name, c->example_good) != 0)
            fail_msg("%s: example_good gives a finding", c->name);
    }
    cl_lua_free(lx);
    if (nrules < min_rules)
        fail_msg("%s: %zu rules, expected at least %zu", name, nrules, min_rules);
}

static void test_pss_restricted(void **state)
{
    (void)state;
    check_pack("pss-restricted", 15, CL_SEV_ERROR);
}

static void test_acme(void **state)
{
    (void)state;
    check_pack("acme", 6, CL_SEV_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pss_restricted),
        cmocka_unit_test(test_acme),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
