/* funcs.h -- Sprig's and Helm's template functions, registered family by family.
 *
 * helm v4.1.4's function map is Sprig's TxtFuncMap (without env and expandenv) with
 * helm's own functions on top. Each family lives in its own file and adds its table
 * with cl_tmpl_funcs_add(); cl_funcs_add_sprig() adds every Sprig family, in Sprig's
 * order, so a later registration (helm's toJson) replaces an earlier one. Functions
 * follow docs/template-engine.md: Go's argument conversion, error texts and panics
 * ("error calling NAME: ...") as helm prints them. */
#ifndef CL_FUNCS_FUNCS_H
#define CL_FUNCS_FUNCS_H

#include <stdint.h>

#include "tmpl/tmpl.h"

/* Defines the plain and must spellings of a Sprig function (toDate and mustToDate) as
 * static functions plain and must that call impl(ex, args, false or true, out), where
 * impl returns a default value (plain) or fails the template (must) on bad input. */
#define CL_FUNCS_MUST_PAIR(plain, must, impl)                                               \
    static int plain(struct cl_exec *ex, const struct cl_value *args, size_t n,            \
                     struct cl_value *out)                                                  \
    {                                                                                       \
        (void)n;                                                                            \
        return impl(ex, args, false, out);                                                  \
    }                                                                                       \
    static int must(struct cl_exec *ex, const struct cl_value *args, size_t n,             \
                    struct cl_value *out)                                                   \
    {                                                                                       \
        (void)n;                                                                            \
        return impl(ex, args, true, out);                                                   \
    }

/* Every Sprig family below (what helm registers before its own functions). */
void cl_funcs_add_sprig(struct cl_tmpl_funcs *fs);

/* ---- text and data (strings.c lists.c dicts.c math.c conv.c reflect.c defaults.c
 * paths.c urls.c) ---- */

/* hello upper lower title untitle substr repeat trunc trim trimAll trimall trimSuffix
 * trimPrefix nospace initials swapcase snakecase camelcase kebabcase wrap wrapWith
 * contains hasPrefix hasSuffix quote squote cat indent nindent replace plural abbrev
 * abbrevboth split splitList splitn */
void cl_funcs_add_strings(struct cl_tmpl_funcs *fs);
/* list tuple append push mustAppend mustPush prepend mustPrepend first mustFirst rest
 * mustRest last mustLast initial mustInitial reverse mustReverse uniq mustUniq without
 * mustWithout has mustHas slice mustSlice concat chunk mustChunk compact mustCompact
 * until untilStep seq */
void cl_funcs_add_lists(struct cl_tmpl_funcs *fs);
/* dict get set unset hasKey pluck keys pick omit merge mergeOverwrite mustMerge
 * mustMergeOverwrite values dig deepCopy mustDeepCopy */
void cl_funcs_add_dicts(struct cl_tmpl_funcs *fs);
/* add1 add sub div mod mul biggest max min maxf minf ceil floor round add1f addf subf
 * divf mulf */
void cl_funcs_add_math(struct cl_tmpl_funcs *fs);
/* atoi int int64 float64 toDecimal toString toStrings join sortAlpha */
void cl_funcs_add_conv(struct cl_tmpl_funcs *fs);
/* typeOf typeIs typeIsLike kindOf kindIs deepEqual */
void cl_funcs_add_reflect(struct cl_tmpl_funcs *fs);
/* default empty coalesce all any ternary */
void cl_funcs_add_defaults(struct cl_tmpl_funcs *fs);
/* base dir clean ext isAbs osBase osDir osClean osExt osIsAbs */
void cl_funcs_add_paths(struct cl_tmpl_funcs *fs);
/* urlParse urlJoin */
void cl_funcs_add_urls(struct cl_tmpl_funcs *fs);

/* ---- encoding, hashes, crypto, random, regex, semver, dates, certificates
 * (encoding.c hash.c crypto.c random.c regex.c semver.c dates.c certs.c) ---- */

/* b64enc b64dec b32enc b32dec */
void cl_funcs_add_encoding(struct cl_tmpl_funcs *fs);
/* base64.StdEncoding.EncodeToString of len bytes at src, as an arena string value. */
struct cl_value cl_funcs_b64_encode(struct cl_arena *a, const void *src, size_t len);
/* base64.StdEncoding.Decode: 0, or -1 with the offset Go reports ("illegal base64 data at
 * input byte N") in *bad. d receives the bytes (room for len / 4 * 3 + 3), *dn their count. */
int cl_funcs_b64_decode(const unsigned char *s, size_t len, unsigned char *d, size_t *dn,
                        size_t *bad);
