/* test_render.c -- the chart render driver: helm v4.1.4's document split, install order,
 * "<no value>" removal with the source map kept, built-in objects, subcharts (names,
 * scoped values, conditions, tags, globals, library charts), failures that leave the
 * other templates rendered, helm's error wording, and template positions of nodes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"
#include "render.h"
#include "tmpl/srcmap.h"
#include "util.h"

/* ---- scratch charts ---- */

static char scratch[256];

static void put(const char *rel, const char *text)
{
    char path[1024];
    FILE *fp;

    snprintf(path, sizeof path, "%s/%s", scratch, rel);
    for (char *p = path + strlen(scratch) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0777);
            *p = '/';
        }
    fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    fclose(fp);
}

static int setup(void **state)
{
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/cl-test-render-XXXXXX");
    return mkdtemp(scratch) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[512];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    return system(cmd) == 0 ? 0 : -1;
}

struct rendered {
    struct cl_load ld;
    struct cl_render r;
    struct cl_buf out;
};

/* Load and render the scratch chart (sub: a path below it, or NULL), then write it. */
static void render(struct rendered *rd, const struct cl_render_opts *opts)
{
    cl_load_init(&rd->ld, NULL);
    assert_int_equal(cl_load_path(&rd->ld, scratch), 0);
    cl_render_init(&rd->r);
    cl_render_chart(&rd->r, rd->ld.chart, opts);
    cl_buf_init(&rd->out);
    cl_render_write(&rd->r, rd->ld.chart, &rd->out, NULL, false);
    cl_buf_addc(&rd->out, '\0');
}

static void done(struct rendered *rd)
{
    cl_buf_fini(&rd->out);
    cl_render_fini(&rd->r);
    cl_load_fini(&rd->ld);
}

static const char chart_yaml[] = "apiVersion: v2\nname: app\nversion: 1.2.3\nappVersion: \"9\"\n"
                                 "annotations:\n  team: web\n";

/* ---- the split ---- */

struct pieces {
    char v[8][64];
    int n;
    const char *text;
};

static void on_piece(void *ud, size_t off, size_t len)
{
    struct pieces *p = ud;

    assert_true(p->n < 8 && len < 64);
    memcpy(p->v[p->n], p->text + off, len);
    p->v[p->n][len] = '\0';
    p->n++;
}

static int split(const char *text, struct pieces *p)
{
    memset(p, 0, sizeof *p);
    p->text = text;
    cl_render_split(text, strlen(text), on_piece, p);
    return p->n;
}

static void test_split(void **state)
{
    struct pieces p;

    (void)state;
    assert_int_equal(split("a: 1\n---\nb: 2\n", &p), 2);
    assert_string_equal(p.v[0], "a: 1");
    assert_string_equal(p.v[1], "b: 2");
    /* "^---" only at the start; the separator eats the whitespace after it */
    assert_int_equal(split("---\na: 1\n", &p), 1);
    assert_string_equal(p.v[0], "a: 1");
    /* helm v4.1.4: "---\n\n---\nkind: X" leaves a document that starts with "---" */
    assert_int_equal(split("x: 1\n---\n\n---\nkind: X\n", &p), 2);
    assert_string_equal(p.v[1], "---\nkind: X");
    /* "---" directly followed by text still splits; spaces before the newline too */
    assert_int_equal(split("a: 1  \n---b: 2", &p), 2);
    assert_string_equal(p.v[1], "b: 2");
    /* whitespace-only files and pieces give nothing */
    assert_int_equal(split(" \n\t\n", &p), 0);
    assert_int_equal(split("---\n---\n", &p), 1);
    assert_string_equal(p.v[0], "---");
    /* "---" not at a line start does not split */
    assert_int_equal(split("a: x---y\n", &p), 1);
    assert_int_equal(cl_render_kind_order("Namespace"), 1);
    assert_true(cl_render_kind_order("Service") < cl_render_kind_order("Deployment"));
    assert_int_equal(cl_render_kind_order("Zebra"), -1);
}

/* ---- order, headers, <no value>, objects ---- */

