/* replay.c -- a main() for the fuzz targets without libFuzzer: feeds every file named on
 * the command line (directories: every regular file in them, sorted, not recursive) to
 * LLVMFuzzerTestOneInput once. Built with gcc (under ASan+UBSan when
 * CHARTLINT_SANITIZE=ON) as replay_fuzz_NAME, so the seed corpora and crash reproducers
 * run in every build even where clang's libFuzzer is absent. Exit 0 after all inputs,
 * 1 when an input cannot be read, 2 when nothing was given. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    struct cl_buf b;
    char chunk[4096];
    size_t n;

    if (!fp) {
        perror(path);
        return -1;
    }
    cl_buf_init(&b);
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        cl_buf_add(&b, chunk, n);
    fclose(fp);
    /* an exact-size heap copy, so ASan sees reads past the input's end */
    {
        uint8_t *data = cl_xmalloc(b.len ? b.len : 1);

        if (b.len)
            memcpy(data, b.data, b.len);
        LLVMFuzzerTestOneInput(data, b.len);
        free(data);
    }
    cl_buf_fini(&b);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int rc = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        DIR *dir;
        struct dirent *de;
        char **names = NULL;
        size_t n = 0, cap = 0;

        if (stat(argv[i], &st) < 0) {
            perror(argv[i]);
            rc = 1;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i]) < 0)
                rc = 1;
            count++;
            continue;
        }
        if (!(dir = opendir(argv[i]))) {
            perror(argv[i]);
            rc = 1;
            continue;
        }
        while ((de = readdir(dir))) {
            struct cl_buf p;

            if (de->d_name[0] == '.')
                continue;
            cl_buf_init(&p);
            cl_buf_printf(&p, "%s/%s", argv[i], de->d_name);
            if (stat(p.data, &st) == 0 && S_ISREG(st.st_mode)) {
                if (n == cap) {
                    cap = cap ? 2 * cap : 16;
                    names = cl_xrealloc(names, cap * sizeof *names);
                }
                names[n++] = cl_xstrndup(p.data, p.len);
            }
            cl_buf_fini(&p);
        }
        closedir(dir);
        if (n)
            qsort(names, n, sizeof *names, cmp);
        for (size_t j = 0; j < n; j++) {
            if (run_file(names[j]) < 0)
                rc = 1;
            free(names[j]);
            count++;
        }
        free(names);
    }
    printf("%s: %zu inputs replayed\n", argv[0], count);
    return count ? rc : 2;
}
