/*
 * test_elbv2.c: the load balancing types (src/providers/aws/elbv2_*.c:
 * aws_lb, aws_lb_target_group, aws_lb_listener, aws_lb_listener_rule)
 * against the emulator: create / read / update / delete / import, deletion
 * behind cpstack's back, and validation messages. The network comes from
 * fixture_vpc.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_vpc.h"

/* Attributes [{Key, Value}] of a load balancer or target group as {Key: Value}. */
static json_t *attributes(cpt_env *e, const char *call, const char *param, const char *arn)
{
    json_t *r = cpt_aws(e, "elbv2", "%s(%s='%s')", call, param, arn);
    json_t *m = json_object(), *a;
    size_t i;
    json_array_foreach(json_object_get(r, "Attributes"), i, a) json_object_set(
        m, json_string_value(json_object_get(a, "Key")), json_object_get(a, "Value"));
    json_decref(r);
    return m;
}

/* An ELBv2 object by ARN ("lbs", "tgs", "listeners", "rules") as
 * Describe* shows it; load balancers and target groups also carry their
 * attributes under "_attributes" and tags under "_tags". NULL when gone. */
static json_t *rec(cpt_env *e, const char *table, const char *arn)
{
    static const struct {
        const char *table, *call, *param, *list, *attrs;
    } d[] = {
        { "lbs", "describe_load_balancers", "LoadBalancerArns", "LoadBalancers",
          "describe_load_balancer_attributes" },
        { "tgs", "describe_target_groups", "TargetGroupArns", "TargetGroups",
          "describe_target_group_attributes" },
        { "listeners", "describe_listeners", "ListenerArns", "Listeners", NULL },
        { "rules", "describe_rules", "RuleArns", "Rules", NULL },
    };
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) {
        if (strcmp(d[i].table, table) != 0) continue;
        json_t *r = cpt_aws(e, "elbv2", "%s(%s=['%s'])", d[i].call, d[i].param, arn);
        json_t *o = json_incref(json_array_get(json_object_get(r, d[i].list), 0));
        json_decref(r);
        if (!o || !d[i].attrs) return o;
        const char *one = strcmp(table, "lbs") == 0 ? "LoadBalancerArn" : "TargetGroupArn";
        json_object_set_new(o, "_attributes", attributes(e, d[i].attrs, one, arn));
        json_t *t = cpt_aws(e, "elbv2", "describe_tags(ResourceArns=['%s'])", arn);
        json_object_set(
            o, "_tags",
            json_object_get(json_array_get(json_object_get(t, "TagDescriptions"), 0), "Tags"));
        json_decref(t);
        return o;
    }
    fail_msg("rec(): no table %s", table);
    return NULL;
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static cp_value *make_lb(cpt_env *e, const cpt_vpc *v, const char *name)
{
    cp_value *cfg =
        cpt_valf("{\"name\": \"%s\", \"internal\": false, \"load_balancer_type\": \"application\","
                 " \"subnets\": [\"%s\", \"%s\"], \"security_groups\": [\"%s\"],"
                 " \"idle_timeout\": 60, \"tags\": {\"app\": \"web\"}}",
                 name, v->subnet[0], v->subnet[1], v->sg);
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_lb", cfg, &s, &err) != 0) fail_msg("%s", err);
    cp_release(cfg);
    return s;
}

static cp_value *make_tg(cpt_env *e, const cpt_vpc *v, const char *name)
{
    cp_value *cfg = cpt_valf(
        "{\"name\": \"%s\", \"port\": 8080, \"protocol\": \"HTTP\", \"vpc_id\": \"%s\","
        " \"target_type\": \"ip\", \"deregistration_delay\": 30,"
        " \"health_check\": [{\"path\": \"/health\", \"matcher\": \"200-299\", \"interval\": 15}]}",
        name, v->vpc);
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_lb_target_group", cfg, &s, &err) != 0) fail_msg("%s", err);
    cp_release(cfg);
    return s;
}

/* ---- aws_lb ------------------------------------------------------------------------ */

