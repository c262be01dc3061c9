/* random.c -- Sprig's random functions: randAlphaNum randAlpha randNumeric randAscii
 * randBytes randInt uuidv4 shuffle, and the process's random source.
 *
 * By default every byte comes from the operating system (getrandom(2), or /dev/urandom on
 * a kernel without it), as Sprig's crypto/rand does. cl_funcs_set_seed() switches to xoshiro256** seeded through
 * splitmix64, so that a render can be repeated byte for byte (--seed): output then
 * depends only on the seed and the order of calls. The source is process-wide and
 * guarded by a mutex. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "funcs/funcs.h"

static pthread_mutex_t rng_lock = PTHREAD_MUTEX_INITIALIZER;
static bool rng_seeded;
static uint64_t rng_s[4];

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t xoshiro_next(void)
{
    uint64_t r = rotl(rng_s[1] * 5, 7) * 9, t = rng_s[1] << 17;

    rng_s[2] ^= rng_s[0];
    rng_s[3] ^= rng_s[1];
    rng_s[1] ^= rng_s[2];
    rng_s[0] ^= rng_s[3];
    rng_s[2] ^= t;
    rng_s[3] = rotl(rng_s[3], 45);
    return r;
}

void cl_funcs_set_seed(uint64_t seed)
{
    pthread_mutex_lock(&rng_lock);
    for (int i = 0; i < 4; i++)
        rng_s[i] = splitmix64(&seed);
    rng_seeded = true;
    pthread_mutex_unlock(&rng_lock);
}

bool cl_funcs_seeded(void)
{
    bool seeded;

    pthread_mutex_lock(&rng_lock);
    seeded = rng_seeded;
    pthread_mutex_unlock(&rng_lock);
    return seeded;
}

/* n bytes from the kernel's generator: getrandom(2), or /dev/urandom where the kernel has
 * no getrandom (before Linux 3.17, or a syscall filter answering ENOSYS), as glibc's own
 * arc4random does. 0, or -1 when neither gives them. */
static int os_random(unsigned char *p, size_t n)
{
    size_t got = 0;
    int fd = -1;

    while (got < n) {
        ssize_t r = fd < 0 ? getrandom(p + got, n - got, 0) : read(fd, p + got, n - got);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == ENOSYS && fd < 0) {
            fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                return -1;
            continue;
        }
        if (r <= 0) {
            if (fd >= 0)
                close(fd);
            return -1;
        }
        got += (size_t)r;
    }
    if (fd >= 0)
        close(fd);
    return 0;
}

void cl_funcs_random(void *buf, size_t n)
{
    unsigned char *p = buf;

    pthread_mutex_lock(&rng_lock);
    if (rng_seeded) {
        for (size_t i = 0; i < n; i += 8) {
            uint64_t r = xoshiro_next();

            for (size_t k = 0; k < 8 && i + k < n; k++)
                p[i + k] = (unsigned char)(r >> (8 * k));
        }
    } else if (os_random(p, n) != 0) {
        /* no entropy source at all: nothing sensible to return */
        fprintf(stderr, "chartlint: no random bytes from the system (getrandom, /dev/urandom)\n");
        exit(3);
    }
    pthread_mutex_unlock(&rng_lock);
}

uint64_t cl_funcs_random_below(uint64_t n)
{
    uint64_t r, limit = UINT64_MAX - UINT64_MAX % n;   /* no modulo bias */

    do
        cl_funcs_random(&r, sizeof r);
    while (r >= limit);
    return r % n;
}

/* A string of count characters drawn from set (goutils' CryptoRandom*): "" for a count
 * of zero or less (Sprig drops goutils' error for a negative count). */
static int rand_string(struct cl_exec *ex, int64_t count, const char *set, size_t setlen,
                       struct cl_value *out)
{
    char *s;

