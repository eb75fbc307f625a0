/*
 * credentials_chain.c: the default credentials chain (environment,
 * profile, ECS, IMDS) with a thread-safe cache. Cached temporary
 * credentials are refreshed when they expire within REFRESH_BEFORE seconds.
 * Also the static provider.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials.h"
#include "util/xalloc.h"

#define REFRESH_BEFORE 300

struct aws_creds_chain {
    aws_creds_provider **providers;
    size_t n;
    pthread_mutex_t mu;
    aws_credentials cached;
    bool have;
};

aws_creds_chain *aws_creds_chain_from(aws_creds_provider **providers, size_t n)
{
    aws_creds_chain *c = cp_xcalloc(1, sizeof *c);
    c->providers = cp_xcalloc(n ? n : 1, sizeof *providers);
    memcpy(c->providers, providers, n * sizeof *providers);
    c->n = n;
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

aws_creds_chain *aws_creds_chain_new(const aws_creds_env *env)
{
    aws_creds_provider *p[4] = { aws_creds_env_provider(env), aws_creds_profile_provider(env),
                                 aws_creds_ecs_provider(env), aws_creds_imds_provider(env) };
    return aws_creds_chain_from(p, 4);
}

static bool fresh(const aws_credentials *c, time_t now)
{
    return c->expiration == 0 || now < c->expiration - REFRESH_BEFORE;
}

static bool run_providers(aws_creds_chain *c, aws_credentials *out, cp_buf *why)
{
    cp_buf looked = { 0 };
    for (size_t i = 0; i < c->n; i++) {
        cp_buf one = { 0 };
        int rc = c->providers[i]->get(c->providers[i], out, &one);
        if (rc == AWS_CREDS_OK) {
            cp_buf_free(&one);
            cp_buf_free(&looked);
            return true;
        }
        if (rc == AWS_CREDS_ERROR) {
            cp_buf_printf(why, "cannot get AWS credentials: %s",
                          one.data ? one.data : c->providers[i]->name);
            cp_buf_free(&one);
            cp_buf_free(&looked);
            return false;
        }
        cp_buf_printf(&looked, "%s%s", looked.len ? "; " : "",
                      one.data ? one.data : c->providers[i]->name);
        cp_buf_free(&one);
    }
    cp_buf_printf(why,
                  "no AWS credentials found; looked in: %s. Set AWS_ACCESS_KEY_ID and "
                  "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with ~/.aws/credentials (aws configure)",
                  looked.data ? looked.data : "nowhere");
    cp_buf_free(&looked);
    return false;
}

bool aws_creds_chain_get(aws_creds_chain *c, time_t now, aws_credentials *out, cp_buf *why)
{
    pthread_mutex_lock(&c->mu);
    bool ok = true;
    if (!c->have || !fresh(&c->cached, now)) {
        aws_credentials fresh_creds = { 0 };
        ok = run_providers(c, &fresh_creds, why);
        if (ok) {
            aws_credentials_clear(&c->cached);
            c->cached = fresh_creds;
            c->have = true;
        }
    }
    if (ok) aws_credentials_copy(out, &c->cached);
    pthread_mutex_unlock(&c->mu);
    return ok;
}

void aws_creds_chain_free(aws_creds_chain *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) c->providers[i]->destroy(c->providers[i]);
    free(c->providers);
    aws_credentials_clear(&c->cached);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* ---- static provider ---- */

static int static_get(aws_creds_provider *self, aws_credentials *out, cp_buf *why)
{
    aws_credentials_copy(out, self->impl);
    return AWS_CREDS_OK;
}

static void static_destroy(aws_creds_provider *self)
{
    aws_credentials_clear(self->impl);
    free(self->impl);
    free(self);
}

aws_creds_provider *aws_creds_static_provider(const aws_credentials *c)
{
    aws_creds_provider *p = cp_xcalloc(1, sizeof *p);
    aws_credentials *copy = cp_xcalloc(1, sizeof *copy);
    aws_credentials_copy(copy, c);
    p->name = "static";
    p->get = static_get;
    p->destroy = static_destroy;
    p->impl = copy;
    return p;
}
