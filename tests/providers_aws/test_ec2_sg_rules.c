/*
 * test_ec2_sg_rules.c: the security group rule types —
 * aws_vpc_security_group_ingress_rule / _egress_rule (one rule, one peer,
 * id sgr-…) and aws_security_group_rule (the older one, several peers) —
 * against the endpoint: create shows in DescribeSecurityGroupRules, read
 * matches, update in place keeps the rule id, import, a rule revoked
 * behind cpstack's back is gone, an interrupted create is found by its
 * intent tag, a group without inline blocks keeps the rules these add,
 * the batch refresh of legacy rules (one call for many groups), and the
 * plan-time rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "providers/aws/aws_common.h"
#include "providers/aws/ec2_security_group_rule.h"

#define INGRESS "aws_vpc_security_group_ingress_rule"
#define EGRESS  "aws_vpc_security_group_egress_rule"
#define LEGACY  "aws_security_group_rule"

/* A VPC and a group in it with no inline rules (so none is fought over). */
static cp_value *make_group(cpt_env *e, cp_value **vpc, const char *name)
{
    *vpc = cpt_create_ok(e, "aws_vpc", "{\"cidr_block\": \"10.9.0.0/16\"}");
    char cfg[256];
    snprintf(cfg, sizeof cfg, "{\"name\": \"%s\", \"vpc_id\": \"%s\"}", name, cpt_str(*vpc, "id"));
    return cpt_create_ok(e, "aws_security_group", cfg);
}

/* The rule as DescribeSecurityGroupRules shows it (new reference), or NULL. */
static json_t *rule_rec(cpt_env *e, const char *id)
{
    json_t *r = cpt_aws(e, "ec2",
                        "describe_security_group_rules(Filters=[{'Name': "
                        "'security-group-rule-id', 'Values': ['%s']}])",
                        id);
    json_t *rule = json_incref(json_array_get(json_object_get(r, "SecurityGroupRules"), 0));
    json_decref(r);
    return rule;
}

static void assert_read_equal(cpt_env *e, const char *type, const cp_value *s)
{
    cp_value *r = cpt_read_ok(e, type, s);
    assert_non_null(r);
    if (!cp_equal(r, s)) {
        char *a = cp_value_repr(r), *b = cp_value_repr(s);
        fail_msg("%s: read differs from state:\n%s\n%s", type, a, b);
    }
    cp_release(r);
}

