/*
 * functions_crypto.c: md5 sha1 sha256 sha512 base64sha256 base64sha512,
 * hex (or base64) of the digest of a string's UTF-8 bytes, with mbedTLS
 * (the file* variants in functions_file.c reuse cp__digest_hex and
 * cp__digest_base64); bcrypt, with libxcrypt's crypt_r ("$2a$" hashes, a
 * fresh random salt each call); rsadecrypt, PKCS #1 v1.5 with mbedTLS's
 * RSA. Never puts a key, a password or a decrypted text in a message.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <crypt.h>
#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <stdlib.h>
#include <string.h>

/* Digest of data into out (at least 64 bytes); returns its size. */
static size_t digest(int md, const void *data, size_t len, unsigned char *out)
{
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type((mbedtls_md_type_t)md);
    mbedtls_md(info, data, len, out);
    return mbedtls_md_get_size(info);
}

cp_value *cp__digest_hex(int md, const void *data, size_t len)
{
    unsigned char d[64];
    size_t n = digest(md, data, len, d);
    char hex[129];
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = "0123456789abcdef"[d[i] >> 4];
        hex[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
    }
    return cp_string_n(hex, 2 * n);
}

cp_value *cp__digest_base64(int md, const void *data, size_t len)
{
    unsigned char d[64];
    size_t n = digest(md, data, len, d);
    return cp__base64(d, n);
}

static cp_value *of_arg(const cp_fn_call *c, int md)
{
    return cp__digest_hex(md, cp_string_val(c->args[0]), cp_string_len(c->args[0]));
}

cp_value *cp_fn_md5(const cp_fn_call *c) { return of_arg(c, MBEDTLS_MD_MD5); }
cp_value *cp_fn_sha1(const cp_fn_call *c) { return of_arg(c, MBEDTLS_MD_SHA1); }
cp_value *cp_fn_sha256(const cp_fn_call *c) { return of_arg(c, MBEDTLS_MD_SHA256); }

cp_value *cp_fn_base64sha256(const cp_fn_call *c)
{
    return cp__digest_base64(MBEDTLS_MD_SHA256, cp_string_val(c->args[0]),
                             cp_string_len(c->args[0]));
}
cp_value *cp_fn_sha512(const cp_fn_call *c) { return of_arg(c, MBEDTLS_MD_SHA512); }

cp_value *cp_fn_base64sha512(const cp_fn_call *c)
{
    return cp__digest_base64(MBEDTLS_MD_SHA512, cp_string_val(c->args[0]),
                             cp_string_len(c->args[0]));
}

/* --- bcrypt ------------------------------------------------------------------- */

cp_value *cp_fn_bcrypt(const cp_fn_call *c)
{
    long long cost = 10;
    if (c->nargs == 2 && !cp__fn_int_arg(c, 1, 4, 31, &cost)) return NULL;
    if (cp_string_len(c->args[0]) > 72)
        return cp__fn_arg_error(c, 0,
                                "bcrypt uses at most 72 bytes of a password, and this one "
                                "is longer");
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$2a$", (unsigned long)cost, NULL, 0, salt, sizeof salt))
        return cp__fn_error(c, "cannot make a random salt");
    struct crypt_data *cd = cp_xcalloc(1, sizeof *cd);
    const char *h = crypt_r(cp_string_val(c->args[0]), salt, cd);
    cp_value *r = h && h[0] == '$' ? cp_string(h) : cp__fn_error(c, "hashing failed");
    free(cd);
    return r;
}

/* --- rsadecrypt ----------------------------------------------------------------- */

static cp_value *decrypt_with(const cp_fn_call *c, mbedtls_pk_context *pk, const unsigned char *in,
                              size_t n)
{
    mbedtls_entropy_context ent;
    mbedtls_ctr_drbg_context rng;
    mbedtls_entropy_init(&ent);
    mbedtls_ctr_drbg_init(&rng);
    unsigned char out[1024];
    size_t len = 0;
    int rc = mbedtls_ctr_drbg_seed(&rng, mbedtls_entropy_func, &ent, NULL, 0);
    if (rc == 0)
        rc = mbedtls_pk_decrypt(pk, in, n, out, &len, sizeof out, mbedtls_ctr_drbg_random, &rng);
    mbedtls_ctr_drbg_free(&rng);
    mbedtls_entropy_free(&ent);
    if (rc != 0)
        return cp__fn_arg_error(c, 0,
                                "cannot decrypt the ciphertext with this key (PKCS #1 v1.5): "
                                "wrong key, or not RSA-encrypted");
    if (!cp__utf8_valid((const char *)out, len))
        return cp__fn_arg_error(c, 0, "the decrypted bytes are not UTF-8 text");
    return cp_string_n((const char *)out, len);
}

cp_value *cp_fn_rsadecrypt(const cp_fn_call *c)
{
    size_t n = 0, blen = cp_string_len(c->args[0]);
    unsigned char *raw = cp_xmalloc(blen + 1);
    if (mbedtls_base64_decode(raw, blen + 1, &n, (const unsigned char *)cp_string_val(c->args[0]),
                              blen) != 0) {
        free(raw);
        return cp__fn_arg_error(c, 0, "argument 1 is not valid base64");
    }
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    /* the parser wants the PEM text with its NUL */
    const char *key = cp_string_val(c->args[1]);
    cp_value *r;
    if (mbedtls_pk_parse_key(&pk, (const unsigned char *)key, strlen(key) + 1, NULL, 0) != 0)
        r = cp__fn_arg_error(c, 1, "argument 2 is not an unencrypted PEM private key");
    else if (mbedtls_pk_get_type(&pk) != MBEDTLS_PK_RSA)
        r = cp__fn_arg_error(c, 1, "argument 2 is a private key, but not an RSA one");
    else
        r = decrypt_with(c, &pk, raw, n);
    mbedtls_pk_free(&pk);
    free(raw);
    return r;
}
