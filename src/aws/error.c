/*
 * error.c: the one AWS error struct: parsing each protocol's error format
 * and formatting the one-line message users see (see aws.h).
 */
#include "aws/aws.h"

#include <stdlib.h>
#include <string.h>

#include "aws/endpoints.h"
#include "aws/xml.h"
#include "util/xalloc.h"

void aws_error_clear(aws_error *e)
{
    free(e->code);
    free(e->message);
    free(e->request_id);
    memset(e, 0, sizeof *e);
}

bool aws_error_is(const aws_error *e, const char *code)
{
    return e && e->code && strcmp(e->code, code) == 0;
}

/* Append s with newlines and tabs flattened, so the message stays one line. */
static void add_one_line(cp_buf *b, const char *s)
{
    for (; *s; s++) cp_buf_addc(b, (*s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s);
}

char *aws_error_format(const aws_error *e, const char *address, const char *operation)
{
    cp_buf b = { 0 };
    if (address && *address) cp_buf_printf(&b, "%s: ", address);
    if (operation && *operation) cp_buf_printf(&b, "%s: ", operation);
    add_one_line(&b, e->code ? e->code : "UnknownError");
    if (e->message && *e->message) {
        cp_buf_adds(&b, ": ");
        add_one_line(&b, e->message);
    }
    if (e->request_id && *e->request_id) cp_buf_printf(&b, " (request id %s)", e->request_id);
    return cp_buf_steal(&b);
}

static void set(char **dst, const char *v)
{
    if (!v || !*v || *dst) return;
    *dst = cp_xstrdup(v);
}

static const char *status_code_name(long s)
{
    switch (s) {
    case 301:
        return "PermanentRedirect";
    case 304:
        return "NotModified";
    case 400:
        return "BadRequest";
    case 403:
        return "Forbidden";
    case 404:
        return "NotFound";
    case 409:
        return "Conflict";
    case 412:
        return "PreconditionFailed";
    case 429:
        return "TooManyRequests";
    case 500:
        return "InternalError";
    case 502:
        return "BadGateway";
    case 503:
        return "ServiceUnavailable";
    case 504:
        return "GatewayTimeout";
    default:
        return NULL;
    }
}

/* Query, EC2 query and REST-XML: <Code>, <Message>, <RequestId>/<RequestID>. */
static void from_xml(const aws_http_response *r, aws_error *e)
{
    xmlDocPtr doc = aws_xml_parse(r->body.data, r->body.len);
    xmlNodePtr root = aws_xml_root(doc);
    if (!root) return;
    xmlNodePtr err =
        strcmp((const char *)root->name, "Error") == 0 ? root : aws_xml_find_any(root, "Error");
    char *code = aws_xml_text(err, "Code"), *msg = aws_xml_text(err, "Message");
    char *rid = aws_xml_text(root, "RequestId");
    if (!rid) rid = aws_xml_text(root, "RequestID");
    set(&e->code, code);
    set(&e->message, msg);
    set(&e->request_id, rid);
    free(code);
    free(msg);
    free(rid);
    xmlFreeDoc(doc);
}

/* "aws.protocoltests#FooError:http://..." → "FooError". */
static void set_code_stripped(aws_error *e, const char *t)
{
    if (!t || !*t || e->code) return;
    const char *h = strrchr(t, '#');
    if (h) t = h + 1;
    size_t n = strcspn(t, ":");
    if (n) e->code = cp_xstrndup(t, n);
}

static void from_json(const aws_http_response *r, aws_error *e)
{
    set_code_stripped(e, aws_http_header(r, "x-amzn-ErrorType"));
    json_t *j = json_loadb(r->body.data ? r->body.data : "", r->body.len, 0, NULL);
    if (json_is_object(j)) {
        set_code_stripped(e, json_string_value(json_object_get(j, "__type")));
        set_code_stripped(e, json_string_value(json_object_get(j, "code")));
        set_code_stripped(e, json_string_value(json_object_get(j, "Code")));
        set(&e->message, json_string_value(json_object_get(j, "message")));
        set(&e->message, json_string_value(json_object_get(j, "Message")));
        set(&e->message, json_string_value(json_object_get(j, "errorMessage")));
    }
    json_decref(j);
}

void aws_error_from_response(int protocol, const aws_http_response *r, aws_error *e)
{
    e->http_status = r->status;
    if (protocol == AWS_PROTO_JSON || protocol == AWS_PROTO_REST_JSON)
        from_json(r, e);
    else
        from_xml(r, e);
    set(&e->request_id, aws_http_header(r, "x-amzn-RequestId"));
    set(&e->request_id, aws_http_header(r, "x-amz-request-id"));
    if (!e->code) {
        const char *name = status_code_name(r->status);
        e->code = name ? cp_xstrdup(name) : cp_xasprintf("HTTP%ld", r->status);
    }
    if (!e->message && r->status == 404 && protocol == AWS_PROTO_REST_XML)
        e->message = cp_xstrdup("the bucket or object does not exist");
}