static void test_ingress_rule_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc, *sg = make_group(e, &vpc, "web");
    const char *gid = cpt_str(sg, "id");
    char cfg[512];
    snprintf(cfg, sizeof cfg,
             "{\"security_group_id\": \"%s\", \"ip_protocol\": \"tcp\", \"from_port\": 443, "
             "\"to_port\": 443, \"cidr_ipv4\": \"10.0.0.0/8\", \"description\": \"https in\", "
             "\"tags\": {\"Name\": \"https\"}}",
             gid);
    cp_value *s = cpt_create_ok(e, INGRESS, cfg);
    const char *id = cpt_str(s, "id");
    assert_true(!strncmp(id, "sgr-", 4));
    assert_string_equal(cpt_str(s, "security_group_rule_id"), id);
    assert_non_null(strstr(cpt_str(s, "arn"), ":security-group-rule/sgr-"));
    json_t *r = rule_rec(e, id);
    assert_non_null(r);
    assert_false(json_is_true(json_object_get(r, "IsEgress")));
    assert_int_equal(json_integer_value(json_object_get(r, "FromPort")), 443);
    assert_string_equal(json_string_value(json_object_get(r, "CidrIpv4")), "10.0.0.0/8");
    json_t *tags = cpt_tag_map(json_object_get(r, "Tags"));
    assert_string_equal(json_string_value(json_object_get(tags, "Name")), "https");
    json_decref(tags);
    json_decref(r);
    assert_read_equal(e, INGRESS, s);
    cp_value *imp = cpt_import_ok(e, INGRESS, id);
    static const char *const same[] = { "id",      "security_group_id", "ip_protocol", "from_port",
                                        "to_port", "cidr_ipv4",         "description", "tags",
                                        NULL };
    cpt_assert_same(imp, s, same);
    cp_release(imp);
    /* an ingress rule's id is not an egress rule */
    char *err = NULL;
    cp_value *none = NULL;
    assert_int_equal(cpt_import(e, EGRESS, id, &none, &err), -1);
    assert_null(none);
    free(err);

    /* ports, description and tags change in place: the same rule id */
    snprintf(cfg, sizeof cfg,
             "{\"security_group_id\": \"%s\", \"ip_protocol\": \"6\", \"from_port\": 8443, "
             "\"to_port\": 8444, \"cidr_ipv4\": \"10.0.0.0/8\", \"description\": \"alt https\", "
             "\"tags\": {\"Team\": \"web\"}}",
             gid);
    cp_value *s2 = cpt_update_ok(e, INGRESS, s, cfg);
    assert_string_equal(cpt_str(s2, "id"), id);
    assert_string_equal(cpt_str(s2, "ip_protocol"), "6"); /* the configured spelling kept */
    r = rule_rec(e, id);
    assert_int_equal(json_integer_value(json_object_get(r, "FromPort")), 8443);
    assert_int_equal(json_integer_value(json_object_get(r, "ToPort")), 8444);
    assert_string_equal(json_string_value(json_object_get(r, "Description")), "alt https");
    tags = cpt_tag_map(json_object_get(r, "Tags"));
    assert_null(json_object_get(tags, "Name"));
    assert_string_equal(json_string_value(json_object_get(tags, "Team")), "web");
    json_decref(tags);
    json_decref(r);
    assert_read_equal(e, INGRESS, s2);

    /* the group, with no inline blocks, shows the rule and keeps it on update */
    snprintf(cfg, sizeof cfg, "{\"name\": \"web\", \"vpc_id\": \"%s\", \"tags\": {\"a\": \"b\"}}",
             cpt_str(vpc, "id"));
    cp_value *sg2 = cpt_update_ok(e, "aws_security_group", sg, cfg);
    assert_int_equal(cp_len(cp_get_list(sg2, "ingress")), 1);
    r = rule_rec(e, id);
    assert_non_null(r);
    json_decref(r);

    /* revoked behind cpstack's back: gone */
    assert_int_equal(cpt_boto(e, "ec2",
                              "revoke_security_group_ingress(GroupId='%s', "
                              "SecurityGroupRuleIds=['%s'])",
                              gid, id),
                     0);
    assert_null(cpt_read_ok(e, INGRESS, s2));
    cpt_delete_ok(e, INGRESS, s2); /* already gone: fine */
    cpt_delete_ok(e, "aws_security_group", sg2);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_release(s);
    cp_release(s2);
    cp_release(sg);
    cp_release(sg2);
    cp_release(vpc);
}

static void test_egress_rules_and_batch(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc, *sg = make_group(e, &vpc, "app");
    cp_value *peer = NULL;
    char cfg[512];
    snprintf(cfg, sizeof cfg, "{\"name\": \"db\", \"vpc_id\": \"%s\"}", cpt_str(vpc, "id"));
    peer = cpt_create_ok(e, "aws_security_group", cfg);
    const char *gid = cpt_str(sg, "id");
    snprintf(cfg, sizeof cfg,
             "{\"security_group_id\": \"%s\", \"ip_protocol\": \"-1\", "
             "\"cidr_ipv4\": \"0.0.0.0/0\"}",
             gid);
    cp_value *all = cpt_create_ok(e, EGRESS, cfg);
    assert_true(cp_kind_of(cp_map_get(all, "from_port")) == CP_NULL);
    json_t *r = rule_rec(e, cpt_str(all, "id"));
    assert_true(json_is_true(json_object_get(r, "IsEgress")));
    assert_string_equal(json_string_value(json_object_get(r, "IpProtocol")), "-1");
    json_decref(r);
    snprintf(cfg, sizeof cfg,
             "{\"security_group_id\": \"%s\", \"ip_protocol\": \"tcp\", \"from_port\": 5432, "
             "\"to_port\": 5432, \"referenced_security_group_id\": \"%s\"}",
             gid, cpt_str(peer, "id"));
    cp_value *db = cpt_create_ok(e, EGRESS, cfg);
    assert_string_equal(cpt_str(db, "referenced_security_group_id"), cpt_str(peer, "id"));
    snprintf(cfg, sizeof cfg,
             "{\"security_group_id\": \"%s\", \"ip_protocol\": \"tcp\", \"from_port\": 443, "
             "\"to_port\": 443, \"cidr_ipv6\": \"::/0\"}",
             gid);
    cp_value *v6 = cpt_create_ok(e, EGRESS, cfg);
    assert_string_equal(cpt_str(v6, "cidr_ipv6"), "::/0");
    assert_read_equal(e, EGRESS, all);
    assert_read_equal(e, EGRESS, db);

    const cp_value *states[] = { all, db, v6 };
    cp_value *out[3];
    long calls = cpt_read_batch_ok(e, EGRESS, states, 3, out);
    if (calls >= 0) assert_int_equal(calls, 1); /* one DescribeSecurityGroupRules */
    for (size_t i = 0; i < 3; i++) cp_release(out[i]);

    /* the egress type refuses an id of the other direction as gone */
    cpt_delete_ok(e, EGRESS, all);
    assert_null(cpt_read_ok(e, EGRESS, all));
    cpt_delete_ok(e, EGRESS, db);
    cpt_delete_ok(e, EGRESS, v6);
    cpt_delete_ok(e, "aws_security_group", peer);
    cpt_delete_ok(e, "aws_security_group", sg);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_value *vals[] = { all, db, v6, peer, sg, vpc };
    for (size_t i = 0; i < 6; i++) cp_release(vals[i]);
}

