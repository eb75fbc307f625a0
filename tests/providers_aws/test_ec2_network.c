/*
 * test_ec2_network.c: the EC2 networking types (aws_vpc, aws_subnet,
 * aws_internet_gateway, aws_route_table, aws_route_table_association,
 * aws_security_group) against the emulator: create shows in the
 * emulator's state, read matches, update in place, import, deletion
 * behind cpstack's back, delete, batch reads and validation messages.
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

/* An EC2 object as Describe* shows it ("vpcs", "subnets" …), or NULL. */
static json_t *ec2_rec(cpt_env *e, const char *table, const char *id)
{
    return cpt_ec2(e, table, id);
}

/* DescribeVpcAttribute's answer for enableDnsHostnames. */
static bool dns_hostnames(cpt_env *e, const char *vpc)
{
    json_t *r = cpt_aws(e, "ec2",
                        "describe_vpc_attribute(VpcId='%s', Attribute='enableDnsHostnames')", vpc);
    bool on = json_is_true(cpt_path(r, "EnableDnsHostnames/Value"));
    json_decref(r);
    return on;
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* read → state equal to s; import by id → the same on `same`. */
static void check_read_import(cpt_env *e, const char *type, const cp_value *s,
                              const char *const *same)
{
    cp_value *r = cpt_read_ok(e, type, s);
    assert_non_null(r);
    if (!cp_equal(r, s)) {
        char *a = cp_value_repr(r), *b = cp_value_repr(s);
        fail_msg("%s: read differs from state:\n%s\n%s", type, a, b);
    }
    cp_release(r);
    cp_value *imp = cpt_import_ok(e, type, cpt_str(s, "id"));
    cpt_assert_same(imp, s, same);
    cp_release(imp);
}

static void assert_gone(cpt_env *e, const char *type, const cp_value *s)
{
    cp_value *r = cpt_read_ok(e, type, s);
    assert_null(r);
}

static cp_value *make_vpc(cpt_env *e, const char *cidr)
{
    char cfg[128];
    snprintf(cfg, sizeof cfg, "{\"cidr_block\": \"%s\"}", cidr);
    return cpt_create_ok(e, "aws_vpc", cfg);
}

/* ---- aws_vpc ----------------------------------------------------------------------- */

static void test_vpc_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_vpc",
                                "{\"cidr_block\": \"10.1.0.0/16\", "
                                "\"enable_dns_hostnames\": true, \"tags\": {\"Name\": \"main\"}}");
    const char *id = cpt_str(s, "id");
    json_t *v = ec2_rec(e, "vpcs", id);
    assert_non_null(v);
    assert_string_equal(jstr(v, "CidrBlock"), "10.1.0.0/16");
    assert_true(dns_hostnames(e, id));
    json_decref(v);
    assert_true(cp_get_bool(s, "enable_dns_support", false));
    assert_true(strncmp(cpt_str(s, "main_route_table_id"), "rtb-", 4) == 0);
    assert_string_equal(cpt_str(s, "main_route_table_id"), cpt_str(s, "default_route_table_id"));
    assert_true(strncmp(cpt_str(s, "default_security_group_id"), "sg-", 3) == 0);
    assert_string_equal(cpt_str(s, "instance_tenancy"), "default");
    assert_non_null(strstr(cpt_str(s, "arn"), ":vpc/vpc-"));
    assert_string_equal(cpt_str(cp_get_map(s, "tags"), "Name"), "main");
    static const char *const same[] = {
        "id", "cidr_block", "arn", "main_route_table_id", "enable_dns_hostnames", "tags", NULL
    };
    check_read_import(e, "aws_vpc", s, same);

    cp_value *s2 = cpt_update_ok(e, "aws_vpc", s,
                                 "{\"cidr_block\": \"10.1.0.0/16\", "
                                 "\"enable_dns_hostnames\": false, \"tags\": {\"env\": \"x\"}}");
    assert_string_equal(cpt_str(s2, "id"), id);
    v = ec2_rec(e, "vpcs", id);
    assert_false(dns_hostnames(e, id));
    assert_int_equal(json_array_size(json_object_get(v, "Tags")), 1);
    assert_string_equal(jstr(json_array_get(json_object_get(v, "Tags"), 0), "Key"), "env");
    json_decref(v);

    cpt_delete_ok(e, "aws_vpc", s2);
    assert_null(ec2_rec(e, "vpcs", id));
    assert_gone(e, "aws_vpc", s2);
    cpt_delete_ok(e, "aws_vpc", s2); /* already gone: fine */
    cp_release(s);
    cp_release(s2);
}

