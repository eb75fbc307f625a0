/*
 * test_retry.c: standard-mode retries. Pure parts (classification, backoff
 * math, the token bucket, env settings) and, against a loopback server
 * injecting 503s, throttles, dropped connections and clock skew, the
 * send loop: calls counted, success in the end, the same body (ClientToken)
 * on every attempt, no retry of client errors; plus parallel calls from
 * several threads reusing keep-alive connections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws.h"
#include "aws/retry.h"
#include "fake_env.h"
#include "stub_server.h"
#include "util/xalloc.h"

static void test_classify(void **state)
{
    const char *throttles[] = { "Throttling",
                                "ThrottlingException",
                                "ThrottledException",
                                "RequestThrottledException",
                                "RequestLimitExceeded",
                                "TooManyRequestsException",
                                "SlowDown",
                                "ProvisionedThroughputExceededException" };
    for (size_t i = 0; i < sizeof throttles / sizeof throttles[0]; i++)
        assert_int_equal(aws_retry_classify(400, throttles[i], false), AWS_RETRY_THROTTLE);
    assert_int_equal(aws_retry_classify(429, NULL, false), AWS_RETRY_THROTTLE);
    assert_int_equal(aws_retry_classify(503, "SlowDown", false), AWS_RETRY_THROTTLE);
    long five[] = { 500, 502, 503, 504 };
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(aws_retry_classify(five[i], "Whatever", false), AWS_RETRY_TRANSIENT);
    assert_int_equal(aws_retry_classify(400, "RequestTimeout", false), AWS_RETRY_TRANSIENT);
    assert_int_equal(aws_retry_classify(0, NULL, true), AWS_RETRY_TIMEOUT);
    assert_int_equal(aws_retry_classify(403, "RequestTimeTooSkewed", false), AWS_RETRY_CLOCK_SKEW);
    assert_int_equal(aws_retry_classify(400, "ValidationError", false), AWS_RETRY_NONE);
    assert_int_equal(aws_retry_classify(404, "NoSuchEntity", false), AWS_RETRY_NONE);
    assert_int_equal(aws_retry_classify(501, "NotImplemented", false), AWS_RETRY_NONE);
}

static void test_backoff(void **state)
{
    aws_retry_policy p = { 3, 1000, 20000 };
    assert_int_equal(aws_retry_backoff_ms(&p, 0, 0.5), 500);
    assert_int_equal(aws_retry_backoff_ms(&p, 1, 0.5), 1000);
    assert_int_equal(aws_retry_backoff_ms(&p, 3, 0.5), 4000);
    assert_int_equal(aws_retry_backoff_ms(&p, 0, 0.0), 0);       /* full jitter */
    assert_true(aws_retry_backoff_ms(&p, 10, 0.999999) < 20000); /* capped */
    assert_true(aws_retry_backoff_ms(&p, 10, 0.999999) > 19900);
    assert_true(aws_retry_backoff_ms(&p, 60, 0.5) == 10000); /* no overflow */
}

static void test_policy_from_env(void **state)
{
    fake_env_reset();
    aws_retry_policy p;
    aws_retry_policy_init(&p, fake_getenv);
    assert_int_equal(p.max_attempts, 3);
    assert_int_equal(p.base_ms, 1000);
    assert_int_equal(p.cap_ms, 20000);
    fake_env_set("AWS_MAX_ATTEMPTS", "7");
    fake_env_set("CPSTACK_RETRY_BASE_MS", "2");
    aws_retry_policy_init(&p, fake_getenv);
    assert_int_equal(p.max_attempts, 7);
    assert_int_equal(p.base_ms, 2);
    fake_env_set("AWS_MAX_ATTEMPTS", "zero");
    aws_retry_policy_init(&p, fake_getenv);
    assert_int_equal(p.max_attempts, 3);
}

static void test_quota(void **state)
{
    aws_retry_quota q;
    aws_retry_quota_init(&q);
    int cost, n = 0;
    while (aws_retry_quota_acquire(&q, AWS_RETRY_TRANSIENT, &cost)) n++;
    assert_int_equal(n, AWS_RETRY_QUOTA_MAX / AWS_RETRY_COST);
    assert_int_equal(cost, 0);
    aws_retry_quota_release(&q, 5); /* a retry that succeeded */
    assert_int_equal(aws_retry_quota_tokens(&q), 5);
    aws_retry_quota_release(&q, 0); /* a first-try success */
    assert_int_equal(aws_retry_quota_tokens(&q), 6);
    assert_false(aws_retry_quota_acquire(&q, AWS_RETRY_TIMEOUT, &cost)); /* costs 10 */
    assert_true(aws_retry_quota_acquire(&q, AWS_RETRY_THROTTLE, &cost));
    assert_int_equal(cost, 5);
    aws_retry_quota_destroy(&q);
}

