/* test_report.c -- reporters on synthetic findings: text layout, colour, summary,
 * diags, JSON contract and JSON string escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check.h"
#include "report/report.h"

/* Output of one reporter run, captured with open_memstream. */
struct capture {
    char *out, *err;
    size_t out_len, err_len;
};

static void capture_free(struct capture *c)
{
    free(c->out);
    free(c->err);
}

static struct capture emit(const char *format, struct cl_report_ctx *ctx)
{
    struct capture c = { 0 };
    const struct cl_reporter *r = cl_reporter_find(format);

    assert_non_null(r);
    ctx->out = open_memstream(&c.out, &c.out_len);
    ctx->err = open_memstream(&c.err, &c.err_len);
    assert_non_null(ctx->out);
    assert_non_null(ctx->err);
    cl_report_emit(r, ctx);
    fclose(ctx->out);
    fclose(ctx->err);
    return c;
}

static char *json_str(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    cl_json_str(f, s);
    fclose(f);
    return buf;
}

static void assert_json_str(const char *in, const char *want)
{
    char *got = json_str(in);
    assert_string_equal(got, want);
    free(got);
}

/* A container-level finding with a rendered note, a whole-file finding, a suppressed one. */
static struct cl_related notes[] = {
    { { "web.yaml", 40, 11, 0, 0, true }, "in the rendered document" },
    { { "values.yaml", 3, 5, 0, 0, false }, "value set here" },
};

static struct cl_finding f_probe = {
    .check = "liveness-probe", .code = "CL2001", .severity = CL_SEV_ERROR,
    .message = "container \"app\" has no liveness probe",
    .has_object = true, .api_version = "apps/v1", .kind = "Deployment",
    .namespace = "default", .name = "web", .container = "app",
    .path = "spec.template.spec.containers[0]",
    .pos = { "templates/web.yaml", 22, 11, 0, 0, false },
    .related = notes, .nrelated = 2,
};

static struct cl_finding f_syntax = {
    .check = "yaml-syntax", .code = "CL0001", .severity = CL_SEV_WARNING,
    .message = "did not find expected key",
    .path = "",
    .pos = { "bad.yaml", 3, 1, 3, 7, false },
};

static struct cl_finding f_quiet = {
    .check = "cpu-limit", .code = "CL3003", .severity = CL_SEV_INFO,
    .message = "container \"app\" has no cpu limit",
    .has_object = true, .api_version = "v1", .kind = "Pod", .namespace = "ns",
    .name = "p", .container = "app", .path = "spec.containers[0]",
    .pos = { "pod.yaml", 5, 5, 0, 0, false },
    .suppressed = true, .suppression_kind = "annotation", .suppression_reason = "batch job",
};

static struct cl_diag diags[] = {
    { { "missing.yaml", 0, 0, 0, 0, false }, "cannot read: No such file or directory" },
    { { "values.yaml", 1, 1, 0, 0, false }, "cannot read: Permission denied" },
    { { NULL, 0, 0, 0, 0, false }, "no input" },
};

static struct cl_report_ctx base_ctx(struct cl_finding *const *v, size_t n)
{
    struct cl_report_ctx ctx = { .tool_version = "9.9.9", .findings = v, .nfindings = n };
    return ctx;
}

static void test_find(void **state)
{
    (void)state;
    assert_ptr_equal(cl_reporter_find("text"), &cl_reporter_text);
    assert_ptr_equal(cl_reporter_find("json"), &cl_reporter_json);
    assert_null(cl_reporter_find("xml"));
    assert_null(cl_reporter_find(""));
    assert_null(cl_reporter_find(NULL));
    assert_ptr_equal(cl_reporter_find("sarif"), &cl_reporter_sarif);
    assert_ptr_equal(cl_reporter_find("github"), &cl_reporter_github);
    assert_ptr_equal(cl_reporter_find("junit"), &cl_reporter_junit);
    assert_ptr_equal(cl_reporter_find("gitlab"), &cl_reporter_gitlab);
    assert_ptr_equal(cl_reporter_find("checkstyle"), &cl_reporter_checkstyle);
    assert_string_equal(cl_reporter_names(),
                        "text, json, sarif, github, junit, gitlab, checkstyle");
}

