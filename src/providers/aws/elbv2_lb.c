/*
 * elbv2_lb.c: aws_lb — an application or network load balancer (id = its
 * ARN). Create waits until the load balancer is active; delete waits until
 * it is gone (its listeners go with it). Security groups, subnets, the
 * idle timeout and tags change in place; name, scheme and type force a new
 * one.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/elbv2_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char *validate_type(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "application") || !strcmp(s, "network") || !strcmp(s, "gateway")
               ? NULL
               : "load_balancer_type is \"application\", \"network\" or \"gateway\"";
}

static const char *validate_idle(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 1 && n <= 4000 ? NULL : "idle_timeout is 1 to 4000 seconds";
}

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the load balancer." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = elbv2_validate_name,
      .description =
          "Name of the load balancer: 1-32 letters, digits and hyphens. Default: cpstack- and 24 random hex digits, made up at apply." },
    { .name = "internal",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "false",
      .description =
          "Whether the load balancer is internal (true) or internet-facing (false). Default false." },
    { .name = "load_balancer_type",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"application\"",
      .validate = validate_type,
      .description =
          "Type of the load balancer: application, network or gateway. Default application." },
    { .name = "security_groups",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_UNORDERED,
      .description = "Ids of the security groups of the load balancer." },
    { .name = "subnets",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_UNORDERED,
      .description =
          "Ids of the subnets of the load balancer (an application load balancer needs two availability zones)." },
    { .name = "idle_timeout",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "60",
      .validate = validate_idle,
      .description = "Seconds a connection may stay idle. Default 60." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the load balancer." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the load balancer." },
    { .name = "arn_suffix",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Suffix of the ARN, for CloudWatch metrics." },
    { .name = "dns_name",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "DNS name of the load balancer." },
    { .name = "zone_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the canonical hosted zone (for Route 53 aliases)." },
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the VPC of the load balancer." },
    { NULL },
};

static const char *const lb_gone[] = { "LoadBalancerNotFound", NULL };

/* DescribeLoadBalancers for one ARN: 0 with *lb (the doc owns it), 1 gone, -1. */
static int lb_describe(cp_provider_call *c, const char *arn, xmlDocPtr *doc, xmlNodePtr *lb)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "LoadBalancerArns.member.1", arn);
    int rc = elbv2_call(c, "DescribeLoadBalancers", p, lb_gone, doc);
    aws_params_free(p);
    if (rc != 0) return rc;
    *lb = aws_xml_find(aws_xml_root(*doc), "DescribeLoadBalancersResult/LoadBalancers/member");
    if (*lb) return 0;
    xmlFreeDoc(*doc);
    return 1;
}

static int lb_idle_timeout(cp_provider_call *c, const char *arn, double *out)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "LoadBalancerArn", arn);
    xmlDocPtr doc;
    int rc = elbv2_call(c, "DescribeLoadBalancerAttributes", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    xmlNodePtr a =
        aws_xml_find(aws_xml_root(doc), "DescribeLoadBalancerAttributesResult/Attributes/member");
    for (; a; a = aws_xml_next(a)) {
        char *k = aws_xml_text(a, "Key"), *v = aws_xml_text(a, "Value");
        if (k && v && !strcmp(k, "idle_timeout.timeout_seconds")) *out = strtod(v, NULL);
        free(k);
        free(v);
    }
    xmlFreeDoc(doc);
    return 0;
}

static void lb_fill(cp_value *s, xmlNodePtr lb)
{
    char *arn = aws_xml_text(lb, "LoadBalancerArn"), *scheme = aws_xml_text(lb, "Scheme");
    cp_set_str(s, "id", arn);
    cp_set_str(s, "arn", arn);
    cp_set_take(s, "arn_suffix", elbv2_arn_suffix(arn));
    cp_set_xml(s, "name", lb, "LoadBalancerName");
    cp_set_bool(s, "internal", scheme && !strcmp(scheme, "internal"));
    cp_set_xml(s, "load_balancer_type", lb, "Type");
    cp_set_take(s, "security_groups", cp_aws_xml_strings(lb, "SecurityGroups/member", NULL));
    cp_set_take(s, "subnets", cp_aws_xml_strings(lb, "AvailabilityZones/member", "SubnetId"));
    cp_set_xml(s, "dns_name", lb, "DNSName");
    cp_set_xml(s, "zone_id", lb, "CanonicalHostedZoneId");
    cp_set_xml(s, "vpc_id", lb, "VpcId");
    free(arn);
    free(scheme);
}