/* A create whose answer was lost is found again by the intent tag it sent. */
static void test_rule_found_by_intent(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc, *sg = make_group(e, &vpc, "found");
    char cfg[512];
    snprintf(cfg, sizeof cfg,
             "{\"security_group_id\": \"%s\", \"ip_protocol\": \"udp\", \"from_port\": 53, "
             "\"to_port\": 53, \"cidr_ipv4\": \"10.9.0.0/16\", "
             "\"" CP_INTENT_KEY "\": \"0d9c2f5e-5c1b-4c43-9b7b-3c2b7a1e0f11\"}",
             cpt_str(sg, "id"));
    cp_value *s = cpt_create_ok(e, INGRESS, cfg);
    const cp_resource_type *t = cpt_type(INGRESS);
    cp_value *intent = cpt_val(cfg);
    cp_provider_call c = { .client = cpt_client(e), .address = INGRESS ".test" };
    cp_value *found = NULL;
    assert_int_equal(t->find(&c, intent, &found), 0);
    assert_non_null(found);
    assert_string_equal(cpt_str(found, "id"), cpt_str(s, "id"));
    const cp_value *tags = cp_get_map(found, "tags");
    assert_true(!tags || !cp_map_get(tags, CP_INTENT_KEY)); /* the intent tag never shows */
    cp_release(found);
    cpt_delete_ok(e, INGRESS, s);
    found = NULL;
    assert_int_equal(t->find(&c, intent, &found), 0);
    assert_null(found);
    free(c.error);
    cp_release(intent);
    cp_release(s);
    cpt_delete_ok(e, "aws_security_group", sg);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_release(sg);
    cp_release(vpc);
}

/* AWS's own answer to a rule it refuses reaches the user. */
static void test_rule_refused_by_aws(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc, *sg = make_group(e, &vpc, "dup");
    char cfg[512];
    snprintf(cfg, sizeof cfg,
             "{\"security_group_id\": \"%s\", \"ip_protocol\": \"tcp\", \"from_port\": 22, "
             "\"to_port\": 22, \"cidr_ipv4\": \"10.0.0.0/8\"}",
             cpt_str(sg, "id"));
    cp_value *s = cpt_create_ok(e, INGRESS, cfg), *dup = NULL;
    char *err = NULL;
    cp_value *c1 = cpt_val(cfg);
    assert_int_equal(cpt_create(e, INGRESS, c1, &dup, &err), -1);
    cp_release(c1);
    assert_non_null(strstr(err, "InvalidPermission.Duplicate"));
    free(err);
    err = NULL;
    snprintf(cfg, sizeof cfg,
             "{\"security_group_id\": \"sg-0000000000000000f\", \"ip_protocol\": \"tcp\", "
             "\"from_port\": 22, \"to_port\": 22, \"cidr_ipv4\": \"10.0.0.0/8\"}");
    cp_value *c2 = cpt_val(cfg);
    assert_int_equal(cpt_create(e, INGRESS, c2, &dup, &err), -1);
    cp_release(c2);
    assert_non_null(strstr(err, "InvalidGroup.NotFound"));
    free(err);
    cpt_delete_ok(e, INGRESS, s);
    cpt_delete_ok(e, "aws_security_group", sg);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_release(s);
    cp_release(sg);
    cp_release(vpc);
}

