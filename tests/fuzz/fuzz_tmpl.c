/* fuzz_tmpl.c -- libFuzzer target for the template lexer and parser (src/tmpl): the input
 * is lexed to the end (with comments emitted), then parsed as a template file into a
 * set; every node of a parsed tree is printed back with cl_tnode_string.
 * Seeds: testdata/fuzz/fuzz_tmpl/. Build: see docs/fuzzing.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/lex.h"
#include "tmpl/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cl_tmpl_funcs funcs;
    static int ready;
    struct cl_arena a;
    struct cl_lexer lx;
    struct cl_tmpl_set set;
    struct cl_token tok;
    const char *err = NULL;

    if (!ready) {
        cl_tmpl_funcs_init(&funcs);
        ready = 1;
    }
    cl_arena_init(&a);
    cl_lex_init(&lx, &a, (const char *)data, size);
    lx.emit_comments = true;
    do {
        tok = cl_lex_next(&lx);
        if (tok.type != CL_TOK_ERROR && tok.pos > size)
            abort();
    } while (tok.type != CL_TOK_EOF && tok.type != CL_TOK_ERROR);

    cl_tmpl_set_init(&set, &a, &funcs);
    if (cl_tmpl_parse(&set, "f", (const char *)data, size, &err) == 0) {
        for (size_t i = 0; i < set.n; i++)
            if (set.v[i]->root)
                cl_tnode_string(&a, set.v[i]->root);
    } else if (!err || strncmp(err, "template: ", 10) != 0) {
        abort();
    }
    cl_tmpl_set_fini(&set);
    cl_arena_fini(&a);
    return 0;
}
