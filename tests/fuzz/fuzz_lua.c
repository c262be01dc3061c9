/* fuzz_lua.c -- libFuzzer target for the Lua host (src/lua_host.c, src/policy.c): the
 * input is "RULE\n---8<---\nYAML", the text of one policy rule and a manifest stream. The
 * rule is written as the only file of a policy pack directory (made once per process)
 * and the stream is linted with that pack and the built-in checks and rules, under a
 * 16 MiB Lua memory cap, then reported as JSON into a memory stream. Whatever the rule
 * does (bad syntax, a bad table, errors, endless loops, huge strings, deep recursion,
 * poking at the API with wrong types), the run must end with findings: CL0010 for the
 * rule's failures. Seeds: testdata/fuzz/fuzz_lua/. See docs/fuzzing.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chartlint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char top[4096], pack[4200], rule[4300];

static void remove_pack(void)
{
    remove(rule);
    rmdir(pack);
    rmdir(top);
}

static void make_pack(void)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(top, sizeof top, "%s/fuzz_lua.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(top))
        abort();
    snprintf(pack, sizeof pack, "%s/acme", top);
    if (mkdir(pack, 0700) < 0)
        abort();
    snprintf(rule, sizeof rule, "%s/rule.lua", pack);
    atexit(remove_pack);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n---8<---\n";
    const char *s = (const char *)data, *end = s + size, *yaml = end, *rule_end = end;
    const char *policies[2] = { pack, NULL };
    struct cl_options opts;
    const char *err = NULL;
    struct cl_run *run;
    char *out = NULL;
    size_t len = 0;
    FILE *f, *mem;

    if (!pack[0])
        make_pack();
    for (const char *p = s; p + sizeof sep - 1 <= end; p++)
        if (memcmp(p, sep, sizeof sep - 1) == 0) {
            rule_end = p;
            yaml = p + sizeof sep - 1;
            break;
        }
    f = fopen(rule, "wb");
    if (!f || fwrite(s, 1, (size_t)(rule_end - s), f) != (size_t)(rule_end - s) || fclose(f))
        abort();
    cl_options_init(&opts);
    opts.policies = policies;
    opts.lua_memory = (size_t)16 << 20;
    opts.format = "json";
    opts.color = 0;
    run = cl_run_new(&opts, &err);
    if (!run)
        abort();                /* a readable pack always loads, failures are findings */
    cl_run_buffer(run, "fuzz.yaml", yaml, (size_t)(end - yaml));
    mem = open_memstream(&out, &len);
    if (!mem)
        abort();
    cl_run_report(run, mem);
    fclose(mem);
    free(out);
    cl_run_free(run);
    return 0;
}
