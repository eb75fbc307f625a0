/*
 * sqs_queue.c: aws_sqs_queue — an SQS queue (id = queue URL, as in
 * Terraform; import by URL). Every queue attribute (timeouts, sizes,
 * policies, encryption) changes in place through SetQueueAttributes, tags
 * through TagQueue / UntagQueue; the name and fifo_queue force a new queue.
 * Calls use SQS's query protocol (AWS serves it beside JSON 1.0; the
 * emulator's botocore model and moto speak it); attributes travel as
 * strings, Attribute.N.Name / .Value (the calls shared with
 * aws_sqs_queue_policy are in sqs_common.c). policy is optional and
 * computed, so a queue whose policy an aws_sqs_queue_policy sets plans no
 * change to it.
 *
 * Recovery key: the name, made up before the call when left out (a FIFO
 * queue's generated name gets ".fifo" appended here, as Terraform does);
 * an interrupted create is found again with GetQueueUrl.
 *
 * No batch read: GetQueueAttributes and ListQueueTags take one queue a call
 * (ListQueues gives URLs only).
 */
#include "providers/aws/sqs_common.h"
#include "providers/aws/aws_types.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool ends_fifo(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n > 5 && !strcmp(s + n - 5, ".fifo");
}

static const char *validate_name(const cp_value *v)
{
    const char *s = cp_string_val(v);
    size_t n = cp_string_len(v), body = ends_fifo(s) ? n - 5 : n;
    if (n < 1 || n > 80 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") < body)
        return "queue names are 1 to 80 letters, digits, '-' and '_' (FIFO queues end in "
               "\".fifo\")";
    return NULL;
}

static const char *validate_prefix(const cp_value *v)
{
    const char *s = cp_string_val(v);
    size_t n = cp_string_len(v);
    if (n > 49 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != n)
        return "a queue name_prefix is at most 49 letters, digits, '-' and '_' (26 characters "
               "and \".fifo\" are added)";
    return NULL;
}

/* Integer-valued attributes and their AWS ranges. */
#define RANGE_VALIDATOR(fn, lo, hi, msg)                                                           \
    static const char *fn(const cp_value *v)                                                       \
    {                                                                                              \
        double x = cp_number_val(v);                                                               \
        return x >= (lo) && x <= (hi) && x == (long)x ? NULL : (msg);                              \
    }
RANGE_VALIDATOR(validate_visibility, 0, 43200,
                "visibility_timeout_seconds is a whole number from 0 to 43200 (12 hours)")
RANGE_VALIDATOR(validate_retention, 60, 1209600,
                "message_retention_seconds is a whole number from 60 to 1209600 (14 days)")
RANGE_VALIDATOR(validate_size, 1024, 1048576,
                "max_message_size is a whole number of bytes from 1024 to 1048576 (1 MiB)")
RANGE_VALIDATOR(validate_delay, 0, 900,
                "delay_seconds is a whole number from 0 to 900 (15 minutes)")
RANGE_VALIDATOR(validate_wait, 0, 20, "receive_wait_time_seconds is a whole number from 0 to 20")

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_name,
      .description = "Name of the queue (a FIFO queue's ends in `.fifo`). Default: name_prefix (or "
                     "cpstack-) and a random suffix, made up at apply (plus `.fifo` for FIFO)." },
    { .name = "name_prefix",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .validate = validate_prefix,
      .description = "Prefix of a generated unique name; conflicts with name." },
    { .name = "fifo_queue",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "false",
      .description = "Whether the queue is FIFO (first-in first-out, exactly once)." },
    { .name = "content_based_deduplication",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "FIFO queues: deduplicate by a SHA-256 of the body." },
    { .name = "visibility_timeout_seconds",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "30",
      .validate = validate_visibility,
      .description = "Seconds a received message stays hidden from other consumers." },
    { .name = "message_retention_seconds",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "345600",
      .validate = validate_retention,
      .description = "Seconds a message is kept (default 4 days)." },
    { .name = "max_message_size",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "262144",
      .validate = validate_size,
      .description = "Largest message, in bytes." },
    { .name = "delay_seconds",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "0",
      .validate = validate_delay,
      .description = "Seconds each new message is delayed." },
    { .name = "receive_wait_time_seconds",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "0",
      .validate = validate_wait,
      .description = "Long polling: seconds a ReceiveMessage waits for a message." },
    { .name = "policy",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .validate = cp_validate_json,
      .description = "The queue's access policy (JSON). Left out, the queue keeps the policy it "
                     "has (e.g. one an aws_sqs_queue_policy sets)." },
    { .name = "redrive_policy",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = cp_validate_json,
      .description = "Dead-letter queue settings (JSON: deadLetterTargetArn, maxReceiveCount)." },
    { .name = "sqs_managed_sse_enabled",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Server-side encryption with SQS-owned keys (AWS's default for new queues)." },
    { .name = "kms_master_key_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "KMS key (id, ARN or alias) for server-side encryption with KMS." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the queue." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "URL of the queue." },
    { .name = "url",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "URL of the queue." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the queue." },
    { NULL },
};

/* The rules create and update check again: FIFO-only settings, one kind of server-side
 * encryption. (The name rules are for plan only: create gets core's generated name, which
 * has no ".fifo" yet.) */
static char *queue_settings_rule(const cp_value *config)
{
    const cp_value *fifo_v = cp_prov_field(config, "fifo_queue");
    if (fifo_v && cp_is_unknown(fifo_v)) return NULL;
    bool fifo = cp_get_bool(config, "fifo_queue", false);
    if (!fifo && cp_get_bool(config, "content_based_deduplication", false))
        return cp_xstrdup("content_based_deduplication needs fifo_queue = true");
    if (cp_get_bool(config, "sqs_managed_sse_enabled", false) &&
        cp_prov_presence(config, "kms_master_key_id") == 1)
        return cp_xstrdup("set kms_master_key_id or sqs_managed_sse_enabled = true, not both");
    return NULL;
}

/* validate_config: one way to name the queue, ".fifo" exactly on FIFO queues' names, and the
 * settings rules above. */
static char *queue_validate_config(const cp_value *config)
{
    const cp_value *fifo_v = cp_prov_field(config, "fifo_queue");
    if (cp_prov_presence(config, "name") == 1 && cp_prov_presence(config, "name_prefix") == 1)
        return cp_xstrdup("set name or name_prefix, not both");
    const char *name = cp_get_str(config, "name");
    if (name && !(fifo_v && cp_is_unknown(fifo_v))) {
        bool fifo = cp_get_bool(config, "fifo_queue", false);
        if (fifo != ends_fifo(name))
            return cp_xstrdup(fifo ? "a FIFO queue's name ends in \".fifo\" (fifo_queue is true)"
                                   : "a queue name ending in \".fifo\" needs fifo_queue = true");
    }
    return queue_settings_rule(config);
}

/* The name create sends: a generated name (core's, no ".fifo") gets ".fifo" on a FIFO
 * queue; a name given in config already ends so (validate_config). malloc'd. */
static char *queue_name(const cp_value *config)
{
    const char *name = cp_get_str(config, "name");
    if (!name) return NULL;
    if (cp_get_bool(config, "fifo_queue", false) && !ends_fifo(name))
        return cp_xasprintf("%s.fifo", name);
    return cp_xstrdup(name);
}

/* An integer attribute: its value in config, else its schema default (core fills defaults
 * in; a config built by hand may leave them out). */
static void put_num(json_t *a, const char *key, const cp_value *config, const char *attr)
{
    double def = 0;
    for (const cp_schema_attr *s = attrs; s->name; s++)
        if (!strcmp(s->name, attr) && s->default_json) def = atof(s->default_json);
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", (long)cp_get_num(config, attr, def));
    json_object_set_new(a, key, json_string(buf));
}

/* The queue attributes of config that differ from old (old NULL: all that are set, for
 * CreateQueue); a removed redrive policy or KMS key is sent as "" (SQS's way to clear it).
 * policy is computed: left out of config it keeps what the queue holds (an
 * aws_sqs_queue_policy may have set it), as in Terraform. */
static json_t *queue_attributes(const cp_value *old, const cp_value *config)
{
    static const char *const nums[][2] = {
        { "VisibilityTimeout", "visibility_timeout_seconds" },
        { "MessageRetentionPeriod", "message_retention_seconds" },
        { "MaximumMessageSize", "max_message_size" },
        { "DelaySeconds", "delay_seconds" },
        { "ReceiveMessageWaitTimeSeconds", "receive_wait_time_seconds" },
    };
    static const char *const strs[][2] = { { "Policy", "policy" },
                                           { "RedrivePolicy", "redrive_policy" },
                                           { "KmsMasterKeyId", "kms_master_key_id" } };
    json_t *a = json_object();
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
        if (!old || cp_changed(old, config, nums[i][1])) put_num(a, nums[i][0], config, nums[i][1]);
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        const char *v = cp_get_str(config, strs[i][1]);
        if (!v && !strcmp(strs[i][1], "policy")) continue;
        if (old ? cp_changed(old, config, strs[i][1]) && (v || cp_get_str(old, strs[i][1])) : !!v)
            json_object_set_new(a, strs[i][0], json_string(v ? v : ""));
    }
    bool fifo = cp_get_bool(config, "fifo_queue", false);
    if (!old && fifo) json_object_set_new(a, "FifoQueue", json_string("true"));
    if (fifo && (!old || cp_changed(old, config, "content_based_deduplication")))
        json_object_set_new(a, "ContentBasedDeduplication",
                            json_string(cp_get_bool(config, "content_based_deduplication", false)
                                            ? "true"
                                            : "false"));
    const cp_value *sse = cp_prov_get(config, "sqs_managed_sse_enabled");
    if (sse && (!old || cp_changed(old, config, "sqs_managed_sse_enabled")))
        json_object_set_new(a, "SqsManagedSseEnabled",
                            json_string(cp_bool_val(sse) ? "true" : "false"));
    return a;
}

static cp_value *read_tags(cp_provider_call *c, const char *url, const cp_value *prev)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "QueueUrl", url);
    xmlDocPtr doc;
    int rc = cp_aws_query(c, "sqs", "ListQueueTags", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return NULL;
    cp_value *t =
        cp_aws_tags_from_xml(aws_xml_find(aws_xml_root(doc), "ListQueueTagsResult"), "Tag");
    xmlFreeDoc(doc);
    return cp_tags_keep_take(t, cp_map_get(prev, "tags"));
}

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void set_attr_num(cp_value *s, const char *key, const json_t *a, const char *name,
                         double def)
{
    const char *v = jstr(a, name);
    cp_set_num(s, key, v ? atof(v) : def);
}

