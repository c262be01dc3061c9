/* test_tar.c -- the .tgz reader: formats, hostile names, links, size limits, corruption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "tar.h"
#include "util.h"
#include "tar_writer.h"

/* ---- tests ---- */

static void test_basic(void **state)
{
    struct cl_buf b;
    struct cl_tar_entry e;
    struct archive a;
    struct cl_tar *t;

    (void)state;
    cl_buf_init(&b);
    tar_add(&b, "demo/", NULL, '5', NULL, NULL, 0, 0);
    tar_file(&b, "demo/Chart.yaml", "name: demo\nversion: 0.1.0\n");
    tar_file(&b, "./demo//templates/./x.yaml", "kind: Pod\n");
    tar_file(&b, "demo/empty", "");
    tar_end(&b);
    a = pack(&b);

    t = cl_tar_new(a.gz, a.len, NULL);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_int_equal(e.type, CL_TAR_DIR);
    assert_string_equal(e.name, "demo");
    assert_null(e.problem);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_int_equal(e.type, CL_TAR_FILE);
    assert_string_equal(e.name, "demo/Chart.yaml");
    assert_string_equal(e.data, "name: demo\nversion: 0.1.0\n");
    assert_int_equal(e.len, 26);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "demo/templates/x.yaml");
    assert_string_equal(e.raw_name, "./demo//templates/./x.yaml");
    assert_string_equal(e.data, "kind: Pod\n");
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "demo/empty");
    assert_non_null(e.data);
    assert_int_equal(e.len, 0);
    assert_int_equal(cl_tar_next(t, &e), 0);
    assert_int_equal(cl_tar_next(t, &e), 0);
    assert_null(cl_tar_error(t));
    cl_tar_free(t);
    free(a.gz);
}

static void test_ustar_prefix_and_gnu_longname(void **state)
{
    struct cl_buf b, longname;
    struct cl_tar_entry e;
    struct archive a;
    struct cl_tar *t;

    (void)state;
    cl_buf_init(&b);
    cl_buf_init(&longname);
    cl_buf_adds(&longname, "top/");
    for (int i = 0; i < 40; i++)
        cl_buf_adds(&longname, "abcdefghi/");
    cl_buf_adds(&longname, "file.txt");
    tar_add(&b, "x.yaml", "top/templates", '0', NULL, "a", 1, 1);
    tar_add(&b, "././@LongLink", NULL, 'L', NULL, longname.data, longname.len + 1,
            longname.len + 1);
    tar_add(&b, "truncated-name", NULL, '0', NULL, "b", 1, 1);
    tar_file(&b, "top/after", "c");
    tar_end(&b);
    a = pack(&b);

    t = cl_tar_new(a.gz, a.len, NULL);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "top/templates/x.yaml");
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, longname.data);
    assert_string_equal(e.data, "b");
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "top/after");   /* the long name applied to one entry only */
    assert_int_equal(cl_tar_next(t, &e), 0);
    cl_tar_free(t);
    free(a.gz);
    cl_buf_fini(&longname);
}

static void test_pax_path_and_size(void **state)
{
    struct cl_buf b, pax;
    struct cl_tar_entry e;
    struct archive a;
    struct cl_tar *t;
    const char *rec1 = "path=top/a-very-long-pax-name.yaml\n";
    const char *rec2 = "size=5\n";
    char line[128];

    (void)state;
    cl_buf_init(&b);
    cl_buf_init(&pax);
    snprintf(line, sizeof line, "%zu %s", strlen(rec1) + 3, rec1);
    cl_buf_adds(&pax, line);
    snprintf(line, sizeof line, "%zu %s", strlen(rec2) + 2, rec2);
    cl_buf_adds(&pax, line);
    tar_add(&b, "pax_global_header", NULL, 'g', NULL, "9 a=bcd\n", 8, 8);
    tar_add(&b, "PaxHeaders/x", NULL, 'x', NULL, pax.data, pax.len, pax.len);
    tar_add(&b, "top/short", NULL, '0', NULL, "hello", 5, 0);   /* size from pax */
    tar_file(&b, "top/next", "n");
    tar_end(&b);
    a = pack(&b);

    t = cl_tar_new(a.gz, a.len, NULL);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "top/a-very-long-pax-name.yaml");
    assert_int_equal(e.size, 5);
    assert_string_equal(e.data, "hello");
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "top/next");
    assert_int_equal(cl_tar_next(t, &e), 0);
    cl_tar_free(t);
    free(a.gz);
    cl_buf_fini(&pax);
}

