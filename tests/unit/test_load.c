/* test_load.c -- chart loading: directories, files inside charts, archives, Chart.yaml
 * metadata with positions, .helmignore, symlinks, limits, and the shared corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"
#include "util.h"
#include "tar_writer.h"

/* ---- scratch directories ---- */

static char scratch[256];

static int setup(void **state)
{
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/cl-test-load-XXXXXX");
    return mkdtemp(scratch) ? 0 : -1;
}

static void rm_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *de;

    if (lstat(path, &st) < 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    /* Test trees are a few levels deep; recursion on our own fixtures is fine here. */
    d = opendir(path);
    while (d && (de = readdir(d))) {
        char sub[4096];
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
        rm_tree(sub);
    }
    if (d)
        closedir(d);
    rmdir(path);
}

static int teardown(void **state)
{
    (void)state;
    rm_tree(scratch);
    return 0;
}

/* Write scratch/rel with text, creating parent directories. */
static void put(const char *rel, const char *text)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", scratch, rel);
    for (char *p = path + strlen(scratch) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *at(const char *rel)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", scratch, rel);
    return path;
}

static const struct cl_load_problem *find_problem(const struct cl_load *ld, const char *needle)
{
    for (size_t i = 0; i < ld->nproblems; i++)
        if (strstr(ld->problems[i].message, needle))
            return &ld->problems[i];
    return NULL;
}

static void dump_problems(const struct cl_load *ld)
{
    for (size_t i = 0; i < ld->nproblems; i++)
        print_message("problem: %s:%u:%u: %s\n", ld->problems[i].pos.file,
                      ld->problems[i].pos.line, ld->problems[i].pos.col,
                      ld->problems[i].message);
}

static const char *chart_v2 =
    "apiVersion: v2\n"
    "name: web\n"
    "version: 1.2.3-rc.1+build.5\n"
    "appVersion: \"2.0\"\n"
    "type: application\n"
    "annotations:\n"
    "  category: demo\n"
    "dependencies:\n"
    "  - name: db\n"
    "    version: 1.x.x\n"
    "    repository: file://charts/db\n"
    "    condition: db.enabled\n"
    "    tags: [backend, storage]\n"
    "    enabled: true\n"
    "    import-values:\n"
    "      - child: exports.data\n"
    "        parent: imported\n"
    "  - name: db\n"
    "    alias: db2\n";

/* ---- tests ---- */

