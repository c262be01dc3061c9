/* helmignore.c -- .helmignore rules as Helm applies them (internal/ignore/rules.go).
 *
 * A rule is a Go filepath.Match glob. "!" negates, a trailing "/" restricts it to
 * directories, a leading "/" anchors it at the chart root; a rule with a '/' inside is
 * matched against the whole relative path, any other rule against the last element only.
 * A path is ignored when some positive rule matches and no negated rule does (order does
 * not matter: Helm fixed "!" to only override positive rules, helm/helm#3622). "**" is
 * refused, as Helm does. The loader applies the rules while it walks, so an ignored
 * directory is never entered. */
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "util.h"

/* Decode one UTF-8 rune at s (n bytes left); invalid bytes decode as U+FFFD of length
 * 1, as Go's utf8.DecodeRuneInString. */
static size_t rune_at(const char *s, size_t n, uint32_t *r)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t c;
    size_t len;

    if (p[0] < 0x80) {
        *r = p[0];
        return 1;
    }
    if ((p[0] & 0xe0) == 0xc0) {
        c = p[0] & 0x1f;
        len = 2;
    } else if ((p[0] & 0xf0) == 0xe0) {
        c = p[0] & 0x0f;
        len = 3;
    } else if ((p[0] & 0xf8) == 0xf0) {
        c = p[0] & 0x07;
        len = 4;
    } else {
        *r = 0xfffd;
        return 1;
    }
    if (len > n)
        goto bad;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            goto bad;
        c = (c << 6) | (p[i] & 0x3f);
    }
    if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
        c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        goto bad;
    *r = c;
    return len;
bad:
    *r = 0xfffd;
    return 1;
}

/* One escaped-or-plain rune of a class at *pp (pattern end e). false if malformed. */
static bool class_rune(const char **pp, const char *e, uint32_t *r)
{
    const char *p = *pp;
    size_t n;

    if (p >= e || *p == '-' || *p == ']')
        return false;
    if (*p == '\\') {
        p++;
        if (p >= e)
            return false;
    }
    n = rune_at(p, (size_t)(e - p), r);
    if (*r == 0xfffd && n == 1)
        return false;                 /* invalid UTF-8 in a class, as Go */
    p += n;
    if (p >= e)
        return false;                 /* the class must still be closed */
    *pp = p;
    return true;
}

/* Match one element of the pattern at *pp against the rune c (c < 0: end of name, which
 * never matches). Advances *pp past the element. Returns 1 match, 0 no match, -1 bad. */
static int match_elem(const char **pp, const char *e, int64_t c)
{
    const char *p = *pp;
    uint32_t r;

    if (*p == '?') {
        *pp = p + 1;
        return c >= 0 && c != '/';
    }
    if (*p == '[') {
        bool negated = false, match = false;
        int nrange = 0;

        p++;
        if (p < e && *p == '^') {
            negated = true;
            p++;
        }
        for (;;) {
            uint32_t lo, hi;
            if (p < e && *p == ']' && nrange > 0) {
                p++;
                break;
            }
            if (!class_rune(&p, e, &lo))
                return -1;
            hi = lo;
            if (*p == '-') {
                p++;
                if (!class_rune(&p, e, &hi))
                    return -1;
            }
            if (c >= 0 && lo <= (uint32_t)c && (uint32_t)c <= hi)
                match = true;
            nrange++;
        }
        *pp = p;
        return c >= 0 && match != negated;
    }
    if (*p == '\\') {
        p++;
        if (p >= e)
            return -1;
    }
    p += rune_at(p, (size_t)(e - p), &r);
    *pp = p;
    return c >= 0 && (uint32_t)c == r;
}

const char *cl_glob_check(const char *pattern)
{
    const char *p = pattern, *e = pattern + strlen(pattern);

    while (p < e) {
        if (*p == '*') {
            p++;
            continue;
        }
        if (match_elem(&p, e, -1) < 0)
            return "syntax error in pattern";
    }
    return NULL;
}

/* Classic glob matching with a single backtrack point (the last '*'), where a '*' may
 * not swallow '/'. Equivalent to Go's chunk matcher for well-formed patterns (the
 * caller has checked it: Go refuses a malformed pattern even where a prefix matched). */
static bool glob_match(const char *pattern, const char *name)
{
    const char *p = pattern, *pe = pattern + strlen(pattern);
    const char *s = name, *se = name + strlen(name);
    const char *star_p = NULL, *star_s = NULL;

    for (;;) {
        if (p < pe && *p == '*') {
            while (p < pe && *p == '*')
                p++;
            star_p = p;
            star_s = s;
            continue;
        }
        if (p < pe && s < se) {
            uint32_t c;
            size_t n = rune_at(s, (size_t)(se - s), &c);
            const char *q = p;
            if (match_elem(&q, pe, c) == 1) {
                p = q;
                s += n;
                continue;
            }
        } else if (p == pe && s == se) {
            return true;
        }
        /* Mismatch: let the last star take one more rune, unless that rune is '/'. */
        if (!star_p || star_s >= se || *star_s == '/')
            return false;
        {
            uint32_t c;
            star_s += rune_at(star_s, (size_t)(se - star_s), &c);
        }
        p = star_p;
        s = star_s;
    }
}

bool cl_glob_match(const char *pattern, const char *name)
{
    return !cl_glob_check(pattern) && glob_match(pattern, name);
}

void cl_ignore_init(struct cl_ignore *ig)
{
    ig->rules = NULL;
    ig->n = ig->cap = 0;
}

