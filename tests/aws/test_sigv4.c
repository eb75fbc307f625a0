/*
 * test_sigv4.c: SigV4 against every case of tests/aws/sigv4-suite (AWS's suite, vendored)
 * (header-signed and query-signed: canonical request, string to sign,
 * signature and the full signed request, compared byte for byte with the
 * files as they are), plus S3 and session-token specifics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "aws/sigv4.h"
#include "util/xalloc.h"

static char *read_file(const char *dir, const char *name)
{
    char *path = cp_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f) return NULL;
    cp_buf b = { 0 };
    char tmp[4096];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) cp_buf_add(&b, tmp, k);
    fclose(f);
    if (!b.data) cp_buf_adds(&b, "");
    return cp_buf_steal(&b);
}

/* request.txt, parsed: first line, header lines kept verbatim, body. */
typedef struct parsed {
    char *method, *path, *query, *version;
    char **raw_lines; /* header lines as in the file (with continuations) */
    aws_header headers[32];
    char *names[32], *values[32];
    size_t n;
    char *body;
} parsed;

static void parse_request(const char *text, parsed *r)
{
    memset(r, 0, sizeof *r);
    const char *nl = strchr(text, '\n');
    char *first = cp_xstrndup(text, nl ? (size_t)(nl - text) : strlen(text));
    char *sp = strchr(first, ' ');
    char *last = strrchr(first, ' ');
    r->method = cp_xstrndup(first, (size_t)(sp - first));
    r->version = cp_xstrdup(last + 1);
    char *uri = cp_xstrndup(sp + 1, (size_t)(last - sp - 1));
    char *q = strchr(uri, '?');
    r->query = q ? cp_xstrdup(q + 1) : NULL;
    if (q) *q = '\0';
    r->path = uri;
    free(first);
    r->raw_lines = cp_xcalloc(64, sizeof(char *));
    size_t nraw = 0;
    const char *p = nl ? nl + 1 : "";
    while (*p && *p != '\n') {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *line = cp_xstrndup(p, len);
        r->raw_lines[nraw++] = line;
        if ((line[0] == ' ' || line[0] == '\t') && r->n) { /* folded value */
            char *v = cp_xasprintf("%s\n%s", r->values[r->n - 1], line);
            free(r->values[r->n - 1]);
            r->values[r->n - 1] = v;
        } else {
            char *colon = strchr(line, ':');
            r->names[r->n] = cp_xstrndup(line, (size_t)(colon - line));
            r->values[r->n] = cp_xstrdup(colon + 1);
            r->n++;
        }
        p = e ? e + 1 : p + len;
    }
    r->body = cp_xstrdup(*p == '\n' ? p + 1 : "");
    for (size_t i = 0; i < r->n; i++) r->headers[i] = (aws_header){ r->names[i], r->values[i] };
}

static void free_request(parsed *r)
{
    for (size_t i = 0; r->raw_lines[i]; i++) free(r->raw_lines[i]);
    for (size_t i = 0; i < r->n; i++) {
        free(r->names[i]);
        free(r->values[i]);
    }
    free(r->raw_lines);
    free(r->method);
    free(r->path);
    free(r->query);
    free(r->version);
    free(r->body);
}

/* Rebuild the signed request the way the suite writes it. */
static char *signed_request(const parsed *r, const aws_sigv4_result *res, bool query)
{
    cp_buf b = { 0 };
    cp_buf_printf(&b, "%s %s", r->method, r->path);
    if (query) {
        cp_buf_adds(&b, r->query ? "?" : "");
        if (r->query) cp_buf_adds(&b, r->query);
        for (size_t i = 0; i < res->n_add; i++) {
            cp_buf_addc(&b, (i == 0 && !r->query) ? '?' : '&');
            cp_buf_printf(&b, "%s=", res->add[i].name);
            aws_uri_encode(&b, res->add[i].value, strlen(res->add[i].value), false);
        }
    } else if (r->query) {
        cp_buf_printf(&b, "?%s", r->query);
    }
    cp_buf_printf(&b, " %s\n", r->version);
    for (size_t i = 0; r->raw_lines[i]; i++) cp_buf_printf(&b, "%s\n", r->raw_lines[i]);
    if (!query)
        for (size_t i = 0; i < res->n_add; i++)
            cp_buf_printf(&b, "%s:%s\n", res->add[i].name, res->add[i].value);
    cp_buf_printf(&b, "\n%s", r->body);
    return cp_buf_steal(&b);
}