static void test_dir_chart(void **state)
{
    struct cl_load ld;
    const struct cl_chart *c;
    const struct cl_chart_dep *d;

    (void)state;
    put("web/Chart.yaml", chart_v2);
    put("web/values.yaml", "\xef\xbb\xbfreplicas: 1\n");
    put("web/values.schema.json", "{}\n");
    put("web/.helmignore", "# comment\n*.bak\nignored/\n");
    put("web/templates/web.yaml", "kind: Deployment\n");
    put("web/templates/_helpers.tpl", "{{- define \"x\" }}{{ end }}\n");
    put("web/templates/NOTES.txt", "hello\n");
    put("web/templates/sub/svc.yaml", "kind: Service\n");
    put("web/templates/.hidden.yaml", "kind: Secret\n");
    put("web/templates/old.yaml.bak", "x\n");
    put("web/crds/crd.yaml", "kind: CustomResourceDefinition\n");
    put("web/crds/README.txt", "about crds\n");
    put("web/files/app.conf", "k=v\n");
    put("web/ignored/secret.txt", "x\n");
    put("web/charts/db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 0.1.0\n");
    put("web/charts/db/templates/db.yaml", "kind: StatefulSet\n");
    put("web/charts/db/.helmignore", "*.txt\n");
    put("web/charts/db/notes.txt", "db notes\n");
    put("web/charts/_ignored/Chart.yaml", "name: nope\n");
    put("web/charts/db-1.0.0.tgz.prov", "signature\n");

    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("web")), 0);
    dump_problems(&ld);
    assert_int_equal(ld.nproblems, 0);
    c = ld.chart;
    assert_non_null(c);
    assert_string_equal(c->root, at("web"));
    assert_int_equal(c->api, 2);
    assert_string_equal(c->api_version.str, "v2");
    assert_string_equal(c->name.str, "web");
    assert_int_equal(c->name.node->line, 2);
    assert_int_equal(c->name.node->col, 7);
    assert_string_equal(c->version.str, "1.2.3-rc.1+build.5");
    assert_string_equal(c->app_version.str, "2.0");
    assert_int_equal(c->type, CL_CHART_APPLICATION);
    assert_non_null(c->annotations);
    assert_string_equal(cl_node_str(cl_node_get(c->annotations, "category")), "demo");
    assert_non_null(c->meta);

    assert_int_equal(c->ndeps, 2);
    d = &c->deps[0];
    assert_string_equal(d->name.str, "db");
    assert_int_equal(d->name.node->line, 9);
    assert_int_equal(d->name.node->col, 11);
    assert_string_equal(d->version.str, "1.x.x");
    assert_string_equal(d->repository.str, "file://charts/db");
    assert_string_equal(d->condition.str, "db.enabled");
    assert_int_equal(d->ntags, 2);
    assert_string_equal(d->tags[0], "backend");
    assert_string_equal(d->tags[1], "storage");
    assert_true(d->has_enabled);
    assert_true(d->enabled);
    assert_non_null(d->import_values);
    assert_string_equal(cl_node_str(cl_node_at(d->import_values, "[0].child")), "exports.data");
    assert_null(d->alias.str);
    assert_string_equal(c->deps[1].alias.str, "db2");
    assert_ptr_equal(d->chart, c->subcharts[0]);
    assert_ptr_equal(c->deps[1].chart, c->subcharts[0]);
    assert_false(c->deps[1].has_enabled);

    assert_non_null(c->values);
    assert_string_equal(c->values->data, "replicas: 1\n");   /* BOM removed */
    assert_string_equal(c->values->name, "values.yaml");
    assert_non_null(strstr(c->values->path, "web/values.yaml"));
    assert_non_null(c->schema);

    /* templates: sorted; dot files directly under templates/ and *.bak are ignored. */
    assert_int_equal(c->ntemplates, 4);
    assert_string_equal(c->templates[0].name, "templates/NOTES.txt");
    assert_int_equal(c->templates[0].flags, CL_FILE_NOTES);
    assert_string_equal(c->templates[1].name, "templates/_helpers.tpl");
    assert_int_equal(c->templates[1].flags, CL_FILE_PARTIAL);
    assert_string_equal(c->templates[2].name, "templates/sub/svc.yaml");
    assert_string_equal(c->templates[3].name, "templates/web.yaml");
    assert_int_equal(c->templates[3].flags, 0);

    assert_int_equal(c->ncrds, 1);
    assert_string_equal(c->crds[0].name, "crds/crd.yaml");

    /* .Files: everything else, .helmignore itself included, ignored dir excluded. */
    assert_int_equal(c->nfiles, 5);
    assert_string_equal(c->files[0].name, ".helmignore");
    assert_string_equal(c->files[1].name, "charts/db-1.0.0.tgz.prov");
    assert_string_equal(c->files[2].name, "crds/README.txt");
    assert_string_equal(c->files[3].name, "crds/crd.yaml");
    assert_string_equal(c->files[4].name, "files/app.conf");
    assert_non_null(cl_chart_file_find(c, "files/app.conf"));
    assert_non_null(cl_chart_file_find(c, "templates/web.yaml"));
    assert_non_null(cl_chart_file_find(c, "Chart.yaml"));
    assert_null(cl_chart_file_find(c, "ignored/secret.txt"));

    /* The subchart; its own .helmignore does not apply (as in Helm), _ignored skipped. */
    assert_int_equal(c->nsubcharts, 1);
    assert_string_equal(c->subcharts[0]->dir_name, "db");
    assert_string_equal(c->subcharts[0]->name.str, "db");
    assert_ptr_equal(c->subcharts[0]->parent, c);
    assert_int_equal(c->subcharts[0]->depth, 1);
    assert_int_equal(c->subcharts[0]->ntemplates, 1);
    assert_string_equal(c->subcharts[0]->templates[0].name, "templates/db.yaml");
    assert_non_null(strstr(c->subcharts[0]->templates[0].path, "web/charts/db/templates/db.yaml"));
    assert_non_null(cl_chart_file_find(c->subcharts[0], "notes.txt"));
    cl_load_fini(&ld);

    /* The same chart from a file inside it, and from a directory inside it. */
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("web/templates/sub/svc.yaml")), 0);
    assert_string_equal(ld.chart->root, at("web"));
    assert_int_equal(ld.chart->ntemplates, 4);
    cl_load_fini(&ld);
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("web/charts/db/templates")), 0);
    assert_string_equal(ld.chart->name.str, "db");
    assert_null(cl_chart_file_find(ld.chart, "notes.txt"));   /* now its rules apply */
    cl_load_fini(&ld);
}

static void test_v1_requirements(void **state)
{
    struct cl_load ld;
    const struct cl_chart *c;

    (void)state;
    put("old/Chart.yaml", "name: old\nversion: 0.1.0\n");
    put("old/requirements.yaml", "dependencies:\n- name: sub\n  version: ~1.0\n"
        "  repository: https://example.com\n");
    put("old/requirements.lock", "dependencies: []\n");
    put("old/templates/a.yaml", "kind: Pod\n");
    put("old/charts/sub/Chart.yaml", "name: sub\nversion: 1.0.1\n");
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("old")), 0);
    dump_problems(&ld);
    assert_int_equal(ld.nproblems, 0);
    c = ld.chart;
    assert_int_equal(c->api, 1);
    assert_string_equal(c->api_version.str, "v1");
    assert_null(c->api_version.node);
    assert_int_equal(c->ndeps, 1);
    assert_string_equal(c->deps[0].name.str, "sub");
    assert_string_equal(c->deps[0].file, c->requirements->path);
    assert_int_equal(c->deps[0].name.node->line, 2);
    assert_non_null(c->deps[0].chart);
    assert_ptr_equal(c->deps[0].chart, c->subcharts[0]);
    /* v1 keeps requirements.* in .Files, as Helm. */
    assert_non_null(cl_chart_file_find(c, "requirements.yaml"));
    assert_int_equal(c->nfiles, 2);
    cl_load_fini(&ld);

    /* Under v2, requirements.yaml still replaces the dependencies (helm unmarshals it into
     * the metadata), with a problem; it is not in .Files then. */
    put("new/Chart.yaml", "apiVersion: v2\nname: new\nversion: 0.1.0\n"
        "dependencies: [{name: gone}]\n");
    put("new/requirements.yaml", "dependencies:\n- name: sub\n");
    put("new/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 1.0.0\n");
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("new")), 0);
    assert_int_equal(ld.nproblems, 1);
    assert_non_null(find_problem(&ld, "requirements.yaml is deprecated"));
    assert_int_equal(ld.chart->ndeps, 1);
    assert_string_equal(ld.chart->deps[0].name.str, "sub");
    assert_int_equal(ld.chart->nfiles, 0);
    cl_load_fini(&ld);

    /* A Chart.yaml that is not a mapping. */
    put("list/Chart.yaml", "- name: x\n");
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("list")), 0);
    assert_non_null(find_problem(&ld, "Chart.yaml must be a mapping"));
    assert_non_null(find_problem(&ld, "Chart.yaml has no chart \"name\""));
    assert_null(ld.chart->name.str);
    cl_load_fini(&ld);
}

