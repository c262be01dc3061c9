/* walk_files.h -- every file below a directory whose name ends in one of some suffixes,
 * read whole and handed to a callback: the corpus-wide unit tests (test_values' thinning
 * and quick-path checks, test_parse's quick-stream check). Header-only (a static
 * function), like parse_dump.h; include it after cmocka.h. */
#ifndef CL_TEST_WALK_FILES_H
#define CL_TEST_WALK_FILES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

typedef void walk_file_fn(const char *path, const char *text, size_t len, void *ctx);

/* Calls fn(path, text, len, ctx) for every regular file below root (or root itself) of
 * less than 16 MiB whose name ends in one of exts (NULL-terminated), and returns how
 * many. A file that cannot be read fails the test. */
static size_t walk_files(const char *root, const char *const *exts, walk_file_fn *fn,
                         void *ctx)
{
    char **stack = cl_xmalloc(64 * sizeof *stack);
    size_t n = 0, cap = 64, files = 0;

    stack[n++] = cl_xstrdup(root);
    while (n) {
        char *path = stack[--n];
        size_t pl = strlen(path);
        struct stat st;

        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            size_t k = 0;
            char **names = cl_list_dir(path, &k);

            for (size_t i = 0; names && i < k; i++) {
                if (n == cap)
                    stack = cl_xrealloc(stack, (cap *= 2) * sizeof *stack);
                stack[n] = cl_xmalloc(pl + strlen(names[i]) + 2);
                sprintf(stack[n++], "%s/%s", path, names[i]);
            }
            cl_free_names(names, k);
        } else if (S_ISREG(st.st_mode) && st.st_size < (1 << 24)) {
            for (size_t e = 0; exts[e]; e++) {
                size_t el = strlen(exts[e]);

                if (pl > el && strcmp(path + pl - el, exts[e]) == 0) {
                    size_t len = 0;
                    char *text = cl_read_file(path, SIZE_MAX, &len);

                    if (!text)
                        fail_msg("cannot read %s", path);
                    fn(path, text, len, ctx);
                    free(text);
                    files++;
                    break;
                }
            }
        }
        free(path);
    }
    free(stack);
    return files;
}

#endif