/* ---- against the loopback server ---- */

typedef struct fault {
    pthread_mutex_t mu;
    const char *mode; /* see handler */
    int fail_first;   /* fail this many calls, then succeed */
    char bodies[8][512];
    char dates[8][32];
} fault;

static void fault_handler(void *ud, const stub_request *r, int n, cp_buf *resp)
{
    fault *f = ud;
    pthread_mutex_lock(&f->mu);
    if (n < 8) {
        snprintf(f->bodies[n], sizeof f->bodies[n], "%s", r->body.data);
        stub_header(r, "X-Amz-Date", f->dates[n], sizeof f->dates[n]);
    }
    pthread_mutex_unlock(&f->mu);
    if (n >= f->fail_first) {
        stub_respond(resp, 200, "x-amzn-RequestId: ok\r\n", "{\"ok\":true}");
    } else if (strcmp(f->mode, "503") == 0) {
        stub_respond(
            resp, 503, NULL,
            "<ErrorResponse><Error><Code>ServiceUnavailable</Code>"
            "<Message>try later</Message></Error><RequestId>r</RequestId></ErrorResponse>");
    } else if (strcmp(f->mode, "throttle") == 0) {
        stub_respond(resp, 400, "x-amzn-RequestId: t1\r\n",
                     "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}");
    } else if (strcmp(f->mode, "invalid") == 0) {
        stub_respond(resp, 400, NULL,
                     "{\"__type\":\"InvalidParameterException\",\"message\":\"bad\"}");
    } else if (strcmp(f->mode, "skew") == 0) {
        char date[64], hdr[96];
        time_t t = time(NULL) + 3600;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        snprintf(hdr, sizeof hdr, "Date: %s\r\n", date);
        stub_respond(resp, 400, hdr,
                     "{\"__type\":\"InvalidSignatureException\",\"message\":"
                     "\"Signature expired: is now earlier than ...\"}");
    } /* "drop": write nothing → the server closes the connection */
}

static const aws_credentials CREDS = { "AKIDTEST", "secret-test-key", NULL, 0 };

static aws_client *client_for(stub_server *srv, const char *max_attempts)
{
    fake_env_reset();
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", stub_port(srv));
    fake_env_set("AWS_ENDPOINT_URL", url);
    fake_env_set("CPSTACK_RETRY_BASE_MS", "2");
    if (max_attempts) fake_env_set("AWS_MAX_ATTEMPTS", max_attempts);
    aws_client_options o = { .stack_region = "us-east-1",
                             .getenv_fn = fake_getenv,
                             .static_credentials = &CREDS };
    char *err = NULL;
    aws_client *c = aws_client_new(&o, &err);
    assert_non_null(c);
    return c;
}

/* Runs one ECS CreateService with a fixed clientToken; returns rc. */
static int run_call(const char *mode, int fail_first, const char *max_attempts, int *calls,
                    fault *f, aws_error *err)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
    f->mode = mode;
    f->fail_first = fail_first;
    stub_server *srv = stub_start(fault_handler, f);
    aws_client *c = client_for(srv, max_attempts);
    char token[37];
    aws_client_token(token);
    json_t *in = json_pack("{s:s,s:s}", "serviceName", "web", "clientToken", token), *out = NULL;
    int rc =
        aws_json_call(c, "ecs", "AmazonEC2ContainerServiceV20141113.CreateService", in, &out, err);
    json_decref(in);
    json_decref(out);
    *calls = stub_calls(srv);
    aws_client_free(c);
    stub_stop(srv);
    pthread_mutex_destroy(&f->mu);
    return rc;
}

static void test_retries_503_then_success(void **state)
{
    fault f;
    aws_error err;
    int calls;
    assert_int_equal(run_call("503", 2, NULL, &calls, &f, &err), 0);
    assert_int_equal(calls, 3);
    assert_string_equal(f.bodies[0], f.bodies[1]); /* same ClientToken, same bytes */
    assert_string_equal(f.bodies[1], f.bodies[2]);
    assert_non_null(strstr(f.bodies[0], "clientToken"));
}