static void test_metadata_problems(void **state)
{
    struct cl_load ld;
    const struct cl_load_problem *p;

    (void)state;
    put("bad/Chart.yaml",
        "apiVersion: v9\n"
        "name: [web]\n"
        "version: one.two\n"
        "type: plugin\n"
        "deprecated: maybe\n"
        "dependencies:\n"
        "  -\n"
        "  - name: a\n"
        "    alias: bad alias!\n"
        "  - name: b\n"
        "    alias: x\n"
        "  - name: c\n"
        "    alias: x\n"
        "    tags: notalist\n");
    put("bad/templates/a.yaml", "kind: Pod\n");
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("bad")), 0);
    assert_non_null(ld.chart);
    assert_int_equal(ld.chart->ntemplates, 1);     /* loading went on */

    p = find_problem(&ld, "unknown apiVersion \"v9\"");
    assert_non_null(p);
    assert_int_equal(p->kind, CL_LOAD_METADATA);
    assert_int_equal(p->pos.line, 1);
    assert_int_equal(p->pos.col, 13);
    assert_non_null(strstr(p->pos.file, "bad/Chart.yaml"));
    p = find_problem(&ld, "field \"name\" must be a string");
    assert_non_null(p);
    assert_int_equal(p->pos.line, 2);
    assert_int_equal(p->pos.col, 7);
    assert_non_null(find_problem(&ld, "Chart.yaml has no chart \"name\""));
    p = find_problem(&ld, "chart version \"one.two\" is not a valid semantic version");
    assert_non_null(p);
    assert_int_equal(p->pos.line, 3);
    p = find_problem(&ld, "chart type \"plugin\" must be");
    assert_non_null(p);
    assert_int_equal(p->pos.line, 4);
    assert_non_null(find_problem(&ld, "field \"deprecated\" must be a boolean"));
    p = find_problem(&ld, "dependencies must not contain empty or null items");
    assert_non_null(p);
    assert_int_equal(p->pos.line, 7);
    p = find_problem(&ld, "disallowed characters in the alias \"bad alias!\"");
    assert_non_null(p);
    assert_int_equal(p->pos.line, 9);
    p = find_problem(&ld, "more than one dependency with name or alias \"x\"");
    assert_non_null(p);
    assert_int_equal(p->pos.line, 12);
    p = find_problem(&ld, "field \"dependencies[3].tags\" must be a list");
    assert_non_null(p);
    assert_int_equal(p->pos.line, 14);
    assert_int_equal(ld.chart->ndeps, 3);
    p = find_problem(&ld, "dependency \"a\" is missing from the charts/ directory");
    assert_non_null(p);
    assert_int_equal(p->kind, CL_LOAD_METADATA);
    assert_int_equal(p->pos.line, 8);
    assert_int_equal(p->pos.col, 11);
    cl_load_fini(&ld);
}

/* Non-string scalars read into string fields as Helm reads them (sigs.k8s.io/yaml). */
static void test_scalar_coercion(void **state)
{
    struct cl_load ld;
    const struct cl_chart *c;
    static const char *want[][2] = {
        { "1.10", "1.1" },   { "1.0", "1" },         { "0x1F", "31" },
        { "yes", "true" },   { "off", "false" },     { "1e7", "1e+07" },
        { "0.0001", "0.0001" }, { "0.00001", "1e-05" }, { "123456.7", "123456.7" },
        { "3.14159265", "3.1415927" }, { "-2.5", "-2.5" }, { "\"1.10\"", "1.10" },
        { ".inf", "+Inf" },  { "1_000", "1000" },    { "100000000", "100000000" },
        { "1234567.0", "1.234567e+06" },
    };
    size_t n = sizeof want / sizeof *want;
    struct cl_buf b;

    (void)state;
    cl_buf_init(&b);
    cl_buf_adds(&b, "apiVersion: v2\nname: co\nversion: 1.0\nappVersion: 1.10\n"
                "dependencies:\n");
    for (size_t i = 0; i < n; i++)
        cl_buf_printf(&b, "- name: d%zu\n  version: %s\n", i, want[i][0]);
    put("co/Chart.yaml", b.data);
    cl_buf_fini(&b);
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("co")), 0);
    /* Only the expected problems: none of the dependencies is in charts/. */
    assert_int_equal(ld.nproblems, n);
    for (size_t i = 0; i < ld.nproblems; i++)
        assert_non_null(strstr(ld.problems[i].message, "is missing from the charts/ directory"));
    c = ld.chart;
    assert_string_equal(c->version.str, "1");
    assert_string_equal(c->app_version.str, "1.1");
    assert_string_equal(cl_node_str(c->app_version.node), "1.10");   /* as written */
    assert_int_equal(c->ndeps, n);
    for (size_t i = 0; i < n; i++) {
        if (!cl_streq(c->deps[i].version.str, want[i][1]))
            fail_msg("version %s read as \"%s\", want \"%s\"", want[i][0],
                     c->deps[i].version.str, want[i][1]);
    }
    cl_load_fini(&ld);
}