static void test_lb_lifecycle(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *s = make_lb(e, &v, "web-lb");
    const char *arn = cpt_str(s, "id");
    assert_string_equal(cpt_str(s, "arn"), arn);
    assert_non_null(strstr(cpt_str(s, "arn_suffix"), "app/web-lb/"));
    assert_non_null(strstr(cpt_str(s, "dns_name"), "elb.amazonaws.com"));
    assert_string_equal(cpt_str(s, "vpc_id"), v.vpc);
    json_t *r = rec(e, "lbs", arn);
    assert_non_null(r);
    assert_string_equal(cpt_str(s, "zone_id"), jstr(r, "CanonicalHostedZoneId"));
    assert_string_equal(jstr(r, "LoadBalancerName"), "web-lb");
    assert_string_equal(jstr(cpt_path(r, "State"), "Code"), "active"); /* create waited */
    json_decref(r);

    cp_value *rd = cpt_read_ok(e, "aws_lb", s);
    assert_true(cp_equal(rd, s));
    cp_value *cfg2 = cpt_valf(
        "{\"name\": \"web-lb\", \"internal\": false, \"load_balancer_type\": \"application\","
        " \"subnets\": [\"%s\", \"%s\"], \"security_groups\": [\"%s\"],"
        " \"idle_timeout\": 120, \"tags\": {\"env\": \"dev\"}}",
        v.subnet[1], v.subnet[0], v.sg);
    cp_value *s2 = NULL;
    char *err = NULL;
    if (cpt_update(e, "aws_lb", s, cfg2, &s2, &err) != 0) fail_msg("%s", err);
    assert_int_equal((int)cp_number_val(cp_map_get(s2, "idle_timeout")), 120);
    r = rec(e, "lbs", arn);
    assert_string_equal(jstr(cpt_path(r, "_attributes"), "idle_timeout.timeout_seconds"), "120");
    assert_int_equal(json_array_size(json_object_get(r, "_tags")), 1);
    json_decref(r);

    cp_value *imp = cpt_import_ok(e, "aws_lb", arn);
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "name", "internal", "load_balancer_type",
                                           "idle_timeout", "dns_name", "arn_suffix", "tags",
                                           "security_groups", NULL });
    cpt_delete_ok(e, "aws_lb", s2);
    assert_null(rec(e, "lbs", arn));
    assert_null(cpt_read_ok(e, "aws_lb", s2));
    cp_release(s);
    cp_release(rd);
    cp_release(cfg2);
    cp_release(s2);
    cp_release(imp);
}

static void test_lb_gone_and_errors(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *s = make_lb(e, &v, "ghost");
    assert_int_equal(
        cpt_boto(e, "elbv2", "delete_load_balancer(LoadBalancerArn='%s')", cpt_str(s, "id")), 0);
    assert_null(cpt_read_ok(e, "aws_lb", s));
    cpt_delete_ok(e, "aws_lb", s); /* already gone: fine */

    cp_value *cfg = cpt_valf("{\"name\": \"one-az\", \"subnets\": [\"%s\"]}", v.subnet[0]),
             *bad = NULL;
    char *err = NULL;
    if (cpt_emulator_only(e, "moto makes an application load balancer in one subnet; AWS: "
                             "ValidationError, at least two subnets")) {
        assert_int_equal(cpt_create(e, "aws_lb", cfg, &bad, &err), -1);
        assert_non_null(strstr(err, "aws_lb.test"));
        assert_non_null(strstr(err, "CreateLoadBalancer"));
        assert_null(strchr(err, '\n'));
        free(err);
    }
    cp_value *none = NULL;
    err = NULL;
    assert_int_equal(cpt_import(e, "aws_lb",
                                "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                                "loadbalancer/app/nope/0123456789abcdef",
                                &none, &err),
                     -1);
    assert_non_null(strstr(err, "nope"));
    free(err);
    cp_release(s);
    cp_release(cfg);
    cp_release(bad);
}

