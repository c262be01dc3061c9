/* math.c -- Sprig's arithmetic (numeric.go): integer functions convert every operand
 * with cast.ToInt64 (so 1.9 is 1 and "x" is 0) and return int64; addf subf mulf divf
 * compute in shopspring/decimal as Sprig v3 does, so addf 0.1 0.2 is exactly 0.3.
 *
 * The decimal arithmetic: a number is a digit string (most significant first) times a
 * power of ten, made from the shortest digits that read back as the float64 (decimal's
 * NewFromFloat). Sums and products are exact; a quotient is rounded half away from
 * zero to 16 decimal places (decimal's DivisionPrecision); the result reads back as the
 * nearest float64. Operands are at most a few hundred digits, so schoolbook will do. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/sprig.h"
#include "tmpl/gofmt.h"

#define ARGS struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out

static struct cl_value i64(int64_t i)
{
    struct cl_value v = cl_v_int(i);

    v.type = CL_VT_INT64;
    return v;
}

/* Go's wrapping int64 arithmetic. */
static int64_t wadd(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int fn_add1(ARGS)
{
    (void)ex, (void)n;
    *out = i64(wadd(cl_sprig_int64(&args[0]), 1));
    return 0;
}

static int fn_add(ARGS)
{
    int64_t s = 0;

    (void)ex;
    for (size_t i = 0; i < n; i++)
        s = wadd(s, cl_sprig_int64(&args[i]));
    *out = i64(s);
    return 0;
}

static int fn_sub(ARGS)
{
    (void)ex, (void)n;
    *out = i64((int64_t)((uint64_t)cl_sprig_int64(&args[0]) - (uint64_t)cl_sprig_int64(&args[1])));
    return 0;
}

static int fn_mul(ARGS)
{
    uint64_t p = (uint64_t)cl_sprig_int64(&args[0]);

    (void)ex;
    for (size_t i = 1; i < n; i++)
        p *= (uint64_t)cl_sprig_int64(&args[i]);
    *out = i64((int64_t)p);
    return 0;
}

static int fn_div(ARGS)
{
    int64_t a = cl_sprig_int64(&args[0]), b = cl_sprig_int64(&args[1]);

    (void)n;
    if (b == 0)
        return cl_exec_fail(ex, "runtime error: integer divide by zero");
    *out = i64(b == -1 ? (int64_t)(0 - (uint64_t)a) : a / b);
    return 0;
}

static int fn_mod(ARGS)
{
    int64_t a = cl_sprig_int64(&args[0]), b = cl_sprig_int64(&args[1]);

    (void)n;
    if (b == 0)
        return cl_exec_fail(ex, "runtime error: integer divide by zero");
    *out = i64(b == -1 ? 0 : a % b);
    return 0;
}

static int fn_max(ARGS)
{
    int64_t m = cl_sprig_int64(&args[0]);

    (void)ex;
    for (size_t i = 1; i < n; i++) {
        int64_t v = cl_sprig_int64(&args[i]);

        if (v > m)
            m = v;
    }
    *out = i64(m);
    return 0;
}

static int fn_min(ARGS)
{
    int64_t m = cl_sprig_int64(&args[0]);

    (void)ex;
    for (size_t i = 1; i < n; i++) {
        int64_t v = cl_sprig_int64(&args[i]);

        if (v < m)
            m = v;
    }
    *out = i64(m);
    return 0;
}

/* Go's math.Max and math.Min: NaN wins, then +0 beats -0 for Max, -0 for Min. */
static double go_max(double a, double b)
{
    if (isinf(a) && a > 0)
        return a;
    if (isinf(b) && b > 0)
        return b;
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == 0 && a == b)
        return signbit(a) ? b : a;
    return a > b ? a : b;
}

static double go_min(double a, double b)
{
    if (isinf(a) && a < 0)
        return a;
    if (isinf(b) && b < 0)
        return b;
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == 0 && a == b)
        return signbit(a) ? a : b;
    return a < b ? a : b;
}

static int fn_maxf(ARGS)
{
    double m = cl_sprig_float64(&args[0]);

    (void)ex;
    for (size_t i = 1; i < n; i++)
        m = go_max(m, cl_sprig_float64(&args[i]));
    *out = cl_v_float(m);
    return 0;
}

