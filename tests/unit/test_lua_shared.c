/* test_lua_shared.c -- the rules checking one object share its handles, pod spec and
 * containers (lua_host.c makes them once per object), and stay isolated: a rule that
 * errors half-way through the containers, one that runs out of its instruction budget,
 * one that runs out of memory, and one that calls a method on a container's node run
 * on the same objects as two good rules, before and after them in load order; the
 * good rules' findings are all there and unchanged, each failure is a CL0010 of its
 * own rule, and handles or iterators kept from one object fail cleanly on the next. */
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

static char pack[] = "/tmp/chartlint-lua-shared-XXXXXX";

static void put(const char *name, const char *text)
{
    char path[512];
    FILE *fp;

    snprintf(path, sizeof path, "%s/%s", pack, name);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* Three workloads (3, 1 and 2 containers) around an object no rule wants. */
static const char input[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
    "spec:\n  template:\n    spec:\n"
    "      containers:\n      - {name: app, image: a}\n      - {name: side, image: b}\n"
    "      initContainers:\n      - {name: init, image: c}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: solo}\n"
    "spec:\n  containers:\n  - {name: only, image: d}\n"
    "---\n"
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: pair}\n"
    "spec:\n  containers:\n  - {name: one, image: e}\n  - {name: two, image: f}\n";

#define GOOD(ID, WORD)                                                                 \
    "return { id = '" ID "', kinds = { 'workloads' }, check = function(obj, ctx)\n"    \
    "  for c in obj:containers() do\n"                                                 \
    "    ctx:report{node = c:get('image'), message = '" WORD " ' .. c.name}\n"         \
    "  end\n"                                                                          \
    "  local spec = obj:pod_spec()\n"                                                  \
    "  ctx:report{node = spec, message = '" WORD " spec ' .. obj.name .. ' ' .. spec.line}\n" \
    "end }\n"

static const struct { const char *file, *body; } rules[] = {
    { "a-good.lua", GOOD("a-good", "first") },
    { "b-error.lua",
      "return { id = 'b-error', kinds = { 'workloads' }, check = function(obj, ctx)\n"
      "  local spec = obj:pod_spec()\n"
      "  for c in obj:containers() do\n"
      "    if c.index == 1 then error('broken at ' .. c.name) end\n"
      "  end\n"
      "end }\n" },
    { "c-budget.lua",
      "return { id = 'c-budget', kinds = { 'workloads' }, check = function(obj, ctx)\n"
      "  for c in obj:containers() do\n"
      "    while true do end\n"
      "  end\n"
      "end }\n" },
    { "d-memory.lua",
      "return { id = 'd-memory', kinds = { 'workloads' }, check = function(obj, ctx)\n"
      "  local spec, t = obj:pod_spec(), {}\n"
      "  for c in obj:containers() do\n"
      "    for i = 1, 1e9 do t[i] = {i} end\n"
      "  end\n"
      "end }\n" },
    /* the pod spec asked of a container's node remembers the container, for this rule */
    { "e-self.lua",
      "return { id = 'e-self', kinds = { 'workloads' }, check = function(obj, ctx)\n"
      "  for c in obj:containers() do\n"
      "    ctx:report{node = obj.pod_spec(c), message = 'spec via ' .. c.name}\n"
      "  end\n"
      "end }\n" },
    /* a container handle and an iterator kept from the object before */
    { "f-keep.lua",
      "local kept, it\n"
      "return { id = 'f-keep', kinds = { 'workloads' }, check = function(obj, ctx)\n"
      "  if kept then\n"
      "    local ok1, e1 = pcall(function() return kept.name end)\n"
      "    local ok2, e2 = pcall(it)\n"
      "    ctx:report{message = ('kept %s %s %s'):format(ok1, ok2,\n"
      "      tostring(e1:find('outside the check call', 1, true) ~= nil and\n"
      "               e2:find('outside the check call', 1, true) ~= nil))}\n"
      "  end\n"
      "  it = obj:containers()\n"
      "  kept = it()\n"
      "end }\n" },
    { "z-good.lua", GOOD("z-good", "last") },
};

#define NRULES (sizeof rules / sizeof rules[0])

static struct cl_run *lint(void)
{
    static const char *pol[2];
    struct cl_options opts;
    const char *err = NULL;
    struct cl_run *run;

    cl_options_init(&opts);
    pol[0] = pack;
    opts.policies = pol;
    opts.lua_memory = (size_t)16 << 20;
    opts.quiet = true;
    opts.color = 0;
    run = cl_run_new(&opts, &err);
    if (!run)
        fail_msg("cl_run_new: %s", err ? err : "?");
    cl_run_buffer(run, "in.yaml", input, strlen(input));
    return run;
}

/* The findings of rule id (its suffix after the pack name) as "object: message
 * [container] line", one per line, in report order. */
static void findings_of(const struct cl_run *run, const char *id, char *out, size_t size)
{
    size_t len = strlen(id), used = 0;

    out[0] = 0;
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);
        size_t flen = strlen(f->check);

        if (flen > len && strcmp(f->check + flen - len, id) == 0 && f->check[flen - len - 1] == '.')
            used += (size_t)snprintf(out + used, size - used, "%s: %s [%s] %u\n", f->name,
                                     f->message, f->container ? f->container : "-",
                                     (unsigned)f->pos.line);
    }
}

