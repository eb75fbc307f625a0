/*
 * sigv4.c: AWS Signature Version 4 (see sigv4.h for the contract).
 *
 * Steps, as in the AWS documentation: canonical request (method, path,
 * sorted query, sorted lower-cased headers, signed header list, payload
 * hash) → string to sign (algorithm, date, scope, hash of the canonical
 * request) → signing key (HMAC chain over date, region, service,
 * "aws4_request") → signature. SHA-256 and HMAC come from mbedTLS.
 */
#include "aws/sigv4.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/md.h>

#include "util/xalloc.h"

static const char HEX[] = "0123456789abcdef";

static void to_hex(const unsigned char *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = HEX[in[i] >> 4];
        out[2 * i + 1] = HEX[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void aws_sha256_hex(const void *data, size_t len, char out[AWS_SHA256_HEX_LEN + 1])
{
    unsigned char d[32];
    mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), data, len, d);
    to_hex(d, 32, out);
}

static void hmac(const void *key, size_t klen, const char *msg, unsigned char out[32])
{
    mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key, klen,
                    (const unsigned char *)msg, strlen(msg), out);
}

void aws_uri_encode(cp_buf *out, const char *s, size_t len, bool keep_slash)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
            (keep_slash && c == '/')) {
            cp_buf_addc(out, (char)c);
        } else {
            char e[4] = { '%', "0123456789ABCDEF"[c >> 4], "0123456789ABCDEF"[c & 15], 0 };
            cp_buf_add(out, e, 3);
        }
    }
}

void aws_format_amz_date(time_t t, char *buf, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, n >= 17 ? "%Y%m%dT%H%M%SZ" : "%Y%m%d", &tm);
}

/* Remove "." and ".." segments and empty segments; keep a trailing slash. */
static char *normalize_path(const char *path)
{
    size_t n = strlen(path);
    char *copy = cp_xstrdup(path);
    char **segs = cp_xcalloc(n + 1, sizeof(char *));
    size_t ns = 0;
    for (char *save = NULL, *tok = strtok_r(copy, "/", &save); tok;
         tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0) continue;
        if (strcmp(tok, "..") == 0) {
            if (ns) ns--;
            continue;
        }
        segs[ns++] = tok;
    }
    cp_buf b = { 0 };
    for (size_t i = 0; i < ns; i++) {
        cp_buf_addc(&b, '/');
        cp_buf_adds(&b, segs[i]);
    }
    if (ns == 0 || (n > 0 && path[n - 1] == '/')) cp_buf_addc(&b, '/');
    free(segs);
    free(copy);
    return cp_buf_steal(&b);
}

static void canonical_path(cp_buf *out, const char *path, const aws_sigv4_params *p)
{
    if (!path || !*path) path = "/";
    if (p->s3_path_rules) {
        cp_buf_adds(out, path);
        return;
    }
    char *norm = p->keep_dot_segments ? cp_xstrdup(path) : normalize_path(path);
    aws_uri_encode(out, norm, strlen(norm), true);
    free(norm);
}

/* ---- query ---------------------------------------------------------- */

typedef struct kv {
    char *k;
    char *v;
} kv;

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode then re-encode, so raw and encoded input agree. */
static char *reencode(const char *s, size_t n)
{
    cp_buf raw = { 0 }, enc = { 0 };
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            cp_buf_addc(&raw, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else {
            cp_buf_addc(&raw, s[i]);
        }
    }
    aws_uri_encode(&enc, raw.data ? raw.data : "", raw.len, false);
    cp_buf_free(&raw);
    if (!enc.data) return cp_xstrdup("");
    return cp_buf_steal(&enc);
}

static int kv_cmp(const void *a, const void *b)
{
    const kv *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    return c ? c : strcmp(x->v, y->v);
}

