/*
 * retry.h: the SDKs' "standard" retry mode.
 *
 * Classification: throttling error codes and HTTP 429 are throttles;
 * 500/502/503/504, transient codes and transport failures are transient;
 * clock-skew codes are retried once the skew is corrected. Backoff is
 * exponential with full jitter: delay = rand[0,1) * min(cap, base * 2^n)
 * (base 1 s, cap 20 s as in the SDKs). A token bucket (500 tokens; a retry
 * costs 5, or 10 after a timeout; a success refunds) stops retry storms.
 *
 * aws_retry_quota is thread-safe; the rest is pure.
 */
#ifndef CP_AWS_RETRY_H
#define CP_AWS_RETRY_H

#include <pthread.h>
#include <stdbool.h>

#include "aws/credentials.h"

typedef enum aws_retry_kind {
    AWS_RETRY_NONE = 0,
    AWS_RETRY_THROTTLE,
    AWS_RETRY_TRANSIENT,
    AWS_RETRY_TIMEOUT, /* transport failure: timeout or broken connection */
    AWS_RETRY_CLOCK_SKEW,
} aws_retry_kind;

/* code may be NULL; transport_failure means no HTTP response at all. */
aws_retry_kind aws_retry_classify(long http_status, const char *code, bool transport_failure);
bool aws_is_throttle_code(const char *code);

typedef struct aws_retry_policy {
    int max_attempts; /* total attempts including the first; default 3 */
    int base_ms;      /* default 1000 */
    int cap_ms;       /* default 20000 */
} aws_retry_policy;

/* Defaults, then AWS_MAX_ATTEMPTS and CPSTACK_RETRY_BASE_MS from the environment. */
void aws_retry_policy_init(aws_retry_policy *p, aws_getenv_fn getenv_fn);

/* Delay before retry number `retry` (0 = first retry); `r` in [0,1). */
long aws_retry_backoff_ms(const aws_retry_policy *p, int retry, double r);

#define AWS_RETRY_QUOTA_MAX    500
#define AWS_RETRY_COST         5
#define AWS_RETRY_TIMEOUT_COST 10

typedef struct aws_retry_quota {
    pthread_mutex_t mu;
    int tokens;
} aws_retry_quota;

void aws_retry_quota_init(aws_retry_quota *q);
void aws_retry_quota_destroy(aws_retry_quota *q);
/* Take tokens for a retry; false (nothing taken) when the bucket is too low. Returns cost in *cost.
 */
bool aws_retry_quota_acquire(aws_retry_quota *q, aws_retry_kind kind, int *cost);
/* After a successful call: refund `cost` if it was a retry, else add 1. */
void aws_retry_quota_release(aws_retry_quota *q, int cost);
int aws_retry_quota_tokens(aws_retry_quota *q);

#endif
