/* fyparse.c -- the benchmark baseline: a bare libfyaml event-parse loop over one file.
 *
 * Reads FILE into memory (as chartlint does), runs fy_parser_parse() over every event of
 * the stream and frees each one, doing nothing else. Prints the event and document counts
 * so the work cannot be optimised away. With --text it also asks libfyaml for the text
 * of every scalar (fy_token_get_text), the least any linter must do on top: the bench
 * reports it as a second, informational baseline. Exit 0 on success, 1 on a parse error
 * (message on stderr), 2 on usage or I/O errors.
 *
 * Build: cc -O2 -o fyparse fyparse.c $(pkg-config --cflags --libs libfyaml) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

/* Read a whole file into a heap buffer the caller frees; NULL with errno set on failure. */
static char *slurp(const char *path, size_t *lenp)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (!fp)
        return NULL;
    for (;;) {
        if (cap - len < 65536) {
            char *p;
            cap = cap ? cap * 2 : 1 << 20;
            p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(fp);
                errno = ENOMEM;
                return NULL;
            }
            buf = p;
        }
        n = fread(buf + len, 1, cap - len, fp);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(fp)) {
        free(buf);
        fclose(fp);
        errno = EIO;
        return NULL;
    }
    fclose(fp);
    *lenp = len;
    return buf;
}

int main(int argc, char **argv)
{
    struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG };
    struct fy_parser *fyp;
    struct fy_event *fye;
    unsigned long events = 0, docs = 0;
    size_t len = 0, text = 0, n;
    const char *path = argc == 3 ? argv[2] : argv[1];
    int want_text = argc == 3 && strcmp(argv[1], "--text") == 0;
    char *buf;
    int rc = 0;

    if (argc != 2 && !want_text) {
        fprintf(stderr, "usage: fyparse [--text] FILE\n");
        return 2;
    }
    buf = slurp(path, &len);
    if (!buf) {
        fprintf(stderr, "fyparse: %s: %s\n", path, strerror(errno));
        return 2;
    }
    fyp = fy_parser_create(&cfg);
    if (!fyp || fy_parser_set_string(fyp, buf, len) != 0) {
        fprintf(stderr, "fyparse: cannot create the parser\n");
        free(buf);
        return 2;
    }
    while ((fye = fy_parser_parse(fyp)) != NULL) {
        events++;
        if (fye->type == FYET_DOCUMENT_START)
            docs++;
        else if (want_text && fye->type == FYET_SCALAR &&
                 fy_token_get_text(fye->scalar.value, &n) != NULL)
            text += n;
        fy_parser_event_free(fyp, fye);
    }
    if (fy_parser_get_stream_error(fyp)) {
        fprintf(stderr, "fyparse: %s: parse error after %lu events\n", path, events);
        rc = 1;
    }
    printf("%lu events, %lu documents, %zu bytes", events, docs, len);
    if (want_text)
        printf(", %zu bytes of scalar text", text);
    printf("\n");
    fy_parser_destroy(fyp);
    free(buf);
    return rc;
}
