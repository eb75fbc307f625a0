/*
 * sqs_queue_policy.c: aws_sqs_queue_policy — the access policy of an SQS
 * queue (id = the queue URL, as in Terraform; import by URL), kept apart
 * from aws_sqs_queue so that the policy can name the queue's ARN. Create
 * and update set the queue's Policy attribute (SetQueueAttributes), read
 * asks GetQueueAttributes for Policy alone, delete sets it to "" (SQS's way
 * to remove it). The policy changes in place; a new queue_url forces a new
 * object. A queue that is gone, or holds no policy, is a policy that is
 * gone. The policy is compared as JSON (the text as written is kept while
 * it means what the queue holds).
 *
 * No batch read: SQS answers one queue's attributes a call.
 *
 * Recovery key: the id follows from config (queue_url); setting the
 * policy twice is one object.
 */
#include "providers/aws/sqs_common.h"

#include <string.h>

static const cp_schema_attr attrs[] = {
    { .name = "queue_url",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = sqs_validate_url,
      .description = "URL of the queue the policy is for (e.g. aws_sqs_queue.<name>.id)." },
    { .name = "policy",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_JSON,
      .validate = cp_validate_json,
      .description = "The queue's access policy (JSON, e.g. from an aws_iam_policy_document's "
                     "json): who may send, receive or manage messages. Changes in place." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "URL of the queue." },
    { NULL },
};

/* The policy of the queue at state's id (its URL); none (*out NULL) when the queue is gone or
 * holds no policy. */
static int queue_policy_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *url = cp_get_str(state, "id");
    if (!url || !*url) return cp_fail(c, "%s: no queue URL in state to read", c->address);
    json_t *a;
    int rc = sqs_get_attributes(c, url, "Policy", &a);
    if (rc != 0) return rc < 0 ? -1 : 0;
    const char *policy = json_string_value(json_object_get(a, "Policy"));
    if (policy && *policy) {
        cp_value *s = cp_state_complete(attrs, state);
        cp_set_str(s, "id", url);
        cp_set_str(s, "queue_url", url);
        cp_set_take(s, "policy", cp_json_keep(cp_get_str(state, "policy"), policy));
        *out = s;
    }
    json_decref(a);
    return 0;
}

/* Create and update: the queue's Policy attribute, then the state from config (SQS may show
 * a new policy a moment later, so it is not read back). */
static int queue_policy_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *url = cp_get_str(config, "queue_url"), *policy = cp_get_str(config, "policy");
    if (!url || !policy) return cp_fail(c, "%s: queue_url and policy are required", c->address);
    json_t *a = json_pack("{s:s}", "Policy", policy);
    int rc = sqs_set_attributes(c, url, a, sqs_gone);
    json_decref(a);
    if (rc < 0) return -1;
    if (rc == 1)
        return cp_fail(c, "%s: no SQS queue at %s; create the queue first", c->address, url);
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", url);
    *state = s;
    return 0;
}

static int queue_policy_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                               cp_value **state)
{
    (void)old;
    return queue_policy_put(c, config, state);
}

/* Policy = "": the queue keeps no policy; a queue that is gone already is fine. */
static int queue_policy_delete(cp_provider_call *c, const cp_value *state)
{
    json_t *a = json_pack("{s:s}", "Policy", "");
    int rc = sqs_set_attributes(c, cp_get_str(state, "id"), a, sqs_gone);
    json_decref(a);
    return rc < 0 ? -1 : 0;
}

static int queue_policy_import(cp_provider_call *c, const char *id, cp_value **state)
{
    if (!sqs_is_url(id))
        return cp_fail(c,
                       "%s: import an SQS queue policy by its queue's URL (https://sqs.<region>."
                       "amazonaws.com/<account>/<name>), not \"%s\"",
                       c->address, id);
    return cp_aws_import_via_read(c, queue_policy_read, id, state);
}

/* An interrupted create is found by its queue URL, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, queue_policy_read, intent, "queue_url", state);
}

const cp_resource_type cp_aws_sqs_queue_policy = {
    .name = "aws_sqs_queue_policy",
    .description = "The access policy of an SQS queue (id = queue URL; import by URL). Leave "
                   "the queue's own policy unset when this type sets it.",
    .attrs = attrs,
    .create = queue_policy_put,
    .read = queue_policy_read,
    .update = queue_policy_update,
    .delete = queue_policy_delete,
    .import = queue_policy_import,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
