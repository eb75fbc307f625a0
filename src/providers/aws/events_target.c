/*
 * events_target.c: aws_cloudwatch_event_target — one target of an
 * EventBridge rule (id RULE-TARGETID on the default bus,
 * BUS/RULE/TARGETID on another, as Terraform composes it; import by
 * RULE/TARGETID or BUS/RULE/TARGETID). arn, input, input_path,
 * input_transformer and role_arn change in place (PutTargets again); a new rule, target_id or bus
 * replaces it. PutTargets and RemoveTargets answer 200 with FailedEntries: each is reported as an
 * error. Refresh reads the targets of one rule together (read_batch: one
 * ListTargetsByRule of each rule).
 *
 * Recovery key: target_id (made up before the call when left out).
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/events_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_id(const cp_value *v)
{
    return events_validate_name(v) ? "a target_id is 1 to 64 letters, digits and . _ -" : NULL;
}

static const char *validate_rule(const cp_value *v)
{
    return events_validate_name(v) ? "rule is a rule name: 1 to 64 letters, digits and . _ -"
                                   : NULL;
}

static const char *validate_template(const cp_value *v)
{
    size_t n = strlen(cp_string_val(v));
    return n >= 1 && n <= 8192 ? NULL : "input_template is 1 to 8192 characters";
}

static const char *validate_paths(const cp_value *v)
{
    if (cp_kind_of(v) != CP_MAP) return NULL;
    if (cp_len(v) > 100) return "input_paths holds at most 100 entries";
    for (size_t i = 0; i < cp_len(v); i++) {
        const char *k = cp_map_key_at(v, i);
        if (!strcmp(k, "aws.events.rule-arn") || !strcmp(k, "aws.events.rule-name") ||
            !strcmp(k, "aws.events.event") || !strcmp(k, "aws.events.event.json") ||
            !strcmp(k, "aws.events.event.ingestion-time"))
            return "input_paths keys may not be the reserved aws.events.* names";
        const cp_value *x = cp_map_value_at(v, i);
        if (cp_kind_of(x) == CP_STRING && cp_string_val(x)[0] != '$')
            return "input_paths values are JSONPaths into the event, starting with $";
    }
    return NULL;
}

static const cp_schema_attr transformer_attrs[] = {
    { .name = "input_paths",
      .type = CP_AT_MAP,
      .flags = CP_OPTIONAL,
      .validate = validate_paths,
      .description = "Names for parts of the event (JSONPath), to use as <name> in the "
                     "template (at most 100)." },
    { .name = "input_template",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_template,
      .description = "What the target gets: text or JSON with <name> placeholders." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "rule",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_rule,
      .description = "Name of the rule." },
    { .name = "target_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_id,
      .description = "Unique id of the target in the rule. Default: cpstack- and a random "
                     "suffix, made up at apply." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "ARN of what the events go to (an SQS queue, SNS topic, Lambda function …)." },
    { .name = "input",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_JSON,
      .validate = cp_validate_json,
      .description = "JSON sent to the target instead of the event; conflicts with input_path." },
    { .name = "input_path",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "JSONPath of the part of the event sent to the target." },
    { .name = "input_transformer",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = transformer_attrs,
      .max_items = 1,
      .description = "Builds what the target gets from parts of the event; conflicts with "
                     "input and input_path." },
    { .name = "role_arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "IAM role EventBridge uses to reach the target (Kinesis, ECS …)." },
    { .name = "event_bus_name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"default\"",
      .description = "Name or ARN of the rule's event bus." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "RULE-TARGETID (BUS/RULE/TARGETID on a bus other than default)." },
    { NULL },
};

static const char *const gone[] = { "ResourceNotFoundException", NULL };

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static char *target_validate_config(const cp_value *config)
{
    const cp_value *tr = cp_prov_field(config, "input_transformer");
    int n = (cp_prov_presence(config, "input") == 1) +
            (cp_prov_presence(config, "input_path") == 1) +
            (tr && cp_kind_of(tr) == CP_LIST && cp_len(tr) > 0);
    if (n > 1) return cp_xstrdup("set one of input, input_path and input_transformer, not several");
    return NULL;
}

static char *compose_id(const char *bus, const char *rule, const char *tid)
{
    return events_default_bus(bus) ? cp_xasprintf("%s-%s", rule, tid)
                                   : cp_xasprintf("%s/%s/%s", bus, rule, tid);
}

/* The first FailedEntries item as one line; 0 when there is none. */
static int failed_entries(cp_provider_call *c, const char *op, const json_t *res)
{
    json_t *f = json_array_get(json_object_get(res, "FailedEntries"), 0);
    if (!f) return 0;
    return cp_fail(c, "%s: %s refused target %s: %s: %s", c->address, op,
                   jstr(f, "TargetId") ? jstr(f, "TargetId") : "?",
                   jstr(f, "ErrorCode") ? jstr(f, "ErrorCode") : "error",
                   jstr(f, "ErrorMessage") ? jstr(f, "ErrorMessage") : "no message");
}

