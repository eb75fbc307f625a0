/*
 * events_rule.c: aws_cloudwatch_event_rule — an EventBridge rule (id = its
 * name on the default bus, BUS/NAME on another bus, as Terraform composes
 * it; import by that id). Schedule, pattern, description, state and role
 * change in place (PutRule again); tags through TagResource / UntagResource
 * on the rule's ARN; a new name or bus replaces the rule. Delete refuses
 * while targets remain (AWS does); core deletes the targets first as they
 * depend on the rule.
 *
 * Recovery key: the name (made up before the call when left out).
 *
 * No batch read: ListRules lists a bus's rules, but ListTagsForResource
 * takes one rule a call (and DescribeRule is per rule too).
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/events_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_name(const cp_value *v)
{
    return events_validate_name(v) ? "a rule name is 1 to 64 letters, digits and . _ -" : NULL;
}

static const char *validate_prefix(const cp_value *v)
{
    size_t n = cp_string_len(v);
    if (n > 38 || strspn(cp_string_val(v), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789._-") != n)
        return "a rule name_prefix is at most 38 letters, digits and . _ - (26 characters are "
               "added)";
    return NULL;
}

static const char *validate_state(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "ENABLED") || !strcmp(s, "DISABLED") ||
                   !strcmp(s, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")
               ? NULL
               : "state is ENABLED, DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
}

static const char *validate_schedule(const cp_value *v)
{
    const char *s = cp_string_val(v);
    size_t n = strlen(s);
    if ((!strncmp(s, "rate(", 5) || !strncmp(s, "cron(", 5)) && n > 6 && s[n - 1] == ')')
        return NULL;
    return "schedule_expression is rate(N unit) or cron(...), e.g. rate(5 minutes)";
}

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_name,
      .description = "Name of the rule. Default: name_prefix (or cpstack-) and a random suffix, "
                     "made up at apply." },
    { .name = "name_prefix",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .validate = validate_prefix,
      .description = "Prefix of a generated unique name; conflicts with name." },
    { .name = "schedule_expression",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = validate_schedule,
      .description = "When the rule runs: rate(...) or cron(...); one of this and event_pattern "
                     "is required." },
    { .name = "event_pattern",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_JSON,
      .validate = cp_validate_json,
      .description = "The events the rule matches (JSON, compared as JSON)." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Description of the rule." },
    { .name = "state",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"ENABLED\"",
      .validate = validate_state,
      .description = "ENABLED, DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS." },
    { .name = "event_bus_name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"default\"",
      .description = "Name or ARN of the event bus." },
    { .name = "role_arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "IAM role EventBridge uses for the targets." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the rule." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The rule name (BUS/NAME on a bus other than default)." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the rule." },
    { NULL },
};

static const char *const gone[] = { "ResourceNotFoundException", NULL };

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static char *rule_validate_config(const cp_value *config)
{
    if (cp_prov_presence(config, "name") == 1 && cp_prov_presence(config, "name_prefix") == 1)
        return cp_xstrdup("set name or name_prefix, not both");
    if (cp_prov_presence(config, "schedule_expression") == 0 &&
        cp_prov_presence(config, "event_pattern") == 0)
        return cp_xstrdup("set schedule_expression or event_pattern (or both)");
    const char *bus = cp_get_str(config, "event_bus_name");
    if (cp_prov_presence(config, "schedule_expression") == 1 && !events_default_bus(bus))
        return cp_xstrdup("schedule_expression works on the default event bus only");
    return NULL;
}

/* Split id BUS/NAME (or NAME) into *bus (malloc'd, NULL for default) and the name. */
static const char *split_id(const char *id, char **bus)
{
    const char *slash = id ? strrchr(id, '/') : NULL;
    *bus = slash ? cp_xstrndup(id, (size_t)(slash - id)) : NULL;
    return slash ? slash + 1 : id;
}

static cp_value *read_tags(cp_provider_call *c, const char *arn, const cp_value *prev)
{
    json_t *in = json_pack("{s:s}", "ResourceARN", arn), *res = NULL;
    int rc = cp_aws_json(c, "events", EVENTS("ListTagsForResource"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return NULL;
    cp_value *m = cp_map_new();
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(res, "Tags"), i, t) if (jstr(t, "Key"))
        cp_set_str(m, jstr(t, "Key"), jstr(t, "Value") ? jstr(t, "Value") : "");
    json_decref(res);
    return cp_tags_keep_take(m, cp_map_get(prev, "tags"));
}

static int rule_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *id = cp_get_str(state, "id");
    char *bus;
    const char *name = split_id(id, &bus);
    if (!name || !*name) {
        free(bus);
        return cp_fail(c, "%s: no rule name to look up", c->address);
    }
    json_t *in = json_pack("{s:s}", "Name", name), *res = NULL;
    events_set_bus(in, bus);
    int rc = cp_aws_json(c, "events", EVENTS("DescribeRule"), in, gone, &res);
    json_decref(in);
    if (rc != 0) {
        free(bus);
        return rc < 0 ? -1 : 0;
    }
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "id", id);
    cp_set_str(s, "name", jstr(res, "Name"));
    cp_set_str(s, "arn", jstr(res, "Arn"));
    cp_set_str(s, "schedule_expression", jstr(res, "ScheduleExpression"));
    cp_set_str(s, "event_pattern", jstr(res, "EventPattern"));
    cp_set_str(s, "description", jstr(res, "Description"));
    cp_set_str(s, "state", jstr(res, "State"));
    cp_set_str(s, "role_arn", jstr(res, "RoleArn"));
    const char *prev_bus = cp_get_str(state, "event_bus_name");
    cp_set_str(s, "event_bus_name",
               prev_bus && !events_default_bus(bus) ? prev_bus
               : jstr(res, "EventBusName")          ? jstr(res, "EventBusName")
                                                    : "default");
    free(bus);
    cp_value *tags = jstr(res, "Arn") ? read_tags(c, jstr(res, "Arn"), state) : cp_null();
    json_decref(res);
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

