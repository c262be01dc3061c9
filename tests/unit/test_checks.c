/* test_checks.c -- the per-object built-in checks through cl_run_buffer: where each
 * finding points (YAML path, container), severities, the CL1004 parameter default, and
 * the checks' declarations. Messages and line:col are covered by testdata/checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chartlint.h"
#include "finding.h"

/* Run only the check id over yaml; the caller frees the run. */
static struct cl_run *lint(const char *id, const char *yaml)
{
    struct cl_options opts;
    const char *only[] = {id, NULL};
    const char *err = NULL;
    struct cl_run *run;

    cl_options_init(&opts);
    opts.only = id ? only : NULL;
    run = cl_run_new(&opts, &err);
    if (!run)
        fail_msg("cl_run_new: %s", err ? err : "?");
    cl_run_buffer(run, "t.yaml", yaml, strlen(yaml));
    return run;
}

/* The findings of code in run, in report order is not needed: tests look them up by path.
 */
static const struct cl_finding *find(const struct cl_run *run, const char *code,
                                     const char *path)
{
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        if (strcmp(f->code, code) == 0 && f->path && strcmp(f->path, path) == 0)
            return f;
    }
    return NULL;
}

static size_t count(const struct cl_run *run, const char *code)
{
    size_t n = 0;

    for (size_t i = 0; i < cl_run_nfindings(run); i++)
        n += strcmp(cl_run_finding(run, i)->code, code) == 0;
    return n;
}

/* Expect one finding of code at path for container (NULL: object-level). */
static void expect(const struct cl_run *run, const char *code, const char *path,
                   const char *container)
{
    const struct cl_finding *f = find(run, code, path);

    if (!f) {
        for (size_t i = 0; i < cl_run_nfindings(run); i++)
            print_message("  have %s at %s\n", cl_run_finding(run, i)->code,
                          cl_run_finding(run, i)->path);
        fail_msg("no %s finding at %s", code, path);
    }
    if (container)
        assert_string_equal(f->container, container);
    else
        assert_null(f->container);
}

static void test_dangerous_capabilities_default_allowed(void **state)
{
    struct cl_run *run = lint(
        "dangerous-capabilities",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - name: app\n    securityContext:\n      capabilities:\n"
        "        add: [NET_BIND_SERVICE, SYS_ADMIN, cap_net_bind_service, CAP_SYS_TIME]\n");
    const struct cl_finding *f;

    assert_int_equal(count(run, "CL1004"), 2);
    expect(run, "CL1004", "spec.containers[0].securityContext.capabilities.add[1]", "app");
    expect(run, "CL1004", "spec.containers[0].securityContext.capabilities.add[3]", "app");
    f = find(run, "CL1004", "spec.containers[0].securityContext.capabilities.add[1]");
    assert_int_equal(f->severity, CL_SEV_ERROR);
    assert_string_equal(f->check, "dangerous-capabilities");
    assert_string_equal(f->kind, "Pod");
    assert_string_equal(f->name, "p");
    cl_run_free(run);
}

static void test_missing_field_nearest_node(void **state)
{
    struct cl_run *run = lint(
        "read-only-root-fs",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
        "    spec:\n      containers:\n      - name: bare\n"
        "      - name: sc\n        securityContext: {runAsNonRoot: true}\n"
        "      - name: ro-off\n        securityContext: {readOnlyRootFilesystem: false}\n");

    assert_int_equal(count(run, "CL1001"), 3);
    expect(run, "CL1001", "spec.template.spec.containers[0]", "bare");
    expect(run, "CL1001", "spec.template.spec.containers[1].securityContext", "sc");
    expect(run, "CL1001",
           "spec.template.spec.containers[2].securityContext.readOnlyRootFilesystem",
           "ro-off");
    cl_run_free(run);
}

static void test_run_as_root_from_pod(void **state)
{
    struct cl_run *run = lint(
        "CL1002",
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n"
        "    spec:\n      template:\n        spec:\n"
        "          securityContext: {runAsUser: 0}\n"
        "          containers: [{name: a}, {name: b, securityContext: {runAsUser: 7}}]\n");

    assert_int_equal(count(run, "CL1002"), 1);
    expect(run, "CL1002", "spec.jobTemplate.spec.template.spec.securityContext.runAsUser",
           "a");
    cl_run_free(run);
}

static void test_list_items_and_unnamed(void **state)
{
    struct cl_run *run =
        lint("liveness-probe",
             "apiVersion: v1\nkind: List\nitems:\n"
             "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: cm}\n"
             "- apiVersion: apps/v1\n  kind: StatefulSet\n  metadata: {name: s}\n  spec:\n"
             "    template:\n      spec:\n        containers:\n"
             "        - {name: a, livenessProbe: {exec: {command: [x]}}}\n        - "
             "{image: x}\n");

    assert_int_equal(count(run, "CL2001"), 1);
    expect(run, "CL2001", "items[1].spec.template.spec.containers[1]", "containers[1]");
    cl_run_free(run);
}

