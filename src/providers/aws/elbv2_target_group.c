/*
 * elbv2_target_group.c: aws_lb_target_group — a target group (id = its
 * ARN). The health check, the deregistration delay and tags change in
 * place; name, port, protocol, VPC and target type force a new group. An
 * unset health_check block stays unset in state (AWS's defaults are not
 * shown as a change); an imported group shows AWS's values.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/elbv2_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *validate_target_type(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "instance") || !strcmp(s, "ip") || !strcmp(s, "lambda") || !strcmp(s, "alb")
               ? NULL
               : "target_type is \"instance\", \"ip\" (Fargate), \"lambda\" or \"alb\"";
}

static const char *validate_port(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 1 && n <= 65535 ? NULL : "port is 1 to 65535";
}

static const char *validate_delay(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 0 && n <= 3600 ? NULL : "deregistration_delay is 0 to 3600 seconds";
}

static const cp_schema_attr hc_attrs[] = {
    { .name = "enabled",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "true",
      .description = "Whether health checks are on. Default true." },
    { .name = "path",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "HTTP path checked." },
    { .name = "port",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"traffic-port\"",
      .description =
          "Port checked, or `traffic-port` (the port targets receive traffic on). Default traffic-port; not sent for lambda targets." },
    { .name = "protocol",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"HTTP\"",
      .description =
          "Protocol of the check: HTTP, HTTPS or TCP. Default HTTP; not sent for lambda targets." },
    { .name = "matcher",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "HTTP codes meaning healthy, e.g. `\"200-299\"`." },
    { .name = "interval",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "30",
      .description = "Seconds between checks. Default 30." },
    { .name = "timeout",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Seconds to wait for an answer." },
    { .name = "healthy_threshold",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "3",
      .description =
          "Consecutive successes before a target is healthy. Default 3 (AWS's own default is 5)." },
    { .name = "unhealthy_threshold",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "3",
      .description =
          "Consecutive failures before a target is unhealthy. Default 3 (AWS's own default is 2)." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the target group." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = elbv2_validate_name,
      .description =
          "Name of the target group: 1-32 letters, digits and hyphens. Default: cpstack- and 24 random hex digits, made up at apply." },
    { .name = "port",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .validate = validate_port,
      .description = "Port the targets receive traffic on." },
    { .name = "protocol",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Protocol of the traffic: HTTP, HTTPS, TCP, TLS, UDP or TCP_UDP." },
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Id of the VPC of the targets." },
    { .name = "target_type",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"instance\"",
      .validate = validate_target_type,
      .description = "Type of the targets: instance, ip (Fargate tasks), lambda or alb." },
    { .name = "health_check",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .block = hc_attrs,
      .max_items = 1,
      .description = "How the load balancer checks targets." },
    { .name = "deregistration_delay",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "300",
      .validate = validate_delay,
      .description = "Seconds to drain a target before deregistering it. Default 300." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the target group." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the target group." },
    { .name = "arn_suffix",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Suffix of the ARN, for CloudWatch metrics." },
    { NULL },
};

static const char *const tg_gone[] = { "TargetGroupNotFound", NULL };

static cp_value *hc_read(xmlNodePtr tg)
{
    cp_value *m = cp_map_new(), *l = cp_list_new();
    cp_set_xml_bool(m, "enabled", tg, "HealthCheckEnabled", true);
    cp_set_xml(m, "path", tg, "HealthCheckPath");
    cp_set_xml(m, "port", tg, "HealthCheckPort");
    cp_set_xml(m, "protocol", tg, "HealthCheckProtocol");
    cp_set_xml(m, "matcher", tg, "Matcher/HttpCode");
    cp_set_xml_num(m, "interval", tg, "HealthCheckIntervalSeconds", 30);
    cp_set_xml_num(m, "timeout", tg, "HealthCheckTimeoutSeconds", 5);
    cp_set_xml_num(m, "healthy_threshold", tg, "HealthyThresholdCount", 5);
    cp_set_xml_num(m, "unhealthy_threshold", tg, "UnhealthyThresholdCount", 2);
    cp_list_push_take(l, m);
    return l;
}

static void tg_fill(cp_value *s, xmlNodePtr tg, const cp_value *prev)
{
    char *arn = aws_xml_text(tg, "TargetGroupArn");
    cp_set_str(s, "id", arn);
    cp_set_str(s, "arn", arn);
    cp_set_take(s, "arn_suffix", elbv2_arn_suffix(arn));
    free(arn);
    cp_set_xml(s, "name", tg, "TargetGroupName");
    char *port = aws_xml_text(tg, "Port");
    if (port) cp_set_num(s, "port", strtod(port, NULL));
    free(port);
    cp_set_xml(s, "protocol", tg, "Protocol");
    cp_set_xml(s, "vpc_id", tg, "VpcId");
    cp_set_xml(s, "target_type", tg, "TargetType");
    const cp_value *hc = cp_map_get(prev, "health_check");
    if (!hc || cp_len(hc)) cp_set_take(s, "health_check", hc_read(tg));
}

static double tg_delay(cp_provider_call *c, const char *arn)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "TargetGroupArn", arn);
    xmlDocPtr doc;
    int rc = elbv2_call(c, "DescribeTargetGroupAttributes", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    double delay = 300;
    xmlNodePtr a =
        aws_xml_find(aws_xml_root(doc), "DescribeTargetGroupAttributesResult/Attributes/member");
    for (; a; a = aws_xml_next(a)) {
        char *k = aws_xml_text(a, "Key"), *v = aws_xml_text(a, "Value");
        if (k && v && !strcmp(k, "deregistration_delay.timeout_seconds")) delay = strtod(v, NULL);
        free(k);
        free(v);
    }
    xmlFreeDoc(doc);
    return delay;
}

static int tg_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    xmlDocPtr doc;
    int rc = elbv2_call1(c, "DescribeTargetGroups", "TargetGroupArns.member.1",
                         cp_get_str(state, "id"), tg_gone, &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlNodePtr tg =
        aws_xml_find(aws_xml_root(doc), "DescribeTargetGroupsResult/TargetGroups/member");
    cp_value *s = tg ? cp_state_complete(attrs, state) : NULL;
    if (tg) tg_fill(s, tg, state);
    xmlFreeDoc(doc);
    if (!s) return 0;
    double delay = tg_delay(c, cp_get_str(s, "arn"));
    if (delay < 0) {
        cp_release(s);
        return -1;
    }
    cp_set_num(s, "deregistration_delay", delay);
    return elbv2_read_done_take(c, s, state, out);
}

/* ---- batch refresh ---------------------------------------------------------------------
 * DescribeTargetGroups of 20 ARNs a call and DescribeTags of 20 (elbv2_common.h); the
 * deregistration delay still needs a DescribeTargetGroupAttributes per group (ELBv2
 * has no call for many): n groups cost n + 2 calls per 20 instead of 3n. */
