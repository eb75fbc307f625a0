/*
 * credentials_env.c: credentials from AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, the first link of the chain.
 */
#include <stdlib.h>

#include "aws/credentials.h"
#include "util/xalloc.h"

typedef struct env_impl {
    aws_getenv_fn g;
} env_impl;

static const char *val(aws_getenv_fn g, const char *n)
{
    const char *v = g(n);
    return v && *v ? v : NULL;
}

static int env_get(aws_creds_provider *self, aws_credentials *out, cp_buf *why)
{
    env_impl *e = self->impl;
    const char *akid = val(e->g, "AWS_ACCESS_KEY_ID");
    const char *secret = val(e->g, "AWS_SECRET_ACCESS_KEY");
    if (akid && secret) {
        aws_credentials_set(out, akid, secret, val(e->g, "AWS_SESSION_TOKEN"), 0);
        return AWS_CREDS_OK;
    }
    if (akid || secret) {
        cp_buf_printf(why, "environment: %s is set but %s is not",
                      akid ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                      akid ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
        return AWS_CREDS_ERROR;
    }
    cp_buf_adds(why, "environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set)");
    return AWS_CREDS_NONE;
}

static void env_destroy(aws_creds_provider *self)
{
    free(self->impl);
    free(self);
}

aws_creds_provider *aws_creds_env_provider(const aws_creds_env *env)
{
    aws_creds_provider *p = cp_xcalloc(1, sizeof *p);
    env_impl *e = cp_xcalloc(1, sizeof *e);
    e->g = env->getenv_fn;
    p->name = "environment";
    p->get = env_get;
    p->destroy = env_destroy;
    p->impl = e;
    return p;
}
