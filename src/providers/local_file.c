/*
 * local_file.c: the `local_file` resource and data source (provider "local"),
 * with the arguments and attributes of Terraform's local provider.
 *
 * The file's bytes come from exactly one of content, sensitive_content,
 * content_base64 or source (a file to copy). The id is the SHA-1 of those
 * bytes, beside content_md5 / _sha1 / _sha256 / _base64sha256 / _sha512 /
 * _base64sha512, all known at plan time (plan_known) when the content is.
 *
 * Writes are atomic: a temporary file beside the target, then rename, so a
 * crash never leaves half a file. Permissions are applied through open(),
 * so the process umask applies as in Terraform; read therefore keeps the
 * permission strings from state rather than reporting the on-disk mode.
 * Refresh: a vanished file reads as gone (planned for creation again); a
 * file edited behind cpstack's back reads with its new bytes, so the plan
 * shows an in-place update that rewrites it.
 */
#include "providers/attrs.h"
#include "providers/builtin.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <mbedtls/md.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The bytes to write, and where they came from. */
typedef struct file_bytes {
    unsigned char *data;
    size_t len;
    bool sensitive;
    const char *from; /* the argument that held them */
} file_bytes;

static const char *const sources[] = { "content", "sensitive_content", "content_base64", "source",
                                       NULL };

/* --- validators ------------------------------------------------------------ */

static const char *validate_mode(const cp_value *v)
{
    if (cp_kind_of(v) != CP_STRING) return NULL;
    const char *s = cp_string_val(v);
    size_t n = strlen(s);
    bool ok = n == 3 || n == 4;
    for (size_t i = 0; ok && i < n; i++) ok = s[i] >= '0' && s[i] <= '7';
    return ok ? NULL : "must be 3 or 4 octal digits, like \"0644\"";
}

static const char *validate_base64(const cp_value *v)
{
    if (cp_kind_of(v) != CP_STRING) return NULL;
    unsigned char *b;
    size_t n;
    if (cp_prov_base64_decode(cp_string_val(v), &b, &n) != 0)
        return "must be base64 (A-Z, a-z, 0-9, '+', '/', padded with '='), e.g. from filebase64()";
    free(b);
    return NULL;
}

/* --- reading and writing files ------------------------------------------------ */

/* Whole file into *fb. Returns 0, or -1 with errno set. */
static int load_file(const char *path, file_bytes *fb)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    cp_buf b;
    cp_buf_init(&b);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) cp_buf_add(&b, chunk, got);
    int err = ferror(f) ? EIO : 0;
    fclose(f);
    fb->len = b.len;
    fb->data = (unsigned char *)cp_buf_steal(&b);
    if (!err) return 0;
    free(fb->data);
    fb->data = NULL;
    errno = err;
    return -1;
}

/* mkdir -p of path's parent directories. */
static int make_parents(const char *path, mode_t mode)
{
    char *dir = cp_xstrdup(path);
    int rc = 0;
    for (char *p = dir + 1; *p && rc == 0; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, mode) != 0 && errno != EEXIST) rc = -1;
        *p = '/';
    }
    free(dir);
    return rc;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Write via a temporary file and rename. Returns 0, or -1 with errno set. */
static int write_atomic(const char *path, const file_bytes *fb, mode_t mode)
{
    unsigned char rnd[6];
    if (cp_prov_random(rnd, sizeof rnd) != 0) return -1;
    char *hex = cp_prov_hex(rnd, sizeof rnd);
    char *tmp = cp_xasprintf("%s.cpstack-tmp-%s", path, hex);
    free(hex);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    int rc = fd < 0 ? -1 : write_all(fd, fb->data, fb->len);
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0 && fd >= 0) unlink(tmp);
    free(tmp);
    errno = saved;
    return rc;
}

/* --- content and hashes --------------------------------------------------------- */

/* The one source that is set (NULL when not exactly one). */
static const char *the_source(const cp_value *config)
{
    const char *found = NULL;
    for (const char *const *s = sources; *s; s++) {
        if (!cp_prov_is_set(config, *s)) continue;
        if (found) return NULL;
        found = *s;
    }
    return found;
}