static int lb_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    xmlDocPtr doc;
    xmlNodePtr lb;
    int rc = lb_describe(c, cp_get_str(state, "id"), &doc, &lb);
    if (rc != 0) return rc < 0 ? -1 : 0;
    cp_value *s = cp_state_complete(attrs, state);
    lb_fill(s, lb);
    xmlFreeDoc(doc);
    double idle = 60;
    if (lb_idle_timeout(c, cp_get_str(s, "arn"), &idle) != 0) {
        cp_release(s);
        return -1;
    }
    cp_set_num(s, "idle_timeout", idle);
    return elbv2_read_done_take(c, s, state, out);
}

/* ---- batch refresh ---------------------------------------------------------------------
 * DescribeLoadBalancers of 20 ARNs a call and DescribeTags of 20 (elbv2_common.h); the
 * idle timeout still needs a DescribeLoadBalancerAttributes per load balancer (ELBv2 has
 * no call for many): n load balancers cost n + 2 calls per 20 instead of 3n. */
static void lb_fill_batch(cp_value *s, xmlNodePtr lb, const cp_value *prev)
{
    (void)prev;
    lb_fill(s, lb);
}

static int lb_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                         cp_value **out)
{
    static const elbv2_many m = { "DescribeLoadBalancers",
                                  "LoadBalancerArns.member",
                                  "DescribeLoadBalancersResult/LoadBalancers/member",
                                  "LoadBalancerArn",
                                  lb_gone,
                                  attrs,
                                  lb_fill_batch,
                                  lb_read,
                                  false };
    if (elbv2_describe_many(c, &m, states, n, out) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        double idle = 60;
        if (!out[i]) continue;
        if (lb_idle_timeout(c, cp_get_str(out[i], "arn"), &idle) != 0)
            return cp_aws_batch_fail(out, n);
        cp_set_num(out[i], "idle_timeout", idle);
    }
    return elbv2_tags_many(c, states, n, out);
}

typedef struct lb_wait {
    const char *arn;
    bool deleting;
} lb_wait;

static int lb_check(cp_provider_call *c, void *ud, bool *done)
{
    const lb_wait *w = ud;
    xmlDocPtr doc;
    xmlNodePtr lb;
    int rc = lb_describe(c, w->arn, &doc, &lb);
    if (rc < 0) return -1;
    if (rc == 1) {
        *done = w->deleting;
        return w->deleting ? 0
                           : cp_fail(c,
                                     "%s: load balancer %s vanished while it was being "
                                     "created; run apply again",
                                     c->address, w->arn);
    }
    char *code = aws_xml_text(lb, "State/Code"), *why = aws_xml_text(lb, "State/Reason");
    xmlFreeDoc(doc);
    *done = !w->deleting && code && !strcmp(code, "active");
    rc = 0;
    if (!w->deleting && code && !strcmp(code, "failed"))
        rc = cp_fail(c,
                     "%s: load balancer failed to provision (%s); check its subnets and "
                     "security groups",
                     c->address, why ? why : "no reason given");
    free(code);
    free(why);
    return rc;
}

static int lb_set_idle(cp_provider_call *c, const char *arn, const cp_value *config)
{
    return elbv2_set_attribute(c, "ModifyLoadBalancerAttributes", "LoadBalancerArn", arn,
                               "idle_timeout.timeout_seconds",
                               cp_get_num(config, "idle_timeout", 60));
}

static int lb_wait_for(cp_provider_call *c, const char *arn, bool deleting)
{
    lb_wait w = { arn, deleting };
    char *what = cp_xasprintf("load balancer %s to be %s", arn, deleting ? "deleted" : "active");
    int rc = cp_aws_wait(c, what, 600, 2000, lb_check, &w);
    free(what);
    return rc;
}