static void canonical_query(cp_buf *out, const char *query, const aws_sigv4_add *extra,
                            size_t n_extra)
{
    kv *items = NULL;
    size_t n = 0, cap = 0;
    const char *p = query ? query : "";
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len) {
            const char *eq = memchr(p, '=', len);
            size_t klen = eq ? (size_t)(eq - p) : len;
            CP_GROW(items, n + 1, cap);
            items[n].k = reencode(p, klen);
            items[n].v = eq ? reencode(eq + 1, len - klen - 1) : cp_xstrdup("");
            n++;
        }
        p += len + (amp ? 1 : 0);
    }
    for (size_t i = 0; i < n_extra; i++) {
        CP_GROW(items, n + 1, cap);
        cp_buf k = { 0 }, v = { 0 };
        aws_uri_encode(&k, extra[i].name, strlen(extra[i].name), false);
        aws_uri_encode(&v, extra[i].value, strlen(extra[i].value), false);
        items[n].k = k.data ? cp_buf_steal(&k) : cp_xstrdup("");
        items[n].v = v.data ? cp_buf_steal(&v) : cp_xstrdup("");
        n++;
    }
    if (n) qsort(items, n, sizeof(kv), kv_cmp);
    for (size_t i = 0; i < n; i++) {
        cp_buf_printf(out, "%s%s=%s", i ? "&" : "", items[i].k, items[i].v);
        free(items[i].k);
        free(items[i].v);
    }
    free(items);
}

/* ---- headers -------------------------------------------------------- */

typedef struct hdr {
    char *name;
    cp_buf value;
    size_t order;
} hdr;

static bool skip_header(const char *lname)
{
    static const char *const skip[] = {
        "authorization",     "user-agent", "x-amzn-trace-id", "expect", "connection",
        "transfer-encoding", NULL
    };
    for (size_t i = 0; skip[i]; i++)
        if (strcmp(lname, skip[i]) == 0) return true;
    return false;
}

/* Append a value trimmed, with runs of whitespace (incl. folded lines) collapsed. */
static void add_trimmed(cp_buf *b, const char *v)
{
    bool pending_space = false, any = false;
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') {
            pending_space = any;
            continue;
        }
        if (pending_space) cp_buf_addc(b, ' ');
        pending_space = false;
        any = true;
        cp_buf_addc(b, *v);
    }
    if (!b->data) cp_buf_adds(b, "");
}

static int hdr_cmp(const void *a, const void *b)
{
    const hdr *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

static void add_header(hdr **hs, size_t *n, size_t *cap, const char *name, const char *value)
{
    char *lname = cp_xstrdup(name);
    for (char *q = lname; *q; q++) *q = (char)tolower((unsigned char)*q);
    if (skip_header(lname)) {
        free(lname);
        return;
    }
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*hs)[i].name, lname) == 0) {
            cp_buf_addc(&(*hs)[i].value, ',');
            add_trimmed(&(*hs)[i].value, value);
            free(lname);
            return;
        }
    }
    CP_GROW(*hs, *n + 1, *cap);
    hdr *h = &(*hs)[(*n)++];
    h->name = lname;
    h->order = *n;
    cp_buf_init(&h->value);
    add_trimmed(&h->value, value);
}

/* Writes canonical headers + "\n" + signed header list into out; signed list into sh. */
static void canonical_headers(cp_buf *out, cp_buf *sh, const aws_sigv4_request *req,
                              const aws_header *extra, size_t n_extra)
{
    hdr *hs = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < req->n_headers; i++)
        add_header(&hs, &n, &cap, req->headers[i].name, req->headers[i].value);
    for (size_t i = 0; i < n_extra; i++) add_header(&hs, &n, &cap, extra[i].name, extra[i].value);
    qsort(hs, n, sizeof(hdr), hdr_cmp);
    for (size_t i = 0; i < n; i++) {
        cp_buf_printf(out, "%s:%s\n", hs[i].name, hs[i].value.data);
        cp_buf_printf(sh, "%s%s", i ? ";" : "", hs[i].name);
    }
    cp_buf_printf(out, "\n%s", sh->data ? sh->data : "");
    for (size_t i = 0; i < n; i++) {
        free(hs[i].name);
        cp_buf_free(&hs[i].value);
    }
    free(hs);
}

/* ---- signing -------------------------------------------------------- */

static void result_add(aws_sigv4_result *r, const char *name, const char *value)
{
    r->add[r->n_add].name = cp_xstrdup(name);
    r->add[r->n_add].value = cp_xstrdup(value);
    r->n_add++;
}

static void signing_key(const aws_sigv4_params *p, const char *date, unsigned char key[32])
{
    char *k0 = cp_xasprintf("AWS4%s", p->creds->secret_access_key);
    unsigned char a[32], b[32];
    hmac(k0, strlen(k0), date, a);
    hmac(a, 32, p->region, b);
    hmac(b, 32, p->service, a);
    hmac(a, 32, "aws4_request", key);
    memset(k0, 0, strlen(k0));
    free(k0);
}

