/*
 * credentials_assume_role.c: the credentials of a role assumed with STS
 * AssumeRole, for a provider block's assume_role { role_arn … }. The base
 * credentials come from a chain of their own (the default chain, or static
 * ones in tests); the role's temporary credentials are what this provider
 * returns. Wrapped in a chain (aws_creds_chain_from), they are cached and
 * assumed again shortly before they expire.
 *
 * Owns: its base chain and copies of the role's settings. Never writes a
 * secret into `why`.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/credentials.h"
#include "util/xalloc.h"

typedef struct assume_role {
    aws_creds_chain *base;
    aws_http *http;
    aws_getenv_fn getenv_fn;
    char *region, *role_arn, *session_name, *external_id;
} assume_role;

static int assume_get(aws_creds_provider *self, aws_credentials *out, cp_buf *why)
{
    assume_role *a = self->impl;
    aws_credentials base = { 0 };
    cp_buf looked = { 0 };
    if (!aws_creds_chain_get(a->base, time(NULL), &base, &looked)) {
        cp_buf_printf(why, "no base credentials to assume role %s with: %s", a->role_arn,
                      looked.data ? looked.data : "none found");
        cp_buf_free(&looked);
        return AWS_CREDS_ERROR;
    }
    cp_buf_free(&looked);
    int rc = aws_sts_assume_role(a->http, a->getenv_fn, a->region, &base, a->role_arn,
                                 a->session_name, a->external_id, out, why);
    aws_credentials_clear(&base);
    return rc;
}

static void assume_destroy(aws_creds_provider *self)
{
    assume_role *a = self->impl;
    aws_creds_chain_free(a->base);
    free(a->region);
    free(a->role_arn);
    free(a->session_name);
    free(a->external_id);
    free(a);
    free(self);
}

static char *dup_or_null(const char *s) { return s && *s ? cp_xstrdup(s) : NULL; }

aws_creds_provider *aws_creds_assume_role_provider(aws_creds_chain *base, const aws_creds_env *env,
                                                   const char *role_arn, const char *session_name,
                                                   const char *external_id)
{
    assume_role *a = cp_xcalloc(1, sizeof *a);
    a->base = base;
    a->http = env->http;
    a->getenv_fn = env->getenv_fn;
    a->region = dup_or_null(env->region);
    a->role_arn = cp_xstrdup(role_arn);
    a->session_name = dup_or_null(session_name);
    a->external_id = dup_or_null(external_id);
    aws_creds_provider *p = cp_xcalloc(1, sizeof *p);
    p->name = "assume_role";
    p->get = assume_get;
    p->destroy = assume_destroy;
    p->impl = a;
    return p;
}
