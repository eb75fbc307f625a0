/*
 * attrs.c: the value helpers every provider shares, and those of the
 * built-in providers (see attrs.h).
 */
#include "providers/attrs.h"
#include "lang/value_json.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* --- reading -------------------------------------------------------------- */

const cp_value *cp_prov_field(const cp_value *m, const char *key)
{
    return m && cp_kind_of(m) == CP_MAP ? cp_map_get(m, key) : NULL;
}

const cp_value *cp_prov_get(const cp_value *m, const char *key)
{
    const cp_value *v = cp_prov_field(m, key);
    return v && !cp_is_null(v) && !cp_is_unknown(v) ? v : NULL;
}

bool cp_prov_is_set(const cp_value *m, const char *key) { return cp_prov_get(m, key) != NULL; }

int cp_prov_presence(const cp_value *m, const char *key)
{
    if (!m || cp_is_unknown(m)) return -1;
    const cp_value *v = cp_prov_field(m, key);
    if (!v || cp_is_null(v)) return 0;
    if (cp_is_unknown(v)) return -1;
    return cp_kind_of(v) != CP_LIST || cp_len(v) ? 1 : 0;
}

const char *cp_get_str(const cp_value *m, const char *key)
{
    const cp_value *v = cp_prov_field(m, key);
    return v && cp_kind_of(v) == CP_STRING ? cp_string_val(v) : NULL;
}

double cp_get_num(const cp_value *m, const char *key, double def)
{
    const cp_value *v = cp_prov_field(m, key);
    return v && cp_kind_of(v) == CP_NUMBER ? cp_number_val(v) : def;
}

bool cp_get_bool(const cp_value *m, const char *key, bool def)
{
    const cp_value *v = cp_prov_field(m, key);
    return v && cp_kind_of(v) == CP_BOOL ? cp_bool_val(v) : def;
}

const cp_value *cp_get_list(const cp_value *m, const char *key)
{
    const cp_value *v = cp_prov_field(m, key);
    return v && cp_kind_of(v) == CP_LIST ? v : NULL;
}

const cp_value *cp_get_map(const cp_value *m, const char *key)
{
    const cp_value *v = cp_prov_field(m, key);
    return v && cp_kind_of(v) == CP_MAP ? v : NULL;
}

const cp_value *cp_get_block(const cp_value *m, const char *key)
{
    const cp_value *l = cp_get_list(m, key);
    return l && cp_len(l) ? cp_list_get(l, 0) : NULL;
}

bool cp_changed(const cp_value *old_state, const cp_value *config, const char *key)
{
    const cp_value *a = cp_prov_field(old_state, key);
    const cp_value *b = cp_prov_field(config, key);
    if (!a || !b) return a != b && !((a && cp_is_null(a)) || (b && cp_is_null(b)));
    return !cp_equal(a, b);
}

const char *cp_get_str_or(const cp_value *m, const char *key, const char *def)
{
    const char *s = cp_get_str(m, key);
    return s ? s : def;
}

char *cp_prov_exactly_one(const cp_value *m, const char *const *keys)
{
    const char *set[2] = { NULL, NULL };
    size_t nset = 0, nunknown = 0, nkeys = 0;
    for (const char *const *k = keys; *k; k++, nkeys++) {
        int p = cp_prov_presence(m, *k);
        if (p < 0) nunknown++;
        if (p > 0 && nset < 2) set[nset] = *k;
        if (p > 0) nset++;
    }
    if (nset == 1 || (nset == 0 && nunknown)) return NULL;
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "set exactly one of ");
    for (size_t i = 0; i < nkeys; i++)
        cp_buf_printf(&b, "%s%s", i == 0 ? "" : i + 1 == nkeys ? " or " : ", ", keys[i]);
    if (nset == 0)
        cp_buf_adds(&b, " (none is set)");
    else
        cp_buf_printf(&b, " (%s and %s are both set)", set[0], set[1]);
    return cp_buf_steal(&b);
}

/* --- building ------------------------------------------------------------------ */

static cp_value *default_of(const cp_schema_attr *a)
{
    if (a->type == CP_AT_BLOCKS) return cp_list_new();
    if (!a->default_json || !(a->flags & (CP_REQUIRED | CP_OPTIONAL))) return cp_null();
    json_t *j = json_loads(a->default_json, JSON_DECODE_ANY, NULL);
    cp_value *v = j ? cp_value_from_json(j) : cp_null();
    json_decref(j);
    return v;
}

void cp_prov_set_marked_take(cp_value *m, const char *key, cp_value *v, bool sensitive)
{
    if (sensitive && !cp_is_null(v) && !cp_is_sensitive(v)) {
        cp_value *mv = cp_mark_sensitive(v);
        cp_release(v);
        v = mv;
    }
    cp_map_set_take(m, key, v);
}

cp_value *cp_prov_state(const cp_schema_attr *attrs, const cp_value *from)
{
    cp_value *m = cp_map_new();
    for (const cp_schema_attr *a = attrs; a->name; a++) {
        const cp_value *v = cp_prov_get(from, a->name);
        cp_value *nv = v && cp_is_wholly_known(v) ? cp_retain(v) : default_of(a);
        cp_prov_set_marked_take(m, a->name, nv, (a->flags & CP_SENSITIVE) != 0);
    }
    return m;
}

