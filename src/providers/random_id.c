/*
 * random_id.c: the `random_id` resource (provider "random"), as in
 * Terraform's random provider: byte_length random bytes from the kernel's
 * CSPRNG, shown as id (base64url, no padding, no prefix), b64_url, b64_std,
 * hex and dec (each with the optional prefix).
 *
 * Every argument forces a new id (keepers is a map whose only purpose is
 * that), so there is no update. Nothing exists outside state: read returns
 * the state unchanged and delete does nothing. Import takes "B64URL" or
 * "PREFIX,B64URL".
 */
#include "providers/attrs.h"
#include "providers/builtin.h"
#include "util/xalloc.h"

#include <mbedtls/bignum.h>
#include <stdlib.h>
#include <string.h>

/* Decimal form of the big-endian bytes ("0" when all zero). */
static char *decimal(const unsigned char *p, size_t n)
{
    mbedtls_mpi x;
    mbedtls_mpi_init(&x);
    size_t cap = 4 * n + 8, olen = 0; /* mbedTLS wants bits/2 + 3 for radix 10 */
    char *s = cp_xmalloc(cap);
    if (mbedtls_mpi_read_binary(&x, p, n) != 0 ||
        mbedtls_mpi_write_string(&x, 10, s, cap, &olen) != 0)
        strcpy(s, "0");
    mbedtls_mpi_free(&x);
    return s;
}

static void set_prefixed_take(cp_value *m, const char *key, const char *prefix, char *s)
{
    cp_map_set_take(m, key, cp_stringf("%s%s", prefix, s));
    free(s);
}

/* A complete state for these bytes; from supplies the arguments. */
static cp_value *id_state(const cp_value *from, const unsigned char *p, size_t n)
{
    cp_value *m = cp_prov_state(cp_type_random_id.attrs, from);
    const char *prefix = cp_get_str_or(from, "prefix", "");
    char *url = cp_prov_base64(p, n, true);
    cp_set_str(m, "id", url);
    set_prefixed_take(m, "b64_url", prefix, url);
    set_prefixed_take(m, "b64_std", prefix, cp_prov_base64(p, n, false));
    set_prefixed_take(m, "hex", prefix, cp_prov_hex(p, n));
    set_prefixed_take(m, "dec", prefix, decimal(p, n));
    return m;
}

static int rid_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    double len = cp_get_num(config, "byte_length", 0);
    const cp_value *lv = cp_prov_get(config, "byte_length");
    if (!lv || cp_prov_validate_positive_int(lv) || len < 1)
        return cp_fail(c, "byte_length must be a whole number from 1 to 65536");
    size_t n = (size_t)len;
    unsigned char *p = cp_xmalloc(n);
    if (cp_prov_random(p, n) != 0) {
        free(p);
        return cp_fail(c, "the system's random source failed; try again");
    }
    *state = id_state(config, p, n);
    free(p);
    return 0;
}

static int rid_read(cp_provider_call *c, const cp_value *state, cp_value **new_state)
{
    (void)c;
    *new_state = cp_retain(state);
    return 0;
}

static int rid_delete(cp_provider_call *c, const cp_value *state)
{
    (void)c;
    (void)state;
    return 0;
}

static int rid_import(cp_provider_call *c, const char *id, cp_value **state)
{
    const char *comma = strchr(id, ',');
    const char *b64 = comma ? comma + 1 : id;
    unsigned char *p;
    size_t n;
    if (!*b64 || cp_prov_base64_decode(b64, &p, &n) != 0 || n == 0)
        return cp_fail(
            c,
            "cannot import random_id \"%s\": give the base64url id, optionally after a prefix and a comma (\"web-,q9Zbg1Y\")",
            id);
    cp_value *from = cp_map_new();
    cp_map_set_take(from, "byte_length", cp_number((double)n));
    if (comma) cp_map_set_take(from, "prefix", cp_string_n(id, (size_t)(comma - id)));
    *state = id_state(from, p, n);
    cp_release(from);
    free(p);
    return 0;
}

static const cp_schema_attr random_id_attrs[] = {
    { .name = "byte_length",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = cp_prov_validate_positive_int,
      .description = "how many random bytes" },
    { .name = "prefix",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "text put before b64_url, b64_std, hex and dec" },
    { .name = "keepers",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "arbitrary values; changing any makes a new id" },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "base64url, no prefix" },
    { .name = "b64_url",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "prefix + base64url" },
    { .name = "b64_std",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "prefix + base64" },
    { .name = "hex", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "prefix + hex" },
    { .name = "dec",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "prefix + decimal" },
    { .name = NULL },
};

const cp_resource_type cp_type_random_id = {
    .name = "random_id",
    .description = "random bytes, for unique names",
    .attrs = random_id_attrs,
    .create = rid_create,
    .read = rid_read,
    .delete = rid_delete,
    .import = rid_import,
    .recovery = CP_RECOVER_NONE,
    .no_durable_intent = true, /* a value in state only: a lost create just draws again */
};
