/* main.c -- the chartlint command: argv -> struct cl_options -> a run -> an exit code.
 *
 * No lint logic lives here. The first word that is not an option may name a
 * subcommand (rules, explain, docs); subcommand words are reserved, as git's are, so a
 * directory called "rules" is linted as ./rules (or after "--"). Everything else is a
 * path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chartlint.h"

#if defined(CL_STATIC_EXE) && defined(__GLIBC__)
/* Linked fully static, glibc's start-up (_dl_non_dynamic_init) asks the kernel for the
 * executable's directory, readlink("/proc/self/exe"), to expand $ORIGIN in the run paths
 * of libraries dlopen()ed later. chartlint loads none, and that one look-up through /proc
 * was ~1.6% of a median chart run's CPU time (docs/performance.md, "Process footprint").
 * This definition takes the place of glibc's (the linker takes a symbol from an archive
 * only when nothing linked before defines it) and answers as glibc itself does when /proc
 * is not mounted: the origin is unknown. */
const char *_dl_get_origin(void);
const char *_dl_get_origin(void)
{
    return (const char *)-1;
}
#endif

#ifdef CL_STATIC_EXE
/* libcrypto's x86_64cpuid.o calls OPENSSL_cpuid_setup() from .init in every process: its
 * cpuid instructions trap to the hypervisor on a VM (~1.3% of a median chart run), and
 * most charts never hash or sign. Linked with --wrap=OPENSSL_cpuid_setup (CMakeLists.txt),
 * that call and libcrypto's own (OPENSSL_init_crypto(), which every EVP, PEM, X509 and
 * HMAC path goes through) land here; the one at start-up is put off to the first use of
 * libcrypto. The low-level digests funcs/hash.c calls do not initialise libcrypto, so
 * they are wrapped too. Unset, OpenSSL's capability vector only selects its generic code,
 * with the same results. */
static int main_started;

void __real_OPENSSL_cpuid_setup(void);
void __wrap_OPENSSL_cpuid_setup(void);
void __wrap_OPENSSL_cpuid_setup(void)
{
    if (main_started)
        __real_OPENSSL_cpuid_setup();
}

#define CL_WRAP_DIGEST_INIT(name)                                                            \
    int __real_##name(void *ctx);                                                            \
    int __wrap_##name(void *ctx);                                                            \
    int __wrap_##name(void *ctx)                                                             \
    {                                                                                        \
        __real_OPENSSL_cpuid_setup();                                                        \
        return __real_##name(ctx);                                                           \
    }
CL_WRAP_DIGEST_INIT(SHA1_Init)
CL_WRAP_DIGEST_INIT(SHA256_Init)
CL_WRAP_DIGEST_INIT(SHA512_Init)
#endif

