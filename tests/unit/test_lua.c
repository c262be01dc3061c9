/* test_lua.c -- the Lua host: sandbox attacks, limits, the rule API, built-in rules.
 *
 * Each attack is a rule of one pack next to a canary rule that reports on every object:
 * each attack must give a clean CL0010 policy-error at its file:line and leave the
 * canary's findings untouched. */
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

static char pack[] = "/tmp/chartlint-lua-XXXXXX";

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

static const char two_pods[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: one, labels: {team: a}}\n"
    "spec:\n  containers:\n  - {name: app, image: nginx}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: two}\n"
    "spec:\n  containers:\n  - {name: web, image: \"nginx:1.27\"}\n"
    "  initContainers:\n  - {name: init, image: busybox}\n";

static struct cl_run *lint(const char *only, const char *yaml)
{
    static const char *pol[2], *only_v[2];
    struct cl_options opts;
    const char *err = NULL;
    struct cl_run *run;

    cl_options_init(&opts);
    pol[0] = pack;
    only_v[0] = only;
    opts.policies = pol;
    opts.only = only ? only_v : NULL;
    opts.lua_memory = (size_t)16 << 20;
    opts.quiet = true;
    opts.color = 0;
    run = cl_run_new(&opts, &err);
    if (!run)
        fail_msg("cl_run_new: %s", err ? err : "?");
    cl_run_buffer(run, "in.yaml", yaml, strlen(yaml));
    return run;
}

static size_t count(const struct cl_run *run, const char *check)
{
    size_t n = 0;

    for (size_t i = 0; i < cl_run_nfindings(run); i++)
        n += strcmp(cl_run_finding(run, i)->check, check) == 0;
    return n;
}

/* The policy-error findings of file name: how many, and the line and message of one. */
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

static const char canary[] =
    "return { id = 'canary', check = function(obj, ctx)\n"
    "  ctx:report{node = obj:get('metadata.name'), message = 'seen ' .. obj.name}\n"
    "end }\n";

struct attack {
    const char *file, *body;
    uint32_t line;               /* expected line of the finding */
    const char *needle;          /* expected in the message */
};

static const struct attack attacks[] = {
    { "a01.lua", "return { id = 'a01', check = function(obj, ctx)\n"
                 "  io.open('/etc/passwd')\nend }\n", 2, "global 'io'" },
    { "a02.lua", "return { id = 'a02', check = function(obj, ctx)\n"
                 "  os.execute('true')\nend }\n", 2, "global 'os'" },
    { "a03.lua", "return { id = 'a03', check = function(obj, ctx)\n"
                 "  local m = require('os')\nend }\n", 2, "global 'require'" },
    { "a04.lua", "return { id = 'a04', check = function(obj, ctx)\n"
                 "  local f = load('\\27Lua')\nend }\n", 2, "global 'load'" },
    { "a05.lua", "return { id = 'a05', check = function(obj, ctx)\n"
                 "  local d = string.dump(print)\nend }\n", 2, "field 'dump'" },
    { "a06.lua", "return { id = 'a06', check = function(obj, ctx)\n"
                 "  local d = ('x').dump(function() end)\nend }\n", 2, "field 'dump'" },
    { "a07.lua", "return { id = 'a07', check = function(obj, ctx)\n"
                 "  debug.sethook()\nend }\n", 2, "global 'debug'" },
    { "a08.lua", "return { id = 'a08', check = function(obj, ctx)\n"
                 "  local mt = getmetatable('')\nend }\n", 2, "global 'getmetatable'" },
    { "a09.lua", "return { id = 'a09', check = function(obj, ctx)\n"
                 "  print('hi')\nend }\n", 2, "global 'print'" },
    { "a10.lua", "return { id = 'a10', check = function(obj, ctx)\n"
                 "  while true do end\nend }\n", 2, "instruction budget" },
    { "a11.lua", "return { id = 'a11', check = function(obj, ctx)\n"
                 "  while true do pcall(function() while true do end end) end\nend }\n",
      2, "instruction budget" },
    { "a12.lua", "return { id = 'a12', check = function(obj, ctx)\n"
                 "  local s = string.rep('x', 1e9)\nend }\n", 1, "not enough memory" },
    { "a13.lua", "return { id = 'a13', check = function(obj, ctx)\n"
                 "  local t = {} for i = 1, 1e9 do t[i] = {i} end\nend }\n", 1,
      "not enough memory" },
    { "a14.lua", "local function f(n) return 1 + f(n + 1) end\n"
                 "return { id = 'a14', check = function(obj, ctx)\n"
                 "  f(1)\nend }\n", 2, "failed" },
    { "a15.lua", "return { id = 'a15', check = function(obj, ctx)\n"
                 "  error({code = 1})\nend }\n", 2, "error object is a table value" },
    { "a16.lua", "return 42\n", 1, "must return a table" },
    { "a17.lua", "return { id = 'Not_Kebab', check = function() end }\n", 1, "kebab-case" },
    { "a18.lua", "return { id = 'a18', check = 'nope' }\n", 1, "must be a function" },
    { "a19.lua", "local saved\n"
                 "return { id = 'a19', check = function(obj, ctx)\n"
                 "  if saved then ctx:report{node = saved, message = 'x'} end\n"
                 "  saved = obj:get('metadata')\nend }\n", 3, "outside the check call" },
    { "a20.lua", "return { id = 'a20', check = function(obj, ctx)\n"
                 "  return {}\nend }\n", 1, "check returned a table" },
    { "a21.lua", "string.upper = nil; chartlint.regex = nil; x_shared = 1\n"
                 "return { id = 'a21', check = function(obj, ctx)\n"
                 "  error('boom')\nend }\n", 3, "boom" },
    { "a22.lua", "\x1bLua", 1, "binary chunk" },
    { "a23.lua", "return { id = 'a23', check = function(obj, ctx)\n"
                 "  local s = ('x'):rep(1e9)\nend }\n", 1, "not enough memory" },
    { "a24.lua", "return { id = 'a24', check = function(obj, ctx)\n"
                 "  local r = chartlint.regex('(')\nend }\n", 2, "invalid regex" },
};