/* A validate_config case: the config and a part of the message (NULL: accepted). */
typedef struct config_case {
    const char *cfg, *want;
} config_case;

static void check_config_cases(const char *type, const config_case *cases, size_t n)
{
    const cp_resource_type *t = cpt_type(type);
    for (size_t i = 0; i < n; i++) {
        cp_value *cfg = cpt_val(cases[i].cfg);
        char *why = t->validate_config(cfg);
        if (!cases[i].want)
            assert_null(why);
        else if (!why || !strstr(why, cases[i].want))
            fail_msg("%s: got %s, want %s", cases[i].cfg, why ? why : "(accepted)", cases[i].want);
        free(why);
        cp_release(cfg);
    }
}

/* The plan-time rules: one peer, ports with the protocol, AWS's input rules. */
static void test_rule_validation(void **st)
{
    (void)st;
    static const config_case cases[] = {
        { "{\"ip_protocol\": \"tcp\", \"from_port\": 1, \"to_port\": 2}", "exactly one of" },
        { "{\"ip_protocol\": \"tcp\", \"from_port\": 1, \"to_port\": 2, \"cidr_ipv4\": "
          "\"0.0.0.0/0\", \"cidr_ipv6\": \"::/0\"}",
          "both set" },
        { "{\"ip_protocol\": \"-1\", \"from_port\": 0, \"cidr_ipv4\": \"0.0.0.0/0\"}",
          "cannot be set with ip_protocol \"-1\"" },
        { "{\"ip_protocol\": \"tcp\", \"cidr_ipv4\": \"0.0.0.0/0\"}", "needs from_port" },
        { "{\"ip_protocol\": \"icmp\", \"from_port\": -1, \"to_port\": -1, \"cidr_ipv4\": "
          "\"0.0.0.0/0\"}",
          NULL },
    };
    check_config_cases(INGRESS, cases, sizeof cases / sizeof cases[0]);
    assert_non_null(cpt_validate(INGRESS, "cidr_ipv6", "\"2001:db8::/129\""));
    assert_null(cpt_validate(INGRESS, "cidr_ipv6", "\"2001:db8::/32\""));
    assert_non_null(cpt_validate(EGRESS, "cidr_ipv4", "\"10.0.0.1/8\""));
    assert_non_null(cpt_validate(EGRESS, "description", "\"caf\\u00e9\""));
    assert_non_null(cpt_validate(EGRESS, "ip_protocol", "\"tcpp\""));
}

/* ---- aws_security_group_rule ---------------------------------------------------------- */