/* Keys match ignoring case as in Go's decoders; strings are sanitized as Helm does. */
static void test_field_case_and_sanitize(void **state)
{
    struct cl_load ld;
    const struct cl_chart *c;

    (void)state;
    put("ci/Chart.yaml",
        "APIVersion: v2\n"
        "Name: upper\n"
        "name: lower\n"
        "version: 0.1.0\n"
        "description: \"two\\nlines\\there\\u200b!\"\n"
        "appversion: low\n"
        "appVersion: camel\n");
    put("ci/templates/a.yaml", "kind: Pod\n");
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("ci")), 0);
    dump_problems(&ld);
    assert_int_equal(ld.nproblems, 0);
    c = ld.chart;
    assert_int_equal(c->api, 2);
    assert_string_equal(c->name.str, "lower");          /* "name" sorts after "Name" */
    assert_string_equal(c->app_version.str, "low");     /* "appversion" after "appVersion" */
    assert_string_equal(c->description.str, "two lines here!");
    cl_load_fini(&ld);
}

/* Hostile Chart.yaml shapes: 100000-deep nesting and an alias bomb load in linear
 * time and memory, with problems, never a crash. */
static void test_hostile_chart_yaml(void **state)
{
    struct cl_load ld;
    struct cl_buf b;

    (void)state;
    cl_buf_init(&b);
    cl_buf_adds(&b, "apiVersion: v2\nname: deep\nversion: 1.0.0\nannotations: ");
    for (int i = 0; i < 100000; i++)
        cl_buf_addc(&b, '[');
    for (int i = 0; i < 100000; i++)
        cl_buf_addc(&b, ']');
    cl_buf_addc(&b, '\n');
    put("deep/Chart.yaml", b.data);
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("deep")), 0);
    assert_true(ld.nproblems >= 1);
    cl_load_fini(&ld);

    cl_buf_reset(&b);
    cl_buf_adds(&b, "apiVersion: v2\nname: lol\nversion: 1.0.0\nx0: &a0 [lol, lol]\n");
    for (int i = 1; i < 40; i++)
        cl_buf_printf(&b, "x%d: &a%d [*a%d, *a%d, *a%d, *a%d]\n", i, i, i - 1, i - 1, i - 1,
                      i - 1);
    cl_buf_adds(&b, "keywords: *a39\ndependencies: *a39\n");
    put("lol/Chart.yaml", b.data);
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("lol")), 0);
    assert_string_equal(ld.chart->name.str, "lol");
    /* Four aliases, each a list: not mappings, reported once per item. */
    assert_int_equal(ld.chart->ndeps, 0);
    assert_int_equal(ld.nproblems, 4);
    cl_load_fini(&ld);
    cl_buf_fini(&b);
}

static void test_unparsable_and_missing(void **state)
{
    struct cl_load ld;
    const struct cl_load_problem *p;

    (void)state;
    put("broken/Chart.yaml", "name: broken\nversion: [1.0\n");
    put("broken/templates/a.yaml", "kind: Pod\n");
    put("broken/charts/nochart/templates/x.yaml", "kind: Pod\n");
    put("broken/charts/README.md", "not a chart\n");
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("broken")), 0);
    p = find_problem(&ld, "cannot parse Chart.yaml");
    assert_non_null(p);
    assert_int_equal(p->kind, CL_LOAD_SYNTAX);
    assert_true(p->pos.line >= 2);
    assert_int_equal(ld.chart->ntemplates, 1);
    assert_int_equal(ld.chart->nsubcharts, 0);
    p = find_problem(&ld, "subchart \"nochart\" has no Chart.yaml");
    assert_non_null(p);
    assert_non_null(strstr(p->pos.file, "broken/charts/nochart/Chart.yaml"));
    assert_non_null(find_problem(&ld, "\"charts/README.md\" is neither a chart directory"));
    cl_load_fini(&ld);

    /* A duplicate key: reported where the second one is; the last one wins, as Helm. */
    put("dup/Chart.yaml", "apiVersion: v2\nname: a\nversion: 1.0.0\nname: b\n");
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("dup")), 0);
    assert_int_equal(ld.nproblems, 1);
    assert_int_equal(ld.problems[0].kind, CL_LOAD_DUPLICATE_KEY);
    assert_int_equal(ld.problems[0].pos.line, 4);
    assert_int_equal(ld.problems[0].pos.col, 1);
    assert_string_equal(ld.problems[0].message,
                        "duplicate key \"name\" in Chart.yaml (first at line 2)");
    assert_string_equal(ld.chart->name.str, "b");
    cl_load_fini(&ld);

    /* No chart at all: nothing above scratch has a Chart.yaml. */
    put("lonely/x.yaml", "kind: Pod\n");
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("lonely/x.yaml")), -1);
    assert_null(ld.chart);
    assert_non_null(find_problem(&ld, "no Chart.yaml in"));
    cl_load_fini(&ld);

    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("does/not/exist")), -1);
    assert_non_null(find_problem(&ld, "cannot read: No such file or directory"));
    assert_int_equal(ld.problems[0].kind, CL_LOAD_ENV);
    cl_load_fini(&ld);
}

