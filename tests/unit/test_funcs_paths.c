/* test_funcs_paths.c -- Sprig path functions: Go's path.Base/Dir/Clean/Ext/IsAbs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs_harness.h"
#include "funcs/sprig.h"

static void test_paths(void **state)
{
    (void)state;
    EQ("{{ base \"/a/b.txt\" }}|{{ base \"a/\" }}|{{ base \"\" }}|{{ base \"///\" }}", "b.txt|a|.|/");
    EQ("{{ dir \"/a/b/c\" }}|{{ dir \"a\" }}|{{ dir \"/\" }}|{{ dir \"a/b/\" }}", "/a/b|.|/|a/b");
    EQ("{{ clean \"a//b/./c/..\" }}|{{ clean \"/../x\" }}|{{ clean \"../../x/..\" }}|{{ clean \"\" }}",
       "a/b|/x|../..|.");
    EQ("{{ clean \"a/../..\" }}|{{ clean \"/a/b/../../..\" }}|{{ clean \"./\" }}", "..|/|.");
    EQ("{{ ext \"a/b.tar.gz\" }}|{{ ext \"a.d/b\" }}|{{ isAbs \"/x\" }}|{{ isAbs \"x\" }}",
       ".gz||true|false");
    EQ("{{ osBase \"/a/b\" }}|{{ osDir \"/a/b\" }}|{{ osClean \"a/./b\" }}|{{ osExt \"x.y\" }}|{{ osIsAbs \"/\" }}",
       "b|/a|a/b|.y|true");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
    };

    return cmocka_run_group_tests(tests, h_setup, h_teardown);
}
