/* gofmt.h -- Go's fmt and strconv text forms for template values.
 *
 * What fmt.Sprint, Sprintln and Sprintf print for the Go types a Helm template sees
 * (nil, bool, int, float64, string, []interface{}, map[string]interface{}), including
 * the error forms that end up in manifests: %!d(float64=42), %!s(MISSING),
 * %!(EXTRA string=b). Floats print like strconv: shortest digits that read back. */
#ifndef CL_TMPL_GOFMT_H
#define CL_TMPL_GOFMT_H

#include <stddef.h>

#include "arena.h"
#include "tmpl/value.h"
#include "util.h"

/* strconv.Quote (ascii_only: QuoteToASCII, as %+q) appended to b. */
void cl_go_quote_buf(struct cl_buf *b, const char *s, size_t len, bool ascii_only);
/* strconv.Quote into the arena. */
const char *cl_go_quote(struct cl_arena *a, const char *s, size_t len);

/* strconv.FormatFloat(f, 'g', -1, 64) as fmt's %v prints it: 1e+06, 0.0001, -0. */
void cl_go_float(struct cl_buf *b, double f);
/* strconv.FormatFloat(f, 'g', -1, 32): the shortest digits of f as a float32. */
void cl_go_float32(struct cl_buf *b, double f);

/* fmt.Sprint(v) / %v. */
void cl_go_print_value(struct cl_buf *b, const struct cl_value *v);
/* fmt.Sprint(args...): a space between operands when neither side is a string. */
void cl_go_sprint(struct cl_buf *b, const struct cl_value *args, size_t n);
/* fmt.Sprintln(args...): spaces between all operands, then a newline. */
void cl_go_sprintln(struct cl_buf *b, const struct cl_value *args, size_t n);
/* fmt.Sprintf(format, args...). */
void cl_go_sprintf(struct cl_buf *b, const char *format, size_t flen,
                   const struct cl_value *args, size_t n);

#endif
