/* schema.h -- values.schema.json validation as helm v4.1.4 does it.
 *
 * helm validates each chart's coalesced values against the chart's values.schema.json
 * with santhosh-tekuri/jsonschema (draft 7 here): type, enum, const, required,
 * properties, patternProperties, additionalProperties, items (one schema or a tuple,
 * with additionalItems), min/maxLength, pattern (pcre2), minimum, maximum,
 * exclusiveMinimum/Maximum, multipleOf, min/maxItems, uniqueItems,
 * min/maxProperties, $ref to the schema's own definitions ("#/definitions/x",
 * "#/$defs/x", "#"), allOf, anyOf, oneOf, not, and boolean schemas. Each violation
 * carries that library's words ("minimum: got -5, want 0"), the JSON pointer of the
 * value ("/age", "" for the root) and the position of the value that caused it: its
 * values file line (or --set origin), the key holding it, or the file's 1:1.
 *
 * Violations are listed in the library's order (a schema's keywords in the order above,
 * children as they are reached); a failing allOf/anyOf/oneOf/not is one violation.
 * Validation nests at most CL_SCHEMA_MAX_DEPTH levels of schema and value; deeper parts
 * are not checked (no C recursion beyond that bound). Memory: the caller's arena. */
#ifndef CL_SCHEMA_H
#define CL_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "pos.h"
#include "tmpl/value.h"

#define CL_SCHEMA_MAX_DEPTH 200

struct cl_schema_violation {
    struct cl_pos pos;   /* where the offending value was written */
    const char *path;    /* JSON pointer of the value: "" or "/addresses/0/city" */
    const char *message; /* "missing property 'employmentInfo'" */
    const char *keyword; /* JSON pointer of the schema keyword that failed:
                          * "/properties/age/minimum", "/required"; for a false
                          * schema, the schema itself ("" for the root) */
    /* What failed inside: the violations of a "validation failed" group (several of one
     * value, where the library groups them: group set) or of the subschemas of a
     * failing allOf, anyOf or oneOf. Arena memory; NULL when none. */
    const struct cl_schema_violation *causes;
    size_t ncauses;
    bool group;
};

struct cl_schema_result {
    struct cl_schema_violation *v; /* heap (cl_schema_result_fini), strings in the arena */
    size_t n, cap;
    /* Set by the caller before cl_schema_validate(): messages quote names and values as
     * chartlint's messages do ("tag", cl_quote) instead of helm's way ('tag'). */
    bool quote_double;
};

/* init: empty, helm's quotes; fini: empty again (quote_double cleared too). */
void cl_schema_result_init(struct cl_schema_result *r);
void cl_schema_result_fini(struct cl_schema_result *r);

/* Validate values (a map, as coalesced) against the schema text (schema_file names it
 * in messages; values_file is the position used when a value has no origin). Returns 0
 * with every violation in *r (none: r->n == 0), or -1 when the schema itself is not
 * JSON or not a schema, with helm's kind of message in *err (arena string). */
int cl_schema_validate(struct cl_arena *a, const char *schema_file, const char *text,
                       size_t len, const struct cl_value *values, const char *values_file,
                       struct cl_schema_result *r, const char **err);

/* Where the value at JSON pointer (a violation's keyword) is written in the schema
 * text: a member's key, an array element's start, "" the document. 0 with *pos set
 * (file schema_file, 1-based), -1 when the text does not lead there. No recursion. */
int cl_schema_locate(const char *schema_file, const char *text, size_t len,
                     const char *pointer, struct cl_pos *pos);

/* helm's line for one violation: "- at '/age': minimum: got -5, want 0" (arena), and
 * below it, two spaces deeper per level, the lines of its causes. */
const char *cl_schema_line(struct cl_arena *a, const struct cl_schema_violation *v);

#endif