static void test_malformed_pax(void **state)
{
    struct cl_buf b;
    struct cl_tar_entry e;
    struct archive a;
    struct cl_tar *t;

    (void)state;
    cl_buf_init(&b);
    tar_add(&b, "PaxHeaders/x", NULL, 'x', NULL, "99 path=x\n", 10, 10);
    tar_file(&b, "top/x", "x");
    tar_end(&b);
    a = pack(&b);
    t = cl_tar_new(a.gz, a.len, NULL);
    assert_int_equal(cl_tar_next(t, &e), -1);
    assert_string_equal(cl_tar_error(t), "malformed pax header");
    cl_tar_free(t);
    free(a.gz);
}

static void test_refused_names_and_links(void **state)
{
    struct cl_buf b;
    struct cl_tar_entry e;
    struct archive a;
    struct cl_tar *t;

    (void)state;
    cl_buf_init(&b);
    tar_file(&b, "/etc/passwd", "root");
    tar_file(&b, "top/../../escape", "x");
    tar_file(&b, "C:/windows", "x");
    tar_add(&b, "top/link", NULL, '2', "/etc/shadow", NULL, 0, 0);
    tar_add(&b, "top/hard", NULL, '1', "top/ok", NULL, 0, 0);
    tar_add(&b, "top/fifo", NULL, '6', NULL, NULL, 0, 0);
    tar_file(&b, "top\\win\\style.yaml", "w");
    tar_file(&b, "top/ok", "fine");
    tar_end(&b);
    a = pack(&b);

    t = cl_tar_new(a.gz, a.len, NULL);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.problem, "entry \"/etc/passwd\" has an absolute path");
    assert_string_equal(e.name, "");
    assert_null(e.data);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.problem, "entry \"top/../../escape\" refers to a parent directory");
    assert_null(e.data);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.problem, "entry \"C:/windows\" names a drive");
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_int_equal(e.type, CL_TAR_SYMLINK);
    assert_string_equal(e.link, "/etc/shadow");
    assert_string_equal(e.problem, "entry \"top/link\" is a symbolic link to \"/etc/shadow\"");
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_int_equal(e.type, CL_TAR_HARDLINK);
    assert_string_equal(e.problem, "entry \"top/hard\" is a hard link to \"top/ok\"");
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_int_equal(e.type, CL_TAR_OTHER);
    assert_string_equal(e.problem, "entry \"top/fifo\" is not a regular file (type '6')");
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "top/win/style.yaml");
    assert_null(e.problem);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "top/ok");
    assert_string_equal(e.data, "fine");
    assert_int_equal(cl_tar_next(t, &e), 0);
    cl_tar_free(t);
    free(a.gz);
}

static void test_file_limit(void **state)
{
    struct cl_buf b;
    struct cl_tar_entry e;
    struct archive a;
    struct cl_tar *t;
    struct cl_tar_limits lim = { 1000, 1 << 20 };
    char *big = cl_xmalloc(5000);

    (void)state;
    memset(big, 'z', 5000);
    cl_buf_init(&b);
    tar_add(&b, "top/big", NULL, '0', NULL, big, 5000, 5000);
    tar_file(&b, "top/small", "s");
    tar_end(&b);
    a = pack(&b);

    t = cl_tar_new(a.gz, a.len, &lim);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "top/big");
    assert_null(e.data);
    assert_int_equal(e.size, 5000);
    assert_string_equal(e.problem,
                        "file \"top/big\" is larger than the maximum file size 1000 bytes");
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "top/small");
    assert_string_equal(e.data, "s");
    assert_int_equal(cl_tar_next(t, &e), 0);
    cl_tar_free(t);
    free(a.gz);
    free(big);
}

static void test_total_limit_bomb(void **state)
{
    struct cl_buf b;
    struct cl_tar_entry e;
    struct archive a;
    struct cl_tar *t;
    struct cl_tar_limits lim = { 1 << 20, 4 << 20 };
    size_t n = 16 << 20;
    char *zeros = cl_xcalloc(1, n);
    int rc, count = 0;

    (void)state;
    /* 16 MiB of zeros compress to a few KiB: a header claiming 16 MiB, then the data. */
    cl_buf_init(&b);
    tar_add(&b, "top/bomb", NULL, '0', NULL, zeros, n, n);
    tar_end(&b);
    a = pack(&b);
    assert_true(a.len < 100000);

    t = cl_tar_new(a.gz, a.len, &lim);
    while ((rc = cl_tar_next(t, &e)) == 1)
        count++;
    assert_int_equal(rc, -1);
    assert_true(count <= 1);
    assert_string_equal(cl_tar_error(t), "archive inflates to more than 4194304 bytes");
    assert_true(cl_tar_inflated(t) <= (4 << 20) + 65536);
    assert_int_equal(cl_tar_next(t, &e), -1);
    cl_tar_free(t);
    free(a.gz);
    free(zeros);
}