static int lb_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *type = cp_get_str(config, "load_balancer_type");
    char fit[33];
    const char *name = elbv2_fit_name(cp_get_str(config, "name"), fit);
    aws_params *p = aws_params_new();
    aws_params_add(p, "Name", name);
    aws_params_add(p, "Type", type ? type : "application");
    aws_params_add(p, "Scheme",
                   cp_get_bool(config, "internal", false) ? "internal" : "internet-facing");
    cp_aws_list_params(p, "Subnets.member", cp_get_list(config, "subnets"));
    cp_aws_list_params(p, "SecurityGroups.member", cp_get_list(config, "security_groups"));
    cp_aws_tags_params(p, "Tags.member", cp_get_map(config, "tags"));
    xmlDocPtr doc;
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = elbv2_call(c, "CreateLoadBalancer", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "name", name);
    cp_set_xml(s, "id", aws_xml_root(doc),
               "CreateLoadBalancerResult/LoadBalancers/member/LoadBalancerArn");
    xmlFreeDoc(doc);
    const char *arn = cp_get_str(s, "id");
    rc = lb_wait_for(c, arn, false);
    if (rc == 0 && cp_get_num(config, "idle_timeout", 60) != 60) rc = lb_set_idle(c, arn, config);
    return cp_aws_finish_take(c, rc, lb_read, s, "the load balancer", state);
}

static int lb_set_list(cp_provider_call *c, const char *arn, const char *action, const char *prefix,
                       const cp_value *list)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "LoadBalancerArn", arn);
    cp_aws_list_params(p, prefix, list);
    int rc = elbv2_call(c, action, p, NULL, NULL);
    aws_params_free(p);
    return rc == 0 ? 0 : -1;
}

static int lb_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    const char *arn = cp_get_str(old, "id");
    int rc = 0;
    if (cp_get_list(config, "security_groups") && cp_changed(old, config, "security_groups"))
        rc = lb_set_list(c, arn, "SetSecurityGroups", "SecurityGroups.member",
                         cp_get_list(config, "security_groups"));
    if (rc == 0 && cp_get_list(config, "subnets") && cp_changed(old, config, "subnets"))
        rc = lb_set_list(c, arn, "SetSubnets", "Subnets.member", cp_get_list(config, "subnets"));
    if (rc == 0 && cp_changed(old, config, "idle_timeout")) rc = lb_set_idle(c, arn, config);
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = elbv2_update_tags(c, arn, cp_get_map(old, "tags"), cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    return cp_aws_reread(c, lb_read, attrs, config, arn, state);
}

static int lb_delete(cp_provider_call *c, const cp_value *state)
{
    const char *arn = cp_get_str(state, "id");
    aws_params *p = aws_params_new();
    aws_params_add(p, "LoadBalancerArn", arn);
    int rc = elbv2_call(c, "DeleteLoadBalancer", p, lb_gone, NULL);
    aws_params_free(p);
    if (rc != 0) return rc < 0 ? -1 : 0;
    return lb_wait_for(c, arn, true);
}

static int lb_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, lb_read, id, state);
}

/* An interrupted create is found by its name. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    static const elbv2_lookup l = { "DescribeLoadBalancers",
                                    "Names.member.1",
                                    "DescribeLoadBalancersResult/LoadBalancers/member",
                                    "LoadBalancerArn",
                                    lb_gone,
                                    NULL };
    char fit[33];
    return elbv2_find(c, &l, elbv2_fit_name(cp_get_str(intent, "name"), fit), NULL, lb_read, intent,
                      state);
}

const cp_resource_type cp_aws_lb = {
    .name = "aws_lb",
    .description =
        "An application or network load balancer; waits until active (import by ARN)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and 24 hex digits (Terraform's start tf-lb-).",
    .attrs = attrs,
    .create = lb_create,
    .read = lb_read,
    .read_batch = lb_read_batch,
    .update = lb_update,
    .delete = lb_delete,
    .import = lb_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