static void check_file(const char *dir, const char *name, const char *got)
{
    char *want = read_file(dir, name);
    if (!want) fail_msg("%s/%s missing", dir, name);
    if (strcmp(want, got) != 0)
        fail_msg("%s/%s differs:\n--- want\n%s\n--- got\n%s", dir, name, want, got);
    free(want);
}

static void run_mode(const char *dir, const parsed *r, json_t *ctx, bool query)
{
    json_t *cj = json_object_get(ctx, "credentials");
    aws_credentials creds = { 0 };
    aws_credentials_set(&creds, json_string_value(json_object_get(cj, "access_key_id")),
                        json_string_value(json_object_get(cj, "secret_access_key")),
                        json_string_value(json_object_get(cj, "token")), 0);
    char hash[AWS_SHA256_HEX_LEN + 1];
    aws_sha256_hex(r->body, strlen(r->body), hash);
    aws_sigv4_request req = { r->method, r->path, r->query, r->headers, r->n, hash };
    aws_sigv4_params p = {
        .service = json_string_value(json_object_get(ctx, "service")),
        .region = json_string_value(json_object_get(ctx, "region")),
        .when = aws_parse_iso8601(json_string_value(json_object_get(ctx, "timestamp"))),
        .creds = &creds,
        .keep_dot_segments = !json_is_true(json_object_get(ctx, "normalize")),
        .content_sha256_header = json_is_true(json_object_get(ctx, "sign_body")),
        .omit_session_token = json_is_true(json_object_get(ctx, "omit_session_token")),
        .query_signing = query,
        .expires = (int)json_integer_value(json_object_get(ctx, "expiration_in_seconds")),
    };
    aws_sigv4_result res;
    aws_sigv4_sign(&req, &p, &res);
    const char *m = query ? "query" : "header";
    char name[64];
    snprintf(name, sizeof name, "%s-canonical-request.txt", m);
    check_file(dir, name, res.canonical_request.data);
    snprintf(name, sizeof name, "%s-string-to-sign.txt", m);
    check_file(dir, name, res.string_to_sign.data);
    snprintf(name, sizeof name, "%s-signature.txt", m);
    check_file(dir, name, res.signature);
    char *sr = signed_request(r, &res, query);
    snprintf(name, sizeof name, "%s-signed-request.txt", m);
    check_file(dir, name, sr);
    free(sr);
    aws_sigv4_result_free(&res);
    aws_credentials_clear(&creds);
}

static void run_case(const char *dir, int *n_query)
{
    char *text = read_file(dir, "request.txt");
    char *ctxs = read_file(dir, "context.json");
    assert_non_null(text);
    assert_non_null(ctxs);
    json_t *ctx = json_loads(ctxs, 0, NULL);
    assert_non_null(ctx);
    parsed r;
    parse_request(text, &r);
    run_mode(dir, &r, ctx, false);
    char *qfile = read_file(dir, "query-signed-request.txt");
    if (qfile) {
        run_mode(dir, &r, ctx, true);
        (*n_query)++;
    }
    free(qfile);
    free_request(&r);
    json_decref(ctx);
    free(text);
    free(ctxs);
}

static void test_suite_every_case(void **state)
{
    const char *root = getenv("CPSTACK_SIGV4_SUITE");
    assert_non_null(root);
    DIR *d = opendir(root);
    if (!d) fail_msg("cannot open the SigV4 suite at %s", root);
    int cases = 0, queries = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *dir = cp_xasprintf("%s/%s", root, e->d_name);
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
            run_case(dir, &queries);
            cases++;
        }
        free(dir);
    }
    closedir(d);
    print_message("sigv4-suite: %d cases header-signed, %d query-signed\n", cases, queries);
    assert_true(cases >= 38);
    assert_true(queries >= 38);
}