/* The ids Terraform's own tests pin for group sg-12345. */
static void test_legacy_id_as_terraform(void **st)
{
    (void)st;
    static const struct {
        const char *cfg, *id;
    } cases[] = {
        { "{\"type\": \"ingress\", \"protocol\": \"tcp\", \"from_port\": 80, \"to_port\": 8000, "
          "\"cidr_blocks\": [\"10.0.0.0/8\"]}",
          "sgrule-3403497314" },
        { "{\"type\": \"egress\", \"protocol\": \"6\", \"from_port\": 80, \"to_port\": 8000, "
          "\"cidr_blocks\": [\"10.0.0.0/8\"]}",
          "sgrule-1173186295" },
        { "{\"type\": \"egress\", \"protocol\": \"all\", \"from_port\": 0, \"to_port\": 0, "
          "\"cidr_blocks\": [\"10.0.0.0/8\"]}",
          "sgrule-766323498" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cp_value *cfg = cpt_val(cases[i].cfg);
        cp_set_str(cfg, "security_group_id", "sg-12345");
        char *id = ec2_security_group_rule_id(cfg);
        assert_string_equal(id, cases[i].id);
        free(id);
        cp_release(cfg);
    }
}

/* How many of the group's rules AWS has with this description. */
static int rules_described(cpt_env *e, const char *gid, const char *desc)
{
    json_t *r = cpt_aws(e, "ec2",
                        "describe_security_group_rules(Filters=[{'Name': 'group-id', 'Values': "
                        "['%s']}])",
                        gid);
    int n = 0;
    json_t *rule;
    size_t i;
    json_array_foreach(json_object_get(r, "SecurityGroupRules"), i, rule)
    {
        const char *d = json_string_value(json_object_get(rule, "Description"));
        n += d && !strcmp(d, desc);
    }
    json_decref(r);
    return n;
}

static void test_legacy_rule_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc, *sg = make_group(e, &vpc, "legacy");
    const char *gid = cpt_str(sg, "id");
    char cfg[512], imp_id[256];
    snprintf(cfg, sizeof cfg,
             "{\"type\": \"ingress\", \"security_group_id\": \"%s\", \"protocol\": \"tcp\", "
             "\"from_port\": 80, \"to_port\": 8000, \"cidr_blocks\": [\"10.1.0.0/16\", "
             "\"10.2.0.0/16\"], \"self\": false, \"description\": \"web\"}",
             gid);
    cp_value *s = cpt_create_ok(e, LEGACY, cfg);
    assert_true(!strncmp(cpt_str(s, "id"), "sgrule-", 7));
    assert_true(cp_kind_of(cp_map_get(s, "security_group_rule_id")) == CP_NULL); /* 2 peers */
    assert_int_equal(rules_described(e, gid, "web"), 2);
    assert_read_equal(e, LEGACY, s);
    snprintf(imp_id, sizeof imp_id, "%s_ingress_tcp_80_8000_10.1.0.0/16_10.2.0.0/16", gid);
    cp_value *imp = cpt_import_ok(e, LEGACY, imp_id);
    static const char *const same[] = { "id",          "type",        "security_group_id",
                                        "protocol",    "from_port",   "to_port",
                                        "cidr_blocks", "description", NULL };
    cpt_assert_same(imp, s, same);
    cp_release(imp);
    char *err = NULL;
    assert_int_equal(cpt_import(e, LEGACY, "sg-1_sideways_tcp_1_2_10.0.0.0/8", &imp, &err), -1);
    assert_non_null(strstr(err, "SGID_TYPE_PROTOCOL_FROMPORT_TOPORT_SOURCE"));
    free(err);

    /* the description changes in place, on every AWS rule the resource owns */
    snprintf(cfg, sizeof cfg,
             "{\"type\": \"ingress\", \"security_group_id\": \"%s\", \"protocol\": \"tcp\", "
             "\"from_port\": 80, \"to_port\": 8000, \"cidr_blocks\": [\"10.1.0.0/16\", "
             "\"10.2.0.0/16\"], \"self\": false, \"description\": \"web servers\"}",
             gid);
    cp_value *s2 = cpt_update_ok(e, LEGACY, s, cfg);
    assert_string_equal(cpt_str(s2, "id"), cpt_str(s, "id"));
    assert_int_equal(rules_described(e, gid, "web servers"), 2);

    /* one of its AWS rules revoked behind cpstack's back: the resource is gone */
    assert_int_equal(cpt_boto(e, "ec2",
                              "revoke_security_group_ingress(GroupId='%s', IpPermissions=["
                              "{'IpProtocol': 'tcp', 'FromPort': 80, 'ToPort': 8000, "
                              "'IpRanges': [{'CidrIp': '10.2.0.0/16'}]}])",
                              gid),
                     0);
    assert_null(cpt_read_ok(e, LEGACY, s2));

    /* an all-protocol self rule: one peer, so AWS's rule id is shown; found after a crash */
    snprintf(cfg, sizeof cfg,
             "{\"type\": \"egress\", \"security_group_id\": \"%s\", \"protocol\": \"-1\", "
             "\"from_port\": 0, \"to_port\": 0, \"self\": true}",
             gid);
    cp_value *self = cpt_create_ok(e, LEGACY, cfg);
    assert_true(!strncmp(cpt_str(self, "security_group_rule_id"), "sgr-", 4));
    cp_value *intent = cpt_val(cfg), *found = NULL;
    cp_provider_call c = { .client = cpt_client(e), .address = LEGACY ".test" };
    assert_int_equal(cpt_type(LEGACY)->find(&c, intent, &found), 0);
    assert_non_null(found);
    assert_string_equal(cpt_str(found, "id"), cpt_str(self, "id"));
    cp_release(found);
    cpt_delete_ok(e, LEGACY, self);
    assert_null(cpt_read_ok(e, LEGACY, self));
    assert_int_equal(cpt_type(LEGACY)->find(&c, intent, &found), 0);
    assert_null(found);
    free(c.error);
    cp_release(intent);

    /* a security group as the peer, with a description */
    snprintf(cfg, sizeof cfg,
             "{\"type\": \"ingress\", \"security_group_id\": \"%s\", \"protocol\": \"tcp\", "
             "\"from_port\": 5432, \"to_port\": 5432, \"source_security_group_id\": \"%s\", "
             "\"self\": false, \"description\": \"from itself\"}",
             gid, gid);
    cp_value *src = cpt_create_ok(e, LEGACY, cfg);
    assert_true(!strncmp(cpt_str(src, "security_group_rule_id"), "sgr-", 4));
    if (cpt_emulator_only(e, "moto's DescribeSecurityGroupRules drops the description of a rule "
                             "whose peer is a security group"))
        assert_read_equal(e, LEGACY, src);
    cpt_delete_ok(e, LEGACY, src);
    cp_release(src);

    cpt_delete_ok(e, LEGACY, s2); /* the rest of it */
    assert_int_equal(rules_described(e, gid, "web servers"), 0);
    cpt_delete_ok(e, "aws_security_group", sg);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_value *vals[] = { s, s2, self, sg, vpc };
    for (size_t i = 0; i < 5; i++) cp_release(vals[i]);
}

