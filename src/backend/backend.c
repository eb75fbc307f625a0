/*
 * backend.c: the generic half of a backend (see backend.h): the codec
 * applied to the bytes at rest on their way in and out, branch listings,
 * and closing. Each backend file (local.c, s3.c) only fills in
 * cp_backend_ops and its cp_backend_type.
 */
#include "backend/backend.h"
#include "backend/codec_encrypt.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void cp_backend_set_codec(cp_backend *b, const cp_state_codec *codec)
{
    if (b->codec.free) b->codec.free(b->codec.ctx);
    b->codec = *codec;
}

void cp_backend_close(cp_backend *b)
{
    if (!b) return;
    if (b->codec.free) b->codec.free(b->codec.ctx);
    b->ops->close(b);
}

int cp_backend_read(cp_backend *b, const char *branch, cp_buf *out, bool *found,
                    char token[CP_TOKEN_MAX], char **err)
{
    if (!b->codec.decode) {
        int rc = b->ops->read(b, branch, out, found, token, err);
        if (rc == 0 && *found && cp_state_is_encrypted(out->data, out->len)) {
            char *where = cp_backend_describe(b, branch);
            *err = cp_xasprintf(
                "state %s is encrypted; set CPSTACK_STATE_PASSPHRASE to its passphrase", where);
            free(where);
            return -1;
        }
        return rc;
    }
    cp_buf raw;
    cp_buf_init(&raw);
    int rc = b->ops->read(b, branch, &raw, found, token, err);
    if (rc == 0 && *found) rc = b->codec.decode(b->codec.ctx, raw.data, raw.len, out, err);
    cp_buf_free(&raw);
    return rc;
}

int cp_backend_write(cp_backend *b, const char *branch, const char *data, size_t len,
                     const char *if_token, char new_token[CP_TOKEN_MAX], char **err)
{
    if (!b->codec.encode) return b->ops->write(b, branch, data, len, if_token, new_token, err);
    cp_buf enc;
    cp_buf_init(&enc);
    int rc = b->codec.encode(b->codec.ctx, data, len, &enc, err);
    if (rc == 0)
        rc = b->ops->write(b, branch, enc.data ? enc.data : "", enc.len, if_token, new_token, err);
    cp_buf_free(&enc);
    return rc;
}

int cp_backend_list(cp_backend *b, cp_branch_info **out, size_t *n, char **err)
{
    *out = NULL;
    *n = 0;
    return b->ops->list(b, out, n, err);
}

void cp_branch_info_free(cp_branch_info *list, size_t n)
{
    for (size_t i = 0; i < n; i++) free(list[i].name);
    free(list);
}

int cp_backend_delete(cp_backend *b, const char *branch, char **err)
{
    return b->ops->remove(b, branch, err);
}

char *cp_backend_describe(cp_backend *b, const char *branch) { return b->ops->describe(b, branch); }