static int fn_minf(ARGS)
{
    double m = cl_sprig_float64(&args[0]);

    (void)ex;
    for (size_t i = 1; i < n; i++)
        m = go_min(m, cl_sprig_float64(&args[i]));
    *out = cl_v_float(m);
    return 0;
}

static int fn_ceil(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_float(ceil(cl_sprig_float64(&args[0])));
    return 0;
}

static int fn_floor(ARGS)
{
    (void)ex, (void)n;
    *out = cl_v_float(floor(cl_sprig_float64(&args[0])));
    return 0;
}

/* round VALUE PLACES [ROUND_ON]: Sprig's own rounding, ceil once the fraction of
 * value*10^places reaches ROUND_ON (0.5), floor otherwise. */
static int fn_round(ARGS)
{
    double on = n > 2 ? args[2].u.f : 0.5;
    double pow10 = pow(10, (double)args[1].u.i);
    double digit = pow10 * cl_sprig_float64(&args[0]), ip;
    double frac = modf(digit, &ip);

    (void)ex;
    *out = cl_v_float((frac >= on ? ceil(digit) : floor(digit)) / pow10);
    return 0;
}

/* ---- decimal ---- */

struct dec {
    bool neg;
    int exp;                   /* value = digits * 10^exp */
    unsigned char *d;          /* digits 0-9, most significant first; heap */
    size_t n;
};

static void dec_free(struct dec *x)
{
    free(x->d);
    x->d = NULL;
    x->n = 0;
}

static void dec_trim(struct dec *x)
{
    size_t z = 0;

    while (z < x->n && x->d[z] == 0)
        z++;
    if (z) {
        memmove(x->d, x->d + z, x->n - z);
        x->n -= z;
    }
    if (x->n == 0)
        x->neg = false;
}

/* decimal.NewFromFloat: the shortest digits that read back as f. */
static void dec_from_float(struct dec *x, double f)
{
    char buf[64];
    const char *p;
    int exp = 0;

    /* shortest round trip: the fewest digits that read back */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, f);
        if (strtod(buf, NULL) == f)
            break;
    }
    x->neg = buf[0] == '-';
    x->d = cl_xmalloc(sizeof buf);
    x->n = 0;
    for (p = buf + x->neg; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            x->d[x->n++] = (unsigned char)(*p - '0');
    if (*p == 'e')
        exp = atoi(p + 1);
    x->exp = exp - (int)(x->n - 1);
    dec_trim(x);
}

static double dec_to_float(const struct dec *x)
{
    struct cl_buf b;
    double f;

    if (x->n == 0)
        return 0;
    cl_buf_init(&b);
    if (x->neg)
        cl_buf_addc(&b, '-');
    for (size_t i = 0; i < x->n; i++)
        cl_buf_addc(&b, (char)('0' + x->d[i]));
    cl_buf_printf(&b, "e%d", x->exp);
    f = strtod(b.data, NULL);
    cl_buf_fini(&b);
    return f;
}

/* Magnitudes: compare, add and subtract digit strings of equal exponent. */
static int mag_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    while (an && *a == 0)
        a++, an--;
    while (bn && *b == 0)
        b++, bn--;
    if (an != bn)
        return an < bn ? -1 : 1;
    return memcmp(a, b, an);
}

/* Shift x's digits so its exponent is e (e <= x->exp). */
static void dec_align(struct dec *x, int e)
{
    size_t k = (size_t)(x->exp - e);

    if (!k)
        return;
    x->d = cl_xrealloc(x->d, x->n + k + 1);
    memset(x->d + x->n, 0, k);
    x->n += k;
    x->exp = e;
}