    if (count <= 0) {
        *out = cl_v_str_ref("", 0);
        return 0;
    }
    if (cl_exec_charge(ex, (uint64_t)count) < 0)
        return -1;
    s = cl_arena_alloc(cl_exec_arena(ex), (size_t)count + 1);
    for (int64_t i = 0; i < count; i++)
        s[i] = set[cl_funcs_random_below(setlen)];
    s[count] = '\0';
    *out = cl_v_str_ref(s, (size_t)count);
    return 0;
}

#define LETTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"

static int fn_rand_alpha_num(struct cl_exec *ex, const struct cl_value *args, size_t n,
                             struct cl_value *out)
{
    (void)n;
    return rand_string(ex, args[0].u.i, LETTERS DIGITS, 62, out);
}

static int fn_rand_alpha(struct cl_exec *ex, const struct cl_value *args, size_t n,
                         struct cl_value *out)
{
    (void)n;
    return rand_string(ex, args[0].u.i, LETTERS, 52, out);
}

static int fn_rand_numeric(struct cl_exec *ex, const struct cl_value *args, size_t n,
                           struct cl_value *out)
{
    (void)n;
    return rand_string(ex, args[0].u.i, DIGITS, 10, out);
}

static int fn_rand_ascii(struct cl_exec *ex, const struct cl_value *args, size_t n,
                         struct cl_value *out)
{
    static const char printable[] =
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
        "abcdefghijklmnopqrstuvwxyz{|}~";

    (void)n;
    return rand_string(ex, args[0].u.i, printable, sizeof printable - 1, out);
}

/* randBytes: base64 of count random bytes. */
static int fn_rand_bytes(struct cl_exec *ex, const struct cl_value *args, size_t n,
                         struct cl_value *out)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int64_t count = args[0].u.i;
    unsigned char *raw;
    char *s;
    size_t o = 0, len;

    (void)n;
    if (count < 0)
        return cl_exec_fail(ex, "runtime error: makeslice: len out of range");
    if (cl_exec_charge(ex, (uint64_t)count) < 0)
        return -1;
    len = (size_t)count;
    raw = cl_arena_alloc(cl_exec_arena(ex), len + 1);
    cl_funcs_random(raw, len);
    s = cl_arena_alloc(cl_exec_arena(ex), (len + 2) / 3 * 4 + 1);
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)raw[i] << 16;

        if (i + 1 < len)
            v |= (uint32_t)raw[i + 1] << 8;
        if (i + 2 < len)
            v |= raw[i + 2];
        s[o++] = b64[(v >> 18) & 63];
        s[o++] = b64[(v >> 12) & 63];
        s[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        s[o++] = i + 2 < len ? b64[v & 63] : '=';
    }
    s[o] = '\0';
    *out = cl_v_str_ref(s, o);
    return 0;
}

/* randInt min max: math/rand's Intn(max-min) + min; Intn panics on n <= 0. */
static int fn_rand_int(struct cl_exec *ex, const struct cl_value *args, size_t n,
                       struct cl_value *out)
{
    int64_t lo = args[0].u.i, hi = args[1].u.i;
    uint64_t span;

    (void)n;
    if (hi <= lo)
        return cl_exec_fail(ex, "invalid argument to Intn");
    span = (uint64_t)hi - (uint64_t)lo;
    if (span > (uint64_t)INT64_MAX)    /* Go's int subtraction wraps negative */
        return cl_exec_fail(ex, "invalid argument to Intn");
    *out = cl_v_int((int64_t)((uint64_t)lo + cl_funcs_random_below(span)));
    return 0;
}

static int fn_uuidv4(struct cl_exec *ex, const struct cl_value *args, size_t n,
                     struct cl_value *out)
{
    unsigned char u[16];
    char *s = cl_arena_alloc(cl_exec_arena(ex), 37);
    static const char xd[] = "0123456789abcdef";
    size_t o = 0;

    (void)args;
    (void)n;
    cl_funcs_random(u, sizeof u);
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);     /* version 4 */
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);     /* RFC 4122 variant */
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            s[o++] = '-';
        s[o++] = xd[u[i] >> 4];
        s[o++] = xd[u[i] & 15];
    }
    s[o] = '\0';
    *out = cl_v_str_ref(s, o);
    return 0;
}