static bool attr_true(const json_t *a, const char *name)
{
    const char *v = jstr(a, name);
    return v && !strcmp(v, "true");
}

/* The state of the queue at state's id (its URL) from GetQueueAttributes. */
static int queue_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *url = cp_get_str(state, "id");
    if (!url || !*url) return cp_fail(c, "%s: no queue URL in state to read", c->address);
    json_t *a;
    int rc = sqs_get_attributes(c, url, "All", &a);
    if (rc != 0) return rc < 0 ? -1 : 0;
    cp_value *s = cp_state_complete(attrs, state);
    const char *slash = strrchr(url, '/');
    cp_set_str(s, "id", url);
    cp_set_str(s, "url", url);
    cp_set_str(s, "arn", jstr(a, "QueueArn"));
    cp_set_str(s, "name", slash ? slash + 1 : url);
    cp_set_bool(s, "fifo_queue", attr_true(a, "FifoQueue"));
    cp_set_bool(s, "content_based_deduplication", attr_true(a, "ContentBasedDeduplication"));
    set_attr_num(s, "visibility_timeout_seconds", a, "VisibilityTimeout", 30);
    set_attr_num(s, "message_retention_seconds", a, "MessageRetentionPeriod", 345600);
    set_attr_num(s, "max_message_size", a, "MaximumMessageSize", 262144);
    set_attr_num(s, "delay_seconds", a, "DelaySeconds", 0);
    set_attr_num(s, "receive_wait_time_seconds", a, "ReceiveMessageWaitTimeSeconds", 0);
    cp_set_take(s, "policy", cp_json_keep(cp_get_str(state, "policy"), jstr(a, "Policy")));
    cp_set_take(s, "redrive_policy",
                cp_json_keep(cp_get_str(state, "redrive_policy"), jstr(a, "RedrivePolicy")));
    cp_set_bool(s, "sqs_managed_sse_enabled", attr_true(a, "SqsManagedSseEnabled"));
    const char *kms = jstr(a, "KmsMasterKeyId");
    cp_set_str(s, "kms_master_key_id", kms && *kms ? kms : NULL);
    json_decref(a);
    cp_value *tags = read_tags(c, url, state);
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