static void test_vpc_deleted_behind_back_and_batch(void **st)
{
    cpt_env *e = *st;
    cp_value *a = make_vpc(e, "10.2.0.0/16"), *b = make_vpc(e, "10.3.0.0/16");
    assert_int_equal(cpt_boto(e, "ec2", "delete_vpc(VpcId='%s')", cpt_str(a, "id")), 0);
    assert_gone(e, "aws_vpc", a);
    const cp_value *states[] = { a, b };
    cp_value *out[2];
    char addr[] = "aws_vpc.batch";
    cp_provider_call c = { .client = cpt_client(e), .address = addr };
    assert_int_equal(cpt_type("aws_vpc")->read_batch(&c, states, 2, out), 0);
    assert_null(out[0]);
    assert_non_null(out[1]);
    assert_string_equal(cpt_str(out[1], "id"), cpt_str(b, "id"));
    cp_release(out[1]);
    cpt_delete_ok(e, "aws_vpc", b);
    cp_release(a);
    cp_release(b);
}

static void test_vpc_bad_cidr_from_aws(void **st)
{
    cpt_env *e = *st;
    cp_value *cfg = cpt_val("{\"cidr_block\": \"10.0.0.0/8\"}"), *s = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_vpc", cfg, &s, &err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "CreateVpc"));
    assert_non_null(strstr(err, "aws_vpc.test"));
    assert_null(strchr(err, '\n'));
    free(err);
    cp_release(cfg);
}

/* ---- aws_subnet ---------------------------------------------------------------------- */

static void test_subnet_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc = make_vpc(e, "10.4.0.0/16");
    const char *vid = cpt_str(vpc, "id");
    char cfg[256];
    snprintf(cfg, sizeof cfg,
             "{\"vpc_id\": \"%s\", \"cidr_block\": \"10.4.1.0/24\", "
             "\"availability_zone\": \"us-east-1b\", \"tags\": {\"tier\": \"public\"}}",
             vid);
    cp_value *s = cpt_create_ok(e, "aws_subnet", cfg);
    const char *id = cpt_str(s, "id");
    json_t *r = ec2_rec(e, "subnets", id);
    assert_string_equal(jstr(r, "VpcId"), vid);
    assert_string_equal(jstr(r, "AvailabilityZone"), "us-east-1b");
    assert_true(json_is_false(json_object_get(r, "MapPublicIpOnLaunch")));
    json_decref(r);
    /* the zone id the endpoint maps us-east-1b to (account-specific on AWS) */
    json_t *az = cpt_aws(e, "ec2", "describe_availability_zones(ZoneNames=['us-east-1b'])");
    assert_string_equal(
        cpt_str(s, "availability_zone_id"),
        json_string_value(
            cpt_path(json_array_get(json_object_get(az, "AvailabilityZones"), 0), "ZoneId")));
    json_decref(az);
    static const char *const same[] = { "id", "vpc_id", "cidr_block", "arn", "availability_zone",
                                        NULL };
    check_read_import(e, "aws_subnet", s, same);

    snprintf(cfg, sizeof cfg,
             "{\"vpc_id\": \"%s\", \"cidr_block\": \"10.4.1.0/24\", "
             "\"availability_zone\": \"us-east-1b\", \"map_public_ip_on_launch\": true}",
             vid);
    cp_value *s2 = cpt_update_ok(e, "aws_subnet", s, cfg);
    r = ec2_rec(e, "subnets", id);
    assert_true(json_is_true(json_object_get(r, "MapPublicIpOnLaunch")));
    assert_int_equal(json_array_size(json_object_get(r, "Tags")), 0);
    json_decref(r);
    assert_true(cp_get_bool(s2, "map_public_ip_on_launch", false));
    assert_true(cp_is_null(cp_map_get(s2, "tags")));

    cpt_delete_ok(e, "aws_subnet", s2);
    assert_null(ec2_rec(e, "subnets", id));
    assert_gone(e, "aws_subnet", s2);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_release(s);
    cp_release(s2);
    cp_release(vpc);
}

/* ---- aws_internet_gateway ------------------------------------------------------------- */

