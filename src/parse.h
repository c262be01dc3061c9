/* parse.h -- stage 3: YAML streams into positioned documents.
 *
 * cl_parse_stream() runs libfyaml's event parser over a buffer and builds one
 * struct cl_doc at a time in a caller-supplied document arena, hands it to the sink,
 * then resets the arena: memory stays proportional to the largest document, not the
 * stream. A syntax error is reported to the sink and parsing resumes at the next
 * document marker ("---" at column 1) after the error, so the rest still gets linted. */
#ifndef CL_PARSE_H
#define CL_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "node.h"
#include "pos.h"

struct cl_srcmap;   /* render source map (tmpl/srcmap.h); NULL for plain manifests */

struct cl_doc {
    const char *file;              /* display path of the input ("<stdin>"); run lifetime */
    size_t index;                  /* 0-based document number within the stream */
    struct cl_node *root;          /* NULL for an empty document */
    const char *source;            /* template named by helm's "# Source:" header, or NULL */
    uint32_t source_line;          /* 1-based line of that header in file (0: none) */
    const char *buf;               /* the input buffer the offsets refer to */
    size_t buf_len;
    const struct cl_srcmap *srcmap;
    struct cl_arena *arena;        /* document arena: the tree lives until the sink returns */
};

enum cl_parse_problem {
    CL_PARSE_SYNTAX,               /* malformed YAML; msg is libfyaml's message */
    CL_PARSE_DUPLICATE_KEY,        /* node = the later key; other = the first one */
};

struct cl_parse_sink {
    void *ud;
    /* One call per document, in order. The document and its tree are valid only
     * during the call. */
    void (*doc)(void *ud, struct cl_doc *doc);
    /* Problems found while parsing. For CL_PARSE_SYNTAX, doc and nodes are NULL and
     * pos holds the location; for duplicate keys, doc/node/other are set (valid during the
     * call) and the call comes just before the document's doc() call. */
    void (*problem)(void *ud, enum cl_parse_problem kind, const struct cl_doc *doc,
                    const struct cl_node *node, const struct cl_node *other,
                    const struct cl_pos *pos, const char *msg);
    /* Where doc->source is copied so it outlives the document (run lifetime). NULL:
     * it lives in the document arena, valid only during the doc() call. */
    struct cl_arena *run_arena;
};

/* Parse every document of buf (len bytes, need not be NUL-terminated; must stay valid
 * during the call) named file in messages. Returns the number of documents delivered,
 * or -1 if the parser could not be created at all. Input problems never fail the call. */
long cl_parse_stream(const char *file, const char *buf, size_t len,
                     const struct cl_srcmap *srcmap, struct cl_arena *doc_arena,
                     const struct cl_parse_sink *sink);

/* cl_parse_stream() that also calls hash(sink->ud, off) with the offset of every '#'
 * byte of buf, in increasing order, each once, and before any document holding it is
 * delivered. The input is checked for NUL bytes and invalid UTF-8 in a pass of its own
 * before libfyaml reads it; a suppression comment scan rides on that pass instead of
 * reading the input once more. */
long cl_parse_stream_hashed(const char *file, const char *buf, size_t len,
                            const struct cl_srcmap *srcmap, struct cl_arena *doc_arena,
                            const struct cl_parse_sink *sink,
                            void (*hash)(void *ud, size_t off));

/* Documents of the plainest kind (values.h, cl_values_quick) are read without libfyaml,
 * into the tree libfyaml's events would give. Tests only: false sends every document
 * through libfyaml, so the two paths can be compared. */
extern bool cl_parse_quick;

/* 1-based position of a node as a user should see it: the file line as read, or,
 * when the document was rendered by us, the template line through the source map. */
struct cl_pos cl_doc_pos(const struct cl_doc *doc, const struct cl_node *node);

#endif
