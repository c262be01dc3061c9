/* finding.c -- stage 6: the stable order of findings. */
#include <stdlib.h>
#include <string.h>

#include "finding.h"

/* Most compared strings are the same pointer (a stream's file name, a check's code). */
static int cmp_str(const char *a, const char *b)
{
    if (a == b)
        return 0;
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_u32(uint32_t a, uint32_t b)
{
    return (a > b) - (a < b);
}

int cl_finding_cmp(const struct cl_finding *a, const struct cl_finding *b)
{
    int c;

    if ((c = cmp_str(a->pos.file, b->pos.file)) != 0)
        return c;
    if ((c = cmp_u32(a->pos.line, b->pos.line)) != 0)
        return c;
    if ((c = cmp_u32(a->pos.col, b->pos.col)) != 0)
        return c;
    if ((c = cmp_str(a->code, b->code)) != 0)
        return c;
    if ((c = cmp_str(a->message, b->message)) != 0)
        return c;
    return cmp_str(a->name, b->name);
}

static int cmp_ptr(const void *a, const void *b)
{
    const struct cl_finding *fa = *(const struct cl_finding *const *)a;
    const struct cl_finding *fb = *(const struct cl_finding *const *)b;
    int c = cl_finding_cmp(fa, fb);

    if (c)
        return c;
    /* Equal keys: keep a total order so the output never depends on qsort. */
    if ((c = cmp_str(fa->kind, fb->kind)) != 0)
        return c;
    if ((c = cmp_str(fa->namespace, fb->namespace)) != 0)
        return c;
    if ((c = cmp_str(fa->container, fb->container)) != 0)
        return c;
    return cmp_str(fa->path, fb->path);
}

void cl_finding_sort(struct cl_finding **v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_ptr);
}