static void dec_addsub(struct dec *r, struct dec *a, struct dec *b, bool sub)
{
    bool bneg = b->neg != sub;
    int e = a->exp < b->exp ? a->exp : b->exp;
    size_t n;

    dec_align(a, e);
    dec_align(b, e);
    n = (a->n > b->n ? a->n : b->n) + 1;
    r->d = cl_xcalloc(n, 1);
    r->n = n;
    r->exp = e;
    if (a->neg == bneg) {
        int carry = 0;

        for (size_t i = 0; i < n; i++) {
            int s = carry;

            if (i < a->n)
                s += a->d[a->n - 1 - i];
            if (i < b->n)
                s += b->d[b->n - 1 - i];
            r->d[n - 1 - i] = (unsigned char)(s % 10);
            carry = s / 10;
        }
        r->neg = a->neg;
    } else {
        const struct dec *big = a, *small = b;
        int borrow = 0;

        r->neg = a->neg;
        if (mag_cmp(a->d, a->n, b->d, b->n) < 0) {
            big = b, small = a;
            r->neg = bneg;
        }
        for (size_t i = 0; i < n; i++) {
            int s = -borrow;

            if (i < big->n)
                s += big->d[big->n - 1 - i];
            if (i < small->n)
                s -= small->d[small->n - 1 - i];
            borrow = s < 0;
            r->d[n - 1 - i] = (unsigned char)(s + (borrow ? 10 : 0));
        }
    }
    dec_trim(r);
}

static void dec_mul(struct dec *r, const struct dec *a, const struct dec *b)
{
    size_t n = a->n + b->n + 1;        /* acc[k] weighs 10^(n-1-k) */
    unsigned *acc = cl_xcalloc(n, sizeof *acc);

    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++)
            acc[i + j + 2] += (unsigned)a->d[i] * b->d[j];
    for (size_t k = n; k-- > 1;) {
        acc[k - 1] += acc[k] / 10;
        acc[k] %= 10;
    }
    r->d = cl_xmalloc(n);
    for (size_t k = 0; k < n; k++)
        r->d[k] = (unsigned char)acc[k];
    free(acc);
    r->n = n;
    r->exp = a->exp + b->exp;
    r->neg = a->neg != b->neg;
    dec_trim(r);
}

/* a / b rounded half away from zero to 16 decimal places. */
static void dec_div(struct dec *r, const struct dec *a, const struct dec *b)
{
    int k = a->exp - b->exp + 16;
    size_t nn = a->n + (k > 0 ? (size_t)k : 0), dn = b->n + (k < 0 ? (size_t)-k : 0);
    unsigned char *num = cl_xcalloc(nn + 1, 1), *den = cl_xcalloc(dn + 1, 1);
    unsigned char *rem = cl_xcalloc(dn + 2, 1), *q = cl_xcalloc(nn + 1, 1);
    size_t rn = 0;

    memcpy(num, a->d, a->n);
    memcpy(den, b->d, b->n);
    /* long division: rem = rem * 10 + digit; subtract den while it fits */
    for (size_t i = 0; i < nn; i++) {
        int qd = 0;

        if (rn == 1 && rem[0] == 0)
            rn = 0;
        rem[rn++] = num[i];
        while (mag_cmp(rem, rn, den, dn) >= 0) {
            int borrow = 0;

            for (size_t j = 0; j < rn; j++) {
                int s = rem[rn - 1 - j] - borrow - (j < dn ? den[dn - 1 - j] : 0);

                borrow = s < 0;
                rem[rn - 1 - j] = (unsigned char)(s + (borrow ? 10 : 0));
            }
            qd++;
        }
        /* drop leading zeros of the remainder */
        {
            size_t z = 0;

            while (z + 1 < rn && rem[z] == 0)
                z++;
            memmove(rem, rem + z, rn - z);
            rn -= z;
        }
        q[i] = (unsigned char)qd;
    }
    /* round half away from zero: 2 * rem >= den */
    {
        unsigned char *twice = cl_xcalloc(rn + 2, 1);
        int carry = 0;

        for (size_t j = 0; j < rn; j++) {
            int s = rem[rn - 1 - j] * 2 + carry;

            twice[rn - j] = (unsigned char)(s % 10);
            carry = s / 10;
        }
        twice[0] = (unsigned char)carry;
        if (mag_cmp(twice, rn + 1, den, dn) >= 0) {
            size_t i = nn;

            while (i > 0) {
                i--;
                if (q[i] < 9) {
                    q[i]++;
                    break;
                }
                q[i] = 0;
                if (i == 0) {          /* all nines: grow by one digit */
                    q = cl_xrealloc(q, nn + 2);
                    memmove(q + 1, q, nn);
                    q[0] = 1;
                    nn++;
                }
            }
        }
        free(twice);
    }
    r->d = q;
    r->n = nn;
    r->exp = -16;
    r->neg = a->neg != b->neg;
    free(num);
    free(den);
    free(rem);
    dec_trim(r);
}