static void test_validation(void **st)
{
    (void)st;
    assert_null(cpt_validate("aws_lb", "name", "\"web-prod-1\""));
    assert_non_null(strstr(
        cpt_validate("aws_lb", "name", "\"a-name-that-is-far-longer-than-32-chars\""), "32"));
    assert_non_null(strstr(cpt_validate("aws_lb", "name", "\"bad_name\""), "a-z"));
    assert_non_null(strstr(cpt_validate("aws_lb", "name", "\"-web\""), "'-'"));
    assert_non_null(
        strstr(cpt_validate("aws_lb", "load_balancer_type", "\"classic\""), "application"));
    assert_non_null(strstr(cpt_validate("aws_lb", "idle_timeout", "0"), "4000"));
    assert_non_null(strstr(cpt_validate("aws_lb_target_group", "name", "\"tg.1\""), "32"));
    assert_non_null(
        strstr(cpt_validate("aws_lb_target_group", "target_type", "\"fargate\""), "ip"));
    assert_non_null(strstr(cpt_validate("aws_lb_target_group", "port", "70000"), "65535"));
    assert_non_null(strstr(cpt_validate("aws_lb_listener", "protocol", "\"FTP\""), "HTTP"));
    assert_non_null(strstr(cpt_validate("aws_lb_listener_rule", "priority", "0"), "50000"));
}

/* ---- aws_lb_target_group ---------------------------------------------------------------- */

static void test_target_group(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *s = make_tg(e, &v, "web-tg");
    const char *arn = cpt_str(s, "id");
    assert_non_null(strstr(cpt_str(s, "arn_suffix"), "targetgroup/web-tg/"));
    json_t *r = rec(e, "tgs", arn);
    assert_non_null(r);
    assert_string_equal(jstr(r, "TargetType"), "ip");
    assert_string_equal(jstr(r, "HealthCheckPath"), "/health");
    assert_string_equal(jstr(cpt_path(r, "_attributes"), "deregistration_delay.timeout_seconds"),
                        "30");
    json_decref(r);
    const cp_value *hc = cp_list_get(cp_map_get(s, "health_check"), 0);
    assert_string_equal(cpt_str(hc, "matcher"), "200-299");
    assert_string_equal(cpt_str(hc, "port"), "traffic-port"); /* AWS's default shown */

    cp_value *rd = cpt_read_ok(e, "aws_lb_target_group", s);
    assert_true(cp_equal(rd, s));
    cp_value *cfg2 = cpt_valf(
        "{\"name\": \"web-tg\", \"port\": 8080, \"protocol\": \"HTTP\", \"vpc_id\": \"%s\","
        " \"target_type\": \"ip\", \"deregistration_delay\": 10, \"tags\": {\"a\": \"b\"},"
        " \"health_check\": [{\"path\": \"/now\", \"healthy_threshold\": 2}]}",
        v.vpc);
    cp_value *s2 = NULL;
    char *err = NULL;
    if (cpt_update(e, "aws_lb_target_group", s, cfg2, &s2, &err) != 0) fail_msg("%s", err);
    r = rec(e, "tgs", arn);
    assert_string_equal(jstr(r, "HealthCheckPath"), "/now");
    assert_int_equal(json_integer_value(json_object_get(r, "HealthyThresholdCount")), 2);
    assert_string_equal(jstr(cpt_path(r, "_attributes"), "deregistration_delay.timeout_seconds"),
                        "10");
    assert_int_equal(json_array_size(json_object_get(r, "_tags")), 1);
    json_decref(r);
    assert_int_equal((int)cp_number_val(cp_map_get(s2, "deregistration_delay")), 10);

    cp_value *imp = cpt_import_ok(e, "aws_lb_target_group", arn);
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "name", "port", "protocol", "vpc_id",
                                           "target_type", "health_check", "deregistration_delay",
                                           "tags", NULL });
    cpt_delete_ok(e, "aws_lb_target_group", s2);
    assert_null(rec(e, "tgs", arn));
    assert_null(cpt_read_ok(e, "aws_lb_target_group", s2));

    /* without a health_check block, AWS's defaults do not show up as a change
     * (AWS wants the VPC of an instance target group: ValidationError without) */
    char pcfg[256];
    snprintf(pcfg, sizeof pcfg,
             "{\"name\": \"plain\", \"port\": 80, \"protocol\": \"HTTP\", \"vpc_id\": \"%s\", "
             "\"health_check\": []}",
             v.vpc);
    cp_value *plain = cpt_create_ok(e, "aws_lb_target_group", pcfg);
    assert_int_equal(cp_len(cp_map_get(plain, "health_check")), 0);
    cp_release(s);
    cp_release(rd);
    cp_release(cfg2);
    cp_release(s2);
    cp_release(imp);
    cp_release(plain);
}

