/* test_lua_set.c -- set-scoped Lua rules (finish, ctx:objects), ctx.chart and ctx.values:
 * what they see, where their findings go, and that their handles cannot be kept,
 * mixed up or written to. Each sandbox case is a rule of one pack next to a canary
 * that reports on every Service: each must give a clean CL0010 policy-error at its
 * file:line and leave the canary's findings untouched. */
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

static char dir[] = "/tmp/chartlint-luaset-XXXXXX";
static char pack[600];

static void put(const char *name, const char *text)
{
    char path[700];
    FILE *fp;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void clear_pack(void)
{
    char cmd[700];

    snprintf(cmd, sizeof cmd, "rm -f '%s'/*.lua", pack);
    assert_int_equal(system(cmd), 0);
}

static const char set_yaml[] =
    "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: a}\n"
    "spec:\n  selector: {app: web}\n  ports: [{port: 80}]\n"
    "---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: orphan, namespace: a}\n"
    "spec:\n  selector: {app: gone}\n  ports: [{port: 80}]\n"
    "---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\n"
    "spec:\n  template:\n    metadata: {labels: {app: web}}\n"
    "    spec:\n      containers: [{name: app}]\n";

static struct cl_options options(const char *only)
{
    static const char *pol[2], *only_v[2];
    struct cl_options opts;

    cl_options_init(&opts);
    pol[0] = pack;
    only_v[0] = only;
    opts.policies = pol;
    opts.only = only ? only_v : NULL;
    opts.lua_memory = (size_t)16 << 20;
    opts.quiet = true;
    opts.color = 0;
    return opts;
}

static struct cl_run *new_run(const char *only)
{
    struct cl_options opts = options(only);
    const char *err = NULL;
    struct cl_run *run = cl_run_new(&opts, &err);

    if (!run)
        fail_msg("cl_run_new: %s", err ? err : "?");
    return run;
}

/* Findings of the check whose id ends in suffix (".rule"), in order. */
static size_t find(const struct cl_run *run, const char *suffix, const struct cl_finding **out,
                   size_t max)
{
    size_t n = 0, len = strlen(suffix);

    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);
        size_t flen = strlen(f->check);

        if (flen >= len && strcmp(f->check + flen - len, suffix) == 0) {
            if (n < max)
                out[n] = f;
            n++;
        }
    }
    return n;
}

/* The policy-error findings of rule file name: how many, and the line and message of one. */
static size_t policy_errors(const struct cl_run *run, const char *name, uint32_t *line,
                            const char **msg)
{
    size_t n = 0, len = strlen(name);

    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);
        size_t flen = f->pos.file ? strlen(f->pos.file) : 0;

        if (strcmp(f->code, "CL0010") == 0 && flen >= len &&
            strcmp(f->pos.file + flen - len, name) == 0) {
            *line = f->pos.line;
            *msg = f->message;
            n++;
        }
    }
    return n;
}

/* A cross-object rule: Services whose selector matches no pod template of the set. */
static const char selects[] =
    "return { id = 'selects', kinds = { 'Service', 'workloads' },\n"
    "  finish = function(ctx)\n"
    "    local pods = {}\n"
    "    for _, w in ipairs(ctx:objects{}) do\n"
    "      local m = w:pod_meta()\n"
    "      if m then pods[#pods + 1] = { ns = w.namespace, labels = m:get('labels') } end\n"
    "    end\n"
    "    for _, svc in ipairs(ctx:objects{kind = 'Service'}) do\n"
    "      local sel, found = svc:get('spec.selector'), false\n"
    "      for _, p in ipairs(pods) do\n"
    "        local all = p.ns == svc.namespace\n"
    "        for k, v in sel:items() do\n"
    "          local l = p.labels and p.labels:at(k)\n"
    "          all = all and l ~= nil and l:str() == v:str()\n"
    "        end\n"
    "        found = found or all\n"
    "      end\n"
    "      if not found then\n"
    "        ctx:report{node = sel:at('app'), message = 'no pod for ' .. svc.name .. ' at '\n"
    "                   .. sel.path .. ' ' .. sel.line}\n"
    "      end\n"
    "    end\n"
    "  end }\n";