static void test_json_str(void **state)
{
    (void)state;
    assert_json_str(NULL, "null");
    assert_json_str("", "\"\"");
    assert_json_str("plain", "\"plain\"");
    assert_json_str("a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
    assert_json_str("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    assert_json_str("\x01\x1b[31m\x1f\x7f", "\"\\u0001\\u001b[31m\\u001f\\u007f\"");
    /* valid UTF-8 passes through: 2, 3 and 4 bytes, U+2028 too */
    assert_json_str("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xa8",
                    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xa8\"");
    /* invalid: stray continuation, 0xff, overlong '/', surrogate, past U+10FFFF,
     * truncated sequence at the end */
    assert_json_str("\x80", "\"\xef\xbf\xbd\"");
    assert_json_str("a\xffz", "\"a\xef\xbf\xbdz\"");
    assert_json_str("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
    assert_json_str("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    assert_json_str("\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    assert_json_str("\xe2\x82", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
    assert_json_str("\xf0\x9f\x98", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
}

static void test_text_findings(void **state)
{
    (void)state;
    struct cl_finding *v[] = { &f_syntax, &f_probe, &f_quiet };
    struct cl_report_ctx ctx = base_ctx(v, 3);
    ctx.summary = (struct cl_summary){ .error = 1, .warning = 1, .suppressed = 1,
                                       .files = 3, .objects = 4 };
    struct capture c = emit("text", &ctx);

    assert_string_equal(c.out,
        "bad.yaml:3:1: warning[yaml-syntax] did not find expected key\n"
        "templates/web.yaml:22:11: error[liveness-probe] container \"app\" has no liveness "
        "probe (Deployment/web, container app)\n"
        "    note: web.yaml:40:11 (rendered): in the rendered document\n"
        "    note: values.yaml:3:5: value set here\n"
        "1 error, 1 warning, 1 suppressed in 3 files (4 objects)\n");
    assert_string_equal(c.err, "");
    capture_free(&c);
}

static void test_text_color(void **state)
{
    (void)state;
    struct cl_finding info = f_quiet;
    info.suppressed = false;
    struct cl_finding *v[] = { &f_syntax, &f_probe, &info };
    struct cl_report_ctx ctx = base_ctx(v, 3);
    ctx.color = true;
    ctx.quiet = true;
    struct capture c = emit("text", &ctx);

    assert_string_equal(c.out,
        "\033[1mbad.yaml:3:1:\033[0m \033[33mwarning[yaml-syntax]\033[0m did not find "
        "expected key\n"
        "\033[1mtemplates/web.yaml:22:11:\033[0m \033[31merror[liveness-probe]\033[0m "
        "container \"app\" has no liveness probe (Deployment/web, container app)\n"
        "    note: \033[1mweb.yaml:40:11 (rendered):\033[0m in the rendered document\n"
        "    note: \033[1mvalues.yaml:3:5:\033[0m value set here\n"
        "\033[1mpod.yaml:5:5:\033[0m \033[36minfo[cpu-limit]\033[0m container \"app\" has "
        "no cpu limit (Pod/p, container app)\n");
    capture_free(&c);
}

static void test_text_object_parts(void **state)
{
    (void)state;
    struct cl_finding obj = f_probe, anon = f_probe, ctr = f_probe;
    obj.container = NULL;
    obj.nrelated = 0;
    anon.name = "";
    anon.container = NULL;
    anon.nrelated = 0;
    ctr.has_object = false;
    ctr.nrelated = 0;
    struct cl_finding *v[] = { &obj, &anon, &ctr };
    struct cl_report_ctx ctx = base_ctx(v, 3);
    ctx.quiet = true;
    struct capture c = emit("text", &ctx);

    assert_string_equal(c.out,
        "templates/web.yaml:22:11: error[liveness-probe] container \"app\" has no liveness "
        "probe (Deployment/web)\n"
        "templates/web.yaml:22:11: error[liveness-probe] container \"app\" has no liveness "
        "probe (Deployment)\n"
        "templates/web.yaml:22:11: error[liveness-probe] container \"app\" has no liveness "
        "probe (container app)\n");
    capture_free(&c);
}

static void test_text_escapes_input(void **state)
{
    (void)state;
    struct cl_finding f = f_probe;
    f.message = "name \"a\nb\" \x1b[2J\tx \xc2\x9b \xff \xc3\xa9";
    f.name = "w\x1b";
    f.container = NULL;
    f.nrelated = 0;
    struct cl_finding *v[] = { &f };
    struct cl_report_ctx ctx = base_ctx(v, 1);
    ctx.quiet = true;
    struct capture c = emit("text", &ctx);

    assert_string_equal(c.out,
        "templates/web.yaml:22:11: error[liveness-probe] name \"a\\nb\" \\x1b[2J\\tx "
        "\\u009b \xef\xbf\xbd \xc3\xa9 (Deployment/w\\x1b)\n");
    capture_free(&c);
}

static void test_text_summary(void **state)
{
    (void)state;
    static const struct {
        struct cl_summary s;
        const char *want;
    } cases[] = {
        { { 0, 0, 0, 0, 4, 12 }, "no findings in 4 files (12 objects)\n" },
        { { 0, 0, 0, 0, 1, 1 }, "no findings in 1 file (1 object)\n" },
        { { 0, 0, 0, 0, 0, 0 }, "no findings in 0 files (0 objects)\n" },
        { { 3, 2, 1, 0, 4, 12 }, "3 errors, 2 warnings, 1 info in 4 files (12 objects)\n" },
        { { 1, 0, 2, 0, 1, 2 }, "1 error, 2 info in 1 file (2 objects)\n" },
        { { 0, 1, 0, 0, 2, 2 }, "1 warning in 2 files (2 objects)\n" },
        { { 0, 0, 0, 2, 1, 3 }, "no findings, 2 suppressed in 1 file (3 objects)\n" },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cl_report_ctx ctx = base_ctx(NULL, 0);
        ctx.summary = cases[i].s;
        struct capture c = emit("text", &ctx);
        assert_string_equal(c.out, cases[i].want);
        capture_free(&c);
    }

    struct cl_report_ctx ctx = base_ctx(NULL, 0);
    ctx.quiet = true;
    ctx.summary.files = 2;
    struct capture c = emit("text", &ctx);
    assert_string_equal(c.out, "");
    capture_free(&c);
}

static void test_text_diags(void **state)
{
    (void)state;
    struct cl_report_ctx ctx = base_ctx(NULL, 0);
    ctx.diags = diags;
    ctx.ndiags = 3;
    ctx.summary.files = 1;
    struct capture c = emit("text", &ctx);

    assert_string_equal(c.err,
        "chartlint: missing.yaml: cannot read: No such file or directory\n"
        "chartlint: values.yaml:1:1: cannot read: Permission denied\n"
        "chartlint: no input\n");
    assert_string_equal(c.out, "no findings in 1 file (0 objects)\n");
    capture_free(&c);
}

static void test_json_empty(void **state)
{
    (void)state;
    struct cl_report_ctx ctx = base_ctx(NULL, 0);
    ctx.summary.files = 1;
    struct capture c = emit("json", &ctx);

    assert_string_equal(c.out,
        "{\n"
        "  \"version\": 1,\n"
        "  \"tool\": {\n"
        "    \"name\": \"chartlint\",\n"
        "    \"version\": \"9.9.9\"\n"
        "  },\n"
        "  \"findings\": [],\n"
        "  \"errors\": [],\n"
        "  \"summary\": {\n"
        "    \"error\": 0,\n"
        "    \"warning\": 0,\n"
        "    \"info\": 0,\n"
        "    \"suppressed\": 0,\n"
        "    \"files\": 1,\n"
        "    \"objects\": 0\n"
        "  }\n"
        "}\n");
    assert_string_equal(c.err, "");
    capture_free(&c);
}

static void test_json_findings(void **state)
{
    (void)state;
    struct cl_finding *v[] = { &f_syntax, &f_probe, &f_quiet };
    struct cl_report_ctx ctx = base_ctx(v, 3);
    ctx.diags = diags;
    ctx.ndiags = 3;
    ctx.color = true;              /* ignored by json */
    ctx.summary = (struct cl_summary){ 1, 1, 0, 1, 3, 4 };
    struct capture c = emit("json", &ctx);

    assert_string_equal(c.out,
        "{\n"
        "  \"version\": 1,\n"
        "  \"tool\": {\n"
        "    \"name\": \"chartlint\",\n"
        "    \"version\": \"9.9.9\"\n"
        "  },\n"
        "  \"findings\": [\n"
        "    {\n"
        "      \"check\": \"yaml-syntax\",\n"
        "      \"code\": \"CL0001\",\n"
        "      \"severity\": \"warning\",\n"
        "      \"message\": \"did not find expected key\",\n"
        "      \"object\": null,\n"
        "      \"container\": null,\n"
        "      \"path\": \"\",\n"
        "      \"file\": \"bad.yaml\",\n"
        "      \"line\": 3,\n"
        "      \"column\": 1,\n"
        "      \"endLine\": 3,\n"
        "      \"endColumn\": 7,\n"
        "      \"related\": [],\n"
        "      \"suppressed\": false,\n"
        "      \"suppression\": null\n"
        "    },\n"
        "    {\n"
        "      \"check\": \"liveness-probe\",\n"
        "      \"code\": \"CL2001\",\n"
        "      \"severity\": \"error\",\n"
        "      \"message\": \"container \\\"app\\\" has no liveness probe\",\n"
        "      \"object\": {\n"
        "        \"apiVersion\": \"apps/v1\",\n"
        "        \"kind\": \"Deployment\",\n"
        "        \"namespace\": \"default\",\n"
        "        \"name\": \"web\"\n"
        "      },\n"
        "      \"container\": \"app\",\n"
        "      \"path\": \"spec.template.spec.containers[0]\",\n"
        "      \"file\": \"templates/web.yaml\",\n"
        "      \"line\": 22,\n"
        "      \"column\": 11,\n"
        "      \"endLine\": 22,\n"
        "      \"endColumn\": 11,\n"
        "      \"related\": [\n"
        "        {\n"
        "          \"file\": \"web.yaml\",\n"
        "          \"line\": 40,\n"
        "          \"column\": 11,\n"
        "          \"message\": \"in the rendered document\"\n"
        "        },\n"
        "        {\n"
        "          \"file\": \"values.yaml\",\n"
        "          \"line\": 3,\n"
        "          \"column\": 5,\n"
        "          \"message\": \"value set here\"\n"
        "        }\n"
        "      ],\n"
        "      \"suppressed\": false,\n"
        "      \"suppression\": null\n"
        "    },\n"
        "    {\n"
        "      \"check\": \"cpu-limit\",\n"
        "      \"code\": \"CL3003\",\n"
        "      \"severity\": \"info\",\n"
        "      \"message\": \"container \\\"app\\\" has no cpu limit\",\n"
        "      \"object\": {\n"
        "        \"apiVersion\": \"v1\",\n"
        "        \"kind\": \"Pod\",\n"
        "        \"namespace\": \"ns\",\n"
        "        \"name\": \"p\"\n"
        "      },\n"
        "      \"container\": \"app\",\n"
        "      \"path\": \"spec.containers[0]\",\n"
        "      \"file\": \"pod.yaml\",\n"
        "      \"line\": 5,\n"
        "      \"column\": 5,\n"
        "      \"endLine\": 5,\n"
        "      \"endColumn\": 5,\n"
        "      \"related\": [],\n"
        "      \"suppressed\": true,\n"
        "      \"suppression\": {\n"
        "        \"kind\": \"annotation\",\n"
        "        \"reason\": \"batch job\"\n"
        "      }\n"
        "    }\n"
        "  ],\n"
        "  \"errors\": [\n"
        "    {\n"
        "      \"file\": \"missing.yaml\",\n"
        "      \"line\": 0,\n"
        "      \"column\": 0,\n"
        "      \"message\": \"cannot read: No such file or directory\"\n"
        "    },\n"
        "    {\n"
        "      \"file\": \"values.yaml\",\n"
        "      \"line\": 1,\n"
        "      \"column\": 1,\n"
        "      \"message\": \"cannot read: Permission denied\"\n"
        "    },\n"
        "    {\n"
        "      \"file\": null,\n"
        "      \"line\": 0,\n"
        "      \"column\": 0,\n"
        "      \"message\": \"no input\"\n"
        "    }\n"
        "  ],\n"
        "  \"summary\": {\n"
        "    \"error\": 1,\n"
        "    \"warning\": 1,\n"
        "    \"info\": 0,\n"
        "    \"suppressed\": 1,\n"
        "    \"files\": 3,\n"
        "    \"objects\": 4\n"
        "  }\n"
        "}\n");
    assert_string_equal(c.err, "");     /* diags are in "errors", not on stderr */
    capture_free(&c);
}

static void test_json_escapes_and_nulls(void **state)
{
    (void)state;
    struct cl_finding f = f_probe;
    f.message = "bad \x01 \xff";
    f.namespace = NULL;
    f.nrelated = 0;
    f.pos.file = NULL;
    f.path = NULL;
    struct cl_finding *v[] = { &f };
    struct cl_report_ctx ctx = base_ctx(v, 1);
    ctx.tool_version = NULL;
    struct capture c = emit("json", &ctx);

    assert_non_null(strstr(c.out, "\"message\": \"bad \\u0001 \xef\xbf\xbd\",\n"));
    assert_non_null(strstr(c.out, "\"namespace\": null,\n"));
    assert_non_null(strstr(c.out, "\"file\": \"<unknown>\",\n"));
    assert_non_null(strstr(c.out, "\"path\": \"\",\n"));
    assert_non_null(strstr(c.out, "\"version\": \"" CHARTLINT_VERSION "\"\n"));
    capture_free(&c);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The index of a code in tool.driver.rules, which lists the catalog first. */
static long code_index(const char *code)
{
    for (size_t i = 0; i < cl_catalog_count(); i++)
        if (strcmp(cl_catalog_get(i)->code, code) == 0)
            return (long)i;
    return -1;
}

static void test_sarif(void **state)
{
    (void)state;
    struct cl_finding policy = f_syntax, moved = f_syntax, abs = f_syntax, odd = f_syntax;
    char cwd[4096], absfile[4200], want[128];

    policy.check = "acme.owner-label";
    policy.code = "ACME001";
    policy.pos.file = "./charts/a b/<x>.yaml";
    moved.pos.line = 30;                    /* same finding further down */
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(absfile, sizeof absfile, "%s/sub/abs.yaml", cwd);
    abs.pos.file = absfile;
    odd.pos.file = "/elsewhere-\\xyz/odd.yaml";
    struct cl_finding *v[] = { &f_syntax, &moved, &f_probe, &f_quiet, &policy, &abs, &odd };
    struct cl_report_ctx ctx = base_ctx(v, 7);
    ctx.diags = diags;
    ctx.ndiags = 3;
    ctx.sarif_root = ".";                   /* not the git top level of the build tree */
    ctx.include_suppressed = true;
    struct capture c = emit("sarif", &ctx);
    const char *out = c.out;

    assert_true(strncmp(out, "{\n  \"$schema\": \"https://", 16) == 0);
    assert_non_null(strstr(out, "\"version\": \"2.1.0\",\n"));
    assert_non_null(strstr(out, "\"semanticVersion\": \"9.9.9\",\n"));
    assert_non_null(strstr(out, "\"columnKind\": \"unicodeCodePoints\",\n"));
    /* every built-in check is a rule, then the policy rule once */
    assert_int_equal(count(out, "\"defaultConfiguration\": {"), cl_catalog_count());
    assert_int_equal(count(out, "\"id\": \"acme.owner-label\",\n"), 1);
    assert_int_equal(count(out, "\"name\": \"Acme.OwnerLabel\",\n"), 1);
    assert_int_equal(count(out, "\"code\": \"ACME001\"\n"), 1);
    /* rules: kebab-case id, PascalCase name, code, help link; security-severity only
     * for security checks */
    assert_non_null(strstr(out, "\"id\": \"liveness-probe\",\n"
                                "              \"name\": \"LivenessProbe\",\n"));
    assert_non_null(strstr(out, "\"helpUri\": \"" CHARTLINT_HOMEPAGE
                                "/blob/main/docs/checks/CL2001.md\""));
    assert_non_null(strstr(out, "\"informationUri\": \"" CHARTLINT_HOMEPAGE "\""));
    {
        size_t security = 0;
        for (size_t i = 0; i < cl_catalog_count(); i++)
            security += cl_catalog_get(i)->category == CL_CAT_SECURITY;
        assert_true(security > 0);
        assert_int_equal(count(out, "\"security-severity\": \""), security);
    }
    assert_non_null(strstr(out, "\"automationDetails\": {\n        \"id\": \"chartlint/\"\n"));
    assert_non_null(strstr(out, "\"uriBaseId\": \"%SRCROOT%\""));
    assert_int_equal(count(out, "\"ruleId\": "), 7);
    snprintf(want, sizeof want, "\"ruleIndex\": %zu,", cl_catalog_count());
    assert_non_null(strstr(out, want));
    for (const char *code = "CL0001"; code; code = NULL) {
        long i = code_index(code);
        if (i >= 0) {
            snprintf(want, sizeof want, "\"ruleId\": \"%s\",\n          \"ruleIndex\": %ld,",
                     cl_catalog_get(i)->name, i);
            assert_non_null(strstr(out, want));
        }
    }
    assert_non_null(strstr(out, "\"level\": \"note\""));               /* info */
    /* uris: relative, percent-encoded; absolute under cwd made relative */
    assert_non_null(strstr(out, "\"uri\": \"charts/a%20b/%3Cx%3E.yaml\""));
    assert_non_null(strstr(out, "\"uri\": \"sub/abs.yaml\""));
    assert_non_null(strstr(out, "\"uri\": \"file:///elsewhere-%5Cxyz/odd.yaml\""));
    assert_null(strstr(out, cwd));
    /* region: always full, one character when no end is known */
    assert_non_null(strstr(out, "\"startLine\": 3,\n                  \"startColumn\": 1,\n"
                                "                  \"endLine\": 3,\n"
                                "                  \"endColumn\": 7\n"));
    assert_non_null(strstr(out, "\"startColumn\": 11,\n"));
    assert_non_null(strstr(out, "\"endColumn\": 12\n"));
    assert_int_equal(count(out, "\"startLine\": "), count(out, "\"endLine\": "));
    /* message names the object; related locations are numbered */
    assert_non_null(strstr(out, "\"text\": \"container \\\"app\\\" has no liveness probe "
                                "(Deployment/web, container app)\""));
    assert_non_null(strstr(out, "\"id\": 2,\n"));
    assert_null(strstr(out, "\"uri\": \"web.yaml\""));     /* rendered note: no file line */
    assert_null(strstr(out, "\"id\": 1,\n"));
    /* suppressions on every result, filled for the suppressed one */
    assert_int_equal(count(out, "\"suppressions\": "), 7);
    assert_int_equal(count(out, "\"kind\": \"inSource\""), 1);
    assert_non_null(strstr(out, "\"justification\": \"batch job\""));
    /* diags are notifications */
    assert_non_null(strstr(out, "\"text\": \"cannot read: Permission denied\""));
    assert_int_equal(count(out, "\"level\": \"error\",\n              \"message\""), 3);
    assert_string_equal(c.err, "");

    /* a fingerprint ignores the line: the first two results share one */
    const char *fp1 = strstr(out, "\"chartlintFinding/v2\": \"");
    assert_non_null(fp1);
    const char *fp2 = strstr(fp1 + 1, "\"chartlintFinding/v2\": \"");
    assert_non_null(fp2);
    assert_memory_equal(fp1, fp2, 24 + 16);
    const char *fp3 = strstr(fp2 + 1, "\"chartlintFinding/v2\": \"");
    assert_non_null(fp3);
    assert_memory_not_equal(fp1, fp3, 24 + 16);
    capture_free(&c);

    /* by default suppressed findings are left out, and so are suppressions arrays */
    ctx.include_suppressed = false;
    c = emit("sarif", &ctx);
    assert_int_equal(count(c.out, "\"ruleId\": "), 6);
    assert_null(strstr(c.out, "\"suppressions\""));
    assert_null(strstr(c.out, "batch job"));
    capture_free(&c);
}

static void test_gitlab(void **state)
{
    (void)state;
    struct cl_finding moved = f_syntax;
    moved.pos.line = 30;                    /* same parts but the line: same fingerprint */
    struct cl_finding *v[] = { &f_syntax, &moved, &f_probe, &f_quiet };
    struct cl_report_ctx ctx = base_ctx(v, 4);
    ctx.diags = diags;
    ctx.ndiags = 1;
    struct capture c = emit("gitlab", &ctx);
    const char *out = c.out;

    assert_int_equal(count(out, "\"fingerprint\": \""), 3);       /* suppressed left out */
    assert_null(strstr(out, "cpu-limit"));
    assert_non_null(strstr(out, "\"severity\": \"critical\""));  /* error */
    assert_non_null(strstr(out, "\"severity\": \"major\""));     /* warning */
    assert_non_null(strstr(out, "\"check_name\": \"liveness-probe\""));
    /* fingerprints are unique in a report even for findings that share their parts */
    const char *a = strstr(out, "\"fingerprint\": \"");
    const char *b = strstr(a + 1, "\"fingerprint\": \"");
    const char *d = strstr(b + 1, "\"fingerprint\": \"");
    assert_memory_not_equal(a, b, 16 + 16);
    assert_memory_not_equal(a, d, 16 + 16);
    assert_memory_not_equal(b, d, 16 + 16);
    assert_non_null(strstr(c.err, "chartlint: "));                  /* the diag */
    capture_free(&c);
}

static void test_checkstyle(void **state)
{
    (void)state;
    struct cl_finding *v[] = { &f_syntax, &f_probe, &f_quiet };
    struct cl_report_ctx ctx = base_ctx(v, 3);
    struct capture c = emit("checkstyle", &ctx);

    assert_true(strncmp(c.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<checkstyle version=\"4.3\">\n", 58) == 0);
    assert_int_equal(count(c.out, "<error "), 2);                   /* suppressed left out */
    assert_non_null(strstr(c.out, "source=\"chartlint.liveness-probe\""));
    assert_non_null(strstr(c.out, "container &quot;app&quot; has no liveness probe"));
    assert_int_equal(count(c.out, "<file "), count(c.out, "</file>"));
    capture_free(&c);
}

static void test_sarif_empty(void **state)
{
    (void)state;
    struct cl_report_ctx ctx = base_ctx(NULL, 0);
    struct capture c = emit("sarif", &ctx);

    assert_non_null(strstr(c.out, "\"results\": []\n"));
    assert_non_null(strstr(c.out, "\"toolExecutionNotifications\": []\n"));
    assert_true(strcmp(c.out + strlen(c.out) - 2, "}\n") == 0);
    capture_free(&c);
}

static void test_github(void **state)
{
    (void)state;
    struct cl_finding odd = f_syntax;
    odd.message = "50% of \"a,b\"\nsecond line \x1b[0m";
    odd.pos.file = "dir,x/a:b.yaml";
    struct cl_finding span = f_syntax;
    span.pos.end_line = 5;                  /* several lines: no columns */
    span.nrelated = 0;
    struct cl_finding *v[] = { &odd, &span, &f_probe, &f_quiet };
    struct cl_report_ctx ctx = base_ctx(v, 4);
    ctx.diags = diags;
    ctx.ndiags = 3;
    ctx.color = true;                       /* ignored */
    struct capture c = emit("github", &ctx);

    assert_string_equal(c.out,
        "::error file=missing.yaml,title=chartlint::cannot read: No such file or directory\n"
        "::error file=values.yaml,line=1,title=chartlint::cannot read: Permission denied\n"
        "::error title=chartlint::no input\n"
        "::warning file=dir%2Cx/a%3Ab.yaml,line=3,col=1,endColumn=7,"
        "title=yaml-syntax (CL0001)::50%25 of \"a,b\"%0Asecond line \\x1b[0m\n"
        "::warning file=bad.yaml,line=3,endLine=5,title=yaml-syntax (CL0001)::"
        "did not find expected key\n"
        "::error file=templates/web.yaml,line=22,col=11,title=liveness-probe (CL2001)::"
        "container \"app\" has no liveness probe (Deployment/web, container app)"
        "%0Anote: web.yaml:40:11 (rendered): in the rendered document"
        "%0Anote: values.yaml:3:5: value set here\n");
    assert_string_equal(c.err, "");
    capture_free(&c);
}

static void test_junit(void **state)
{
    (void)state;
    struct cl_finding odd = f_syntax, second = f_syntax;
    odd.message = "a <b> & 'c' \"d\"\x01\xef\xbf\xbe";
    second.pos.line = 9;
    second.pos.end_line = 0;
    struct cl_finding *v[] = { &odd, &f_probe, &second, &f_quiet };
    struct cl_report_ctx ctx = base_ctx(v, 4);
    ctx.diags = diags;
    ctx.ndiags = 1;
    struct capture c = emit("junit", &ctx);

    /* Without the run's objects: a testcase per check x object (or file) with findings;
     * both syntax errors of bad.yaml are one failure; the suppressed one is skipped. */
    assert_string_equal(c.out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"chartlint\" tests=\"3\" failures=\"2\" errors=\"0\" "
        "skipped=\"1\">\n"
        "  <testsuite name=\"CL0001 yaml-syntax\" tests=\"1\" failures=\"1\" errors=\"0\" "
        "skipped=\"0\">\n"
        "    <testcase classname=\"yaml-syntax\" name=\"bad.yaml\">\n"
        "      <failure type=\"warning\" message=\"a &lt;b&gt; &amp; &apos;c&apos; "
        "&quot;d&quot;\\x01\\ufffe (and 1 more)\">bad.yaml:3:1: warning[yaml-syntax] "
        "a &lt;b&gt; &amp; &apos;c&apos; &quot;d&quot;\\x01\\ufffe&#10;"
        "bad.yaml:9:1: warning[yaml-syntax] did not find expected key</failure>\n"
        "    </testcase>\n"
        "    <system-err>missing.yaml: cannot read: No such file or directory&#10;"
        "</system-err>\n"
        "  </testsuite>\n"
        "  <testsuite name=\"CL2001 liveness-probe\" tests=\"1\" failures=\"1\" errors=\"0\" "
        "skipped=\"0\">\n"
        "    <testcase classname=\"liveness-probe\" name=\"Deployment/default/web\">\n"
        "      <failure type=\"error\" message=\"container &quot;app&quot; has no liveness "
        "probe\">templates/web.yaml:22:11: error[liveness-probe] container &quot;app&quot; "
        "has no liveness probe (Deployment/web, container app)&#10;    note: "
        "web.yaml:40:11 (rendered): in the rendered document&#10;    note: "
        "values.yaml:3:5: value set here</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "  <testsuite name=\"CL3003 cpu-limit\" tests=\"1\" failures=\"0\" errors=\"0\" "
        "skipped=\"1\">\n"
        "    <testcase classname=\"cpu-limit\" name=\"Pod/ns/p\">\n"
        "      <skipped message=\"suppressed (annotation): batch job\"/>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
    capture_free(&c);

    struct cl_report_ctx empty = base_ctx(NULL, 0);
    c = emit("junit", &empty);
    assert_string_equal(c.out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"chartlint\" tests=\"0\" failures=\"0\" errors=\"0\" "
        "skipped=\"0\">\n"
        "  <testsuite name=\"chartlint\" tests=\"0\" failures=\"0\" errors=\"0\" "
        "skipped=\"0\">\n"
        "  </testsuite>\n"
        "</testsuites>\n");
    capture_free(&c);
}

/* With the run's objects and checks: a passing testcase per check x object the check
 * looks at; objects of the same kind and name from two sources stay apart; two findings
 * of one check on one object are one failure. */
static void test_junit_passing(void **state)
{
    (void)state;
    const struct cl_check *checks[] = { cl_check_find("liveness-probe"),
                                        cl_check_find("yaml-syntax") };
    unsigned deploy = cl_model_kind_bit("Deployment"), cm = cl_model_kind_bit("ConfigMap");
    struct cl_report_object objects[] = {
        { "charts/web", "Deployment", "default", "web", deploy, NULL, 0 },
        { "charts/api", "Deployment", "default", "web", deploy, NULL, 0 },
        { "charts/api", "ConfigMap", "default", "settings", cm, NULL, 0 },
    };
    struct cl_finding probe = f_probe, sidecar = f_probe;
    probe.source = sidecar.source = "charts/web";
    probe.related = sidecar.related = NULL;
    probe.nrelated = sidecar.nrelated = 0;
    sidecar.container = "log";
    sidecar.message = "container \"log\" has no liveness probe";
    sidecar.pos.line = 30;
    struct cl_finding *v[] = { &probe, &sidecar };
    struct cl_report_ctx ctx = base_ctx(v, 2);
    ctx.objects = objects;
    ctx.nobjects = 3;
    ctx.checks = checks;
    ctx.nchecks = 2;
    assert_non_null(checks[0]);
    assert_non_null(checks[1]);
    struct capture c = emit("junit", &ctx);

    assert_string_equal(c.out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"chartlint\" tests=\"2\" failures=\"1\" errors=\"0\" "
        "skipped=\"0\">\n"
        "  <testsuite name=\"CL2001 liveness-probe\" tests=\"2\" failures=\"1\" errors=\"0\" "
        "skipped=\"0\">\n"
        "    <testcase classname=\"liveness-probe\" name=\"Deployment/default/web "
        "(charts/api)\"/>\n"
        "    <testcase classname=\"liveness-probe\" name=\"Deployment/default/web "
        "(charts/web)\">\n"
        "      <failure type=\"error\" message=\"container &quot;app&quot; has no liveness "
        "probe (and 1 more)\">templates/web.yaml:22:11: error[liveness-probe] container "
        "&quot;app&quot; has no liveness probe (Deployment/web, container app)&#10;"
        "templates/web.yaml:30:11: error[liveness-probe] container &quot;log&quot; has no "
        "liveness probe (Deployment/web, container log)</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
    capture_free(&c);
}

/* An object linted under its own config carries the checks enabled for it: a check its
 * config turned off gives it no passing testcase, while other objects keep theirs. */
static void test_junit_object_checks(void **state)
{
    (void)state;
    const struct cl_check *checks[] = { cl_check_find("liveness-probe") };
    const struct cl_check *none[] = { NULL };
    unsigned deploy = cl_model_kind_bit("Deployment");
    struct cl_report_object objects[] = {
        { "charts/web", "Deployment", "default", "web", deploy, NULL, 0 },
        { "charts/api", "Deployment", "default", "web", deploy, none, 0 },
        { "charts/db", "Deployment", "default", "web", deploy, checks, 1 },
    };
    struct cl_report_ctx ctx = base_ctx(NULL, 0);

    ctx.objects = objects;
    ctx.nobjects = 3;
    ctx.checks = checks;
    ctx.nchecks = 1;
    assert_non_null(checks[0]);
    struct capture c = emit("junit", &ctx);

    assert_non_null(strstr(c.out, "tests=\"2\""));
    assert_non_null(strstr(c.out, "name=\"Deployment/default/web (charts/web)\""));
    assert_non_null(strstr(c.out, "name=\"Deployment/default/web (charts/db)\""));
    assert_null(strstr(c.out, "(charts/api)"));
    capture_free(&c);
}

/* A policy pack rule's code is its id: the suite is named once, not "acme.x acme.x". */
static void test_junit_pack_rule(void **state)
{
    (void)state;
    struct cl_finding rule = f_probe;
    rule.check = rule.code = "acme.require-labels";
    rule.related = NULL;
    rule.nrelated = 0;
    rule.container = NULL;
    rule.message = "missing label \"team\"";
    struct cl_finding *v[] = { &rule };
    struct cl_report_ctx ctx = base_ctx(v, 1);
    struct capture c = emit("junit", &ctx);

    assert_non_null(strstr(c.out, "<testsuite name=\"acme.require-labels\" tests=\"1\""));
    assert_non_null(strstr(c.out, "<testcase classname=\"acme.require-labels\" "
                                  "name=\"Deployment/default/web\">"));
    capture_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_json_str),
        cmocka_unit_test(test_text_findings),
        cmocka_unit_test(test_text_color),
        cmocka_unit_test(test_text_object_parts),
        cmocka_unit_test(test_text_escapes_input),
        cmocka_unit_test(test_text_summary),
        cmocka_unit_test(test_text_diags),
        cmocka_unit_test(test_json_empty),
        cmocka_unit_test(test_json_findings),
        cmocka_unit_test(test_json_escapes_and_nulls),
        cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_gitlab),
        cmocka_unit_test(test_checkstyle),
        cmocka_unit_test(test_sarif_empty),
        cmocka_unit_test(test_github),
        cmocka_unit_test(test_junit),
        cmocka_unit_test(test_junit_passing),
        cmocka_unit_test(test_junit_object_checks),
        cmocka_unit_test(test_junit_pack_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
