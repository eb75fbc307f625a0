/*
 * client.c: aws_client: credentials chain + region + endpoints + transport
 * + retry policy, and the send loop shared by every protocol.
 *
 * Thread safety: the client is read-only after aws_client_new except for
 * the credentials cache (locked inside the chain), the retry quota (locked)
 * and the clock skew (atomic).
 */
#include "client_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "aws/config_file.h"
#include "aws/log.h"
#include "aws/retry.h"
#include "util/xalloc.h"

struct aws_client {
    char *region;
    aws_getenv_fn getenv_fn;
    aws_http *http;
    aws_creds_chain *chain;
    aws_retry_policy policy;
    aws_retry_quota quota;
    bool s3_path_style;
    long skew; /* seconds: server time - local time (atomic) */
    void *ext;
    void (*ext_free)(void *);
};

static const char *real_getenv(const char *n) { return getenv(n); }

/* `s3 =\n  addressing_style = path` in the profile's config section. */
static bool profile_wants_path_style(const char *profile, aws_getenv_fn g)
{
    aws_profile *p = aws_profile_load(aws_profile_name(profile, g), g);
    const char *style = aws_profile_get(p, "s3.addressing_style");
    bool path = style && strcmp(style, "path") == 0;
    aws_profile_free(p);
    return path;
}

aws_client *aws_client_new(const aws_client_options *o, char **err)
{
    aws_client_options none = { 0 };
    if (!o) o = &none;
    aws_getenv_fn g = o->getenv_fn ? o->getenv_fn : real_getenv;
    cp_buf why = { 0 };
    char *region = aws_region_resolve(o->cli_region, o->stack_region, o->profile, g, &why);
    if (!region) {
        *err = cp_buf_steal(&why);
        return NULL;
    }
    aws_client *c = cp_xcalloc(1, sizeof *c);
    c->region = region;
    c->getenv_fn = g;
    aws_http_options ho = { .getenv_fn = g,
                            .timeout_ms = o->timeout_ms,
                            .log_debug = aws_log_debug_enabled(g),
                            .log_sink = o->log_sink,
                            .log_ud = o->log_ud };
    c->http = aws_http_new(&ho);
    if (o->static_credentials) {
        aws_creds_provider *p = aws_creds_static_provider(o->static_credentials);
        c->chain = aws_creds_chain_from(&p, 1);
    } else {
        aws_creds_env env = {
            .getenv_fn = g, .http = c->http, .profile = o->profile, .region = region
        };
        c->chain = aws_creds_chain_new(&env);
    }
    if (o->assume_role_arn) {
        aws_creds_env env = { .getenv_fn = g, .http = c->http, .region = region };
        aws_creds_provider *p =
            aws_creds_assume_role_provider(c->chain, &env, o->assume_role_arn,
                                           o->assume_role_session_name, o->assume_role_external_id);
        c->chain = aws_creds_chain_from(&p, 1);
    }
    aws_retry_policy_init(&c->policy, g);
    if (o->max_attempts > 0) c->policy.max_attempts = o->max_attempts;
    if (o->retry_base_ms > 0) c->policy.base_ms = o->retry_base_ms;
    aws_retry_quota_init(&c->quota);
    c->s3_path_style = o->s3_path_style || profile_wants_path_style(o->profile, g);
    return c;
}

void aws_client_free(aws_client *c)
{
    if (!c) return;
    if (c->ext_free) c->ext_free(c->ext);
    aws_creds_chain_free(c->chain);
    aws_http_free(c->http);
    aws_retry_quota_destroy(&c->quota);
    free(c->region);
    free(c);
}

const char *aws_client_region(const aws_client *c) { return c->region; }

void aws_client_set_ext(aws_client *c, void *ext, void (*free_fn)(void *))
{
    if (c->ext_free) c->ext_free(c->ext);
    c->ext = ext;
    c->ext_free = free_fn;
}

void *aws_client_ext(const aws_client *c) { return c->ext; }

static double random01(void)
{
    uint32_t r = 0;
    if (getrandom(&r, sizeof r, 0) != sizeof r) r = (uint32_t)clock();
    return r / 4294967296.0;
}

void aws_client_token(char out[37])
{
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != sizeof b)
        for (size_t i = 0; i < 16; i++) b[i] = (unsigned char)(random01() * 256);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

time_t aws_parse_http_date(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!s || !strptime(s, "%a, %d %b %Y %H:%M:%S", &tm)) return -1;
    return timegm(&tm);
}

/* Builds URL and Host; S3 buckets go in the host or the path. */
static void build_target(const aws_client *c, const aws_send_req *r, const aws_endpoint *ep,
                         cp_buf *url, cp_buf *host, cp_buf *path)
{
    const char *scheme_end = strstr(ep->url, "://");
    const char *base = scheme_end + 3 + strlen(ep->host); /* base path of an override */
    bool vhost = r->bucket && !ep->s3_path_style && !strchr(r->bucket, '.');
    cp_buf_adds(path, base);
    if (r->bucket && !vhost) {
        cp_buf_addc(path, '/');
        aws_uri_encode(path, r->bucket, strlen(r->bucket), false);
    }
    cp_buf_adds(path, r->path && *r->path ? r->path : (r->bucket && !vhost ? "" : "/"));
    if (vhost)
        cp_buf_printf(host, "%s.%s", r->bucket, ep->host);
    else
        cp_buf_adds(host, ep->host);
    cp_buf_add(url, ep->url, (size_t)(scheme_end + 3 - ep->url));
    cp_buf_printf(url, "%s%s", host->data, path->data);
    if (r->query && *r->query) cp_buf_printf(url, "?%s", r->query);
}

