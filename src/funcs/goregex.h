/* goregex.h -- Go regular expressions for the function families themselves (semver.c
 * parses versions and constraints with Masterminds/semver's own regexps). Internal to
 * src/funcs/; the implementation is regex.c's translator and cache. */
#ifndef CL_FUNCS_GOREGEX_H
#define CL_FUNCS_GOREGEX_H

#include <stddef.h>

struct cl_goregex;

/* The compiled form of a pattern known to be valid Go syntax (a constant in our code):
 * cached for the process, never NULL (an invalid constant is a programmer error). */
const struct cl_goregex *cl_goregex_get(const char *expr);
/* Number of capture groups. */
int cl_goregex_ncap(const struct cl_goregex *re);
/* Go's leftmost-first match of re in s[0..len) starting at pos: 1 with the offsets of
 * group k in ov[2k], ov[2k+1] ((size_t)-1 when the group did not take part), for nov
 * slots; 0 when there is no match (or when pcre2's backtracking limit ran out). */
int cl_goregex_exec(const struct cl_goregex *re, const char *s, size_t len, size_t pos,
                    size_t *ov, size_t nov);

#endif