static void test_objects(void **state)
{
    const struct cl_finding *f[4];
    struct cl_run *run;

    (void)state;
    clear_pack();
    put("pack/selects.lua", selects);
    /* filters: each count is reported on the first Service */
    put("pack/counts.lua",
        "return { id = 'counts', kinds = { 'Service', 'Deployment' },\n"
        "  check = function(obj, ctx) end,\n"
        "  finish = function(ctx)\n"
        "    local all, svc = ctx:objects(), ctx:objects{kind = 'Service'}\n"
        "    local named = ctx:objects{kind = 'Service', name = 'orphan', namespace = 'a'}\n"
        "    local none = ctx:objects{namespace = 'b'}\n"
        "    local apps = ctx:objects{apiVersion = 'apps/v1'}\n"
        "    ctx:report{object = svc[1], message = ('%d %d %d %d %d %s %s'):format(#all, #svc,\n"
        "      #named, #none, #apps, named[1].name, all[3].kind)}\n"
        "  end }\n");
    /* kinds limit what a rule sees */
    put("pack/only-services.lua",
        "return { id = 'only-services', kinds = { 'Service' },\n"
        "  finish = function(ctx)\n"
        "    local o = ctx:objects()\n"
        "    ctx:report{object = o[#o], message = 'seen ' .. #o}\n"
        "  end }\n");
    run = new_run(NULL);
    cl_run_buffer(run, "set.yaml", set_yaml, strlen(set_yaml));
    assert_int_equal(find(run, ".selects", f, 4), 1);
    assert_string_equal(f[0]->message, "no pod for orphan at spec.selector 12");
    assert_string_equal(f[0]->name, "orphan");
    assert_string_equal(f[0]->kind, "Service");
    assert_string_equal(f[0]->path, "spec.selector.app");
    assert_int_equal(f[0]->pos.line, 12);
    assert_int_equal(f[0]->pos.col, 19);
    assert_int_equal(find(run, ".counts", f, 4), 1);
    assert_string_equal(f[0]->message, "3 2 1 0 1 orphan Deployment");
    assert_string_equal(f[0]->name, "web");
    assert_int_equal(f[0]->pos.line, 1);
    assert_int_equal(find(run, ".only-services", f, 4), 1);
    assert_string_equal(f[0]->message, "seen 2");
    assert_string_equal(f[0]->name, "orphan");
    cl_run_free(run);
}

/* Two input sets in one run: each finish sees its own set only, including a set with
 * no object the rule wants after one with some. */
static void test_sets(void **state)
{
    static const char other[] =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";
    static const char second[] =
        "apiVersion: v1\nkind: Service\nmetadata: {name: second}\nspec: {}\n";
    const struct cl_finding *f[4];
    struct cl_run *run;

    (void)state;
    clear_pack();
    put("pack/each.lua",
        "return { id = 'each', kinds = { 'Service' },\n"
        "  finish = function(ctx)\n"
        "    for _, o in ipairs(ctx:objects()) do\n"
        "      ctx:report{object = o, message = o.name .. ' of ' .. #ctx:objects()}\n"
        "    end\n"
        "  end }\n");
    run = new_run(NULL);
    cl_run_buffer(run, "one.yaml", set_yaml, strlen(set_yaml));
    cl_run_buffer(run, "two.yaml", other, strlen(other));
    cl_run_buffer(run, "three.yaml", second, strlen(second));
    assert_int_equal(find(run, ".each", f, 4), 3);
    assert_string_equal(f[0]->message, "web of 2");
    assert_string_equal(f[1]->message, "orphan of 2");
    assert_string_equal(f[2]->message, "second of 1");
    assert_string_equal(f[2]->pos.file, "three.yaml");
    cl_run_free(run);
}