/* validate_config: exactly one source (create / update check it again). */
static char *lf_validate_config(const cp_value *config)
{
    return cp_prov_exactly_one(config, sources);
}

/* The bytes the config asks for. Returns 0, or -1 with c->error (c may be
 * NULL for plan_known: then failures are silent). */
static int wanted_bytes(cp_provider_call *c, const cp_value *config, file_bytes *fb)
{
    const char *a = the_source(config);
    memset(fb, 0, sizeof *fb);
    if (!a) {
        char *why = c ? lf_validate_config(config) : NULL;
        if (!why)
            return c ? cp_fail(
                           c, "the file's content is not known yet; apply what it depends on first")
                     : -1;
        cp_fail(c, "%s", why);
        free(why);
        return -1;
    }
    const cp_value *v = cp_map_get(config, a);
    fb->from = a;
    fb->sensitive = cp_is_sensitive(v) || strcmp(a, "sensitive_content") == 0;
    if (strcmp(a, "content_base64") == 0) {
        if (cp_prov_base64_decode(cp_string_val(v), &fb->data, &fb->len) == 0) return 0;
        return c ? cp_fail(
                       c,
                       "content_base64 is not valid base64: encode it with base64encode() or filebase64()")
                 : -1;
    }
    if (strcmp(a, "source") == 0) {
        if (load_file(cp_string_val(v), fb) == 0) return 0;
        return c ? cp_fail(c, "cannot read source %s: %s; check the path", cp_string_val(v),
                           strerror(errno))
                 : -1;
    }
    fb->len = cp_string_len(v);
    fb->data = (unsigned char *)cp_xstrndup(cp_string_val(v), fb->len);
    return 0;
}

static char *digest(mbedtls_md_type_t t, const file_bytes *fb, bool b64)
{
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(t);
    unsigned char out[64];
    mbedtls_md(info, fb->data, fb->len, out);
    size_t n = mbedtls_md_get_size(info);
    return b64 ? cp_prov_base64(out, n, false) : cp_prov_hex(out, n);
}

static void set_digest_take(cp_value *m, const char *key, char *s, bool sensitive)
{
    cp_prov_set_marked_take(m, key, cp_string_take(s), sensitive);
}

/* id and every content_* hash, marked sensitive when the content is. */
static void add_hashes(cp_value *m, const file_bytes *fb)
{
    bool s = fb->sensitive;
    set_digest_take(m, "id", digest(MBEDTLS_MD_SHA1, fb, false), s);
    set_digest_take(m, "content_md5", digest(MBEDTLS_MD_MD5, fb, false), s);
    set_digest_take(m, "content_sha1", digest(MBEDTLS_MD_SHA1, fb, false), s);
    set_digest_take(m, "content_sha256", digest(MBEDTLS_MD_SHA256, fb, false), s);
    set_digest_take(m, "content_base64sha256", digest(MBEDTLS_MD_SHA256, fb, true), s);
    set_digest_take(m, "content_sha512", digest(MBEDTLS_MD_SHA512, fb, false), s);
    set_digest_take(m, "content_base64sha512", digest(MBEDTLS_MD_SHA512, fb, true), s);
}

/* Put the bytes back into the argument they came from (refresh, import). */
static void set_content(cp_value *m, const file_bytes *fb)
{
    if (strcmp(fb->from, "content_base64") == 0)
        cp_prov_set_marked_take(
            m, fb->from, cp_string_take(cp_prov_base64(fb->data, fb->len, false)), fb->sensitive);
    else if (strcmp(fb->from, "source") != 0)
        cp_prov_set_marked_take(m, fb->from, cp_string_n((const char *)fb->data, fb->len),
                                fb->sensitive);
}

static mode_t mode_of(const cp_value *m, const char *key)
{
    return (mode_t)strtol(cp_get_str_or(m, key, "0777"), NULL, 8);
}

/* --- the resource ----------------------------------------------------------------- */

