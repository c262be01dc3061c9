/* template.c -- `chartlint template`: a chart rendered and printed as `helm template` does.
 *
 * Unlike helm, a failing template does not stop the others: everything that rendered is
 * printed, then the failure helm would have reported first goes to stderr in helm's
 * words, and the exit status is 1. */
#include <stdio.h>
#include <string.h>

#include "chartlint.h"
#include "funcs/funcs.h"
#include "load.h"
#include "render.h"
#include "util.h"

static void fill_opts(struct cl_render_opts *ro, const struct cl_options *opts)
{
    memset(ro, 0, sizeof *ro);
    ro->release_name = opts->render.release_name;
    ro->namespace = opts->namespace;
    ro->kube_version = opts->render.kube_version;
    ro->random_seed = opts->render.random_seed;
    ro->now = opts->render.now;
    ro->api_versions = opts->render.api_versions;
    ro->values_files = opts->render.values_files;
    ro->set = opts->render.set;
    ro->set_string = opts->render.set_string;
    ro->set_json = opts->render.set_json;
    ro->set_file = opts->render.set_file;
    ro->set_literal = opts->render.set_literal;
}

enum cl_exit cl_template(const char *path, const struct cl_options *opts, FILE *out, FILE *err)
{
    struct cl_load ld;
    struct cl_render r;
    struct cl_render_opts ro;
    struct cl_buf b;
    enum cl_exit code = CL_EXIT_OK;
    size_t missing = 0;

    cl_load_init(&ld, NULL);
    if (cl_load_path(&ld, path) < 0 || !ld.chart) {
        const char *why = ld.nproblems ? ld.problems[0].message : "no Chart.yaml found";

        cl_put_escapedf(err, "Error: %s: %s", path, why);
        cl_load_fini(&ld);
        return CL_EXIT_USAGE;
    }
    fill_opts(&ro, opts);
    cl_funcs_fresh_keys();          /* this output may be deployed: no stock keys */
    cl_render_init(&r);
    cl_render_chart(&r, ld.chart, &ro);
    cl_buf_init(&b);
    cl_render_write(&r, ld.chart, &b, opts->render.show_only, opts->render.include_crds);
    if (b.len)
        fwrite(b.data, 1, b.len, out);
    /* --show-only names that match no template are an error, as in helm */
    for (size_t i = 0; opts->render.show_only && opts->render.show_only[i]; i++) {
        const char *only[2] = { opts->render.show_only[i], NULL };
        struct cl_buf one;

        cl_buf_init(&one);
        if (!cl_render_write(&r, NULL, &one, only, false)) {
            if (!r.nerrors && !missing++)
                cl_put_escapedf(err, "Error: could not find template %s in chart", only[0]);
        }
        cl_buf_fini(&one);
    }
    if (r.nerrors && (r.errors[0].kind == CL_RENDER_ERR_SCHEMA ||
                      r.errors[0].kind == CL_RENDER_ERR_OPTION)) {
        /* before rendering: the message alone, no --debug hint */
        fprintf(err, "Error: %s\n", r.errors[0].helm);
        code = CL_EXIT_FINDINGS;
    } else if (r.nerrors) {
        fprintf(err, "Error: %s\n\nUse --debug flag to render out invalid YAML\n",
                r.errors[0].helm);
        code = CL_EXIT_FINDINGS;
    } else if (missing) {
        code = CL_EXIT_FINDINGS;
    }
    cl_buf_fini(&b);
    cl_render_fini(&r);
    cl_load_fini(&ld);
    return code;
}
