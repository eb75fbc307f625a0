/*
 * sns_topic_subscription.c: aws_sns_topic_subscription — a subscription of
 * an endpoint (e-mail address, SQS queue, Lambda function, HTTPS URL …) to
 * a topic (id = subscription ARN; import by it). Subscribe asks for the
 * real ARN (ReturnSubscriptionArn), so an e-mail subscription that waits
 * for its confirmation link is tracked like any other: read reports it
 * with pending_confirmation = true instead of treating it as gone. Only
 * raw_message_delivery changes in place.
 *
 * No batch read: GetSubscriptionAttributes is per subscription (a listing has
 * none of the attributes kept).
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/sns_common.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_protocol(const cp_value *v)
{
    static const char *const ok[] = { "email",  "email-json", "http",        "https",    "sqs",
                                      "lambda", "sms",        "application", "firehose", NULL };
    for (const char *const *p = ok; *p; p++)
        if (!strcmp(cp_string_val(v), *p)) return NULL;
    return "protocol is email, email-json, http, https, sqs, lambda, sms, application or firehose";
}

static const char *validate_topic(const cp_value *v)
{
    return strncmp(cp_string_val(v), "arn:", 4) == 0 && strstr(cp_string_val(v), ":sns:")
               ? NULL
               : "topic_arn is an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), e.g. aws_sns_topic.x.arn";
}

static const cp_schema_attr attrs[] = {
    { .name = "topic_arn",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_topic,
      .description = "ARN of the topic." },
    { .name = "protocol",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_protocol,
      .description = "Protocol of the endpoint, e.g. email, sqs, lambda or https." },
    { .name = "endpoint",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Where messages go: an address, a queue or function ARN, a URL." },
    { .name = "raw_message_delivery",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description =
          "Whether to deliver the message body without SNS's JSON envelope. Default false." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the subscription." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the subscription." },
    { .name = "owner_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Account id of the owner." },
    { .name = "pending_confirmation",
      .type = CP_AT_BOOL,
      .flags = CP_COMPUTED,
      .description = "True until the endpoint confirms (e-mail: the link in the message)." },
    { NULL },
};

static int sub_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    const char *arn = cp_get_str(state, "id");
    cp_value *a;
    *out = NULL;
    int rc = sns_get_attributes(c, "GetSubscriptionAttributes", "SubscriptionArn", arn, &a);
    if (rc != 0) return rc < 0 ? -1 : 0;
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "id", arn);
    cp_set_str(s, "arn", arn);
    cp_set_str(s, "topic_arn", cp_get_str(a, "TopicArn"));
    cp_set_str(s, "protocol", cp_get_str(a, "Protocol"));
    cp_set_str(s, "endpoint", cp_get_str(a, "Endpoint"));
    cp_set_str(s, "owner_id", cp_get_str(a, "Owner"));
    const char *raw = cp_get_str(a, "RawMessageDelivery"),
               *pending = cp_get_str(a, "PendingConfirmation");
    cp_set_bool(s, "raw_message_delivery", raw && !strcmp(raw, "true"));
    cp_set_bool(s, "pending_confirmation", pending && !strcmp(pending, "true"));
    cp_release(a);
    *out = s;
    return 0;
}

static int refreshed(cp_provider_call *c, const cp_value *config, const char *arn, cp_value **state)
{
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", arn);
    return cp_aws_finish_take(c, 0, sub_read, s, "the subscription", state);
}

static int sub_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "TopicArn", cp_get_str(config, "topic_arn"));
    aws_params_add(p, "Protocol", cp_get_str(config, "protocol"));
    aws_params_add(p, "Endpoint", cp_get_str(config, "endpoint"));
    aws_params_add(p, "ReturnSubscriptionArn", "true");
    if (cp_get_bool(config, "raw_message_delivery", false)) {
        aws_params_add(p, "Attributes.entry.1.key", "RawMessageDelivery");
        aws_params_add(p, "Attributes.entry.1.value", "true");
    }
    xmlDocPtr doc;
    int rc = cp_aws_query(c, "sns", "Subscribe", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    char *arn = aws_xml_text(aws_xml_root(doc), "SubscribeResult/SubscriptionArn");
    xmlFreeDoc(doc);
    if (!arn || strncmp(arn, "arn:", 4) != 0) {
        free(arn);
        return cp_fail(c, "%s: Subscribe did not return the subscription's ARN; run apply again",
                       c->address);
    }
    rc = refreshed(c, config, arn, state);
    free(arn);
    return rc;
}

static int sub_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    const char *arn = cp_get_str(old, "id");
    if (cp_changed(old, config, "raw_message_delivery") &&
        sns_set_attribute(
            c, "SetSubscriptionAttributes", "SubscriptionArn", arn, "RawMessageDelivery",
            cp_get_bool(config, "raw_message_delivery", false) ? "true" : "false") != 0)
        return -1;
    return refreshed(c, config, arn, state);
}

static int sub_delete(cp_provider_call *c, const cp_value *state)
{
    /* AWS may refuse to remove a subscription still waiting for its
     * confirmation; it expires by itself after three days. */
    static const char *const pending_gone[] = { "NotFound", "InvalidParameter", NULL };
    aws_params *p = aws_params_new();
    aws_params_add(p, "SubscriptionArn", cp_get_str(state, "id"));
    int rc = cp_aws_query(
        c, "sns", "Unsubscribe", p,
        cp_get_bool(state, "pending_confirmation", false) ? pending_gone : sns_gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

static int sub_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, sub_read, id, state);
}

/* An interrupted create is found by its topic, protocol and endpoint
 * (Subscribe of the same three is one subscription). One still pending
 * confirmation has no ARN yet: subscribing again is harmless. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    *state = NULL;
    const char *const fields[] = { "Protocol", cp_get_str(intent, "protocol"), "Endpoint",
                                   cp_get_str(intent, "endpoint"), NULL };
    char *arn;
    int rc = sns_find_arn(
        c, "ListSubscriptionsByTopic", "TopicArn", cp_get_str(intent, "topic_arn"),
        "ListSubscriptionsByTopicResult/Subscriptions/member", "SubscriptionArn", fields, &arn);
    if (rc == 0 && arn && !strncmp(arn, "arn:", 4))
        rc = cp_aws_find_with_id(c, sub_read, intent, arn, state);
    free(arn);
    return rc;
}

const cp_resource_type cp_aws_sns_topic_subscription = {
    .name = "aws_sns_topic_subscription",
    .description = "A subscription of an endpoint (e-mail, SQS, Lambda, HTTPS …) to an SNS topic "
                   "(import by subscription ARN).",
    .attrs = attrs,
    .create = sub_create,
    .read = sub_read,
    .update = sub_update,
    .delete = sub_delete,
    .import = sub_import,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
