/* packtest.c -- `chartlint test DIR...`: run each policy pack's own fixtures.
 *
 * A pack's tests/<rule-id>/ folder holds fixtures exactly like testdata/checks/<CODE>/:
 * pass*.yaml must give no finding of the rule (nor a policy error), fail*.yaml must
 * give at least one and print, as text without colour or summary and with paths
 * relative to the folder, exactly its fail*.expected. Each case is a fresh run with the
 * pack loaded and only that rule enabled, as tests/fixtures.c runs the C checks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartlint.h"
#include "finding.h"
#include "lua_host.h"
#include "policy.h"
#include "util.h"

#define FIXTURE_MAX_BYTES ((size_t)16 << 20)
#define DIFF_MAX_CELLS ((size_t)4 << 20)     /* larger outputs are shown whole */

struct tally {
    size_t rules_passed, rules_failed, cases;
    bool broken;                 /* a pack could not be read or did not load cleanly */
};

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_manifest(const char *name)
{
    return has_suffix(name, ".yaml") || has_suffix(name, ".yml") || has_suffix(name, ".json");
}

/* ---- a line diff ---------------------------------------------------------------- */

/* Split text into lines (pointers into text, which is modified). */
static char **split_lines(char *text, size_t *n)
{
    char **v = NULL;
    size_t cap = 0;

    *n = 0;
    while (*text) {
        char *nl = strchr(text, '\n');

        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            v = cl_xrealloc(v, cap * sizeof *v);
        }
        v[(*n)++] = text;
        if (!nl)
            break;
        *nl = '\0';
        text = nl + 1;
    }
    return v;
}

/* Print a unified-style diff of want and got (whole texts, as one hunk), each line
 * indented by four spaces. */
