/* test_xchecks.c -- the cross-object checks (CL2003-CL2006) through the run API: what the
 * fixtures cannot show (input sets kept apart, --namespace, related locations) and
 * large inputs that a quadratic join would not finish in time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "chartlint.h"
#include "finding.h"
#include "util.h"

static struct cl_run *new_run(const char *only, const char *ns)
{
    static const char *only_v[2];
    struct cl_options opts;
    const char *err = NULL;
    struct cl_run *run;

    cl_options_init(&opts);
    only_v[0] = only;
    opts.only = only_v;
    opts.color = 0;
    opts.quiet = true;
    if (ns)
        opts.namespace = ns;
    run = cl_run_new(&opts, &err);
    if (!run)
        fail_msg("cl_run_new: %s", err ? err : "?");
    return run;
}

static void lint(struct cl_run *run, const char *name, const char *yaml)
{
    cl_run_buffer(run, name, yaml, strlen(yaml));
}

static size_t count(const struct cl_run *run, const char *code)
{
    size_t n = 0;

    for (size_t i = 0; i < cl_run_nfindings(run); i++)
        if (strcmp(cl_run_finding(run, i)->code, code) == 0)
            n++;
    return n;
}

static const struct cl_finding *first(const struct cl_run *run, const char *code)
{
    for (size_t i = 0; i < cl_run_nfindings(run); i++)
        if (strcmp(cl_run_finding(run, i)->code, code) == 0)
            return cl_run_finding(run, i);
    fail_msg("no %s finding", code);
    return NULL;
}

static const char headless_db[] =
    "apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
    "spec: {clusterIP: None, selector: {app: db}}\n";
static const char sts_db[] =
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n"
    "spec:\n  serviceName: db\n  template:\n    metadata: {labels: {app: db}}\n"
    "    spec: {containers: [{name: db, image: postgres:16.4}]}\n";

/* Each cl_run_buffer call is one input set: a Service of another set does not count. */
static void test_sets_are_separate(void **state)
{
    struct cl_run *run = new_run("CL2004", NULL);
    char *both;

    (void)state;
    lint(run, "svc.yaml", headless_db);
    lint(run, "sts.yaml", sts_db);
    assert_int_equal(count(run, "CL2004"), 1);
    assert_string_equal(first(run, "CL2004")->message,
                        "serviceName \"db\" names no service in namespace \"default\"");
    assert_string_equal(first(run, "CL2004")->pos.file, "sts.yaml");
    assert_string_equal(first(run, "CL2004")->kind, "StatefulSet");
    assert_string_equal(first(run, "CL2004")->path, "spec.serviceName");

    /* Together in one set (in either order) they agree. */
    both = cl_xmalloc(sizeof headless_db + sizeof sts_db + 8);
    sprintf(both, "%s---\n%s", sts_db, headless_db);
    lint(run, "both.yaml", both);
    sprintf(both, "%s---\n%s", headless_db, sts_db);
    lint(run, "both2.yaml", both);
    assert_int_equal(count(run, "CL2004"), 1);
    free(both);
    cl_run_free(run);
}

/* Objects without metadata.namespace live in the release namespace (--namespace). */
static void test_release_namespace(void **state)
{
    struct cl_run *run;

    (void)state;
    run = new_run("CL2006", "prod");
    lint(run, "a.yaml",
         "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: prod}\n"
         "spec: {ports: [{port: 80}]}\n---\n"
         "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n"
         "spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}\n");
    assert_int_equal(count(run, "CL2006"), 0);
    lint(run, "b.yaml",
         "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
         "spec: {ports: [{port: 80}]}\n---\n"
         "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
         "metadata: {name: web, namespace: default}\n"
         "spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}\n");
    assert_int_equal(count(run, "CL2006"), 1);
    assert_string_equal(first(run, "CL2006")->message,
                        "backend service \"web\" is not defined in namespace \"default\" "
                        "(one is in namespace \"prod\")");
    assert_int_equal(first(run, "CL2006")->nrelated, 1);
    assert_int_equal(first(run, "CL2006")->related[0].pos.line, 3);
    cl_run_free(run);
}

