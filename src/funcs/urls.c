/* urls.c -- Sprig's urlParse and urlJoin: Go's net/url parsing and printing.
 *
 * urlParse splits like url.Parse (scheme, opaque, authority with userinfo and host,
 * path, raw query, fragment), unescapes what Go unescapes and fails with Go's texts
 * ('parse "http://a b/": invalid character " " in host name'); urlJoin builds a
 * url.URL from a dict and prints it as URL.String() does, escaping per component. */
#include <stdlib.h>
#include <string.h>

#include "funcs/funcs.h"
#include "funcs/sprig.h"
#include "tmpl/gofmt.h"

#define ARGS struct cl_exec *ex, const struct cl_value *args, size_t n, struct cl_value *out

enum enc { E_PATH, E_PATH_SEGMENT, E_HOST, E_ZONE, E_USER, E_QUERY, E_FRAGMENT };

struct str {
    const char *s;
    size_t n;
};

static struct str mk(const char *s, size_t n)
{
    struct str r = { s, n };
    return r;
}

static bool has(struct str s, char c)
{
    return memchr(s.s, c, s.n) != NULL;
}

static const char *last(struct str s, char c)
{
    return s.n ? memrchr(s.s, c, s.n) : NULL;
}

/* net/url's shouldEscape. */
static bool should_escape(unsigned char c, enum enc mode)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return false;
    if (mode == E_HOST || mode == E_ZONE)
        if (strchr("!$&'()*+,;=:[]<>\"", c) && c)
            return false;
    switch (c) {
    case '-': case '_': case '.': case '~':
        return false;
    case '$': case '&': case '+': case ',': case '/': case ':': case ';': case '=': case '?':
    case '@':
        switch (mode) {
        case E_PATH_SEGMENT: return c == '/' || c == ';' || c == ',' || c == '?';
        case E_USER: return c == '@' || c == '/' || c == '?' || c == ':';
        case E_QUERY: return true;
        case E_FRAGMENT: return false;
        case E_PATH: return c == '?';
        default: break;
        }
    }
    if (mode == E_FRAGMENT && (c == '!' || c == '(' || c == ')' || c == '*'))
        return false;
    return true;
}

static void escape(struct cl_buf *b, struct str s, enum enc mode)
{
    static const char hex[] = "0123456789ABCDEF";

    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.s[i];

        if (!should_escape(c, mode)) {
            cl_buf_addc(b, (char)c);
        } else if (c == ' ' && mode == E_QUERY) {
            cl_buf_addc(b, '+');
        } else {
            cl_buf_addc(b, '%');
            cl_buf_addc(b, hex[c >> 4]);
            cl_buf_addc(b, hex[c & 15]);
        }
    }
}

static int unhex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

struct urlp {
    struct cl_exec *ex;
    const char *err;               /* Go's error text, arena */
};

/* net/url's unescape into the arena; NULL with p->err set on a bad escape. */
static const char *unescape(struct urlp *p, struct str s, enum enc mode, size_t *len)
{
    struct cl_arena *a = cl_exec_arena(p->ex);
    char *o;
    size_t w = 0;

    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.s[i];

        if (c == '%') {
            if (i + 2 >= s.n) {
                p->err = cl_arena_printf(a, "invalid URL escape %s",
                                         cl_go_quote(a, s.s + i, s.n - i > 3 ? 3 : s.n - i));
                return NULL;
            }
            if (unhex(s.s[i + 1]) < 0 || unhex(s.s[i + 2]) < 0) {
                p->err = cl_arena_printf(a, "invalid URL escape %s", cl_go_quote(a, s.s + i, 3));
                return NULL;
            }
            if (mode == E_HOST && unhex(s.s[i + 1]) < 8 && memcmp(s.s + i, "%25", 3) != 0) {
                p->err = cl_arena_printf(a, "invalid URL escape %s", cl_go_quote(a, s.s + i, 3));
                return NULL;
            }
            i += 2;
        } else if ((mode == E_HOST || mode == E_ZONE) && c < 0x80 && should_escape(c, mode)) {
            p->err = cl_arena_printf(a, "invalid character %s in host name",
                                     cl_go_quote(a, s.s + i, 1));
            return NULL;
        }
    }
    o = cl_arena_alloc(a, s.n + 1);
    for (size_t i = 0; i < s.n; i++) {
        if (s.s[i] == '%') {
            o[w++] = (char)(unhex(s.s[i + 1]) << 4 | unhex(s.s[i + 2]));
            i += 2;
        } else if (s.s[i] == '+' && mode == E_QUERY) {
            o[w++] = ' ';
        } else {
            o[w++] = s.s[i];
        }
    }
    o[w] = '\0';
    *len = w;
    return o;
}