#define NATTACKS (sizeof attacks / sizeof attacks[0])

/* Rule b runs after a21 (name order) and sees its own, intact libraries. */
static const char shared_b[] =
    "return { id = 'zz-shared', check = function(obj, ctx)\n"
    "  assert(string.upper('a') == 'A' and chartlint.regex and x_shared == nil)\n"
    "  ctx:report{node = obj, message = 'isolated'}\n"
    "end }\n";

static void test_attacks(void **state)
{
    struct cl_run *run;

    (void)state;
    for (size_t i = 0; i < NATTACKS; i++)
        put(attacks[i].file, attacks[i].body);
    put("canary.lua", canary);
    put("zz-shared.lua", shared_b);
    run = lint(NULL, two_pods);
    assert_int_equal(count(run, "chartlint-lua-canary"), 0);   /* namespaced by pack */
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);
        if (strstr(f->check, ".canary")) {
            assert_true(strncmp(f->message, "seen ", 5) == 0);
        }
    }
    for (size_t i = 0; i < NATTACKS; i++) {
        uint32_t line = 0;
        const char *msg = NULL;
        size_t n = policy_errors(run, attacks[i].file, &line, &msg);

        if (n == 0 || !strstr(msg, attacks[i].needle) || line != attacks[i].line)
            fail_msg("%s: %zu policy errors, line %u, message %s", attacks[i].file, n,
                     (unsigned)line, msg ? msg : "(none)");
    }
    {
        size_t canaries = 0, shared = 0;

        for (size_t i = 0; i < cl_run_nfindings(run); i++) {
            const struct cl_finding *f = cl_run_finding(run, i);

            canaries += strstr(f->check, ".canary") != NULL;
            shared += strstr(f->check, ".zz-shared") != NULL;
        }
        assert_int_equal(canaries, 2);
        assert_int_equal(shared, 2);
    }
    cl_run_free(run);
    for (size_t i = 0; i < NATTACKS; i++) {
        char path[512];

        snprintf(path, sizeof path, "%s/%s", pack, attacks[i].file);
        unlink(path);
    }
}

static void test_api(void **state)
{
    struct cl_run *run;
    char id[128];
    const char *slash = strrchr(pack, '/');

    (void)state;
    put("api.lua",
        "local re = chartlint.regex('^nginx(:|$)')\n"
        "return { id = 'api', kinds = { 'Pod' },\n"
        "  params = { team = { type = 'string', default = 'a', doc = 'owner' } },\n"
        "  check = function(obj, ctx)\n"
        "    assert(obj.kind == 'Pod' and obj.apiVersion == 'v1')\n"
        "    assert(obj:get('spec.containers'):type() == 'seq')\n"
        "    assert(#obj:get('spec.containers') == 1)\n"
        "    for c in obj:containers() do\n"
        "      local img = c:get('image')\n"
        "      if re:match(img:str()) then\n"
        "        ctx:report{node = img, message = c.list .. ' ' .. c.name .. ' ' .. c.index\n"
        "                   .. ' ' .. tostring(obj.labels.team == ctx.params.team)}\n"
        "      end\n"
        "    end\n"
        "  end }\n");
    snprintf(id, sizeof id, "%s.api", slash + 1);
    run = lint(id, two_pods);
    assert_int_equal(count(run, id), 2);
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        if (strcmp(f->check, id) == 0 && strcmp(f->name, "one") == 0) {
            assert_string_equal(f->message, "containers app 0 true");
            assert_int_equal(f->pos.line, 6);
            assert_int_equal(f->pos.col, 24);
            assert_string_equal(f->container, "app");
            assert_string_equal(f->name, "one");
        }
    }
    cl_run_free(run);
    unlink("api.lua");
}

/* chartlint.quote quotes as the C checks do (cl_quote), not as Lua's %q: a tab is \t,
 * not \9, a NUL \x00, numbers are taken as their text, long values are cut on a UTF-8
 * boundary, and anything else is a rule error. */
