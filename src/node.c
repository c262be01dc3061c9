/* node.c -- reading chartlint's positioned YAML tree with Kubernetes' YAML semantics.
 *
 * Scalar resolution follows sigs.k8s.io/yaml, which decodes with go-yaml v2 (YAML 1.1
 * style): only plain scalars resolve to null, bool, int or float; quoted and block
 * scalars, and anything tagged !!str, are strings. An explicit core tag (!!bool, !!int,
 * !!float, !!null) resolves the text as that type would. Lookups see through aliases
 * and merge keys ("<<") with bounded work, so a crafted document (alias cycles, merge
 * chains) costs a fixed amount per call and never recurses. */
#include "node.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_DEREF 16        /* alias hops (one is all valid YAML needs) */
#define MAX_MERGE_MAPS 256  /* mappings visited through merge keys in one lookup */

const struct cl_node *cl_node_deref(const struct cl_node *node)
{
    for (int i = 0; node && node->type == CL_NODE_ALIAS; i++) {
        if (i == MAX_DEREF)
            return NULL;
        node = node->u.target;
    }
    return node;
}

bool cl_node_is_map(const struct cl_node *node)
{
    node = cl_node_deref(node);
    return node && node->type == CL_NODE_MAP;
}

bool cl_node_is_seq(const struct cl_node *node)
{
    node = cl_node_deref(node);
    return node && node->type == CL_NODE_SEQ;
}

bool cl_node_is_scalar(const struct cl_node *node)
{
    node = cl_node_deref(node);
    return node && node->type == CL_NODE_SCALAR;
}

/* How a scalar's tag asks it to be read. */
enum tagkind { TAG_NONE, TAG_STR, TAG_NULL, TAG_BOOL, TAG_INT, TAG_FLOAT, TAG_OTHER };

static enum tagkind tag_kind(const struct cl_node *node)
{
    const char *t = node->tag;

    if (!(node->flags & CL_NODE_TAGGED) || !t)
        return TAG_NONE;
    size_t n = strlen(t);

    /* "!!int", "tag:yaml.org,2002:int" or the verbatim "!<tag:yaml.org,2002:int>" */
    if (n > 2 && t[0] == '!' && t[1] == '<' && t[n - 1] == '>')
        t += 2, n -= 3;
    if (n >= 2 && strncmp(t, "!!", 2) == 0)
        t += 2, n -= 2;
    else if (n >= 18 && strncmp(t, "tag:yaml.org,2002:", 18) == 0)
        t += 18, n -= 18;
    else
        return TAG_OTHER;
    if (n == 3 && memcmp(t, "str", 3) == 0)
        return TAG_STR;
    if (n == 4 && memcmp(t, "null", 4) == 0)
        return TAG_NULL;
    if (n == 4 && memcmp(t, "bool", 4) == 0)
        return TAG_BOOL;
    if (n == 3 && memcmp(t, "int", 3) == 0)
        return TAG_INT;
    if (n == 5 && memcmp(t, "float", 5) == 0)
        return TAG_FLOAT;
    return TAG_OTHER;
}

/* The scalar node behind node when its text is subject to resolution as kind (plain
 * and untagged, or tagged with kind), else NULL. */
static const struct cl_node *resolvable(const struct cl_node *node, enum tagkind kind)
{
    enum tagkind tk;

    node = cl_node_deref(node);
    if (!node || node->type != CL_NODE_SCALAR)
        return NULL;
    tk = tag_kind(node);
    if (tk == TAG_NONE)
        return node->style == CL_STYLE_PLAIN ? node : NULL;
    return tk == kind ? node : NULL;
}

struct word {
    const char *s;
    size_t n;
};

#define W(lit) { lit, sizeof lit - 1 }

static bool text_is(const struct cl_node *node, const struct word *words)
{
    size_t len = node->u.scalar.len;

    if (len > 6)   /* no word below is longer */
        return false;
    for (; words->s; words++)
        if (len == words->n && memcmp(node->u.scalar.str, words->s, len) == 0)
            return true;
    return false;
}

static const struct word null_words[] = { W(""), W("~"), W("null"), W("Null"), W("NULL"),
                                          { NULL, 0 } };
static const struct word true_words[] = { W("y"), W("Y"), W("yes"), W("Yes"), W("YES"),
                                          W("on"), W("On"), W("ON"), W("true"), W("True"),
                                          W("TRUE"), { NULL, 0 } };
static const struct word false_words[] = { W("n"), W("N"), W("no"), W("No"), W("NO"),
                                           W("off"), W("Off"), W("OFF"), W("false"),
                                           W("False"), W("FALSE"), { NULL, 0 } };