static void test_throttle_then_success(void **state)
{
    fault f;
    aws_error err;
    int calls;
    assert_int_equal(run_call("throttle", 1, NULL, &calls, &f, &err), 0);
    assert_int_equal(calls, 2);
}

static void test_gives_up_after_max_attempts(void **state)
{
    fault f;
    aws_error err;
    int calls;
    assert_int_equal(run_call("throttle", 100, NULL, &calls, &f, &err), -1);
    assert_int_equal(calls, 3);
    assert_int_equal(err.attempts, 3);
    assert_true(err.throttle);
    assert_true(err.retryable);
    assert_string_equal(err.code, "ThrottlingException");
    aws_error_clear(&err);
    assert_int_equal(run_call("503", 100, "5", &calls, &f, &err), -1);
    assert_int_equal(calls, 5);
    assert_false(err.throttle);
    aws_error_clear(&err);
}

static void test_no_retry_on_client_error(void **state)
{
    fault f;
    aws_error err;
    int calls;
    assert_int_equal(run_call("invalid", 100, NULL, &calls, &f, &err), -1);
    assert_int_equal(calls, 1);
    assert_false(err.retryable);
    assert_string_equal(err.code, "InvalidParameterException");
    aws_error_clear(&err);
}

static void test_dropped_connection_is_retried(void **state)
{
    fault f;
    aws_error err;
    int calls;
    assert_int_equal(run_call("drop", 1, NULL, &calls, &f, &err), 0);
    assert_int_equal(calls, 2);
    assert_int_equal(run_call("drop", 100, "2", &calls, &f, &err), -1);
    assert_string_equal(err.code, "RequestError");
    assert_int_equal(err.http_status, 0);
    assert_true(err.retryable);
    aws_error_clear(&err);
}

static void test_clock_skew_corrected(void **state)
{
    fault f;
    aws_error err;
    int calls;
    assert_int_equal(run_call("skew", 1, NULL, &calls, &f, &err), 0);
    assert_int_equal(calls, 2);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    assert_non_null(strptime(f.dates[1], "%Y%m%dT%H%M%SZ", &tm));
    long diff = (long)(timegm(&tm) - time(NULL));
    assert_true(diff > 3500 && diff < 3700); /* signed with the server's clock */
}

/* ---- many threads, one client ---- */

typedef struct par {
    aws_client *c;
    int ok;
} par;

static void *worker(void *arg)
{
    par *p = arg;
    for (int i = 0; i < 5; i++) {
        json_t *out = NULL;
        aws_error err;
        if (aws_json_call(p->c, "logs", "Logs_20140328.DescribeLogGroups", NULL, &out, &err) == 0)
            p->ok++;
        else
            aws_error_clear(&err);
        json_decref(out);
    }
    return NULL;
}

static void test_parallel_threads_reuse_connections(void **state)
{
    fault f;
    memset(&f, 0, sizeof f);
    pthread_mutex_init(&f.mu, NULL);
    f.mode = "503";
    f.fail_first = 0;
    stub_server *srv = stub_start(fault_handler, &f);
    aws_client *c = client_for(srv, NULL);
    pthread_t t[8];
    par p[8];
    for (int i = 0; i < 8; i++) {
        p[i] = (par){ c, 0 };
        pthread_create(&t[i], NULL, worker, &p[i]);
    }
    int ok = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        ok += p[i].ok;
    }
    assert_int_equal(ok, 40);
    assert_int_equal(stub_calls(srv), 40);
    print_message("parallel: 40 calls over %d connections\n", stub_connections(srv));
    assert_true(stub_connections(srv) <= 8); /* keep-alive reuse */
    aws_client_free(c);
    stub_stop(srv);
    pthread_mutex_destroy(&f.mu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_policy_from_env),
        cmocka_unit_test(test_quota),
        cmocka_unit_test(test_retries_503_then_success),
        cmocka_unit_test(test_throttle_then_success),
        cmocka_unit_test(test_gives_up_after_max_attempts),
        cmocka_unit_test(test_no_retry_on_client_error),
        cmocka_unit_test(test_dropped_connection_is_retried),
        cmocka_unit_test(test_clock_skew_corrected),
        cmocka_unit_test(test_parallel_threads_reuse_connections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