static const aws_credentials EXAMPLE = { "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                         NULL, 0 };

/* The S3 example from the AWS docs ("GET Object" with Range, examplebucket). */
static void test_s3_docs_get_object(void **state)
{
    static const aws_credentials docs = { "AKIAIOSFODNN7EXAMPLE",
                                          "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL, 0 };
    aws_header h[] = { { "Host", "examplebucket.s3.amazonaws.com" }, { "Range", "bytes=0-9" } };
    aws_sigv4_request req = { "GET", "/test.txt", NULL, h, 2, AWS_EMPTY_SHA256 };
    aws_sigv4_params p = { .service = "s3",
                           .region = "us-east-1",
                           .when = aws_parse_iso8601("2013-05-24T00:00:00Z"),
                           .creds = &docs,
                           .s3_path_rules = true,
                           .content_sha256_header = true };
    aws_sigv4_result r;
    aws_sigv4_sign(&req, &p, &r);
    assert_string_equal(r.signature,
                        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    assert_string_equal(r.add[1].name, "x-amz-content-sha256");
    aws_sigv4_result_free(&r);
}

/* S3 keeps an encoded path as is; other services encode it again. */
static void test_s3_no_double_encoding(void **state)
{
    aws_header h[] = { { "Host", "b.s3.amazonaws.com" } };
    aws_sigv4_request req = { "PUT", "/my%20key/a%2Bb", NULL, h, 1, AWS_UNSIGNED_PAYLOAD };
    aws_sigv4_params p = { .service = "s3",
                           .region = "eu-west-1",
                           .when = 1700000000,
                           .creds = &EXAMPLE,
                           .s3_path_rules = true,
                           .content_sha256_header = true };
    aws_sigv4_result r;
    aws_sigv4_sign(&req, &p, &r);
    assert_non_null(strstr(r.canonical_request.data, "\n/my%20key/a%2Bb\n"));
    assert_non_null(strstr(r.canonical_request.data, "x-amz-content-sha256:UNSIGNED-PAYLOAD\n"));
    assert_true(strlen(r.canonical_request.data) > 0);
    const char *last = strrchr(r.canonical_request.data, '\n');
    assert_string_equal(last + 1, "UNSIGNED-PAYLOAD");
    aws_sigv4_result_free(&r);

    p.service = "lambda";
    p.s3_path_rules = false;
    aws_sigv4_sign(&req, &p, &r);
    assert_non_null(strstr(r.canonical_request.data, "\n/my%2520key/a%252Bb\n"));
    aws_sigv4_result_free(&r);
}

static void test_session_token_header_signed(void **state)
{
    aws_credentials c = EXAMPLE;
    c.session_token = "tok/en+=";
    aws_header h[] = { { "Host", "sts.amazonaws.com" } };
    aws_sigv4_request req = { "POST", "/", NULL, h, 1, NULL };
    aws_sigv4_params p = {
        .service = "sts", .region = "us-east-1", .when = 1700000000, .creds = &c
    };
    aws_sigv4_result r;
    aws_sigv4_sign(&req, &p, &r);
    assert_string_equal(r.add[0].name, "X-Amz-Security-Token");
    assert_string_equal(r.add[0].value, "tok/en+=");
    assert_non_null(strstr(r.canonical_request.data, "x-amz-security-token:tok/en+=\n"));
    assert_non_null(
        strstr(r.add[r.n_add - 1].value, "SignedHeaders=host;x-amz-date;x-amz-security-token,"));
    aws_sigv4_result_free(&r);
}

static void test_uri_encode(void **state)
{
    cp_buf b = { 0 };
    aws_uri_encode(&b, "a b/c~*é", strlen("a b/c~*é"), false);
    assert_string_equal(b.data, "a%20b%2Fc~%2A%C3%A9");
    cp_buf_reset(&b);
    aws_uri_encode(&b, "a b/c", 5, true);
    assert_string_equal(b.data, "a%20b/c");
    cp_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite_every_case),
        cmocka_unit_test(test_s3_docs_get_object),
        cmocka_unit_test(test_s3_no_double_encoding),
        cmocka_unit_test(test_session_token_header_signed),
        cmocka_unit_test(test_uri_encode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