static void test_symlinks(void **state)
{
    struct cl_load ld;
    const struct cl_load_problem *p;

    (void)state;
    put("outside/secret.txt", "top secret\n");
    put("ln/Chart.yaml", "apiVersion: v2\nname: ln\nversion: 1.0.0\n");
    put("ln/templates/real.yaml", "kind: Pod\n");
    put("ln/shared/common.yaml", "kind: ConfigMap\n");
    assert_int_equal(symlink("../outside/secret.txt", at("ln/leak.txt")), 0);
    assert_int_equal(symlink("../../outside", at("ln/templates/outdir")), 0);
    assert_int_equal(symlink("../shared/common.yaml", at("ln/templates/common.yaml")), 0);
    assert_int_equal(symlink("..", at("ln/shared/loop")), 0);
    assert_int_equal(symlink("nowhere", at("ln/dangling")), 0);
    assert_int_equal(mkfifo(at("ln/templates/pipe"), 0644), 0);   /* must not block */
    put("outside/ignore", "*.yaml\n");
    assert_int_equal(symlink("../outside/ignore", at("ln/.helmignore")), 0);

    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("ln")), 0);
    p = find_problem(&ld, "symbolic link \"leak.txt\" points outside the chart");
    assert_non_null(p);
    assert_int_equal(p->kind, CL_LOAD_CONTENT);
    assert_int_equal(p->pos.line, 1);
    assert_int_equal(p->pos.col, 1);
    assert_non_null(find_problem(&ld, "symbolic link \"templates/outdir\" points outside"));
    assert_non_null(find_problem(&ld, "symbolic link loop at \"shared/loop\""));
    assert_non_null(find_problem(&ld, "symbolic link \"dangling\" cannot be followed"));
    assert_non_null(find_problem(&ld, "symbolic link \".helmignore\" points outside"));
    assert_non_null(find_problem(&ld, "cannot load irregular file \"templates/pipe\""));
    assert_null(cl_chart_file_find(ld.chart, "leak.txt"));
    /* A link inside the chart is followed. */
    assert_int_equal(ld.chart->ntemplates, 2);
    assert_string_equal(ld.chart->templates[0].name, "templates/common.yaml");
    assert_string_equal(ld.chart->templates[0].data, "kind: ConfigMap\n");
    for (size_t i = 0; i < ld.chart->nfiles; i++)
        assert_null(strstr(ld.chart->files[i].data, "top secret"));
    cl_load_fini(&ld);
}

/* Symlinks inside the chart that fan out (each level links twice to the next: 2^19
 * paths) stop at CL_LOAD_MAX_ENTRIES with a problem, quickly. */
static void test_symlink_fanout(void **state)
{
    struct cl_load ld;
    char name[64], target[64];

    (void)state;
    put("fan/Chart.yaml", "apiVersion: v2\nname: fan\nversion: 1.0.0\n");
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "fan/d%d/f.yaml", i);
        put(name, "x: 1\n");
    }
    for (int i = 0; i < 19; i++) {
        snprintf(target, sizeof target, "../d%d", i + 1);
        snprintf(name, sizeof name, "fan/d%d/l1", i);
        assert_int_equal(symlink(target, at(name)), 0);
        snprintf(name, sizeof name, "fan/d%d/l2", i);
        assert_int_equal(symlink(target, at(name)), 0);
    }
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("fan")), 0);
    assert_non_null(find_problem(&ld, "chart has more than 20000 files and directories"));
    assert_true(ld.chart->nfiles < CL_LOAD_MAX_ENTRIES);
    cl_load_fini(&ld);
}

/* The walk opens each entry relative to its open directory, keeping at most a few
 * directories open: a tree deeper than that (every level still has a file to read when
 * its subdirectory is walked) falls back to full paths for the deep ones, reads every
 * file, and leaves no descriptor open. */
static void test_open_directories(void **state)
{
    struct cl_load ld;
    char rel[1024], want[64];
    size_t len = 0;
    int before, after;

    (void)state;
    put("tall/Chart.yaml", "apiVersion: v2\nname: tall\nversion: 1.0.0\n");
    len = (size_t)snprintf(rel, sizeof rel, "tall/templates");
    for (int i = 0; i < 40; i++) {
        char file[1100];

        snprintf(file, sizeof file, "%s/f%02d.yaml", rel, i);
        snprintf(want, sizeof want, "level: %d\n", i);
        put(file, want);
        len += (size_t)snprintf(rel + len, sizeof rel - len, "/d");   /* "d" sorts first */
    }
    before = dup(0);
    close(before);
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("tall")), 0);
    if (ld.nproblems)
        dump_problems(&ld);
    assert_int_equal(ld.nproblems, 0);
    assert_int_equal(ld.chart->ntemplates, 40);
    len = (size_t)snprintf(rel, sizeof rel, "templates");
    for (int i = 0; i < 40; i++) {
        char file[1100];
        const struct cl_chart_file *f;

        snprintf(file, sizeof file, "%s/f%02d.yaml", rel, i);
        snprintf(want, sizeof want, "level: %d\n", i);
        f = cl_chart_file_find(ld.chart, file);
        assert_non_null(f);
        assert_string_equal(f->data, want);
        len += (size_t)snprintf(rel + len, sizeof rel - len, "/d");
    }
    cl_load_fini(&ld);
    after = dup(0);
    close(after);
    assert_int_equal(after, before);
}

/* Directories nested past PATH_MAX: a problem, no crash. */
static void test_deep_directories(void **state)
{
    struct cl_load ld;
    int fd, next;
    char cmd[4200];

    (void)state;
    put("deep/Chart.yaml", "apiVersion: v2\nname: deep\nversion: 1.0.0\n");
    fd = open(at("deep"), O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    for (int i = 0; i < 90; i++) {             /* 90 x 51 bytes > PATH_MAX */
        const char *seg = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        assert_int_equal(mkdirat(fd, seg, 0755), 0);
        next = openat(fd, seg, O_RDONLY | O_DIRECTORY);
        close(fd);
        assert_true(next >= 0);
        fd = next;
    }
    close(fd);
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("deep")), 0);
    assert_non_null(find_problem(&ld, "File name too long"));
    cl_load_fini(&ld);
    /* rm_tree cannot reach that deep with fixed buffers; rm -rf can. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", at("deep"));
    assert_int_equal(system(cmd), 0);
}

static void test_limits(void **state)
{
    struct cl_load ld;
    struct cl_load_limits lim = { 64, 1 << 20 };
    char big[200];

    (void)state;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    put("lim/Chart.yaml", "apiVersion: v2\nname: lim\nversion: 1.0.0\n");
    put("lim/templates/big.yaml", big);
    put("lim/templates/ok.yaml", "kind: Pod\n");
    cl_load_init(&ld, &lim);
    assert_int_equal(cl_load_path(&ld, at("lim")), 0);
    assert_non_null(find_problem(&ld, "file is larger than the maximum file size 64 bytes"));
    assert_int_equal(ld.chart->ntemplates, 1);
    cl_load_fini(&ld);

    lim.max_file = 1 << 20;
    lim.max_total = 60;
    cl_load_init(&ld, &lim);
    cl_load_path(&ld, at("lim"));
    assert_non_null(find_problem(&ld, "chart is larger than the maximum size 60 bytes"));
    cl_load_fini(&ld);
}

/* A packaged chart holding a packaged subchart. */
static struct archive make_nested(void)
{
    struct cl_buf inner, outer;
    struct archive in;