struct attack {
    const char *file, *body;
    uint32_t line;               /* expected line of the finding */
    const char *needle;          /* expected in the message */
};

static const struct attack attacks[] = {
    /* the set is incomplete while objects are checked */
    { "s01.lua", "return { id = 's01', check = function(obj, ctx)\n"
                 "  local all = ctx:objects()\nend }\n", 2, "is for finish" },
    /* a node kept from check is dead in finish */
    { "s02.lua", "local kept\n"
                 "return { id = 's02', check = function(obj, ctx) kept = obj:get('metadata') end,\n"
                 "  finish = function(ctx)\n"
                 "    ctx:report{node = kept, message = 'x'}\n  end }\n", 4, "outside the check call" },
    /* an object kept from one set's finish is dead in the next */
    { "s03.lua", "local kept\n"
                 "return { id = 's03', finish = function(ctx)\n"
                 "  if kept then local n = kept.name end\n"
                 "  kept = ctx:objects()[1]\nend }\n", 3, "outside the check call" },
    /* a node of one object reported as another's */
    { "s04.lua", "return { id = 's04', kinds = { 'Service' }, finish = function(ctx)\n"
                 "  local o = ctx:objects()\n"
                 "  ctx:report{object = o[1], node = o[2]:get('spec'), message = 'x'}\nend }\n",
      3, "belongs to another object" },
    /* objects are read-only */
    { "s05.lua", "return { id = 's05', finish = function(ctx)\n"
                 "  ctx:objects()[1].name = 'x'\nend }\n", 2, "index" },
    /* a finding needs a place */
    { "s06.lua", "return { id = 's06', finish = function(ctx)\n"
                 "  ctx:report{message = 'nowhere'}\nend }\n", 2, "needs node = or object =" },
    { "s07.lua", "return { id = 's07', finish = function(ctx)\n"
                 "  while true do end\nend }\n", 2, "instruction budget" },
    { "s08.lua", "return { id = 's08', finish = function(ctx)\n"
                 "  return 1\nend }\n", 1, "finish returned a number" },
    { "s09.lua", "return { id = 's09', finish = 'later' }\n", 1, "\"finish\" must be a function" },
    /* object = is for finish: check reports on its own object */
    { "s10.lua", "return { id = 's10', check = function(obj, ctx)\n"
                 "  ctx:report{object = obj, message = 'x'}\nend }\n", 2, "object = is for finish" },
    /* a plain table is not an object */
    { "s11.lua", "return { id = 's11', finish = function(ctx)\n"
                 "  ctx:report{object = {}, message = 'x'}\nend }\n", 2, "chartlint node" },
    { "s12.lua", "return { id = 's12', finish = function(ctx)\n"
                 "  ctx:objects{kind = 42}\nend }\n", 2, "kind must be a string" },
    /* labels are copies: changing them changes nothing for the next reader */
    { "s13.lua", "return { id = 's13', finish = function(ctx)\n"
                 "  local o = ctx:objects()[1]\n"
                 "  o.labels.app = 'changed'\n"
                 "  error('labels ' .. tostring(o.labels.app))\nend }\n", 4, "labels nil" },
    /* ctx.values of plain manifests is nil, and ctx.chart */
    { "s14.lua", "return { id = 's14', check = function(obj, ctx)\n"
                 "  error('chart ' .. tostring(ctx.chart) .. ' values ' .. tostring(ctx.values))\n"
                 "end }\n", 2, "chart nil values nil" },
};

#define NATTACKS (sizeof attacks / sizeof attacks[0])

static const char canary[] =
    "return { id = 'canary', kinds = { 'Service' }, check = function(obj, ctx)\n"
    "  ctx:report{node = obj:get('metadata.name'), message = 'seen ' .. obj.name}\n"
    "end }\n";

