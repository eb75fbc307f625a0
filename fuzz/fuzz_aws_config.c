/*
 * fuzz_aws_config.c: libFuzzer target for the files a user (or anything on
 * their disk) hands cpstack before any request: the shared AWS config and
 * credentials files (~/.aws/config, ~/.aws/credentials; INI with
 * "[profile x]" sections and indented sub-sections) and the JSON of a state
 * lock object, which another process or an S3 bucket supplies. Any bytes
 * must give a profile, no profile, or a refused lock, never a crash; what
 * parses is read back through every accessor (and a lock written again).
 *
 * The input is split at the first NUL: the part before is written to a
 * temporary file used as both AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE,
 * the part after (or the whole input when there is no NUL) is parsed as a
 * lock object.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/config_file.h"
#include "backend/backend.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char g_path[64];

static const char *fake_getenv(const char *name)
{
    if (!strcmp(name, "AWS_CONFIG_FILE") || !strcmp(name, "AWS_SHARED_CREDENTIALS_FILE"))
        return g_path;
    return NULL;
}

static void profiles(const uint8_t *data, size_t size)
{
    FILE *f = fopen(g_path, "wb");
    if (!f) abort();
    if (size && fwrite(data, 1, size, f) != size) abort();
    fclose(f);
    static const char *const names[] = { "default", "dev", "prod", "a b", "" };
    static const char *const keys[] = {
        "region",         "aws_access_key_id",   "aws_secret_access_key", "role_arn",
        "source_profile", "s3.addressing_style", "credential_process",    NULL
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        aws_profile *p = aws_profile_load(names[i], fake_getenv);
        for (const char *const *k = keys; p && *k; k++) {
            const char *v = aws_profile_get(p, *k);
            if (v && strlen(v) > size) abort(); /* a value comes from the input */
        }
        aws_profile_free(p);
    }
}

static void lock(const uint8_t *data, size_t size)
{
    cp_lock_info li;
    if (!cp_lock_info_from_json((const char *)data, size, &li)) return;
    cp_buf b = { 0 };
    cp_lock_describe(&b, &li);
    cp_buf_free(&b);
    char *json = cp_lock_info_to_json(&li);
    cp_lock_info back;
    (void)cp_lock_info_from_json(json, strlen(json), &back);
    free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_path[0]) snprintf(g_path, sizeof g_path, "/tmp/cpstack-fuzz-aws-%d", (int)getpid());
    const uint8_t *nul = memchr(data, 0, size);
    size_t cut = nul ? (size_t)(nul - data) : size;
    profiles(data, cut);
    if (nul)
        lock(nul + 1, size - cut - 1);
    else
        lock(data, size);
    return 0;
}