    cl_buf_init(&inner);
    tar_file(&inner, "sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.2.0\n");
    tar_file(&inner, "sub/templates/s.yaml", "kind: Service\n");
    tar_end(&inner);
    in = pack(&inner);

    cl_buf_init(&outer);
    tar_add(&outer, "top/", NULL, '5', NULL, NULL, 0, 0);
    tar_file(&outer, "top/Chart.yaml", "apiVersion: v2\nname: top\nversion: 1.0.0\n");
    tar_file(&outer, "top/templates/t.yaml", "kind: Pod\n");
    tar_file(&outer, "top/.helmignore", "*.yaml\n");       /* not applied to archives */
    tar_add(&outer, "top/charts/sub-0.2.0.tgz", NULL, '0', NULL, (const char *)in.gz, in.len,
            in.len);
    tar_add(&outer, "top/evil", NULL, '2', "/etc/passwd", NULL, 0, 0);
    tar_file(&outer, "stray.txt", "x");
    tar_file(&outer, "top/templates/dup.yaml", "first\n");
    tar_file(&outer, "top/templates/dup.yaml", "second\n");
    tar_end(&outer);
    free(in.gz);
    return pack(&outer);
}

static void test_archive(void **state)
{
    struct cl_load ld;
    struct archive a = make_nested();
    const struct cl_chart *c, *s;
    FILE *f;

    (void)state;
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_archive(&ld, "top-1.0.0.tgz", a.gz, a.len), 0);
    c = ld.chart;
    assert_string_equal(c->root, "top-1.0.0.tgz/top");
    assert_string_equal(c->name.str, "top");
    assert_int_equal(c->ntemplates, 2);
    assert_string_equal(c->templates[0].path, "top-1.0.0.tgz/top/templates/dup.yaml");
    assert_string_equal(c->templates[0].data, "second\n");
    assert_string_equal(c->templates[1].path, "top-1.0.0.tgz/top/templates/t.yaml");
    assert_int_equal(c->nsubcharts, 1);
    s = c->subcharts[0];
    assert_string_equal(s->dir_name, "sub-0.2.0.tgz");
    assert_string_equal(s->name.str, "sub");
    assert_string_equal(s->root, "top-1.0.0.tgz/top/charts/sub-0.2.0.tgz/sub");
    assert_int_equal(s->ntemplates, 1);
    assert_string_equal(s->templates[0].data, "kind: Service\n");
    assert_non_null(find_problem(&ld, "entry \"top/evil\" is a symbolic link"));
    assert_non_null(find_problem(&ld, "entry \"stray.txt\" is outside the chart's top folder"));
    assert_non_null(find_problem(&ld, "entry \"top-1.0.0.tgz/top/templates/dup.yaml\" appears "
                                 "more than once; the last one is used"));
    assert_int_equal(ld.nproblems, 3);
    cl_load_fini(&ld);

    /* From disk by path. */
    f = fopen(at("top-1.0.0.tgz"), "wb");
    assert_non_null(f);
    fwrite(a.gz, 1, a.len, f);
    fclose(f);
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_path(&ld, at("top-1.0.0.tgz")), 0);
    assert_int_equal(ld.chart->nsubcharts, 1);
    cl_load_fini(&ld);
    free(a.gz);

    /* Not an archive at all. */
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_archive(&ld, "x.tgz", "nope", 4), -1);
    assert_non_null(find_problem(&ld, "not a gzip-compressed archive"));
    cl_load_fini(&ld);
}

/* Archives nested beyond CL_LOAD_MAX_DEPTH stop with a problem, not a crash. */
static void test_nesting_limit(void **state)
{
    struct archive cur = { NULL, 0 };
    struct cl_load ld;
    const struct cl_chart *c;
    unsigned depth = 0;

    (void)state;
    for (int level = CL_LOAD_MAX_DEPTH + 3; level >= 0; level--) {
        struct cl_buf b;
        char name[64], chart[128];
        cl_buf_init(&b);
        snprintf(name, sizeof name, "c%d/Chart.yaml", level);
        snprintf(chart, sizeof chart, "apiVersion: v2\nname: c%d\nversion: 1.0.0\n", level);
        tar_file(&b, name, chart);
        if (cur.gz) {
            snprintf(name, sizeof name, "c%d/charts/c%d.tgz", level, level + 1);
            tar_add(&b, name, NULL, '0', NULL, (const char *)cur.gz, cur.len, cur.len);
            free(cur.gz);
        }
        tar_end(&b);
        cur = pack(&b);
    }
    cl_load_init(&ld, NULL);
    assert_int_equal(cl_load_archive(&ld, "deep.tgz", cur.gz, cur.len), 0);
    for (c = ld.chart; c->nsubcharts; c = c->subcharts[0])
        depth++;
    assert_int_equal(depth, CL_LOAD_MAX_DEPTH);
    assert_non_null(find_problem(&ld, "nested deeper than 32 levels"));
    cl_load_fini(&ld);
    free(cur.gz);
}

