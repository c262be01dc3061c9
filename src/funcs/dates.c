/* dates.c -- Sprig's date functions with Go's time package semantics: now, date,
 * dateInZone, htmlDate, htmlDateInZone, toDate, mustToDate, dateModify, mustDateModify,
 * unixEpoch, ago, duration, durationRound.
 *
 * A time.Time is a struct value (type "time.Time", printed as Go's Time.String()) whose
 * instant lives in the ud of its Unix method, like semver.c's versions. Layouts are Go's
 * reference time ("2006-01-02 15:04:05.000 -0700 MST"): formatting and parsing follow
 * time/format.go's chunks. Zones come from the system tz database through the C
 * library (TZ switched around localtime_r); "Local" is the process's zone, as in Go.
 *
 * The clock is the system's unless cl_funcs_set_clock() fixed it (reproducible
 * output, tests); `now` then also reports a zero monotonic reading. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "funcs/funcs.h"

struct gotime {
    int64_t sec;                   /* Unix seconds */
    int32_t nsec;
    int32_t off;                   /* seconds east of UTC */
    const char *abbr;              /* zone abbreviation; "" prints the numeric offset */
    bool mono;                     /* has a monotonic reading (time.Now) */
    int64_t mono_ns;
};

static bool clock_fixed;
static int64_t fixed_sec;
static int32_t fixed_nsec;

void cl_funcs_set_clock(int64_t unix_sec, int32_t nsec)
{
    clock_fixed = true;
    fixed_sec = unix_sec;
    fixed_nsec = nsec;
}

/* ---- zones ---- */

/* Offset and abbreviation of zone at sec. zone NULL is Local; "" or "UTC" is UTC. */
static void zone_at(struct cl_arena *a, const char *zone, int64_t sec, int32_t *off,
                    const char **abbr)
{
    struct tm tm;
    time_t t = (time_t)sec;
    char *saved = NULL;
    const char *old;

    if (zone && (!*zone || strcmp(zone, "UTC") == 0)) {
        *off = 0;
        *abbr = "UTC";
        return;
    }
    if (zone) {
        old = getenv("TZ");
        saved = old ? cl_xstrdup(old) : NULL;
        setenv("TZ", zone, 1);
        tzset();
    }
    if (localtime_r(&t, &tm)) {
        *off = (int32_t)tm.tm_gmtoff;
        *abbr = cl_arena_strdup(a, tm.tm_zone ? tm.tm_zone : "");
    } else {
        *off = 0;
        *abbr = "UTC";
    }
    if (zone) {
        if (saved)
            setenv("TZ", saved, 1);
        else
            unsetenv("TZ");
        tzset();
        free(saved);
    }
}

