/* unicode_tables.h -- the Unicode tables of Go's unicode package (Unicode 15.0.0), which
 * cmake/gen_unicode.py generates into unicode_tables.c. Only sprig.c's cl_u_* functions
 * read them. */
#ifndef CL_FUNCS_UNICODE_TABLES_H
#define CL_FUNCS_UNICODE_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* What Go's predicates tell apart: Lu, Ll, Lt, other letters (Lm, Lo), Nd, other numbers
 * (Nl, No), punctuation (P*), and the rest (marks, symbols, separators, unassigned). */
enum cl_ucls { CL_UC_OTHER, CL_UC_LU, CL_UC_LL, CL_UC_LT, CL_UC_LX, CL_UC_ND, CL_UC_NX, CL_UC_P };

/* The code space in runs of one class, sorted: entry i is (first code point << 8 | class),
 * and its run lasts until the first code point of entry i + 1 (the last up to U+10FFFF). */
extern const uint32_t cl_ucls_runs[];
extern const size_t cl_ucls_nruns;

/* Go's CaseRanges: code points lo..hi map to themselves plus delta[0] (upper case),
 * delta[1] (lower case), delta[2] (title case); CL_UCASE_ALT in every delta marks a range
 * alternating upper, lower, upper, ... from lo. Code points in no range map to themselves. */
#define CL_UCASE_ALT 0x110000
struct cl_ucase {
    int32_t lo, hi;
    int32_t delta[3];
};
extern const struct cl_ucase cl_ucase_ranges[];
extern const size_t cl_ucase_nranges;

#endif