void cl_ignore_fini(struct cl_ignore *ig)
{
    for (size_t i = 0; i < ig->n; i++) {
        free((char *)ig->rules[i].pattern);
        free((char *)ig->rules[i].raw);
    }
    free(ig->rules);
    cl_ignore_init(ig);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

int cl_ignore_add(struct cl_ignore *ig, const char *line, uint32_t lineno, const char **err)
{
    const char *b = line, *e = line + strlen(line);
    struct cl_ignore_rule rule;
    char *raw, *pat, *p;
    size_t n;
    bool ascii = true;

    *err = NULL;
    while (b < e && is_space(*b))
        b++;
    while (e > b && is_space(e[-1]))
        e--;
    if (b == e || *b == '#')
        return 0;
    raw = cl_xstrndup(b, (size_t)(e - b));
    if (strstr(raw, "**")) {
        *err = "double-star (**) syntax is not supported";
        free(raw);
        return -1;
    }
    if (cl_glob_check(raw)) {
        *err = "syntax error in pattern";
        free(raw);
        return -1;
    }
    memset(&rule, 0, sizeof rule);
    rule.raw = raw;
    rule.line = lineno;
    p = raw;
    if (*p == '!') {
        rule.negate = true;
        p++;
    }
    n = strlen(p);
    if (n > 0 && p[n - 1] == '/') {
        rule.must_dir = true;
        n--;
    }
    if (n > 0 && p[0] == '/') {
        rule.full_path = true;
        p++;
        n--;
    } else {
        rule.full_path = memchr(p, '/', n) != NULL;
    }
    pat = cl_xstrndup(p, n);
    rule.pattern = pat;
    /* Most rules are a name (".git") or "*.ext": matched without the glob machine.
     * Only ASCII ones: the glob compares runes, and reads invalid UTF-8 as U+FFFD. */
    for (size_t i = 0; i < n; i++)
        ascii &= (unsigned char)pat[i] < 0x80;
    rule.how = 'g';
    if (ascii && strcspn(pat, "*?[\\") == n) {
        rule.how = 'l';
        rule.lit_len = n;
    } else if (ascii && n > 1 && pat[0] == '*' && strcspn(pat + 1, "*?[\\/") == n - 1) {
        rule.how = 's';
        rule.lit_len = n - 1;
    }
    if (ig->n == ig->cap) {
        ig->cap = ig->cap ? ig->cap * 2 : 8;
        ig->rules = cl_xrealloc(ig->rules, ig->cap * sizeof *ig->rules);
    }
    ig->rules[ig->n++] = rule;
    return 0;
}

size_t cl_ignore_parse(struct cl_ignore *ig, const char *text, size_t len,
                       void (*bad)(void *ud, uint32_t line, uint32_t col, const char *msg),
                       void *ud)
{
    const char *s = text, *end = text + len;
    uint32_t lineno = 0;
    size_t nbad = 0;
    struct cl_buf line;

    if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        s += 3;
    cl_buf_init(&line);
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        const char *err;

        lineno++;
        cl_buf_reset(&line);
        cl_buf_add(&line, s, (size_t)(le - s));
        /* A NUL inside a line ends the C string early; such a line is refused below
         * rather than silently cut. */
        if (memchr(s, '\0', (size_t)(le - s))) {
            nbad++;
            if (bad)
                bad(ud, lineno, 1, "rule contains a NUL byte");
        } else if (cl_ignore_add(ig, line.data, lineno, &err) < 0) {
            uint32_t col = 1;
            while (s + col - 1 < le && is_space(s[col - 1]))
                col++;
            nbad++;
            if (bad)
                bad(ud, lineno, col, err);
        }
        s = nl ? nl + 1 : end;
    }
    cl_buf_fini(&line);
    return nbad;
}

void cl_ignore_add_defaults(struct cl_ignore *ig)
{
    const char *err;

    cl_ignore_add(ig, "templates/.?*", 0, &err);
}

/* Does rule r match name (n bytes: the whole path or its last element)? */
static bool rule_matches(const struct cl_ignore_rule *r, const char *name, size_t n)
{
    const char *tail;

    switch (r->how) {
    case 'l':
        return n == r->lit_len && memcmp(name, r->pattern, n) == 0;
    case 's':                           /* "*" + literal: the star takes no '/' */
        if (n < r->lit_len)
            return false;
        tail = name + n - r->lit_len;
        return memcmp(tail, r->pattern + 1, r->lit_len) == 0 &&
               memchr(name, '/', (size_t)(tail - name)) == NULL;
    default:
        return glob_match(r->pattern, name);   /* checked by cl_ignore_add */
    }
}

bool cl_ignore_match(const struct cl_ignore *ig, const char *path, bool is_dir)
{
    bool positive = false, negative = false;
    const char *base;
    size_t len, base_len;

    if (!path || !*path || strcmp(path, ".") == 0 || strcmp(path, "./") == 0)
        return false;
    len = strlen(path);
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    base_len = len - (size_t)(base - path);
    for (size_t i = 0; i < ig->n; i++) {
        const struct cl_ignore_rule *r = &ig->rules[i];
        if (r->must_dir && !is_dir)
            continue;
        if (!(r->full_path ? rule_matches(r, path, len) : rule_matches(r, base, base_len)))
            continue;
        /* As Helm: a matching negated rule also counts as a positive match, but the
         * negative match wins. */
        if (r->negate)
            negative = true;
        positive = true;
    }
    return positive && !negative;
}
