/* test_model.c -- model.c: objects, pod specs, container iteration, effective security
 * context and long-running containers, on YAML parsed by parse.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "model.h"
#include "parse.h"

/* Parse yaml and call fn on the first document (the tree lives only during the call). */
struct with {
    void (*fn)(const struct cl_doc *doc);
    int docs;
};

static void sink_doc(void *ud, struct cl_doc *doc)
{
    struct with *w = ud;

    if (w->docs++ == 0)
        w->fn(doc);
}

static void sink_problem(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                         const struct cl_node *node, const struct cl_node *other,
                         const struct cl_pos *pos, const char *msg)
{
    fail_msg("unexpected parse problem: %s", msg ? msg : "(none)");
}

static void with_doc(const char *yaml, void (*fn)(const struct cl_doc *doc))
{
    struct cl_arena arena;
    struct with w = {fn, 0};
    struct cl_parse_sink sink = {.ud = &w, .doc = sink_doc, .problem = sink_problem};

    cl_arena_init(&arena);
    assert_true(cl_parse_stream("t.yaml", yaml, strlen(yaml), NULL, &arena, &sink) >= 1);
    assert_int_equal(w.docs, 1);
    cl_arena_fini(&arena);
}

/* The object of the document's root; fails the test if it is none. */
static struct cl_object object_of(const struct cl_doc *doc)
{
    struct cl_object obj;

    assert_true(cl_model_object(&obj, doc, doc->root, "", "rel"));
    return obj;
}