/* Query signing: the X-Amz-* parameters that take part in the canonical query. */
static size_t presign_params(aws_sigv4_result *r, const aws_sigv4_params *p, const char *amzdate,
                             const char *scope, const char *signed_list)
{
    char expires[24];
    snprintf(expires, sizeof expires, "%d", p->expires > 0 ? p->expires : 3600);
    char *cred = cp_xasprintf("%s/%s", p->creds->access_key_id, scope);
    result_add(r, "X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    result_add(r, "X-Amz-Credential", cred);
    result_add(r, "X-Amz-Date", amzdate);
    result_add(r, "X-Amz-SignedHeaders", signed_list);
    result_add(r, "X-Amz-Expires", expires);
    free(cred);
    if (p->creds->session_token && !p->omit_session_token) {
        result_add(r, "X-Amz-Security-Token", p->creds->session_token);
        return 6;
    }
    return 5;
}

void aws_sigv4_sign(const aws_sigv4_request *req, const aws_sigv4_params *p, aws_sigv4_result *out)
{
    memset(out, 0, sizeof *out);
    char amzdate[17], date[9];
    aws_format_amz_date(p->when, amzdate, sizeof amzdate);
    aws_format_amz_date(p->when, date, sizeof date);
    char *scope = cp_xasprintf("%s/%s/%s/aws4_request", date, p->region, p->service);
    const char *payload = req->payload_hash ? req->payload_hash : AWS_EMPTY_SHA256;
    const char *token = p->creds->session_token;

    aws_header extra[3];
    size_t n_extra = 0;
    if (!p->query_signing) {
        extra[n_extra++] = (aws_header){ "x-amz-date", amzdate };
        if (token && !p->omit_session_token)
            extra[n_extra++] = (aws_header){ "x-amz-security-token", token };
        if (p->content_sha256_header)
            extra[n_extra++] = (aws_header){ "x-amz-content-sha256", payload };
    }
    cp_buf hdrs = { 0 }, signed_list = { 0 };
    canonical_headers(&hdrs, &signed_list, req, extra, n_extra);

    cp_buf *cr = &out->canonical_request;
    cp_buf_printf(cr, "%s\n", req->method);
    canonical_path(cr, req->path, p);
    cp_buf_addc(cr, '\n');
    size_t n_q = p->query_signing ? presign_params(out, p, amzdate, scope, signed_list.data) : 0;
    canonical_query(cr, req->query, out->add, n_q);
    cp_buf_printf(cr, "\n%s\n%s", hdrs.data, payload);

    char crhash[AWS_SHA256_HEX_LEN + 1];
    aws_sha256_hex(cr->data, cr->len, crhash);
    cp_buf_printf(&out->string_to_sign, "AWS4-HMAC-SHA256\n%s\n%s\n%s", amzdate, scope, crhash);

    unsigned char key[32], sig[32];
    signing_key(p, date, key);
    hmac(key, 32, out->string_to_sign.data, sig);
    memset(key, 0, sizeof key);
    to_hex(sig, 32, out->signature);

    if (p->query_signing) {
        if (token && p->omit_session_token) result_add(out, "X-Amz-Security-Token", token);
        result_add(out, "X-Amz-Signature", out->signature);
    } else {
        if (token) result_add(out, "X-Amz-Security-Token", token);
        result_add(out, "X-Amz-Date", amzdate);
        if (p->content_sha256_header) result_add(out, "x-amz-content-sha256", payload);
        char *auth = cp_xasprintf("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, "
                                  "Signature=%s",
                                  p->creds->access_key_id, scope, signed_list.data, out->signature);
        result_add(out, "Authorization", auth);
        free(auth);
    }
    cp_buf_free(&hdrs);
    cp_buf_free(&signed_list);
    free(scope);
}

void aws_sigv4_result_free(aws_sigv4_result *r)
{
    cp_buf_free(&r->canonical_request);
    cp_buf_free(&r->string_to_sign);
    for (size_t i = 0; i < r->n_add; i++) {
        free(r->add[i].name);
        free(r->add[i].value);
    }
    r->n_add = 0;
}
