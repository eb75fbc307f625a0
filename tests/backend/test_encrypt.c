/*
 * test_encrypt.c: state encryption at rest — round trip through a local
 * backend, a wrong passphrase fails clearly, plain state still reads,
 * tampering is detected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/codec_encrypt.h"
#include "backend/local.h"
#include "backend/store.h"

static const char state_json[] = "{\"format_version\": 1, \"secret\": \"hunter2-password\"}";

static char *tmpdir(void)
{
    char *d = strdup("/tmp/cpencXXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static cp_backend *open_backend(const char *dir, const char *pass)
{
    cp_local_options o = { .dir = dir };
    cp_backend *b = NULL;
    char *err = NULL;
    assert_int_equal(cp_backend_local_open(&o, &b, &err), 0);
    if (pass) {
        cp_state_codec codec;
        assert_int_equal(cp_codec_encrypt_new(pass, &codec, &err), 0);
        cp_backend_set_codec(b, &codec);
    }
    return b;
}

static char *file_text(const char *dir, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/main.cpstate", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 65536);
    *len = fread(buf, 1, 65535, f);
    fclose(f);
    return buf;
}

static void test_round_trip_and_no_plaintext(void **st)
{
    (void)st;
    char *dir = tmpdir();
    cp_backend *b = open_backend(dir, "correct horse battery");
    char tok[CP_TOKEN_MAX], *err = NULL;
    assert_int_equal(cp_backend_write(b, "main", state_json, strlen(state_json), NULL, tok, &err),
                     0);
    size_t len;
    char *raw = file_text(dir, &len);
    assert_true(cp_state_is_encrypted(raw, len));
    assert_null(memmem(raw, len, "hunter2", 7)); /* the secret is not readable at rest */
    free(raw);
    cp_buf out = { 0 };
    bool found = false;
    assert_int_equal(cp_backend_read(b, "main", &out, &found, tok, &err), 0);
    assert_true(found);
    assert_string_equal(out.data, state_json);
    cp_buf_free(&out);
    cp_backend_close(b);
    free(dir);
}

static void test_wrong_passphrase(void **st)
{
    (void)st;
    char *dir = tmpdir();
    cp_backend *b = open_backend(dir, "correct horse battery");
    char tok[CP_TOKEN_MAX], *err = NULL;
    assert_int_equal(cp_backend_write(b, "main", state_json, strlen(state_json), NULL, tok, &err),
                     0);
    cp_backend_close(b);
    b = open_backend(dir, "wrong horse battery");
    cp_buf out = { 0 };
    bool found = false;
    assert_int_equal(cp_backend_read(b, "main", &out, &found, tok, &err), -1);
    assert_non_null(strstr(err, "wrong passphrase"));
    free(err);
    cp_buf_free(&out);
    cp_backend_close(b);
    free(dir);
}

static void test_plain_state_still_reads(void **st)
{
    (void)st;
    char *dir = tmpdir();
    cp_backend *b = open_backend(dir, NULL);
    char tok[CP_TOKEN_MAX], *err = NULL;
    assert_int_equal(cp_backend_write(b, "main", state_json, strlen(state_json), NULL, tok, &err),
                     0);
    cp_backend_close(b);
    b = open_backend(dir, "correct horse battery");
    cp_buf out = { 0 };
    bool found = false;
    assert_int_equal(cp_backend_read(b, "main", &out, &found, tok, &err), 0);
    assert_string_equal(out.data, state_json);
    cp_buf_free(&out);
    cp_backend_close(b);
    free(dir);
}

static void test_tampering_detected(void **st)
{
    (void)st;
    cp_state_codec codec;
    char *err = NULL;
    assert_int_equal(cp_codec_encrypt_new("correct horse battery", &codec, &err), 0);
    cp_buf enc = { 0 }, dec = { 0 };
    assert_int_equal(codec.encode(codec.ctx, state_json, strlen(state_json), &enc, &err), 0);
    enc.data[enc.len - 20] ^= 1; /* flip one ciphertext bit */
    assert_int_equal(codec.decode(codec.ctx, enc.data, enc.len, &dec, &err), -1);
    assert_non_null(err);
    free(err);
    err = NULL;
    assert_int_equal(codec.decode(codec.ctx, enc.data, 30, &dec, &err), -1); /* truncated */
    assert_non_null(strstr(err, "truncated"));
    free(err);
    cp_buf_free(&enc);
    cp_buf_free(&dec);
    codec.free(codec.ctx);
}

static void test_short_passphrase_refused(void **st)
{
    (void)st;
    cp_state_codec codec;
    char *err = NULL;
    assert_int_equal(cp_codec_encrypt_new("short", &codec, &err), -1);
    assert_non_null(strstr(err, "at least 8"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_and_no_plaintext),
        cmocka_unit_test(test_wrong_passphrase),
        cmocka_unit_test(test_plain_state_still_reads),
        cmocka_unit_test(test_tampering_detected),
        cmocka_unit_test(test_short_passphrase_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