/* ---- the shared corpus ---- */

static bool has_suffix_(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Count the files under top/rel (iteratively) that the top chart's rules keep. */
static size_t count_files(const char *top, const char *rel, const struct cl_ignore *ig)
{
    char **stack = cl_xmalloc(4096 * sizeof *stack);
    size_t n = 0, count = 0;

    stack[n++] = cl_xstrdup(rel);
    while (n > 0) {
        char *d = stack[--n];
        char full[8192];
        DIR *h;
        struct dirent *de;

        snprintf(full, sizeof full, "%s/%s", top, d);
        h = opendir(full);
        while (h && (de = readdir(h))) {
            char *sub;
            char subfull[8192];
            bool dir;
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            sub = cl_xmalloc(strlen(d) + strlen(de->d_name) + 2);
            sprintf(sub, "%s/%s", d, de->d_name);
            snprintf(subfull, sizeof subfull, "%s/%s", top, sub);
            dir = is_dir(subfull);
            if (cl_ignore_match(ig, sub, dir)) {
                free(sub);
                continue;
            }
            if (dir && n < 4096)
                stack[n++] = sub;
            else {
                count++;
                free(sub);
            }
        }
        if (h)
            closedir(h);
        free(d);
    }
    free(stack);
    return count;
}

static void check_chart_against_disk(const struct cl_chart *c, const char *top,
                                     const struct cl_ignore *ig)
{
    char path[4096];
    DIR *h;
    struct dirent *de;
    size_t nsub = 0;

    /* Only directory charts can be compared with the disk. */
    if (strstr(c->root, ".tgz/"))
        return;
    snprintf(path, sizeof path, "%s/templates", c->root);
    if (is_dir(path)) {
        /* The top chart's .helmignore applies to the whole tree, relative to its root. */
        size_t want = count_files(top, path + strlen(top) + 1, ig);
        if (want != c->ntemplates)
            fail_msg("%s: %zu templates loaded, %zu on disk", c->root, c->ntemplates, want);
    } else {
        assert_int_equal(c->ntemplates, 0);
    }
    snprintf(path, sizeof path, "%s/charts", c->root);
    h = opendir(path);
    while (h && (de = readdir(h))) {
        bool found = false;
        if (de->d_name[0] == '.' || de->d_name[0] == '_' || has_suffix_(de->d_name, ".prov"))
            continue;
        nsub++;
        for (size_t i = 0; i < c->nsubcharts; i++)
            found = found || cl_streq(c->subcharts[i]->dir_name, de->d_name);
        if (!found)
            fail_msg("%s: subchart \"%s\" not loaded", c->root, de->d_name);
    }
    if (h)
        closedir(h);
    assert_int_equal(nsub, c->nsubcharts);
}

static void test_corpus(void **state)
{
    const char *shared = getenv("CL_SHARED_DIR");
    char dir[4096];
    DIR *h;
    struct dirent *de;
    int charts = 0, subcharts = 0, archives = 0;

    (void)state;
    if (shared)
        snprintf(dir, sizeof dir, "%s/corpus/charts", shared);
    if (!shared || !is_dir(dir)) {
        if (cl_streq(getenv("CI"), "true"))
            fail_msg("shared corpus missing (CL_SHARED_DIR) under CI=true");
        print_message("skipped: shared corpus not available (CL_SHARED_DIR)\n");
        skip();
        return;
    }
    h = opendir(dir);
    assert_non_null(h);
    while ((de = readdir(h))) {
        char path[8192], ipath[8300];
        struct cl_load ld;
        struct cl_ignore ig;
        FILE *f;
        const struct cl_chart *todo[256];
        size_t n = 0;

        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        cl_load_init(&ld, NULL);
        if (cl_load_path(&ld, path) != 0 || ld.nproblems) {
            dump_problems(&ld);
            fail_msg("corpus chart %s did not load cleanly", de->d_name);
        }
        charts++;
        assert_non_null(ld.chart->name.str);
        assert_non_null(ld.chart->version.str);
        todo[n++] = ld.chart;
        cl_ignore_init(&ig);
        snprintf(ipath, sizeof ipath, "%s/.helmignore", path);
        if ((f = fopen(ipath, "rb"))) {
            char text[65536];
            size_t len = fread(text, 1, sizeof text, f);
            fclose(f);
            cl_ignore_parse(&ig, text, len, NULL, NULL);
        }
        cl_ignore_add_defaults(&ig);
        while (n > 0) {
            const struct cl_chart *c = todo[--n];
            check_chart_against_disk(c, path, &ig);
            if (strstr(c->root, ".tgz/")) {
                archives++;
                assert_true(c->ntemplates > 0);
            }
            for (size_t i = 0; i < c->nsubcharts && n < 256; i++) {
                todo[n++] = c->subcharts[i];
                subcharts++;
            }
        }
        cl_ignore_fini(&ig);
        cl_load_fini(&ld);
    }
    closedir(h);
    print_message("corpus: %d charts, %d subcharts (%d from archives)\n", charts, subcharts,
                  archives);
    assert_true(charts >= 20);
    assert_true(archives >= 2);
}

/* Split a TSV line in place into up to max fields. */
static int tsv_fields(char *line, char **f, int max)
{
    int n = 0;

    while (n < max) {
        f[n++] = line;
        line = strchr(line, '\t');
        if (!line)
            break;
        *line++ = '\0';
    }
    return n;
}

static const struct cl_chart *sub_by(const struct cl_chart *c, const char *name, bool by_dir)
{
    for (size_t i = 0; i < c->nsubcharts; i++) {
        const struct cl_chart *s = c->subcharts[i];
        if (cl_streq(by_dir ? s->dir_name : s->name.str, name))
            return s;
    }
    return NULL;
}

/* Metadata and template names against what helm itself reported for the corpus:
 * SOURCES.tsv (chart name and version), VENDORED.tsv (subchart versions) and the
 * "# Source:" lines of every golden render (each names a template of the chart tree). */
static void test_corpus_against_helm(void **state)
{
    const char *shared = getenv("CL_SHARED_DIR");
    char path[4096], *sources, *vendored, *cases, *line, *save = NULL;
    int checked_meta = 0, checked_vendored = 0, checked_sources = 0;

    (void)state;
    if (shared)
        snprintf(path, sizeof path, "%s/corpus/SOURCES.tsv", shared);
    if (!shared || !(sources = cl_read_file(path, SIZE_MAX, NULL))) {
        if (cl_streq(getenv("CI"), "true"))
            fail_msg("shared corpus missing (CL_SHARED_DIR) under CI=true");
        print_message("skipped: shared corpus not available (CL_SHARED_DIR)\n");
        skip();
        return;
    }
    for (line = strtok_r(sources, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[8];
        struct cl_load ld;
        if (tsv_fields(line, f, 8) < 6 || strcmp(f[0], "chart") == 0)
            continue;
        snprintf(path, sizeof path, "%s/corpus/charts/%s", shared, f[0]);
        cl_load_init(&ld, NULL);
        assert_int_equal(cl_load_path(&ld, path), 0);
        if (!cl_streq(ld.chart->name.str, f[4]) || !cl_streq(ld.chart->version.str, f[5]))
            fail_msg("%s: loaded %s %s, helm says %s %s", f[0], ld.chart->name.str,
                     ld.chart->version.str, f[4], f[5]);
        checked_meta++;
        cl_load_fini(&ld);
    }
    free(sources);

    snprintf(path, sizeof path, "%s/corpus/VENDORED.tsv", shared);
    vendored = cl_read_file(path, SIZE_MAX, NULL);
    assert_non_null(vendored);
    for (line = strtok_r(vendored, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[8], *chart, *rest, *seg;
        struct cl_load ld;
        const struct cl_chart *c;
        if (tsv_fields(line, f, 8) < 6 || !cl_startswith(f[0], "charts/"))
            continue;
        chart = f[0] + 7;
        rest = strchr(chart, '/');
        if (!rest)
            continue;
        *rest++ = '\0';
        snprintf(path, sizeof path, "%s/corpus/charts/%s", shared, chart);
        cl_load_init(&ld, NULL);
        assert_int_equal(cl_load_path(&ld, path), 0);
        c = ld.chart;
        /* rest is "charts/a/charts/b": walk the directory names. */
        for (seg = strtok(rest, "/"); seg && c; seg = strtok(NULL, "/"))
            if (strcmp(seg, "charts") != 0)
                c = sub_by(c, seg, true);
        if (!c || !cl_streq(c->version.str, f[5]))
            fail_msg("vendored %s: %s, want version %s", f[0],
                     c ? c->version.str : "not loaded", f[5]);
        checked_vendored++;
        cl_load_fini(&ld);
    }
    free(vendored);

    snprintf(path, sizeof path, "%s/corpus/cases.tsv", shared);
    cases = cl_read_file(path, SIZE_MAX, NULL);
    assert_non_null(cases);
    for (line = strtok_r(cases, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[4], *golden, *g, *gsave = NULL;
        struct cl_load ld;
        if (tsv_fields(line, f, 4) < 2 || strcmp(f[0], "case") == 0)
            continue;
        snprintf(path, sizeof path, "%s/corpus/golden/%s.yaml", shared, f[0]);
        golden = cl_read_file(path, SIZE_MAX, NULL);
        if (!golden)
            continue;                  /* failing cases have no output to check */
        snprintf(path, sizeof path, "%s/corpus/charts/%s", shared, f[1]);
        cl_load_init(&ld, NULL);
        assert_int_equal(cl_load_path(&ld, path), 0);
        for (g = strtok_r(golden, "\n", &gsave); g; g = strtok_r(NULL, "\n", &gsave)) {
            const struct cl_chart *c = ld.chart;
            char *src, *slash;
            if (!cl_startswith(g, "# Source: "))
                continue;
            src = g + 10;
            /* "<chart>/charts/<sub>/.../templates/x.yaml", by chart names */
            slash = strchr(src, '/');
            assert_non_null(slash);
            *slash = '\0';
            if (!cl_streq(c->name.str, src))
                fail_msg("%s: source chart \"%s\", loaded \"%s\"", f[0], src, c->name.str);
            src = slash + 1;
            while (c && cl_startswith(src, "charts/")) {
                char *name = src + 7;
                slash = strchr(name, '/');
                assert_non_null(slash);
                *slash = '\0';
                c = sub_by(c, name, false);
                src = slash + 1;
            }
            if (!c || !cl_chart_file_find(c, src))
                fail_msg("%s: template \"%s\" of the golden output was not loaded", f[0], src);
            checked_sources++;
        }
        cl_load_fini(&ld);
        free(golden);
    }
    free(cases);
    print_message("against helm: %d charts' metadata, %d vendored versions, %d sources\n",
                  checked_meta, checked_vendored, checked_sources);
    assert_true(checked_meta >= 20);
    assert_true(checked_vendored >= 10);
    assert_true(checked_sources >= 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dir_chart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_requirements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scalar_coercion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_case_and_sanitize, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_chart_yaml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unparsable_and_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_fanout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_directories, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_directories, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_archive, setup, teardown),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_corpus_against_helm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