static void test_not_gzip_truncated_corrupt(void **state)
{
    struct cl_buf b;
    struct cl_tar_entry e;
    struct archive a;
    struct cl_tar *t;
    unsigned char junk[] = "name: not-an-archive\n";

    (void)state;
    t = cl_tar_new(junk, sizeof junk - 1, NULL);
    assert_int_equal(cl_tar_next(t, &e), -1);
    assert_string_equal(cl_tar_error(t), "not a gzip-compressed archive");
    cl_tar_free(t);

    t = cl_tar_new(junk, 0, NULL);
    assert_int_equal(cl_tar_next(t, &e), -1);
    cl_tar_free(t);

    cl_buf_init(&b);
    tar_file(&b, "top/a", "aaaa");
    tar_file(&b, "top/b", "bbbb");
    tar_end(&b);
    a = pack(&b);

    /* Truncated compressed stream. */
    t = cl_tar_new(a.gz, a.len / 2, NULL);
    while (cl_tar_next(t, &e) == 1)
        ;
    assert_non_null(cl_tar_error(t));
    assert_non_null(strstr(cl_tar_error(t), "truncated"));
    cl_tar_free(t);

    /* Corrupt deflate data. */
    for (size_t i = 12; i < a.len - 8; i++)
        a.gz[i] ^= 0x5a;
    t = cl_tar_new(a.gz, a.len, NULL);
    while (cl_tar_next(t, &e) == 1)
        ;
    assert_non_null(cl_tar_error(t));
    cl_tar_free(t);
    free(a.gz);
}

static void test_bad_checksum(void **state)
{
    struct cl_buf b;
    struct cl_tar_entry e;
    struct archive a;
    struct cl_tar *t;

    (void)state;
    cl_buf_init(&b);
    tar_file(&b, "top/a", "aaaa");
    tar_end(&b);
    b.data[10] ^= 1;    /* flip a name byte after the checksum was computed */
    a = pack(&b);
    t = cl_tar_new(a.gz, a.len, NULL);
    assert_int_equal(cl_tar_next(t, &e), -1);
    assert_string_equal(cl_tar_error(t), "invalid tar header (bad checksum)");
    cl_tar_free(t);
    free(a.gz);
}

static void test_concatenated_members(void **state)
{
    struct cl_buf b1, b2, all;
    struct cl_tar_entry e;
    struct archive a1, a2;
    struct cl_tar *t;

    (void)state;
    cl_buf_init(&b1);
    cl_buf_init(&b2);
    cl_buf_init(&all);
    tar_file(&b1, "top/one", "1");
    tar_file(&b2, "top/two", "2");
    tar_end(&b2);
    a1 = pack(&b1);
    a2 = pack(&b2);
    cl_buf_add(&all, a1.gz, a1.len);
    cl_buf_add(&all, a2.gz, a2.len);
    t = cl_tar_new(all.data, all.len, NULL);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "top/one");
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_string_equal(e.name, "top/two");
    assert_int_equal(cl_tar_next(t, &e), 0);
    cl_tar_free(t);
    free(a1.gz);
    free(a2.gz);
    cl_buf_fini(&all);
}

static void test_end_without_zero_blocks(void **state)
{
    struct cl_buf b;
    struct cl_tar_entry e;
    struct archive a;
    struct cl_tar *t;

    (void)state;
    cl_buf_init(&b);
    tar_file(&b, "top/a", "a");
    a = pack(&b);
    t = cl_tar_new(a.gz, a.len, NULL);
    assert_int_equal(cl_tar_next(t, &e), 1);
    assert_int_equal(cl_tar_next(t, &e), 0);
    assert_null(cl_tar_error(t));
    cl_tar_free(t);
    free(a.gz);
}

/* Random damage to the tar bytes (then compressed) and to the compressed bytes: every
 * read ends (1..N entries, then 0 or -1) and never crashes. Deterministic seed. */
