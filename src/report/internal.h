/* internal.h -- helpers shared by the reporters only (not part of the library API). */
#ifndef CL_REPORT_INTERNAL_H
#define CL_REPORT_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "report.h"
#include "util.h"

#define CL_UTF8_BAD 0xFFFDu

/* Decode the code point at s (NUL-terminated) into *cp and return the bytes it takes:
 * 0 at the terminating NUL, 1 with *cp = CL_UTF8_BAD for a byte that does not start a
 * well-formed sequence (overlong forms, surrogates and values past U+10FFFF included). */
size_t cl_report_utf8_next(const char *s, uint32_t *cp);

/* The rest of cl_json_str() after its opening quote: s escaped, then the closing quote
 * (for writers that wrote the start of a string themselves). */
void cl_json_str_tail(FILE *out, const char *s);

/* Write code point cp as UTF-8. */
void cl_report_put_utf8(FILE *out, uint32_t cp);

/* Write s for a line-oriented log: ASCII characters listed in pct as %XX (GitHub's
 * workflow-command encoding), then C0/C1 controls and DEL escaped (\n, \t, \r, \xNN,
 * \u0080-\u009f) so input can neither break lines nor reach a terminal as escape
 * sequences, and invalid UTF-8 as U+FFFD. */
void cl_report_put_text(FILE *out, const char *s, const char *pct);

/* Append to b the message of f followed by its object part, as every line-oriented
 * format shows it: "MESSAGE (KIND/NAME, container NAME)", the parenthesis only for a
 * finding about an object or a container, "/NAME" only when the object has a name.
 * Plain text: callers escape it for their format. */
void cl_report_message(struct cl_buf *b, const struct cl_finding *f);

/* Write s as XML 1.0 text or attribute value: markup characters as entities, tab and
 * newline as character references, characters XML cannot carry (C0 controls, DEL/C1,
 * U+FFFE/U+FFFF) as \xNN / \uNNNN text, invalid UTF-8 as U+FFFD. */
void cl_report_xml_text(FILE *out, const char *s);

/* A fingerprint of f that does not move with its line: 16 hex digits of a 64-bit
 * FNV-1a over the code, path (the file as the consumer names it), the object, the
 * container and the YAML path -- and the message for a finding about no object, which
 * has nothing else telling it apart. Into b (reset first). */
void cl_report_fingerprint(struct cl_buf *b, const char *path, const struct cl_finding *f);

/* The display path of a position, never NULL. */
const char *cl_report_file(const struct cl_pos *pos);

#endif
