/*
 * functions_file.c: built-ins that read files: file filebase64 fileexists
 * filemd5 filesha1 filesha256 filesha512 filebase64sha256 filebase64sha512. Relative paths are
 * resolved against ctx->base_dir (the stack's directory). file() returns text and insists on valid
 * UTF-8; the others work on raw bytes. Errors name the path and the system's reason, never the
 * file's content.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <errno.h>
#include <mbedtls/md.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *full_path(const cp_fn_call *c, const char *path)
{
    const char *base = c->ctx->base_dir;
    if (path[0] == '/' || !base || !*base) return cp_xstrdup(path);
    return cp_xasprintf("%s/%s", base, path);
}

/* Reads argument 0's file; NULL after reporting. The buffer is NUL-ended. */
char *cp__fn_read_file(const cp_fn_call *c, size_t *len)
{
    char *full = full_path(c, cp_string_val(c->args[0]));
    struct stat st;
    FILE *f = NULL;
    if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
        errno = EISDIR;
    else
        f = fopen(full, "rb");
    free(full);
    if (!f) {
        int err = errno;
        char *shown = cp_value_repr(c->args[0]);
        cp__fn_arg_error(c, 0, "cannot read %s: %s", shown, strerror(err));
        free(shown);
        return NULL;
    }
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    char tmp[8192];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) cp_buf_add(&b, tmp, k);
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        cp_buf_free(&b);
        char *shown = cp_value_repr(c->args[0]);
        cp__fn_arg_error(c, 0, "cannot read %s: read error", shown);
        free(shown);
        return NULL;
    }
    *len = b.len;
    return cp_buf_steal(&b);
}

cp_value *cp_fn_file(const cp_fn_call *c)
{
    size_t n;
    char *data = cp__fn_read_file(c, &n);
    if (!data) return NULL;
    if (!cp__utf8_valid(data, n) || memchr(data, '\0', n)) {
        free(data);
        char *shown = cp_value_repr(c->args[0]);
        cp__fn_arg_error(c, 0, "%s is not UTF-8 text: use filebase64() for binary files", shown);
        free(shown);
        return NULL;
    }
    cp_value *r = cp_string_n(data, n);
    free(data);
    return r;
}

cp_value *cp_fn_fileexists(const cp_fn_call *c)
{
    char *full = full_path(c, cp_string_val(c->args[0]));
    struct stat st;
    int rc = stat(full, &st);
    int err = errno;
    free(full);
    bool dir = rc == 0 && S_ISDIR(st.st_mode);
    if (!dir && (rc == 0 || err == ENOENT || err == ENOTDIR)) return cp_bool(rc == 0);
    char *shown = cp_value_repr(c->args[0]);
    if (dir)
        cp__fn_arg_error(c, 0, "%s is a directory, not a file", shown);
    else
        cp__fn_arg_error(c, 0, "cannot check %s: %s", shown, strerror(err));
    free(shown);
    return NULL;
}

/* Applies f to the bytes of argument 0's file. */
static cp_value *with_file(const cp_fn_call *c, cp_value *(*f)(int, const void *, size_t), int md)
{
    size_t n;
    char *data = cp__fn_read_file(c, &n);
    if (!data) return NULL;
    cp_value *r = f(md, data, n);
    free(data);
    return r;
}

static cp_value *raw_base64(int md, const void *data, size_t n)
{
    (void)md;
    return cp__base64(data, n);
}

cp_value *cp_fn_filebase64(const cp_fn_call *c) { return with_file(c, raw_base64, 0); }
cp_value *cp_fn_filemd5(const cp_fn_call *c)
{
    return with_file(c, cp__digest_hex, MBEDTLS_MD_MD5);
}
cp_value *cp_fn_filesha256(const cp_fn_call *c)
{
    return with_file(c, cp__digest_hex, MBEDTLS_MD_SHA256);
}
cp_value *cp_fn_filebase64sha256(const cp_fn_call *c)
{
    return with_file(c, cp__digest_base64, MBEDTLS_MD_SHA256);
}
cp_value *cp_fn_filesha1(const cp_fn_call *c)
{
    return with_file(c, cp__digest_hex, MBEDTLS_MD_SHA1);
}
cp_value *cp_fn_filesha512(const cp_fn_call *c)
{
    return with_file(c, cp__digest_hex, MBEDTLS_MD_SHA512);
}
cp_value *cp_fn_filebase64sha512(const cp_fn_call *c)
{
    return with_file(c, cp__digest_base64, MBEDTLS_MD_SHA512);
}