static int tg_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                         cp_value **out)
{
    static const elbv2_many m = { "DescribeTargetGroups",
                                  "TargetGroupArns.member",
                                  "DescribeTargetGroupsResult/TargetGroups/member",
                                  "TargetGroupArn",
                                  tg_gone,
                                  attrs,
                                  tg_fill,
                                  tg_read,
                                  false };
    if (elbv2_describe_many(c, &m, states, n, out) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        if (!out[i]) continue;
        double delay = tg_delay(c, cp_get_str(out[i], "arn"));
        if (delay < 0) return cp_aws_batch_fail(out, n);
        cp_set_num(out[i], "deregistration_delay", delay);
    }
    return elbv2_tags_many(c, states, n, out);
}

static void num_param(aws_params *p, const char *key, const cp_value *m, const char *attr)
{
    const cp_value *v = cp_map_get(m, attr);
    if (!v || cp_kind_of(v) != CP_NUMBER) return;
    char n[32];
    snprintf(n, sizeof n, "%.0f", cp_number_val(v));
    aws_params_add(p, key, n);
}

static void str_param(aws_params *p, const char *key, const cp_value *m, const char *attr)
{
    if (cp_get_str(m, attr)) aws_params_add(p, key, cp_get_str(m, attr));
}

static bool is_lambda(const cp_value *config)
{
    const char *t = cp_get_str(config, "target_type");
    return t && !strcmp(t, "lambda");
}

/* The health check parameters; a lambda target group takes no port or
 * protocol (AWS refuses them), so the defaults for those stay unsent. */
static void hc_params(aws_params *p, const cp_value *hc, bool lambda)
{
    if (!hc) return;
    const cp_value *en = cp_map_get(hc, "enabled");
    if (en && cp_kind_of(en) == CP_BOOL)
        aws_params_add(p, "HealthCheckEnabled", cp_bool_val(en) ? "true" : "false");
    str_param(p, "HealthCheckPath", hc, "path");
    if (!lambda) {
        str_param(p, "HealthCheckPort", hc, "port");
        str_param(p, "HealthCheckProtocol", hc, "protocol");
    }
    str_param(p, "Matcher.HttpCode", hc, "matcher");
    num_param(p, "HealthCheckIntervalSeconds", hc, "interval");
    num_param(p, "HealthCheckTimeoutSeconds", hc, "timeout");
    num_param(p, "HealthyThresholdCount", hc, "healthy_threshold");
    num_param(p, "UnhealthyThresholdCount", hc, "unhealthy_threshold");
}

