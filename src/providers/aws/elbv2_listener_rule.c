/*
 * elbv2_listener_rule.c: aws_lb_listener_rule — a rule of a listener (id =
 * its ARN): conditions on the path or host, and actions of the same shape
 * as a listener's default actions. Priority, conditions, actions and tags
 * change in place; the listener forces a new rule. DescribeRules does not
 * name the listener, so read derives it from the rule's ARN.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/elbv2_common.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *validate_priority(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 1 && n <= 50000 ? NULL : "priority is 1 to 50000";
}

static const cp_schema_attr values_attrs[] = {
    { .name = "values",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_UNORDERED,
      .description = "Patterns to match (`*` and `?` are wildcards)." },
    { NULL },
};

static const cp_schema_attr cond_attrs[] = {
    { .name = "path_pattern",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = values_attrs,
      .max_items = 1,
      .description = "Match the request path." },
    { .name = "host_header",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = values_attrs,
      .max_items = 1,
      .description = "Match the Host header." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "ARN of the rule." },
    { .name = "listener_arn",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "ARN of the listener (an `aws_lb_listener`'s `arn`)." },
    { .name = "priority",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .validate = validate_priority,
      .description = "Evaluation order, lowest first (1-50000)." },
    { .name = "action",
      .type = CP_AT_BLOCKS,
      .flags = CP_REQUIRED,
      .block = elbv2_action_attrs,
      .description = "What to do with matching requests." },
    { .name = "condition",
      .type = CP_AT_BLOCKS,
      .flags = CP_REQUIRED | CP_UNORDERED,
      .block = cond_attrs,
      .description = "Which requests match (all conditions must hold)." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the rule." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the rule." },
    { NULL },
};

static const char *const rule_gone[] = { "RuleNotFound", "ListenerNotFound", NULL };

/* arn:…:listener-rule/app/lb/id/listener-id/rule-id → arn:…:listener/app/lb/id/listener-id */
static cp_value *listener_of(const char *rule_arn)
{
    const char *kind = rule_arn ? strstr(rule_arn, ":listener-rule/") : NULL;
    const char *last = rule_arn ? strrchr(rule_arn, '/') : NULL;
    if (!kind || !last || last < kind) return cp_null();
    return cp_stringf("%.*s:listener/%.*s", (int)(kind - rule_arn), rule_arn,
                      (int)(last - kind - strlen(":listener-rule/")),
                      kind + strlen(":listener-rule/"));
}

static cp_value *values_block(xmlNodePtr cfg)
{
    cp_value *m = cp_map_new(), *l = cp_list_new();
    cp_set_take(m, "values", cp_aws_xml_strings(cfg, "Values/member", NULL));
    cp_list_push_take(l, m);
    return l;
}

static cp_value *conditions_read(xmlNodePtr list)
{
    cp_value *out = cp_list_new();
    for (xmlNodePtr it = list ? aws_xml_find(list, "member") : NULL; it; it = aws_xml_next(it)) {
        char *field = aws_xml_text(it, "Field");
        xmlNodePtr path = aws_xml_find(it, "PathPatternConfig"),
                   host = aws_xml_find(it, "HostHeaderConfig");
        bool is_path = field && !strcmp(field, "path-pattern");
        cp_value *m = cp_map_new();
        cp_set_take(m, "path_pattern", is_path ? values_block(path ? path : it) : cp_list_new());
        cp_set_take(m, "host_header",
                    field && !strcmp(field, "host-header") ? values_block(host ? host : it)
                                                           : cp_list_new());
        cp_list_push_take(out, m);
        free(field);
    }
    return out;
}

static void conditions_params(aws_params *p, const cp_value *conds)
{
    size_t n = 0;
    for (size_t i = 0; conds && i < cp_len(conds); i++) {
        const cp_value *c = cp_list_get(conds, i);
        static const char *const kinds[][3] = {
            { "path_pattern", "path-pattern", "PathPatternConfig" },
            { "host_header", "host-header", "HostHeaderConfig" }
        };
        for (size_t k = 0; k < 2; k++) {
            const cp_value *b = cp_get_block(c, kinds[k][0]);
            if (!b) continue;
            n++;
            aws_params_addf(p, kinds[k][1], "Conditions.member.%zu.Field", n);
            const cp_value *vals = cp_get_list(b, "values");
            for (size_t j = 0; vals && j < cp_len(vals); j++)
                aws_params_addf(p, cp_string_val(cp_list_get(vals, j)),
                                "Conditions.member.%zu.%s.Values.member.%zu", n, kinds[k][2],
                                j + 1);
        }
    }
}

static void rule_fill(cp_value *s, xmlNodePtr r, const cp_value *prev)
{
    (void)prev;
    char *arn = aws_xml_text(r, "RuleArn");
    cp_set_str(s, "id", arn);
    cp_set_str(s, "arn", arn);
    cp_set_take(s, "listener_arn", listener_of(arn));
    free(arn);
    cp_set_xml_num(s, "priority", r, "Priority", 0);
    cp_set_take(s, "action", elbv2_actions_read(aws_xml_find(r, "Actions")));
    cp_set_take(s, "condition", conditions_read(aws_xml_find(r, "Conditions")));
}

static int rule_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    xmlDocPtr doc;
    int rc = elbv2_call1(c, "DescribeRules", "RuleArns.member.1", cp_get_str(state, "id"),
                         rule_gone, &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlNodePtr r = aws_xml_find(aws_xml_root(doc), "DescribeRulesResult/Rules/member");
    cp_value *s = r ? cp_state_complete(attrs, state) : NULL;
    if (r) rule_fill(s, r, state);
    xmlFreeDoc(doc);
    if (!s) return 0;
    return elbv2_read_done_take(c, s, state, out);
}