/* One rune of s as Go's []rune conversion reads it: invalid bytes are U+FFFD, size 1. */
static uint32_t rune_at(const unsigned char *p, size_t len, size_t *size)
{
    uint32_t r;
    size_t n;

    *size = 1;
    if (p[0] < 0x80)
        return p[0];
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2, r = p[0] & 0x1fu;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3, r = p[0] & 0x0fu;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4, r = p[0] & 0x07u;
    else
        return 0xfffd;
    if (len < n)
        return 0xfffd;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0xfffd;
        r = r << 6 | (p[i] & 0x3fu);
    }
    if ((n == 3 && (r < 0x800 || (r >= 0xd800 && r <= 0xdfff)))
        || (n == 4 && (r < 0x10000 || r > 0x10ffff)))
        return 0xfffd;
    *size = n;
    return r;
}

/* shuffle: the runes of s in a random order (goutils' Fisher-Yates). */
static int fn_shuffle(struct cl_exec *ex, const struct cl_value *args, size_t n,
                      struct cl_value *out)
{
    struct cl_arena *a = cl_exec_arena(ex);
    const unsigned char *s = (const unsigned char *)args[0].u.str.s;
    size_t len = args[0].u.str.len, nr = 0, o = 0;
    uint32_t *runes;
    char *d;

    (void)n;
    if (len == 0) {
        *out = args[0];
        return 0;
    }
    if (cl_exec_charge(ex, len) < 0)
        return -1;
    runes = cl_arena_alloc(a, len * sizeof *runes);
    for (size_t i = 0, sz; i < len; i += sz)
        runes[nr++] = rune_at(s + i, len - i, &sz);
    for (size_t i = nr - 1; i > 0; i--) {
        size_t k = (size_t)cl_funcs_random_below(i + 1);
        uint32_t t = runes[i];

        runes[i] = runes[k];
        runes[k] = t;
    }
    d = cl_arena_alloc(a, nr * 4 + 1);
    for (size_t i = 0; i < nr; i++)
        o += cl_utf8_encode(d + o, runes[i]);
    d[o] = '\0';
    *out = cl_v_str_ref(d, o);
    return 0;
}

/* getHostByName: chartlint never touches the network. An IP address resolves to
 * itself and "localhost" to 127.0.0.1, as Go's resolver does without asking DNS; any
 * other name fails the way helm fails with no DNS reachable (Sprig picks
 * addrs[rand.Intn(len(addrs))] of an empty list, which panics). */
static int fn_get_host_by_name(struct cl_exec *ex, const struct cl_value *args, size_t n,
                               struct cl_value *out)
{
    const char *s = args[0].u.str.s;
    unsigned char buf[16];

    (void)n;
    if (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1) {
        *out = args[0];
        return 0;
    }
    if (strcmp(s, "localhost") == 0) {
        *out = cl_v_str_ref("127.0.0.1", 9);
        return 0;
    }
    return cl_exec_fail(ex, "invalid argument to Intn");
}

static const struct cl_tmpl_func random_funcs[] = {
    { "getHostByName", fn_get_host_by_name, 1, 1, "s" },
    { "randAlpha", fn_rand_alpha, 1, 1, "i" },
    { "randAlphaNum", fn_rand_alpha_num, 1, 1, "i" },
    { "randAscii", fn_rand_ascii, 1, 1, "i" },
    { "randBytes", fn_rand_bytes, 1, 1, "i" },
    { "randInt", fn_rand_int, 2, 2, "ii" },
    { "randNumeric", fn_rand_numeric, 1, 1, "i" },
    { "shuffle", fn_shuffle, 1, 1, "s" },
    { "uuidv4", fn_uuidv4, 0, 0, NULL },
};

void cl_funcs_add_random(struct cl_tmpl_funcs *fs)
{
    cl_tmpl_funcs_add(fs, random_funcs, sizeof random_funcs / sizeof random_funcs[0]);
}
