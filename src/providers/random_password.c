/*
 * random_password.c: the `random_password` resource (provider "random"), as
 * in Terraform's random provider: `length` characters drawn uniformly (by
 * rejection sampling over the kernel's CSPRNG, so no modulo bias) from the
 * enabled sets — upper, lower, numeric, special (or override_special) — with
 * at least min_upper / min_lower / min_numeric / min_special of each, then
 * shuffled. The result is SENSITIVE: it is marked so everywhere and the
 * buffers that held it are wiped.
 *
 * Every argument forces a new password, so there is no update; read
 * returns the state unchanged and delete does nothing. Import takes the
 * password itself (the other arguments get their defaults).
 */
#include "providers/attrs.h"
#include "providers/builtin.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SET_UPPER, SET_LOWER, SET_NUMERIC, SET_SPECIAL, NSETS };

static const char *const set_names[NSETS] = { "upper", "lower", "numeric", "special" };
static const char *const set_chars[NSETS] = {
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789",
    "!@#$%&*()-_=+[]{}<>:?", /* Terraform's default special set */
};

typedef struct pw_spec {
    size_t length;
    const char *chars[NSETS]; /* NULL when the set is disabled */
    size_t min[NSETS];
    char *all; /* union of the enabled sets (malloc'd) */
} pw_spec;

/* A pool of random bytes, refilled from getrandom. */
typedef struct rng {
    unsigned char buf[256];
    size_t pos;
    int failed;
} rng;

static uint32_t rng_u32(rng *r)
{
    if (r->pos + 4 > sizeof r->buf) {
        if (cp_prov_random(r->buf, sizeof r->buf) != 0) r->failed = 1;
        r->pos = 0;
    }
    uint32_t v;
    memcpy(&v, r->buf + r->pos, 4);
    r->pos += 4;
    return v;
}

/* Uniform in [0, n), n > 0. */
static size_t rng_below(rng *r, size_t n)
{
    uint32_t limit = UINT32_MAX - (uint32_t)(((uint64_t)UINT32_MAX + 1) % n);
    uint32_t v;
    do v = rng_u32(r);
    while (v > limit && !r->failed);
    return v % n;
}

/* --- the spec from config ----------------------------------------------------- */

/* validate_config: the minimums fit in length (also checked by create).
 * An unknown length or minimum cannot be checked yet. */
static char *rpw_validate_config(const cp_value *config)
{
    const cp_value *lv = cp_prov_field(config, "length");
    if (!lv || cp_kind_of(lv) != CP_NUMBER) return NULL;
    double total = 0;
    for (int i = 0; i < NSETS; i++) {
        char key[32];
        snprintf(key, sizeof key, "min_%s", set_names[i]);
        const cp_value *mv = cp_map_get(config, key);
        if (mv && cp_is_unknown(mv)) return NULL;
        total += cp_get_num(config, key, 0);
    }
    if (total <= cp_number_val(lv)) return NULL;
    return cp_xasprintf(
        "length (%.0f) is less than min_upper + min_lower + min_numeric + min_special (%.0f): "
        "raise length or lower the minimums",
        cp_number_val(lv), total);
}

static int read_spec(cp_provider_call *c, const cp_value *config, pw_spec *s)
{
    memset(s, 0, sizeof *s);
    double len = cp_get_num(config, "length", 0);
    const cp_value *lv = cp_prov_get(config, "length");
    if (!lv || len < 1 || cp_prov_validate_positive_int(lv))
        return cp_fail(c, "length must be a whole number from 1 to 65536");
    s->length = (size_t)len;
    size_t total = 0;
    for (int i = 0; i < NSETS; i++) {
        char key[32];
        snprintf(key, sizeof key, "min_%s", set_names[i]);
        double min = cp_get_num(config, key, 0);
        const cp_value *mv = cp_prov_get(config, key);
        if (mv && cp_prov_validate_nonneg_int(mv))
            return cp_fail(c, "%s must be a whole number from 0 to 65536", key);
        s->min[i] = (size_t)min;
        total += s->min[i];
        if (!cp_get_bool(config, set_names[i], true)) {
            if (s->min[i])
                return cp_fail(c, "%s is %zu but %s is false: set %s = true or %s = 0", key,
                               s->min[i], set_names[i], set_names[i], key);
            continue;
        }
        s->chars[i] = i == SET_SPECIAL ? cp_get_str_or(config, "override_special", set_chars[i])
                                       : set_chars[i];
        if (!*s->chars[i] && s->min[i])
            return cp_fail(
                c, "%s is %zu but override_special is empty: add characters to it or set %s = 0",
                key, s->min[i], key);
    }
    char *why = total > s->length ? rpw_validate_config(config) : NULL;
    if (why) {
        cp_fail(c, "%s", why);
        free(why);
        return -1;
    }
    return 0;
}