static int refreshed(cp_provider_call *c, int rc, const cp_value *config, const char *url,
                     cp_value **state)
{
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", url);
    return cp_aws_finish_take(c, rc, queue_read, s, "the queue", state);
}

/* CreateQueue, run by cp_aws_retry_codes: a name deleted less than 60 s ago is refused with
 * QueueDeletedRecently (a replacement of a queue keeping its name), so it is tried again for
 * up to 70 s, as Terraform does. */
typedef struct create_op {
    aws_params *p;
    xmlDocPtr doc;
} create_op;

static int create_once(cp_provider_call *c, void *ud, aws_error *err)
{
    create_op *op = ud;
    return aws_query_call(cp_aws_client(c), "sqs", "CreateQueue", op->p, &op->doc, err);
}

static int queue_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, queue_settings_rule, config) != 0) return -1;
    char *name = queue_name(config);
    if (!name) return cp_fail(c, "%s: no queue name to create", c->address);
    create_op op = { aws_params_new(), NULL };
    aws_params_add(op.p, "QueueName", name);
    free(name);
    json_t *a = queue_attributes(NULL, config);
    sqs_attribute_params(op.p, a);
    json_decref(a);
    cp_aws_tags_params(op.p, "Tag", cp_get_map(config, "tags"));
    static const char *const recently[] = { "AWS.SimpleQueueService.QueueDeletedRecently",
                                            "QueueDeletedRecently", NULL };
    aws_error err = { 0 };
    int rc = cp_aws_retry_codes(c, recently, 70, create_once, &op, &err);
    aws_params_free(op.p);
    if (rc != 0) return cp_aws_fail(c, &err, "CreateQueue");
    char *url = aws_xml_text(aws_xml_root(op.doc), "CreateQueueResult/QueueUrl");
    xmlFreeDoc(op.doc);
    if (!url)
        return cp_fail(c, "%s: CreateQueue answered without a QueueUrl; run apply again",
                       c->address);
    rc = refreshed(c, 0, config, url, state);
    free(url);
    return rc;
}