/* printf format: %s is the list of output formats. */
static const char usage_text[] =
    "usage: chartlint [options] PATH...\n"
    "       chartlint rules [--format text|json] [--policy DIR]...\n"
    "       chartlint explain ID [--format text|json] [--policy DIR]...\n"
    "       chartlint docs --out DIR [--policy DIR]...\n"
    "       chartlint test [--update] PACK_DIR...\n"
    "       chartlint template [NAME] CHART [-f VALUES]... [template options]\n"
    "\n"
    "Lint rendered Kubernetes manifests: files, directories (recursively: *.yaml, *.yml,\n"
    "*.json, hidden directories skipped) and - for standard input, e.g.\n"
    "  helm template my-app ./chart | chartlint -\n"
    "Each PATH is one input set: checks that relate objects (a StatefulSet and its\n"
    "Service, an Ingress and its backends) look at one set at a time.\n"
    "An object opts out of a check with the annotation\n"
    "  ignore.chartlint.io/<check name or code>: \"<reason>\"\n"
    "(its findings are then suppressed: not printed as text, marked in json).\n"
    "\n"
    "Subcommands:\n"
    "  rules             list every check: code, name, severity, category, summary\n"
    "  explain ID        document one check (ID is a name or a code: CL1001)\n"
    "  docs --out DIR    write one Markdown page per check and an index into DIR\n"
    "  test PACK_DIR...  run the fixtures of policy packs (tests/<rule>/pass*.yaml,\n"
    "                    fail*.yaml + fail*.expected): exit 0 all pass, 1 a rule\n"
    "                    failed, 2 a pack did not load; --update (or CHARTLINT_UPDATE=1)\n"
    "                    rewrites the .expected files\n"
    "  template          render a chart and print it as `helm template` does (NAME is the\n"
    "                    release name); options: -f/--values FILE, --set K=V (and\n"
    "                    --set-string, --set-json, --set-file, --set-literal),\n"
    "                    -n/--namespace NS,\n"
    "                    --kube-version V, -a/--api-versions G/V, --include-crds,\n"
    "                    -s/--show-only TEMPLATE, --release-name NAME,\n"
    "                    --random-seed N, --now TIME\n"
    "\n"
    "Options:\n"
    "      --format FMT      output format: %s (default: text)\n"
    "      --fail-on LEVEL   exit 1 on findings at or above LEVEL: error, warning\n"
    "                        (default) or info\n"
    "      --enable ID       also run check ID (name or code; repeatable, or a,b)\n"
    "      --disable ID      do not run check ID (repeatable)\n"
    "      --only ID         run only the listed checks (repeatable), and the checks\n"
    "                        of input chartlint could not lint or follow (CL0001,\n"
    "                        CL0003-CL0008, CL0010, CL0011);\n"
    "                        --enable and --disable then adjust that list\n"
    "      --policy DIR      load the policy pack in DIR (Lua rules; repeatable)\n"
    "      --policy-param PACK.RULE.PARAM=VALUE\n"
    "                        set a param of a rule of a loaded pack (lists: a,b)\n"
    "      --config FILE     read the configuration from FILE for every PATH (default:\n"
    "                        each PATH's nearest .chartlint.yaml; see docs/config.md)\n"
    "      --no-config       read no configuration file\n"
    "      --lua-memory MIB  memory cap of Lua rules in MiB (default 256)\n"
    "  -n, --namespace NS    namespace of objects that name none (default \"default\");\n"
    "                        also the release namespace of charts\n"
    "  -f, --values FILE     values file for charts, as helm -f (repeatable, later wins)\n"
    "      --set K=V         set chart values as helm does (also --set-string,\n"
    "                        --set-json, --set-file, --set-literal; repeatable)\n"
    "      --release-name N  release name for charts (default release-name)\n"
    "      --kube-version V  Kubernetes version charts see (default v1.35.0)\n"
    "      --random-seed N   charts: random functions (randAlphaNum, uuidv4, ...)\n"
    "                        repeat their output for the same N\n"
    "      --now TIME        charts: now/date/ago see TIME (RFC 3339, e.g.\n"
    "                        2026-01-02T15:04:05Z) instead of the clock\n"
    "      --api-versions A  extra .Capabilities.APIVersions for charts (repeatable)\n"
    "      --output FMT=FILE also write format FMT to FILE (repeatable), e.g.\n"
    "                        --format text --output sarif=results.sarif\n"
    "      --sarif-root DIR  SARIF URIs are relative to DIR (default: the git top\n"
    "                        level of the working directory, else the directory)\n"
    "      --sarif-suppressed  SARIF: include suppressed findings with suppressions[]\n"
    "      --baseline FILE   accept the findings FILE lists (suppressed, kind baseline);\n"
    "                        its entries that match nothing are reported (CL0012)\n"
    "      --write-baseline FILE  write every unsuppressed finding to FILE and exit 0\n"
    "                        (docs/baseline.md)\n"
    "  -q, --quiet           no summary line\n"
    "  -v, --verbose         name each chart and file on stderr as it is linted (a\n"
    "                        file inside a chart lints that chart, once per run)\n"
    "      --color           colour the text output even when it is not a terminal\n"
    "      --no-color        never colour (also: NO_COLOR set in the environment)\n"
    "  -V, --version         print the version and exit\n"
    "  -h, --help            print this help and exit\n"
    "      --                end of options: every later argument is a path (so\n"
    "                        '-- rules' lints a directory named rules)\n"
    "\n"
    "Exit codes:\n"
    "  0  no finding at or above the --fail-on level (suppressed findings do not count)\n"
    "  1  findings at or above the --fail-on level (malformed YAML is a finding)\n"
    "  2  usage error, or no input could be read at all\n"
    "  3  internal error (a bug, or out of memory)\n";

/* Print "chartlint: MESSAGE" and the hint to stderr; returns CL_EXIT_USAGE. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The message quotes what the user typed: written escaped (cl_put_escaped), so that a
 * newline or an escape sequence in an argument cannot break or forge the line. */
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    char *msg;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    msg = malloc((size_t)n + 1);
    if (!msg) {
        fprintf(stderr, "chartlint: out of memory (%zu bytes)\n", (size_t)n + 1);
        exit(CL_EXIT_INTERNAL);
    }
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    fputs("chartlint: ", stderr);
    cl_put_escaped(stderr, msg);
    fputs("\nTry 'chartlint --help'.\n", stderr);
    free(msg);
    return CL_EXIT_USAGE;
}

