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

/* An x86_64 image the endpoint has (cpt_ami) and a real ed25519 public
 * key (ssh-keygen), both found once in setup. */
static char AMI[64];
static char PUBKEY[256];

static json_t *ec2_rec(cpt_env *e, const char *table, const char *id)
{
    return cpt_ec2(e, table, id);
}

static int make_pubkey(void)
{
    char dir[] = "/tmp/cpt_key_XXXXXX", cmd[160], path[64];
    if (!mkdtemp(dir)) return -1;
    snprintf(cmd, sizeof cmd, "ssh-keygen -q -t ed25519 -N '' -C me@host -f %s/k", dir);
    int rc = system(cmd);
    snprintf(path, sizeof path, "%s/k.pub", dir);
    FILE *f = rc == 0 ? fopen(path, "r") : NULL;
    if (f) {
        if (!fgets(PUBKEY, sizeof PUBKEY, f)) PUBKEY[0] = 0;
        fclose(f);
    }
    PUBKEY[strcspn(PUBKEY, "\n")] = 0;
    unlink(path);
    snprintf(path, sizeof path, "%s/k", dir);
    unlink(path);
    rmdir(dir);
    return PUBKEY[0] ? 0 : -1;
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

static void reset_calls(cpt_env *e)
{
    if (cpt_on_moto()) return; /* counted on the emulator only */
    json_decref(cpt_admin(e, "DELETE", "calls", NULL));
}

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
    snprintf(cfg, sizeof cfg, "{\"key_name\": \"home\", \"public_key\": \"%s\"}", PUBKEY);
    cp_value *key = cpt_create_ok(e, "aws_key_pair", cfg);

    snprintf(cfg, sizeof cfg,
             "{\"ami\": \"%s\", \"instance_type\": \"t3.nano\", \"subnet_id\": \"%s\", "
             "\"vpc_security_group_ids\": [\"%s\"], \"key_name\": \"home\", \"monitoring\": true, "
             "\"user_data\": \"#!/bin/sh\\necho hi\\n\", \"tags\": {\"Name\": \"home\"}}",
             AMI, cpt_str(sub, "id"), cpt_str(sg, "id"));
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
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(r, "SecurityGroups"), 0), "GroupId")),
                        cpt_str(sg, "id"));
    assert_true(strlen(jstr(r, "ClientToken")) == 36);
    json_decref(r);
    r = cpt_aws(e, "ec2", "describe_instance_attribute(InstanceId='%s', Attribute='userData')", id);
    assert_string_equal(jstr(r, "UserData/Value"), "IyEvYmluL3NoCmVjaG8gaGkK");
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, "aws_instance", s);
    assert_true(cp_equal(rd, s));
    cp_release(rd);

    /* moto 5.2.1 has no UnmonitorInstances (NotImplementedError, 500) */
    bool unmonitor = cpt_emulator_only(e, "monitoring turned off (UnmonitorInstances)");
    snprintf(cfg, sizeof cfg,
             "{\"ami\": \"%s\", \"instance_type\": \"t3.small\", \"subnet_id\": \"%s\", "
             "\"vpc_security_group_ids\": [\"%s\"], \"key_name\": \"home\", \"monitoring\": %s, "
             "\"user_data\": \"#!/bin/sh\\necho hi\\n\", \"tags\": {\"Name\": \"home2\"}}",
             AMI, cpt_str(sub, "id"), cpt_str(sg, "id"), unmonitor ? "false" : "true");
    cp_value *s2 = cpt_update_ok(e, "aws_instance", s, cfg);
    assert_string_equal(cpt_str(s2, "id"), id);
    assert_string_equal(cpt_str(s2, "instance_state"), "running");
    assert_true(cp_get_bool(s2, "monitoring", true) == !unmonitor);
    r = ec2_rec(e, "instances", id);
    assert_string_equal(jstr(r, "InstanceType"), "t3.small");
    assert_string_equal(jstr(r, "Monitoring/State"), unmonitor ? "disabled" : "enabled");
    assert_string_equal(jstr(r, "State/Name"), "running");
    json_decref(r);
    if (cpt_emulator_only(e,
                          "call counts (/_emulator/calls): one StopInstances, one StartInstances"))
        assert_true(calls_of(e, "ec2:StopInstances") == 1 &&
                    calls_of(e, "ec2:StartInstances") == 1);

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
    cp_value *cfg = cpt_valf("{\"ami\": \"%s\", \"instance_type\": \"t9.huge\"}", AMI), *s = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, "aws_instance", cfg, &s, &err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "RunInstances: Invalid"));
    assert_non_null(strstr(err, "t9.huge"));
    if (cpt_emulator_only(e, "AWS's code InvalidParameterValue (moto says InvalidInstanceType)"))
        assert_non_null(strstr(err, "RunInstances: InvalidParameterValue"));
    assert_null(strchr(err, '\n'));
    if (cpt_emulator_only(e, "call counts (/_emulator/calls): a rejected RunInstances not retried"))
        assert_int_equal(calls_of(e, "ec2:RunInstances"), 1);
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
    if (!cpt_emulator_only(e, "an instance profile not yet visible to EC2 (the emulator's "
                              "propagation delay, counted in /_emulator/calls)"))
        return;
    reset_calls(e);
    setenv("CPSTACK_WAIT_SCALE", "0.1", 1); /* a 12 s bound: room for python to start */
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, make_profile_later, e), 0);
    char cfg[256];
    snprintf(
        cfg, sizeof cfg,
        "{\"ami\": \"%s\", \"instance_type\": \"t3.nano\", \"iam_instance_profile\": \"late\"}",
        AMI);
    cp_value *s = cpt_create_ok(e, "aws_instance", cfg);
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
    json_t *run = cpt_aws(e, "ec2",
                          "run_instances(ImageId='%s', InstanceType='t3.nano', "
                          "MinCount=50, MaxCount=50)",
                          AMI);
    json_t *insts = json_object_get(run, "Instances");
    assert_int_equal(json_array_size(insts), 50);
    const cp_value *states[51];
    cp_value *owned[51], *out[51];
    json_t *rec;
    size_t n = 0, k;
    json_array_foreach(insts, k, rec)
    {
        owned[n] = cpt_valf("{\"id\": \"%s\", \"tags\": null}",
                            json_string_value(json_object_get(rec, "InstanceId")));
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
    if (cpt_emulator_only(e, "call counts (/_emulator/calls): 51 reads in one DescribeInstances")) {
        assert_int_equal(calls_of(e, "ec2:DescribeInstances"), 1);
        json_t *calls = cpt_admin(e, "GET", "calls", NULL);
        assert_int_equal(json_integer_value(json_object_get(calls, "total")), 1);
        json_decref(calls);
    }
    for (size_t i = 0; i < 50; i++) {
        assert_non_null(out[i]);
        assert_string_equal(cpt_str(out[i], "id"), cpt_str(states[i], "id"));
        assert_string_equal(cpt_str(out[i], "instance_type"), "t3.nano");
        cp_release(out[i]);
    }
    assert_null(out[50]);
    for (size_t i = 0; i < n; i++) cp_release(owned[i]);
    json_decref(run);
}

