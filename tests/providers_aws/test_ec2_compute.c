/*
 * test_ec2_compute.c: aws_instance, aws_key_pair, aws_eip and
 * aws_nat_gateway against the emulator: the lifecycle of each, the batch
 * refresh of 50 instances in one DescribeInstances call, and the retry
 * while a just-created instance profile is not yet visible to EC2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "providers/aws/aws_common.h"

#define AMI "ami-0a1b2c3d4e5f60004"
#define PUBKEY                                                                                     \
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh0ZXN0a2V5dGVzdGtleXRlc3RrZXl0ZXN0a2V5 me@host"

static json_t *ec2_rec(cpt_env *e, const char *table, const char *id)
{
    json_t *dump = cpt_dump(e, "ec2");
    char path[256];
    snprintf(path, sizeof path, "ec2/us-east-1/%s/%s", table, id);
    json_t *j = json_incref(cpt_path(dump, path));
    json_decref(dump);
    return j;
}

static const char *jstr(json_t *o, const char *path)
{
    return json_string_value(cpt_path(o, path));
}

/* How many calls of "ec2:Op" the emulator counted since the last reset. */
static long calls_of(cpt_env *e, const char *op)
{
    json_t *c = cpt_admin(e, "GET", "calls", NULL);
    long n = (long)json_integer_value(json_object_get(json_object_get(c, "calls"), op));
    json_decref(c);
    return n;
}

static long errors_of(cpt_env *e, const char *op, const char *code)
{
    json_t *c = cpt_admin(e, "GET", "calls", NULL);
    char path[256];
    snprintf(path, sizeof path, "errors/%s/%s", op, code);
    long n = (long)json_integer_value(cpt_path(c, path));
    json_decref(c);
    return n;
}

static void reset_calls(cpt_env *e) { json_decref(cpt_admin(e, "DELETE", "calls", NULL)); }

/* ---- aws_instance ------------------------------------------------------------------------ */

static void test_instance_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *vpc = cpt_create_ok(e, "aws_vpc", "{\"cidr_block\": \"10.20.0.0/16\"}");
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"vpc_id\": \"%s\", \"cidr_block\": \"10.20.1.0/24\", "
             "\"map_public_ip_on_launch\": true}",
             cpt_str(vpc, "id"));
    cp_value *sub = cpt_create_ok(e, "aws_subnet", cfg);
    snprintf(cfg, sizeof cfg, "{\"name\": \"home\", \"vpc_id\": \"%s\"}", cpt_str(vpc, "id"));
    cp_value *sg = cpt_create_ok(e, "aws_security_group", cfg);
    cp_value *key = cpt_create_ok(e, "aws_key_pair",
                                  "{\"key_name\": \"home\", \"public_key\": \"" PUBKEY "\"}");

    snprintf(cfg, sizeof cfg,
             "{\"ami\": \"" AMI "\", \"instance_type\": \"t3.nano\", \"subnet_id\": \"%s\", "
             "\"vpc_security_group_ids\": [\"%s\"], \"key_name\": \"home\", \"monitoring\": true, "
             "\"user_data\": \"#!/bin/sh\\necho hi\\n\", \"tags\": {\"Name\": \"home\"}}",
             cpt_str(sub, "id"), cpt_str(sg, "id"));
    cp_value *s = cpt_create_ok(e, "aws_instance", cfg);
    const char *id = cpt_str(s, "id");
    assert_string_equal(cpt_str(s, "instance_state"), "running");
    assert_true(cpt_str(s, "public_ip")[0] != '\0');
    assert_true(cpt_str(s, "private_ip")[0] != '\0');
    assert_non_null(strstr(cpt_str(s, "arn"), ":instance/i-"));
    assert_true(cp_get_bool(s, "associate_public_ip_address", false));
    assert_string_equal(cpt_str(s, "user_data"), "#!/bin/sh\necho hi\n");
    json_t *r = ec2_rec(e, "instances", id);
    assert_string_equal(jstr(r, "InstanceType"), "t3.nano");
    assert_string_equal(jstr(r, "Monitoring/State"), "enabled");
    assert_string_equal(jstr(r, "KeyName"), "home");
    assert_string_equal(jstr(r, "_user_data"), "IyEvYmluL3NoCmVjaG8gaGkK");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(r, "SecurityGroups"), 0), "GroupId")),
                        cpt_str(sg, "id"));
    assert_true(strlen(jstr(r, "ClientToken")) == 36);
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, "aws_instance", s);
    assert_true(cp_equal(rd, s));
    cp_release(rd);

    snprintf(cfg, sizeof cfg,
             "{\"ami\": \"" AMI "\", \"instance_type\": \"t3.small\", \"subnet_id\": \"%s\", "
             "\"vpc_security_group_ids\": [\"%s\"], \"key_name\": \"home\", \"monitoring\": false, "
             "\"user_data\": \"#!/bin/sh\\necho hi\\n\", \"tags\": {\"Name\": \"home2\"}}",
             cpt_str(sub, "id"), cpt_str(sg, "id"));
    cp_value *s2 = cpt_update_ok(e, "aws_instance", s, cfg);
    assert_string_equal(cpt_str(s2, "id"), id);
    assert_string_equal(cpt_str(s2, "instance_state"), "running");
    r = ec2_rec(e, "instances", id);
    assert_string_equal(jstr(r, "InstanceType"), "t3.small");
    assert_string_equal(jstr(r, "Monitoring/State"), "disabled");
    assert_string_equal(jstr(r, "State/Name"), "running");
    json_decref(r);
    assert_true(calls_of(e, "ec2:StopInstances") == 1 && calls_of(e, "ec2:StartInstances") == 1);

    cp_value *imp = cpt_import_ok(e, "aws_instance", id);
    static const char *const same[] = { "id",         "ami",      "instance_type",
                                        "subnet_id",  "key_name", "vpc_security_group_ids",
                                        "monitoring", "tags",     "arn",
                                        NULL };
    cpt_assert_same(imp, s2, same);
    cp_release(imp);

    cpt_delete_ok(e, "aws_instance", s2);
    r = ec2_rec(e, "instances", id);
    assert_string_equal(jstr(r, "State/Name"), "terminated");
    json_decref(r);
    assert_null(cpt_read_ok(e, "aws_instance", s2));
    cpt_delete_ok(e, "aws_instance", s2); /* terminated already: fine */

    cpt_delete_ok(e, "aws_key_pair", key);
    cpt_delete_ok(e, "aws_security_group", sg);
    cpt_delete_ok(e, "aws_subnet", sub);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_value *all[] = { vpc, sub, sg, key, s, s2 };
    for (size_t i = 0; i < 6; i++) cp_release(all[i]);
}

