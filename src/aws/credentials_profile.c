/*
 * credentials_profile.c: credentials from the shared files. A profile has
 * either static keys (aws_access_key_id / aws_secret_access_key /
 * aws_session_token) or role_arn plus source_profile (or credential_source
 * = Environment), in which case the source's credentials assume the role
 * through STS. Chains of roles are followed up to a small depth.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/config_file.h"
#include "aws/credentials.h"
#include "util/xalloc.h"

#define MAX_ROLE_DEPTH 5

typedef struct profile_impl {
    aws_getenv_fn g;
    aws_http *http;
    char *profile; /* explicit name or NULL */
    char *region;
} profile_impl;

static int resolve(profile_impl *pi, const char *name, int depth, aws_credentials *out,
                   cp_buf *why);

static int assume(profile_impl *pi, const aws_profile *p, const char *name, int depth,
                  aws_credentials *out, cp_buf *why)
{
    const char *role = aws_profile_get(p, "role_arn");
    const char *src = aws_profile_get(p, "source_profile");
    const char *csrc = aws_profile_get(p, "credential_source");
    aws_credentials source = { 0 };
    int rc;
    if (depth >= MAX_ROLE_DEPTH) {
        cp_buf_printf(why, "profile \"%s\": source_profile chain is deeper than %d (a loop?)", name,
                      MAX_ROLE_DEPTH);
        return AWS_CREDS_ERROR;
    }
    if (src) {
        rc = strcmp(src, name) == 0 && aws_profile_get(p, "aws_access_key_id")
                 ? (aws_credentials_set(&source, aws_profile_get(p, "aws_access_key_id"),
                                        aws_profile_get(p, "aws_secret_access_key"),
                                        aws_profile_get(p, "aws_session_token"), 0),
                    AWS_CREDS_OK)
                 : resolve(pi, src, depth + 1, &source, why);
    } else if (csrc && strcasecmp(csrc, "Environment") == 0) {
        aws_creds_env env = { .getenv_fn = pi->g };
        aws_creds_provider *e = aws_creds_env_provider(&env);
        rc = e->get(e, &source, why);
        e->destroy(e);
    } else {
        cp_buf_printf(why,
                      "profile \"%s\" has role_arn but no source_profile or "
                      "credential_source = Environment",
                      name);
        return AWS_CREDS_ERROR;
    }
    if (rc != AWS_CREDS_OK) return AWS_CREDS_ERROR;
    if (!pi->http) {
        cp_buf_printf(why, "profile \"%s\": cannot call STS without a transport", name);
        aws_credentials_clear(&source);
        return AWS_CREDS_ERROR;
    }
    const char *region = aws_profile_get(p, "region");
    rc = aws_sts_assume_role(pi->http, pi->g, region ? region : pi->region, &source, role,
                             aws_profile_get(p, "role_session_name"),
                             aws_profile_get(p, "external_id"), out, why);
    aws_credentials_clear(&source);
    return rc;
}

static int resolve(profile_impl *pi, const char *name, int depth, aws_credentials *out, cp_buf *why)
{
    aws_profile *p = aws_profile_load(name, pi->g);
    if (!p) {
        char *cf = aws_credentials_file_path(pi->g), *cc = aws_config_file_path(pi->g);
        cp_buf_printf(why, "profile \"%s\" (not in %s or %s)", name, cf, cc);
        free(cf);
        free(cc);
        return depth > 0 || pi->profile || pi->g("AWS_PROFILE") ? AWS_CREDS_ERROR : AWS_CREDS_NONE;
    }
    int rc;
    const char *akid = aws_profile_get(p, "aws_access_key_id");
    const char *secret = aws_profile_get(p, "aws_secret_access_key");
    if (aws_profile_get(p, "role_arn")) {
        rc = assume(pi, p, name, depth, out, why);
    } else if (akid && secret) {
        aws_credentials_set(out, akid, secret, aws_profile_get(p, "aws_session_token"), 0);
        rc = AWS_CREDS_OK;
    } else {
        cp_buf_printf(
            why, "profile \"%s\" (no aws_access_key_id/aws_secret_access_key or role_arn%s)", name,
            aws_profile_get(p, "sso_start_url") || aws_profile_get(p, "sso_session")
                ? "; SSO profiles are not supported, run aws configure export-credentials"
                : "");
        rc = depth > 0 ? AWS_CREDS_ERROR : AWS_CREDS_NONE;
    }
    aws_profile_free(p);
    return rc;
}

static int profile_get(aws_creds_provider *self, aws_credentials *out, cp_buf *why)
{
    profile_impl *pi = self->impl;
    return resolve(pi, aws_profile_name(pi->profile, pi->g), 0, out, why);
}

static void profile_destroy(aws_creds_provider *self)
{
    profile_impl *pi = self->impl;
    free(pi->profile);
    free(pi->region);
    free(pi);
    free(self);
}

aws_creds_provider *aws_creds_profile_provider(const aws_creds_env *env)
{
    aws_creds_provider *p = cp_xcalloc(1, sizeof *p);
    profile_impl *pi = cp_xcalloc(1, sizeof *pi);
    pi->g = env->getenv_fn;
    pi->http = env->http;
    pi->profile = env->profile ? cp_xstrdup(env->profile) : NULL;
    pi->region = env->region ? cp_xstrdup(env->region) : NULL;
    p->name = "profile";
    p->get = profile_get;
    p->destroy = profile_destroy;
    p->impl = pi;
    return p;
}