/* A growable NULL-terminated list of strings borrowed from argv. */
struct strlist {
    const char **v;
    size_t n;
};

static void strlist_add(struct strlist *l, const char *s)
{
    const char **v = realloc(l->v, (l->n + 2) * sizeof *v);

    if (!v) {
        fprintf(stderr, "chartlint: out of memory (%zu bytes)\n", (l->n + 2) * sizeof *v);
        exit(CL_EXIT_INTERNAL);
    }
    v[l->n++] = s;
    v[l->n] = NULL;
    l->v = v;
}

struct args {
    struct cl_options opts;
    struct strlist enable, disable, only, words, outputs;
    struct strlist policies;                           /* --policy DIR */
    struct strlist policy_params;                      /* --policy-param P.R.K=V */
    struct strlist values, api_versions, show_only;    /* chart rendering */
    struct strlist set, set_string, set_json, set_file, set_literal;
    const char *out_dir;                 /* docs --out */
    bool format_set;
    bool first_is_path;                  /* the first word came after "--" */
    bool help, version;
    bool update;                         /* test --update */
};

/* Does arg name option long_name (given as "--name" or "--name=value"), or short_name?
 * When the option takes a value, *value gets it from "=..." or the next argument. */
enum match { NO_MATCH, MATCHED, MISSING_VALUE };

static enum match match_opt(char **argv, int *i, const char *long_name, const char *short_name,
                            bool takes_value, const char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(long_name);

    if (strncmp(arg, long_name, n) == 0 && arg[n] == '=' && takes_value) {
        *value = arg + n + 1;
        return MATCHED;
    }
    if (strcmp(arg, long_name) != 0 && !(short_name && strcmp(arg, short_name) == 0))
        return NO_MATCH;
    if (!takes_value)
        return MATCHED;
    if (!argv[*i + 1])
        return MISSING_VALUE;
    *value = argv[++*i];
    return MATCHED;
}

/* The chart-value options linting and `template` share, spelled as helm template spells
 * them: -f/--values, --set, --set-string, --set-json, --set-file, --set-literal,
 * --release-name, --kube-version. NO_MATCH when argv[*i] is none of them. */
static enum match chart_value_opt(char **argv, int *i, struct args *a)
{
    static const struct {
        const char *long_name, *short_name;
        size_t list;                     /* offset of the struct strlist in struct args */
    } lists[] = {
        { "--values", "-f", offsetof(struct args, values) },
        { "--set", NULL, offsetof(struct args, set) },
        { "--set-string", NULL, offsetof(struct args, set_string) },
        { "--set-json", NULL, offsetof(struct args, set_json) },
        { "--set-file", NULL, offsetof(struct args, set_file) },
        { "--set-literal", NULL, offsetof(struct args, set_literal) },
    };
    const char *value = NULL;
    enum match m;

    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        m = match_opt(argv, i, lists[k].long_name, lists[k].short_name, true, &value);
        if (m == MATCHED)
            strlist_add((struct strlist *)((char *)a + lists[k].list), value);
        if (m != NO_MATCH)
            return m;
    }
    if ((m = match_opt(argv, i, "--release-name", NULL, true, &value)) == MATCHED)
        a->opts.render.release_name = value;
    else if (m == NO_MATCH &&
             (m = match_opt(argv, i, "--kube-version", NULL, true, &value)) == MATCHED)
        a->opts.render.kube_version = value;
    else if (m == NO_MATCH &&
             (m = match_opt(argv, i, "--random-seed", NULL, true, &value)) == MATCHED)
        a->opts.render.random_seed = value;
    else if (m == NO_MATCH && (m = match_opt(argv, i, "--now", NULL, true, &value)) == MATCHED)
        a->opts.render.now = value;
    return m;
}

/* Hand the collected chart-value lists to the render options. */
static void render_lists_done(struct args *a)
{
    a->opts.render.values_files = a->values.v;
    a->opts.render.api_versions = a->api_versions.v;
    a->opts.render.set = a->set.v;
    a->opts.render.set_string = a->set_string.v;
    a->opts.render.set_json = a->set_json.v;
    a->opts.render.set_file = a->set_file.v;
    a->opts.render.set_literal = a->set_literal.v;
}