cp_value *cp_prov_map_copy(const cp_value *m)
{
    cp_value *c = cp_map_new();
    for (size_t i = 0; m && i < cp_len(m); i++)
        cp_map_set_take(c, cp_map_key_at(m, i), cp_retain(cp_map_value_at(m, i)));
    return c;
}

void cp_set_take(cp_value *m, const char *key, cp_value *v) { cp_map_set_take(m, key, v); }
void cp_set_str(cp_value *m, const char *key, const char *s)
{
    cp_map_set_take(m, key, s ? cp_string(s) : cp_null());
}
void cp_set_num(cp_value *m, const char *key, double n) { cp_map_set_take(m, key, cp_number(n)); }
void cp_set_bool(cp_value *m, const char *key, bool b) { cp_map_set_take(m, key, cp_bool(b)); }

/* --- errors, waits, randomness ------------------------------------------------------ */

int cp_fail(cp_provider_call *c, const char *fmt, ...)
{
    va_list ap;
    cp_buf b;
    cp_buf_init(&b);
    va_start(ap, fmt);
    cp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    free(c->error);
    c->error = cp_buf_steal(&b);
    return -1;
}

int cp_prov_check_config(cp_provider_call *c, char *(*rule)(const cp_value *config),
                         const cp_value *config)
{
    char *why = rule(config);
    if (!why) return 0;
    if (c->address)
        cp_fail(c, "%s: %s", c->address, why);
    else
        cp_fail(c, "%s", why);
    free(why);
    return -1;
}

bool cp_prov_cancelled(const cp_provider_call *c)
{
    return c->cancel && __atomic_load_n(c->cancel, __ATOMIC_RELAXED);
}

int cp_prov_sleep_ms(cp_provider_call *c, long ms)
{
    while (ms > 0) {
        if (cp_prov_cancelled(c))
            return cp_fail(c, "interrupted while waiting; run apply again to finish");
        long step = ms < 10 ? ms : 10;
        struct timespec ts = { 0, step * 1000000L };
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        ms -= step;
    }
    return cp_prov_cancelled(c) ? cp_fail(c, "interrupted; run apply again to finish") : 0;
}

int cp_prov_random(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

/* --- encodings ------------------------------------------------------------------------ */

char *cp_prov_hex(const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = cp_xmalloc(2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[p[i] >> 4];
        s[2 * i + 1] = digits[p[i] & 15];
    }
    s[2 * n] = '\0';
    return s;
}

char *cp_prov_base64(const unsigned char *p, size_t n, bool url)
{
    const char *abc = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *s = cp_xmalloc(4 * (n / 3 + 1) + 1), *o = s;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n) v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        *o++ = abc[(v >> 18) & 63];
        *o++ = abc[(v >> 12) & 63];
        if (i + 1 < n)
            *o++ = abc[(v >> 6) & 63];
        else if (!url)
            *o++ = '=';
        if (i + 2 < n)
            *o++ = abc[v & 63];
        else if (!url)
            *o++ = '=';
    }
    *o = '\0';
    return s;
}

static int b64_digit(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

int cp_prov_base64_decode(const char *s, unsigned char **out, size_t *n)
{
    size_t len = strlen(s);
    while (len && s[len - 1] == '=' && len % 4 != 1) len--; /* at most the padding */
    if (len % 4 == 1 || strlen(s) - len > 2) return -1;
    unsigned char *b = cp_xmalloc(len * 3 / 4 + 2);
    size_t w = 0;
    unsigned acc = 0;
    for (size_t i = 0; i < len; i++) {
        int d = b64_digit(s[i]);
        if (d < 0) {
            free(b);
            return -1;
        }
        acc = (acc << 6) | (unsigned)d;
        if (i % 4 == 3) {
            b[w++] = (unsigned char)(acc >> 16);
            b[w++] = (unsigned char)(acc >> 8);
            b[w++] = (unsigned char)acc;
            acc = 0;
        }
    }
    if (len % 4 == 2) b[w++] = (unsigned char)(acc >> 4);
    if (len % 4 == 3) {
        b[w++] = (unsigned char)(acc >> 10);
        b[w++] = (unsigned char)(acc >> 2);
    }
    b[w] = 0;
    *out = b;
    *n = w;
    return 0;
}

/* --- validators ----------------------------------------------------------------------- */

static bool whole_in(const cp_value *v, double lo, double hi)
{
    double d = cp_number_val(v);
    return d >= lo && d <= hi && floor(d) == d;
}

const char *cp_prov_validate_positive_int(const cp_value *v)
{
    if (cp_kind_of(v) != CP_NUMBER) return NULL; /* type errors are reported elsewhere */
    return whole_in(v, 1, 65536) ? NULL : "must be a whole number from 1 to 65536";
}

const char *cp_prov_validate_nonneg_int(const cp_value *v)
{
    if (cp_kind_of(v) != CP_NUMBER) return NULL;
    return whole_in(v, 0, 65536) ? NULL : "must be a whole number from 0 to 65536";
}

const char *cp_prov_validate_nonempty(const cp_value *v)
{
    if (cp_kind_of(v) != CP_STRING) return NULL;
    return cp_string_len(v) ? NULL : "must not be empty";
}