static void test_quote(void **state)
{
    struct cl_run *run;
    char id[128], path[600];
    const char *slash = strrchr(pack, '/');
    const char *msg = NULL;
    size_t nbad = 0;

    (void)state;
    put("quote.lua",
        "local q = chartlint.quote\n"
        "return { id = 'quote', kinds = { 'Pod' },\n"
        "  check = function(obj, ctx)\n"
        "    if obj.name ~= 'one' then return end\n"
        "    ctx:report{message = table.concat({ q('a\\tb\\nc'), q('q\"\\\\'), q('nul\\0x'),\n"
        "      q(42), q(''), q('esc\\27[0m\\127'), q('a' .. string.rep('\\u{e9}', 40)) }, ' ')}\n"
        "  end }\n");
    put("quote-bad.lua",
        "return { id = 'quote-bad', kinds = { 'Pod' },\n"
        "  check = function(obj, ctx)\n"
        "    ctx:report{message = chartlint.quote({})}\n"
        "  end }\n");
    snprintf(id, sizeof id, "%s.quote", slash + 1);
    run = lint(NULL, two_pods);
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        if (strcmp(f->check, id) == 0)
            msg = f->message;
        if (strcmp(f->code, "CL0010") == 0 && strstr(f->message, "quote-bad") &&
            strstr(f->message, "bad argument #1 to 'quote'"))
            nbad++;
    }
    assert_non_null(msg);
    assert_string_equal(msg, "\"a\\tb\\nc\" \"q\\\"\\\\\" \"nul\\x00x\" \"42\" \"\" "
                             "\"esc\\x1b[0m\\x7f\" \"a"
                             "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                             "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                             "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                             "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"...");
    assert_int_equal(nbad, 2);
    cl_run_free(run);
    snprintf(path, sizeof path, "%s/quote.lua", pack);
    unlink(path);
    snprintf(path, sizeof path, "%s/quote-bad.lua", pack);
    unlink(path);
}

/* c.label names a container as the C checks' messages do ("app" quoted, or the place of
 * an unnamed one), and a report on an unnamed container's node, or with container = ""
 * (its c.name), names the place, never an empty container. */
static void test_container_label(void **state)
{
    struct cl_run *run;
    char id[128], path[600];
    const char *slash = strrchr(pack, '/');
    size_t n = 0;

    (void)state;
    put("label.lua",
        "return { id = 'label', kinds = { 'Pod' },\n"
        "  check = function(obj, ctx)\n"
        "    for c in obj:containers() do\n"
        "      ctx:report{node = c, container = c.name, message = 'container ' .. c.label}\n"
        "    end\n"
        "  end }\n");
    snprintf(id, sizeof id, "%s.label", slash + 1);
    run = lint(id, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                   "  containers:\n  - {image: nginx}\n"
                   "  initContainers:\n  - {name: \"a\\tb\", image: x}\n  - {image: y}\n");
    for (size_t i = 0; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        if (strcmp(f->check, id) != 0)
            continue;
        n++;
        assert_non_null(f->container);
        if (f->pos.line == 6) {
            assert_string_equal(f->message, "container containers[0]");
            assert_string_equal(f->container, "containers[0]");
        } else if (strstr(f->message, "\\t")) {
            assert_string_equal(f->message, "container \"a\\tb\"");
            assert_string_equal(f->container, "a\tb");
        } else {
            assert_string_equal(f->message, "container initContainers[1]");
            assert_string_equal(f->container, "initContainers[1]");
        }
    }
    assert_int_equal(n, 3);
    cl_run_free(run);
    snprintf(path, sizeof path, "%s/label.lua", pack);
    unlink(path);
}

static void test_builtin(void **state)
{
    (void)state;
    assert_true(cl_lua_builtin_count() >= 7);
    for (size_t i = 0; i < cl_lua_builtin_count(); i++) {
        const struct cl_check *c = cl_lua_builtin(i);
        struct cl_options opts;
        const char *only[] = { c->code, NULL }, *err = NULL;
        struct cl_run *run;
        size_t n = 0;

        assert_ptr_equal(cl_check_find(c->name), c);
        assert_ptr_equal(cl_check_find(c->code), c);
        cl_options_init(&opts);
        opts.only = only;
        opts.quiet = true;
        run = cl_run_new(&opts, &err);
        assert_non_null(run);
        cl_run_buffer(run, "bad.yaml", c->example_bad, strlen(c->example_bad));
        for (size_t j = 0; j < cl_run_nfindings(run); j++)
            n += strcmp(cl_run_finding(run, j)->code, c->code) == 0;
        if (n != 1)
            fail_msg("%s: example_bad gives %zu findings", c->code, n);
        cl_run_free(run);
        run = cl_run_new(&opts, &err);
        cl_run_buffer(run, "good.yaml", c->example_good, strlen(c->example_good));
        assert_int_equal(cl_run_nfindings(run), 0);
        cl_run_free(run);
    }
    assert_ptr_equal(cl_check_find("CL0010"), &cl_check_policy_error);
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
        cmocka_unit_test(test_attacks),
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_container_label),
        cmocka_unit_test(test_builtin),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