static void test_sandbox(void **state)
{
    const struct cl_finding *f[4];
    struct cl_run *run;

    (void)state;
    clear_pack();
    for (size_t i = 0; i < NATTACKS; i++) {
        char name[64];

        snprintf(name, sizeof name, "pack/%s", attacks[i].file);
        put(name, attacks[i].body);
    }
    put("pack/canary.lua", canary);
    run = new_run(NULL);
    cl_run_buffer(run, "one.yaml", set_yaml, strlen(set_yaml));
    cl_run_buffer(run, "two.yaml", set_yaml, strlen(set_yaml));
    for (size_t i = 0; i < NATTACKS; i++) {
        uint32_t line = 0;
        const char *msg = NULL;
        size_t n = policy_errors(run, attacks[i].file, &line, &msg);

        if (n == 0 || !strstr(msg, attacks[i].needle) || line != attacks[i].line)
            fail_msg("%s: %zu policy errors, line %u, message %s", attacks[i].file, n,
                     (unsigned)line, msg ? msg : "(none)");
    }
    assert_int_equal(find(run, ".canary", f, 4), 4);
    assert_string_equal(f[0]->message, "seen web");
    cl_run_free(run);
}

static void mkdirs(const char *name)
{
    char path[700];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(mkdir(path, 0755), 0);
}

/* ctx.chart and ctx.values of a rendered chart: metadata, coalesced values (-f and
 * --set over values.yaml), read-only views that die with their call. */
static void test_chart(void **state)
{
    static const char *values_files[2];
    static const char *sets[] = { "replicas=3", NULL };
    const struct cl_finding *f[4];
    char chart[700], extra[700];
    struct cl_options opts;
    const char *err = NULL;
    struct cl_run *run;
    uint32_t line = 0;
    const char *msg = NULL;

    (void)state;
    clear_pack();
    mkdirs("chart");
    mkdirs("chart/templates");
    put("chart/Chart.yaml",
        "apiVersion: v2\nname: shop\nversion: 1.2.3\nappVersion: \"4.5\"\n"
        "annotations: {acme.example/tier: gold}\n");
    put("chart/values.yaml",
        "image: {repository: nginx, tag: latest}\nreplicas: 1\nports: [80, 443]\n"
        "ratio: 0.5\nempty: null\n");
    put("extra.yaml", "image: {tag: \"1.27\"}\n");
    put("chart/templates/svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Chart.Name }}\n"
        "spec:\n  ports: [{port: {{ index .Values.ports 0 }}}]\n");
    put("pack/chart.lua",
        "return { id = 'chart', kinds = { 'Service' }, check = function(obj, ctx)\n"
        "  local c, v = ctx.chart, ctx.values\n"
        "  local keys = {}\n"
        "  for k in pairs(v) do keys[#keys + 1] = k end\n"
        "  local ports = {}\n"
        "  for i, p in ipairs(v.ports) do ports[i] = tostring(p) end\n"
        "  ctx:report{node = obj:get('spec.ports[0].port'), message = table.concat({\n"
        "    c.name, c.version, c.apiVersion, c.appVersion, c.type,\n"
        "    c.annotations['acme.example/tier'], v.image.repository, v.image.tag,\n"
        "    math.type(v.replicas), tostring(v.replicas), tostring(v.ratio),\n"
        "    tostring(v.empty), tostring(v.missing), #v.ports, table.concat(ports, '+'),\n"
        "    table.concat(keys, '+') }, ' ')}\n"
        "end }\n");
    put("pack/values-write.lua",
        "return { id = 'values-write', kinds = { 'Service' }, check = function(obj, ctx)\n"
        "  ctx.values.image.tag = 'x'\nend }\n");
    put("pack/values-keep.lua",
        "local kept\n"
        "return { id = 'values-keep', kinds = { 'Service' },\n"
        "  check = function(obj, ctx) kept = ctx.values.image end,\n"
        "  finish = function(ctx)\n"
        "    assert(ctx.chart == nil and ctx.values == nil)\n"
        "    local t = kept.tag\n  end }\n");
    snprintf(chart, sizeof chart, "%s/chart", dir);
    snprintf(extra, sizeof extra, "%s/extra.yaml", dir);
    values_files[0] = extra;
    opts = options(NULL);
    opts.render.values_files = values_files;
    opts.render.set = sets;
    run = cl_run_new(&opts, &err);
    assert_non_null(run);
    cl_run_path(run, chart);
    assert_int_equal(find(run, ".chart", f, 4), 1);
    assert_string_equal(f[0]->message, "shop 1.2.3 v2 4.5 application gold nginx 1.27 "
                                       "integer 3 0.5 nil nil 2 80+443 "
                                       "empty+image+ports+ratio+replicas");
    assert_int_equal(f[0]->pos.line, 6);
    assert_non_null(strstr(f[0]->pos.file, "templates/svc.yaml"));
    assert_int_equal(policy_errors(run, "values-write.lua", &line, &msg), 1);
    assert_non_null(strstr(msg, "ctx.values is read-only"));
    assert_int_equal(line, 2);
    assert_int_equal(policy_errors(run, "values-keep.lua", &line, &msg), 1);
    assert_non_null(strstr(msg, "outside the check call"));
    assert_int_equal(line, 6);
    cl_run_free(run);
}