static int put_file(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *path = cp_get_str(config, "filename");
    if (!path || !*path)
        return cp_fail(c, "filename is required: set it to the path of the file to write");
    file_bytes fb;
    if (wanted_bytes(c, config, &fb) != 0) return -1;
    if (make_parents(path, mode_of(config, "directory_permission")) != 0 ||
        write_atomic(path, &fb, mode_of(config, "file_permission")) != 0) {
        free(fb.data);
        return cp_fail(c, "cannot write %s: %s; check the path and its directory's permissions",
                       path, strerror(errno));
    }
    cp_value *st = cp_prov_state(cp_type_local_file.attrs, config);
    add_hashes(st, &fb);
    free(fb.data);
    *state = st;
    return 0;
}

static int lf_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    return put_file(c, config, state);
}

static int lf_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    (void)old;
    return put_file(c, config, state);
}

/* Which argument the state's bytes came from (content when none). */
static const char *state_source(const cp_value *state)
{
    for (const char *const *s = sources; *s; s++)
        if (cp_prov_is_set(state, *s)) return *s;
    return "content";
}

static int lf_read(cp_provider_call *c, const cp_value *state, cp_value **new_state)
{
    const char *path = cp_get_str(state, "filename");
    if (!path)
        return cp_fail(
            c,
            "state has no filename; remove it with `cpstack state rm` and import the file again");
    file_bytes fb = { .from = state_source(state) };
    if (load_file(path, &fb) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            *new_state = NULL;
            return 0;
        }
        return cp_fail(c, "cannot read %s: %s; check its permissions", path, strerror(errno));
    }
    const cp_value *old = cp_map_get(state, fb.from);
    fb.sensitive = cp_is_sensitive(cp_map_get(state, "id")) || (old && cp_is_sensitive(old));
    char *sha1 = digest(MBEDTLS_MD_SHA1, &fb, false);
    if (strcmp(sha1, cp_get_str_or(state, "id", "")) == 0) {
        *new_state = cp_retain(state);
    } else {
        cp_value *ns = cp_prov_map_copy(state);
        set_content(ns, &fb);
        add_hashes(ns, &fb);
        *new_state = ns;
    }
    free(sha1);
    free(fb.data);
    return 0;
}

static int lf_delete(cp_provider_call *c, const cp_value *state)
{
    const char *path = cp_get_str(state, "filename");
    if (!path || unlink(path) == 0 || errno == ENOENT || errno == ENOTDIR) return 0;
    return cp_fail(c, "cannot delete %s: %s; check its directory's permissions", path,
                   strerror(errno));
}

/* Import by file name: bytes as content (content_base64 when binary). */
static int lf_import(cp_provider_call *c, const char *id, cp_value **state)
{
    file_bytes fb = { 0 };
    struct stat st;
    if (stat(id, &st) != 0 || load_file(id, &fb) != 0)
        return cp_fail(c, "cannot import %s: %s; give the path of an existing file", id,
                       strerror(errno));
    fb.from = memchr(fb.data, 0, fb.len) ? "content_base64" : "content";
    cp_value *m = cp_prov_state(cp_type_local_file.attrs, NULL);
    cp_set_str(m, "filename", id);
    cp_value *perm = cp_stringf("%04o", (unsigned)(st.st_mode & 07777));
    cp_map_set_take(m, "file_permission", perm);
    set_content(m, &fb);
    add_hashes(m, &fb);
    free(fb.data);
    *state = m;
    return 0;
}

static cp_value *lf_plan_known(const cp_value *config)
{
    cp_value *m = cp_map_new();
    file_bytes fb;
    if (wanted_bytes(NULL, config, &fb) == 0) add_hashes(m, &fb);
    free(fb.data);
    return m;
}

/* --- the data source ----------------------------------------------------------------- */

