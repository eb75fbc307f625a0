/*
 * codec_encrypt.c: AES-256-GCM state encryption (see codec_encrypt.h).
 *
 * Key derivation is deliberately slow (PBKDF2, CP_PBKDF2_ITERATIONS), so
 * the codec derives once per salt and caches: one salt for everything this
 * run writes, and the last salt it read.
 */
#include "backend/codec_encrypt.h"
#include "util/xalloc.h"

#include <mbedtls/gcm.h>
#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define SALT_LEN 16
#define IV_LEN   12
#define TAG_LEN  16
#define KEY_LEN  32

typedef struct enc_ctx {
    char *pass;
    pthread_mutex_t mu;
    unsigned char wsalt[SALT_LEN], wkey[KEY_LEN]; /* for writing */
    bool have_wkey;
    unsigned char rsalt[SALT_LEN], rkey[KEY_LEN]; /* last salt read */
    bool have_rkey;
} enc_ctx;

static int derive(const char *pass, const unsigned char *salt, unsigned char *key)
{
    mbedtls_md_context_t md;
    mbedtls_md_init(&md);
    int rc = mbedtls_md_setup(&md, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 1);
    if (rc == 0)
        rc = mbedtls_pkcs5_pbkdf2_hmac(&md, (const unsigned char *)pass, strlen(pass), salt,
                                       SALT_LEN, CP_PBKDF2_ITERATIONS, KEY_LEN, key);
    mbedtls_md_free(&md);
    return rc;
}

static int fill_random(unsigned char *p, size_t n)
{
    while (n) {
        ssize_t got = getrandom(p, n, 0);
        if (got <= 0) return -1;
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

bool cp_state_is_encrypted(const char *data, size_t len)
{
    size_t m = strlen(CP_ENCRYPT_MAGIC);
    return len >= m && memcmp(data, CP_ENCRYPT_MAGIC, m) == 0;
}

static int write_key(enc_ctx *c, char **err)
{
    if (c->have_wkey) return 0;
    if (fill_random(c->wsalt, SALT_LEN) != 0 || derive(c->pass, c->wsalt, c->wkey) != 0) {
        *err =
            cp_xstrdup("cannot derive the state encryption key (no randomness or PBKDF2 failure)");
        return -1;
    }
    c->have_wkey = true;
    return 0;
}

static int enc_encode(void *ctx, const char *in, size_t len, cp_buf *out, char **err)
{
    enc_ctx *c = ctx;
    pthread_mutex_lock(&c->mu);
    int rc = write_key(c, err);
    unsigned char iv[IV_LEN], tag[TAG_LEN];
    if (rc == 0 && fill_random(iv, IV_LEN) != 0) {
        *err = cp_xstrdup("cannot encrypt state: no randomness for the IV");
        rc = -1;
    }
    if (rc == 0) {
        size_t m = strlen(CP_ENCRYPT_MAGIC);
        cp_buf_reserve(out, m + SALT_LEN + IV_LEN + len + TAG_LEN);
        cp_buf_add(out, CP_ENCRYPT_MAGIC, m);
        cp_buf_add(out, c->wsalt, SALT_LEN);
        cp_buf_add(out, iv, IV_LEN);
        unsigned char *ct = (unsigned char *)out->data + out->len;
        mbedtls_gcm_context gcm;
        mbedtls_gcm_init(&gcm);
        rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, c->wkey, KEY_LEN * 8);
        if (rc == 0)
            rc = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len, iv, IV_LEN, NULL, 0,
                                           (const unsigned char *)in, ct, TAG_LEN, tag);
        mbedtls_gcm_free(&gcm);
        if (rc == 0) {
            out->len += len;
            cp_buf_add(out, tag, TAG_LEN);
        } else {
            *err = cp_xstrdup("state encryption failed (AES-256-GCM)");
            rc = -1;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return rc;
}

static const unsigned char *read_key(enc_ctx *c, const unsigned char *salt)
{
    if (c->have_rkey && !memcmp(c->rsalt, salt, SALT_LEN)) return c->rkey;
    if (c->have_wkey && !memcmp(c->wsalt, salt, SALT_LEN)) return c->wkey;
    if (derive(c->pass, salt, c->rkey) != 0) return NULL;
    memcpy(c->rsalt, salt, SALT_LEN);
    c->have_rkey = true;
    return c->rkey;
}

static int enc_decode(void *ctx, const char *in, size_t len, cp_buf *out, char **err)
{
    enc_ctx *c = ctx;
    size_t m = strlen(CP_ENCRYPT_MAGIC);
    if (!cp_state_is_encrypted(in, len)) { /* plain state: read as is */
        cp_buf_add(out, in, len);
        return 0;
    }
    if (len < m + SALT_LEN + IV_LEN + TAG_LEN) {
        *err = cp_xstrdup("encrypted state is truncated; restore it from the .backup copy");
        return -1;
    }
    const unsigned char *p = (const unsigned char *)in + m;
    size_t ctlen = len - m - SALT_LEN - IV_LEN - TAG_LEN;
    pthread_mutex_lock(&c->mu);
    const unsigned char *key = read_key(c, p);
    int rc = -1;
    if (key) {
        cp_buf_reserve(out, ctlen);
        mbedtls_gcm_context gcm;
        mbedtls_gcm_init(&gcm);
        rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, KEY_LEN * 8);
        if (rc == 0)
            rc = mbedtls_gcm_auth_decrypt(
                &gcm, ctlen, p + SALT_LEN, IV_LEN, NULL, 0, p + SALT_LEN + IV_LEN + ctlen, TAG_LEN,
                p + SALT_LEN + IV_LEN, (unsigned char *)out->data + out->len);
        mbedtls_gcm_free(&gcm);
    }
    pthread_mutex_unlock(&c->mu);
    if (rc != 0) {
        *err = cp_xstrdup(
            "cannot decrypt state: wrong passphrase (CPSTACK_STATE_PASSPHRASE) or a damaged file");
        return -1;
    }
    out->len += ctlen;
    out->data[out->len] = '\0';
    return 0;
}

static void enc_free(void *ctx)
{
    enc_ctx *c = ctx;
    if (!c) return;
    explicit_bzero(c->pass, strlen(c->pass));
    explicit_bzero(c->wkey, KEY_LEN);
    explicit_bzero(c->rkey, KEY_LEN);
    free(c->pass);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

int cp_codec_encrypt_new(const char *passphrase, cp_state_codec *out, char **err)
{
    if (!passphrase || strlen(passphrase) < 8) {
        *err = cp_xstrdup("the state passphrase must be at least 8 characters");
        return -1;
    }
    enc_ctx *c = cp_xcalloc(1, sizeof *c);
    c->pass = cp_xstrdup(passphrase);
    pthread_mutex_init(&c->mu, NULL);
    *out = (cp_state_codec){ enc_encode, enc_decode, enc_free, c };
    return 0;
}
