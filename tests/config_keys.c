/* config_keys.c -- print the keys the config parser knows, one dotted path a line, for
 * tests/config_schema.py (which compares them with docs/chartlint.schema.json). */
#include <stdio.h>

#include "config.h"
#include "util.h"

int main(void)
{
    struct cl_buf b;

    cl_buf_init(&b);
    cl_config_list_keys(&b);
    fputs(b.data ? b.data : "", stdout);
    cl_buf_fini(&b);
    return fflush(stdout) == 0 ? 0 : 1;
}