static bool valid_optional_port(struct str port)
{
    if (port.n == 0)
        return true;
    if (port.s[0] != ':')
        return false;
    for (size_t i = 1; i < port.n; i++)
        if (port.s[i] < '0' || port.s[i] > '9')
            return false;
    return true;
}

struct url {
    struct str scheme, opaque, user, pass, host, path, query, fragment;
    bool has_user, has_pass;
};

static int parse_host(struct urlp *p, struct str h, struct str *out)
{
    struct cl_arena *a = cl_exec_arena(p->ex);
    const char *s;
    size_t len;

    if (h.n && h.s[0] == '[') {
        const char *rb = last(h, ']');
        struct str port;

        if (!rb) {
            p->err = "missing ']' in host";
            return -1;
        }
        port = mk(rb + 1, (size_t)(h.s + h.n - (rb + 1)));
        if (!valid_optional_port(port)) {
            p->err = cl_arena_printf(a, "invalid port %s after host",
                                     cl_go_quote(a, port.s, port.n));
            return -1;
        }
        {
            const char *zone = memmem(h.s, (size_t)(rb - h.s), "%25", 3);

            if (zone) {
                size_t l1, l2, l3;
                const char *h1 = unescape(p, mk(h.s, (size_t)(zone - h.s)), E_HOST, &l1);
                const char *h2 = h1 ? unescape(p, mk(zone, (size_t)(rb - zone)), E_ZONE, &l2) : NULL;
                const char *h3 = h2 ? unescape(p, mk(rb, (size_t)(h.s + h.n - rb)), E_HOST, &l3)
                                    : NULL;
                char *o;

                if (!h3)
                    return -1;
                o = cl_arena_alloc(a, l1 + l2 + l3 + 1);
                memcpy(o, h1, l1);
                memcpy(o + l1, h2, l2);
                memcpy(o + l1 + l2, h3, l3);
                o[l1 + l2 + l3] = '\0';
                *out = mk(o, l1 + l2 + l3);
                return 0;
            }
        }
    } else if ((s = last(h, ':'))) {
        struct str port = mk(s, (size_t)(h.s + h.n - s));

        if (!valid_optional_port(port)) {
            p->err = cl_arena_printf(a, "invalid port %s after host",
                                     cl_go_quote(a, port.s, port.n));
            return -1;
        }
    }
    if (!(s = unescape(p, h, E_HOST, &len)))
        return -1;
    *out = mk(s, len);
    return 0;
}

static bool valid_userinfo(struct str s)
{
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.s[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            continue;
        if (!c || !strchr("-._:~!$&'()*+,;=%@", c))
            return false;
    }
    return true;
}

static int parse_authority(struct urlp *p, struct str auth, struct url *u)
{
    const char *at = last(auth, '@');
    struct str ui;
    const char *colon;
    size_t len;

    if (!at)
        return parse_host(p, auth, &u->host);
    if (parse_host(p, mk(at + 1, (size_t)(auth.s + auth.n - (at + 1))), &u->host) < 0)
        return -1;
    ui = mk(auth.s, (size_t)(at - auth.s));
    if (!valid_userinfo(ui)) {
        p->err = "net/url: invalid userinfo";
        return -1;
    }
    u->has_user = true;
    colon = memchr(ui.s, ':', ui.n);
    if (!colon) {
        if (!(u->user.s = unescape(p, ui, E_USER, &len)))
            return -1;
        u->user.n = len;
        return 0;
    }
    if (!(u->user.s = unescape(p, mk(ui.s, (size_t)(colon - ui.s)), E_USER, &len)))
        return -1;
    u->user.n = len;
    if (!(u->pass.s = unescape(p, mk(colon + 1, (size_t)(ui.s + ui.n - colon - 1)), E_USER, &len)))
        return -1;
    u->pass.n = len;
    u->has_pass = true;
    return 0;
}

