/* test_tmpl_corpus.c -- every template of the shared corpus charts (real public charts:
 * bitnami, prometheus-community, argo, cert-manager, helm's own test charts) and of the
 * semantics probe parses, with the Sprig and Helm function names registered but not
 * implemented -- exactly what the parser sees once funcs/ exists. helm's parse-error
 * probe must fail as helm does. Skips without the shared directory unless CI=true. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "tmpl/tmpl.h"
#include "util.h"

#ifndef CL_SHARED_DIR
#define CL_SHARED_DIR "../shared"
#endif

/* Sprig and Helm function names (helm v4.1.4's function map, REQUIREMENTS.md section 2). */
static const char *const names[] = {
    "abbrev", "abbrevboth", "add", "add1", "add1f", "addf", "adler32sum", "ago", "all",
    "any", "append", "atoi", "b32dec", "b32enc", "b64dec", "b64enc", "base", "bcrypt",
    "biggest", "buildCustomCert", "camelcase", "cat", "ceil", "chunk", "clean",
    "coalesce", "compact", "concat", "contains", "date", "dateInZone", "dateModify",
    "date_in_zone", "date_modify", "decryptAES", "deepCopy", "deepEqual", "default",
    "derivePassword", "dict", "dig", "dir", "div", "divf", "duration", "durationRound",
    "empty", "encryptAES", "env", "expandenv", "ext", "fail", "first", "float64", "floor",
    "fromJson", "fromJsonArray", "fromToml", "fromYaml", "fromYamlArray", "genCA",
    "genCAWithKey", "genPrivateKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
    "genSignedCert", "genSignedCertWithKey", "get", "getHostByName", "has", "hasKey",
    "hasPrefix", "hasSuffix", "hello", "htmlDate", "htmlDateInZone", "htpasswd",
    "include", "indent", "initial", "initials", "int", "int64", "isAbs", "join",
    "kebabcase", "keys", "kindIs", "kindOf", "last", "list", "lookup", "lower", "max",
    "maxf", "merge", "mergeOverwrite", "min", "minf", "mod", "mul", "mulf", "mustAppend",
    "mustChunk", "mustCompact", "mustDateModify", "mustDeepCopy", "mustFirst",
    "mustFromJson", "mustFromYaml", "mustHas", "mustInitial", "mustLast", "mustMerge",
    "mustMergeOverwrite", "mustPrepend", "mustPush", "mustRegexFind", "mustRegexFindAll",
    "mustRegexMatch", "mustRegexReplaceAll", "mustRegexReplaceAllLiteral",
    "mustRegexSplit", "mustRest", "mustReverse", "mustSlice", "mustToDate", "mustToJson",
    "mustToPrettyJson", "mustToRawJson", "mustToYaml", "mustUniq", "mustWithout",
    "must_date_modify", "nindent", "nospace", "now", "omit", "osBase", "osClean", "osDir",
    "osExt", "osIsAbs", "pick", "pluck", "plural", "prepend", "push", "quote",
    "randAlpha", "randAlphaNum", "randAscii", "randBytes", "randInt", "randNumeric",
    "regexFind", "regexFindAll", "regexMatch", "regexReplaceAll",
    "regexReplaceAllLiteral", "regexSplit", "repeat", "replace", "required", "rest",
    "reverse", "round", "semver", "semverCompare", "seq", "set", "sha1sum", "sha256sum",
    "sha512sum", "shuffle", "snakecase", "sortAlpha", "split", "splitList", "splitn",
    "squote", "sub", "subf", "substr", "swapcase", "ternary", "title", "toDate",
    "toDecimal", "toJson", "toPrettyJson", "toRawJson", "toString", "toStrings", "toToml",
    "toYaml", "toYamlPretty", "tpl", "trim", "trimAll", "trimPrefix", "trimSuffix",
    "trimall", "trunc", "tuple", "typeIs", "typeIsLike", "typeOf", "uniq", "unixEpoch",
    "unset", "until", "untilStep", "untitle", "upper", "urlJoin", "urlParse", "uuidv4",
    "values", "without", "wrap", "wrapWith",
};

static struct cl_tmpl_funcs funcs;
static int parsed, failed;
static const char *probe_error;

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    struct cl_arena a;
    struct cl_tmpl_set set;
    const char *err = NULL;
    size_t len;
    char *text;

    (void)st, (void)ftw;
    if (flag != FTW_F || !strstr(path, "/templates/"))
        return 0;
    text = cl_read_file(path, SIZE_MAX, &len);
    if (!text)
        return 0;
    cl_arena_init(&a);
    cl_tmpl_set_init(&set, &a, &funcs);
    if (cl_tmpl_parse(&set, path, text, len, &err) == 0) {
        parsed++;
    } else if (strstr(path, "/parse-error-chart/")) {
        probe_error = cl_xstrdup(err);
    } else {
        printf("FAIL %s: %s\n", path, err);
        failed++;
    }
    cl_tmpl_set_fini(&set);
    cl_arena_fini(&a);
    free(text);
    return 0;
}

static void test_corpus_parses(void **state)
{
    const char *charts = CL_SHARED_DIR "/corpus/charts";
    const char *probe = CL_SHARED_DIR "/renderer/semantics-probe";
    struct stat st;

    (void)state;
    if (stat(charts, &st) != 0) {
        const char *ci = getenv("CI");

        if (ci && strcmp(ci, "true") == 0)
            fail_msg("corpus not found at %s (CI=true)", charts);
        printf("SKIP: corpus not found at %s\n", charts);
        skip();
    }
    cl_tmpl_funcs_init(&funcs);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct cl_tmpl_func f = { names[i], NULL, 0, -1, NULL };

        cl_tmpl_funcs_add(&funcs, &f, 1);
    }
    assert_int_equal(nftw(charts, visit, 16, FTW_PHYS), 0);
    assert_int_equal(nftw(probe, visit, 16, FTW_PHYS), 0);
    printf("corpus: %d template files parsed, %d failed\n", parsed, failed);
    assert_int_equal(failed, 0);
    assert_true(parsed > 500);
    /* helm: parse error at (parse-error/templates/never-executed.yaml:1): function
     * "nosuchfunc" not defined -- even in a branch that never runs */
    assert_non_null(probe_error);
    assert_non_null(strstr(probe_error, "never-executed.yaml:1: function \"nosuchfunc\" not defined"));
    free((char *)probe_error);
    cl_tmpl_funcs_fini(&funcs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_parses),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