static void test_instance_bad_type_fails_at_once(void **st)
{
    cpt_env *e = *st;
    reset_calls(e);
    cp_value *cfg = cpt_val("{\"ami\": \"" AMI "\", \"instance_type\": \"t9.huge\"}"), *s = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_instance", cfg, &s, &err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "RunInstances: InvalidParameterValue"));
    assert_non_null(strstr(err, "t9.huge"));
    assert_null(strchr(err, '\n'));
    assert_int_equal(calls_of(e, "ec2:RunInstances"), 1); /* not retried */
    free(err);
    cp_release(cfg);
}

/* Made by a separate boto3 process: it appears some 0.5 s later, after
 * RunInstances has already failed at least once. */
static void *make_profile_later(void *ud)
{
    cpt_boto(ud, "iam", "create_instance_profile(InstanceProfileName='late')");
    return NULL;
}

static void test_instance_profile_not_yet_visible_is_retried(void **st)
{
    cpt_env *e = *st;
    reset_calls(e);
    setenv("CPSTACK_WAIT_SCALE", "0.1", 1); /* a 12 s bound: room for python to start */
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, make_profile_later, e), 0);
    cp_value *s = cpt_create_ok(e, "aws_instance",
                                "{\"ami\": \"" AMI "\", \"instance_type\": "
                                "\"t3.nano\", \"iam_instance_profile\": \"late\"}");
    pthread_join(t, NULL);
    setenv("CPSTACK_WAIT_SCALE", "0.01", 1);
    assert_string_equal(cpt_str(s, "iam_instance_profile"), "late");
    assert_true(errors_of(e, "ec2:RunInstances", "InvalidParameterValue") >= 1);
    json_t *r = ec2_rec(e, "instances", cpt_str(s, "id"));
    assert_non_null(strstr(jstr(r, "IamInstanceProfile/Arn"), "instance-profile/late"));
    json_decref(r);
    json_t *dump = cpt_dump(e, "ec2");
    assert_int_equal(json_object_size(cpt_path(dump, "ec2/us-east-1/instances")),
                     1); /* one launch */
    json_decref(dump);
    cpt_delete_ok(e, "aws_instance", s);
    cp_release(s);
}