/* Parse every argument. 0, or an exit code after printing a usage error. */
static int parse_args(int argc, char **argv, struct args *a)
{
    bool options_done = false;

    (void)argc;
    for (int i = 1; argv[i]; i++) {
        const char *arg = argv[i], *value = NULL;
        enum match m;

        if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (a->words.n == 0 && options_done)
                a->first_is_path = true;
            strlist_add(&a->words, arg);
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
#define OPT(l, s, v) ((m = match_opt(argv, &i, (l), (s), (v), &value)) != NO_MATCH)
        if (OPT("--format", NULL, true)) {
            if (m == MATCHED) {
                a->opts.format = value;
                a->format_set = true;
            }
        } else if (OPT("--fail-on", NULL, true)) {
            if (m == MATCHED) {
                a->opts.fail_on = cl_severity_parse(value);
                if (a->opts.fail_on == CL_SEV_NONE)
                    return usage_error("invalid --fail-on level \"%s\" "
                                       "(expected error, warning or info)", value);
            }
        } else if (OPT("--enable", NULL, true)) {
            if (m == MATCHED)
                strlist_add(&a->enable, value);
        } else if (OPT("--disable", NULL, true)) {
            if (m == MATCHED)
                strlist_add(&a->disable, value);
        } else if (OPT("--only", NULL, true)) {
            if (m == MATCHED)
                strlist_add(&a->only, value);
        } else if (OPT("--policy", NULL, true)) {
            if (m == MATCHED)
                strlist_add(&a->policies, value);
        } else if (OPT("--policy-param", NULL, true)) {
            if (m == MATCHED)
                strlist_add(&a->policy_params, value);
        } else if (OPT("--config", NULL, true)) {
            if (m == MATCHED) {
                if (!*value)
                    return usage_error("--config needs a file name");
                a->opts.config = value;
            }
        } else if (OPT("--baseline", NULL, true)) {
            if (m == MATCHED) {
                if (!*value)
                    return usage_error("--baseline needs a file name");
                a->opts.baseline = value;
            }
        } else if (OPT("--write-baseline", NULL, true)) {
            if (m == MATCHED) {
                if (!*value)
                    return usage_error("--write-baseline needs a file name");
                a->opts.write_baseline = value;
            }
        } else if (OPT("--no-config", NULL, false)) {
            a->opts.no_config = true;
        } else if (OPT("--lua-memory", NULL, true)) {
            if (m == MATCHED) {
                char *end;
                unsigned long long mib = strtoull(value, &end, 10);

                if (!*value || *end || mib == 0 || mib > (1ull << 20))
                    return usage_error("invalid --lua-memory \"%s\" (expected MiB, 1 to 1048576)",
                                       value);
                a->opts.lua_memory = (size_t)mib << 20;
            }
        } else if (OPT("--namespace", "-n", true)) {
            if (m == MATCHED) {
                if (!*value)
                    return usage_error("--namespace needs a non-empty namespace");
                a->opts.namespace = value;
            }
        } else if ((m = chart_value_opt(argv, &i, a)) != NO_MATCH) {
            /* -f/--values, --set*, --release-name, --kube-version */
        } else if (OPT("--api-versions", NULL, true)) {
            if (m == MATCHED)
                strlist_add(&a->api_versions, value);
        } else if (OPT("--output", NULL, true)) {
            if (m == MATCHED)
                strlist_add(&a->outputs, value);
        } else if (OPT("--sarif-root", NULL, true)) {
            if (m == MATCHED)
                a->opts.sarif_root = value;
        } else if (OPT("--sarif-suppressed", NULL, false)) {
            a->opts.sarif_suppressed = true;
        } else if (OPT("--out", "-o", true)) {
            if (m == MATCHED)
                a->out_dir = value;
        } else if (OPT("--update", NULL, false)) {
            a->update = true;
        } else if (OPT("--quiet", "-q", false)) {
            a->opts.quiet = true;
        } else if (OPT("--verbose", "-v", false)) {
            a->opts.verbose = true;
        } else if (OPT("--color", NULL, false)) {
            a->opts.color = 1;
        } else if (OPT("--no-color", NULL, false)) {
            a->opts.color = 0;
        } else if (OPT("--version", "-V", false)) {
            a->version = true;
        } else if (OPT("--help", "-h", false)) {
            a->help = true;
        } else {
            return usage_error("unknown option '%s'", arg);
        }
#undef OPT
        if (m == MISSING_VALUE)
            return usage_error("option '%s' needs a value", arg);
    }
    a->opts.enable = a->enable.v;
    a->opts.disable = a->disable.v;
    a->opts.only = a->only.v;
    a->opts.policies = a->policies.v;
    a->opts.policy_params = a->policy_params.v;
    a->opts.outputs = a->outputs.v;
    render_lists_done(a);
    return 0;
}