/* ---- aws_key_pair -------------------------------------------------------------------------- */

static void test_key_pair(void **st)
{
    cpt_env *e = *st;
    char cfg[512];
    snprintf(cfg, sizeof cfg,
             "{\"key_name\": \"ops\", \"public_key\": \"%s\", \"tags\": {\"a\": \"1\"}}", PUBKEY);
    cp_value *s = cpt_create_ok(e, "aws_key_pair", cfg);
    assert_string_equal(cpt_str(s, "id"), "ops");
    assert_true(strncmp(cpt_str(s, "key_pair_id"), "key-", 4) == 0);
    assert_true(strlen(cpt_str(s, "fingerprint")) > 20);
    assert_string_equal(cpt_str(s, "public_key"), PUBKEY);
    json_t *d = cpt_aws(e, "ec2", "describe_key_pairs(KeyPairIds=['%s'], IncludePublicKey=True)",
                        cpt_str(s, "key_pair_id"));
    json_t *r = json_array_get(json_object_get(d, "KeyPairs"), 0);
    assert_string_equal(jstr(r, "KeyName"), "ops");
    assert_non_null(jstr(r, "PublicKey"));
    assert_true(strncmp(jstr(r, "PublicKey"), PUBKEY, strlen(PUBKEY) - strlen(" me@host")) == 0);
    json_decref(d);
    cp_value *rd = cpt_read_ok(e, "aws_key_pair", s);
    assert_true(cp_equal(rd, s));
    cp_release(rd);
    snprintf(cfg, sizeof cfg,
             "{\"key_name\": \"ops\", \"public_key\": \"%s\", \"tags\": {\"b\": \"2\"}}", PUBKEY);
    cp_value *s2 = cpt_update_ok(e, "aws_key_pair", s, cfg);
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
    char inst_cfg[128];
    snprintf(inst_cfg, sizeof inst_cfg, "{\"ami\": \"%s\", \"instance_type\": \"t3.nano\"}", AMI);
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
    /* the emulator keeps it pending for 3 polls; moto makes it available at once */
    if (cpt_emulator_only(e, "a NAT gateway pending for 3 polls (/_emulator/settings)"))
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
    /* connectivity_type is an argument (Terraform's, default public); private is refused */
    assert_string_equal(cpt_str(s, "connectivity_type"), "public");
    assert_null(cpt_validate("aws_nat_gateway", "connectivity_type", "\"public\""));
    assert_non_null(strstr(cpt_validate("aws_nat_gateway", "connectivity_type", "\"private\""),
                           "not supported"));
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
    if (!cpt_on_moto()) json_decref(cpt_admin(e, "POST", "settings", "{\"pending_polls\": 1}"));
    cp_value *all[] = { vpc, sub, eip, s, s2 };
    for (size_t i = 0; i < 5; i++) cp_release(all[i]);
}