static void test_instance_read_batch_one_call(void **st)
{
    cpt_env *e = *st;
    assert_int_equal(cpt_boto(e, "ec2",
                              "run_instances(ImageId='" AMI "', InstanceType='t3.nano', "
                              "MinCount=50, MaxCount=50)"),
                     0);
    json_t *dump = cpt_dump(e, "ec2");
    json_t *insts = cpt_path(dump, "ec2/us-east-1/instances");
    assert_int_equal(json_object_size(insts), 50);
    const cp_value *states[51];
    cp_value *owned[51], *out[51];
    const char *id;
    json_t *rec;
    size_t n = 0;
    json_object_foreach(insts, id, rec)
    {
        owned[n] = cpt_valf("{\"id\": \"%s\", \"tags\": null}", id);
        states[n] = owned[n];
        n++;
    }
    owned[n] = cpt_val("{\"id\": \"i-0000000000000dead\"}"); /* never existed */
    states[n] = owned[n];
    n++;
    reset_calls(e);
    char addr[] = "aws_instance.batch";
    cp_provider_call c = { .client = cpt_client(e), .address = addr };
    assert_int_equal(cpt_type("aws_instance")->read_batch(&c, states, n, out), 0);
    assert_int_equal(calls_of(e, "ec2:DescribeInstances"), 1);
    json_t *calls = cpt_admin(e, "GET", "calls", NULL);
    assert_int_equal(json_integer_value(json_object_get(calls, "total")), 1);
    json_decref(calls);
    for (size_t i = 0; i < 50; i++) {
        assert_non_null(out[i]);
        assert_string_equal(cpt_str(out[i], "id"), cpt_str(states[i], "id"));
        assert_string_equal(cpt_str(out[i], "instance_type"), "t3.nano");
        cp_release(out[i]);
    }
    assert_null(out[50]);
    for (size_t i = 0; i < n; i++) cp_release(owned[i]);
    json_decref(dump);
}

/* ---- aws_key_pair -------------------------------------------------------------------------- */

static void test_key_pair(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_key_pair",
                                "{\"key_name\": \"ops\", \"public_key\": \"" PUBKEY
                                "\", \"tags\": {\"a\": \"1\"}}");
    assert_string_equal(cpt_str(s, "id"), "ops");
    assert_true(strncmp(cpt_str(s, "key_pair_id"), "key-", 4) == 0);
    assert_true(strlen(cpt_str(s, "fingerprint")) > 20);
    assert_string_equal(cpt_str(s, "public_key"), PUBKEY);
    json_t *r = ec2_rec(e, "key_pairs", cpt_str(s, "key_pair_id"));
    assert_string_equal(jstr(r, "KeyName"), "ops");
    assert_string_equal(jstr(r, "PublicKey"), PUBKEY);
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, "aws_key_pair", s);
    assert_true(cp_equal(rd, s));
    cp_release(rd);
    cp_value *s2 = cpt_update_ok(e, "aws_key_pair", s,
                                 "{\"key_name\": \"ops\", \"public_key\": \"" PUBKEY
                                 "\", \"tags\": {\"b\": \"2\"}}");
    r = ec2_rec(e, "key_pairs", cpt_str(s, "key_pair_id"));
    assert_string_equal(jstr(json_array_get(json_object_get(r, "Tags"), 0), "Key"), "b");
    json_decref(r);
    cp_value *imp = cpt_import_ok(e, "aws_key_pair", "ops");
    static const char *const same[] = {
        "id", "key_name", "fingerprint", "key_pair_id", "tags", NULL
    };
    cpt_assert_same(imp, s2, same);
    cp_release(imp);
    cpt_delete_ok(e, "aws_key_pair", s2);
    assert_null(cpt_read_ok(e, "aws_key_pair", s2));
    assert_non_null(
        strstr(cpt_validate("aws_key_pair", "public_key", "\"-----BEGIN\""), "OpenSSH"));
    cp_release(s);
    cp_release(s2);
}

/* ---- aws_eip
 * ------------------------------------------------------------------------------------- */

