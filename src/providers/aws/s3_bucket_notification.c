/*
 * s3_bucket_notification.c: aws_s3_bucket_notification — the events of a
 * bucket that invoke Lambda functions (id = bucket name; import by it).
 * S3 keeps one notification document per bucket: create and update send
 * the whole of it, delete sends an empty one.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/s3_common.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const cp_schema_attr lambda_attrs[] = {
    { .name = "id", .type = CP_AT_STRING, .flags = CP_OPTIONAL | CP_COMPUTED },
    { .name = "lambda_function_arn", .type = CP_AT_STRING, .flags = CP_REQUIRED },
    { .name = "events", .type = CP_AT_LIST, .elem = CP_AT_STRING, .flags = CP_REQUIRED | CP_UNORDERED,
      .description = "e.g. [\"s3:ObjectCreated:*\"]" },
    { .name = "filter_prefix", .type = CP_AT_STRING, .flags = CP_OPTIONAL },
    { .name = "filter_suffix", .type = CP_AT_STRING, .flags = CP_OPTIONAL },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "bucket", .type = CP_AT_STRING, .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = s3_validate_bucket },
    { .name = "lambda_function", .type = CP_AT_BLOCKS, .flags = CP_OPTIONAL | CP_UNORDERED,
      .block = lambda_attrs },
    { NULL },
};

static void add_rule(cp_buf *b, const char *name, const char *value)
{
    if (!value || !*value) return;
    cp_buf_printf(b, "<FilterRule><Name>%s</Name><Value>", name);
    s3_xml_esc(b, value);
    cp_buf_adds(b, "</Value></FilterRule>");
}

static void add_lambda(cp_buf *b, const cp_value *l)
{
    cp_buf_adds(b, "<CloudFunctionConfiguration>");
    if (cp_get_str(l, "id")) {
        cp_buf_adds(b, "<Id>");
        s3_xml_esc(b, cp_get_str(l, "id"));
        cp_buf_adds(b, "</Id>");
    }
    cp_buf_adds(b, "<CloudFunction>");
    s3_xml_esc(b, cp_get_str(l, "lambda_function_arn"));
    cp_buf_adds(b, "</CloudFunction>");
    const cp_value *ev = cp_get_list(l, "events");
    for (size_t i = 0; ev && i < cp_len(ev); i++) {
        cp_buf_adds(b, "<Event>");
        s3_xml_esc(b, cp_string_val(cp_list_get(ev, i)));
        cp_buf_adds(b, "</Event>");
    }
    if (cp_get_str(l, "filter_prefix") || cp_get_str(l, "filter_suffix")) {
        cp_buf_adds(b, "<Filter><S3Key>");
        add_rule(b, "prefix", cp_get_str(l, "filter_prefix"));
        add_rule(b, "suffix", cp_get_str(l, "filter_suffix"));
        cp_buf_adds(b, "</S3Key></Filter>");
    }
    cp_buf_adds(b, "</CloudFunctionConfiguration>");
}

static int put_config(cp_provider_call *c, const char *bucket, const cp_value *lambdas)
{
    cp_buf b = { 0 };
    cp_buf_adds(&b, "<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for (size_t i = 0; lambdas && i < cp_len(lambdas); i++) add_lambda(&b, cp_list_get(lambdas, i));
    cp_buf_adds(&b, "</NotificationConfiguration>");
    s3_req r = { "PutBucketNotificationConfiguration", "PUT", bucket, NULL, "notification",
                 b.data, b.len, "application/xml", NULL };
    int rc = s3_call(c, &r, NULL, NULL);
    cp_buf_free(&b);
    return rc;
}

static cp_value *read_lambda(xmlNodePtr n)
{
    cp_value *m = cp_map_new(), *events = cp_list_new();
    cp_set_xml(m, "id", n, "Id");
    cp_set_xml(m, "lambda_function_arn", n, "CloudFunction");
    for (xmlNodePtr e = aws_xml_find(n, "Event"); e; e = aws_xml_next(e)) {
        xmlChar *t = xmlNodeGetContent(e);
        cp_list_push_take(events, cp_string((const char *)t));
        xmlFree(t);
    }
    cp_set_take(m, "events", events);
    cp_set_str(m, "filter_prefix", NULL);
    cp_set_str(m, "filter_suffix", NULL);
    for (xmlNodePtr r = aws_xml_find(n, "Filter/S3Key/FilterRule"); r; r = aws_xml_next(r)) {
        char *name = aws_xml_text(r, "Name"), *value = aws_xml_text(r, "Value");
        if (name && value) cp_set_str(m, strcasecmp(name, "prefix") == 0 ? "filter_prefix" : "filter_suffix", value);
        free(name);
        free(value);
    }
    return m;
}

static int notification_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *bucket = cp_get_str(state, "id");
    s3_req r = { "GetBucketNotificationConfiguration", "GET", bucket, NULL, "notification", NULL, 0, NULL, NULL };
    aws_response resp;
    int rc = s3_call(c, &r, s3_gone, &resp);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlDocPtr doc = s3_xml(&resp);
    cp_value *lambdas = cp_list_new();
    xmlNodePtr n = doc ? aws_xml_find(aws_xml_root(doc), "CloudFunctionConfiguration") : NULL;
    for (; n; n = aws_xml_next(n)) cp_list_push_take(lambdas, read_lambda(n));
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "bucket", bucket);
    cp_set_take(s, "lambda_function", lambdas);
    xmlFreeDoc(doc);
    aws_response_free(&resp);
    *out = s;
    return 0;
}

static int notification_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *bucket = cp_get_str(config, "bucket");
    if (put_config(c, bucket, cp_get_list(config, "lambda_function")) != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", bucket);
    int rc = notification_read(c, s, state);      /* S3 assigns the ids */
    cp_release(s);
    return rc == 0 && !*state ? cp_fail(c, "%s: bucket %s vanished", c->address, bucket) : rc;
}

static int notification_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                               cp_value **state)
{
    return notification_put(c, config, state);
}

static int notification_delete(cp_provider_call *c, const cp_value *state)
{
    s3_req r = { "PutBucketNotificationConfiguration", "PUT", cp_get_str(state, "id"), NULL, "notification",
                 "<NotificationConfiguration/>", 28, "application/xml", NULL };
    return s3_call(c, &r, s3_gone, NULL) < 0 ? -1 : 0;
}

static int notification_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, notification_read, id, state);
}

const cp_resource_type cp_aws_s3_bucket_notification = {
    .name = "aws_s3_bucket_notification",
    .description = "Lambda notifications of an S3 bucket (import by bucket name).",
    .attrs = attrs,
    .create = notification_put,
    .read = notification_read,
    .update = notification_update,
    .delete = notification_delete,
    .import = notification_import,
};