static void test_legacy_validation(void **st)
{
    (void)st;
    static const config_case cases[] = {
        { "{\"type\": \"ingress\", \"protocol\": \"tcp\", \"from_port\": 1, \"to_port\": 2, "
          "\"self\": false}",
          "set one of cidr_blocks" },
        { "{\"type\": \"ingress\", \"protocol\": \"tcp\", \"from_port\": 1, \"to_port\": 2, "
          "\"self\": true, \"cidr_blocks\": [\"10.0.0.0/8\"]}",
          "self = true conflicts with cidr_blocks" },
        { "{\"type\": \"ingress\", \"protocol\": \"tcp\", \"from_port\": 1, \"to_port\": 2, "
          "\"self\": false, \"source_security_group_id\": \"sg-1\", \"ipv6_cidr_blocks\": "
          "[\"::/0\"]}",
          "source_security_group_id conflicts" },
        { "{\"type\": \"ingress\", \"protocol\": \"tcp\", \"from_port\": 1, \"to_port\": 2, "
          "\"self\": true}",
          NULL },
    };
    check_config_cases(LEGACY, cases, sizeof cases / sizeof cases[0]);
    assert_non_null(cpt_validate(LEGACY, "type", "\"sideways\""));
    assert_null(cpt_validate(LEGACY, "type", "\"egress\""));
}

/* Refresh of many legacy rules: one DescribeSecurityGroupRules for all their groups
 * (filter group-id), each rule matched by group, direction, protocol, ports and peers and
 * equal to what read() gives (cpt_read_batch_ok checks it); a rule one peer of which was
 * revoked behind cpstack's back is gone, and so are a rule of a group deleted behind its
 * back and one of a malformed group id. */