static void test_output(void **state)
{
    struct rendered rd;
    const char *s;

    (void)state;
    put("Chart.yaml", chart_yaml);
    put("values.yaml", "name: web\nport: 80\n");
    put("templates/_helpers.tpl", "{{ define \"app.name\" }}{{ .Chart.Name }}-x{{ end }}\n");
    put("templates/NOTES.txt", "installed {{ .Release.Name }}\n");
    put("templates/a.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n"
        "  labels:\n    missing: \"{{ .Values.nope }}\"\n"
        "---\n# only a comment\n"
        "---\napiVersion: v1\nkind: Zebra\nmetadata:\n  name: z\n");
    put("templates/b.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ template \"app.name\" . }}\n"
        "  annotations:\n    helm.sh/hook: pre-install\n---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .Release.Namespace }}\n");
    put("templates/c.yaml",
        "kind: ConfigMap\ndata:\n  chart: {{ .Chart.Name }}-{{ .Chart.Version }}-"
        "{{ .Chart.AppVersion }}-{{ .Chart.IsRoot }}-{{ .Chart.Annotations.team }}\n"
        "  release: {{ .Release.Name }}/{{ .Release.Service }}/{{ .Release.Revision }}/"
        "{{ .Release.IsInstall }}\n"
        "  kube: {{ .Capabilities.KubeVersion.Version }}/{{ .Capabilities.KubeVersion.Minor }}"
        "/{{ .Capabilities.APIVersions.Has \"policy/v1\" }}/"
        "{{ .Capabilities.APIVersions.Has \"policy/v1/PodDisruptionBudget\" }}/"
        "{{ .Capabilities.APIVersions.Has \"example.com/v1\" }}\n"
        "  tmpl: {{ .Template.Name }} {{ .Template.BasePath }}\n"
        "  files: x {{ .Files.Get \"files/a.txt\" | printf \"%q\" }} {{ .Files.Lines \"files/a.txt\" }}"
        " {{ range $k, $_ := .Files.Glob \"files/*\" }}{{ $k }},{{ end }}"
        " [{{ .Files.Get \"values.yaml\" }}]\n");
    put("files/a.txt", "one\ntwo\n");
    put("files/b.txt", "three");
    {
        const char *apis[] = { "example.com/v1", NULL };
        struct cl_render_opts o = { .release_name = "rel", .namespace = "ns",
                                    .api_versions = apis };

        render(&rd, &o);
    }
    if (rd.r.nerrors)
        fail_msg("%s", rd.r.errors[0].helm);
    s = rd.out.data;
    /* install order: Namespace, ConfigMap, Deployment, then unknown kinds sorted by kind
     * ("" for the comment-only document, then Zebra), then hooks */
    assert_string_equal(
        s,
        "---\n# Source: app/templates/b.yaml\n"
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n"
        "---\n# Source: app/templates/c.yaml\n"
        "kind: ConfigMap\ndata:\n  chart: app-1.2.3-9-true-web\n"
        "  release: rel/Helm/1/true\n"
        "  kube: v1.35.0/35/true/false/true\n"
        "  tmpl: app/templates/c.yaml app/templates\n"
        "  files: x \"one\\ntwo\\n\" [one two] files/a.txt,files/b.txt, []\n"
        "---\n# Source: app/templates/a.yaml\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
        "  labels:\n    missing: \"\"\n"
        "---\n# Source: app/templates/a.yaml\n# only a comment\n"
        "---\n# Source: app/templates/a.yaml\n"
        "apiVersion: v1\nkind: Zebra\nmetadata:\n  name: z\n"
        "---\n# Source: app/templates/b.yaml\n"
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: app-x\n"
        "  annotations:\n    helm.sh/hook: pre-install\n");
    done(&rd);
}