static void test_kind_bits(void **state)
{
    static const struct {
        const char *kind;
        unsigned bit;
    } cases[] = {
        {"Pod", CL_KIND_POD},
        {"Deployment", CL_KIND_DEPLOYMENT},
        {"StatefulSet", CL_KIND_STATEFULSET},
        {"DaemonSet", CL_KIND_DAEMONSET},
        {"ReplicaSet", CL_KIND_REPLICASET},
        {"ReplicationController", CL_KIND_REPLICATIONCONTROLLER},
        {"Job", CL_KIND_JOB},
        {"CronJob", CL_KIND_CRONJOB},
        {"Service", CL_KIND_SERVICE},
        {"Ingress", CL_KIND_INGRESS},
        {"ConfigMap", CL_KIND_OTHER},
        {"pod", CL_KIND_OTHER},
        {"", CL_KIND_OTHER},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(cl_model_kind_bit(cases[i].kind), cases[i].bit);
    assert_int_equal(cl_model_kind_bit(NULL), CL_KIND_OTHER);
    assert_true(CL_KIND_CRONJOB & CL_KINDS_WORKLOADS);
    assert_false(CL_KIND_SERVICE & CL_KINDS_WORKLOADS);
}

static void check_object(const struct cl_doc *doc)
{
    struct cl_object obj = object_of(doc);

    assert_string_equal(obj.api_version, "apps/v1");
    assert_string_equal(obj.kind, "Deployment");
    assert_string_equal(obj.name, "web");
    assert_string_equal(obj.namespace, "prod");
    assert_true(obj.namespace_explicit);
    assert_int_equal(obj.kind_bit, CL_KIND_DEPLOYMENT);
    assert_ptr_equal(obj.doc, doc);
    assert_ptr_equal(obj.node, doc->root);
    assert_string_equal(obj.path_prefix, "");
}

static void test_object(void **state)
{
    with_doc("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
             "  namespace: prod\n",
             check_object);
}

static void check_generate_name(const struct cl_doc *doc)
{
    struct cl_object obj = object_of(doc);

    assert_string_equal(obj.name, "job-");
    assert_string_equal(obj.namespace, "rel");
    assert_false(obj.namespace_explicit);
    assert_int_equal(obj.kind_bit, CL_KIND_JOB);
    assert_true(cl_model_object(&obj, doc, doc->root, NULL, NULL));
    assert_string_equal(obj.namespace, "default");
    assert_string_equal(obj.path_prefix, "");
}

static void test_object_generate_name(void **state)
{
    with_doc("apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: job-\n",
             check_generate_name);
}

static void check_no_metadata(const struct cl_doc *doc)
{
    struct cl_object obj = object_of(doc);

    assert_string_equal(obj.name, "");
    assert_string_equal(obj.namespace, "rel");
    assert_int_equal(obj.kind_bit, CL_KIND_OTHER);
}

static void test_object_no_metadata(void **state)
{
    with_doc("apiVersion: v1\nkind: ConfigMap\nmetadata: [x]\n", check_no_metadata);
}

/* A List whose second item is an alias of the first: objects see through the alias. */
static void check_list_alias(const struct cl_doc *doc)
{
    const struct cl_node *items = cl_node_get(doc->root, "items");
    struct cl_object obj;

    assert_int_equal(cl_node_len(items), 2);
    assert_true(cl_model_object(&obj, doc, cl_node_item(items, 1), "items[1]", "ns"));
    assert_string_equal(obj.kind, "Deployment");
    assert_string_equal(obj.name, "web");
    assert_string_equal(obj.path_prefix, "items[1]");
    assert_true(cl_node_is_map(obj.node));
    assert_ptr_equal(obj.node, cl_node_deref(cl_node_item(items, 0)));
    assert_non_null(cl_model_pod_spec(&obj));
}

static void test_object_alias(void **state)
{
    with_doc("apiVersion: v1\nkind: List\nitems:\n"
             "- &d {apiVersion: apps/v1, kind: Deployment, metadata: {name: web},\n"
             "      spec: {template: {spec: {containers: []}}}}\n"
             "- *d\n",
             check_list_alias);
}

static void check_not_object(const struct cl_doc *doc)
{
    struct cl_object obj;

    assert_false(cl_model_object(&obj, doc, doc->root, "", "rel"));
    assert_false(cl_model_object(&obj, doc, NULL, "", "rel"));
}

static void test_not_objects(void **state)
{
    with_doc("apiVersion: v1\n", check_not_object);
    with_doc("kind: Pod\n", check_not_object);
    with_doc("apiVersion: v1\nkind: 5\n", check_not_object);
    with_doc("apiVersion: 1\nkind: Pod\n", check_not_object);
    with_doc("apiVersion: v1\nkind: [Pod]\n", check_not_object);
    with_doc("- apiVersion: v1\n  kind: Pod\n", check_not_object);
    with_doc("just a string\n", check_not_object);
}

/* Each workload keeps its pod spec (with marker key "m") where its kind says. */
static void check_pod_spec(const struct cl_doc *doc)
{
    struct cl_object obj = object_of(doc);
    const struct cl_node *spec = cl_model_pod_spec(&obj);
    const struct cl_node *meta = cl_model_pod_meta(&obj);

    assert_non_null(spec);
    assert_string_equal(cl_node_str(cl_node_get(spec, "m")), "here");
    if (obj.kind_bit == CL_KIND_POD) {
        assert_string_equal(cl_node_str(cl_node_get(meta, "name")), "p");
    } else {
        assert_non_null(meta);
        assert_string_equal(cl_node_str(cl_node_get(meta, "name")), "tmpl");
    }
}

static void test_pod_spec(void **state)
{
    with_doc("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {m: here}\n",
             check_pod_spec);
    with_doc("apiVersion: extensions/v1beta1\nkind: Deployment\nspec:\n  template:\n"
             "    metadata: {name: tmpl}\n    spec: {m: here}\n",
             check_pod_spec);
    with_doc("apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  template:\n"
             "    metadata: {name: tmpl}\n    spec: {m: here}\n",
             check_pod_spec);
    with_doc("apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n"
             "      template:\n        metadata: {name: tmpl}\n        spec: {m: here}\n",
             check_pod_spec);
    with_doc("apiVersion: v1\nkind: ReplicationController\nspec:\n  template:\n"
             "    metadata: {name: tmpl}\n    spec: {m: here}\n",
             check_pod_spec);
}

static void check_no_pod_spec(const struct cl_doc *doc)
{
    struct cl_object obj = object_of(doc);

    assert_null(cl_model_pod_spec(&obj));
}

static void test_no_pod_spec(void **state)
{
    /* not a workload, although it has the shape of one */
    with_doc("apiVersion: v1\nkind: Service\nspec:\n  template:\n    spec: {m: x}\n",
             check_no_pod_spec);
    /* wrong types on the way read as absent */
    with_doc("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template: [x]\n",
             check_no_pod_spec);
    with_doc("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec: x\n",
             check_no_pod_spec);
    with_doc("apiVersion: v1\nkind: Pod\nspec:\n", check_no_pod_spec);
    with_doc("apiVersion: batch/v1\nkind: CronJob\nspec:\n  template:\n    spec: {m: x}\n",
             check_no_pod_spec);
}

static const char *const pod_lists =
    "apiVersion: v1\nkind: Pod\nspec:\n"
    "  ephemeralContainers:\n  - name: debug\n"
    "  initContainers:\n  - name: setup\n  - name: proxy\n    restartPolicy: Always\n"
    "  - name: other\n    restartPolicy: Never\n"
    "  containers:\n  - name: app\n  - just a string\n  - [x]\n  - image: nameless\n"
    "  - name: 7\n";

static void check_containers(const struct cl_doc *doc)
{
    struct cl_object obj = object_of(doc);
    const struct cl_node *spec = cl_model_pod_spec(&obj);
    static const struct {
        const char *name;
        enum cl_container_list list;
        size_t index;
        bool sidecar;
    } want[] = {
        {"app", CL_LIST_CONTAINERS, 0, false},  {"", CL_LIST_CONTAINERS, 3, false},
        {"", CL_LIST_CONTAINERS, 4, false},     {"setup", CL_LIST_INIT, 0, false},
        {"proxy", CL_LIST_INIT, 1, true},       {"other", CL_LIST_INIT, 2, false},
        {"debug", CL_LIST_EPHEMERAL, 0, false},
    };
    struct cl_container_iter it;
    struct cl_container c;
    size_t n = 0;

    cl_model_containers(&it, spec, CL_LISTS_ALL);
    while (cl_model_next_container(&it, &c)) {
        assert_true(n < sizeof want / sizeof want[0]);
        assert_string_equal(c.name, want[n].name);
        assert_int_equal(c.list, want[n].list);
        assert_int_equal(c.index, want[n].index);
        assert_int_equal(c.sidecar, want[n].sidecar);
        assert_true(cl_node_is_map(c.node));
        n++;
    }
    assert_int_equal(n, sizeof want / sizeof want[0]);
    assert_false(cl_model_next_container(&it, &c)); /* stays at the end */

    n = 0;
    cl_model_containers(&it, spec, CL_LISTS_RESOURCES);
    while (cl_model_next_container(&it, &c)) {
        assert_int_not_equal(c.list, CL_LIST_EPHEMERAL);
        n++;
    }
    assert_int_equal(n, 6);

    n = 0;
    cl_model_containers(&it, spec, 1u << CL_LIST_EPHEMERAL);
    while (cl_model_next_container(&it, &c)) {
        assert_string_equal(c.name, "debug");
        n++;
    }
    assert_int_equal(n, 1);

    cl_model_containers(&it, NULL, CL_LISTS_ALL);
    assert_false(cl_model_next_container(&it, &c));
}

static void test_containers(void **state)
{
    with_doc(pod_lists, check_containers);
}

/* The containers of doc's object, all three lists, are exactly want[0..nwant), in order. */
static void expect_container_names(const struct cl_doc *doc, const char *const *want,
                                   size_t nwant)
{
    struct cl_object obj = object_of(doc);
    struct cl_container_iter it;
    struct cl_container c;
    size_t n = 0;

    cl_model_containers(&it, cl_model_pod_spec(&obj), CL_LISTS_ALL);
    while (cl_model_next_container(&it, &c)) {
        assert_true(n < nwant);
        assert_string_equal(c.name, want[n]);
        n++;
    }
    assert_int_equal(n, nwant);
}

static void check_containers_wrong_types(const struct cl_doc *doc)
{
    static const char *const want[] = {"late"};

    expect_container_names(doc, want, 1);
}

static void test_containers_wrong_types(void **state)
{
    with_doc("apiVersion: v1\nkind: Pod\nspec:\n  containers: {name: app}\n"
             "  initContainers: app\n  ephemeralContainers:\n  - name: late\n",
             check_containers_wrong_types);
}

/* Container lists found through merge keys: own keys first (an own null hides the
 * merged list), then the merge sources; a quoted "<<" is an ordinary key. */
static void check_containers_merge_keys(const struct cl_doc *doc)
{
    static const char *const want[] = {"own", "merged-init"};

    expect_container_names(doc, want, 2);
}

static void check_containers_quoted_merge(const struct cl_doc *doc)
{
    static const char *const want[] = {"own"};

    expect_container_names(doc, want, 1);
}

static void test_containers_merge_keys(void **state)
{
    with_doc("apiVersion: v1\nkind: Pod\nbase: &base\n"
             "  initContainers: [{name: merged-init}]\n  containers: [{name: hidden}]\n"
             "  ephemeralContainers: [{name: merged-debug}]\n"
             "spec:\n  containers: [{name: own}]\n  <<: *base\n  ephemeralContainers: null\n",
             check_containers_merge_keys);
    with_doc("apiVersion: v1\nkind: Pod\nbase: &base\n"
             "  initContainers: [{name: merged-init}]\n"
             "spec:\n  containers: [{name: own}]\n  \"<<\": *base\n",
             check_containers_quoted_merge);
}

static void check_aliases(const struct cl_doc *doc)
{
    struct cl_object obj = object_of(doc);
    struct cl_container_iter it;
    struct cl_container c;
    size_t n = 0;

    cl_model_containers(&it, cl_model_pod_spec(&obj), CL_LISTS_ALL);
    while (cl_model_next_container(&it, &c)) {
        assert_string_equal(c.name, "app");
        assert_true(cl_node_is_true(
            cl_model_security(cl_model_pod_spec(&obj), &c, "runAsNonRoot")));
        n++;
    }
    assert_int_equal(n, 2);
}

static void test_aliases(void **state)
{
    with_doc("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
             "  securityContext: &sc {runAsNonRoot: true}\n"
             "  initContainers: &list\n  - &app {name: app}\n"
             "  containers: *list\n",
             check_aliases);
}

static const char *const security_pod =
    "apiVersion: v1\nkind: Pod\nspec:\n"
    "  securityContext:\n    runAsUser: 1000\n    runAsNonRoot: true\n"
    "    readOnlyRootFilesystem: true\n    fsGroup: 2000\n"
    "  containers:\n"
    "  - name: inherits\n"
    "  - name: own\n    securityContext:\n      runAsUser: 0\n      runAsNonRoot: false\n"
    "      readOnlyRootFilesystem: true\n"
    "  - name: wrong\n    securityContext:\n      runAsUser: \"5\"\n      runAsNonRoot: ~\n"
    "  - name: scwrong\n    securityContext: [runAsUser]\n";

static void check_security(const struct cl_doc *doc)
{
    struct cl_object obj = object_of(doc);
    const struct cl_node *spec = cl_model_pod_spec(&obj);
    struct cl_container_iter it;
    struct cl_container c;
    long long v;
    bool b;

    cl_model_containers(&it, spec, CL_LISTS_ALL);

    assert_true(cl_model_next_container(&it, &c)); /* inherits */
    assert_true(cl_node_int(cl_model_security(spec, &c, "runAsUser"), &v));
    assert_int_equal(v, 1000);
    assert_true(cl_node_is_true(cl_model_security(spec, &c, "runAsNonRoot")));
    assert_true(cl_node_int(cl_model_security(spec, &c, "fsGroup"), &v));
    /* a container-only field is not inherited from the pod */
    assert_null(cl_model_security(spec, &c, "readOnlyRootFilesystem"));
    assert_null(cl_model_security(spec, &c, "runAsGroup"));

    assert_true(cl_model_next_container(&it, &c)); /* own */
    assert_true(cl_node_int(cl_model_security(spec, &c, "runAsUser"), &v));
    assert_int_equal(v, 0);
    assert_true(cl_node_bool(cl_model_security(spec, &c, "runAsNonRoot"), &b));
    assert_false(b);
    assert_true(cl_node_is_true(cl_model_security(spec, &c, "readOnlyRootFilesystem")));

    /* wrongly typed and null fields read as absent: the pod's value shows through */
    assert_true(cl_model_next_container(&it, &c)); /* wrong */
    assert_true(cl_node_int(cl_model_security(spec, &c, "runAsUser"), &v));
    assert_int_equal(v, 1000);
    assert_true(cl_node_is_true(cl_model_security(spec, &c, "runAsNonRoot")));

    assert_true(cl_model_next_container(&it, &c)); /* scwrong */
    assert_true(cl_node_int(cl_model_security(spec, &c, "runAsUser"), &v));
    assert_int_equal(v, 1000);

    assert_false(cl_model_next_container(&it, &c));
    assert_null(cl_model_security(NULL, NULL, "runAsUser"));
}

static void test_security(void **state)
{
    with_doc(security_pod, check_security);
}

/* Long-running verdicts for containers named "yes-*" and "no-*". */
static void check_long_running(const struct cl_doc *doc)
{
    struct cl_object obj = object_of(doc);
    const struct cl_node *spec = cl_model_pod_spec(&obj);
    struct cl_container_iter it;
    struct cl_container c;
    size_t n = 0;

    cl_model_containers(&it, spec, CL_LISTS_ALL);
    while (cl_model_next_container(&it, &c)) {
        bool want = strncmp(c.name, "yes-", 4) == 0;

        if (cl_model_long_running(&obj, spec, &c) != want)
            fail_msg("container \"%s\" of %s: long-running should be %d", c.name, obj.kind,
                     want);
        n++;
    }
    assert_true(n > 0);
}

static void test_long_running(void **state)
{
    with_doc("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
             "      containers: [{name: yes-app}]\n"
             "      initContainers: [{name: no-init}, {name: yes-sidecar, restartPolicy: "
             "Always}]\n"
             "      ephemeralContainers: [{name: no-debug}]\n",
             check_long_running);
    with_doc("apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n"
             "      containers: [{name: no-app}]\n"
             "      initContainers: [{name: no-sidecar, restartPolicy: Always}]\n",
             check_long_running);
    with_doc("apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n"
             "      template:\n        spec:\n          containers: [{name: no-app}]\n",
             check_long_running);
    with_doc("apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: yes-app}]\n",
             check_long_running);
    with_doc("apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: Always\n"
             "  containers: [{name: yes-app}]\n",
             check_long_running);
    with_doc("apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: Never\n"
             "  containers: [{name: no-app}]\n"
             "  initContainers: [{name: no-sidecar, restartPolicy: Always}]\n",
             check_long_running);
    with_doc("apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: OnFailure\n"
             "  containers: [{name: no-app}]\n",
             check_long_running);
    with_doc("apiVersion: apps/v1\nkind: DaemonSet\nspec:\n  template:\n    spec:\n"
             "      restartPolicy: Never\n      containers: [{name: yes-app}]\n",
             check_long_running);
}

static void test_list_names(void **state)
{
    assert_string_equal(cl_model_list_name(CL_LIST_CONTAINERS), "containers");
    assert_string_equal(cl_model_list_name(CL_LIST_INIT), "initContainers");
    assert_string_equal(cl_model_list_name(CL_LIST_EPHEMERAL), "ephemeralContainers");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_bits),
        cmocka_unit_test(test_object),
        cmocka_unit_test(test_object_generate_name),
        cmocka_unit_test(test_object_no_metadata),
        cmocka_unit_test(test_object_alias),
        cmocka_unit_test(test_not_objects),
        cmocka_unit_test(test_pod_spec),
        cmocka_unit_test(test_no_pod_spec),
        cmocka_unit_test(test_containers),
        cmocka_unit_test(test_containers_wrong_types),
        cmocka_unit_test(test_containers_merge_keys),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_security),
        cmocka_unit_test(test_long_running),
        cmocka_unit_test(test_list_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