static void test_field_type_scopes(void **state)
{
    struct cl_run *run = lint(
        "field-type",
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n  template:\n"
        "    spec:\n      securityContext: {runAsNonRoot: 'true'}\n"
        "      initContainers: [web]\n"
        "      containers:\n      - name: app\n        resources: {limits: {cpu: [1]}}\n");

    assert_int_equal(count(run, "CL0004"), 3);
    expect(run, "CL0004", "spec.template.spec.securityContext.runAsNonRoot", NULL);
    expect(run, "CL0004", "spec.template.spec.initContainers[0]", NULL);
    expect(run, "CL0004", "spec.template.spec.containers[0].resources.limits.cpu", "app");
    cl_run_free(run);
}

static void test_resources_limit_counts_as_request(void **state)
{
    static const char *const yaml =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - name: a\n    resources: {limits: {cpu: 1, memory: 1Gi}}\n"
        "  initContainers:\n  - name: i\n    resources: {requests: {cpu: 1, memory: 1Gi}}\n"
        "  ephemeralContainers:\n  - name: e\n";
    static const char *const request_codes[] = {"CL3001", "CL3002"};
    static const char *const limit_codes[] = {"CL3003", "CL3004"};

    for (size_t i = 0; i < 2; i++) {
        struct cl_run *run = lint(request_codes[i], yaml);

        assert_int_equal(count(run, request_codes[i]), 0);
        cl_run_free(run);
        run = lint(limit_codes[i], yaml);
        assert_int_equal(count(run, limit_codes[i]), 1);
        expect(run, limit_codes[i], "spec.initContainers[0].resources", "i");
        cl_run_free(run);
    }
}

/* Every check on a document whose fields all have the wrong type: CL0004 findings, and
 * from the others only what a missing field gives. */
static void test_all_checks_wrong_types(void **state)
{
    struct cl_run *run = lint(
        NULL, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
              "  securityContext: [x]\n  restartPolicy: {}\n"
              "  containers:\n  - name: [a]\n    securityContext: 'x'\n    resources: 1\n"
              "    livenessProbe: [x]\n    readinessProbe: 1\n  - 5\n"
              "  initContainers: {x: 1}\n  ephemeralContainers: ''\n");

    assert_int_equal(count(run, "CL0004"), 10); /* the quoted empty string too */
    assert_int_equal(count(run, "CL1001"), 1);
    assert_int_equal(count(run, "CL1002"), 1);
    assert_int_equal(count(run, "CL2001"), 1);
    assert_int_equal(count(run, "CL2002"), 1);
    assert_int_equal(count(run, "CL3004"), 1);
    expect(run, "CL2001", "spec.containers[0]", "containers[0]");
    cl_run_free(run);
}

static void test_declarations(void **state)
{
    static const char *const mine[] = {"CL0004", "CL1001", "CL1002", "CL1003",
                                       "CL1004", "CL2001", "CL2002", "CL3001",
                                       "CL3002", "CL3003", "CL3004"};

    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++) {
        const struct cl_check *ck = cl_check_find(mine[i]);

        assert_non_null(ck);
        assert_non_null(ck->run);
        assert_null(ck->finish);
        assert_false(ck->internal);
        assert_int_equal(ck->kinds, CL_KINDS_WORKLOADS);
        assert_int_equal(ck->category, mine[i][2] - '0');
        assert_ptr_equal(cl_check_find(ck->name), ck);
    }
    assert_non_null(cl_check_find("dangerous-capabilities")->params);
    assert_string_equal(cl_check_find("CL1004")->params[0].name, "allowed");
    assert_int_equal(cl_check_find("CL1004")->params[0].type, CL_PARAM_STRING_LIST);
    assert_string_equal(cl_check_find("CL1004")->params[0].default_value,
                        "NET_BIND_SERVICE");
    assert_null(cl_check_find("CL1004")->params[1].name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dangerous_capabilities_default_allowed),
        cmocka_unit_test(test_missing_field_nearest_node),
        cmocka_unit_test(test_run_as_root_from_pod),
        cmocka_unit_test(test_list_items_and_unnamed),
        cmocka_unit_test(test_field_type_scopes),
        cmocka_unit_test(test_resources_limit_counts_as_request),
        cmocka_unit_test(test_all_checks_wrong_types),
        cmocka_unit_test(test_declarations),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