/* url.Parse: 0, or -1 with p->err holding Go's error (without the "parse" prefix). */
static int url_parse(struct urlp *p, struct str raw, struct url *u)
{
    struct cl_arena *a = cl_exec_arena(p->ex);
    const char *hash = memchr(raw.s, '#', raw.n);
    struct str rest, frag = mk("", 0);
    size_t len;
    const char *q;

    memset(u, 0, sizeof *u);
    u->scheme = u->opaque = u->user = u->pass = u->host = u->path = u->query = mk("", 0);
    u->fragment = mk("", 0);
    if (hash) {
        frag = mk(hash + 1, (size_t)(raw.s + raw.n - hash - 1));
        raw.n = (size_t)(hash - raw.s);
    }
    for (size_t i = 0; i < raw.n; i++)
        if ((unsigned char)raw.s[i] < 0x20 || raw.s[i] == 0x7f) {
            p->err = "net/url: invalid control character in URL";
            goto err;
        }
    rest = raw;
    if (raw.n == 1 && raw.s[0] == '*') {
        u->path = raw;
        goto frag;
    }
    for (size_t i = 0; i < raw.n; i++) {         /* getScheme */
        char c = raw.s[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            continue;
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
            if (i == 0)
                break;
            continue;
        }
        if (c == ':') {
            char *sch;

            if (i == 0) {
                p->err = "missing protocol scheme";
                goto err;
            }
            sch = cl_arena_strndup(a, raw.s, i);
            for (size_t k = 0; k < i; k++)
                if (sch[k] >= 'A' && sch[k] <= 'Z')
                    sch[k] = (char)(sch[k] + 32);
            u->scheme = mk(sch, i);
            rest = mk(raw.s + i + 1, raw.n - i - 1);
        }
        break;
    }
    q = memchr(rest.s, '?', rest.n);
    if (rest.n && rest.s[rest.n - 1] == '?' && q == rest.s + rest.n - 1) {
        rest.n--;                                 /* ForceQuery: nothing to keep */
    } else if (q) {
        u->query = mk(q + 1, (size_t)(rest.s + rest.n - q - 1));
        rest.n = (size_t)(q - rest.s);
    }
    if (!(rest.n && rest.s[0] == '/')) {
        if (u->scheme.n) {
            u->opaque = rest;
            goto frag;
        }
        {
            const char *slash = memchr(rest.s, '/', rest.n);
            struct str seg = mk(rest.s, slash ? (size_t)(slash - rest.s) : rest.n);

            if (has(seg, ':')) {
                p->err = "first path segment in URL cannot contain colon";
                goto err;
            }
        }
    }
    if ((u->scheme.n || !(rest.n >= 3 && memcmp(rest.s, "///", 3) == 0)) && rest.n >= 2
        && memcmp(rest.s, "//", 2) == 0) {
        const char *slash = memchr(rest.s + 2, '/', rest.n - 2);
        struct str auth = mk(rest.s + 2, slash ? (size_t)(slash - rest.s - 2) : rest.n - 2);

        rest = slash ? mk(slash, (size_t)(rest.s + rest.n - slash)) : mk("", 0);
        if (parse_authority(p, auth, u) < 0)
            goto err;
    }
    if (!(u->path.s = unescape(p, rest, E_PATH, &len)))
        goto err;
    u->path.n = len;
frag:
    if (frag.n) {
        if (!(u->fragment.s = unescape(p, frag, E_FRAGMENT, &len)))
            goto err_frag;
        u->fragment.n = len;
    }
    return 0;
err:
    p->err = cl_arena_printf(a, "parse %s: %s", cl_go_quote(a, raw.s, raw.n), p->err);
    return -1;
err_frag:
    /* Parse reports a bad fragment against the whole URL */
    p->err = cl_arena_printf(a, "parse %s: %s",
                             cl_go_quote(a, raw.s, raw.n + 1 + frag.n), p->err);
    return -1;
}

static void userinfo_string(struct cl_buf *b, const struct url *u)
{
    escape(b, u->user, E_USER);
    if (u->has_pass) {
        cl_buf_addc(b, ':');
        escape(b, u->pass, E_USER);
    }
}

static struct cl_value bufval(struct cl_exec *ex, struct cl_buf *b)
{
    struct cl_value v = cl_v_str(cl_exec_arena(ex), b->data ? b->data : "", b->len);

    cl_buf_fini(b);
    return v;
}

static int fn_url_parse(ARGS)
{
    struct cl_arena *a = cl_exec_arena(ex);
    struct urlp p = { ex, NULL };
    struct url u;
    struct cl_value d;
    struct cl_buf b;
    struct str hn;
    const char *colon;

    (void)n;
    if (url_parse(&p, mk(args[0].u.str.s, args[0].u.str.len), &u) < 0)
        return cl_exec_fail(ex, "unable to parse url: %s", p.err);
    d = cl_v_map(a);
#define PUT(k, v) cl_map_set(a, d.u.map, k, strlen(k), cl_v_str(a, (v).s, (v).n))
    PUT("scheme", u.scheme);
    PUT("host", u.host);
    hn = u.host;                                  /* Hostname(): without the port */
    colon = last(hn, ':');
    if (colon && valid_optional_port(mk(colon, (size_t)(hn.s + hn.n - colon))))
        hn.n = (size_t)(colon - hn.s);
    if (hn.n >= 2 && hn.s[0] == '[' && hn.s[hn.n - 1] == ']')
        hn = mk(hn.s + 1, hn.n - 2);
    PUT("hostname", hn);
    PUT("path", u.path);
    PUT("query", u.query);
    PUT("opaque", u.opaque);
    PUT("fragment", u.fragment);
#undef PUT
    cl_buf_init(&b);
    if (u.has_user)
        userinfo_string(&b, &u);
    cl_map_set(a, d.u.map, "userinfo", 8, bufval(ex, &b));
    *out = d;
    return 0;
}