static void print_diff(FILE *out, const char *want_name, const char *want, const char *got)
{
    char *a = cl_xstrdup(want), *b = cl_xstrdup(got);
    size_t na, nb;
    char **la = split_lines(a, &na), **lb = split_lines(b, &nb);

    fprintf(out, "    --- %s\n    +++ actual output\n", want_name);
    if ((na + 1) * (nb + 1) > DIFF_MAX_CELLS) {
        for (size_t i = 0; i < na; i++)
            fprintf(out, "    -%s\n", la[i]);
        for (size_t j = 0; j < nb; j++)
            fprintf(out, "    +%s\n", lb[j]);
    } else {
        /* lcs[i][j]: length of the longest common subsequence of la[i..] and lb[j..] */
        size_t w = nb + 1, i = 0, j = 0;
        unsigned *lcs = cl_xcalloc((na + 1) * w, sizeof *lcs);

        for (size_t x = na; x-- > 0;)
            for (size_t y = nb; y-- > 0;)
                lcs[x * w + y] = strcmp(la[x], lb[y]) == 0
                                     ? lcs[(x + 1) * w + y + 1] + 1
                                     : (lcs[(x + 1) * w + y] > lcs[x * w + y + 1]
                                            ? lcs[(x + 1) * w + y] : lcs[x * w + y + 1]);
        fprintf(out, "    @@ -1,%zu +1,%zu @@\n", na, nb);
        while (i < na || j < nb) {
            if (i < na && j < nb && strcmp(la[i], lb[j]) == 0) {
                fprintf(out, "     %s\n", la[i]);
                i++, j++;
            } else if (i < na && (j == nb || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
                fprintf(out, "    -%s\n", la[i++]);
            } else {
                fprintf(out, "    +%s\n", lb[j++]);
            }
        }
        free(lcs);
    }
    free(la);
    free(lb);
    free(a);
    free(b);
}

/* ---- cases ---------------------------------------------------------------------- */

/* A run of rule alone with the pack loaded: --only the rule and --disable the
 * input-problem checks --only keeps on by itself. NULL (message printed) on failure. */
static struct cl_run *run_rule(const struct cl_options *base, const char *dir,
                               const char *rule, FILE *out)
{
    struct cl_options opts = *base;
    const char *policies[] = { dir, NULL };
    const char *only[] = { rule, NULL };
    const char *disable[cl_checks_count + 1];
    size_t ndisable = 0;
    const char *err = NULL;
    struct cl_run *run;

    for (size_t i = 0; i < cl_checks_count; i++)
        if (cl_checks[i]->input_problem && !cl_checks[i]->retired)
            disable[ndisable++] = cl_checks[i]->code;
    disable[ndisable] = NULL;
    opts.policies = policies;
    opts.only = only;
    opts.enable = NULL;
    opts.disable = disable;
    opts.format = "text";
    opts.outputs = NULL;
    opts.color = 0;
    opts.quiet = true;
    opts.no_config = true;
    opts.config = NULL;
    opts.fail_on = CL_SEV_NONE;
    run = cl_run_new(&opts, &err);
    if (!run)
        fprintf(out, "FAIL %s: cannot run it: %s\n", rule, err ? err : "invalid options");
    return run;
}

/* Findings of rule, and policy errors (a rule that crashed on the fixture), from the
 * from-th on: the findings before are the pack's load errors, reported once per pack. */
static size_t count_rule(const struct cl_run *run, const char *rule, size_t from)
{
    size_t n = 0;

    for (size_t i = from; i < cl_run_nfindings(run); i++) {
        const struct cl_finding *f = cl_run_finding(run, i);

        n += strcmp(f->check, rule) == 0 || strcmp(f->code, "CL0010") == 0;
    }
    return n;
}

/* One case; true when it passed (a failure is printed). */
static bool run_case(const struct cl_options *base, const char *dir, const char *folder,
                     const char *rule, const char *name, bool update, FILE *out)
{
    struct cl_buf path;
    struct cl_run *run;
    char *text = NULL, *got = NULL, *want = NULL;
    size_t len = 0, got_len = 0, want_len = 0, stem, loaded;
    bool fail = has_prefix(name, "fail"), ok = false;
    FILE *mem;

    cl_buf_init(&path);
    cl_buf_printf(&path, "%s/%s", folder, name);
    text = cl_read_file(path.data, FIXTURE_MAX_BYTES, &len);
    if (!text) {
        fprintf(out, "FAIL %s: %s: cannot read: %s\n", rule, name,
                errno == EFBIG ? "too big" : strerror(errno));
        goto out;
    }
    run = run_rule(base, dir, rule, out);
    if (!run)
        goto out;
    loaded = cl_run_nfindings(run);
    cl_run_buffer(run, name, text, len);
    if (!fail) {
        size_t n = count_rule(run, rule, loaded);

        if (n) {
            fprintf(out, "FAIL %s: %s: expected no finding, got %zu:\n", rule, name, n);
            if ((mem = open_memstream(&got, &got_len)) != NULL) {
                cl_run_report(run, mem);
                fclose(mem);
                for (char *l = got; l && *l;) {
                    char *nl = strchr(l, '\n');

                    fprintf(out, "    %.*s\n", (int)(nl ? nl - l : (long)strlen(l)), l);
                    l = nl ? nl + 1 : l + strlen(l);
                }
            }
        }
        ok = n == 0;
        cl_run_free(run);
        goto out;
    }
    bool any = count_rule(run, rule, loaded) > 0;
    mem = open_memstream(&got, &got_len);
    if (!mem) {
        cl_run_free(run);
        fprintf(out, "FAIL %s: %s: out of memory\n", rule, name);
        goto out;
    }
    cl_run_report(run, mem);
    fclose(mem);
    cl_run_free(run);
    stem = strrchr(name, '.') ? (size_t)(strrchr(name, '.') - name) : strlen(name);
    cl_buf_reset(&path);
    cl_buf_printf(&path, "%s/%.*s.expected", folder, (int)stem, name);
    if (update) {
        FILE *fp = fopen(path.data, "wb");

        if (!fp || fwrite(got, 1, got_len, fp) != got_len || fclose(fp) != 0) {
            fprintf(out, "FAIL %s: %s: cannot write %.*s.expected: %s\n", rule, name,
                    (int)stem, name, strerror(errno));
            goto out;
        }
        fprintf(out, "updated %s\n", path.data);
    }
    if (!any) {
        fprintf(out, "FAIL %s: %s: a fail fixture must give at least one %s finding\n", rule,
                name, rule);
        goto out;
    }
    if (update) {
        ok = true;
        goto out;
    }
    want = cl_read_file(path.data, FIXTURE_MAX_BYTES, &want_len);
    if (!want) {
        fprintf(out, "FAIL %s: %s: missing %.*s.expected (write it with `chartlint test "
                "--update` and review it); got:\n", rule, name, (int)stem, name);
        print_diff(out, "/dev/null", "", got);
        goto out;
    }
    if (want_len != got_len || memcmp(want, got, got_len) != 0) {
        size_t nw = 0, ng = 0;

        for (const char *p = want; *p; p++)
            nw += *p == '\n';
        for (const char *p = got; *p; p++)
            ng += *p == '\n';
        fprintf(out, "FAIL %s: %s: expected %zu finding line%s, got %zu that differ:\n", rule,
                name, nw, nw == 1 ? "" : "s", ng);
        cl_buf_reset(&path);
        cl_buf_printf(&path, "%.*s.expected", (int)stem, name);
        print_diff(out, path.data, want, got);
        goto out;
    }
    ok = true;
out:
    free(text);
    free(got);
    free(want);
    cl_buf_fini(&path);
    return ok;
}

/* The fixtures of one rule in folder; counts go to t. */
static void test_rule(const struct cl_options *base, const char *dir, const char *folder,
                      const char *rule, bool update, FILE *out, struct tally *t)
{
    size_t n, cases = 0, npass = 0, nfail = 0;
    char **names = cl_list_dir(folder, &n);
    bool ok = true;

    if (!names && errno != ENOENT) {
        fprintf(out, "FAIL %s: %s: %s\n", rule, folder, strerror(errno));
        t->rules_failed++;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = names[i];

        if ((has_prefix(name, "pass") || has_prefix(name, "fail")) && is_manifest(name)) {
            ok &= run_case(base, dir, folder, rule, name, update, out);
            cases++;
            npass += has_prefix(name, "pass");
            nfail += has_prefix(name, "fail");
        } else if (has_prefix(name, "fail") && has_suffix(name, ".expected")) {
            size_t stem = strlen(name) - strlen(".expected");
            bool found = false;

            for (size_t j = 0; j < n && !found; j++)
                found = strncmp(names[j], name, stem) == 0 && names[j][stem] == '.' &&
                        is_manifest(names[j]);
            if (!found) {
                fprintf(out, "FAIL %s: %s: no fail fixture for this expectation\n", rule, name);
                ok = false;
            }
        } else {
            fprintf(out, "FAIL %s: %s: not a fixture (pass*.yaml, fail*.yaml with "
                    "fail*.expected)\n", rule, name);
            ok = false;
        }
    }
    cl_free_names(names, n);
    if (!npass || !nfail) {
        fprintf(out, "FAIL %s: needs at least one pass and one fail fixture in %s (has %zu "
                "and %zu)\n", rule, folder, npass, nfail);
        ok = false;
    }
    t->cases += cases;
    if (ok) {
        fprintf(out, "PASS %s (%zu case%s)\n", rule, cases, cases == 1 ? "" : "s");
        t->rules_passed++;
    } else {
        t->rules_failed++;
    }
}

/* Every rule of the pack in dir; folders of tests/ naming no rule fail. */
static void test_pack(const struct cl_options *base, const char *dir, bool update, FILE *out,
                      struct tally *t)
{
    struct cl_lua *lx = cl_lua_new(base->lua_memory);
    const struct cl_pack *pack;
    const char *err = NULL;
    struct cl_buf tests, folder;
    char **names;
    size_t n;

    cl_lua_load_builtin(lx);
    cl_lua_take_errors(lx);
    pack = cl_policy_load(lx, dir, &err);
    if (!pack) {
        fprintf(out, "ERROR %s\n", err);
        t->broken = true;
        cl_lua_free(lx);
        return;
    }
    for (size_t i = 0; i < cl_lua_nerrors(lx); i++) {
        const struct cl_lua_error *e = cl_lua_error_get(lx, i);

        fprintf(out, "ERROR %s:%u:%u: error[policy-error] %s\n", e->pos.file,
                (unsigned)e->pos.line, (unsigned)e->pos.col, e->message);
        t->broken = true;
    }
    cl_buf_init(&tests);
    cl_buf_init(&folder);
    cl_buf_printf(&tests, "%s/tests", pack->dir);
    names = cl_list_dir(tests.data, &n);
    for (size_t i = 0; i < pack->nrules; i++) {
        const struct cl_check *c = cl_lua_check(lx, pack->first + i);
        const char *id = c->name + strlen(pack->name) + 1;

        cl_buf_reset(&folder);
        cl_buf_printf(&folder, "%s/%s", tests.data, id);
        test_rule(base, pack->dir, folder.data, c->name, update, out, t);
    }
    for (size_t i = 0; i < n; i++) {
        bool known = false;

        for (size_t r = 0; r < pack->nrules && !known; r++)
            known = strcmp(cl_lua_check(lx, pack->first + r)->name + strlen(pack->name) + 1,
                           names[i]) == 0;
        if (!known) {
            fprintf(out, "FAIL %s: tests/%s names no rule of the pack\n", pack->name, names[i]);
            t->rules_failed++;
        }
    }
    if (!pack->nrules && !t->broken) {
        fprintf(out, "FAIL %s: the pack has no rules\n", pack->name);
        t->rules_failed++;
    }
    cl_free_names(names, n);
    cl_buf_fini(&folder);
    cl_buf_fini(&tests);
    cl_lua_free(lx);
}

enum cl_exit cl_pack_test(const char *const *dirs, const struct cl_options *opts, bool update,
                          FILE *out)
{
    struct tally t = { 0 };
    size_t npacks = 0;

    for (; dirs && dirs[npacks]; npacks++)
        test_pack(opts, dirs[npacks], update, out, &t);
    fprintf(out, "%zu rule%s passed, %zu failed (%zu case%s in %zu pack%s)%s\n",
            t.rules_passed, t.rules_passed == 1 ? "" : "s", t.rules_failed, t.cases,
            t.cases == 1 ? "" : "s", npacks, npacks == 1 ? "" : "s",
            t.broken ? "; a pack did not load cleanly" : "");
    if (t.broken)
        return CL_EXIT_USAGE;
    return t.rules_failed ? CL_EXIT_FINDINGS : CL_EXIT_OK;
}