static void test_igw_attach_move_detach(void **st)
{
    cpt_env *e = *st;
    cp_value *v1 = make_vpc(e, "10.5.0.0/16"), *v2 = make_vpc(e, "10.6.0.0/16");
    char cfg[256];
    snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\", \"tags\": {\"a\": \"1\"}}", cpt_str(v1, "id"));
    cp_value *s = cpt_create_ok(e, "aws_internet_gateway", cfg);
    const char *id = cpt_str(s, "id");
    json_t *r = ec2_rec(e, "igws", id);
    assert_string_equal(jstr(json_array_get(json_object_get(r, "Attachments"), 0), "VpcId"),
                        cpt_str(v1, "id"));
    json_decref(r);
    static const char *const same[] = { "id", "vpc_id", "arn", "tags", NULL };
    check_read_import(e, "aws_internet_gateway", s, same);

    snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\", \"tags\": {\"a\": \"1\"}}", cpt_str(v2, "id"));
    cp_value *s2 = cpt_update_ok(e, "aws_internet_gateway", s, cfg);
    assert_string_equal(cpt_str(s2, "id"), id);
    r = ec2_rec(e, "igws", id);
    assert_string_equal(jstr(json_array_get(json_object_get(r, "Attachments"), 0), "VpcId"),
                        cpt_str(v2, "id"));
    json_decref(r);

    cpt_delete_ok(e, "aws_internet_gateway", s2); /* detaches first */
    assert_null(ec2_rec(e, "igws", id));
    assert_gone(e, "aws_internet_gateway", s2);
    cpt_delete_ok(e, "aws_vpc", v1);
    cpt_delete_ok(e, "aws_vpc", v2);
    cp_release(s);
    cp_release(s2);
    cp_release(v1);
    cp_release(v2);
}

/* ---- aws_route_table + aws_route_table_association ---------------------------------------- */

static void test_route_table_routes_and_association(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc = make_vpc(e, "10.7.0.0/16");
    const char *vid = cpt_str(vpc, "id");
    char cfg[512];
    snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\"}", vid);
    cp_value *igw = cpt_create_ok(e, "aws_internet_gateway", cfg);
    snprintf(cfg, sizeof cfg,
             "{\"vpc_id\": \"%s\", \"route\": [{\"cidr_block\": \"0.0.0.0/0\", "
             "\"gateway_id\": \"%s\", \"nat_gateway_id\": null}], \"tags\": {\"Name\": \"pub\"}}",
             vid, cpt_str(igw, "id"));
    cp_value *rt = cpt_create_ok(e, "aws_route_table", cfg);
    const char *id = cpt_str(rt, "id");
    json_t *r = ec2_rec(e, "route_tables", id);
    assert_int_equal(json_array_size(json_object_get(r, "Routes")), 2); /* local + ours */
    json_decref(r);
    assert_int_equal(cp_len(cp_get_list(rt, "route")), 1);
    static const char *const same[] = { "id", "vpc_id", "route", "tags", NULL };
    check_read_import(e, "aws_route_table", rt, same);

    snprintf(cfg, sizeof cfg,
             "{\"vpc_id\": \"%s\", \"route\": [{\"cidr_block\": \"192.168.0.0/16\", "
             "\"gateway_id\": \"%s\", \"nat_gateway_id\": null}]}",
             vid, cpt_str(igw, "id"));
    cp_value *rt2 = cpt_update_ok(e, "aws_route_table", rt, cfg);
    r = ec2_rec(e, "route_tables", id);
    json_t *routes = json_object_get(r, "Routes");
    assert_int_equal(json_array_size(routes), 2);
    assert_string_equal(jstr(json_array_get(routes, 1), "DestinationCidrBlock"), "192.168.0.0/16");
    json_decref(r);

    snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\", \"cidr_block\": \"10.7.1.0/24\"}", vid);
    cp_value *sub = cpt_create_ok(e, "aws_subnet", cfg);
    snprintf(cfg, sizeof cfg, "{\"subnet_id\": \"%s\", \"route_table_id\": \"%s\"}",
             cpt_str(sub, "id"), id);
    cp_value *as = cpt_create_ok(e, "aws_route_table_association", cfg);
    assert_true(strncmp(cpt_str(as, "id"), "rtbassoc-", 9) == 0);
    cp_value *back = cpt_read_ok(e, "aws_route_table_association", as);
    assert_true(cp_equal(back, as));
    cp_release(back);
    char imp[128];
    snprintf(imp, sizeof imp, "%s/%s", cpt_str(sub, "id"), id);
    cp_value *ia = cpt_import_ok(e, "aws_route_table_association", imp);
    assert_true(cp_equal(ia, as));
    cp_release(ia);

    cpt_delete_ok(e, "aws_route_table_association", as);
    assert_gone(e, "aws_route_table_association", as);
    cpt_delete_ok(e, "aws_route_table", rt2);
    assert_null(ec2_rec(e, "route_tables", id));
    assert_gone(e, "aws_route_table", rt2);
    cpt_delete_ok(e, "aws_subnet", sub);
    cpt_delete_ok(e, "aws_internet_gateway", igw);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_value *all[] = { vpc, igw, rt, rt2, sub, as };
    for (size_t i = 0; i < 6; i++) cp_release(all[i]);
}