static int update_tags(cp_provider_call *c, const char *url, const cp_value *old_tags,
                       const cp_value *new_tags)
{
    cp_value *removed = cp_tags_removed(old_tags, new_tags);
    int rc = 0;
    if (cp_len(removed)) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "QueueUrl", url);
        cp_aws_list_params(p, "TagKey", removed);
        rc = cp_aws_query(c, "sqs", "UntagQueue", p, NULL, NULL);
        aws_params_free(p);
    }
    cp_release(removed);
    if (rc == 0 && new_tags && cp_len(new_tags)) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "QueueUrl", url);
        cp_aws_tags_params(p, "Tag", new_tags);
        rc = cp_aws_query(c, "sqs", "TagQueue", p, NULL, NULL);
        aws_params_free(p);
    }
    return rc == 0 ? 0 : -1;
}

static int queue_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                        cp_value **state)
{
    if (cp_prov_check_config(c, queue_settings_rule, config) != 0) return -1;
    const char *url = cp_get_str(old, "id");
    json_t *a = queue_attributes(old, config);
    int rc = 0;
    if (json_object_size(a)) rc = sqs_set_attributes(c, url, a, NULL);
    json_decref(a);
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = update_tags(c, url, cp_get_map(old, "tags"), cp_get_map(config, "tags"));
    return refreshed(c, rc == 0 ? 0 : -1, config, url, state);
}

static int queue_delete(cp_provider_call *c, const cp_value *state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "QueueUrl", cp_get_str(state, "id"));
    int rc = cp_aws_query(c, "sqs", "DeleteQueue", p, sqs_gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}
static int queue_import(cp_provider_call *c, const char *id, cp_value **state)
{
    if (!sqs_is_url(id))
        return cp_fail(c,
                       "%s: import an SQS queue by its URL (https://sqs.<region>.amazonaws.com/"
                       "<account>/<name>), not \"%s\"",
                       c->address, id);
    return cp_aws_import_via_read(c, queue_read, id, state);
}

/* An interrupted create is found by its name (with ".fifo" as create adds it): GetQueueUrl. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    *state = NULL;
    char *name = queue_name(intent);
    if (!name) return cp_fail(c, "%s: the interrupted create recorded no queue name", c->address);
    aws_params *p = aws_params_new();
    aws_params_add(p, "QueueName", name);
    free(name);
    xmlDocPtr doc;
    int rc = cp_aws_query(c, "sqs", "GetQueueUrl", p, sqs_gone, &doc);
    aws_params_free(p);
    if (rc != 0) return rc < 0 ? -1 : 0;
    char *url = aws_xml_text(aws_xml_root(doc), "GetQueueUrlResult/QueueUrl");
    xmlFreeDoc(doc);
    rc = url ? cp_aws_find_with_id(c, queue_read, intent, url, state) : 0;
    free(url);
    return rc;
}

const cp_resource_type cp_aws_sqs_queue = {
    .name = "aws_sqs_queue",
    .description =
        "An SQS queue, standard or FIFO (id = queue URL; import by URL)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "name_prefix (or cpstack-) and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = queue_create,
    .read = queue_read,
    .update = queue_update,
    .delete = queue_delete,
    .import = queue_import,
    .validate_config = queue_validate_config,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .recovery_prefix = "name_prefix",
    .find = rec_find,
};