/* How many CL0010 findings name rule id and contain needle; *objects gets their
 * object names, space-separated. */
static size_t failures_of(const struct cl_run *run, const char *id, const char *needle,
                          char *objects, size_t size)
{
    char quoted[128];
    size_t n = 0, used = 0;

    snprintf(quoted, sizeof quoted, ".%s\" failed", id);
    objects[0] = 0;
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        if (strcmp(f->code, "CL0010") == 0 && strstr(f->message, quoted) &&
            strstr(f->message, needle)) {
            n++;
            used += (size_t)snprintf(objects + used, size - used, "%s%s", used ? " " : "",
                                     f->name ? f->name : "?");
        }
    }
    return n;
}

static void test_shared_isolation(void **state)
{
    static const char first[] =
        "web: first app [app] 8\n"
        "web: first side [side] 9\n"
        "web: first init [init] 11\n"
        "web: first spec web 7 [-] 7\n"
        "solo: first only [only] 18\n"
        "solo: first spec solo 17 [-] 17\n"
        "pair: first one [one] 30\n"
        "pair: first two [two] 31\n"
        "pair: first spec pair 29 [-] 29\n";
    char buf[2048], want[2048], objs[256];
    struct cl_run *run;
    const char *p;
    size_t i = 0;

    (void)state;
    for (size_t r = 0; r < NRULES; r++)
        put(rules[r].file, rules[r].body);
    run = lint();

    /* the good rules: every container and pod spec, before and after the failures */
    findings_of(run, "a-good", buf, sizeof buf);
    assert_string_equal(buf, first);
    findings_of(run, "z-good", buf, sizeof buf);
    for (p = first; *p; p++) {
        if (strncmp(p, "first", 5) == 0) {
            i += (size_t)snprintf(want + i, sizeof want - i, "last");
            p += 4;
        } else {
            want[i++] = *p;
        }
    }
    want[i] = 0;
    assert_string_equal(buf, want);

    /* each failure is its own rule's, on each object it happens on */
    assert_int_equal(failures_of(run, "b-error", "broken at side", objs, sizeof objs), 1);
    assert_string_equal(objs, "web");
    assert_int_equal(failures_of(run, "b-error", "broken at two", objs, sizeof objs), 1);
    assert_string_equal(objs, "pair");
    assert_int_equal(failures_of(run, "b-error", "", objs, sizeof objs), 2);
    assert_int_equal(failures_of(run, "c-budget", "instruction budget", objs, sizeof objs), 3);
    assert_string_equal(objs, "web solo pair");
    assert_int_equal(failures_of(run, "d-memory", "not enough memory", objs, sizeof objs), 3);
    assert_string_equal(objs, "web solo pair");
    assert_int_equal(failures_of(run, "a-good", "", objs, sizeof objs), 0);
    assert_int_equal(failures_of(run, "z-good", "", objs, sizeof objs), 0);
    assert_int_equal(failures_of(run, "e-self", "", objs, sizeof objs), 0);
    assert_int_equal(failures_of(run, "f-keep", "", objs, sizeof objs), 0);

    /* a pod spec asked of a container names the container; the shared one does not */
    findings_of(run, "e-self", buf, sizeof buf);
    assert_string_equal(buf, "web: spec via app [app] 7\n"
                             "web: spec via side [side] 7\n"
                             "web: spec via init [init] 7\n"
                             "solo: spec via only [only] 17\n"
                             "pair: spec via one [one] 29\n"
                             "pair: spec via two [two] 29\n");

    /* kept handles and iterators fail cleanly on the next object */
    findings_of(run, "f-keep", buf, sizeof buf);
    assert_string_equal(buf, "solo: kept false false true [-] 13\n"
                             "pair: kept false false true [-] 25\n");
    cl_run_free(run);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(pack) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[600];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", pack);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_isolation),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