/* helm's engine.files: a map with methods; gobwas globs; VersionSet is a list with Has. */
static void test_files(void **state)
{
    struct rendered rd;

    (void)state;
    put("Chart.yaml", chart_yaml);
    put("files/a.txt", "alpha\n");
    put("files/sub/b.txt", "bravo");
    put("x.txt", "\x01z");
    put("templates/t.yaml",
        "kind: T\nlen: {{ len .Files }} {{ typeOf .Files }}\n"
        "star: {{ range $k, $_ := .Files.Glob \"files/*\" }}{{ $k }} {{ end }}\n"
        "super: {{ range $k, $_ := .Files.Glob \"files/**\" }}{{ $k }} {{ end }}\n"
        "alt: {{ range $k, $_ := .Files.Glob \"{x,files/a}.txt\" }}{{ $k }} {{ end }}\n"
        "bad: {{ len (.Files.Glob \"[\") }}\n"
        "bytes: {{ .Files.GetBytes \"x.txt\" }}\n"
        "secrets: {{ (.Files.Glob \"files/**\").AsSecrets | printf \"%q\" }}\n"
        "apis: {{ len .Capabilities.APIVersions }} {{ index .Capabilities.APIVersions 0 }} "
        "{{ .Capabilities.APIVersions.Has \"apps/v1\" }}\n");
    render(&rd, NULL);
    if (rd.r.nerrors)
        fail_msg("%s", rd.r.errors[0].helm);
    assert_string_equal(rd.out.data,
                        "---\n# Source: app/templates/t.yaml\nkind: T\n"
                        "len: 3 engine.files\n"
                        "star: files/a.txt \n"
                        "super: files/a.txt files/sub/b.txt \n"
                        "alt: files/a.txt x.txt \n"
                        "bad: 3\n"
                        "bytes: [1 122]\n"
                        "secrets: \"a.txt: YWxwaGEK\\nb.txt: YnJhdm8=\"\n"
                        "apis: 57 v1 true\n");
    done(&rd);
}

/* Nodes map to template lines after "<no value>" was cut out before them. */
static void test_srcmap(void **state)
{
    struct rendered rd;
    const struct cl_render_file *f = NULL;
    struct cl_srcmap sm;
    struct cl_pos pos, from;
    const char *at;

    (void)state;
    put("Chart.yaml", chart_yaml);
    put("values.yaml", "name: web\nimage:\n  tag: \"1.0\"\n");
    put("templates/a.yaml", "kind: ConfigMap\ndata:\n  a: \"{{ .Values.x }}{{ .Values.y }}\"\n"
                            "  b: {{ .Values.image.tag }}\n  c: literal\n");
    render(&rd, NULL);
    for (size_t i = 0; i < rd.r.nfiles; i++)
        if (strcmp(rd.r.files[i].name, "app/templates/a.yaml") == 0)
            f = &rd.r.files[i];
    assert_non_null(f);
    assert_string_equal(f->out.buf.data,
                        "kind: ConfigMap\ndata:\n  a: \"\"\n  b: 1.0\n  c: literal\n");
    cl_srcmap_init(&sm, &f->out);
    at = strstr(f->out.buf.data, "c: literal");
    pos = cl_srcmap_lookup(&sm, (size_t)(at - f->out.buf.data), &from);
    assert_non_null(strstr(pos.file, "/templates/a.yaml"));
    assert_int_equal(pos.line, 5);
    assert_int_equal(pos.col, 3);
    at = strstr(f->out.buf.data, "1.0");
    pos = cl_srcmap_lookup(&sm, (size_t)(at - f->out.buf.data), &from);
    assert_int_equal(pos.line, 4);
    assert_int_equal(pos.col, 9);
    assert_non_null(from.file);
    assert_non_null(strstr(from.file, "values.yaml"));
    assert_int_equal(from.line, 3);
    done(&rd);
}

/* ---- subcharts ---- */