/* ---- batch refresh ---------------------------------------------------------------------
 * DescribeRules of 20 ARNs a call and DescribeTags of 20 (elbv2_common.h): n rules cost
 * 2 calls per 20 instead of 2n. When one is gone AWS refuses the whole call, and rules
 * cannot be listed without their listener: that chunk is read one by one. */
static int rule_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                           cp_value **out)
{
    static const elbv2_many m = {
        "DescribeRules", "RuleArns.member", "DescribeRulesResult/Rules/member",
        "RuleArn",       rule_gone,         attrs,
        rule_fill,       rule_read,         true
    };
    if (elbv2_describe_many(c, &m, states, n, out) != 0) return -1;
    return elbv2_tags_many(c, states, n, out);
}

/* validate_config (and again at create / update): the actions' shape, and
 * exactly one match in each condition block. */
static char *rule_validate_config(const cp_value *config)
{
    const char *why = elbv2_validate_actions(cp_prov_field(config, "action"));
    if (why) return cp_xasprintf("invalid action: %s", why);
    const cp_value *conds = cp_get_list(config, "condition");
    for (size_t i = 0; conds && i < cp_len(conds); i++) {
        const cp_value *one = cp_list_get(conds, i);
        int path = cp_prov_presence(one, "path_pattern"),
            host = cp_prov_presence(one, "host_header");
        if (path < 0 || host < 0) continue;
        if (path + host != 1)
            return cp_xasprintf(
                "each condition block holds exactly one of path_pattern or host_header "
                "(one has %s)",
                path + host ? "both" : "neither");
    }
    return NULL;
}

static int rule_check(cp_provider_call *c, const cp_value *config)
{
    return cp_prov_check_config(c, rule_validate_config, config);
}

static void priority_param(aws_params *p, const char *key, const cp_value *config)
{
    const cp_value *v = cp_map_get(config, "priority");
    if (!v || cp_kind_of(v) != CP_NUMBER) return;
    char n[32];
    snprintf(n, sizeof n, "%.0f", cp_number_val(v));
    aws_params_add(p, key, n);
}

static int rule_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (rule_check(c, config) != 0) return -1;
    aws_params *p = aws_params_new();
    aws_params_add(p, "ListenerArn", cp_get_str(config, "listener_arn"));
    priority_param(p, "Priority", config);
    conditions_params(p, cp_get_list(config, "condition"));
    elbv2_actions_params(p, "Actions", cp_get_list(config, "action"));
    cp_aws_tags_params(p, "Tags.member", cp_get_map(config, "tags"));
    xmlDocPtr doc;
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = elbv2_call(c, "CreateRule", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "CreateRuleResult/Rules/member/RuleArn");
    xmlFreeDoc(doc);
    return cp_aws_finish_take(c, 0, rule_read, s, "the rule", state);
}

static int rule_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                       cp_value **state)
{
    const char *arn = cp_get_str(old, "id");
    if (rule_check(c, config) != 0) return -1;
    int rc = 0;
    if (cp_get_num(config, "priority", -1) >= 0 && cp_changed(old, config, "priority")) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "RulePriorities.member.1.RuleArn", arn);
        priority_param(p, "RulePriorities.member.1.Priority", config);
        rc = elbv2_call(c, "SetRulePriorities", p, NULL, NULL);
        aws_params_free(p);
    }
    if (rc == 0 && (cp_changed(old, config, "action") || cp_changed(old, config, "condition"))) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "RuleArn", arn);
        conditions_params(p, cp_get_list(config, "condition"));
        elbv2_actions_params(p, "Actions", cp_get_list(config, "action"));
        rc = elbv2_call(c, "ModifyRule", p, NULL, NULL);
        aws_params_free(p);
    }
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = elbv2_update_tags(c, arn, cp_get_map(old, "tags"), cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    return cp_aws_reread(c, rule_read, attrs, config, arn, state);
}

static int rule_delete(cp_provider_call *c, const cp_value *state)
{
    int rc = elbv2_call1(c, "DeleteRule", "RuleArn", cp_get_str(state, "id"), rule_gone, NULL);
    return rc < 0 ? -1 : 0;
}

static int rule_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, rule_read, id, state);
}

/* An interrupted create is found by its priority on its listener (one rule a priority). */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    static const char *const gone[] = { "ListenerNotFound", NULL };
    static const elbv2_lookup l = {
        "DescribeRules", "ListenerArn", "DescribeRulesResult/Rules/member",
        "RuleArn",       gone,          "Priority"
    };
    char prio[32];
    const cp_value *n = cp_map_get(intent, "priority");
    bool has = n && cp_kind_of(n) == CP_NUMBER;
    if (has) snprintf(prio, sizeof prio, "%.0f", cp_number_val(n));
    return elbv2_find(c, &l, cp_get_str(intent, "listener_arn"), has ? prio : NULL, rule_read,
                      intent, state);
}

const cp_resource_type cp_aws_lb_listener_rule = {
    .name = "aws_lb_listener_rule",
    .description = "A listener rule: path / host conditions and actions (import by ARN).",
    .attrs = attrs,
    .create = rule_create,
    .read = rule_read,
    .read_batch = rule_read_batch,
    .update = rule_update,
    .delete = rule_delete,
    .import = rule_import,
    .validate_config = rule_validate_config,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