/* `chartlint template [NAME] CHART [flags]`: helm template's arguments, where -f is
 * --values (not --format). 0 after filling a, or an exit code after a usage error. */
static int parse_template_args(char **argv, struct args *a)
{
    bool options_done = false;

    for (int i = 2; argv[i]; i++) {
        const char *arg = argv[i], *value = NULL;
        enum match m;

        if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
            strlist_add(&a->words, arg);
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
#define OPT(l, s, v) ((m = match_opt(argv, &i, (l), (s), (v), &value)) != NO_MATCH)
        if ((m = chart_value_opt(argv, &i, a)) != NO_MATCH) {
            /* -f/--values, --set*, --release-name, --kube-version */
        } else if (OPT("--namespace", "-n", true)) {
            if (m == MATCHED)
                a->opts.namespace = value;
        } else if (OPT("--api-versions", "-a", true)) {
            if (m == MATCHED)
                strlist_add(&a->api_versions, value);
        } else if (OPT("--show-only", "-s", true)) {
            if (m == MATCHED)
                strlist_add(&a->show_only, value);
        } else if (OPT("--include-crds", NULL, false)) {
            a->opts.render.include_crds = true;
        } else if (OPT("--help", "-h", false)) {
            a->help = true;
        } else {
            return usage_error("template: unknown option '%s'", arg);
        }
#undef OPT
        if (m == MISSING_VALUE)
            return usage_error("option '%s' needs a value", arg);
    }
    render_lists_done(a);
    a->opts.render.show_only = a->show_only.v;
    return 0;
}

static int cmd_template(struct args *a)
{
    const char *chart;

    if (a->words.n == 0)
        return usage_error("template needs a chart: chartlint template [NAME] CHART");
    if (a->words.n > 2)
        return usage_error("template takes a release name and a chart, got also '%s'",
                           a->words.v[2]);
    chart = a->words.v[a->words.n - 1];
    if (a->words.n == 2)
        a->opts.render.release_name = a->words.v[0];
    if (!a->opts.namespace || !*a->opts.namespace)
        a->opts.namespace = "default";
    return cl_template(chart, &a->opts, stdout, stderr);
}

static bool is_doc_format(const char *format)
{
    return strcmp(format, "text") == 0 || strcmp(format, "json") == 0;
}

static int cmd_rules(struct args *a)
{
    const char *format = a->format_set ? a->opts.format : "text";

    if (a->words.n > 1)
        return usage_error("rules takes no argument, got '%s'", a->words.v[1]);
    if (!is_doc_format(format))
        return usage_error("rules: unknown format \"%s\" (expected text or json)", format);
    return cl_explain_rules_with(stdout, format, a->opts.policies) < 0 ? CL_EXIT_USAGE
                                                                        : CL_EXIT_OK;
}

static int cmd_explain(struct args *a)
{
    const char *format = a->format_set ? a->opts.format : "text";

    if (a->words.n < 2)
        return usage_error("explain needs a check name or code, e.g. "
                           "'chartlint explain CL1001'");
    if (a->words.n > 2)
        return usage_error("explain takes one check, got also '%s'", a->words.v[2]);
    if (!is_doc_format(format))
        return usage_error("explain: unknown format \"%s\" (expected text or json)", format);
    return cl_explain_with(stdout, a->words.v[1], format, a->opts.policies) < 0
               ? CL_EXIT_USAGE : CL_EXIT_OK;
}

static int cmd_docs(struct args *a)
{
    if (a->words.n > 1)
        return usage_error("docs takes no argument, got '%s' (use --out DIR)", a->words.v[1]);
    if (!a->out_dir || !*a->out_dir)
        return usage_error("docs needs --out DIR");
    return cl_docs_write_with(a->out_dir, a->opts.policies) < 0 ? CL_EXIT_USAGE : CL_EXIT_OK;
}

static int cmd_test(struct args *a)
{
    const char *env = getenv("CHARTLINT_UPDATE");

    if (a->words.n < 2)
        return usage_error("test needs policy pack directories, e.g. "
                           "'chartlint test policies/acme'");
    for (size_t i = 1; i < a->words.n; i++)
        if (!*a->words.v[i])
            return usage_error("an empty pack directory was given");
    return cl_pack_test(a->words.v + 1, &a->opts, a->update || (env && strcmp(env, "1") == 0),
                        stdout);
}