/* InputTransformer as the input_transformer block list ([] when absent). */
static cp_value *transformer_from_json(const json_t *t)
{
    cp_value *l = cp_list_new();
    if (!t) return l;
    cp_value *m = cp_map_new();
    cp_value *paths = NULL;
    const json_t *pm = json_object_get(t, "InputPathsMap");
    if (json_object_size(pm)) {
        paths = cp_map_new();
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)pm, k, v) cp_set_str(paths, k, json_string_value(v));
    }
    cp_set_take(m, "input_paths", paths ? paths : cp_null());
    cp_set_str(m, "input_template", jstr(t, "InputTemplate"));
    cp_list_push_take(l, m);
    return l;
}

static json_t *transformer_json(const cp_value *b)
{
    json_t *t = json_pack("{s:s}", "InputTemplate", cp_get_str(b, "input_template"));
    const cp_value *paths = cp_get_map(b, "input_paths");
    if (paths && cp_len(paths)) {
        json_t *pm = json_object();
        for (size_t i = 0; i < cp_len(paths); i++)
            json_object_set_new(pm, cp_map_key_at(paths, i),
                                json_string(cp_string_val(cp_map_value_at(paths, i))));
        json_object_set_new(t, "InputPathsMap", pm);
    }
    return t;
}

/* The state of target t (ListTargetsByRule's item) for the previous state. */
static cp_value *target_state(const cp_value *state, const json_t *found)
{
    const char *rule = cp_get_str(state, "rule"), *tid = cp_get_str(state, "target_id");
    const char *bus = cp_get_str(state, "event_bus_name");
    cp_value *s = cp_state_complete(attrs, state);
    char *id = compose_id(bus, rule, tid);
    cp_set_str(s, "id", id);
    free(id);
    cp_set_str(s, "rule", rule);
    cp_set_str(s, "target_id", tid);
    cp_set_str(s, "event_bus_name", bus ? bus : "default");
    cp_set_str(s, "arn", jstr(found, "Arn"));
    cp_set_str(s, "input", jstr(found, "Input"));
    cp_set_str(s, "input_path", jstr(found, "InputPath"));
    cp_set_str(s, "role_arn", jstr(found, "RoleArn"));
    cp_set_take(s, "input_transformer",
                transformer_from_json(json_object_get(found, "InputTransformer")));
    return s;
}

/* The targets of one rule (the bus and rule of states[idx[0]]): ListTargetsByRule, pages
 * followed until every states[idx[j]] (j < k) is found; out[idx[j]] its state, NULL when
 * the rule lists no such target or the rule is gone. 0, or -1 with c->error set. */
typedef struct rule_page {
    const cp_value *const *states;
    const size_t *idx;
    size_t k, left;
    cp_value **out;
} rule_page;

static int targets_page(void *ud, const json_t *res)
{
    rule_page *r = ud;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(res, "Targets"), i, t)
    {
        for (size_t j = 0; jstr(t, "Id") && j < r->k; j++) {
            const cp_value *st = r->states[r->idx[j]];
            if (r->out[r->idx[j]] || strcmp(jstr(t, "Id"), cp_get_str(st, "target_id")) != 0)
                continue;
            r->out[r->idx[j]] = target_state(st, t);
            r->left--;
        }
    }
    return r->left > 0 ? 0 : 1;
}

static int rule_targets(cp_provider_call *c, const cp_value *const *states, const size_t *idx,
                        size_t k, cp_value **out)
{
    const cp_value *first = states[idx[0]];
    rule_page r = { states, idx, k, k, out };
    json_t *in = json_pack("{s:s}", "Rule", cp_get_str(first, "rule"));
    events_set_bus(in, cp_get_str(first, "event_bus_name"));
    int rc =
        cp_aws_json_pages(c, "events", EVENTS("ListTargetsByRule"), in, gone, targets_page, &r);
    json_decref(in);
    if (rc != 0) /* a rule that is gone takes its targets with it */
        for (size_t j = 0; j < k; j++) {
            cp_release(out[idx[j]]);
            out[idx[j]] = NULL;
        }
    return rc < 0 ? -1 : 0;
}

static int target_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    if (!cp_get_str(state, "rule") || !cp_get_str(state, "target_id"))
        return cp_fail(c, "%s: no rule and target_id to look up", c->address);
    size_t idx = 0;
    return rule_targets(c, &state, &idx, 1, out);
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Whether a and b are targets of the same rule on the same bus. */
static bool same_rule(const cp_value *a, const cp_value *b)
{
    const char *ba = cp_get_str(a, "event_bus_name"), *bb = cp_get_str(b, "event_bus_name");
    bool bus = events_default_bus(ba) ? events_default_bus(bb) : same_str(ba, bb);
    return bus && same_str(cp_get_str(a, "rule"), cp_get_str(b, "rule"));
}