static void test_subcharts(void **state)
{
    struct rendered rd;
    const char *s;

    (void)state;
    put("Chart.yaml", "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n"
                      "- name: sub\n  version: 0.1.0\n  alias: db\n  condition: db.enabled\n"
                      "- name: skipped\n  version: 0.1.0\n  condition: skipped.enabled\n"
                      "- name: tagged\n  version: 0.1.0\n  tags: [extra]\n"
                      "- name: lib\n  version: 0.1.0\n");
    put("values.yaml", "global:\n  env: prod\ndb:\n  size: 2\ntags:\n  extra: false\n");
    put("templates/t.yaml", "kind: A\nsub: {{ .Subcharts.db.Values.size }}\n"
                            "from-lib: {{ include \"lib.x\" . }}\n");
    put("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    put("charts/sub/values.yaml", "size: 1\ncolor: red\nenabled: true\n");
    put("charts/sub/templates/s.yaml",
        "kind: B\nname: {{ .Chart.Name }}\nsize: {{ .Values.size }}\ncolor: {{ .Values.color }}\n"
        "env: {{ .Values.global.env }}\ntmpl: {{ .Template.Name }}\n"
        "from-lib: {{ template \"lib.x\" . }}\n");
    put("charts/skipped/Chart.yaml", "apiVersion: v2\nname: skipped\nversion: 0.1.0\n");
    put("charts/skipped/values.yaml", "enabled: false\n");
    put("charts/skipped/templates/o.yaml", "kind: Off\n");
    put("charts/tagged/Chart.yaml", "apiVersion: v2\nname: tagged\nversion: 0.1.0\n");
    put("charts/tagged/templates/t.yaml", "kind: Tagged\n");
    put("charts/lib/Chart.yaml", "apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n");
    put("charts/lib/templates/_x.tpl", "{{ define \"lib.x\" }}lib{{ end }}\n");
    put("charts/lib/templates/shown.yaml", "kind: NeverShown\n");
    /* "include" is helm's, not the engine's: without it the top template fails to parse
     * and the subchart's still renders */
    render(&rd, NULL);
    s = rd.out.data;
    assert_non_null(strstr(s, "# Source: top/charts/db/templates/s.yaml\n"
                              "kind: B\nname: db\nsize: 2\ncolor: red\nenv: prod\n"
                              "tmpl: top/charts/db/templates/s.yaml\nfrom-lib: lib\n"));
    assert_null(strstr(s, "kind: Off"));
    assert_null(strstr(s, "kind: Tagged"));
    assert_null(strstr(s, "NeverShown"));
    if (rd.r.nerrors) {
        assert_int_equal(rd.r.nerrors, 1);
        assert_int_equal(rd.r.errors[0].kind, CL_RENDER_ERR_PARSE);
        assert_string_equal(rd.r.errors[0].helm,
                            "parse error at (top/templates/t.yaml:3): "
                            "function \"include\" not defined");
        assert_non_null(strstr(rd.r.errors[0].pos.file, "/templates/t.yaml"));
        assert_int_equal(rd.r.errors[0].pos.line, 3);
    }
    done(&rd);
}

/* import-values in both forms, checked against helm v4.1.4: imports go under the
 * parent's own values, come from the subcharts' defaults (not the user's values, which
 * coalesce over everything afterwards), the first import wins; a missing or non-map
 * table is skipped; a disabled subchart leaves no defaults in the parent's section and
 * no entry in .Chart.Dependencies. */
static void test_import_values(void **state)
{
    struct rendered rd;
    const char *sets[] = { "sub1.exports.data.host=user", "port=1", NULL };
    struct cl_render_opts opts = { .set = sets };

    (void)state;
    put("Chart.yaml", "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n"
                      "- name: sub1\n  version: 0.1.0\n  import-values:\n  - data\n"
                      "  - missing\n  - child: deep.table\n    parent: nested.here\n"
                      "- name: sub2\n  version: 0.1.0\n  alias: second\n  import-values:\n"
                      "  - child: cfg\n    parent: .\n  - child: scalar\n    parent: sc\n"
                      "- name: opt\n  version: 0.1.0\n  condition: opt.enabled\n");
    put("values.yaml", "own: 1\nport: 9999\nnested:\n  here:\n    keep: parent\n");
    put("templates/cm.yaml",
        "kind: A\nall: {{ toJson (omit .Values \"sub1\" \"second\") }}\n"
        "deps: {{ range .Chart.Dependencies }}{{ .Name }}={{ .Enabled }}"
        "{{ .ImportValues }};{{ end }}\n");
    put("charts/sub1/Chart.yaml", "apiVersion: v2\nname: sub1\nversion: 0.1.0\n");
    put("charts/sub1/values.yaml", "exports:\n  data:\n    port: 8080\n    host: db\n"
                                   "deep:\n  table:\n    a: 1\n    keep: child\n");
    put("charts/sub2/Chart.yaml", "apiVersion: v2\nname: sub2\nversion: 0.1.0\n");
    put("charts/sub2/values.yaml", "cfg:\n  port: 7777\n  host: second\n  extra: 1\n"
                                   "scalar: 5\n");
    put("charts/opt/Chart.yaml", "apiVersion: v2\nname: opt\nversion: 0.1.0\n");
    put("charts/opt/values.yaml", "enabled: false\nsecret: x\n");
    render(&rd, &opts);
    assert_int_equal(rd.r.nerrors, 0);
    assert_non_null(strstr(rd.out.data,
                           "all: {\"extra\":1,\"host\":\"db\",\"nested\":{\"here\":{\"a\":1,"
                           "\"keep\":\"parent\"}},\"own\":1,"
                           "\"port\":1}\n"));
    assert_non_null(strstr(rd.out.data,
                           "deps: sub1=true[map[child:exports.data parent:.] "
                           "map[child:exports.missing parent:.] "
                           "map[child:deep.table parent:nested.here]];"
                           "second=true[map[child:cfg parent:.] map[child:scalar parent:sc]];\n"));
    done(&rd);
}

/* A rendered document that is a list or a scalar fails as helm's SortManifests fails
 * (helm v4.1.4's words), at the template action that wrote it; nulls and mappings
 * without kind are fine. --include-crds names CRD files by the chart's full path. */
static void test_documents_and_crds(void **state)
{
    struct rendered rd;
    struct cl_buf crds;

    (void)state;
    put("Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n");
    put("templates/a.yaml", "a: 1\n---\n~\n---\n{{ list 1 2 | toJson }}\n");
    put("templates/b.yaml", "true\n");
    put("crds/c.yaml", "kind: CustomResourceDefinition\n");
    render(&rd, NULL);
    assert_int_equal(rd.r.nerrors, 2);
    assert_int_equal(rd.r.errors[0].kind, CL_RENDER_ERR_DOC);
    assert_string_equal(rd.r.errors[0].message,
                        "rendered document is a list, not a mapping: helm refuses it");
    assert_string_equal(rd.r.errors[0].helm,
                        "YAML parse error on app/templates/a.yaml: error unmarshaling JSON: "
                        "while decoding JSON: json: cannot unmarshal array into Go value of "
                        "type util.SimpleHead");
    assert_int_equal(rd.r.errors[0].pos.line, 5);
    assert_int_equal(rd.r.errors[0].pos.col, 4);
    assert_string_equal(rd.r.errors[1].message,
                        "rendered document is a bool, not a mapping: helm refuses it");
    cl_buf_init(&crds);
    cl_render_write(&rd.r, rd.ld.chart, &crds, (const char *const[]){ "nothing", NULL }, true);
    cl_buf_addc(&crds, '\0');
    assert_string_equal(crds.data, "---\n# Source: app/crds/c.yaml\nkind: CustomResourceDefinition\n\n");
    cl_buf_fini(&crds);
    done(&rd);
}

/* With caller_parses (a linter parses every document itself) a file whose documents
 * all begin with a mapping key is not parsed: its kinds stay "", and its YAML errors
 * are the caller's. Lists and scalars are still found, after a YAML error in the same
 * file as before (not at all), and the documents are the same. */
static void test_caller_parses(void **state)
{
    struct rendered rd;
    struct cl_render_opts o = { .caller_parses = true };

    (void)state;
    put("Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n");
    put("templates/a.yaml", "a: 1\n---\n~\n---\n{{ list 1 2 | toJson }}\n");
    put("templates/b.yaml", "true\n");
    put("templates/c.yaml", "# head\n\nkind: C\nx: [\n---\nkind: D\n");
    put("templates/d.yaml", "[x\n---\n- 1\n");
    render(&rd, NULL);
    assert_int_equal(rd.r.nerrors, 4);
    assert_int_equal(rd.r.errors[0].kind, CL_RENDER_ERR_DOC);
    assert_int_equal(rd.r.errors[1].kind, CL_RENDER_ERR_DOC);
    assert_int_equal(rd.r.errors[2].kind, CL_RENDER_ERR_YAML);
    assert_int_equal(rd.r.errors[3].kind, CL_RENDER_ERR_YAML);
    assert_int_equal(rd.r.ndocs, 8);
    assert_string_equal(rd.r.docs[5].kind, "D");
    done(&rd);

    render(&rd, &o);
    assert_int_equal(rd.r.nerrors, 2);
    assert_int_equal(rd.r.errors[0].kind, CL_RENDER_ERR_DOC);
    assert_string_equal(rd.r.errors[0].message,
                        "rendered document is a list, not a mapping: helm refuses it");
    assert_int_equal(rd.r.errors[0].pos.line, 5);
    assert_int_equal(rd.r.errors[0].pos.col, 4);
    assert_string_equal(rd.r.errors[1].message,
                        "rendered document is a bool, not a mapping: helm refuses it");
    assert_int_equal(rd.r.ndocs, 8);
    for (size_t i = 0; i < rd.r.ndocs; i++)
        assert_string_equal(rd.r.docs[i].kind, "");
    assert_int_equal(rd.r.docs[4].off, 0);
    assert_int_equal(rd.r.docs[4].len, strlen("# head\n\nkind: C\nx: ["));
    assert_int_equal(rd.r.docs[7].file, rd.r.docs[6].file);
    done(&rd);
}

/* values.schema.json: every chart's coalesced values before any template runs, each
 * violation an error at its values line with the schema keyword as the note, all with
 * helm's one message; the templates still render. */
static void test_schema(void **state)
{
    struct rendered rd;
    const char *sets[] = { "db.port=70000", NULL };
    struct cl_render_opts opts = { .set = sets };

    (void)state;
    put("Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\ndependencies:\n"
                      "- name: db\n  version: 0.1.0\n");
    put("values.yaml", "replicas: 0\n");
    put("values.schema.json", "{\"properties\": {\"replicas\": {\"minimum\": 1}}}\n");
    put("templates/t.yaml", "kind: A\nreplicas: {{ .Values.replicas }}\n");
    put("charts/db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 0.1.0\n");
    put("charts/db/values.yaml", "port: 5432\n");
    put("charts/db/values.schema.json",
        "{\n  \"properties\": {\n    \"port\": {\"maximum\": 65535}\n  }\n}\n");
    render(&rd, &opts);
    assert_non_null(strstr(rd.out.data, "kind: A\nreplicas: 0\n"));
    assert_int_equal(rd.r.nerrors, 2);
    assert_int_equal(rd.r.errors[0].kind, CL_RENDER_ERR_SCHEMA);
    assert_int_equal(rd.r.errors[0].pos.line, 1);
    assert_int_equal(rd.r.errors[0].pos.col, 11);
    assert_string_equal(rd.r.errors[0].message, "value at \"/replicas\" does not meet the "
                                                "schema of chart \"shop\": minimum: got 0, "
                                                "want 1");
    assert_int_equal(rd.r.errors[0].inner.col, 30);
    assert_string_equal(rd.r.errors[0].note, "the schema rule \"/properties/replicas/minimum\"");
    assert_string_equal(rd.r.errors[1].pos.file, "--set");
    assert_int_equal(rd.r.errors[1].pos.col, 9);
    assert_int_equal(rd.r.errors[1].inner.line, 3);
    assert_string_equal(rd.r.errors[0].helm, rd.r.errors[1].helm);
    assert_string_equal(rd.r.errors[0].helm,
                        "values don't meet the specifications of the schema(s) in the "
                        "following chart(s):\nshop:\n- at '/replicas': minimum: got 0, want 1\n"
                        "db:\n- at '/port': maximum: got 70,000, want 65,535\n");
    done(&rd);
}

/* ---- failures ---- */

static void test_failures(void **state)
{
    struct rendered rd;

    (void)state;
    put("Chart.yaml", chart_yaml);
    put("templates/a.yaml", "kind: A\nx: {{ .Values.missing.foo }}\n");
    put("templates/b.yaml", "kind: B\nx: {{ index .Values.list 5 }}\n");
    put("templates/c.yaml", "kind: C\n");
    put("values.yaml", "list: [1]\n");
    render(&rd, NULL);
    /* the good file still renders */
    assert_string_equal(rd.out.data, "---\n# Source: app/templates/c.yaml\nkind: C\n");
    assert_int_equal(rd.r.nerrors, 2);
    /* helm's execution order: reverse name order at equal depth, so b fails first */
    assert_string_equal(rd.r.errors[0].helm,
                        "template: app/templates/b.yaml:2:6: executing "
                        "\"app/templates/b.yaml\" at <index .Values.list 5>: error calling "
                        "index: index out of range: 5");
    assert_string_equal(rd.r.errors[0].message, "error calling index: index out of range: 5");
    assert_int_equal(rd.r.errors[0].pos.line, 2);
    assert_int_equal(rd.r.errors[0].pos.col, 7);
    /* helm v4 prints a nil pointer as a located block */
    assert_string_equal(rd.r.errors[1].helm,
                        "app/templates/a.yaml:2:13\n"
                        "  executing \"app/templates/a.yaml\" at <.Values.missing.foo>:\n"
                        "    nil pointer evaluating interface {}.foo");
    assert_string_equal(rd.r.errors[1].message, "nil pointer evaluating interface {}.foo");
    done(&rd);
}

/* A render starts on the caller's stack with a small allowance for the evaluator; one
 * that outgrows it is done again on a thread with a deep stack, so Go's limits are
 * reached as helm reaches them and nothing of the first attempt is left behind. */
static void test_deep_stack(void **state)
{
    struct rendered rd;

    (void)state;
    put("Chart.yaml", chart_yaml);
    put("templates/_h.tpl", "{{- define \"r\" }}{{ template \"r\" . }}{{ end }}\n"
                            "{{- define \"n\" }}{{ if gt . 0 }}<{{ template \"n\" (sub . 1) }}>"
                            "{{ end }}{{ end }}\n");
    put("templates/a.yaml", "kind: A\nx: {{ template \"r\" . }}\n");
    /* 3000 nested calls: deeper than the first allowance, well inside the thread's */
    put("templates/b.yaml", "kind: B\nx: '{{ template \"n\" 3000 }}'\n");
    put("templates/c.yaml", "kind: C\n");
    render(&rd, NULL);
    assert_int_equal(rd.r.nerrors, 1);
    assert_int_equal(rd.r.errors[0].kind, CL_RENDER_ERR_EXEC);
    assert_string_equal(rd.r.errors[0].message, "exceeded maximum template depth (100000)");
    assert_non_null(strstr(rd.out.data, "# Source: app/templates/b.yaml\nkind: B\nx: '<<<"));
    assert_non_null(strstr(rd.out.data, ">>>'\n---\n# Source: app/templates/c.yaml\nkind: C\n"));
    assert_int_equal(rd.r.ndocs, 2);
    done(&rd);
}

static void test_values_errors(void **state)
{
    struct rendered rd;
    char path[512];
    const char *files[] = { path, NULL };
    struct cl_render_opts o = { .values_files = files, .kube_version = "1.29" };

    (void)state;
    put("Chart.yaml", chart_yaml);
    put("values.yaml", "a: 1\nb: [\n");
    put("extra.yaml", "c: 3\nd: {e: 1, f: 2}\n");
    put("templates/a.yaml", "kind: A\nc: {{ .Values.c }} {{ .Values.d.f }}\n"
                            "kv: {{ .Capabilities.KubeVersion.GitVersion }}\n");
    snprintf(path, sizeof path, "%s/extra.yaml", scratch);
    render(&rd, &o);
    assert_int_equal(rd.r.nerrors, 1);
    assert_int_equal(rd.r.errors[0].kind, CL_RENDER_ERR_VALUES);
    assert_non_null(strstr(rd.r.errors[0].pos.file, "values.yaml"));
    assert_true(rd.r.errors[0].pos.line >= 2);
    assert_non_null(strstr(rd.out.data, "c: 3 2\nkv: v1.29.0\n"));
    done(&rd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test_setup_teardown(test_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_srcmap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subcharts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_documents_and_crds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caller_parses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_stack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_errors, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