static void test_legacy_read_batch(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc, *ga = make_group(e, &vpc, "batch-a"), *gb, *gc;
    char cfg[512];
    snprintf(cfg, sizeof cfg, "{\"name\": \"batch-b\", \"vpc_id\": \"%s\"}", cpt_str(vpc, "id"));
    gb = cpt_create_ok(e, "aws_security_group", cfg);
    snprintf(cfg, sizeof cfg, "{\"name\": \"batch-c\", \"vpc_id\": \"%s\"}", cpt_str(vpc, "id"));
    gc = cpt_create_ok(e, "aws_security_group", cfg);
    const char *a = cpt_str(ga, "id"), *b = cpt_str(gb, "id"), *c = cpt_str(gc, "id");
    enum { N = 6 };
    char rules[N][512];
    snprintf(rules[0], sizeof rules[0],
             "{\"type\": \"ingress\", \"security_group_id\": \"%s\", \"protocol\": \"tcp\", "
             "\"from_port\": 443, \"to_port\": 443, \"cidr_blocks\": [\"10.1.0.0/16\", "
             "\"10.2.0.0/16\"], \"self\": false, \"description\": \"web\"}",
             a);
    snprintf(rules[1], sizeof rules[1],
             "{\"type\": \"egress\", \"security_group_id\": \"%s\", \"protocol\": \"tcp\", "
             "\"from_port\": 5432, \"to_port\": 5432, \"cidr_blocks\": [\"10.3.0.0/16\"], "
             "\"self\": false}",
             a);
    snprintf(rules[2], sizeof rules[2],
             "{\"type\": \"ingress\", \"security_group_id\": \"%s\", \"protocol\": \"tcp\", "
             "\"from_port\": 22, \"to_port\": 22, \"cidr_blocks\": [\"10.9.0.0/16\"], "
             "\"self\": false}",
             a);
    snprintf(rules[3], sizeof rules[3],
             "{\"type\": \"ingress\", \"security_group_id\": \"%s\", \"protocol\": \"tcp\", "
             "\"from_port\": 443, \"to_port\": 443, \"ipv6_cidr_blocks\": [\"::/0\"], "
             "\"cidr_blocks\": [\"10.1.0.0/16\"], \"self\": false, \"description\": \"b\"}",
             b);
    snprintf(rules[4], sizeof rules[4],
             "{\"type\": \"ingress\", \"security_group_id\": \"%s\", \"protocol\": \"tcp\", "
             "\"from_port\": 80, \"to_port\": 80, \"cidr_blocks\": [\"10.5.0.0/16\"], "
             "\"self\": false}",
             c);
    cp_value *made[N], *out[N];
    const cp_value *states[N];
    for (int i = 0; i < N - 1; i++) states[i] = made[i] = cpt_create_ok(e, LEGACY, rules[i]);
    /* a group id that is not one: moto refuses the call (InvalidGroupId.Malformed), so each
     * rule is read alone there; the emulator lists nothing for it */
    states[5] = made[5] = cpt_val("{\"type\": \"ingress\", \"security_group_id\": \"sg-nosuch\", "
                                  "\"protocol\": \"tcp\", \"from_port\": 1, \"to_port\": 1, "
                                  "\"cidr_blocks\": [\"10.0.0.0/8\"], \"self\": false}");
    /* behind cpstack's back: rule 2 revoked, group c deleted with its rule */
    assert_int_equal(cpt_boto(e, "ec2",
                              "revoke_security_group_ingress(GroupId='%s', IpPermissions=["
                              "{'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22, "
                              "'IpRanges': [{'CidrIp': '10.9.0.0/16'}]}])",
                              a),
                     0);
    assert_int_equal(cpt_boto(e, "ec2", "delete_security_group(GroupId='%s')", c), 0);
    long calls = cpt_read_batch_ok(e, LEGACY, states, N, out);
    assert_non_null(out[0]);
    assert_non_null(out[1]);
    assert_null(out[2]);
    assert_non_null(out[3]);
    assert_null(out[4]);
    assert_null(out[5]);
    assert_string_equal(cpt_str(out[0], "description"), "web");
    assert_true(cp_kind_of(cp_map_get(out[0], "security_group_rule_id")) == CP_NULL);
    assert_true(!strncmp(cpt_str(out[1], "security_group_rule_id"), "sgr-", 4));
    assert_string_equal(cpt_str(out[3], "security_group_id"), b);
    if (calls >= 0) assert_int_equal(calls, 1); /* one call for three groups; read() makes 5 */
    for (int i = 0; i < N; i++) {
        cpt_delete_ok(e, LEGACY, made[i]);
        cp_release(out[i]);
        cp_release(made[i]);
    }
    cpt_delete_ok(e, "aws_security_group", gb);
    cpt_delete_ok(e, "aws_security_group", ga);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_value *vals[] = { ga, gb, gc, vpc };
    for (size_t i = 0; i < 4; i++) cp_release(vals[i]);
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
/* No reset between tests: each makes its own VPC and removes what it made
 * (a reset costs moto ~10 s of reloading EC2 on the next call). */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ingress_rule_lifecycle),
        cmocka_unit_test(test_egress_rules_and_batch),
        cmocka_unit_test(test_rule_found_by_intent),
        cmocka_unit_test(test_rule_refused_by_aws),
        cmocka_unit_test(test_rule_validation),
        cmocka_unit_test(test_legacy_id_as_terraform),
        cmocka_unit_test(test_legacy_rule_lifecycle),
        cmocka_unit_test(test_legacy_read_batch),
        cmocka_unit_test(test_legacy_validation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