/* A name left out of config is made up before the create as core makes
 * every name up (cpstack- and 26 hex digits, 34 characters, as Terraform's
 * provider makes one up too); load balancer and target group names are
 * capped at 32, so that name is cut to 32 for both. */
static void test_made_up_names(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    const char *made_up = "cpstack-0123456789abcdef0123456789"; /* 34 */
    cp_value *tg = make_tg(e, &v, made_up);
    assert_string_equal(cpt_str(tg, "name"), "cpstack-0123456789abcdef01234567");
    json_t *r = rec(e, "tgs", cpt_str(tg, "id"));
    assert_non_null(r);
    assert_string_equal(jstr(r, "TargetGroupName"), "cpstack-0123456789abcdef01234567");
    json_decref(r);
    cp_value *lb = make_lb(e, &v, made_up);
    assert_string_equal(cpt_str(lb, "name"), "cpstack-0123456789abcdef01234567");
    assert_non_null(strstr(cpt_str(lb, "arn_suffix"), "app/cpstack-0123456789abcdef01234567/"));
    cp_release(lb);
    cp_release(tg);
}

/* ---- aws_lb_listener and aws_lb_listener_rule ------------------------------------------------ */

static void test_listener(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *lb = make_lb(e, &v, "web"), *tg = make_tg(e, &v, "web");
    cp_value *cfg = cpt_valf(
        "{\"load_balancer_arn\": \"%s\", \"port\": 80, \"protocol\": \"HTTP\","
        " \"default_action\": [{\"type\": \"fixed-response\", \"fixed_response\": [{"
        "\"content_type\": \"text/plain\", \"message_body\": \"no\", \"status_code\": \"403\"}]}]}",
        cpt_str(lb, "arn"));
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, "aws_lb_listener", cfg, &s, &err) != 0) fail_msg("%s", err);
    const char *arn = cpt_str(s, "id");
    json_t *r = rec(e, "listeners", arn);
    assert_non_null(r);
    json_t *act = json_array_get(json_object_get(r, "DefaultActions"), 0);
    assert_string_equal(jstr(act, "Type"), "fixed-response");
    assert_string_equal(jstr(cpt_path(act, "FixedResponseConfig"), "StatusCode"), "403");
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, "aws_lb_listener", s);
    assert_true(cp_equal(rd, s));

    /* to a redirect to HTTPS, in place */
    cp_value *cfg2 =
        cpt_valf("{\"load_balancer_arn\": \"%s\", \"port\": 80, \"protocol\": \"HTTP\","
                 " \"default_action\": [{\"type\": \"redirect\", \"redirect\": [{\"port\": \"443\","
                 " \"protocol\": \"HTTPS\", \"status_code\": \"HTTP_301\", \"host\": \"#{host}\","
                 " \"path\": \"/#{path}\", \"query\": \"#{query}\"}]}]}",
                 cpt_str(lb, "arn"));
    cp_value *s2 = NULL;
    if (cpt_update(e, "aws_lb_listener", s, cfg2, &s2, &err) != 0) fail_msg("%s", err);
    assert_string_equal(cpt_str(s2, "id"), arn);
    r = rec(e, "listeners", arn);
    act = json_array_get(json_object_get(r, "DefaultActions"), 0);
    assert_string_equal(jstr(cpt_path(act, "RedirectConfig"), "StatusCode"), "HTTP_301");
    json_decref(r);
    cp_release(rd);
    rd = cpt_read_ok(e, "aws_lb_listener", s2);
    assert_true(cp_equal(rd, s2));

    /* HTTPS forward with a certificate (it must exist in ACM) */
    char *cert = cpt_acm_certificate(e, "web.example.com");
    cp_value *cfg3 =
        cpt_valf("{\"load_balancer_arn\": \"%s\", \"port\": 443, \"protocol\": \"HTTPS\","
                 " \"certificate_arn\": \"%s\","
                 " \"ssl_policy\": \"ELBSecurityPolicy-2016-08\","
                 " \"default_action\": [{\"type\": \"forward\", \"target_group_arn\": \"%s\"}]}",
                 cpt_str(lb, "arn"), cert, cpt_str(tg, "arn"));
    cp_value *https = NULL;
    if (cpt_create(e, "aws_lb_listener", cfg3, &https, &err) != 0) fail_msg("%s", err);
    assert_string_equal(cpt_str(https, "certificate_arn"), cert);
    free(cert);
    cp_value *imp = cpt_import_ok(e, "aws_lb_listener", cpt_str(https, "id"));
    cpt_assert_same(imp, https,
                    (const char *const[]){ "id", "load_balancer_arn", "port", "protocol",
                                           "certificate_arn", "ssl_policy", "default_action",
                                           NULL });

    cpt_delete_ok(e, "aws_lb_listener", s2);
    assert_null(rec(e, "listeners", arn));
    assert_null(cpt_read_ok(e, "aws_lb_listener", s2));
    cp_release(lb);
    cp_release(tg);
    cp_release(cfg);
    cp_release(s);
    cp_release(rd);
    cp_release(cfg2);
    cp_release(s2);
    cp_release(cfg3);
    cp_release(https);
    cp_release(imp);
}