static void test_eip_moves_between_instances(void **st)
{
    cpt_env *e = *st;
    const char *inst_cfg = "{\"ami\": \"" AMI "\", \"instance_type\": \"t3.nano\"}";
    cp_value *a = cpt_create_ok(e, "aws_instance", inst_cfg),
             *b = cpt_create_ok(e, "aws_instance", inst_cfg);
    char cfg[256];
    snprintf(cfg, sizeof cfg, "{\"domain\": \"vpc\", \"instance\": \"%s\"}", cpt_str(a, "id"));
    cp_value *s = cpt_create_ok(e, "aws_eip", cfg);
    const char *id = cpt_str(s, "id");
    assert_string_equal(cpt_str(s, "allocation_id"), id);
    json_t *r = ec2_rec(e, "addresses", id);
    assert_string_equal(jstr(r, "InstanceId"), cpt_str(a, "id"));
    assert_string_equal(jstr(r, "PublicIp"), cpt_str(s, "public_ip"));
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, "aws_eip", s);
    assert_true(cp_equal(rd, s));
    cp_release(rd);
    snprintf(cfg, sizeof cfg,
             "{\"domain\": \"vpc\", \"instance\": \"%s\", \"tags\": {\"x\": \"y\"}}",
             cpt_str(b, "id"));
    cp_value *s2 = cpt_update_ok(e, "aws_eip", s, cfg);
    r = ec2_rec(e, "addresses", id);
    assert_string_equal(jstr(r, "InstanceId"), cpt_str(b, "id"));
    json_decref(r);
    cp_value *imp = cpt_import_ok(e, "aws_eip", id);
    static const char *const same[] = { "id", "public_ip", "instance", "tags", NULL };
    cpt_assert_same(imp, s2, same);
    cp_release(imp);
    cpt_delete_ok(e, "aws_eip", s2);
    assert_null(ec2_rec(e, "addresses", id));
    assert_null(cpt_read_ok(e, "aws_eip", s2));
    cpt_delete_ok(e, "aws_instance", a);
    cpt_delete_ok(e, "aws_instance", b);
    cp_value *all[] = { a, b, s, s2 };
    for (size_t i = 0; i < 4; i++) cp_release(all[i]);
}

/* ---- aws_nat_gateway --------------------------------------------------------------------------
 */

static void test_nat_gateway_waits(void **st)
{
    cpt_env *e = *st;
    json_decref(cpt_admin(e, "POST", "settings", "{\"pending_polls\": 3}"));
    cp_value *vpc = cpt_create_ok(e, "aws_vpc", "{\"cidr_block\": \"10.30.0.0/16\"}");
    char cfg[256];
    snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\", \"cidr_block\": \"10.30.0.0/24\"}",
             cpt_str(vpc, "id"));
    cp_value *sub = cpt_create_ok(e, "aws_subnet", cfg);
    cp_value *eip = cpt_create_ok(e, "aws_eip", "{\"domain\": \"vpc\"}");
    snprintf(cfg, sizeof cfg, "{\"allocation_id\": \"%s\", \"subnet_id\": \"%s\"}",
             cpt_str(eip, "id"), cpt_str(sub, "id"));
    cp_value *s = cpt_create_ok(e, "aws_nat_gateway", cfg);
    const char *id = cpt_str(s, "id");
    assert_string_equal(cpt_str(s, "state"), "available");
    assert_string_equal(cpt_str(s, "public_ip"), cpt_str(eip, "public_ip"));
    cp_value *rd = cpt_read_ok(e, "aws_nat_gateway", s);
    assert_true(cp_equal(rd, s));
    cp_release(rd);
    snprintf(cfg, sizeof cfg,
             "{\"allocation_id\": \"%s\", \"subnet_id\": \"%s\", \"tags\": {\"n\": \"1\"}}",
             cpt_str(eip, "id"), cpt_str(sub, "id"));
    cp_value *s2 = cpt_update_ok(e, "aws_nat_gateway", s, cfg);
    json_t *r = ec2_rec(e, "nat_gateways", id);
    assert_string_equal(jstr(json_array_get(json_object_get(r, "Tags"), 0), "Value"), "1");
    json_decref(r);
    cp_value *imp = cpt_import_ok(e, "aws_nat_gateway", id);
    static const char *const same[] = { "id", "allocation_id", "subnet_id", "tags", NULL };
    cpt_assert_same(imp, s2, same);
    cp_release(imp);
    cpt_delete_ok(e, "aws_nat_gateway", s2);
    r = ec2_rec(e, "nat_gateways", id);
    assert_string_equal(jstr(r, "State"), "deleted");
    json_decref(r);
    assert_null(cpt_read_ok(e, "aws_nat_gateway", s2));
    cpt_delete_ok(e, "aws_eip", eip);
    cpt_delete_ok(e, "aws_subnet", sub);
    cpt_delete_ok(e, "aws_vpc", vpc);
    json_decref(cpt_admin(e, "POST", "settings", "{\"pending_polls\": 1}"));
    cp_value *all[] = { vpc, sub, eip, s, s2 };
    for (size_t i = 0; i < 5; i++) cp_release(all[i]);
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
        cmocka_unit_test_setup(test_instance_lifecycle, reset),
        cmocka_unit_test_setup(test_instance_bad_type_fails_at_once, reset),
        cmocka_unit_test_setup(test_instance_profile_not_yet_visible_is_retried, reset),
        cmocka_unit_test_setup(test_instance_read_batch_one_call, reset),
        cmocka_unit_test_setup(test_key_pair, reset),
        cmocka_unit_test_setup(test_eip_moves_between_instances, reset),
        cmocka_unit_test_setup(test_nat_gateway_waits, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