/* Sprig's getString: the key's string, "" when absent, a panic for other types. */
static int get_string(struct cl_exec *ex, const struct cl_value *d, const char *key,
                      struct str *out)
{
    const struct cl_value *v = d->kind == CL_V_MAP ? cl_map_get(d->u.map, key, strlen(key)) : NULL;

    *out = mk("", 0);
    if (!v)
        return 0;
    if (v->kind == CL_V_NIL)
        return cl_exec_fail(ex, "runtime error: invalid memory address or nil pointer "
                            "dereference");
    if (v->kind != CL_V_STRING)
        return cl_exec_fail(ex, "unable to parse %s key, must be of type string, but %s found",
                            key, cl_value_type_name(v));
    *out = mk(v->u.str.s, v->u.str.len);
    return 0;
}

static int fn_url_join(ARGS)
{
    struct url u;
    struct str ui;
    struct cl_buf b, path;
    bool has_user = false;

    (void)n;
    memset(&u, 0, sizeof u);
    if (get_string(ex, &args[0], "scheme", &u.scheme) < 0
        || get_string(ex, &args[0], "host", &u.host) < 0
        || get_string(ex, &args[0], "path", &u.path) < 0
        || get_string(ex, &args[0], "query", &u.query) < 0
        || get_string(ex, &args[0], "opaque", &u.opaque) < 0
        || get_string(ex, &args[0], "fragment", &u.fragment) < 0
        || get_string(ex, &args[0], "userinfo", &ui) < 0)
        return -1;
    if (ui.n) {
        struct urlp p = { ex, NULL };
        struct url tmp;
        const char *raw = cl_arena_printf(cl_exec_arena(ex), "proto://%.*s@host", (int)ui.n,
                                          ui.s);

        if (url_parse(&p, mk(raw, strlen(raw)), &tmp) < 0)
            return cl_exec_fail(ex, "unable to parse userinfo in dict: %s", p.err);
        u.user = tmp.user;
        u.pass = tmp.pass;
        u.has_pass = tmp.has_pass;
        has_user = tmp.has_user;
    }
    /* URL.String() */
    cl_buf_init(&b);
    if (u.scheme.n) {
        cl_buf_add(&b, u.scheme.s, u.scheme.n);
        cl_buf_addc(&b, ':');
    }
    if (u.opaque.n) {
        cl_buf_add(&b, u.opaque.s, u.opaque.n);
    } else {
        if (u.scheme.n || u.host.n || has_user) {
            if (u.host.n || u.path.n || has_user)
                cl_buf_adds(&b, "//");
            if (has_user) {
                userinfo_string(&b, &u);
                cl_buf_addc(&b, '@');
            }
            escape(&b, u.host, E_HOST);
        }
        cl_buf_init(&path);
        if (u.path.n == 1 && u.path.s[0] == '*')
            cl_buf_addc(&path, '*');
        else
            escape(&path, u.path, E_PATH);
        if (path.len && path.data[0] != '/' && u.host.n)
            cl_buf_addc(&b, '/');
        if (b.len == 0 && path.len) {
            const char *slash = memchr(path.data, '/', path.len);
            size_t seg = slash ? (size_t)(slash - path.data) : path.len;

            if (memchr(path.data, ':', seg))
                cl_buf_adds(&b, "./");
        }
        if (path.len)
            cl_buf_add(&b, path.data, path.len);
        cl_buf_fini(&path);
    }
    if (u.query.n) {
        cl_buf_addc(&b, '?');
        cl_buf_add(&b, u.query.s, u.query.n);
    }
    if (u.fragment.n) {
        cl_buf_addc(&b, '#');
        escape(&b, u.fragment, E_FRAGMENT);
    }
    *out = bufval(ex, &b);
    return 0;
}

static const struct cl_tmpl_func urls_funcs[] = {
    { "urlJoin", fn_url_join, 1, 1, "m" },
    { "urlParse", fn_url_parse, 1, 1, "s" },
};

void cl_funcs_add_urls(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, urls_funcs, sizeof urls_funcs / sizeof urls_funcs[0]);
}
