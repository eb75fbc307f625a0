/*
 * route53_common.c: the calls the Route 53 types share (route53_common.h).
 */
#include "providers/aws/route53_common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "providers/aws/s3_common.h"
#include "util/xalloc.h"

const char *const r53_zone_gone[] = { "NoSuchHostedZone", NULL };

int r53_call(cp_provider_call *c, const char *op, const char *method, const char *path,
             const aws_params *q, const cp_buf *b, const char *const *gone, xmlDocPtr *doc)
{
    if (doc) *doc = NULL;
    char *full = cp_xasprintf("/2013-04-01/%s", path);
    aws_header h[1] = { { "Content-Type", "text/xml" } };
    aws_rest_request req = { .method = method,
                             .path = full,
                             .query = q,
                             .headers = h,
                             .n_headers = b ? 1 : 0,
                             .body = b ? b->data : NULL,
                             .body_len = b ? b->len : 0 };
    aws_response resp;
    int rc = cp_aws_rest(c, "route53", op, &req, gone, doc ? &resp : NULL);
    free(full);
    if (rc == 0 && doc) {
        *doc = s3_xml(&resp);
        aws_response_free(&resp);
    }
    return rc;
}

char *r53_zone_id(const char *s)
{
    if (!s) return NULL;
    const char *slash = strrchr(s, '/');
    return cp_xstrdup(slash ? slash + 1 : s);
}

char *r53_name_norm(const char *name)
{
    if (!name) return NULL;
    char *n = cp_xstrdup(name), *o = n;
    for (const char *p = name; *p; p++) {
        /* Route 53 answers *, and any character but a-z 0-9 - _ ., as \ooo */
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
            p[3] >= '0' && p[3] <= '7') {
            *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
            p += 3;
        } else
            *o++ = (char)tolower((unsigned char)*p);
    }
    *o = '\0';
    size_t len = strlen(n);
    if (len && n[len - 1] == '.') n[len - 1] = '\0';
    return n;
}

char *r53_change_id(xmlDocPtr doc)
{
    return aws_xml_text(aws_xml_find_any(aws_xml_root(doc), "ChangeInfo"), "Id");
}

typedef struct change_wait {
    const char *id;
} change_wait;

static int change_check(cp_provider_call *c, void *ud, bool *done)
{
    change_wait *w = ud;
    char *path = cp_xasprintf("change/%s", w->id);
    xmlDocPtr doc;
    int rc = r53_call(c, "GetChange", "GET", path, NULL, NULL, NULL, &doc);
    free(path);
    if (rc != 0) return -1;
    char *st = aws_xml_text(aws_xml_find_any(aws_xml_root(doc), "ChangeInfo"), "Status");
    *done = st && strcmp(st, "INSYNC") == 0;
    free(st);
    xmlFreeDoc(doc);
    return 0;
}

int r53_wait_change(cp_provider_call *c, const char *change_id, const char *what)
{
    if (!change_id) return 0;
    char *id = r53_zone_id(change_id); /* "/change/C1" → "C1" */
    change_wait w = { id };
    int rc = cp_aws_wait(c, what, 30 * 60, 10000, change_check, &w);
    free(id);
    return rc;
}

void r53_xml_elem(cp_buf *b, const char *name, const char *text)
{
    if (!text) return;
    cp_buf_printf(b, "<%s>", name);
    s3_xml_esc(b, text);
    cp_buf_printf(b, "</%s>", name);
}

int r53_zone_name(cp_provider_call *c, const char *zone_id, char **name)
{
    *name = NULL;
    char *path = cp_xasprintf("hostedzone/%s", zone_id);
    xmlDocPtr doc;
    int rc = r53_call(c, "GetHostedZone", "GET", path, NULL, NULL, r53_zone_gone, &doc);
    free(path);
    if (rc != 0) return rc;
    char *n = aws_xml_text(aws_xml_root(doc), "HostedZone/Name");
    *name = r53_name_norm(n);
    free(n);
    xmlFreeDoc(doc);
    return *name ? 0 : 1;
}