static _Thread_local bool t_no_resend; /* see aws_set_no_resend */

static int one_attempt(aws_client *c, const aws_send_req *r, const aws_endpoint *ep,
                       const aws_credentials *creds, aws_http_response *resp, cp_buf *why)
{
    cp_buf url = { 0 }, host = { 0 }, path = { 0 };
    build_target(c, r, ep, &url, &host, &path);
    bool s3 = strcmp(r->svc->key, "s3") == 0;
    char hash[AWS_SHA256_HEX_LEN + 1];
    if (s3 && r->unsigned_payload)
        snprintf(hash, sizeof hash, "%s", AWS_UNSIGNED_PAYLOAD);
    else
        aws_sha256_hex(r->body ? r->body : "", r->body_len, hash);

    size_t nh = r->n_headers + 1;
    aws_header *hs = cp_xcalloc(nh + 8, sizeof *hs);
    hs[0] = (aws_header){ "Host", host.data };
    for (size_t i = 0; i < r->n_headers; i++) hs[i + 1] = r->headers[i];
    aws_sigv4_request sr = { r->method, path.data, r->query, hs, nh, hash };
    aws_sigv4_params sp = { .service = r->svc->signing_name,
                            .region = ep->signing_region,
                            .when = time(NULL) + __atomic_load_n(&c->skew, __ATOMIC_RELAXED),
                            .creds = creds,
                            .s3_path_rules = s3,
                            .content_sha256_header = s3 };
    aws_sigv4_result sig;
    aws_sigv4_sign(&sr, &sp, &sig);
    for (size_t i = 0; i < sig.n_add; i++)
        hs[nh++] = (aws_header){ sig.add[i].name, sig.add[i].value };
    aws_http_request hr = { r->method, url.data, hs, nh, r->body, r->body_len, 0, 0, t_no_resend };
    int rc = aws_http_send(c->http, &hr, resp, why);
    aws_sigv4_result_free(&sig);
    free(hs);
    cp_buf_free(&url);
    cp_buf_free(&host);
    cp_buf_free(&path);
    return rc;
}

/* After a clock-skew error: adopt the server's clock; true if it changed. */
static bool correct_skew(aws_client *c, const aws_http_response *resp)
{
    time_t server = aws_parse_http_date(aws_http_header(resp, "Date"));
    if (server < 0) return false;
    long skew = (long)(server - time(NULL));
    long old = __atomic_exchange_n(&c->skew, skew, __ATOMIC_RELAXED);
    return labs(skew - old) > 60;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static int fail_no_creds(aws_error *err, cp_buf *why)
{
    err->code = cp_xstrdup("NoCredentials");
    err->message = cp_buf_steal(why);
    return -1;
}

void aws_set_no_resend(bool on) { t_no_resend = on; }

int aws_client_send(aws_client *c, const aws_send_req *r, aws_http_response *out, aws_error *err)
{
    bool lost = false;
    memset(err, 0, sizeof *err);
    memset(out, 0, sizeof *out);
    cp_buf why = { 0 };
    aws_endpoint ep;
    if (aws_endpoint_resolve(r->svc, c->region, c->getenv_fn, c->s3_path_style, &ep, &why) != 0) {
        err->code = cp_xstrdup("InvalidEndpoint");
        err->message = cp_buf_steal(&why);
        return -1;
    }
    int cost = 0;
    for (int attempt = 1;; attempt++) {
        aws_credentials creds = { 0 };
        if (!aws_creds_chain_get(c->chain, time(NULL), &creds, &why))
            return fail_no_creds(err, &why);
        aws_http_response resp;
        cp_buf_reset(&why);
        int rc = one_attempt(c, r, &ep, &creds, &resp, &why);
        aws_credentials_clear(&creds);
        if (rc == 0 && resp.status >= 200 && resp.status < 300) {
            aws_retry_quota_release(&c->quota, cost);
            aws_error_clear(err); /* earlier attempts' errors are moot */
            *out = resp;
            cp_buf_free(&why);
            return 0;
        }
        aws_error_clear(err);
        lost = lost || rc != 0;
        if (rc != 0) {
            err->code = cp_xstrdup("RequestError");
            err->message = cp_buf_steal(&why);
        } else {
            aws_error_from_response((int)r->svc->protocol, &resp, err);
        }
        aws_retry_kind kind = aws_retry_classify(err->http_status, err->code, rc != 0);
        if (kind == AWS_RETRY_CLOCK_SKEW && !correct_skew(c, &resp)) kind = AWS_RETRY_NONE;
        aws_http_response_free(&resp);
        err->attempts = attempt;
        err->unanswered = lost;
        err->throttle = kind == AWS_RETRY_THROTTLE;
        err->retryable = kind != AWS_RETRY_NONE;
        if (rc != 0 && t_no_resend) kind = AWS_RETRY_NONE;
        if (kind == AWS_RETRY_NONE || attempt >= c->policy.max_attempts ||
            !aws_retry_quota_acquire(&c->quota, kind, &cost)) {
            cp_buf_free(&why);
            return -1;
        }
        if (kind != AWS_RETRY_CLOCK_SKEW)
            sleep_ms(aws_retry_backoff_ms(&c->policy, attempt - 1, random01()));
    }
}
