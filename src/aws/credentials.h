/*
 * credentials.h: AWS credentials and the providers that find them.
 *
 * One provider per file, as in aws-c-auth: environment, shared profile files
 * (with role_arn + source_profile through STS), the ECS container endpoint,
 * EC2 instance metadata (IMDSv2); credentials_chain.c composes them in the
 * SDKs' order and caches the result, refreshing temporary credentials
 * before they expire. A provider is a small vtable; `get` fills `out` (the
 * caller frees it with aws_credentials_clear) or returns false and writes a
 * one-line reason into `why` (never containing a secret).
 *
 * Ownership: an aws_credentials owns its three strings.
 */
#ifndef CP_AWS_CREDENTIALS_H
#define CP_AWS_CREDENTIALS_H

#include <stdbool.h>
#include <time.h>

#include "util/buf.h"

typedef struct aws_credentials {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL for long-term keys */
    time_t expiration;   /* 0 = does not expire */
} aws_credentials;

void aws_credentials_set(aws_credentials *c, const char *akid, const char *secret,
                         const char *token, time_t expiration);
void aws_credentials_copy(aws_credentials *dst, const aws_credentials *src);
void aws_credentials_clear(aws_credentials *c); /* wipes and frees */

/* Process-environment lookup, injectable so tests need no setenv races. */
typedef const char *(*aws_getenv_fn)(const char *name);

typedef struct aws_http aws_http; /* transport, see http.h */

typedef struct aws_creds_provider aws_creds_provider;
/* What a provider's get() found. */
enum {
    AWS_CREDS_OK = 0,   /* out filled */
    AWS_CREDS_NONE = 1, /* this source is not configured; try the next */
    AWS_CREDS_ERROR = 2 /* configured but failed: stop the chain, why says why */
};

struct aws_creds_provider {
    const char *name; /* short name, e.g. "environment" */
    /* Returns AWS_CREDS_*; on NONE/ERROR appends to `why` where it looked. */
    int (*get)(aws_creds_provider *self, aws_credentials *out, cp_buf *why);
    void (*destroy)(aws_creds_provider *self);
    void *impl;
};

/* Context every provider may need. All fields optional except getenv_fn. */
typedef struct aws_creds_env {
    aws_getenv_fn getenv_fn;
    aws_http *http;      /* for STS, ECS, IMDS (NULL: those are skipped) */
    const char *profile; /* overrides AWS_PROFILE */
    const char *region;  /* region for STS calls (NULL: us-east-1) */
} aws_creds_env;

/* A provider that always returns the given credentials (tests, -var input). */
aws_creds_provider *aws_creds_static_provider(const aws_credentials *c);

aws_creds_provider *aws_creds_env_provider(const aws_creds_env *env);
aws_creds_provider *aws_creds_profile_provider(const aws_creds_env *env);
aws_creds_provider *aws_creds_ecs_provider(const aws_creds_env *env);
aws_creds_provider *aws_creds_imds_provider(const aws_creds_env *env);

/* STS AssumeRole with `source` credentials; used by the profile provider.
 * Endpoint from AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL or the regional
 * default. Returns AWS_CREDS_OK or AWS_CREDS_ERROR. */
int aws_sts_assume_role(aws_http *http, aws_getenv_fn getenv_fn, const char *region,
                        const aws_credentials *source, const char *role_arn,
                        const char *session_name, const char *external_id, aws_credentials *out,
                        cp_buf *why);

typedef struct aws_creds_chain aws_creds_chain;
/* The temporary credentials of role_arn, assumed (STS AssumeRole, in
 * env->region) with the credentials of base, which it takes over; for a
 * provider block's assume_role (credentials_assume_role.c). session_name
 * NULL: "cpstack"; external_id may be NULL. */
aws_creds_provider *aws_creds_assume_role_provider(aws_creds_chain *base, const aws_creds_env *env,
                                                   const char *role_arn, const char *session_name,
                                                   const char *external_id);

/*
 * The default chain: env, profile, ECS, IMDS. aws_creds_chain_get is
 * thread-safe, caches, and refreshes credentials that expire within 5
 * minutes. On failure `why` is one line naming every place looked at.
 */
aws_creds_chain *aws_creds_chain_new(const aws_creds_env *env);
aws_creds_chain *aws_creds_chain_from(aws_creds_provider **providers, size_t n);
bool aws_creds_chain_get(aws_creds_chain *c, time_t now, aws_credentials *out, cp_buf *why);
void aws_creds_chain_free(aws_creds_chain *c);

/* Parsing helpers shared by providers (exposed for tests). */
/* Parses {"AccessKeyId","SecretAccessKey","Token","Expiration"} (ECS/IMDS JSON). */
bool aws_creds_from_json(const char *body, aws_credentials *out, cp_buf *why);
/* "2024-01-02T03:04:05Z" (fractional seconds allowed) → time_t UTC; -1 on error. */
time_t aws_parse_iso8601(const char *s);

#endif
