/*
 * lambda_common.c: the Lambda call helper and the deployment package
 * (see lambda_common.h). A source_dir is zipped the same way every time:
 * entries sorted by path, no timestamps (the zip's DOS time stays at its
 * 1980 floor whatever the time zone), owner 0, mode 0644 or 0755 — so the
 * same folder always gives the same bytes and the same source_code_hash.
 */
#include "providers/aws/lambda_common.h"
#include "util/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <mbedtls/base64.h>
#include <mbedtls/sha256.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const lambda_gone[] = { "ResourceNotFoundException", NULL };

int lambda_call(cp_provider_call *c, const char *operation, const char *method, const char *path,
                const aws_params *query, json_t *body, const char *const *gone, json_t **out)
{
    aws_error err = { 0 };
    json_t *o = NULL;
    int rc = aws_rest_json_call(cp_aws_client(c), "lambda", operation, method, path, query, body,
                                &o, &err);
    if (out)
        *out = o;
    else
        json_decref(o);
    if (rc == 0) return 0;
    if (cp_aws_error_in(&err, gone)) {
        aws_error_clear(&err);
        return 1;
    }
    return cp_aws_fail(c, &err, operation);
}

char *lambda_escape(const char *s)
{
    cp_buf b = { 0 };
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            strchr("-_.~", ch))
            cp_buf_addc(&b, (char)ch);
        else
            cp_buf_printf(&b, "%%%02X", ch);
    }
    return b.data ? cp_buf_steal(&b) : cp_xstrdup("");
}

char *lambda_fn_path(const char *function, const char *suffix)
{
    char *e = lambda_escape(function ? function : "");
    char *p = cp_xasprintf("/2015-03-31/functions/%s%s", e, suffix ? suffix : "");
    free(e);
    return p;
}

void lambda_sha256_b64(const void *data, size_t n, char out[45])
{
    unsigned char d[32];
    size_t olen;
    mbedtls_sha256_ret(data, n, d, 0);
    mbedtls_base64_encode((unsigned char *)out, 45, &olen, d, sizeof d);
}

/* --- reading files ------------------------------------------------------------------ */

static int read_file(const char *path, cp_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) cp_buf_add(out, chunk, got);
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

/* The regular files below root/rel, as paths relative to root, appended to l. */
static int list_files(const char *root, const char *rel, cp_value *l, char **why)
{
    char *dir = *rel ? cp_xasprintf("%s/%s", root, rel) : cp_xstrdup(root);
    DIR *d = opendir(dir);
    if (!d) {
        *why = cp_xasprintf("cannot read source_dir folder %s (%s)", dir, strerror(errno));
        free(dir);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *r = *rel ? cp_xasprintf("%s/%s", rel, de->d_name) : cp_xstrdup(de->d_name);
        char *full = cp_xasprintf("%s/%s", root, r);
        struct stat sb;
        if (stat(full, &sb) != 0) {
            *why = cp_xasprintf("cannot read %s (%s)", full, strerror(errno));
            rc = -1;
        } else if (S_ISDIR(sb.st_mode)) {
            rc = list_files(root, r, l, why);
        } else if (S_ISREG(sb.st_mode)) {
            cp_list_push_take(l, cp_string(r));
        }
        free(r);
        free(full);
    }
    closedir(d);
    free(dir);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* --- writing the zip ---------------------------------------------------------------- */

static la_ssize_t zip_write(struct archive *a, void *ud, const void *p, size_t n)
{
    (void)a;
    cp_buf_add(ud, p, n);
    return (la_ssize_t)n;
}

static int zip_add(struct archive *a, const char *root, const char *rel, char **why)
{
    char *full = cp_xasprintf("%s/%s", root, rel);
    cp_buf data = { 0 };
    struct stat sb;
    int rc = stat(full, &sb) == 0 && read_file(full, &data) == 0 ? 0 : -1;
    if (rc != 0) *why = cp_xasprintf("cannot read %s (%s)", full, strerror(errno));
    struct archive_entry *e = archive_entry_new();
    if (rc == 0) {
        archive_entry_set_pathname(e, rel);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, (sb.st_mode & 0111) ? 0755 : 0644);
        archive_entry_set_size(e, (la_int64_t)data.len);
        if (archive_write_header(a, e) != ARCHIVE_OK ||
            (data.len && archive_write_data(a, data.data, data.len) < 0)) {
            *why = cp_xasprintf("cannot zip %s (%s)", full, archive_error_string(a));
            rc = -1;
        }
    }
    archive_entry_free(e);
    cp_buf_free(&data);
    free(full);
    return rc;
}

int lambda_zip_dir(const char *dir, cp_buf *out, char **why)
{
    cp_value *l = cp_list_new();
    *why = NULL;
    if (list_files(dir, "", l, why) != 0) {
        cp_release(l);
        return -1;
    }
    size_t n = cp_len(l);
    const char **paths = cp_xcalloc(n ? n : 1, sizeof *paths);
    for (size_t i = 0; i < n; i++) paths[i] = cp_string_val(cp_list_get(l, i));
    qsort(paths, n, sizeof *paths, cmp_str);
    struct archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_set_options(a, "zip:compression=deflate");
    int rc = archive_write_open(a, out, NULL, zip_write, NULL) == ARCHIVE_OK ? 0 : -1;
    if (rc != 0) *why = cp_xasprintf("cannot start a zip archive (%s)", archive_error_string(a));
    for (size_t i = 0; rc == 0 && i < n; i++) rc = zip_add(a, dir, paths[i], why);
    if (archive_write_close(a) != ARCHIVE_OK && rc == 0) {
        *why = cp_xasprintf("cannot finish the zip of %s (%s)", dir, archive_error_string(a));
        rc = -1;
    }
    archive_write_free(a);
    free(paths);
    cp_release(l);
    return rc;
}

char *lambda_validate_code(const cp_value *config)
{
    static const char *const code[] = { "filename", "source_dir", NULL };
    return cp_prov_exactly_one(config, code);
}

int lambda_package(const cp_value *config, cp_buf *out, char **why)
{
    const char *file = cp_get_str(config, "filename"), *dir = cp_get_str(config, "source_dir");
    *why = lambda_validate_code(config);
    if (*why) return -1;
    if (dir) return lambda_zip_dir(dir, out, why);
    if (!file) {
        *why = cp_xstrdup("the code is not known yet: set filename or source_dir to known values");
        return -1;
    }
    if (read_file(file, out) != 0) {
        *why = cp_xasprintf("cannot read filename %s (%s)", file, strerror(errno));
        return -1;
    }
    return 0;
}
