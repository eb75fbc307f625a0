/*
 * functions_crypto.c: md5 sha1 sha256 base64sha256, hex (or base64) of the
 * digest of a string's UTF-8 bytes, with mbedTLS. The file* variants in
 * functions_file.c reuse cp__digest_hex and cp__digest_base64.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <mbedtls/md.h>

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