/* ---- batch refresh ---------------------------------------------------------------------
 * By rule: one ListTargetsByRule of each (bus, rule), pages followed until every target
 * asked for is found, each matched by target_id. It is the very call read() makes, so a
 * target it omits is gone, and a rule that is gone (ResourceNotFoundException) takes all
 * its targets with it. read() of each would make that call once per target. */
static int target_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                             cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t i = 0; i < n; i++)
        if (!cp_get_str(states[i], "rule") || !cp_get_str(states[i], "target_id"))
            return cp_fail(c, "%s: no rule and target_id to look up", c->address);
    bool *done = cp_xcalloc(n ? n : 1, sizeof *done);
    size_t *idx = cp_xcalloc(n ? n : 1, sizeof *idx);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (done[i]) continue;
        size_t k = 0;
        for (size_t j = i; j < n; j++) {
            if (done[j] || !same_rule(states[i], states[j])) continue;
            done[j] = true;
            idx[k++] = j;
        }
        rc = rule_targets(c, states, idx, k, out);
    }
    free(done);
    free(idx);
    return rc == 0 ? 0 : cp_aws_batch_fail(out, n);
}

static int target_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, target_validate_config, config) != 0) return -1;
    json_t *t = json_pack("{s:s, s:s}", "Id", cp_get_str(config, "target_id"), "Arn",
                          cp_get_str(config, "arn"));
    static const char *const opt[][2] = { { "input", "Input" },
                                          { "input_path", "InputPath" },
                                          { "role_arn", "RoleArn" } };
    for (size_t i = 0; i < sizeof opt / sizeof *opt; i++)
        if (cp_get_str(config, opt[i][0]))
            json_object_set_new(t, opt[i][1], json_string(cp_get_str(config, opt[i][0])));
    const cp_value *tr = cp_get_block(config, "input_transformer");
    if (tr) json_object_set_new(t, "InputTransformer", transformer_json(tr));
    json_t *in = json_pack("{s:s, s:[o]}", "Rule", cp_get_str(config, "rule"), "Targets", t),
           *res = NULL;
    events_set_bus(in, cp_get_str(config, "event_bus_name"));
    int rc = cp_aws_json(c, "events", EVENTS("PutTargets"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return -1;
    rc = failed_entries(c, "PutTargets", res);
    json_decref(res);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    char *id = compose_id(cp_get_str(config, "event_bus_name"), cp_get_str(config, "rule"),
                          cp_get_str(config, "target_id"));
    cp_set_str(s, "id", id);
    free(id);
    return cp_aws_finish_take(c, 0, target_read, s, "the event target", state);
}

static int target_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                         cp_value **state)
{
    (void)old;
    return target_put(c, config, state);
}

static int target_delete(cp_provider_call *c, const cp_value *state)
{
    json_t *in = json_pack("{s:s, s:[s]}", "Rule", cp_get_str(state, "rule"), "Ids",
                           cp_get_str(state, "target_id")),
           *res = NULL;
    events_set_bus(in, cp_get_str(state, "event_bus_name"));
    int rc = cp_aws_json(c, "events", EVENTS("RemoveTargets"), in, gone, &res);
    json_decref(in);
    if (rc < 0) return -1;
    rc = rc == 0 ? failed_entries(c, "RemoveTargets", res) : 0;
    json_decref(res);
    return rc == 0 ? 0 : -1;
}

/* Import by RULE/TARGETID or BUS/RULE/TARGETID. */
static int target_import(cp_provider_call *c, const char *id, cp_value **state)
{
    *state = NULL;
    const char *last = strrchr(id, '/');
    if (!last || last == id || !last[1])
        return cp_fail(c, "%s: import id %s is not RULE/TARGETID (or BUS/RULE/TARGETID)",
                       c->address, id);
    const char *first = memchr(id, '/', (size_t)(last - id));
    cp_value *s = cp_map_new();
    cp_set_take(s, "rule",
                first ? cp_string_n(first + 1, (size_t)(last - first - 1))
                      : cp_string_n(id, (size_t)(last - id)));
    cp_set_str(s, "target_id", last + 1);
    cp_set_take(s, "event_bus_name",
                first ? cp_string_n(id, (size_t)(first - id)) : cp_string("default"));
    int rc = target_read(c, s, state);
    cp_release(s);
    if (rc == 0 && !*state) return cp_fail(c, "%s: no event target %s", c->address, id);
    return rc;
}

static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return target_read(c, intent, state);
}

const cp_resource_type cp_aws_cloudwatch_event_target = {
    .name = "aws_cloudwatch_event_target",
    .description = "A target of an EventBridge rule: where its events go (import by "
                   "RULE/TARGETID or BUS/RULE/TARGETID). Deliberate difference from the "
                   "Terraform AWS provider: a target_id left out is made up as cpstack- and a "
                   "random suffix; no ecs_target, batch_target or input_transformer blocks yet.",
    .attrs = attrs,
    .create = target_put,
    .read = target_read,
    .read_batch = target_read_batch,
    .update = target_update,
    .delete = target_delete,
    .import = target_import,
    .validate_config = target_validate_config,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "target_id",
    .find = rec_find,
};