/* A normal exit does not give the run's memory back piece by piece: the kernel drops
 * the whole address space at once, and cl_run_free() (lua_close() visiting every Lua
 * object, the arenas' chunks, every table) was ~1% of a chart run's instructions and
 * more of its cold time. The run stays reachable from here, so a leak checker sees it
 * in use, not lost. Sanitizer builds still free it: their leak check keeps covering
 * cl_run_free(), as the unit tests' cl_run_free() calls do everywhere else. */
#if defined(__SANITIZE_ADDRESS__)
#define FREE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FREE_AT_EXIT 1
#endif
#endif
#ifndef FREE_AT_EXIT
#define FREE_AT_EXIT 0
#endif
static struct cl_run *exit_run;

static int cmd_lint(struct args *a)
{
    struct cl_run *run;
    const char *err = NULL;
    int code;

    if (a->out_dir)
        return usage_error("--out is only for 'chartlint docs'");
    if (a->update)
        return usage_error("--update is only for 'chartlint test'");
    if (a->words.n == 0)
        return usage_error("no input given: pass files, directories, or - for standard "
                           "input (e.g. helm template ... | chartlint -)");
    for (size_t i = 0; i < a->words.n; i++)
        if (!*a->words.v[i])
            return usage_error("an empty path was given");
    run = cl_run_new(&a->opts, &err);
    if (!run)
        return usage_error("%s", err ? err : "invalid options");
    for (size_t i = 0; i < a->words.n; i++)
        cl_run_path(run, a->words.v[i]);
    code = cl_run_report(run, stdout);
    if (FREE_AT_EXIT)
        cl_run_free(run);
    else
        exit_run = run;
    return code;
}

/* stdout's buffer: stdio would size its own by st_blksize (4 KiB for a file, a pipe or
 * /dev/null), so a large report took a write() per 4 KiB, and it asks fstat() and
 * isatty() on the first output. A terminal keeps line buffering, as stdio gives it. */
static char stdout_buf[64 * 1024];

int main(int argc, char **argv)
{
    struct args a;
    const char *cmd;
    int code;

#ifdef CL_STATIC_EXE
    main_started = 1;
#endif
    setvbuf(stdout, stdout_buf, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, sizeof stdout_buf);
    memset(&a, 0, sizeof a);
    cl_options_init(&a.opts);
    if (argc > 1 && strcmp(argv[1], "template") == 0) {
        code = parse_template_args(argv, &a);
        if (!code && a.help)
            printf(usage_text, cl_formats());
        else if (!code)
            code = cmd_template(&a);
        goto out;
    }
    code = parse_args(argc, argv, &a);
    if (code)
        goto out;
    if (a.help) {
        printf(usage_text, cl_formats());
        goto out;
    }
    if (a.version) {
        printf("chartlint %s\n", CHARTLINT_VERSION);
        goto out;
    }
    cmd = a.words.n && !a.first_is_path ? a.words.v[0] : "";
    if (strcmp(cmd, "rules") == 0)
        code = cmd_rules(&a);
    else if (strcmp(cmd, "explain") == 0)
        code = cmd_explain(&a);
    else if (strcmp(cmd, "docs") == 0)
        code = cmd_docs(&a);
    else if (strcmp(cmd, "test") == 0)
        code = cmd_test(&a);
    else
        code = cmd_lint(&a);
out:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("chartlint: error writing standard output\n", stderr);
        code = CL_EXIT_INTERNAL;
    }
    free(a.enable.v);
    free(a.disable.v);
    free(a.only.v);
    free(a.policies.v);
    free(a.policy_params.v);
    free(a.words.v);
    free(a.values.v);
    free(a.api_versions.v);
    free(a.show_only.v);
    free(a.set.v);
    free(a.set_string.v);
    free(a.set_json.v);
    free(a.set_file.v);
    free(a.set_literal.v);
    free(a.outputs.v);
#if !FREE_AT_EXIT
    /* The exit handlers only give memory back (the check catalogs; libcrypto's tables,
     * registered when a chart signs, encrypts or reads a key: OPENSSL_cleanup() was 2% of
     * bitnami-nginx's instructions): left to the kernel, as the run's memory is. Every
     * file written is closed and checked where it is written, and stdout above. */
    fflush(NULL);
    _exit(code);
#endif
    return code;
}
