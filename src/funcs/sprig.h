/* sprig.h -- helpers shared by the Sprig families: Go's conversions as Sprig uses them
 * (strval, spf13/cast's ToInt64/ToFloat64, empty, reflect.DeepEqual). Internal to
 * src/funcs/. */
#ifndef CL_FUNCS_SPRIG_H
#define CL_FUNCS_SPRIG_H

#include <stdbool.h>
#include <stdint.h>

#include "tmpl/tmpl.h"
#include "tmpl/value.h"
#include "util.h"

/* Sprig's strval: a string as is, anything else as fmt's %v (nil is "<nil>"). */
void cl_sprig_strval(struct cl_buf *b, const struct cl_value *v);
/* The same as a value (a string argument is returned as is, not copied). */
struct cl_value cl_sprig_strval_v(struct cl_exec *ex, const struct cl_value *v);

/* cast.ToInt64 / cast.ToFloat64: numbers convert (floats truncate), bools are 1 and 0,
 * strings parse as Go's strconv.ParseInt(s, 0, 64) after dropping a ".000" tail /
 * strconv.ParseFloat; anything else (and any parse error) is 0. */
int64_t cl_sprig_int64(const struct cl_value *v);
double cl_sprig_float64(const struct cl_value *v);
/* Go's int64(f) as amd64 does it: out of range and NaN give the minimum int64. */
int64_t cl_sprig_f2i(double f);
/* strconv.ParseInt(s, base, 64) (base 0: Go's prefixes and underscores); false on a
 * syntax or range error. */
bool cl_go_parse_int(const char *s, size_t len, int base, int64_t *out);
/* strconv.ParseFloat(s, 64); false on a syntax or range error. */
bool cl_go_parse_float(const char *s, size_t len, double *out);

/* Sprig's empty: nil, false, 0, "", and empty lists and maps. */
bool cl_sprig_empty(const struct cl_value *v);
/* reflect.DeepEqual, iterative: same Go types and deeply equal contents. */
bool cl_sprig_deep_equal(const struct cl_value *a, const struct cl_value *b);
/* A plain map[string]interface{} (not a struct, not chartutil's Values). */
static inline bool cl_sprig_is_plain_map(const struct cl_value *v)
{
    return v->kind == CL_V_MAP && v->type == CL_VT_DEFAULT;
}

#endif

/* ---- Unicode, as Go's unicode and utf8 packages see it ---- */

#define CL_RUNE_ERROR 0xfffd
/* utf8.DecodeRune: the rune at s (len > 0) and its size; invalid bytes are
 * CL_RUNE_ERROR of size 1. */
int32_t cl_utf8_decode(const char *s, size_t len, size_t *size);
/* utf8.EncodeRune appended to b (invalid runes as U+FFFD). */
void cl_utf8_add(struct cl_buf *b, int32_t r);
/* Go's unicode.IsSpace, IsUpper, IsLower, IsTitle, IsLetter, IsDigit, IsNumber, IsPunct,
 * ToUpper, ToLower, ToTitle: Unicode 15.0.0 as Go 1.21+ has it, from our own tables
 * (unicode_tables.c), never the C library's locale. */
bool cl_u_isspace(int32_t r);
bool cl_u_isupper(int32_t r);
bool cl_u_islower(int32_t r);
bool cl_u_istitle(int32_t r);
bool cl_u_isletter(int32_t r);
bool cl_u_isdigit(int32_t r);
bool cl_u_isnumber(int32_t r);
bool cl_u_ispunct(int32_t r);
int32_t cl_u_toupper(int32_t r);
int32_t cl_u_tolower(int32_t r);
int32_t cl_u_totitle(int32_t r);

/* ---- argument helpers ---- */

/* reflect's Kind name of a value as Sprig's errors print it ("string", "map", ...). */
const char *cl_sprig_kind(const struct cl_value *v);

/* Charge work beyond one evaluation step to the template's operation cap: one op per
 * item touched, one per CL_BYTES_PER_OP bytes copied. Returns from the calling function
 * with -1 once the cap is exceeded (cl_exec_charge sets the error). */
#define CL_BYTES_PER_OP 64
#define CL_CHARGE(ex, ops)                                  \
    do {                                                    \
        if (cl_exec_charge((ex), (uint64_t)(ops)) < 0)      \
            return -1;                                      \
    } while (0)