/* htpasswd bcrypt encryptAES decryptAES derivePassword (libcrypt and OpenSSL) */
void cl_funcs_add_crypto(struct cl_tmpl_funcs *fs);
/* genCA genCAWithKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert
 * genSignedCertWithKey genPrivateKey buildCustomCert (OpenSSL; one key per kind and
 * process, reused: see certs.c) */
void cl_funcs_add_certs(struct cl_tmpl_funcs *fs);
/* sha1sum sha256sum sha512sum adler32sum */
void cl_funcs_add_hash(struct cl_tmpl_funcs *fs);
/* randAlphaNum randAlpha randNumeric randAscii randBytes randInt uuidv4 shuffle, and
 * getHostByName (no network: IP literals and localhost only, see random.c) */
void cl_funcs_add_random(struct cl_tmpl_funcs *fs);
/* regexMatch regexFind regexFindAll regexReplaceAll regexReplaceAllLiteral regexSplit
 * regexQuoteMeta and their must* forms: Go's RE2 syntax and errors, run on pcre2 */
void cl_funcs_add_regex(struct cl_tmpl_funcs *fs);
/* semver semverCompare: Masterminds/semver v3 versions and constraints */
void cl_funcs_add_semver(struct cl_tmpl_funcs *fs);
/* now date dateInZone htmlDate htmlDateInZone toDate mustToDate dateModify mustDateModify
 * unixEpoch ago duration durationRound: Go's time layouts, zones from the tz database */
void cl_funcs_add_dates(struct cl_tmpl_funcs *fs);

/* Randomness of the random functions (random.c, crypto.c): the operating system's
 * (getrandom) by default. cl_funcs_set_seed() switches the process to a deterministic
 * generator seeded with seed, so that a render is reproducible (--seed); keys and
 * certificates (certs.c) still come from OpenSSL's generator. */
void cl_funcs_set_seed(uint64_t seed);
/* n random bytes from the current source into buf. */
void cl_funcs_random(void *buf, size_t n);
/* A uniform random integer in [0, n) (n > 0), from the current source. */
uint64_t cl_funcs_random_below(uint64_t n);
/* The clock of now, date and ago: the system's by default; fixed at unix_sec.nsec after
 * this call (reproducible output, tests). Process-wide. */
void cl_funcs_set_clock(int64_t unix_sec, int32_t nsec);
/* Unix seconds of now: the fixed clock, else the system's. */
int64_t cl_funcs_clock_now(void);
/* Has cl_funcs_set_seed() made the random functions deterministic? */
bool cl_funcs_seeded(void);

/* Keys of the certificate functions (certs.c): by default RSA and DSA keys come from
 * PEM compiled into chartlint (stock_keys.c), public and the same in every run, since
 * generating one costs more than a lint and a lint never shows its certificates; ECDSA
 * and ed25519 keys, cheap to make, are generated. After cl_funcs_fresh_keys() the
 * process generates every key itself on first use, for output that may be deployed
 * (`chartlint template`); call it before the first render. Process-wide. */
void cl_funcs_fresh_keys(void);
/* Under cl_funcs_set_seed() the certificate functions repeat too: RSA and DSA keys are the
 * stock ones even after cl_funcs_fresh_keys(), ECDSA and ed25519 keys are made from the
 * seeded source, serials come from it and validity from the fixed clock (ECDSA
 * signatures still use OpenSSL's random nonces: OpenSSL 3.0 has no RFC 6979). */
extern const char cl_funcs_stock_rsa2048[], cl_funcs_stock_rsa4096[], cl_funcs_stock_dsa[];

/* ---- helm's own functions (helm.c, yaml_emit.c) ---- */

/* include tpl required fail lookup toYaml mustToYaml toYamlPretty fromYaml fromYamlArray
 * toJson mustToJson toPrettyJson mustToPrettyJson toRawJson mustToRawJson fromJson
 * fromJsonArray toToml: helm's engine functions, registered after Sprig's. */
void cl_funcs_add_helm(struct cl_tmpl_funcs *fs);

/* sigs.k8s.io/yaml's Marshal of v (pretty: go.yaml.in/yaml/v3 with indent 2, no JSON
 * round trip) without the final newline, as toYaml prints it, into *out (arena string)
 * annotated with the values position of the key or item on each line. Returns 0, or -1
 * with encoding/json's message (a func, complex, NaN or Inf value) in *err. */
int cl_funcs_yaml_marshal(struct cl_arena *a, const struct cl_value *v, bool pretty,
                          struct cl_value *out, const char **err);

#endif