static void test_listener_errors(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *lb = make_lb(e, &v, "web");
    cp_value *nocert =
        cpt_valf("{\"load_balancer_arn\": \"%s\", \"port\": 443, \"protocol\": \"HTTPS\","
                 " \"default_action\": [{\"type\": \"fixed-response\", \"fixed_response\": [{"
                 "\"content_type\": \"text/plain\", \"status_code\": \"200\"}]}]}",
                 cpt_str(lb, "arn"));
    cp_value *noarn =
        cpt_valf("{\"load_balancer_arn\": \"%s\", \"port\": 80, \"protocol\": \"HTTP\","
                 " \"default_action\": [{\"type\": \"forward\"}]}",
                 cpt_str(lb, "arn"));
    cp_value *s = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_lb_listener", nocert, &s, &err), -1);
    assert_non_null(strstr(err, "certificate_arn"));
    free(err);
    err = NULL;
    assert_int_equal(cpt_create(e, "aws_lb_listener", noarn, &s, &err), -1);
    assert_non_null(strstr(err, "target_group_arn"));
    free(err);
    assert_null(s);
    cp_release(lb);
    cp_release(nocert);
    cp_release(noarn);
}

static void test_listener_rule(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    cp_value *lb = make_lb(e, &v, "web"), *tg = make_tg(e, &v, "web");
    cp_value *l = NULL, *s = NULL, *s2 = NULL;
    char *err = NULL;
    cp_value *lcfg =
        cpt_valf("{\"load_balancer_arn\": \"%s\", \"port\": 80, \"protocol\": \"HTTP\","
                 " \"default_action\": [{\"type\": \"fixed-response\", \"fixed_response\": [{"
                 "\"content_type\": \"text/plain\", \"status_code\": \"404\"}]}]}",
                 cpt_str(lb, "arn"));
    if (cpt_create(e, "aws_lb_listener", lcfg, &l, &err) != 0) fail_msg("%s", err);
    cp_value *cfg = cpt_valf(
        "{\"listener_arn\": \"%s\", \"priority\": 10,"
        " \"action\": [{\"type\": \"forward\", \"target_group_arn\": \"%s\"}],"
        " \"condition\": [{\"path_pattern\": [{\"values\": [\"/api/*\"]}], \"host_header\": []},"
        " {\"host_header\": [{\"values\": [\"app.example.com\"]}], \"path_pattern\": []}]}",
        cpt_str(l, "arn"), cpt_str(tg, "arn"));
    if (cpt_create(e, "aws_lb_listener_rule", cfg, &s, &err) != 0) fail_msg("%s", err);
    const char *arn = cpt_str(s, "id");
    assert_string_equal(cpt_str(s, "listener_arn"), cpt_str(l, "arn"));
    json_t *r = rec(e, "rules", arn);
    assert_non_null(r);
    assert_string_equal(jstr(r, "Priority"), "10");
    assert_int_equal(json_array_size(json_object_get(r, "Conditions")), 2);
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, "aws_lb_listener_rule", s);
    assert_true(cp_equal(rd, s));

    cp_value *cfg2 = cpt_valf(
        "{\"listener_arn\": \"%s\", \"priority\": 20,"
        " \"action\": [{\"type\": \"forward\", \"target_group_arn\": \"%s\"}],"
        " \"condition\": [{\"path_pattern\": [{\"values\": [\"/v2/*\", \"/v3/*\"]}], \"host_header\": []}]}",
        cpt_str(l, "arn"), cpt_str(tg, "arn"));
    if (cpt_update(e, "aws_lb_listener_rule", s, cfg2, &s2, &err) != 0) fail_msg("%s", err);
    r = rec(e, "rules", arn);
    assert_string_equal(jstr(r, "Priority"), "20");
    assert_int_equal(json_array_size(json_object_get(r, "Conditions")), 1);
    json_decref(r);
    cp_value *imp = cpt_import_ok(e, "aws_lb_listener_rule", arn);
    cpt_assert_same(
        imp, s2,
        (const char *const[]){ "id", "listener_arn", "priority", "action", "condition", NULL });

    cp_value *both = cpt_valf(
        "{\"listener_arn\": \"%s\", \"priority\": 30,"
        " \"action\": [{\"type\": \"forward\", \"target_group_arn\": \"%s\"}],"
        " \"condition\": [{\"path_pattern\": [{\"values\": [\"/x\"]}], \"host_header\": [{\"values\": [\"h\"]}]}]}",
        cpt_str(l, "arn"), cpt_str(tg, "arn"));
    cp_value *bad = NULL;
    char *berr = NULL;
    assert_int_equal(cpt_create(e, "aws_lb_listener_rule", both, &bad, &berr), -1);
    assert_non_null(strstr(berr, "exactly one"));
    free(berr);

    cpt_delete_ok(e, "aws_lb_listener_rule", s2);
    assert_null(rec(e, "rules", arn));
    assert_null(cpt_read_ok(e, "aws_lb_listener_rule", s2));
    cp_release(lb);
    cp_release(tg);
    cp_release(l);
    cp_release(lcfg);
    cp_release(cfg);
    cp_release(s);
    cp_release(rd);
    cp_release(cfg2);
    cp_release(s2);
    cp_release(imp);
    cp_release(both);
    cp_release(bad);
}

