/* test_funcs_dates.c -- dates.c: Go layouts, parsing errors, zones, durations, with a
 * fixed clock (2021-01-01T00:00:00.5Z) and TZ=UTC as helm's conformance run had. */
#include "funcs_render.h"

static void add_families(struct cl_tmpl_funcs *fs)
{
    cl_funcs_add_dates(fs);
}

static void test_format(void **state)
{
    (void)state;
    assert_render("{{ now }}", "2021-01-01 00:00:00.5 +0000 UTC m=+0.000000000");
    assert_render("{{ now | date \"2006-01-02T15:04:05Z07:00\" }}", "2021-01-01T00:00:00Z");
    assert_render("{{ date \"Mon Jan _2 3:04PM MST\" 1609459200 }}", "Fri Jan  1 12:00AM UTC");
    assert_render("{{ date \"Monday January 2 2006 002 __2 .000 .999 ,9 -07 -0700 Z0700\" now }}",
                  "Friday January 1 2021 001   1 .500 .5 ,5 +00 +0000 Z");
    assert_render("{{ date \"Mon Jan 2 15:04:05.000 -07:00 Z07:00 PM pm\" "
                  "(toDate \"2006-01-02 15:04\" \"2021-03-04 13:05\") }}",
                  "Thu Mar 4 13:05:00.000 +00:00 Z PM pm");
    assert_render("{{ dateInZone \"15:04 MST -07:00\" (toDate \"2006-01-02 15:04\" \"2021-07-01 12:00\")"
                  " \"Europe/London\" }}", "13:00 BST +01:00");
    assert_render("{{ dateInZone \"2006-01-02 15:04 MST\" 1609459200 \"Bogus/Zone\" }}",
                  "2021-01-01 00:00 UTC");
    assert_render("{{ htmlDate 1609459200 }} {{ htmlDateInZone 1609459200 \"America/Los_Angeles\" }}",
                  "2021-01-01 2020-12-31");
    /* values numbers are float64, which date does not take: it formats now */
    assert_render("{{ date \"2006\" 1.5e9 }}", "2021");
    assert_render("{{ (toDate \"2006-01-02\" \"2021-03-04\").Unix }}", "1614816000");
}

static void test_parse(void **state)
{
    (void)state;
    assert_render("{{ toDate \"2006-01-02\" \"2021-03-04\" }}", "2021-03-04 00:00:00 +0000 UTC");
    assert_render("{{ toDate \"2006-01-02\" \"2021-13-04\" }}", "0001-01-01 00:00:00 +0000 UTC");
    assert_render("{{ toDate \"02 Jan 06 15:04 MST\" \"04 Mar 21 10:00 PST\" }}",
                  "2021-03-04 10:00:00 +0000 PST");
    assert_render("{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2021-03-04T10:00:00+02:00\" }}",
                  "2021-03-04 10:00:00 +0200 +0200");
    assert_render("{{ toDate \"2006-01-02 15:04:05\" \"2021-03-04 10:00:00.25\" }}",
                  "2021-03-04 10:00:00.25 +0000 UTC");
    assert_render_err("{{ mustToDate \"2006-01-02\" \"2021-02-29\" }}",
                      "error calling mustToDate: parsing time \"2021-02-29\": day out of range");
    assert_render_err("{{ mustToDate \"2006-01-02\" \"2021-13-01\" }}",
                      "parsing time \"2021-13-01\": month out of range");
    /* each numeric field's range, at its bound and one past it */
    assert_render("{{ toDate \"01/02 15:04:05 2006\" \"12/31 23:59:59 2021\" | date "
                  "\"2006-01-02T15:04:05\" }}", "2021-12-31T23:59:59");
    assert_render_err("{{ mustToDate \"2006-01-02\" \"2021-00-01\" }}",
                      "parsing time \"2021-00-01\": month out of range");
    assert_render_err("{{ mustToDate \"2006-01-02\" \"2021-01-32\" }}",
                      "parsing time \"2021-01-32\": day out of range");
    assert_render_err("{{ mustToDate \"15:04\" \"24:00\" }}",
                      "parsing time \"24:00\": hour out of range");
    assert_render_err("{{ mustToDate \"3:04PM\" \"13:00PM\" }}",
                      "parsing time \"13:00PM\": hour out of range");
    assert_render_err("{{ mustToDate \"15:04\" \"10:60\" }}",
                      "parsing time \"10:60\": minute out of range");
    assert_render_err("{{ mustToDate \"15:04:05\" \"10:00:60\" }}",
                      "parsing time \"10:00:60\": second out of range");
    assert_render_err("{{ mustToDate \"2006 002\" \"2021 367\" }}",
                      "parsing time \"2021 367\": day-of-year out of range");
    assert_render_err("{{ mustToDate \"2006-01-02\" \"x\" }}",
                      "parsing time \"x\" as \"2006-01-02\": cannot parse \"x\" as \"2006\"");
    assert_render_err("{{ mustToDate \"2006\" \"2021x\" }}",
                      "parsing time \"2021x\": extra text: \"x\"");
    assert_render_err("{{ unixEpoch 1609459200 }}",
                      "can't handle 1609459200 for arg of type time.Time");
    assert_render("{{ unixEpoch (toDate \"2006-01-02\" \"2021-03-04\") }}", "1614816000");
}

static void test_durations(void **state)
{
    (void)state;
    assert_render("{{ toDate \"2006-01-02\" \"2021-03-04\" | dateModify \"1d\" | date \"2006-01-02 15:04\" }}",
                  "2021-03-04 00:00");
    assert_render("{{ toDate \"2006-01-02\" \"2021-03-04\" | dateModify \"-1.5h\" | date \"2006-01-02 15:04\" }}",
                  "2021-03-03 22:30");
    assert_render_err("{{ toDate \"2006-01-02\" \"2021-03-04\" | mustDateModify \"1d\" }}",
                      "error calling mustDateModify: time: unknown unit \"d\" in duration \"1d\"");
    assert_render_err("{{ now | mustDateModify \"1\" }}", "time: missing unit in duration \"1\"");
    assert_render_err("{{ now | mustDateModify \"x\" }}", "time: invalid duration \"x\"");
    assert_render("{{ duration 95 }} {{ duration \"95\" }} {{ duration \"3600\" }}", "0s 1m35s 1h0m0s");
    assert_render("{{ durationRound \"2h10m5s\" }} {{ durationRound \"-90m\" }}", "2h 1h");
    assert_render("{{ durationRound \"3600s\" }} {{ durationRound \"24h\" }}", "60m 24h");
    assert_render("{{ durationRound \"800h\" }} {{ durationRound \"8760h\" }} {{ durationRound \"8761h\" }}",
                  "1mo 12mo 1y");
    assert_render("{{ ago \"not a time\" }}", "0s");
    assert_render("{{ ago 1609455600 }}", "1h0m1s");
    assert_render("{{ toDate \"2006-01-02\" \"2020-12-31\" | ago }}", "24h0m1s");
}

static int setup(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    cl_funcs_set_clock(1609459200, 500000000);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_durations),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