/* Related locations point at the other object's node. */
static void test_related(void **state)
{
    struct cl_run *run = new_run("CL2005", NULL);
    const struct cl_finding *f;

    (void)state;
    lint(run, "ing.yaml",
         "apiVersion: networking.k8s.io/v1\n"
         "kind: Ingress\n"
         "metadata: {name: web}\n"
         "spec:\n"
         "  rules:\n"
         "  - host: example.com\n"
         "    http:\n"
         "      paths:\n"
         "      - {path: /, pathType: Prefix}\n"
         "      - {path: /api, pathType: Prefix}\n");
    assert_int_equal(count(run, "CL2005"), 1);
    f = first(run, "CL2005");
    assert_int_equal(f->pos.line, 10);
    assert_int_equal(f->pos.col, 16);
    assert_string_equal(f->path, "spec.rules[0].http.paths[1].path");
    assert_int_equal(f->nrelated, 1);
    assert_int_equal(f->related[0].pos.line, 9);
    assert_int_equal(f->related[0].pos.col, 16);
    assert_string_equal(f->related[0].message, "shadowing path");
    cl_run_free(run);
}

static double seconds_since(clock_t start)
{
    return (double)(clock() - start) / CLOCKS_PER_SEC;
}

/* 100,000 paths in one rule: shadow and duplicate lookups must not scan earlier paths. */
static void test_many_paths(void **state)
{
    struct cl_buf b;
    struct cl_run *run = new_run("CL2005", NULL);
    const size_t n = 100000;
    clock_t start;

    (void)state;
    cl_buf_init(&b);
    cl_buf_adds(&b, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: big}\n"
                    "spec:\n  rules:\n  - host: example.com\n    http:\n      paths:\n");
    for (size_t i = 0; i < n; i++)
        cl_buf_printf(&b, "      - {path: /svc/%zu/x, pathType: Prefix}\n", i);
    /* Every one of these is shadowed by an earlier path, and the last is a duplicate. */
    cl_buf_adds(&b, "      - {path: /svc/7/x/y, pathType: Exact}\n"
                    "      - {path: /svc/99999/x/, pathType: Prefix}\n"
                    "      - {path: /svc/5/x, pathType: Prefix}\n");
    start = clock();
    lint(run, "big.yaml", b.data);
    assert_true(seconds_since(start) < 20.0);
    assert_int_equal(count(run, "CL2005"), 3);
    cl_buf_fini(&b);
    cl_run_free(run);
}

/* 20,000 Services joined with as many StatefulSets and Ingress backends. */
static void test_many_objects(void **state)
{
    struct cl_buf b;
    struct cl_run *run4 = new_run("CL2004", NULL), *run6 = new_run("CL2006", NULL);
    const size_t n = 20000;
    clock_t start;

    (void)state;
    cl_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        cl_buf_printf(&b, "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s%zu}\n"
                          "spec:\n  serviceName: svc%zu\n  template:\n"
                          "    metadata: {labels: {app: a%zu, tier: db}}\n---\n", i, i, i);
        cl_buf_printf(&b, "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                          "metadata: {name: i%zu}\nspec:\n  defaultBackend:\n"
                          "    service: {name: svc%zu, port: {name: http}}\n---\n", i, n - 1 - i);
    }
    for (size_t i = 0; i < n; i++)
        cl_buf_printf(&b, "apiVersion: v1\nkind: Service\nmetadata: {name: svc%zu}\n"
                          "spec:\n  clusterIP: None\n  selector: {app: a%zu}\n"
                          "  ports: [{name: http, port: 80}]\n---\n", i, i);
    /* One StatefulSet and one backend that match nothing. */
    cl_buf_adds(&b, "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: lost}\n"
                    "spec: {serviceName: nowhere}\n---\n"
                    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: lost}\n"
                    "spec: {defaultBackend: {service: {name: svc1, port: {number: 81}}}}\n");
    start = clock();
    lint(run4, "big.yaml", b.data);
    lint(run6, "big.yaml", b.data);
    assert_true(seconds_since(start) < 30.0);
    assert_int_equal(count(run4, "CL2004"), 1);
    assert_string_equal(first(run4, "CL2004")->name, "lost");
    assert_int_equal(count(run6, "CL2006"), 1);
    assert_string_equal(first(run6, "CL2006")->message,
                        "backend port 81 is not a port of service \"svc1\"");
    cl_buf_fini(&b);
    cl_run_free(run4);
    cl_run_free(run6);
}

