/* json.h -- Go's encoding/json for template values: decode into interface{} values and
 * Marshal them back, byte for byte as helm's toJson/fromJson and --set-json see them.
 *
 * Decoding gives Go's generic shapes: objects are maps (a repeated key: last wins),
 * arrays lists, every number a float64, strings with invalid UTF-8 replaced by U+FFFD.
 * Encoding sorts map keys, prints floats as Go does (shortest digits, exponent form
 * below 1e-6 and from 1e21), and escapes <, >, & and U+2028/U+2029 unless told not to.
 * Both use explicit stacks: input nesting never becomes C recursion; nesting deeper than
 * Go's 10000 fails as in Go ("exceeded max depth"). Values live in the caller's arena. */
#ifndef CL_JSON_H
#define CL_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "tmpl/value.h"
#include "util.h"

/* Decode the JSON value at the start of s (len bytes). With stream set (json.Decoder)
 * the value may be followed by anything and *used gets the bytes read; otherwise
 * (json.Unmarshal) only white space may follow. Returns 0, or -1 with Go's message
 * ("invalid character 'x' looking for beginning of value", "unexpected end of JSON
 * input") in *err (arena or static string). */
int cl_json_decode(struct cl_arena *a, const char *s, size_t len, bool stream,
                   struct cl_value *out, size_t *used, const char **err);

enum cl_json_flags {
    CL_JSON_NO_HTML_ESCAPE = 1 << 0, /* Encoder.SetEscapeHTML(false) (toRawJson) */
};

/* json.Marshal(v) (indent NULL) or json.MarshalIndent(v, "", indent) appended to b.
 * Returns 0, or -1 with Go's message in *err ("json: unsupported value: NaN");
 * b may then hold a partial result. */
int cl_json_encode(struct cl_buf *b, const struct cl_value *v, const char *indent,
                   unsigned flags, const char **err);

/* strconv.FormatFloat(f, fmt, -1, 64) for fmt 'e' or 'f' or 'g' appended to b. */
void cl_json_float_fmt(struct cl_buf *b, double f, char fmt);

#endif