/* time.LoadLocation: true when zone names a location Go would load. */
static bool zone_valid(const char *zone)
{
    char path[512];
    struct stat st;

    if (!*zone || strcmp(zone, "UTC") == 0 || strcmp(zone, "Local") == 0)
        return true;
    if (zone[0] == '/' || strstr(zone, "..") || strchr(zone, '\\'))
        return false;
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- civil dates ---- */

static int64_t floordiv(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, yoe, doy, mp;

    z += 719468;
    era = floordiv(z, 146097);
    int64_t doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    *y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    if (*m <= 2)
        (*y)++;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = floordiv(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in(int m, int64_t y)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

struct civil {
    int64_t year;
    int month, day, hour, min, sec, wday, yday;
};

static struct civil to_civil(const struct gotime *t)
{
    struct civil c;
    int64_t local = t->sec + t->off, days = floordiv(local, 86400), rem = local - days * 86400;

    civil_from_days(days, &c.year, &c.month, &c.day);
    c.hour = (int)(rem / 3600);
    c.min = (int)(rem % 3600 / 60);
    c.sec = (int)(rem % 60);
    c.wday = (int)((days % 7 + 11) % 7);        /* 1970-01-01 was a Thursday */
    c.yday = (int)(days - days_from_civil(c.year, 1, 1)) + 1;
    return c;
}

/* ---- layouts (time/format.go's chunks) ---- */

enum std {
    STD_NONE, STD_LONG_MONTH, STD_MONTH, STD_NUM_MONTH, STD_ZERO_MONTH, STD_LONG_WEEKDAY,
    STD_WEEKDAY, STD_DAY, STD_UNDER_DAY, STD_ZERO_DAY, STD_UNDER_YEARDAY, STD_ZERO_YEARDAY,
    STD_HOUR, STD_HOUR12, STD_ZERO_HOUR12, STD_MINUTE, STD_ZERO_MINUTE, STD_SECOND,
    STD_ZERO_SECOND, STD_LONG_YEAR, STD_YEAR, STD_PM, STD_pm, STD_TZ, STD_ISO_TZ,
    STD_ISO_SEC_TZ, STD_ISO_SHORT_TZ, STD_ISO_COLON_TZ, STD_ISO_COLON_SEC_TZ, STD_NUM_TZ,
    STD_NUM_SEC_TZ, STD_NUM_SHORT_TZ, STD_NUM_COLON_TZ, STD_NUM_COLON_SEC_TZ,
    STD_FRAC0, STD_FRAC9,
};

static bool lower_start(const char *s)
{
    return *s >= 'a' && *s <= 'z';
}

/* The next std chunk of layout: prefix length before it, its kind, its length (and for
 * fractions the digit count and separator). STD_NONE when there is none. */
static enum std next_std(const char *l, size_t *prefix, size_t *len, int *digits, char *sep)
{
    for (size_t i = 0; l[i]; i++) {
        const char *p = l + i;

        *prefix = i;
        switch (p[0]) {
        case 'J':
            if (strncmp(p, "Jan", 3) == 0) {
                if (strncmp(p, "January", 7) == 0)
                    return *len = 7, STD_LONG_MONTH;
                if (!lower_start(p + 3))
                    return *len = 3, STD_MONTH;
            }
            break;
        case 'M':
            if (strncmp(p, "Mon", 3) == 0) {
                if (strncmp(p, "Monday", 6) == 0)
                    return *len = 6, STD_LONG_WEEKDAY;
                if (!lower_start(p + 3))
                    return *len = 3, STD_WEEKDAY;
            }
            if (strncmp(p, "MST", 3) == 0)
                return *len = 3, STD_TZ;
            break;
        case '0':
            if (p[1] >= '1' && p[1] <= '6') {
                static const enum std z[] = { STD_ZERO_MONTH, STD_ZERO_DAY, STD_ZERO_HOUR12,
                                              STD_ZERO_MINUTE, STD_ZERO_SECOND, STD_YEAR };
                return *len = 2, z[p[1] - '1'];
            }
            if (p[1] == '0' && p[2] == '2')
                return *len = 3, STD_ZERO_YEARDAY;
            break;
        case '1':
            if (p[1] == '5')
                return *len = 2, STD_HOUR;
            return *len = 1, STD_NUM_MONTH;
        case '2':
            if (strncmp(p, "2006", 4) == 0)
                return *len = 4, STD_LONG_YEAR;
            return *len = 1, STD_DAY;
        case '_':
            if (p[1] == '2') {
                if (strncmp(p + 1, "2006", 4) == 0) {
                    *prefix = i + 1;
                    return *len = 4, STD_LONG_YEAR;
                }
                return *len = 2, STD_UNDER_DAY;
            }
            if (p[1] == '_' && p[2] == '2')
                return *len = 3, STD_UNDER_YEARDAY;
            break;
        case '3': return *len = 1, STD_HOUR12;
        case '4': return *len = 1, STD_MINUTE;
        case '5': return *len = 1, STD_SECOND;
        case 'P':
            if (p[1] == 'M')
                return *len = 2, STD_PM;
            break;
        case 'p':
            if (p[1] == 'm')
                return *len = 2, STD_pm;
            break;
        case '-':
            if (strncmp(p, "-070000", 7) == 0) return *len = 7, STD_NUM_SEC_TZ;
            if (strncmp(p, "-07:00:00", 9) == 0) return *len = 9, STD_NUM_COLON_SEC_TZ;
            if (strncmp(p, "-0700", 5) == 0) return *len = 5, STD_NUM_TZ;
            if (strncmp(p, "-07:00", 6) == 0) return *len = 6, STD_NUM_COLON_TZ;
            if (strncmp(p, "-07", 3) == 0) return *len = 3, STD_NUM_SHORT_TZ;
            break;
        case 'Z':
            if (strncmp(p, "Z070000", 7) == 0) return *len = 7, STD_ISO_SEC_TZ;
            if (strncmp(p, "Z07:00:00", 9) == 0) return *len = 9, STD_ISO_COLON_SEC_TZ;
            if (strncmp(p, "Z0700", 5) == 0) return *len = 5, STD_ISO_TZ;
            if (strncmp(p, "Z07:00", 6) == 0) return *len = 6, STD_ISO_COLON_TZ;
            if (strncmp(p, "Z07", 3) == 0) return *len = 3, STD_ISO_SHORT_TZ;
            break;
        case '.': case ',':
            if (p[1] == '0' || p[1] == '9') {
                char ch = p[1];
                size_t j = 1;

                while (p[j] == ch)
                    j++;
                if (!(p[j] >= '0' && p[j] <= '9')) {
                    *digits = (int)j - 1;
                    *sep = p[0];
                    return *len = j, ch == '0' ? STD_FRAC0 : STD_FRAC9;
                }
            }
            break;
        }
    }
    *prefix = strlen(l);
    return STD_NONE;
}

static const char *const long_months[] = { "January", "February", "March", "April", "May",
                                           "June", "July", "August", "September", "October",
                                           "November", "December" };
static const char *const long_days[] = { "Sunday", "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday" };

static void pad_int(struct cl_buf *b, int64_t v, int width)
{
    if (v < 0) {
        cl_buf_addc(b, '-');
        v = -v;
    }
    cl_buf_printf(b, "%0*lld", width, (long long)v);
}

static void format_tz(struct cl_buf *b, enum std std, int32_t off)
{
    int32_t zone = off / 60, abs = off;
    bool iso = std >= STD_ISO_TZ && std <= STD_ISO_COLON_SEC_TZ;

    if (iso && off == 0) {
        cl_buf_addc(b, 'Z');
        return;
    }
    if (zone < 0) {
        cl_buf_addc(b, '-');
        zone = -zone;
        abs = -abs;
    } else {
        cl_buf_addc(b, '+');
    }
    pad_int(b, zone / 60, 2);
    if (std == STD_ISO_COLON_TZ || std == STD_NUM_COLON_TZ || std == STD_ISO_COLON_SEC_TZ
        || std == STD_NUM_COLON_SEC_TZ)
        cl_buf_addc(b, ':');
    if (std != STD_NUM_SHORT_TZ && std != STD_ISO_SHORT_TZ)
        pad_int(b, zone % 60, 2);
    if (std == STD_ISO_SEC_TZ || std == STD_NUM_SEC_TZ || std == STD_NUM_COLON_SEC_TZ
        || std == STD_ISO_COLON_SEC_TZ) {
        if (std == STD_NUM_COLON_SEC_TZ || std == STD_ISO_COLON_SEC_TZ)
            cl_buf_addc(b, ':');
        pad_int(b, abs % 60, 2);
    }
}

/* Time.Format(layout) appended to b. */
static void format_time(struct cl_buf *b, const struct gotime *t, const char *layout)
{
    struct civil c = to_civil(t);
    const char *l = layout;

    for (;;) {
        size_t prefix, len = 0;
        int digits = 0;
        char sep = '.';
        enum std std = next_std(l, &prefix, &len, &digits, &sep);

        cl_buf_add(b, l, prefix);
        if (std == STD_NONE)
            break;
        l += prefix + len;
        switch (std) {
        case STD_LONG_MONTH: cl_buf_adds(b, long_months[c.month - 1]); break;
        case STD_MONTH: cl_buf_add(b, long_months[c.month - 1], 3); break;
        case STD_NUM_MONTH: pad_int(b, c.month, 1); break;
        case STD_ZERO_MONTH: pad_int(b, c.month, 2); break;
        case STD_LONG_WEEKDAY: cl_buf_adds(b, long_days[c.wday]); break;
        case STD_WEEKDAY: cl_buf_add(b, long_days[c.wday], 3); break;
        case STD_DAY: pad_int(b, c.day, 1); break;
        case STD_UNDER_DAY:
            if (c.day < 10)
                cl_buf_addc(b, ' ');
            pad_int(b, c.day, 1);
            break;
        case STD_ZERO_DAY: pad_int(b, c.day, 2); break;
        case STD_UNDER_YEARDAY:
            cl_buf_printf(b, "%3d", c.yday);
            break;
        case STD_ZERO_YEARDAY: pad_int(b, c.yday, 3); break;
        case STD_HOUR: pad_int(b, c.hour, 2); break;
        case STD_HOUR12: pad_int(b, c.hour % 12 == 0 ? 12 : c.hour % 12, 1); break;
        case STD_ZERO_HOUR12: pad_int(b, c.hour % 12 == 0 ? 12 : c.hour % 12, 2); break;
        case STD_MINUTE: pad_int(b, c.min, 1); break;
        case STD_ZERO_MINUTE: pad_int(b, c.min, 2); break;
        case STD_SECOND: pad_int(b, c.sec, 1); break;
        case STD_ZERO_SECOND: pad_int(b, c.sec, 2); break;
        case STD_LONG_YEAR: pad_int(b, c.year, 4); break;
        case STD_YEAR: pad_int(b, ((c.year % 100) + 100) % 100, 2); break;
        case STD_PM: cl_buf_adds(b, c.hour >= 12 ? "PM" : "AM"); break;
        case STD_pm: cl_buf_adds(b, c.hour >= 12 ? "pm" : "am"); break;
        case STD_TZ:
            if (t->abbr && *t->abbr) {
                cl_buf_adds(b, t->abbr);
            } else {
                int32_t zone = t->off / 60;

                cl_buf_addc(b, zone < 0 ? '-' : '+');
                if (zone < 0)
                    zone = -zone;
                pad_int(b, zone / 60, 2);
                pad_int(b, zone % 60, 2);
            }
            break;
        case STD_FRAC0: case STD_FRAC9: {
            char d[10];
            int n = digits > 9 ? 9 : digits;

            snprintf(d, sizeof d, "%09d", (int)t->nsec);
            if (std == STD_FRAC9) {
                while (n > 0 && d[n - 1] == '0')
                    n--;
                if (n == 0)
                    break;
            }
            cl_buf_addc(b, sep);
            cl_buf_add(b, d, (size_t)n);
            break;
        }
        default:
            format_tz(b, std, t->off);
            break;
        }
    }
}

/* Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST" and the monotonic reading. */
static const char *time_string(struct cl_arena *a, const struct gotime *t)
{
    struct cl_buf b;
    const char *r;

    cl_buf_init(&b);
    format_time(&b, t, "2006-01-02 15:04:05.999999999 -0700 MST");
    if (t->mono) {
        int64_t m = t->mono_ns;

        cl_buf_printf(&b, " m=%c%lld.%09lld", m < 0 ? '-' : '+',
                      (long long)((m < 0 ? -m : m) / 1000000000),
                      (long long)((m < 0 ? -m : m) % 1000000000));
    }
    r = cl_arena_strndup(a, b.data, b.len);
    cl_buf_fini(&b);
    return r;
}

/* ---- the time.Time value ---- */

static const char time_type[] = "time.Time";

static int m_unix(struct cl_exec *ex, const struct cl_value *args, size_t n,
                  struct cl_value *out)
{
    const struct gotime *t = cl_exec_ud(ex);

    (void)args, (void)n;
    *out = cl_v_int(t->sec);
    out->type = CL_VT_INT64;
    return 0;
}

static int m_year(struct cl_exec *ex, const struct cl_value *args, size_t n,
                  struct cl_value *out)
{
    const struct gotime *t = cl_exec_ud(ex);

    (void)args, (void)n;
    *out = cl_v_int(to_civil(t).year);
    return 0;
}

static int m_format(struct cl_exec *ex, const struct cl_value *args, size_t n,
                    struct cl_value *out)
{
    const struct gotime *t = cl_exec_ud(ex);
    struct cl_buf b;

    (void)n;
    if (args[0].kind != CL_V_STRING)
        return cl_exec_fail(ex, "wrong type for value; expected string; got %s",
                            cl_value_type_name(&args[0]));
    cl_buf_init(&b);
    format_time(&b, t, args[0].u.str.s);
    *out = cl_v_str(cl_exec_arena(ex), b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return 0;
}

static struct cl_value make_time(struct cl_arena *a, const struct gotime *t0)
{
    static const struct { const char *name; cl_tmpl_fn fn; int nargs; } methods[] = {
        { "Format", m_format, 1 }, { "Unix", m_unix, 0 }, { "Year", m_year, 0 },
    };
    struct cl_value r = cl_v_struct(a, time_type);
    struct gotime *t = cl_arena_alloc(a, sizeof *t);
    struct cl_func *f = cl_arena_zalloc(a, 3 * sizeof *f);

    *t = *t0;
    for (size_t i = 0; i < 3; i++) {
        struct cl_value fv = { .kind = CL_V_FUNC };

        f[i].name = methods[i].name;
        f[i].fn = methods[i].fn;
        f[i].ud = t;
        f[i].min_args = f[i].max_args = methods[i].nargs;
        f[i].method = true;
        fv.u.fn = &f[i];
        cl_map_set(a, r.u.map, methods[i].name, strlen(methods[i].name), fv);
    }
    r.u.map->stringer = time_string(a, t);
    return r;
}

/* The instant of a time.Time value, or NULL. */
static const struct gotime *time_of(const struct cl_value *v)
{
    const struct cl_value *m;

    if (v->kind != CL_V_MAP || v->type != CL_VT_STRUCT || !cl_streq(v->u.map->type_name, time_type))
        return NULL;
    m = cl_map_get(v->u.map, "Unix", 4);
    return m && m->kind == CL_V_FUNC ? m->u.fn->ud : NULL;
}

int64_t cl_funcs_clock_now(void)
{
    return clock_fixed ? fixed_sec : (int64_t)time(NULL);
}

static struct gotime now(struct cl_arena *a)
{
    static bool have_base;
    static struct timespec base;
    struct gotime t = { 0 };
    struct timespec ts, mono;

    if (clock_fixed) {
        t.sec = fixed_sec;
        t.nsec = fixed_nsec;
        t.mono = true;
    } else {
        clock_gettime(CLOCK_REALTIME, &ts);
        clock_gettime(CLOCK_MONOTONIC, &mono);
        if (!have_base) {
            base = mono;
            have_base = true;
        }
        t.sec = ts.tv_sec;
        t.nsec = (int32_t)ts.tv_nsec;
        t.mono = true;
        t.mono_ns = (int64_t)(mono.tv_sec - base.tv_sec) * 1000000000
                    + (mono.tv_nsec - base.tv_nsec) + 1;
    }
    zone_at(a, NULL, t.sec, &t.off, &t.abbr);
    return t;
}

/* Sprig's conversion of a date argument: time.Time, or int/int64/int32 Unix seconds,
 * anything else is now. */
static struct gotime date_arg(struct cl_arena *a, const struct cl_value *v, bool int32_too)
{
    const struct gotime *t = time_of(v);
    struct gotime r = { 0 };

    (void)int32_too;
    if (t)
        return *t;
    if (v->kind == CL_V_INT) {
        r.sec = v->u.i;
        zone_at(a, NULL, r.sec, &r.off, &r.abbr);
        return r;
    }
    return now(a);
}

/* ---- durations ---- */

#define NS_SECOND 1000000000LL

/* Duration.String(). */
static void duration_string(struct cl_buf *b, int64_t d)
{
    char buf[40];
    int w = sizeof buf;
    uint64_t u = (uint64_t)d;
    bool neg = d < 0;

    if (neg)
        u = -u;
#define PUT(c) (buf[--w] = (c))
    if (u < (uint64_t)NS_SECOND) {
        int prec;

        if (u == 0) {
            cl_buf_adds(b, "0s");
            return;
        }
        PUT('s');
        if (u < 1000) {
            prec = 0;
            PUT('n');
        } else if (u < 1000000) {
            prec = 3;
            PUT('\xb5');
            PUT('\xc2');           /* µ */
        } else {
            prec = 6;
            PUT('m');
        }
        {
            bool print = false;

            for (int i = 0; i < prec; i++) {
                int digit = (int)(u % 10);

                print = print || digit != 0;
                if (print)
                    PUT((char)('0' + digit));
                u /= 10;
            }
            if (print)
                PUT('.');
        }
        do {
            PUT((char)('0' + u % 10));
            u /= 10;
        } while (u > 0);
    } else {
        bool print = false;

        PUT('s');
        for (int i = 0; i < 9; i++) {
            int digit = (int)(u % 10);

            print = print || digit != 0;
            if (print)
                PUT((char)('0' + digit));
            u /= 10;
        }
        if (print)
            PUT('.');
        {
            uint64_t s = u % 60;

            do {
                PUT((char)('0' + s % 10));
                s /= 10;
            } while (s > 0);
        }
        u /= 60;
        if (u > 0) {
            uint64_t m = u % 60;

            PUT('m');
            do {
                PUT((char)('0' + m % 10));
                m /= 10;
            } while (m > 0);
            u /= 60;
            if (u > 0) {
                PUT('h');
                do {
                    PUT((char)('0' + u % 10));
                    u /= 10;
                } while (u > 0);
            }
        }
    }
    if (neg)
        PUT('-');
#undef PUT
    cl_buf_add(b, buf + w, sizeof buf - (size_t)w);
}

/* time.ParseDuration: 0 with *d, or -1 with Go's error text (arena) in *err. */
static int parse_duration(struct cl_arena *a, const char *s0, size_t len, int64_t *d,
                          const char **err)
{
    static const struct { const char *u; uint64_t ns; } units[] = {
        { "ns", 1 }, { "us", 1000 }, { "\xc2\xb5s", 1000 }, { "\xce\xbcs", 1000 },
        { "ms", 1000000 }, { "s", 1000000000ULL }, { "m", 60000000000ULL },
        { "h", 3600000000000ULL },
    };
    const char *s = s0, *end = s0 + len;
    uint64_t total = 0;
    bool neg = false;
    const char *q = cl_arena_printf(a, "\"%.*s\"", (int)len, s0);

    if (s < end && (*s == '-' || *s == '+')) {
        neg = *s == '-';
        s++;
    }
    if (end - s == 1 && *s == '0') {
        *d = 0;
        return 0;
    }
    if (s == end)
        goto invalid;
    while (s < end) {
        uint64_t v = 0, f = 0, scale = 1, unit = 0;
        bool pre, post = false, overflow = false;
        const char *start = s, *us;
        size_t ul;

        if (!(*s == '.' || (*s >= '0' && *s <= '9')))
            goto invalid;
        while (s < end && *s >= '0' && *s <= '9') {
            if (v > (UINT64_MAX >> 1) / 10) {
                overflow = true;
            } else {
                v = v * 10 + (uint64_t)(*s - '0');
                if (v > (uint64_t)1 << 63)
                    overflow = true;
            }
            s++;
        }
        if (overflow)
            goto invalid;
        pre = s != start;
        if (s < end && *s == '.') {
            const char *fs = ++s;

            while (s < end && *s >= '0' && *s <= '9') {
                if (scale < 1000000000000000000ULL) {   /* extra digits only lose precision */
                    f = f * 10 + (uint64_t)(*s - '0');
                    scale *= 10;
                }
                s++;
            }
            post = s != fs;
        }
        if (!pre && !post)
            goto invalid;
        us = s;
        while (s < end && *s != '.' && !(*s >= '0' && *s <= '9'))
            s++;
        ul = (size_t)(s - us);
        if (ul == 0) {
            *err = cl_arena_printf(a, "time: missing unit in duration %s", q);
            return -1;
        }
        for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
            if (strlen(units[k].u) == ul && memcmp(units[k].u, us, ul) == 0)
                unit = units[k].ns;
        if (!unit) {
            *err = cl_arena_printf(a, "time: unknown unit \"%.*s\" in duration %s", (int)ul, us,
                                   q);
            return -1;
        }
        if (v > ((uint64_t)1 << 63) / unit)
            goto invalid;
        v *= unit;
        if (f > 0) {
            v += (uint64_t)((double)f * ((double)unit / (double)scale));
            if (v > (uint64_t)1 << 63)
                goto invalid;
        }
        total += v;
        if (total > (uint64_t)1 << 63)
            goto invalid;
    }
    if (neg) {
        *d = (int64_t)(0 - total);
        return 0;
    }
    if (total > (uint64_t)INT64_MAX)
        goto invalid;
    *d = (int64_t)total;
    return 0;
invalid:
    *err = cl_arena_printf(a, "time: invalid duration %s", q);
    return -1;
}

/* ---- parsing (time.ParseInLocation with Local) ---- */

static const char *lookup_name(const char *s, size_t n, const char *const *names, int count,
                               size_t cmplen, int *idx)
{
    for (int i = 0; i < count; i++) {
        size_t l = cmplen ? cmplen : strlen(names[i]);

        if (n >= l && strncasecmp(s, names[i], l) == 0) {
            *idx = i;
            return s + l;
        }
    }
    return NULL;
}

/* Up to max digits (at least min) as an int: the rest, or NULL. */
static const char *get_num(const char *s, const char *end, int min, int max, int *v)
{
    int n = 0, k = 0;

    while (s + k < end && k < max && s[k] >= '0' && s[k] <= '9') {
        n = n * 10 + (s[k] - '0');
        k++;
    }
    if (k < min)
        return NULL;
    *v = n;
    return s + k;
}

/* A numeric layout field of min..max digits whose value Go accepts in lo..hi: stores it
 * in *dst and returns the rest of the value, or NULL when no number is there. A value
 * out of range only sets *range_err to the field's name: Go reports it after parsing. */
static const char *num_field(const char *v, const char *end, int min, int max, int lo,
                             int hi, const char *what, const char **range_err, int *dst)
{
    int n;
    const char *r = get_num(v, end, min, max, &n);

    if (!r)
        return NULL;
    if (n < lo || n > hi)
        *range_err = what;
    *dst = n;
    return r;
}

/* The zone abbreviation at the start of s (parseTimeZone): its length, or 0. */
static size_t tz_len(const char *s, const char *end)
{
    size_t n = 0;

    if (end - s >= 4 && (strncmp(s, "ChST", 4) == 0 || strncmp(s, "MeST", 4) == 0))
        return 4;
    if (end - s >= 3 && strncmp(s, "GMT", 3) == 0) {
        const char *p = s + 3;

        if (p < end && (*p == '+' || *p == '-')) {
            const char *q = p + 1;

            while (q < end && *q >= '0' && *q <= '9')
                q++;
            if (q > p + 1 && q - (p + 1) <= 2)
                return (size_t)(q - s);
        }
        return 3;
    }
    if (end - s >= 1 && *s == '+') {
        const char *q = s + 1;

        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if (q - s == 3 || q - s == 5)
            return (size_t)(q - s);
        return 0;
    }
    while (s + n < end && s[n] >= 'A' && s[n] <= 'Z')
        n++;
    if (n < 3)
        return 0;
    if (n == 3)
        return 3;
    if (n == 4 && s[3] == 'T')
        return 4;
    if (n >= 5 && s[4] == 'T')
        return 5;
    if (n == 4)
        return 4;
    return 0;
}

/* Parse value by layout. 0 with *t, or -1 with Go's message (arena) in *err. */
static int parse_time(struct cl_arena *a, const char *layout, const char *value, size_t vlen,
                      struct gotime *t, const char **err)
{
    const char *v = value, *end = value + vlen, *l = layout;
    int64_t year = 1;
    int month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
    bool pm_set = false, am_set = false, have_zone_off = false;
    int32_t zone_off = 0;
    const char *zone_name = NULL;
    size_t zone_len = 0;
    const char *range_err = NULL;
    const char *qv = cl_arena_printf(a, "\"%.*s\"", (int)vlen, value);

    for (;;) {
        size_t prefix, len = 0;
        int digits = 0, n = 0;
        char sep = '.';
        enum std std = next_std(l, &prefix, &len, &digits, &sep);
        const char *stdstr = l + prefix, *hold = v, *r;

        /* the literal prefix must match (Go skips matching spaces loosely) */
        for (size_t i = 0; i < prefix; i++) {
            if (v >= end || *v != l[i])
                goto bad_prefix;
            v++;
        }
        if (std == STD_NONE) {
            if (v != end) {
                *err = cl_arena_printf(a, "parsing time %s: extra text: \"%.*s\"", qv,
                                       (int)(end - v), v);
                return -1;
            }
            break;
        }
        l += prefix + len;
        hold = v;
        switch (std) {
        case STD_YEAR:
            if (end - v < 2 || !(r = get_num(v, end, 2, 2, &n)))
                goto bad_value;
            year = n >= 69 ? n + 1900 : n + 2000;
            v = r;
            break;
        case STD_LONG_YEAR:
            if (end - v < 4 || !(r = get_num(v, end, 4, 4, &n)))
                goto bad_value;
            year = n;
            v = r;
            break;
        case STD_MONTH: case STD_LONG_MONTH: {
            int idx;

            r = lookup_name(v, (size_t)(end - v), long_months, 12, std == STD_MONTH ? 3 : 0, &idx);
            if (!r)
                goto bad_value;
            month = idx + 1;
            v = r;
            break;
        }
        case STD_NUM_MONTH: case STD_ZERO_MONTH:
            if (!(v = num_field(v, end, std == STD_ZERO_MONTH ? 2 : 1, 2, 1, 12,
                                "month", &range_err, &month)))
                goto bad_value;
            break;
        case STD_WEEKDAY: case STD_LONG_WEEKDAY: {
            int idx;

            r = lookup_name(v, (size_t)(end - v), long_days, 7, std == STD_WEEKDAY ? 3 : 0, &idx);
            if (!r)
                goto bad_value;
            v = r;
            break;
        }
        case STD_DAY: case STD_UNDER_DAY: case STD_ZERO_DAY:
            if (std == STD_UNDER_DAY && v < end && *v == ' ')
                v++;
            if (!(v = num_field(v, end, std == STD_ZERO_DAY ? 2 : 1, 2, 0, 31,
                                "day", &range_err, &day)))
                goto bad_value;
            break;
        case STD_UNDER_YEARDAY: case STD_ZERO_YEARDAY:
            while (std == STD_UNDER_YEARDAY && v < end && *v == ' ')
                v++;
            if (!(v = num_field(v, end, std == STD_ZERO_YEARDAY ? 3 : 1, 3, 0, 366,
                                "day-of-year", &range_err, &yday)))
                goto bad_value;
            break;
        case STD_HOUR:
            if (!(v = num_field(v, end, 2, 2, 0, 23,
                                "hour", &range_err, &hour)))
                goto bad_value;
            break;
        case STD_HOUR12: case STD_ZERO_HOUR12:
            if (!(v = num_field(v, end, std == STD_ZERO_HOUR12 ? 2 : 1, 2, 0, 12,
                                "hour", &range_err, &hour)))
                goto bad_value;
            break;
        case STD_MINUTE: case STD_ZERO_MINUTE:
            if (!(v = num_field(v, end, std == STD_ZERO_MINUTE ? 2 : 1, 2, 0, 59,
                                "minute", &range_err, &min)))
                goto bad_value;
            break;
        case STD_SECOND: case STD_ZERO_SECOND:
            if (!(v = num_field(v, end, std == STD_ZERO_SECOND ? 2 : 1, 2, 0, 59,
                                "second", &range_err, &sec)))
                goto bad_value;
            /* a fractional second after seconds is accepted even if not in the layout */
            if (v + 1 < end && (*v == '.' || *v == ',') && v[1] >= '0' && v[1] <= '9'
                && next_std(l, &prefix, &len, &digits, &sep) != STD_FRAC0
                && next_std(l, &prefix, &len, &digits, &sep) != STD_FRAC9) {
                int k = 0, f = 0;

                v++;
                while (v < end && *v >= '0' && *v <= '9') {
                    if (k < 9)
                        f = f * 10 + (*v - '0'), k++;
                    v++;
                }
                while (k++ < 9)
                    f *= 10;
                nsec = f;
            }
            break;
        case STD_PM: case STD_pm:
            if (end - v < 2)
                goto bad_value;
            if ((v[0] == 'P' || v[0] == 'p') && (v[1] == 'M' || v[1] == 'm'))
                pm_set = true;
            else if ((v[0] == 'A' || v[0] == 'a') && (v[1] == 'M' || v[1] == 'm'))
                am_set = true;
            else
                goto bad_value;
            v += 2;
            break;
        case STD_TZ: {
            size_t zl;

            if (end - v >= 3 && strncmp(v, "UTC", 3) == 0) {
                zone_name = "UTC";
                zone_len = 3;
                v += 3;
                break;
            }
            if (!(zl = tz_len(v, end)))
                goto bad_value;
            zone_name = v;
            zone_len = zl;
            v += zl;
            break;
        }
        case STD_FRAC0: case STD_FRAC9: {
            int k = 0, f = 0;

            if (std == STD_FRAC0) {
                if (end - v < digits + 1 || (*v != '.' && *v != ','))
                    goto bad_value;
                v++;
                for (int i = 0; i < digits; i++) {
                    if (!(v[i] >= '0' && v[i] <= '9'))
                        goto bad_value;
                }
            } else {
                if (v >= end || (*v != '.' && *v != ','))
                    break;
                v++;
            }
            while (v < end && *v >= '0' && *v <= '9' && (std == STD_FRAC9 || k < digits)) {
                if (k < 9)
                    f = f * 10 + (*v - '0');
                k++;
                v++;
            }
            for (int i = k; i < 9; i++)
                f *= 10;
            nsec = f;
            break;
        }
        default: {
            /* numeric zones: Z (for the ISO forms), or a sign, hours, [:]minutes, [:]seconds */
            bool iso = std >= STD_ISO_TZ && std <= STD_ISO_COLON_SEC_TZ;
            int hh = 0, mm = 0, ss = 0, sign;
            bool colon = std == STD_ISO_COLON_TZ || std == STD_NUM_COLON_TZ
                         || std == STD_ISO_COLON_SEC_TZ || std == STD_NUM_COLON_SEC_TZ;
            bool short_tz = std == STD_ISO_SHORT_TZ || std == STD_NUM_SHORT_TZ;
            bool sec_tz = std == STD_ISO_SEC_TZ || std == STD_NUM_SEC_TZ
                          || std == STD_ISO_COLON_SEC_TZ || std == STD_NUM_COLON_SEC_TZ;

            if (iso && v < end && *v == 'Z') {
                v++;
                have_zone_off = true;
                zone_off = 0;
                zone_name = "UTC";
                zone_len = 3;
                break;
            }
            if (v >= end || (*v != '+' && *v != '-'))
                goto bad_value;
            sign = *v == '-' ? -1 : 1;
            v++;
            if (!(r = get_num(v, end, 2, 2, &hh)) || (v = r, false))
                goto bad_value;
            if (!short_tz) {
                if (colon) {
                    if (v >= end || *v != ':')
                        goto bad_value;
                    v++;
                }
                if (!(r = get_num(v, end, 2, 2, &mm)))
                    goto bad_value;
                v = r;
            }
            if (sec_tz) {
                if (colon) {
                    if (v >= end || *v != ':')
                        goto bad_value;
                    v++;
                }
                if (!(r = get_num(v, end, 2, 2, &ss)))
                    goto bad_value;
                v = r;
            }
            if (hh > 24 || mm > 60 || ss > 60)
                range_err = "time zone offset";
            have_zone_off = true;
            zone_off = sign * (hh * 3600 + mm * 60 + ss);
            break;
        }
        }
        if (range_err) {
            *err = cl_arena_printf(a, "parsing time %s: %s out of range", qv, range_err);
            return -1;
        }
        continue;
bad_value:
        *err = cl_arena_printf(a, "parsing time %s as \"%s\": cannot parse \"%.*s\" as \"%.*s\"",
                               qv, layout, (int)(end - hold), hold, (int)len, stdstr);
        return -1;
bad_prefix:
        *err = cl_arena_printf(a, "parsing time %s as \"%s\": cannot parse \"%.*s\" as \"%.*s\"",
                               qv, layout, (int)(end - hold), hold, (int)prefix, l);
        return -1;
    }
    if (pm_set && hour < 12)
        hour += 12;
    else if (am_set && hour == 12)
        hour = 0;
    if (yday >= 0) {
        int m = 0, d = yday;

        if (yday < 1 || yday > (is_leap(year) ? 366 : 365)) {
            *err = cl_arena_printf(a, "parsing time %s: day-of-year out of range", qv);
            return -1;
        }
        while (m < 12 && d > days_in(m + 1, year))
            d -= days_in(++m, year);
        if (month >= 0 && month != m + 1) {
            *err = cl_arena_printf(a, "parsing time %s: day-of-year does not match month", qv);
            return -1;
        }
        month = m + 1;
        if (day >= 0 && day != d) {
            *err = cl_arena_printf(a, "parsing time %s: day-of-year does not match day", qv);
            return -1;
        }
        day = d;
    } else {
        if (month < 0)
            month = 1;
        if (day < 0)
            day = 1;
    }
    if (day < 1 || day > days_in(month, year)) {
        *err = cl_arena_printf(a, "parsing time %s: day out of range", qv);
        return -1;
    }
    memset(t, 0, sizeof *t);
    t->sec = days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
    t->nsec = nsec;
    if (have_zone_off) {
        int32_t loff;
        const char *labbr;

        t->sec -= zone_off;
        zone_at(a, NULL, t->sec, &loff, &labbr);
        if (loff == zone_off && !(zone_name && zone_off == 0 && strcmp(labbr, "UTC") != 0)) {
            t->off = loff;
            t->abbr = labbr;
        } else {
            t->off = zone_off;
            t->abbr = zone_name ? "UTC" : "";
        }
        return 0;
    }
    if (zone_name) {
        int32_t loff;
        const char *labbr;
        int64_t utc = t->sec;

        /* an abbreviation Local uses at that time gives Local's offset */
        zone_at(a, NULL, utc, &loff, &labbr);
        if (strlen(labbr) == zone_len && memcmp(labbr, zone_name, zone_len) == 0) {
            t->sec = utc - loff;
            zone_at(a, NULL, t->sec, &t->off, &t->abbr);
            return 0;
        }
        if (zone_len == 3 && (memcmp(zone_name, "UTC", 3) == 0 || memcmp(zone_name, "GMT", 3) == 0)) {
            t->off = 0;
            t->abbr = cl_arena_strndup(a, zone_name, 3);
            return 0;
        }
        t->off = 0;
        if (zone_len > 3 && memcmp(zone_name, "GMT", 3) == 0) {
            t->off = atoi(cl_arena_strndup(a, zone_name + 3, zone_len - 3)) * 3600;
            t->sec -= t->off;
        }
        t->abbr = cl_arena_strndup(a, zone_name, zone_len);
        return 0;
    }
    {
        /* Local: find the offset in effect at that local time */
        int32_t off1, off2;
        const char *ab;

        zone_at(a, NULL, t->sec, &off1, &ab);
        zone_at(a, NULL, t->sec - off1, &off2, &ab);
        t->sec -= off2;
        t->off = off2;
        t->abbr = ab;
    }
    return 0;
}

/* ---- the functions ---- */

static int ret_time(struct cl_exec *ex, const struct gotime *t, struct cl_value *out)
{
    *out = make_time(cl_exec_arena(ex), t);
    return 0;
}

static int fn_now(struct cl_exec *ex, const struct cl_value *args, size_t n,
                  struct cl_value *out)
{
    struct gotime t = now(cl_exec_arena(ex));

    (void)args, (void)n;
    return ret_time(ex, &t, out);
}

/* dateInZone fmt date zone */
static int date_in_zone(struct cl_exec *ex, const char *layout, const struct cl_value *date,
                        const char *zone, struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct gotime t = date_arg(a, date, true);
    struct cl_buf b;

    if (!zone_valid(zone))
        zone = "UTC";
    t.mono = false;
    zone_at(a, strcmp(zone, "Local") == 0 ? NULL : zone, t.sec, &t.off, &t.abbr);
    cl_buf_init(&b);
    format_time(&b, &t, layout);
    *out = cl_v_str(a, b.data ? b.data : "", b.len);
    cl_buf_fini(&b);
    return 0;
}

static int fn_date(struct cl_exec *ex, const struct cl_value *args, size_t n,
                   struct cl_value *out)
{
    (void)n;
    return date_in_zone(ex, args[0].u.str.s, &args[1], "Local", out);
}

static int fn_date_in_zone(struct cl_exec *ex, const struct cl_value *args, size_t n,
                           struct cl_value *out)
{
    (void)n;
    return date_in_zone(ex, args[0].u.str.s, &args[1], args[2].u.str.s, out);
}

static int fn_html_date(struct cl_exec *ex, const struct cl_value *args, size_t n,
                        struct cl_value *out)
{
    (void)n;
    return date_in_zone(ex, "2006-01-02", &args[0], "Local", out);
}

static int fn_html_date_in_zone(struct cl_exec *ex, const struct cl_value *args, size_t n,
                                struct cl_value *out)
{
    (void)n;
    return date_in_zone(ex, "2006-01-02", &args[0], args[1].u.str.s, out);
}

static int to_date(struct cl_exec *ex, const struct cl_value *args, bool must,
                   struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct gotime t;
    const char *err;

    if (parse_time(a, args[0].u.str.s, args[1].u.str.s, args[1].u.str.len, &t, &err) < 0) {
        if (must)
            return cl_exec_fail(ex, "%s", err);
        memset(&t, 0, sizeof t);                  /* Go's zero Time, in UTC */
        t.sec = -62135596800LL;
        t.abbr = "UTC";
    }
    return ret_time(ex, &t, out);
}

CL_FUNCS_MUST_PAIR(fn_to_date, fn_must_to_date, to_date)

static int date_modify(struct cl_exec *ex, const struct cl_value *args, bool must,
                       struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct gotime t = *time_of(&args[1]);
    int64_t d, ns;
    const char *err;

    if (parse_duration(a, args[0].u.str.s, args[0].u.str.len, &d, &err) < 0) {
        if (must)
            return cl_exec_fail(ex, "%s", err);
        return ret_time(ex, &t, out);
    }
    ns = (int64_t)t.nsec + d % NS_SECOND;
    t.sec += d / NS_SECOND + floordiv(ns, NS_SECOND);
    t.nsec = (int32_t)(ns - floordiv(ns, NS_SECOND) * NS_SECOND);
    t.mono_ns += d;
    /* the zone stays: recompute its offset at the new instant for a named zone */
    return ret_time(ex, &t, out);
}

CL_FUNCS_MUST_PAIR(fn_date_modify, fn_must_date_modify, date_modify)

static int fn_unix_epoch(struct cl_exec *ex, const struct cl_value *args, size_t n,
                         struct cl_value *out)
{
    (void)n;
    *out = cl_v_cstr(cl_exec_arena(ex), cl_arena_printf(cl_exec_arena(ex), "%lld",
                                                         (long long)time_of(&args[0])->sec));
    return 0;
}

/* time.Since(t) in nanoseconds, saturating. */
static int64_t since(struct cl_arena *a, const struct gotime *t)
{
    struct gotime nw = now(a);
    __int128 d = ((__int128)nw.sec - t->sec) * NS_SECOND + (nw.nsec - t->nsec);

    if (d > INT64_MAX)
        return INT64_MAX;
    if (d < INT64_MIN)
        return INT64_MIN;
    return (int64_t)d;
}

static int fn_ago(struct cl_exec *ex, const struct cl_value *args, size_t n,
                  struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct gotime t = date_arg(a, &args[0], false);
    int64_t d = since(a, &t), r;
    struct cl_buf b;

    (void)n;
    /* Duration.Round(time.Second): halves away from zero */
    r = d % NS_SECOND;
    if (r < 0)
        r = -r;
    d -= d % NS_SECOND;
    if (r + r >= NS_SECOND)
        d += d < 0 || (d == 0 && since(a, &t) < 0) ? -NS_SECOND : NS_SECOND;
    cl_buf_init(&b);
    duration_string(&b, d);
    *out = cl_v_str(a, b.data, b.len);
    cl_buf_fini(&b);
    return 0;
}

static int fn_duration(struct cl_exec *ex, const struct cl_value *args, size_t n,
                       struct cl_value *out)
{
    int64_t secs = 0;
    struct cl_buf b;

    (void)n;
    if (args[0].kind == CL_V_STRING) {
        char *e;
        const char *s = args[0].u.str.s;

        secs = strtoll(s, &e, 10);
        if (*e || !*s || e != s + args[0].u.str.len || *s == ' ')
            secs = 0;
    } else if (args[0].kind == CL_V_INT && args[0].type == CL_VT_INT64) {
        secs = args[0].u.i;
    }
    cl_buf_init(&b);
    duration_string(&b, (int64_t)((uint64_t)secs * (uint64_t)NS_SECOND));
    *out = cl_v_str(cl_exec_arena(ex), b.data, b.len);
    cl_buf_fini(&b);
    return 0;
}

static int fn_duration_round(struct cl_exec *ex, const struct cl_value *args, size_t n,
                             struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const uint64_t second = NS_SECOND, minute = 60 * second, hour = 60 * minute,
                   day = 24 * hour, month = 30 * day, year = 365 * day;
    int64_t d = 0;
    const struct gotime *t;
    const char *err;
    uint64_t u;

    (void)n;
    if (args[0].kind == CL_V_STRING) {
        if (parse_duration(a, args[0].u.str.s, args[0].u.str.len, &d, &err) < 0)
            d = 0;
    } else if (args[0].kind == CL_V_INT && args[0].type == CL_VT_INT64) {
        d = args[0].u.i;
    } else if ((t = time_of(&args[0]))) {
        d = since(a, t);
    }
    u = (uint64_t)d;
    if (d < 0)
        u = -u;
    if (u > year)
        *out = cl_v_cstr(a, cl_arena_printf(a, "%lluy", (unsigned long long)(u / year)));
    else if (u > month)
        *out = cl_v_cstr(a, cl_arena_printf(a, "%llumo", (unsigned long long)(u / month)));
    else if (u > day)
        *out = cl_v_cstr(a, cl_arena_printf(a, "%llud", (unsigned long long)(u / day)));
    else if (u > hour)
        *out = cl_v_cstr(a, cl_arena_printf(a, "%lluh", (unsigned long long)(u / hour)));
    else if (u > minute)
        *out = cl_v_cstr(a, cl_arena_printf(a, "%llum", (unsigned long long)(u / minute)));
    else if (u > second)
        *out = cl_v_cstr(a, cl_arena_printf(a, "%llus", (unsigned long long)(u / second)));
    else
        *out = cl_v_str_ref("0s", 2);
    return 0;
}

static const struct cl_tmpl_func date_funcs[] = {
    { "ago", fn_ago, 1, 1, NULL },
    { "date", fn_date, 2, 2, "s" },
    { "dateInZone", fn_date_in_zone, 3, 3, "s.s" },
    { "dateModify", fn_date_modify, 2, 2, "st" },
    { "duration", fn_duration, 1, 1, NULL },
    { "durationRound", fn_duration_round, 1, 1, NULL },
    { "htmlDate", fn_html_date, 1, 1, NULL },
    { "htmlDateInZone", fn_html_date_in_zone, 2, 2, ".s" },
    { "mustDateModify", fn_must_date_modify, 2, 2, "st" },
    { "mustToDate", fn_must_to_date, 2, 2, "ss" },
    { "now", fn_now, 0, 0, NULL },
    { "toDate", fn_to_date, 2, 2, "ss" },
    { "unixEpoch", fn_unix_epoch, 1, 1, "t" },
};

void cl_funcs_add_dates(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, date_funcs, sizeof date_funcs / sizeof date_funcs[0]);
}