/* A StatefulSet with many volumes and mounts: per-object lookups are hashed too. */
static void test_many_volumes(void **state)
{
    struct cl_buf b;
    struct cl_run *run = new_run("CL2003", NULL);
    const size_t n = 50000;

    (void)state;
    cl_buf_init(&b);
    cl_buf_adds(&b, "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: big}\n"
                    "spec:\n  template:\n    spec:\n      volumes:\n");
    for (size_t i = 0; i < n; i++)
        cl_buf_printf(&b, "      - {name: v%zu, emptyDir: {}}\n", i);
    cl_buf_adds(&b, "      containers:\n      - name: app\n        volumeMounts:\n");
    for (size_t i = 0; i <= n; i++)
        cl_buf_printf(&b, "        - {name: v%zu, mountPath: /m/%zu}\n", n - i, i);
    lint(run, "big.yaml", b.data);
    assert_int_equal(count(run, "CL2003"), 1);           /* v50000 does not exist */
    assert_string_equal(first(run, "CL2003")->message,
                        "volume mount \"v50000\" of container \"app\" names no pod volume or "
                        "volumeClaimTemplate");
    assert_string_equal(first(run, "CL2003")->container, "app");
    cl_buf_fini(&b);
    cl_run_free(run);
}

/* Aliases that name one big list from many places are visited once: 2,000 rules naming
 * one 2,000-item paths list, and 2,000 containers naming one container with 2,000
 * mounts, are 4 million visits otherwise. */
static void test_alias_fanout(void **state)
{
    struct cl_buf b;
    struct cl_run *run5 = new_run("CL2005", NULL), *run6 = new_run("CL2006", NULL);
    struct cl_run *run3 = new_run("CL2003", NULL);
    const size_t n = 2000;
    clock_t start;

    (void)state;
    cl_buf_init(&b);
    cl_buf_adds(&b, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: fan}\n"
                    "spec:\n  rules:\n  - host: a\n    http:\n      paths: &P\n");
    for (size_t i = 0; i < n; i++)
        cl_buf_printf(&b, "      - {path: /p%zu, pathType: Prefix, backend: "
                          "{service: {name: s, port: {number: 80}}}}\n", i);
    cl_buf_adds(&b, "      - {path: /p7, pathType: Prefix}\n");
    for (size_t i = 0; i < n; i++)
        cl_buf_printf(&b, "  - {host: h%zu, http: {paths: *P}}\n", i);
    cl_buf_adds(&b, "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: fan}\n"
                    "spec:\n  template:\n    spec:\n      initContainers:\n"
                    "      - &C\n        name: app\n        volumeMounts:\n");
    for (size_t i = 0; i < n; i++)
        cl_buf_printf(&b, "        - {name: v%zu, mountPath: /m%zu}\n", i, i);
    cl_buf_adds(&b, "      containers:\n");
    for (size_t i = 0; i < n; i++)
        cl_buf_adds(&b, "      - *C\n");
    start = clock();
    lint(run5, "fan.yaml", b.data);
    lint(run6, "fan.yaml", b.data);
    lint(run3, "fan.yaml", b.data);
    assert_true(seconds_since(start) < 10.0);
    assert_int_equal(count(run5, "CL2005"), 1);          /* the duplicate /p7, once */
    assert_int_equal(count(run6, "CL2006"), n);          /* each backend of "s", once */
    assert_int_equal(count(run3, "CL2003"), n);          /* each unresolved mount, once */
    cl_buf_fini(&b);
    cl_run_free(run5);
    cl_run_free(run6);
    cl_run_free(run3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sets_are_separate),
        cmocka_unit_test(test_release_namespace),
        cmocka_unit_test(test_related),
        cmocka_unit_test(test_many_paths),
        cmocka_unit_test(test_many_objects),
        cmocka_unit_test(test_many_volumes),
        cmocka_unit_test(test_alias_fanout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