/* Refresh of many key pairs and addresses: one Describe each (filtered by name / id);
 * what the answer leaves out is gone. */
static void test_key_pair_and_eip_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 3 };
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        char cfg[1024];
        snprintf(cfg, sizeof cfg, "{\"key_name\": \"batch-k%d\", \"public_key\": \"%s\"}", i,
                 PUBKEY);
        made[i] = cpt_create_ok(e, "aws_key_pair", cfg);
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"batch-k-never\", \"key_name\": \"batch-k-never\"}");
    states[N] = made[N];
    long calls = cpt_read_batch_ok(e, "aws_key_pair", states, N + 1, out);
    assert_null(out[N]);
    assert_string_equal(cpt_str(out[1], "key_name"), "batch-k1");
    if (calls >= 0) assert_int_equal(calls, 1);
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != N) cpt_delete_ok(e, "aws_key_pair", made[i]);
        cp_release(made[i]);
    }
    for (int i = 0; i < N; i++) {
        made[i] = cpt_create_ok(e, "aws_eip", "{\"domain\": \"vpc\"}");
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"eipalloc-0000000000000dead\"}");
    states[N] = made[N];
    calls = cpt_read_batch_ok(e, "aws_eip", states, N + 1, out);
    assert_null(out[N]);
    assert_string_equal(cpt_str(out[2], "id"), cpt_str(made[2], "id"));
    if (calls >= 0) assert_int_equal(calls, 1);
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != N) cpt_delete_ok(e, "aws_eip", made[i]);
        cp_release(made[i]);
    }
}

static int setup(void **st)
{
    *st = cpt_start();
    if (!*st || make_pubkey() != 0) return -1;
    snprintf(AMI, sizeof AMI, "%s", cpt_ami(*st));
    return 0;
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
        cmocka_unit_test_setup(test_key_pair_and_eip_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
