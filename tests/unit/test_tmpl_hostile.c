/* test_tmpl_hostile.c -- mutated templates (bytes replaced, dropped, inserted, repeated;
 * fixed seed) must parse or fail with a Go-style message, and run or fail cleanly within
 * the caps: no crash, no hang, no sanitizer report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "tmpl/tmpl.h"
#include "tmpl/value.h"

static const char *const seeds[] = {
    "{{ and 1 2 }}{{ or 0 .Values.a }}{{ not .Values.list }}",
    "{{ if .Values.a }}x{{ else if .b }}y{{ else }}z{{ end }}",
    "{{ range $i, $e := .Values.list }}{{ $i }}{{ $e }}{{ else }}none{{ end }}",
    "{{ printf \"%5.2f|%-5s|%05d|%x|%q|%v|%T|%#v\" 3.1 \"ab\" 42 \"hi\" 'x' .Values .Values .Values }}",
    "{{- define \"x\" }}{{ . }}{{ template \"x\" . }}{{ end }}{{ template \"x\" 1 }}",
    "{{/* c */}}{{ `raw` }}{{ 0x1p-2 }}{{ 'a' }}{{ 1_000 }}{{ -0 }}",
    "{{ with $x := (print 1 2).a.b }}{{ $x.c }}{{ else with .Values }}{{ . }}{{ end }}",
    "{{ range 10 }}{{ if eq . 5 }}{{ break }}{{ end }}{{ continue }}{{ end }}",
    "{{ index .Values.list 1 }}{{ slice .Values.list 1 2 }}{{ len .Values }}{{ html \"<\" }}"
    "{{ js \"'\" }}{{ urlquery \"a b\" }}",
    "{{ $x := 1 }}{{ $x = 2 }}{{ block \"b\" . }}{{ $ }}{{ end }}{{ lt 1 2 }}{{ le 1.0 2.0 }}"
    "{{ ne \"a\" \"b\" }}{{ call .Values.a }}",
};

static const char alphabet[] = "{}()|$.-\"'`/* \n:=,0123456789abxiep_+";

static void test_mutations(void **state)
{
    struct cl_tmpl_funcs fs;
    unsigned seed = 12345;
    int parsed = 0, failed_parse = 0;

    (void)state;
    cl_tmpl_funcs_init(&fs);
    for (int it = 0; it < 20000; it++) {
        struct cl_arena a;
        struct cl_tmpl_set set;
        char buf[1024];
        const char *s = seeds[rand_r(&seed) % (sizeof seeds / sizeof seeds[0])];
        size_t n = strlen(s);
        int muts = 1 + rand_r(&seed) % 4;
        const char *err = NULL;
        struct cl_value top, v, l;

        memcpy(buf, s, n);
        for (int m = 0; m < muts; m++) {
            int op = rand_r(&seed) % 4;
            size_t pos = n ? (size_t)rand_r(&seed) % n : 0;
            char c = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];

            if (op == 0 && n) {
                buf[pos] = c;
            } else if (op == 1 && n) {
                memmove(buf + pos, buf + pos + 1, n - pos - 1);
                n--;
            } else if (op == 2 && n < 600) {
                memmove(buf + pos + 1, buf + pos, n - pos);
                buf[pos] = c;
                n++;
            } else if (op == 3 && n < 400) {
                size_t k = (size_t)rand_r(&seed) % (n + 1);

                memcpy(buf + n, buf, k);
                n += k;
            }
        }
        cl_arena_init(&a);
        cl_tmpl_set_init(&set, &a, &fs);
        top = cl_v_map(&a);
        v = cl_v_map(&a);
        l = cl_v_list(&a, 0);
        cl_list_push(&a, l.u.list, cl_v_cstr(&a, "x"));
        cl_list_push(&a, l.u.list, cl_v_nil());
        cl_map_set(&a, v.u.map, "list", 4, l);
        cl_map_set(&a, v.u.map, "a", 1, cl_v_float(1));
        cl_map_set(&a, top.u.map, "Values", 6, v);
        if (cl_tmpl_parse(&set, "f", buf, n, &err) == 0) {
            struct cl_tmpl_out out;
            struct cl_tmpl_limits lim = { 1 << 20, 200000, 0, 64 << 20, 0, 0 };

            parsed++;
            cl_tmpl_out_init(&out);
            err = NULL;
            if (cl_tmpl_exec(&set, "f", top, &lim, &out, &err) < 0) {
                assert_non_null(err);
                assert_true(strncmp(err, "template: f", 11) == 0);
            }
            cl_tmpl_out_fini(&out);
        } else {
            failed_parse++;
            assert_non_null(err);
            assert_true(strncmp(err, "template: f:", 12) == 0);
        }
        cl_tmpl_set_fini(&set);
        cl_arena_fini(&a);
    }
    cl_tmpl_funcs_fini(&fs);
    /* the mutations must exercise both paths */
    assert_true(parsed > 1000);
    assert_true(failed_parse > 1000);
}

/* Many definitions and many live variables: parsing stays linear (100000 defines
 * in random order, 50000 variables), and looking variables up is charged to the
 * operation cap. */
static void test_many_names(void **state)
{
    enum { N = 50000 };
    struct cl_tmpl_funcs fs;
    struct cl_arena a;
    struct cl_tmpl_set set;
    struct cl_tmpl_out out;
    struct cl_tmpl_limits lim = { 0, 2000000, 0, 0, 0, 0 };
    char *text = malloc((size_t)N * 40);
    size_t n = 0;
    unsigned seed = 99;
    const char *err = NULL;

    (void)state;
    cl_tmpl_funcs_init(&fs);
    cl_arena_init(&a);
    cl_tmpl_set_init(&set, &a, &fs);
    for (int i = 0; i < N; i++)
        n += (size_t)sprintf(text + n, "{{define \"d%u\"}}x{{end}}", (unsigned)rand_r(&seed));
    assert_int_equal(cl_tmpl_parse(&set, "defs", text, n, &err), 0);
    assert_true(set.n > N / 2);
    for (size_t i = 1; i < set.n; i++)
        assert_true(strcmp(set.v[i - 1]->name, set.v[i]->name) < 0);
    n = 0;
    for (int i = 0; i < N; i++)
        n += (size_t)sprintf(text + n, "{{$v%d := 1}}", i);
    for (int i = 0; i < N; i++)
        n += (size_t)sprintf(text + n, "{{$v0}}");
    assert_int_equal(cl_tmpl_parse(&set, "vars", text, n, &err), 0);
    cl_tmpl_out_init(&out);
    assert_int_equal(cl_tmpl_exec(&set, "vars", cl_v_map(&a), &lim, &out, &err), -1);
    assert_non_null(strstr(err, "exceeded 2000000 operations"));
    cl_tmpl_out_fini(&out);
    cl_tmpl_set_fini(&set);
    cl_arena_fini(&a);
    cl_tmpl_funcs_fini(&fs);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_many_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
