/*
 * credentials.c: the aws_credentials value (set/copy/clear) and parsing
 * helpers shared by the providers: the JSON document served by the ECS and
 * EC2 metadata endpoints, and ISO 8601 timestamps.
 */
#include "aws/credentials.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/xalloc.h"

static char *dup_or_null(const char *s) { return s && *s ? cp_xstrdup(s) : NULL; }

void aws_credentials_set(aws_credentials *c, const char *akid, const char *secret,
                         const char *token, time_t expiration)
{
    c->access_key_id = dup_or_null(akid);
    c->secret_access_key = dup_or_null(secret);
    c->session_token = dup_or_null(token);
    c->expiration = expiration;
}

void aws_credentials_copy(aws_credentials *dst, const aws_credentials *src)
{
    aws_credentials_set(dst, src->access_key_id, src->secret_access_key, src->session_token,
                        src->expiration);
}

static void wipe(char **s)
{
    if (*s) {
        memset(*s, 0, strlen(*s));
        free(*s);
        *s = NULL;
    }
}

void aws_credentials_clear(aws_credentials *c)
{
    wipe(&c->access_key_id);
    wipe(&c->secret_access_key);
    wipe(&c->session_token);
    c->expiration = 0;
}

time_t aws_parse_iso8601(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!s) return -1;
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end) return -1;
    if (*end == '.')
        for (end++; *end >= '0' && *end <= '9'; end++) {
        }
    if (*end && *end != 'Z' && strcmp(end, "+00:00") != 0) return -1;
    return timegm(&tm);
}

bool aws_creds_from_json(const char *body, aws_credentials *out, cp_buf *why)
{
    json_error_t jerr;
    json_t *j = json_loads(body ? body : "", 0, &jerr);
    if (!j || !json_is_object(j)) {
        cp_buf_printf(why, "credentials response is not JSON (%s)", jerr.text);
        json_decref(j);
        return false;
    }
    const char *akid = json_string_value(json_object_get(j, "AccessKeyId"));
    const char *secret = json_string_value(json_object_get(j, "SecretAccessKey"));
    const char *token = json_string_value(json_object_get(j, "Token"));
    const char *exp = json_string_value(json_object_get(j, "Expiration"));
    const char *code = json_string_value(json_object_get(j, "Code"));
    bool ok = akid && secret && (!code || strcmp(code, "Success") == 0);
    if (ok) {
        time_t e = exp ? aws_parse_iso8601(exp) : 0;
        aws_credentials_set(out, akid, secret, token, e > 0 ? e : 0);
    } else {
        cp_buf_printf(why, "credentials response lacks AccessKeyId/SecretAccessKey%s%s",
                      code ? ", code " : "", code ? code : "");
    }
    json_decref(j);
    return ok;
}