static const struct word float_words[] = { W(".inf"), W(".Inf"), W(".INF"), W("+.inf"),
                                           W("+.Inf"), W("+.INF"), W("-.inf"), W("-.Inf"),
                                           W("-.INF"), W(".nan"), W(".NaN"), W(".NAN"),
                                           { NULL, 0 } };

bool cl_node_is_null(const struct cl_node *node)
{
    const struct cl_node *n = resolvable(node, TAG_NULL);

    return n && text_is(n, null_words);
}

const char *cl_node_str(const struct cl_node *node)
{
    node = cl_node_deref(node);
    return node && node->type == CL_NODE_SCALAR ? node->u.scalar.str : NULL;
}

bool cl_node_bool(const struct cl_node *node, bool *out)
{
    const struct cl_node *n = resolvable(node, TAG_BOOL);

    if (!n)
        return false;
    if (text_is(n, true_words)) {
        *out = true;
        return true;
    }
    if (text_is(n, false_words)) {
        *out = false;
        return true;
    }
    return false;
}

bool cl_node_is_true(const struct cl_node *node)
{
    bool b;

    return cl_node_bool(node, &b) && b;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

/* An integer as go-yaml v2 reads one: '_' removed, optional sign, then decimal, 0x hex,
 * 0o or leading-0 octal, 0b binary. Values beyond int64 fail (as they do for int64
 * fields in Kubernetes). */
static bool parse_int(const char *s, size_t len, long long *out)
{
    const char *end = s + len;
    unsigned long long v = 0, limit;
    bool neg = false, any = false;
    int base = 10;

    if (s < end && (*s == '+' || *s == '-'))
        neg = *s++ == '-';
    if (end - s >= 2 && s[0] == '0') {
        char b = s[1];
        if (b == 'x' || b == 'X')
            base = 16, s += 2;
        else if (b == 'o' || b == 'O')
            base = 8, s += 2;
        else if (b == 'b' || b == 'B')
            base = 2, s += 2;
        else
            base = 8, s += 1, any = true;   /* "0" itself is a digit */
    }
    limit = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
    for (; s < end; s++) {
        int d;
        if (*s == '_')
            continue;
        d = digit_value(*s);
        if (d >= base)
            return false;
        if (v > (limit - (unsigned)d) / (unsigned)base)
            return false;
        v = v * (unsigned)base + (unsigned)d;
        any = true;
    }
    if (!any)
        return false;
    if (neg)
        *out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
    else
        *out = (long long)v;
    return true;
}

/* go-yaml v2's float syntax: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
 * ('_' removed first), or one of the .inf/.nan words. */
static bool is_float(const struct cl_node *n)
{
    const char *s = n->u.scalar.str, *end = s + n->u.scalar.len;
    size_t digits = 0;

    if (text_is(n, float_words))
        return true;
    if (s < end && (*s == '+' || *s == '-'))
        s++;
    for (; s < end && ((*s >= '0' && *s <= '9') || *s == '_'); s++)
        digits += *s != '_';
    if (s < end && *s == '.') {
        size_t frac = 0;
        for (s++; s < end && ((*s >= '0' && *s <= '9') || *s == '_'); s++)
            frac += *s != '_';
        if (!digits && !frac)
            return false;
        digits += frac;
    }
    if (!digits)
        return false;
    if (s < end && (*s == 'e' || *s == 'E')) {
        size_t exp = 0;
        s++;
        if (s < end && (*s == '+' || *s == '-'))
            s++;
        for (; s < end && *s >= '0' && *s <= '9'; s++)
            exp++;
        if (!exp)
            return false;
    }
    return s == end;
}

bool cl_node_int(const struct cl_node *node, long long *out)
{
    const struct cl_node *n = resolvable(node, TAG_INT);
    long long v;

    if (!n || !parse_int(n->u.scalar.str, n->u.scalar.len, &v))
        return false;
    *out = v;
    return true;
}

bool cl_node_is_number(const struct cl_node *node)
{
    const struct cl_node *n = resolvable(node, TAG_INT);
    long long v;

    if (n && parse_int(n->u.scalar.str, n->u.scalar.len, &v))
        return true;
    /* Floats; digits beyond int64 also match the float syntax (go-yaml reads them as
     * uint64 or float64). */
    n = resolvable(node, TAG_FLOAT);
    return n && (parse_int(n->u.scalar.str, n->u.scalar.len, &v) || is_float(n));
}

/* Can this plain text be anything but a string? Only if it is empty or starts like a
 * null, bool or number word: most strings ("nginx", "app") are told apart at once. */
static bool may_resolve(const struct cl_node *n)
{
    if (!n->u.scalar.len)
        return true;
    switch (n->u.scalar.str[0]) {
    case '~': case 'n': case 'N': case 'y': case 'Y': case 't': case 'T': case 'f':
    case 'F': case 'o': case 'O': case '+': case '-': case '.': case '_':
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
    case '8': case '9':
        return true;
    default:
        return false;
    }
}

const char *cl_node_string(const struct cl_node *node)
{
    const struct cl_node *n = cl_node_deref(node);
    bool b;

    if (!n || n->type != CL_NODE_SCALAR)
        return NULL;
    switch (tag_kind(n)) {
    case TAG_STR:
    case TAG_OTHER:
        return n->u.scalar.str;
    case TAG_NONE:
        if (n->style != CL_STYLE_PLAIN || !may_resolve(n))
            return n->u.scalar.str;
        if (cl_node_is_null(n) || cl_node_bool(n, &b) || cl_node_is_number(n))
            return NULL;
        return n->u.scalar.str;
    default:
        return NULL;
    }
}

size_t cl_node_len(const struct cl_node *node)
{
    node = cl_node_deref(node);
    if (!node || (node->type != CL_NODE_MAP && node->type != CL_NODE_SEQ))
        return 0;
    return node->u.coll.n;
}

const struct cl_node *cl_node_item(const struct cl_node *seq, size_t i)
{
    seq = cl_node_deref(seq);
    if (!seq || seq->type != CL_NODE_SEQ || i >= seq->u.coll.n)
        return NULL;
    return seq->u.coll.items[i];
}

const struct cl_node *cl_node_key(const struct cl_node *map, size_t i)
{
    map = cl_node_deref(map);
    if (!map || map->type != CL_NODE_MAP || i >= map->u.coll.n)
        return NULL;
    return map->u.coll.items[2 * i];
}

const struct cl_node *cl_node_value(const struct cl_node *map, size_t i)
{
    map = cl_node_deref(map);
    if (!map || map->type != CL_NODE_MAP || i >= map->u.coll.n)
        return NULL;
    return map->u.coll.items[2 * i + 1];
}

static bool is_merge_key(const struct cl_node *key)
{
    return key && key->type == CL_NODE_SCALAR && key->u.scalar.len == 2 &&
           key->u.scalar.str[0] == '<' && key->u.scalar.str[1] == '<' &&
           key->style == CL_STYLE_PLAIN && tag_kind(key) != TAG_STR;
}

/* The own value for key in one mapping, last duplicate winning; *merges is set when the
 * mapping has merge keys. One pass: checks mostly ask for fields that are absent. */
static const struct cl_node *get_own(const struct cl_node *map, const char *key, size_t len,
                                     bool *merges)
{
    for (size_t i = map->u.coll.n; i-- > 0;) {
        const struct cl_node *k = map->u.coll.items[2 * i];

        if (k->type != CL_NODE_SCALAR) {
            k = cl_node_deref(k);
            if (!k || k->type != CL_NODE_SCALAR)
                continue;
        }
        /* the first byte before memcmp: keys of one length mostly differ there */
        if (k->u.scalar.len == len && (len == 0 || k->u.scalar.str[0] == key[0]) &&
            memcmp(k->u.scalar.str, key, len) == 0)
            return map->u.coll.items[2 * i + 1];
        if (k->u.scalar.len == 2 && is_merge_key(k))   /* "<<" only: most keys are longer */
            *merges = true;
    }
    return NULL;
}

/* Queue a merge source unless it is queued already (a merge bomb names the same few
 * mappings over and over). False when the queue is full. */
static bool enqueue(const struct cl_node **queue, size_t *tail, const struct cl_node *map)
{
    for (size_t i = 0; i < *tail; i++)
        if (queue[i] == map)
            return true;
    if (*tail == MAX_MERGE_MAPS)
        return false;
    queue[(*tail)++] = map;
    return true;
}

/* Lookup order (go-yaml v2): the mapping's own keys, then each merge source in turn;
 * in a sequence of merge sources the earlier ones win. A source's own merges are searched
 * after the source's own keys. The sources form a tree (or, in a crafted document, a
 * graph); this is a breadth-limited walk with an explicit queue. */
const struct cl_node *cl_node_get(const struct cl_node *map, const char *key)
{
    const struct cl_node *queue[MAX_MERGE_MAPS];
    size_t head = 0, tail = 0, len;

    map = cl_node_deref(map);
    if (!map || map->type != CL_NODE_MAP || !key)
        return NULL;
    len = strlen(key);
    queue[tail++] = map;
    while (head < tail) {
        const struct cl_node *m = queue[head++], *v;
        bool merges = false;

        v = get_own(m, key, len, &merges);
        if (v)
            return v;
        for (size_t i = 0; merges && i < m->u.coll.n; i++) {
            const struct cl_node *k = cl_node_deref(m->u.coll.items[2 * i]);
            const struct cl_node *src = cl_node_deref(m->u.coll.items[2 * i + 1]);

            if (!k || !is_merge_key(k) || !src)
                continue;
            if (src->type == CL_NODE_MAP) {
                if (!enqueue(queue, &tail, src))
                    return NULL;
            } else if (src->type == CL_NODE_SEQ) {
                for (size_t j = 0; j < src->u.coll.n; j++) {
                    const struct cl_node *s = cl_node_deref(src->u.coll.items[j]);
                    if (s && s->type == CL_NODE_MAP && !enqueue(queue, &tail, s))
                        return NULL;
                }
            }
        }
    }
    return NULL;
}

/* Path syntax: steps separated by '.', each a key made of any bytes but ".[", or a
 * bracket: [N] for a sequence index, ["key"] for any key (JSON string escapes \" \\
 * \/ \n \t \r \b \f and \uXXXX for ASCII). */
const struct cl_node *cl_node_at(const struct cl_node *node, const char *path)
{
    const char *p = path;
    char small[256];

    if (!path)
        return NULL;
    while (node && *p) {
        if (*p == '.') {
            p++;
            continue;
        }
        if (*p == '[' && p[1] == '"') {
            /* ["quoted key"]: unescape into a local or heap buffer */
            struct cl_buf b;
            const struct cl_node *v;
            cl_buf_init(&b);
            for (p += 2; *p && *p != '"'; p++) {
                char c = *p;
                if (c == '\\' && p[1]) {
                    p++;
                    switch (*p) {
                    case 'n': c = '\n'; break;
                    case 't': c = '\t'; break;
                    case 'r': c = '\r'; break;
                    case 'b': c = '\b'; break;
                    case 'f': c = '\f'; break;
                    case 'u': {
                        unsigned u = 0;
                        int k;
                        for (k = 1; k <= 4 && digit_value(p[k]) < 16; k++)
                            u = u * 16 + (unsigned)digit_value(p[k]);
                        if (k != 5 || u > 0x7f) {
                            cl_buf_fini(&b);
                            return NULL;
                        }
                        p += 4;
                        c = (char)u;
                        break;
                    }
                    default: c = *p; break;
                    }
                }
                cl_buf_addc(&b, c);
            }
            if (p[0] != '"' || p[1] != ']') {
                cl_buf_fini(&b);
                return NULL;
            }
            p += 2;
            v = cl_node_get(node, b.data ? b.data : "");
            cl_buf_fini(&b);
            node = v;
        } else if (*p == '[') {
            size_t i = 0;
            bool any = false;
            for (p++; *p >= '0' && *p <= '9'; p++) {
                if (i > (SIZE_MAX - 9) / 10)
                    return NULL;
                i = i * 10 + (size_t)(*p - '0');
                any = true;
            }
            if (!any || *p != ']')
                return NULL;
            p++;
            node = cl_node_item(node, i);
        } else {
            size_t n = strcspn(p, ".[");
            if (n < sizeof small) {
                memcpy(small, p, n);
                small[n] = '\0';
                node = cl_node_get(node, small);
            } else {
                char *k = cl_xstrndup(p, n);
                node = cl_node_get(node, k);
                free(k);
            }
            p += n;
        }
    }
    return node;
}

static bool plain_key(const char *s, size_t len)
{
    if (!len)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

static void add_json_string(struct cl_buf *b, const char *s, size_t len)
{
    cl_buf_addc(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': cl_buf_add(b, "\\\"", 2); break;
        case '\\': cl_buf_add(b, "\\\\", 2); break;
        case '\n': cl_buf_add(b, "\\n", 2); break;
        case '\t': cl_buf_add(b, "\\t", 2); break;
        case '\r': cl_buf_add(b, "\\r", 2); break;
        case '\b': cl_buf_add(b, "\\b", 2); break;
        case '\f': cl_buf_add(b, "\\f", 2); break;
        default:
            if (c < 0x20)
                cl_buf_printf(b, "\\u%04x", c);
            else
                cl_buf_addc(b, (char)c);
        }
    }
    cl_buf_addc(b, '"');
}

/* Walks parent pointers up from node (no recursion), then writes the steps top-down.
 * Paths are built for every finding, so the common case costs one malloc for the text:
 * the chain of the first CHAIN_SMALL steps sits on the stack. */
#define CHAIN_SMALL 64

char *cl_node_path(struct cl_arena *arena, const struct cl_node *root,
                   const struct cl_node *node, const char *prefix)
{
    const struct cl_node *small[CHAIN_SMALL], **chain = small;
    size_t n = 0, cap = CHAIN_SMALL;
    struct cl_buf b;
    char *out;

    for (const struct cl_node *c = node; c && c != root && c->parent; c = c->parent) {
        if (n == cap) {
            const struct cl_node **bigger = cl_xmalloc(2 * cap * sizeof *chain);
            memcpy(bigger, chain, n * sizeof *chain);
            if (chain != small)
                free(chain);
            chain = bigger;
            cap *= 2;
        }
        chain[n++] = c;
    }
    /* The common path (every key a plain one) is measured first and written straight
     * into the arena: a path per finding, and a heap buffer and a copy each cost more
     * than the path itself. */
    {
        size_t len = prefix ? strlen(prefix) : 0;
        bool plain = true;
        char *p;

        for (size_t i = n; plain && i-- > 0;) {
            const struct cl_node *c = chain[i], *parent = c->parent, *key;

            if (parent->type == CL_NODE_SEQ) {
                uint32_t v = c->idx;
                len += 3;                               /* "[", a digit, "]" */
                while (v >= 10) {
                    v /= 10;
                    len++;
                }
                continue;
            }
            key = c->idx < parent->u.coll.n ? cl_node_deref(parent->u.coll.items[2 * c->idx])
                                            : NULL;
            plain = key && key->type == CL_NODE_SCALAR &&
                    plain_key(key->u.scalar.str, key->u.scalar.len);
            if (plain)
                len += (len != 0) + key->u.scalar.len;
        }
        if (plain) {
            out = p = cl_arena_alloc(arena, len + 1);
            if (prefix)
                p = stpcpy(p, prefix);
            for (size_t i = n; i-- > 0;) {
                const struct cl_node *c = chain[i], *parent = c->parent, *key;

                if (parent->type == CL_NODE_SEQ) {
                    char digits[12];
                    size_t d = sizeof digits;
                    uint32_t v = c->idx;

                    do {
                        digits[--d] = (char)('0' + v % 10);
                        v /= 10;
                    } while (v);
                    *p++ = '[';
                    memcpy(p, digits + d, sizeof digits - d);
                    p += sizeof digits - d;
                    *p++ = ']';
                    continue;
                }
                key = cl_node_deref(parent->u.coll.items[2 * c->idx]);
                if (p != out)
                    *p++ = '.';
                memcpy(p, key->u.scalar.str, key->u.scalar.len);
                p += key->u.scalar.len;
            }
            *p = '\0';
            if (chain != small)
                free(chain);
            return out;
        }
    }
    cl_buf_init(&b);
    cl_buf_reserve(&b, 128);
    if (prefix)
        cl_buf_adds(&b, prefix);
    while (n-- > 0) {
        const struct cl_node *c = chain[n], *parent = c->parent;

        if (parent->type == CL_NODE_SEQ) {
            char digits[12];
            size_t d = sizeof digits;
            uint32_t v = c->idx;

            digits[--d] = ']';
            do {
                digits[--d] = (char)('0' + v % 10);
                v /= 10;
            } while (v);
            digits[--d] = '[';
            cl_buf_add(&b, digits + d, sizeof digits - d);
            continue;
        }
        /* a mapping: name the pair's key, whether c is the key or the value */
        const struct cl_node *key = c->idx < parent->u.coll.n
                                        ? cl_node_deref(parent->u.coll.items[2 * c->idx])
                                        : NULL;
        if (key && key->type == CL_NODE_SCALAR &&
            plain_key(key->u.scalar.str, key->u.scalar.len)) {
            if (b.len)
                cl_buf_addc(&b, '.');
            cl_buf_add(&b, key->u.scalar.str, key->u.scalar.len);
        } else if (key && key->type == CL_NODE_SCALAR) {
            cl_buf_addc(&b, '[');
            add_json_string(&b, key->u.scalar.str, key->u.scalar.len);
            cl_buf_addc(&b, ']');
        } else {
            cl_buf_add(&b, "[?]", 3);   /* a collection used as a key */
        }
    }
    if (chain != small)
        free(chain);
    out = cl_arena_strndup(arena, b.data, b.len);
    cl_buf_fini(&b);
    return out;
}