/* Three subnets on two route tables, one association removed behind cpstack's back: one
 * DescribeRouteTables call (filtered by association id) refreshes them all. */
static void test_route_table_association_batch(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc = make_vpc(e, "10.8.0.0/16");
    const char *vid = cpt_str(vpc, "id");
    char cfg[256];
    snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\"}", vid);
    cp_value *rt[2] = { cpt_create_ok(e, "aws_route_table", cfg),
                        cpt_create_ok(e, "aws_route_table", cfg) };
    enum { N = 3 };
    cp_value *sub[N], *as[N], *out[N];
    for (int i = 0; i < N; i++) {
        snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\", \"cidr_block\": \"10.8.%d.0/24\"}", vid, i);
        sub[i] = cpt_create_ok(e, "aws_subnet", cfg);
        snprintf(cfg, sizeof cfg, "{\"subnet_id\": \"%s\", \"route_table_id\": \"%s\"}",
                 cpt_str(sub[i], "id"), cpt_str(rt[i == 2], "id"));
        as[i] = cpt_create_ok(e, "aws_route_table_association", cfg);
    }
    assert_int_equal(
        cpt_boto(e, "ec2", "disassociate_route_table(AssociationId='%s')", cpt_str(as[1], "id")),
        0);
    long calls =
        cpt_read_batch_ok(e, "aws_route_table_association", (const cp_value *const *)as, N, out);
    assert_null(out[1]);
    for (int i = 0; i < N; i += 2) {
        assert_true(cp_equal(out[i], as[i]));
        assert_string_equal(cpt_str(out[i], "route_table_id"), cpt_str(rt[i == 2], "id"));
    }
    if (calls >= 0) assert_int_equal(calls, 1);
    for (int i = 0; i < N; i++) {
        if (i != 1) cpt_delete_ok(e, "aws_route_table_association", as[i]);
        cpt_delete_ok(e, "aws_subnet", sub[i]);
        cp_release(out[i]);
        cp_release(as[i]);
        cp_release(sub[i]);
    }
    for (int i = 0; i < 2; i++) {
        cpt_delete_ok(e, "aws_route_table", rt[i]);
        cp_release(rt[i]);
    }
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_release(vpc);
}

/* ---- aws_security_group ------------------------------------------------------------------ */

static const char *sg_cfg(char *buf, size_t n, const char *vpc, const char *ingress,
                          const char *egress)
{
    snprintf(buf, n,
             "{\"name\": \"web\", \"description\": \"web servers\", \"vpc_id\": \"%s\", "
             "\"ingress\": [%s], \"egress\": [%s], \"tags\": {\"app\": \"web\"}}",
             vpc, ingress, egress);
    return buf;
}

static size_t rule_count(cpt_env *e, const char *id, bool egress)
{
    json_t *g = cpt_aws(e, "ec2",
                        "describe_security_group_rules(Filters=[{'Name': 'group-id', "
                        "'Values': ['%s']}])",
                        id);
    size_t n = 0, i;
    json_t *r;
    json_array_foreach(json_object_get(g, "SecurityGroupRules"), i, r) n +=
        json_is_true(json_object_get(r, "IsEgress")) == egress;
    json_decref(g);
    return n;
}

#define SSH                                                                                        \
    "{\"protocol\": \"tcp\", \"from_port\": 22, \"to_port\": 22, \"cidr_blocks\": [\"0.0.0.0/0\"]}"
#define WEB                                                                                        \
    "{\"protocol\": \"tcp\", \"from_port\": 80, \"to_port\": 80, \"cidr_blocks\": "                \
    "[\"10.0.0.0/8\", \"192.168.0.0/16\"], \"description\": \"http\"}"
#define ALL                                                                                        \
    "{\"protocol\": \"-1\", \"from_port\": 0, \"to_port\": 0, \"cidr_blocks\": [\"0.0.0.0/0\"]}"
#define SELF "{\"protocol\": \"all\", \"from_port\": 0, \"to_port\": 0, \"self\": true}"