static int tg_set_delay(cp_provider_call *c, const char *arn, const cp_value *config)
{
    return elbv2_set_attribute(c, "ModifyTargetGroupAttributes", "TargetGroupArn", arn,
                               "deregistration_delay.timeout_seconds",
                               cp_get_num(config, "deregistration_delay", 300));
}

static int tg_finish(cp_provider_call *c, int rc, cp_value *s, cp_value **state)
{
    return cp_aws_finish_take(c, rc, tg_read, s, "the target group", state);
}

static int tg_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    char fit[33];
    const char *name = elbv2_fit_name(cp_get_str(config, "name"), fit);
    aws_params *p = aws_params_new();
    aws_params_add(p, "Name", name);
    num_param(p, "Port", config, "port");
    str_param(p, "Protocol", config, "protocol");
    str_param(p, "VpcId", config, "vpc_id");
    str_param(p, "TargetType", config, "target_type");
    hc_params(p, cp_get_block(config, "health_check"), is_lambda(config));
    cp_aws_tags_params(p, "Tags.member", cp_get_map(config, "tags"));
    xmlDocPtr doc;
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = elbv2_call(c, "CreateTargetGroup", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "name", name);
    cp_set_xml(s, "id", aws_xml_root(doc),
               "CreateTargetGroupResult/TargetGroups/member/TargetGroupArn");
    xmlFreeDoc(doc);
    if (cp_get_num(config, "deregistration_delay", 300) != 300)
        rc = tg_set_delay(c, cp_get_str(s, "id"), config);
    return tg_finish(c, rc, s, state);
}

static int tg_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    const char *arn = cp_get_str(old, "id");
    int rc = 0;
    const cp_value *hc = cp_get_block(config, "health_check");
    if (hc && cp_changed(old, config, "health_check")) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "TargetGroupArn", arn);
        hc_params(p, hc, is_lambda(config));
        rc = elbv2_call(c, "ModifyTargetGroup", p, NULL, NULL);
        aws_params_free(p);
    }
    if (rc == 0 && cp_changed(old, config, "deregistration_delay"))
        rc = tg_set_delay(c, arn, config);
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = elbv2_update_tags(c, arn, cp_get_map(old, "tags"), cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    return cp_aws_reread(c, tg_read, attrs, config, arn, state);
}

static int tg_delete_op(cp_provider_call *c, void *ud, aws_error *err)
{
    xmlDocPtr doc = NULL;
    int rc = aws_query_call(cp_aws_client(c), "elbv2", "DeleteTargetGroup", ud, &doc, err);
    if (doc) xmlFreeDoc(doc);
    return rc;
}

/* A listener deleted just before may hold the group for a moment: retry
 * ResourceInUse for a bounded time. */
static int tg_delete(cp_provider_call *c, const cp_value *state)
{
    static const char *const in_use[] = { "ResourceInUse", NULL };
    aws_params *p = aws_params_new();
    aws_params_add(p, "TargetGroupArn", cp_get_str(state, "id"));
    aws_error err = { 0 };
    int rc = cp_aws_retry_codes(c, in_use, 120, tg_delete_op, p, &err);
    aws_params_free(p);
    if (rc == 0 || cp_aws_error_in(&err, tg_gone)) {
        aws_error_clear(&err);
        return 0;
    }
    return cp_aws_fail(c, &err, "DeleteTargetGroup");
}

static int tg_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, tg_read, id, state);
}

/* An interrupted create is found by its name. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    static const elbv2_lookup l = {
        "DescribeTargetGroups", "Names.member.1", "DescribeTargetGroupsResult/TargetGroups/member",
        "TargetGroupArn",       tg_gone,          NULL
    };
    char fit[33];
    return elbv2_find(c, &l, elbv2_fit_name(cp_get_str(intent, "name"), fit), NULL, tg_read, intent,
                      state);
}

const cp_resource_type cp_aws_lb_target_group = {
    .name = "aws_lb_target_group",
    .description =
        "A load balancer target group with its health check (import by ARN)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and 24 hex digits (Terraform's start tf-).",
    .attrs = attrs,
    .create = tg_create,
    .read = tg_read,
    .read_batch = tg_read_batch,
    .update = tg_update,
    .delete = tg_delete,
    .import = tg_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