static int lfd_read(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *path = cp_get_str(config, "filename");
    file_bytes fb = { .from = "content" };
    if (!path || load_file(path, &fb) != 0)
        return cp_fail(c, "cannot read %s: %s; check the path", path ? path : "(no filename)",
                       path ? strerror(errno) : "filename is required");
    cp_value *m = cp_prov_state(cp_type_local_file_data.attrs, config);
    set_content(m, &fb);
    cp_map_set_take(m, "content_base64", cp_string_take(cp_prov_base64(fb.data, fb.len, false)));
    add_hashes(m, &fb);
    free(fb.data);
    *state = m;
    return 0;
}

/* --- tables ----------------------------------------------------------------------------- */

#define HASHES                                                                                     \
    { .name = "id",                                                                                \
      .type = CP_AT_STRING,                                                                        \
      .flags = CP_COMPUTED,                                                                        \
      .description = "SHA-1 of the content, hex" },                                                \
        { .name = "content_md5",                                                                   \
          .type = CP_AT_STRING,                                                                    \
          .flags = CP_COMPUTED,                                                                    \
          .description = "MD5, hex" },                                                             \
        { .name = "content_sha1",                                                                  \
          .type = CP_AT_STRING,                                                                    \
          .flags = CP_COMPUTED,                                                                    \
          .description = "SHA-1, hex" },                                                           \
        { .name = "content_sha256",                                                                \
          .type = CP_AT_STRING,                                                                    \
          .flags = CP_COMPUTED,                                                                    \
          .description = "SHA-256, hex" },                                                         \
        { .name = "content_base64sha256",                                                          \
          .type = CP_AT_STRING,                                                                    \
          .flags = CP_COMPUTED,                                                                    \
          .description = "SHA-256, base64" },                                                      \
        { .name = "content_sha512",                                                                \
          .type = CP_AT_STRING,                                                                    \
          .flags = CP_COMPUTED,                                                                    \
          .description = "SHA-512, hex" },                                                         \
    {                                                                                              \
        .name = "content_base64sha512", .type = CP_AT_STRING, .flags = CP_COMPUTED,                \
        .description = "SHA-512, base64"                                                           \
    }

static const cp_schema_attr local_file_attrs[] = {
    { .name = "filename",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = cp_prov_validate_nonempty,
      .description = "path of the file to write" },
    { .name = "content",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "text to write (or use sensitive_content, content_base64, source)" },
    { .name = "sensitive_content",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_SENSITIVE,
      .description = "text to write, never shown" },
    { .name = "content_base64",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = validate_base64,
      .description = "bytes to write, base64-encoded" },
    { .name = "source",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "path of a file whose bytes to copy" },
    { .name = "file_permission",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"0777\"",
      .validate = validate_mode,
      .description = "octal mode of the file (the umask applies)" },
    { .name = "directory_permission",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"0777\"",
      .validate = validate_mode,
      .description = "octal mode of directories created for it (the umask applies)" },
    HASHES,
    { .name = NULL },
};

const cp_resource_type cp_type_local_file = {
    .name = "local_file",
    .description = "a file on the machine running cpstack",
    .attrs = local_file_attrs,
    .create = lf_create,
    .read = lf_read,
    .update = lf_update,
    .delete = lf_delete,
    .import = lf_import,
    .plan_known = lf_plan_known,
    .validate_config = lf_validate_config,
    .recovery = CP_RECOVER_NAME, /* its path: read() finds it */
    /* A create lost in a crash writes the same bytes to the same path again
     * (put_file replaces a file atomically); a lazily written intent still
     * lets the next plan find it by path. */
    .no_durable_intent = true,
    .recovery_name = "filename",
    .find = lf_read,
};

static const cp_schema_attr local_file_data_attrs[] = {
    { .name = "filename",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = cp_prov_validate_nonempty,
      .description = "path of the file to read" },
    { .name = "content",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "the file's text" },
    { .name = "content_base64",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "the file's bytes, base64" },
    HASHES,
    { .name = NULL },
};

const cp_resource_type cp_type_local_file_data = {
    .name = "local_file",
    .description = "reads a file on the machine running cpstack",
    .attrs = local_file_data_attrs,
    .is_data = true,
    .read_data = lfd_read,
};