enum dop { D_ADD, D_SUB, D_MUL, D_DIV };

static int decimal_op(struct cl_exec *ex, double first, const struct cl_value *rest, size_t n,
                      enum dop op, struct cl_value *out)
{
    struct dec acc;

    if (isnan(first) || isinf(first)) {
        struct cl_buf b;

        cl_buf_init(&b);
        cl_go_float(&b, first);
        cl_exec_fail(ex, "Cannot create a Decimal from %s", b.data);
        cl_buf_fini(&b);
        return -1;
    }
    dec_from_float(&acc, first);
    for (size_t i = 0; i < n; i++) {
        double f = cl_sprig_float64(&rest[i]);
        struct dec x, r = { 0 };

        if (isnan(f) || isinf(f)) {
            dec_free(&acc);
            return decimal_op(ex, f, NULL, 0, op, out);
        }
        dec_from_float(&x, f);
        switch (op) {
        case D_ADD: dec_addsub(&r, &acc, &x, false); break;
        case D_SUB: dec_addsub(&r, &acc, &x, true); break;
        case D_MUL: dec_mul(&r, &acc, &x); break;
        case D_DIV:
            if (x.n == 0) {
                dec_free(&x);
                dec_free(&acc);
                return cl_exec_fail(ex, "decimal division by 0");
            }
            dec_div(&r, &acc, &x);
            break;
        }
        dec_free(&x);
        dec_free(&acc);
        acc = r;
        if (acc.n > 4096) {            /* keep operands bounded: beyond float64 anyway */
            double v = dec_to_float(&acc);

            dec_free(&acc);
            dec_from_float(&acc, v);
        }
    }
    *out = cl_v_float(dec_to_float(&acc));
    dec_free(&acc);
    return 0;
}

static int fn_add1f(ARGS)
{
    struct cl_value one = cl_v_int(1);

    (void)n;
    return decimal_op(ex, cl_sprig_float64(&args[0]), &one, 1, D_ADD, out);
}

static int fn_addf(ARGS)
{
    return decimal_op(ex, 0, args, n, D_ADD, out);
}

static int fn_subf(ARGS)
{
    return decimal_op(ex, cl_sprig_float64(&args[0]), args + 1, n - 1, D_SUB, out);
}

static int fn_mulf(ARGS)
{
    return decimal_op(ex, cl_sprig_float64(&args[0]), args + 1, n - 1, D_MUL, out);
}

static int fn_divf(ARGS)
{
    return decimal_op(ex, cl_sprig_float64(&args[0]), args + 1, n - 1, D_DIV, out);
}

static const struct cl_tmpl_func math_funcs[] = {
    { "add", fn_add, 0, -1, NULL },
    { "add1", fn_add1, 1, 1, NULL },
    { "add1f", fn_add1f, 1, 1, NULL },
    { "addf", fn_addf, 0, -1, NULL },
    { "biggest", fn_max, 1, -1, NULL },
    { "ceil", fn_ceil, 1, 1, NULL },
    { "div", fn_div, 2, 2, NULL },
    { "divf", fn_divf, 1, -1, NULL },
    { "floor", fn_floor, 1, 1, NULL },
    { "max", fn_max, 1, -1, NULL },
    { "maxf", fn_maxf, 1, -1, NULL },
    { "min", fn_min, 1, -1, NULL },
    { "minf", fn_minf, 1, -1, NULL },
    { "mod", fn_mod, 2, 2, NULL },
    { "mul", fn_mul, 1, -1, NULL },
    { "mulf", fn_mulf, 1, -1, NULL },
    { "round", fn_round, 2, 3, "xif" },
    { "sub", fn_sub, 2, 2, NULL },
    { "subf", fn_subf, 1, -1, NULL },
};

void cl_funcs_add_math(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, math_funcs, sizeof math_funcs / sizeof math_funcs[0]);
}