static int build_charset(cp_provider_call *c, pw_spec *s)
{
    cp_buf b;
    cp_buf_init(&b);
    for (int i = 0; i < NSETS; i++)
        if (s->chars[i]) cp_buf_adds(&b, s->chars[i]);
    s->all = cp_buf_steal(&b);
    if (*s->all) return 0;
    return cp_fail(
        c,
        "no characters to choose from: enable at least one of upper, lower, numeric or special (with a non-empty override_special)");
}

/* --- generation ----------------------------------------------------------------- */

static char pick(rng *r, const char *set) { return set[rng_below(r, strlen(set))]; }

/* The password (malloc'd), or NULL when the random source failed. */
static char *generate(const pw_spec *s)
{
    rng r = { .pos = sizeof r.buf };
    char *pw = cp_xmalloc(s->length + 1);
    size_t k = 0;
    for (int i = 0; i < NSETS; i++)
        for (size_t j = 0; j < s->min[i]; j++) pw[k++] = pick(&r, s->chars[i]);
    while (k < s->length) pw[k++] = pick(&r, s->all);
    for (size_t i = s->length - 1; i > 0; i--) { /* Fisher-Yates */
        size_t j = rng_below(&r, i + 1);
        char t = pw[i];
        pw[i] = pw[j];
        pw[j] = t;
    }
    pw[s->length] = '\0';
    explicit_bzero(r.buf, sizeof r.buf);
    if (!r.failed) return pw;
    explicit_bzero(pw, s->length);
    free(pw);
    return NULL;
}

/* Wipe and free a password. */
static void forget(char *pw)
{
    if (!pw) return;
    explicit_bzero(pw, strlen(pw));
    free(pw);
}

static cp_value *pw_state(const cp_value *from, const char *pw)
{
    cp_value *m = cp_prov_state(cp_type_random_password.attrs, from);
    cp_set_str(m, "id", "none");
    cp_prov_set_marked_take(m, "result", cp_string(pw), true);
    return m;
}

static int rpw_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    pw_spec s;
    int rc = read_spec(c, config, &s);
    if (rc == 0) rc = build_charset(c, &s);
    char *pw = rc == 0 ? generate(&s) : NULL;
    free(s.all);
    if (rc != 0) return -1;
    if (!pw) return cp_fail(c, "the system's random source failed; try again");
    *state = pw_state(config, pw);
    forget(pw);
    return 0;
}

static int rpw_read(cp_provider_call *c, const cp_value *state, cp_value **new_state)
{
    (void)c;
    *new_state = cp_retain(state);
    return 0;
}

static int rpw_delete(cp_provider_call *c, const cp_value *state)
{
    (void)c;
    (void)state;
    return 0;
}

static int rpw_import(cp_provider_call *c, const char *id, cp_value **state)
{
    size_t n = strlen(id);
    if (n < 1 || n > 65536)
        return cp_fail(
            c, "cannot import random_password: give the password itself (1 to 65536 characters)");
    cp_value *from = cp_map_new();
    cp_map_set_take(from, "length", cp_number((double)n));
    *state = pw_state(from, id);
    cp_release(from);
    return 0;
}

#define PW_BOOL(nm, what)                                                                          \
    {                                                                                              \
        .name = nm, .type = CP_AT_BOOL, .flags = CP_OPTIONAL | CP_FORCE_NEW,                       \
        .default_json = "true", .description = "include " what                                     \
    }
#define PW_MIN(nm, what)                                                                           \
    {                                                                                              \
        .name = nm, .type = CP_AT_NUMBER, .flags = CP_OPTIONAL | CP_FORCE_NEW,                     \
        .default_json = "0", .validate = cp_prov_validate_nonneg_int,                              \
        .description = "at least this many " what                                                  \
    }

static const cp_schema_attr random_password_attrs[] = {
    { .name = "length",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = cp_prov_validate_positive_int,
      .description = "number of characters" },
    PW_BOOL("upper", "A-Z"),
    PW_BOOL("lower", "a-z"),
    PW_BOOL("numeric", "0-9"),
    PW_BOOL("special", "special characters"),
    PW_MIN("min_upper", "A-Z"),
    PW_MIN("min_lower", "a-z"),
    PW_MIN("min_numeric", "0-9"),
    PW_MIN("min_special", "special characters"),
    { .name = "override_special",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "the special characters to use instead of !@#$%&*()-_=+[]{}<>:?" },
    { .name = "keepers",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "arbitrary values; changing any makes a new password" },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "always \"none\"" },
    { .name = "result",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED | CP_SENSITIVE,
      .description = "the password" },
    { .name = NULL },
};

const cp_resource_type cp_type_random_password = {
    .name = "random_password",
    .description = "a random password, kept sensitive",
    .attrs = random_password_attrs,
    .create = rpw_create,
    .read = rpw_read,
    .delete = rpw_delete,
    .import = rpw_import,
    .validate_config = rpw_validate_config,
    .recovery = CP_RECOVER_NONE,
    .no_durable_intent = true, /* a value in state only: a lost create just draws again */
};
