/*
 * sns_topic.c: aws_sns_topic — an SNS topic (id = topic ARN; import by
 * ARN). display_name changes in place (SetTopicAttributes), tags through
 * TagResource / UntagResource; the name forces a new topic.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/sns_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_name(const cp_value *v)
{
    const char *s = cp_string_val(v);
    size_t n = cp_string_len(v), body = n > 5 && !strcmp(s + n - 5, ".fifo") ? n - 5 : n;
    if (n < 1 || n > 256 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") < body)
        return "topic names are 1 to 256 letters, digits, '-' and '_' (FIFO topics end in \".fifo\")";
    return NULL;
}

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_name,
      .description =
          "Name of the topic. Default: cpstack- and a random suffix, made up at apply." },
    { .name = "display_name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Sender name shown in SMS and e-mail notifications." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the topic." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the topic." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the topic." },
    { .name = "owner",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Account id of the owner." },
    { NULL },
};

static cp_value *read_tags(cp_provider_call *c, const char *arn, const cp_value *prev)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "ResourceArn", arn);
    xmlDocPtr doc;
    int rc = cp_aws_query(c, "sns", "ListTagsForResource", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return NULL;
    cp_value *t = cp_aws_tags_from_xml(
        aws_xml_find(aws_xml_root(doc), "ListTagsForResourceResult/Tags"), "member");
    xmlFreeDoc(doc);
    return cp_tags_keep_take(t, cp_map_get(prev, "tags"));
}

/* The topic's state without its tags: 0 with *out (NULL when gone), or -1. */
static int topic_attrs(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    const char *arn = cp_get_str(state, "id");
    cp_value *a;
    *out = NULL;
    if (!arn) return cp_fail(c, "%s: no topic ARN in state to read", c->address);
    int rc = sns_get_attributes(c, "GetTopicAttributes", "TopicArn", arn, &a);
    if (rc != 0) return rc < 0 ? -1 : 0;
    cp_value *s = cp_state_complete(attrs, state);
    const char *colon = strrchr(arn, ':');
    cp_set_str(s, "id", arn);
    cp_set_str(s, "arn", arn);
    cp_set_str(s, "name", colon ? colon + 1 : arn);
    const char *dn = cp_get_str(a, "DisplayName");
    cp_set_str(s, "display_name", dn && (*dn || cp_get_str(state, "display_name")) ? dn : NULL);
    cp_set_str(s, "owner", cp_get_str(a, "Owner"));
    cp_release(a);
    *out = s;
    return 0;
}

static int topic_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    int rc = topic_attrs(c, state, out);
    if (rc != 0 || !*out) return rc;
    cp_value *tags = read_tags(c, cp_get_str(*out, "arn"), state);
    if (!tags) {
        cp_release(*out);
        *out = NULL;
        return -1;
    }
    cp_set_take(*out, "tags", tags);
    return 0;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * SNS describes one topic at a time: ListTopics gives ARNs only, so it would not spare a
 * GetTopicAttributes per topic (which also tells whether the topic exists). What batches
 * is the tags: one Tagging API call for all, ListTagsForResource only where it disagrees
 * with the state (batch.h). So n topics cost n + 1 calls instead of 2n. */
static int topic_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                            cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t i = 0; i < n; i++)
        if (topic_attrs(c, states[i], &out[i]) != 0) return cp_aws_batch_fail(out, n);
    return cp_aws_batch_tags(c, states, n, out, read_tags);
}

static int refreshed(cp_provider_call *c, const cp_value *config, const char *arn, cp_value **state)
{
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", arn);
    return cp_aws_finish_take(c, 0, topic_read, s, "the topic", state);
}

static int topic_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "Name", cp_get_str(config, "name"));
    if (cp_get_str(config, "display_name")) {
        aws_params_add(p, "Attributes.entry.1.key", "DisplayName");
        aws_params_add(p, "Attributes.entry.1.value", cp_get_str(config, "display_name"));
    }
    cp_aws_tags_params(p, "Tags.member", cp_get_map(config, "tags"));
    xmlDocPtr doc;
    int rc = cp_aws_query(c, "sns", "CreateTopic", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    char *arn = aws_xml_text(aws_xml_root(doc), "CreateTopicResult/TopicArn");
    xmlFreeDoc(doc);
    if (!arn)
        return cp_fail(c, "%s: CreateTopic answered without a TopicArn; run apply again",
                       c->address);
    rc = refreshed(c, config, arn, state);
    free(arn);
    return rc;
}

static const cp_aws_query_tagging tagging = { "sns", "UntagResource", "TagResource", "ResourceArn",
                                              "Tags.member" };

static int topic_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                        cp_value **state)
{
    const char *arn = cp_get_str(old, "id");
    if (cp_changed(old, config, "display_name") &&
        sns_set_attribute(c, "SetTopicAttributes", "TopicArn", arn, "DisplayName",
                          cp_get_str(config, "display_name")) != 0)
        return -1;
    if (cp_changed(old, config, "tags") &&
        cp_aws_query_tags_update(c, &tagging, arn, cp_get_map(old, "tags"),
                                 cp_get_map(config, "tags")) != 0)
        return -1;
    return refreshed(c, config, arn, state);
}

static int topic_delete(cp_provider_call *c, const cp_value *state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "TopicArn", cp_get_str(state, "id"));
    int rc = cp_aws_query(c, "sns", "DeleteTopic", p, sns_gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

static int topic_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, topic_read, id, state);
}

/* An interrupted create is found by its name: the topic whose ARN ends in
 * ":<name>" (CreateTopic itself is idempotent for one name). */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    *state = NULL;
    const char *name = cp_get_str(intent, "name");
    char *tail = name ? cp_xasprintf(":%s", name) : NULL, *arn;
    const char *const fields[] = { "TopicArn", tail, NULL };
    int rc = sns_find_arn(c, "ListTopics", NULL, NULL, "ListTopicsResult/Topics/member", "TopicArn",
                          fields, &arn);
    free(tail);
    if (rc == 0 && arn) rc = cp_aws_find_with_id(c, topic_read, intent, arn, state);
    free(arn);
    return rc;
}

const cp_resource_type cp_aws_sns_topic = {
    .name = "aws_sns_topic",
    .description =
        "An SNS topic (import by topic ARN)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = topic_create,
    .read = topic_read,
    .read_batch = topic_read_batch,
    .update = topic_update,
    .delete = topic_delete,
    .import = topic_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
