/*
 * test_log.c: CPSTACK_LOG=debug output: request and response lines are
 * logged, and the Authorization header, the session token, presigned URL
 * secrets and the secret key never appear.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws.h"
#include "aws/log.h"
#include "fake_env.h"
#include "stub_server.h"
#include "util/xalloc.h"

static void test_enabled(void **state)
{
    fake_env_reset();
    assert_false(aws_log_debug_enabled(fake_getenv));
    fake_env_set("CPSTACK_LOG", "info");
    assert_false(aws_log_debug_enabled(fake_getenv));
    fake_env_set("CPSTACK_LOG", "debug");
    assert_true(aws_log_debug_enabled(fake_getenv));
}

static void test_format_redacts_headers(void **state)
{
    aws_header h[] = { { "Host", "ec2.eu-west-1.amazonaws.com" },
                       { "Authorization", "AWS4-HMAC-SHA256 Credential=AKID/x, Signature=abcdef" },
                       { "X-Amz-Security-Token", "SESSIONTOKEN" },
                       { "x-amz-server-side-encryption-customer-key", "KEYBYTES" },
                       { "X-Amz-Date", "20240101T000000Z" } };
    cp_buf b = { 0 };
    aws_log_format_request(&b, "POST", "https://ec2.eu-west-1.amazonaws.com/", h, 5);
    assert_non_null(strstr(b.data, "aws: > POST https://ec2.eu-west-1.amazonaws.com/\n"));
    assert_non_null(strstr(b.data, "aws: > Host: ec2.eu-west-1.amazonaws.com\n"));
    assert_non_null(strstr(b.data, "aws: > Authorization: <redacted>\n"));
    assert_non_null(strstr(b.data, "aws: > X-Amz-Date: 20240101T000000Z\n"));
    assert_null(strstr(b.data, "Signature=abcdef"));
    assert_null(strstr(b.data, "SESSIONTOKEN"));
    assert_null(strstr(b.data, "KEYBYTES"));
    cp_buf_reset(&b);
    aws_sigv4_add rh[] = { { "x-amzn-RequestId", "r-1" }, { "Set-Cookie", "x" } };
    aws_log_format_response(&b, 200, 12, rh, 2);
    assert_string_equal(b.data, "aws: < HTTP 200 (12 ms)\naws: < x-amzn-RequestId: r-1\n"
                                "aws: < Set-Cookie: x\n");
    cp_buf_free(&b);
}

static void test_redact_url(void **state)
{
    cp_buf b = { 0 };
    aws_log_redact_url(
        &b, "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
            "X-Amz-Credential=AKID%2F20240101&X-Amz-Security-Token=TOK&X-Amz-Signature=SIG&a=b");
    assert_string_equal(b.data, "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
                                "X-Amz-Credential=<redacted>&X-Amz-Security-Token=<redacted>&"
                                "X-Amz-Signature=<redacted>&a=b");
    cp_buf_reset(&b);
    aws_log_redact_url(&b, "https://iam.amazonaws.com/");
    assert_string_equal(b.data, "https://iam.amazonaws.com/");
    cp_buf_free(&b);
}

static void ok_handler(void *ud, const stub_request *r, int n, cp_buf *resp)
{
    stub_respond(resp, 200, "x-amzn-RequestId: rid-9\r\n", "{}");
}

static void sink(void *ud, const char *lines) { cp_buf_adds(ud, lines); }

static void test_client_debug_log_has_no_secrets(void **state)
{
    stub_server *srv = stub_start(ok_handler, NULL);
    fake_env_reset();
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", stub_port(srv));
    fake_env_set("AWS_ENDPOINT_URL", url);
    fake_env_set("CPSTACK_LOG", "debug");
    aws_credentials creds = { "AKIDLOGTEST", "SECRETKEYNEVERLOGGED", "SESSIONTOKENNEVERLOGGED", 0 };
    cp_buf log = { 0 };
    aws_client_options o = { .stack_region = "eu-west-1",
                             .getenv_fn = fake_getenv,
                             .static_credentials = &creds,
                             .log_sink = sink,
                             .log_ud = &log };
    char *err = NULL;
    aws_client *c = aws_client_new(&o, &err);
    json_t *out = NULL;
    aws_error e;
    assert_int_equal(aws_json_call(c, "ecr",
                                   "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories",
                                   NULL, &out, &e),
                     0);
    json_decref(out);
    aws_client_free(c);
    stub_stop(srv);
    assert_non_null(strstr(log.data, "aws: > POST http://127.0.0.1:"));
    assert_non_null(
        strstr(log.data,
               "aws: > X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.DescribeRepositories"));
    assert_non_null(strstr(log.data, "aws: < HTTP 200"));
    assert_non_null(strstr(log.data, "aws: < x-amzn-RequestId: rid-9"));
    assert_non_null(strstr(log.data, "Authorization: <redacted>"));
    assert_null(strstr(log.data, "SECRETKEYNEVERLOGGED"));
    assert_null(strstr(log.data, "SESSIONTOKENNEVERLOGGED"));
    assert_null(strstr(log.data, "Signature="));
    cp_buf_free(&log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enabled),
        cmocka_unit_test(test_format_redacts_headers),
        cmocka_unit_test(test_redact_url),
        cmocka_unit_test(test_client_debug_log_has_no_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