static void test_mutations(void **state)
{
    struct cl_buf b;
    unsigned char *plain;
    size_t plain_len;
    uint32_t seed = 12345;
    struct cl_tar_limits lim = { 1 << 16, 1 << 20 };

    (void)state;
    cl_buf_init(&b);
    tar_add(&b, "top/", NULL, '5', NULL, NULL, 0, 0);
    tar_file(&b, "top/Chart.yaml", "name: x\nversion: 1.0.0\n");
    tar_add(&b, "PaxHeaders/x", NULL, 'x', NULL, "30 path=top/templates/pax.yaml\n", 30, 30);
    tar_file(&b, "top/templates/y.yaml", "kind: Pod\n");
    tar_add(&b, "././@LongLink", NULL, 'L', NULL, "top/long/name\0", 14, 14);
    tar_file(&b, "short", "z");
    tar_end(&b);
    plain_len = b.len;
    plain = (unsigned char *)cl_buf_take(&b, NULL);

    for (int iter = 0; iter < 3000; iter++) {
        unsigned char *copy = cl_xmalloc(plain_len);
        struct archive a;
        struct cl_tar *t;
        struct cl_tar_entry e;
        int flips = 1 + (int)((seed >> 8) % 8), rc, entries = 0;

        memcpy(copy, plain, plain_len);
        for (int k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 4) % plain_len] = (unsigned char)(seed >> 20);
        }
        a.gz = gz(copy, plain_len, &a.len);
        if (iter % 3 == 2) {                 /* damage the compressed stream instead */
            seed = seed * 1103515245u + 12345u;
            a.gz[10 + (seed >> 4) % (a.len - 10)] ^= (unsigned char)(1 + (seed >> 24) % 255);
        }
        t = cl_tar_new(a.gz, a.len, &lim);
        while ((rc = cl_tar_next(t, &e)) == 1) {
            assert_non_null(e.name);
            if (e.data)
                assert_true(e.len <= lim.max_file);
            entries++;
            assert_true(entries < 1000);
        }
        assert_true(rc == 0 || (rc == -1 && cl_tar_error(t)));
        cl_tar_free(t);
        free(a.gz);
        free(copy);
    }
    free(plain);
}

/* The packaged subchart of the corpus (helm-compressed-deps) when the shared dir is set. */
static void test_corpus_archive(void **state)
{
    const char *shared = getenv("CL_SHARED_DIR");
    char path[4096];
    FILE *f;
    struct cl_buf b;
    struct cl_tar_entry e;
    struct cl_tar *t;
    int files = 0, rc;
    bool chart_yaml = false;

    (void)state;
    if (shared)
        snprintf(path, sizeof path, "%s/corpus/charts/helm-compressed-deps/charts/"
                 "mariadb-4.3.1.tgz", shared);
    if (!shared || !(f = fopen(path, "rb"))) {
        if (cl_streq(getenv("CI"), "true"))
            fail_msg("shared corpus missing (CL_SHARED_DIR) under CI=true");
        print_message("skipped: shared corpus not available (CL_SHARED_DIR)\n");
        skip();
        return;
    }
    cl_buf_init(&b);
    for (;;) {
        char chunk[8192];
        size_t n = fread(chunk, 1, sizeof chunk, f);
        if (n == 0)
            break;
        cl_buf_add(&b, chunk, n);
    }
    fclose(f);
    t = cl_tar_new(b.data, b.len, NULL);
    while ((rc = cl_tar_next(t, &e)) == 1) {
        assert_null(e.problem);
        assert_true(cl_startswith(e.name, "mariadb/"));
        if (e.type == CL_TAR_FILE)
            files++;
        if (cl_streq(e.name, "mariadb/Chart.yaml")) {
            chart_yaml = true;
            assert_int_equal(e.len, 666);
            assert_non_null(strstr(e.data, "name: mariadb"));
        }
    }
    assert_int_equal(rc, 0);
    assert_int_equal(files, 17);
    assert_true(chart_yaml);
    cl_tar_free(t);
    cl_buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_ustar_prefix_and_gnu_longname),
        cmocka_unit_test(test_pax_path_and_size),
        cmocka_unit_test(test_malformed_pax),
        cmocka_unit_test(test_refused_names_and_links),
        cmocka_unit_test(test_file_limit),
        cmocka_unit_test(test_total_limit_bomb),
        cmocka_unit_test(test_not_gzip_truncated_corrupt),
        cmocka_unit_test(test_bad_checksum),
        cmocka_unit_test(test_concatenated_members),
        cmocka_unit_test(test_end_without_zero_blocks),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_corpus_archive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
