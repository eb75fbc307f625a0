/*
 * retry.c: error classification, backoff with full jitter and the retry
 * token bucket of the SDKs' standard retry mode (see retry.h).
 */
#include "aws/retry.h"

#include <stdlib.h>
#include <string.h>

static bool in_list(const char *code, const char *const *list)
{
    for (size_t i = 0; code && list[i]; i++)
        if (strcmp(code, list[i]) == 0) return true;
    return false;
}

bool aws_is_throttle_code(const char *code)
{
    static const char *const throttles[] = { "Throttling",
                                             "ThrottlingException",
                                             "ThrottledException",
                                             "RequestThrottledException",
                                             "TooManyRequestsException",
                                             "ProvisionedThroughputExceededException",
                                             "TransactionInProgressException",
                                             "RequestLimitExceeded",
                                             "BandwidthLimitExceeded",
                                             "LimitExceededException",
                                             "RequestThrottled",
                                             "SlowDown",
                                             "PriorRequestNotComplete",
                                             "EC2ThrottledException",
                                             NULL };
    return in_list(code, throttles);
}

static bool is_transient_code(const char *code)
{
    static const char *const transient[] = {
        "RequestTimeout",  "RequestTimeoutException", "InternalError",
        "InternalFailure", "ServiceUnavailable",      "ServiceUnavailableException",
        "Unavailable",     "IDPCommunicationError",   NULL
    };
    return in_list(code, transient);
}

static bool is_skew_code(const char *code)
{
    static const char *const skew[] = { "RequestTimeTooSkewed",
                                        "RequestExpired",
                                        "RequestInTheFuture",
                                        "InvalidSignatureException",
                                        "SignatureDoesNotMatch",
                                        "AuthFailure",
                                        NULL };
    return in_list(code, skew);
}

aws_retry_kind aws_retry_classify(long status, const char *code, bool transport_failure)
{
    if (transport_failure) return AWS_RETRY_TIMEOUT;
    if (status == 429 || aws_is_throttle_code(code)) return AWS_RETRY_THROTTLE;
    if (is_transient_code(code)) return AWS_RETRY_TRANSIENT;
    if (status == 500 || status == 502 || status == 503 || status == 504)
        return AWS_RETRY_TRANSIENT;
    if (is_skew_code(code)) return AWS_RETRY_CLOCK_SKEW;
    return AWS_RETRY_NONE;
}

static int env_int(aws_getenv_fn g, const char *name, int lo, int hi, int dflt)
{
    const char *v = g ? g(name) : getenv(name);
    if (!v || !*v) return dflt;
    char *end;
    long n = strtol(v, &end, 10);
    return (*end || n < lo || n > hi) ? dflt : (int)n;
}

void aws_retry_policy_init(aws_retry_policy *p, aws_getenv_fn g)
{
    p->max_attempts = env_int(g, "AWS_MAX_ATTEMPTS", 1, 100, 3);
    p->base_ms = env_int(g, "CPSTACK_RETRY_BASE_MS", 0, 60000, 1000);
    p->cap_ms = 20000;
}

long aws_retry_backoff_ms(const aws_retry_policy *p, int retry, double r)
{
    double ceiling = (double)p->base_ms;
    for (int i = 0; i < retry && ceiling < p->cap_ms; i++) ceiling *= 2;
    if (ceiling > p->cap_ms) ceiling = p->cap_ms;
    if (r < 0) r = 0;
    if (r >= 1) r = 0.999999;
    return (long)(r * ceiling);
}

void aws_retry_quota_init(aws_retry_quota *q)
{
    pthread_mutex_init(&q->mu, NULL);
    q->tokens = AWS_RETRY_QUOTA_MAX;
}

void aws_retry_quota_destroy(aws_retry_quota *q) { pthread_mutex_destroy(&q->mu); }

bool aws_retry_quota_acquire(aws_retry_quota *q, aws_retry_kind kind, int *cost)
{
    int c = kind == AWS_RETRY_TIMEOUT ? AWS_RETRY_TIMEOUT_COST : AWS_RETRY_COST;
    pthread_mutex_lock(&q->mu);
    bool ok = q->tokens >= c;
    if (ok) q->tokens -= c;
    pthread_mutex_unlock(&q->mu);
    *cost = ok ? c : 0;
    return ok;
}

void aws_retry_quota_release(aws_retry_quota *q, int cost)
{
    pthread_mutex_lock(&q->mu);
    q->tokens += cost > 0 ? cost : 1;
    if (q->tokens > AWS_RETRY_QUOTA_MAX) q->tokens = AWS_RETRY_QUOTA_MAX;
    pthread_mutex_unlock(&q->mu);
}

int aws_retry_quota_tokens(aws_retry_quota *q)
{
    pthread_mutex_lock(&q->mu);
    int t = q->tokens;
    pthread_mutex_unlock(&q->mu);
    return t;
}