/* One input set of two charts (a directory): a set-scoped rule sees each chart's objects
 * once, even when the second chart's documents land at the first one's addresses. */
static void test_two_charts(void **state)
{
    const struct cl_finding *f[4];
    char path[700];
    struct cl_run *run;

    (void)state;
    clear_pack();
    mkdirs("two");
    for (const char *const *n = (const char *const[]){ "a", "b", NULL }; *n; n++) {
        char name[64], chart[64];

        snprintf(name, sizeof name, "two/%s", *n);
        mkdirs(name);
        snprintf(name, sizeof name, "two/%s/templates", *n);
        mkdirs(name);
        snprintf(name, sizeof name, "two/%s/Chart.yaml", *n);
        snprintf(chart, sizeof chart, "apiVersion: v2\nname: %s\nversion: 1.0.0\n", *n);
        put(name, chart);
        snprintf(name, sizeof name, "two/%s/templates/s.yaml", *n);
        put(name, "apiVersion: v1\nkind: Service\nmetadata: {name: {{ .Chart.Name }}}\n"
                  "spec: {}\n---\napiVersion: v1\nkind: ConfigMap\n"
                  "metadata: {name: {{ .Chart.Name }}-c}\n");
    }
    put("pack/names.lua",
        "return { id = 'names', finish = function(ctx)\n"
        "  local t = {}\n"
        "  for _, o in ipairs(ctx:objects()) do t[#t + 1] = o.kind .. '/' .. o.name end\n"
        "  ctx:report{object = ctx:objects()[1], message = table.concat(t, ',')}\n"
        "end }\n");
    put("pack/services.lua",
        "return { id = 'services', kinds = { 'Service' }, check = function(obj, ctx) end,\n"
        "  finish = function(ctx)\n"
        "    ctx:report{object = ctx:objects()[1], message = 'n=' .. #ctx:objects()}\n"
        "  end }\n");
    run = new_run(NULL);
    snprintf(path, sizeof path, "%s/two", dir);
    cl_run_path(run, path);
    assert_int_equal(find(run, ".names", f, 4), 1);
    assert_string_equal(f[0]->message, "Service/a,ConfigMap/a-c,Service/b,ConfigMap/b-c");
    assert_int_equal(find(run, ".services", f, 4), 1);
    assert_string_equal(f[0]->message, "n=2");
    cl_run_free(run);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(pack, sizeof pack, "%s/pack", dir);
    return mkdir(pack, 0755);
}

static int teardown(void **state)
{
    char cmd[700];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_objects),
        cmocka_unit_test(test_sets),
        cmocka_unit_test(test_sandbox),
        cmocka_unit_test(test_chart),
        cmocka_unit_test(test_two_charts),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