static void test_security_group_rules(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc = make_vpc(e, "10.8.0.0/16");
    char cfg[1024];
    cp_value *s = cpt_create_ok(e, "aws_security_group",
                                sg_cfg(cfg, sizeof cfg, cpt_str(vpc, "id"), SSH "," WEB, ""));
    const char *id = cpt_str(s, "id");
    assert_int_equal(rule_count(e, id, false), 3); /* ssh + two http ranges */
    assert_int_equal(rule_count(e, id, true), 0);  /* default allow-all egress revoked */
    json_t *g = ec2_rec(e, "security_groups", id);
    assert_string_equal(jstr(g, "GroupName"), "web");
    assert_string_equal(jstr(g, "Description"), "web servers");
    json_decref(g);
    assert_int_equal(cp_len(cp_get_list(s, "ingress")), 2);
    static const char *const same[] = { "id", "name", "vpc_id", "description", "tags", NULL };
    check_read_import(e, "aws_security_group", s, same);

    /* drop ssh, keep web, add all-out egress and a self rule written as "all" */
    cp_value *s2 = cpt_update_ok(e, "aws_security_group", s,
                                 sg_cfg(cfg, sizeof cfg, cpt_str(vpc, "id"), WEB "," SELF, ALL));
    assert_int_equal(rule_count(e, id, false), 3);
    assert_int_equal(rule_count(e, id, true), 1);
    cp_value *r = cpt_read_ok(e, "aws_security_group", s2);
    assert_true(cp_equal(r, s2)); /* "all" kept as written: no change on refresh */
    bool saw_all = false;
    for (size_t i = 0; i < cp_len(cp_get_list(r, "ingress")); i++)
        saw_all |= !strcmp(cpt_str(cp_list_get(cp_get_list(r, "ingress"), i), "protocol"), "all");
    assert_true(saw_all);
    cp_release(r);

    cpt_delete_ok(e, "aws_security_group", s2);
    assert_null(ec2_rec(e, "security_groups", id));
    assert_gone(e, "aws_security_group", s2);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_release(s);
    cp_release(s2);
    cp_release(vpc);
}

static void test_security_group_name_prefix_and_gone(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_security_group", "{\"name_prefix\": \"jobs-\"}");
    assert_true(strncmp(cpt_str(s, "name"), "jobs-", 5) == 0);
    assert_int_equal(strlen(cpt_str(s, "name")), 5 + 26);
    assert_true(strncmp(cpt_str(s, "vpc_id"), "vpc-", 4) == 0); /* the default VPC */
    assert_int_equal(cpt_boto(e, "ec2", "delete_security_group(GroupId='%s')", cpt_str(s, "id")),
                     0);
    assert_gone(e, "aws_security_group", s);
    cp_release(s);
}

/* ---- validation -------------------------------------------------------------------------- */

static void test_validation_messages(void **st)
{
    (void)st;
    assert_null(cpt_validate("aws_vpc", "cidr_block", "\"10.0.0.0/16\""));
    assert_non_null(strstr(cpt_validate("aws_vpc", "cidr_block", "\"10.0.0.0\""), "a.b.c.d/n"));
    assert_non_null(strstr(cpt_validate("aws_subnet", "cidr_block", "\"10.0.300.0/24\""), "IPv4"));
    assert_non_null(
        strstr(cpt_validate("aws_subnet", "cidr_block", "\"10.0.1.5/24\""), "network address"));
    assert_non_null(strstr(cpt_validate("aws_vpc", "cidr_block", "\"10.0.0.0/33\""), "0 to 32"));
    assert_non_null(strstr(cpt_validate("aws_vpc", "instance_tenancy", "\"shared\""), "dedicated"));
    const cp_schema_attr *in = NULL;
    for (const cp_schema_attr *a = cpt_type("aws_security_group")->attrs; a->name; a++)
        if (!strcmp(a->name, "ingress")) in = a->block;
    assert_non_null(in);
    cp_value *v = cpt_val("\"tcpp\"");
    assert_non_null(strstr(in[0].validate(v), "tcp, udp, icmp"));
    cp_release(v);
    v = cpt_val("\"6\"");
    assert_null(in[0].validate(v));
    cp_release(v);
    v = cpt_val("70000");
    assert_non_null(strstr(in[1].validate(v), "0 to 65535"));
    cp_release(v);
    v = cpt_val("443");
    assert_null(in[2].validate(v));
    cp_release(v);
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
        cmocka_unit_test_setup(test_vpc_lifecycle, reset),
        cmocka_unit_test_setup(test_vpc_deleted_behind_back_and_batch, reset),
        cmocka_unit_test_setup(test_vpc_bad_cidr_from_aws, reset),
        cmocka_unit_test_setup(test_subnet_lifecycle, reset),
        cmocka_unit_test_setup(test_igw_attach_move_detach, reset),
        cmocka_unit_test_setup(test_route_table_routes_and_association, reset),
        cmocka_unit_test_setup(test_route_table_association_batch, reset),
        cmocka_unit_test_setup(test_security_group_rules, reset),
        cmocka_unit_test_setup(test_security_group_name_prefix_and_gone, reset),
        cmocka_unit_test(test_validation_messages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
