/* funcs_render.h -- test helper for the Sprig function families: render one template
 * text with the Go builtins plus the families under test, and compare. Header-only, for
 * tests/unit/test_funcs_*.c. */
#ifndef CL_TEST_FUNCS_RENDER_H
#define CL_TEST_FUNCS_RENDER_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "funcs/funcs.h"
#include "tmpl/tmpl.h"

/* Defined by each test file: registers the families it tests. */
static void add_families(struct cl_tmpl_funcs *fs);

/* Render text; returns heap output, or heap "ERR: <message>" when parse or exec fails. */
static char *render(const char *text)
{
    struct cl_arena a;
    struct cl_tmpl_funcs funcs;
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    const char *err = NULL;
    char *r;

    cl_arena_init(&a);
    cl_tmpl_funcs_init(&funcs);
    add_families(&funcs);
    cl_tmpl_set_init(&set, &a, &funcs);
    cl_tmpl_out_init(&out);
    if (cl_tmpl_parse(&set, "t", text, strlen(text), &err) < 0
        || cl_tmpl_exec(&set, "t", cl_v_map(&a), NULL, &out, &err) < 0) {
        size_t n = strlen(err) + 6;

        r = malloc(n);
        snprintf(r, n, "ERR: %s", err);
    } else {
        r = strndup(out.buf.data ? out.buf.data : "", out.buf.len);
    }
    cl_tmpl_out_fini(&out);
    cl_tmpl_set_fini(&set);
    cl_tmpl_funcs_fini(&funcs);
    cl_arena_fini(&a);
    return r;
}

/* The output of text must be want exactly. */
#define assert_render(text, want)                                                  \
    do {                                                                           \
        char *got_ = render(text);                                                 \
        if (strcmp(got_, (want)) != 0)                                             \
            fail_msg("%s\n  want: %s\n  got:  %s", (text), (want), got_);          \
        free(got_);                                                                \
    } while (0)

/* Rendering text must fail with a message containing want. */
#define assert_render_err(text, want)                                              \
    do {                                                                           \
        char *got_ = render(text);                                                 \
        if (strncmp(got_, "ERR: ", 5) != 0 || !strstr(got_, (want)))               \
            fail_msg("%s\n  want error: %s\n  got:  %s", (text), (want), got_);    \
        free(got_);                                                                \
    } while (0)

#endif
