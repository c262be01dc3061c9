/* test_funcs_semver.c -- semver.c: Masterminds/semver v3 parsing, ordering, constraint
 * tables and the *semver.Version object. */
#include "funcs_render.h"

static void add_families(struct cl_tmpl_funcs *fs)
{
    cl_funcs_add_semver(fs);
}

static void test_version(void **state)
{
    (void)state;
    assert_render("{{ semver \"v1.2\" }}", "1.2.0");
    assert_render("{{ $v := semver \"1.2.3-alpha.1+build.5\" }}{{ $v.Major }}|{{ $v.Minor }}|"
                  "{{ $v.Patch }}|{{ $v.Prerelease }}|{{ $v.Metadata }}|{{ $v.Original }}",
                  "1|2|3|alpha.1|build.5|1.2.3-alpha.1+build.5");
    assert_render("{{ semver \"01.2.3\" }}", "1.2.3");
    assert_render("{{ printf \"%v|%s|%q\" (semver \"2\") (semver \"2\") (semver \"2\") }}",
                  "2.0.0|2.0.0|\"2.0.0\"");
    assert_render("{{ (semver \"v1.2.3\").IncMinor.Original }} {{ (semver \"1.2.3-rc\").IncPatch }}",
                  "v1.3.0 1.2.3");
    assert_render_err("{{ semver \"1.2.3-01\" }}",
                      "error calling semver: version segment starts with 0");
    assert_render_err("{{ semver \"1.2.3.4\" }}", "error calling semver: invalid semantic version");
    assert_render_err("{{ semver \"1.2.3+a..b\" }}", "invalid semantic version");
    assert_render_err("{{ semver \"99999999999999999999.0.0\" }}",
                      "error calling semver: error parsing version segment: strconv.ParseUint: "
                      "parsing \"99999999999999999999\": value out of range");
}

static void test_ordering(void **state)
{
    (void)state;
    assert_render("{{ semver \"1.4.3\" | (semver \"1.2.3\").Compare }}", "-1");
    assert_render("{{ (semver \"1.2.3-beta.2\").Compare (semver \"1.2.3-beta.11\") }}", "-1");
    assert_render("{{ (semver \"1.2.3-alpha\").Compare (semver \"1.2.3-alpha.1\") }}", "-1");
    assert_render("{{ (semver \"1.2.3-alpha.beta\").Compare (semver \"1.2.3-alpha.1\") }}", "1");
    assert_render("{{ (semver \"1.2.3\").Compare (semver \"1.2.3-rc.1\") }}", "1");
    assert_render("{{ (semver \"1.2.3+a\").Equal (semver \"1.2.3+b\") }}", "true");
    assert_render_err("{{ (semver \"1.2.3\").Compare \"1.2.3\" }}",
                      "expected *semver.Version; got string");
}

static void test_constraints(void **state)
{
    static const struct { const char *c, *v; bool want; } table[] = {
        { "^1.2.3", "1.8.9", true }, { "^1.2.3", "2.0.0", false },
        { "^1.2.3", "1.2.2", false }, { "^0.2.3", "0.2.9", true },
        { "^0.2.3", "0.3.0", false }, { "^0.0.3", "0.0.4", false },
        { "^0.0.3", "0.0.3", true }, { "^1.x", "1.9.0", true },
        { "~1.2.3", "1.2.9", true }, { "~1.2.3", "1.3.0", false },
        { "~1", "1.9.0", true }, { "~1.2.0", "1.3.0", false },
        { "1.x", "1.4.0", true }, { "1.x", "2.0.0", false },
        { "*", "5.0.0", true }, { "*", "1.0.0-alpha", false },
        { ">=1.2 <2", "1.9.9", true }, { ">=1.2, <2", "2.0.0", false },
        { "!=1.2.3", "1.2.3", false }, { "!=1.2.3", "1.2.4", true },
        { "!=1.2.x", "1.2.5", false }, { "!=1.2.x", "1.3.0", true },
        { "<=1.2.x", "1.2.9", true }, { "<=1.2.x", "1.3.0", false },
        { ">1.2.x", "1.2.9", false }, { ">1.2.x", "1.3.0", true },
        { "=1.2.3", "1.2.3+build", true }, { "1.2.3", "1.2.4", false },
        { ">1.0.0-alpha", "1.0.0-beta", true }, { "<1.0.0", "1.0.0-alpha", false },
        { ">=1.20.0", "1.21.0-gke.100", false }, { ">=1.20.0-0", "1.21.0-gke.100", true },
        { "<1.21.0", "1.21.0-rc.1", false },
        { "1.2.3 - 2.0.0", "2.0.0", true }, { "1.2.3 - 2.0.0", "2.0.1", false },
        { "1.2.3 - 1.4.5", "1.4.0", true }, { ">1.0 || <0.5", "0.4.0", true },
        { ">1.0 || <0.5", "0.7.0", false }, { "=> 1.0", "1.0.0", true },
        { "=<1.0", "1.0.5", true }, { "~>1.2", "1.2.7", true },
    };
    char text[256], want[8];

    (void)state;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        snprintf(text, sizeof text, "{{ semverCompare \"%s\" \"%s\" }}", table[i].c, table[i].v);
        snprintf(want, sizeof want, "%s", table[i].want ? "true" : "false");
        assert_render(text, want);
    }
    assert_render_err("{{ semverCompare \"bogus\" \"1.0.0\" }}",
                      "error calling semverCompare: improper constraint: bogus");
    assert_render_err("{{ semverCompare \">=1.0\" \"abc\" }}",
                      "error calling semverCompare: invalid semantic version");
    assert_render_err("{{ semverCompare \">=1.0.0\" \" 1.0.0\" }}", "invalid semantic version");
    assert_render_err("{{ semverCompare \">=1 || bad\" \"1.0.0\" }}", "improper constraint:  bad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_ordering),
        cmocka_unit_test(test_constraints),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