/* Refresh of many target groups and load balancers: one Describe naming 20 ARNs, one
 * DescribeTags for 20, the attributes still one call each. A group gone behind cpstack's
 * back makes AWS refuse the named call: the groups are then listed, and the missing one
 * confirmed gone by its own describe. */
static void test_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 8 };
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    const cp_value *states[N], *lstates[2];
    cp_value *made[N], *out[N], *lbs[2], *lout[2];
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "batch-tg-%d", i);
        made[i] = make_tg(e, &v, name);
        states[i] = made[i];
    }
    long calls = cpt_read_batch_ok(e, "aws_lb_target_group", states, N, out);
    if (calls >= 0) assert_int_equal(calls, N + 2); /* Describe, 8 attributes, DescribeTags */
    for (int i = 0; i < N; i++) cp_release(out[i]);
    assert_int_equal(
        cpt_boto(e, "elbv2", "delete_target_group(TargetGroupArn='%s')", cpt_str(made[2], "arn")),
        0);
    assert_int_equal(cpt_boto(e, "elbv2",
                              "add_tags(ResourceArns=['%s'], Tags=[{'Key': 'n', 'Value': 'x'}])",
                              cpt_str(made[5], "arn")),
                     0);
    calls = cpt_read_batch_ok(e, "aws_lb_target_group", states, N, out);
    assert_null(out[2]);
    assert_string_equal(cpt_str(cp_map_get(out[5], "tags"), "n"), "x");
    assert_int_equal((int)cp_number_val(cp_map_get(out[1], "deregistration_delay")), 30);
    /* refused, listed, confirmed, 7 attributes, DescribeTags */
    if (calls >= 0) assert_int_equal(calls, 3 + (N - 1) + 1);
    for (int i = 0; i < N; i++) {
        cp_release(out[i]);
        if (i != 2) cpt_delete_ok(e, "aws_lb_target_group", made[i]);
        cp_release(made[i]);
    }
    lbs[0] = make_lb(e, &v, "batch-lb-0");
    lbs[1] = make_lb(e, &v, "batch-lb-1");
    lstates[0] = lbs[0];
    lstates[1] = lbs[1];
    calls = cpt_read_batch_ok(e, "aws_lb", lstates, 2, lout);
    if (calls >= 0) assert_int_equal(calls, 4); /* Describe, 2 attributes, DescribeTags */
    assert_string_equal(cpt_str(cp_map_get(lout[1], "tags"), "app"), "web");
    /* listeners and rules: Describe and DescribeTags, 2 calls for each kind */
    cp_value *tg = make_tg(e, &v, "batch-tg"), *ls[3], *rules[3], *rout[3];
    const cp_value *rstates[3];
    for (int i = 0; i < 3; i++) {
        char *err = NULL;
        cp_value *cfg = cpt_valf("{\"load_balancer_arn\": \"%s\", \"port\": %d, \"protocol\": "
                                 "\"HTTP\", \"default_action\": [{\"type\": \"forward\", "
                                 "\"target_group_arn\": \"%s\"}]}",
                                 cpt_str(lbs[0], "arn"), 80 + i, cpt_str(tg, "arn"));
        if (cpt_create(e, "aws_lb_listener", cfg, &ls[i], &err) != 0) fail_msg("%s", err);
        cp_release(cfg);
        rstates[i] = ls[i];
    }
    calls = cpt_read_batch_ok(e, "aws_lb_listener", rstates, 3, rout);
    if (calls >= 0) assert_int_equal(calls, 2);
    assert_int_equal((int)cp_number_val(cp_map_get(rout[2], "port")), 82);
    for (int i = 0; i < 3; i++) {
        char *err = NULL;
        cp_release(rout[i]);
        cp_value *cfg = cpt_valf(
            "{\"listener_arn\": \"%s\", \"priority\": %d,"
            " \"action\": [{\"type\": \"forward\", \"target_group_arn\": \"%s\"}],"
            " \"condition\": [{\"path_pattern\": [{\"values\": [\"/r%d/*\"]}], \"host_header\": []}]}",
            cpt_str(ls[0], "arn"), 10 + i, cpt_str(tg, "arn"), i);
        if (cpt_create(e, "aws_lb_listener_rule", cfg, &rules[i], &err) != 0) fail_msg("%s", err);
        cp_release(cfg);
        rstates[i] = rules[i];
    }
    calls = cpt_read_batch_ok(e, "aws_lb_listener_rule", rstates, 3, rout);
    if (calls >= 0) assert_int_equal(calls, 2);
    assert_int_equal((int)cp_number_val(cp_map_get(rout[1], "priority")), 11);
    for (int i = 0; i < 3; i++) {
        cp_release(rout[i]);
        cpt_delete_ok(e, "aws_lb_listener_rule", rules[i]);
        cp_release(rules[i]);
    }
    for (int i = 0; i < 3; i++) {
        cpt_delete_ok(e, "aws_lb_listener", ls[i]);
        cp_release(ls[i]);
    }
    for (int i = 0; i < 2; i++) {
        cp_release(lout[i]);
        cpt_delete_ok(e, "aws_lb", lbs[i]);
        cp_release(lbs[i]);
    }
    cpt_delete_ok(e, "aws_lb_target_group", tg);
    cp_release(tg);
}

static int setup(void **st)
{
    *st = cpt_start();
    return *st ? 0 : -1;
}
static int teardown(void **st)
{
    cpt_stop(*st);
    return 0;
}
static int reset(void **st)
{
    cpt_reset(*st);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_lb_lifecycle, reset),
        cmocka_unit_test_setup(test_lb_gone_and_errors, reset),
        cmocka_unit_test(test_validation),
        cmocka_unit_test_setup(test_target_group, reset),
        cmocka_unit_test_setup(test_made_up_names, reset),
        cmocka_unit_test_setup(test_listener, reset),
        cmocka_unit_test_setup(test_listener_errors, reset),
        cmocka_unit_test_setup(test_listener_rule, reset),
        cmocka_unit_test_setup(test_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