static char *compose_id(const cp_value *config)
{
    const char *bus = cp_get_str(config, "event_bus_name"), *name = cp_get_str(config, "name");
    return events_default_bus(bus) ? cp_xstrdup(name) : cp_xasprintf("%s/%s", bus, name);
}

static int put_rule(cp_provider_call *c, const cp_value *config, bool create)
{
    json_t *in = json_pack("{s:s, s:s}", "Name", cp_get_str(config, "name"), "State",
                           cp_get_str_or(config, "state", "ENABLED"));
    events_set_bus(in, cp_get_str(config, "event_bus_name"));
    static const char *const opt[][2] = { { "schedule_expression", "ScheduleExpression" },
                                          { "event_pattern", "EventPattern" },
                                          { "description", "Description" },
                                          { "role_arn", "RoleArn" } };
    for (size_t i = 0; i < sizeof opt / sizeof *opt; i++)
        if (cp_get_str(config, opt[i][0]))
            json_object_set_new(in, opt[i][1], json_string(cp_get_str(config, opt[i][0])));
    const cp_value *tags = cp_get_map(config, "tags");
    if (create && tags && cp_len(tags))
        json_object_set_new(in, "Tags", cp_aws_tags_to_json(tags, "Key", "Value"));
    int rc = cp_aws_json(c, "events", EVENTS("PutRule"), in, NULL, NULL);
    json_decref(in);
    return rc == 0 ? 0 : -1;
}

static int refreshed(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    cp_value *s = cp_state_start(attrs, config);
    char *id = compose_id(config);
    cp_set_str(s, "id", id);
    free(id);
    return cp_aws_finish_take(c, 0, rule_read, s, "the event rule", state);
}

static int rule_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, rule_validate_config, config) != 0) return -1;
    if (put_rule(c, config, true) != 0) return -1;
    return refreshed(c, config, state);
}

/* Tags: remove the keys no longer set, then set the new values. */
static int update_tags(cp_provider_call *c, const char *arn, const cp_value *old,
                       const cp_value *new)
{
    json_t *keys = json_array();
    for (size_t i = 0; old && i < cp_len(old); i++)
        if (!new || !cp_map_get(new, cp_map_key_at(old, i)))
            json_array_append_new(keys, json_string(cp_map_key_at(old, i)));
    int rc = 0;
    if (json_array_size(keys)) {
        json_t *in = json_pack("{s:s, s:O}", "ResourceARN", arn, "TagKeys", keys);
        rc = cp_aws_json(c, "events", EVENTS("UntagResource"), in, NULL, NULL);
        json_decref(in);
    }
    json_decref(keys);
    if (rc == 0 && new &&cp_len(new)) {
        json_t *in = json_pack("{s:s, s:o}", "ResourceARN", arn, "Tags",
                               cp_aws_tags_to_json(new, "Key", "Value"));
        rc = cp_aws_json(c, "events", EVENTS("TagResource"), in, NULL, NULL);
        json_decref(in);
    }
    return rc == 0 ? 0 : -1;
}

static int rule_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                       cp_value **state)
{
    if (cp_prov_check_config(c, rule_validate_config, config) != 0) return -1;
    if (put_rule(c, config, false) != 0) return -1;
    if (cp_changed(old, config, "tags") &&
        update_tags(c, cp_get_str(old, "arn"), cp_get_map(old, "tags"),
                    cp_get_map(config, "tags")) != 0)
        return -1;
    return refreshed(c, config, state);
}

static int rule_delete(cp_provider_call *c, const cp_value *state)
{
    char *bus;
    const char *name = split_id(cp_get_str(state, "id"), &bus);
    json_t *in = json_pack("{s:s}", "Name", name);
    events_set_bus(in, bus);
    free(bus);
    int rc = cp_aws_json(c, "events", EVENTS("DeleteRule"), in, gone, NULL);
    json_decref(in);
    return rc < 0 ? -1 : 0;
}

static int rule_import(cp_provider_call *c, const char *id, cp_value **state)
{
    char *bus;
    split_id(id, &bus);
    cp_value *s = cp_map_new();
    cp_set_str(s, "id", id);
    cp_set_str(s, "event_bus_name", bus ? bus : "default");
    free(bus);
    int rc = rule_read(c, s, state);
    cp_release(s);
    if (rc == 0 && !*state) return cp_fail(c, "%s: no event rule %s", c->address, id);
    return rc;
}

static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    cp_value *s = cp_map_new();
    char *id = compose_id(intent);
    cp_set_str(s, "id", id);
    cp_set_str(s, "event_bus_name", cp_get_str(intent, "event_bus_name"));
    free(id);
    int rc = rule_read(c, s, state);
    cp_release(s);
    return rc;
}

const cp_resource_type cp_aws_cloudwatch_event_rule = {
    .name = "aws_cloudwatch_event_rule",
    .description = "An EventBridge rule: a schedule or an event pattern that triggers targets "
                   "(import by name, or BUS/NAME). Deliberate differences from the Terraform "
                   "AWS provider: a name left out is made up as name_prefix (or cpstack-) and "
                   "a random suffix; is_enabled (deprecated there) is not offered, use state.",
    .attrs = attrs,
    .create = rule_create,
    .read = rule_read,
    .update = rule_update,
    .delete = rule_delete,
    .import = rule_import,
    .validate_config = rule_validate_config,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .recovery_prefix = "name_prefix",
    .find = rec_find,
};
