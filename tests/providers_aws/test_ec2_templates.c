/*
 * test_ec2_templates.c: aws_launch_template (versions on update), the data
 * sources aws_ami and aws_availability_zones, and aws_autoscaling_group
 * (skipped while the emulator does not emulate EC2 Auto Scaling).
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
#include "providers/aws/aws_types.h"

static json_t *ec2_rec(cpt_env *e, const char *table, const char *id)
{
    json_t *dump = cpt_dump(e, "ec2");
    char path[256];
    snprintf(path, sizeof path, "ec2/us-east-1/%s/%s", table, id);
    json_t *j = json_incref(cpt_path(dump, path));
    json_decref(dump);
    return j;
}

static const cp_resource_type *data_type(const char *name)
{
    for (const cp_resource_type *const *t = cp_provider_aws.types; *t; t++)
        if ((*t)->is_data && !strcmp((*t)->name, name)) return *t;
    fail_msg("no data source %s", name);
    return NULL;
}

static int read_data(cpt_env *e, const char *name, const char *cfg_json, cp_value **out, char **err)
{
    char addr[] = "data.test";
    cp_provider_call c = { .client = cpt_client(e), .address = addr };
    cp_value *cfg = cpt_val(cfg_json);
    *out = NULL;
    int rc = data_type(name)->read_data(&c, cfg, out);
    cp_release(cfg);
    *err = c.error;
    return rc;
}

/* ---- aws_launch_template ------------------------------------------------------------------ */

static void test_launch_template_versions(void **st)
{
    cpt_env *e = *st;
    cp_value *sg = cpt_create_ok(e, "aws_security_group", "{\"name\": \"hosts\"}");
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"ecs-hosts\", \"image_id\": \"ami-0a1b2c3d4e5f60007\", "
             "\"instance_type\": \"t3.small\", \"user_data\": \"IyEvYmluL3No\", "
             "\"vpc_security_group_ids\": [\"%s\"], \"iam_instance_profile\": [{\"name\": \"ecs\", "
             "\"arn\": null}], \"tags\": {\"a\": \"1\"}}",
             cpt_str(sg, "id"));
    cp_value *s = cpt_create_ok(e, "aws_launch_template", cfg);
    const char *id = cpt_str(s, "id");
    assert_true(strncmp(id, "lt-", 3) == 0);
    assert_int_equal((int)cp_get_num(s, "latest_version", 0), 1);
    assert_non_null(strstr(cpt_str(s, "arn"), ":123456789012:launch-template/lt-"));
    assert_string_equal(cpt_str(cp_get_block(s, "iam_instance_profile"), "name"), "ecs");
    assert_string_equal(cp_string_val(cp_list_get(cp_get_list(s, "vpc_security_group_ids"), 0)),
                        cpt_str(sg, "id"));
    json_t *r = ec2_rec(e, "launch_templates", id);
    assert_string_equal(
        json_string_value(cpt_path(r, "_versions/1/LaunchTemplateData/InstanceType")), "t3.small");
    json_decref(r);
    cp_value *rd = cpt_read_ok(e, "aws_launch_template", s);
    assert_true(cp_equal(rd, s));
    cp_release(rd);

    snprintf(cfg, sizeof cfg,
             "{\"name\": \"ecs-hosts\", \"image_id\": \"ami-0a1b2c3d4e5f60007\", "
             "\"instance_type\": \"t3.medium\", \"user_data\": \"IyEvYmluL3No\", "
             "\"vpc_security_group_ids\": [\"%s\"], \"iam_instance_profile\": [{\"name\": \"ecs\", "
             "\"arn\": null}], \"update_default_version\": true}",
             cpt_str(sg, "id"));
    cp_value *s2 = cpt_update_ok(e, "aws_launch_template", s, cfg);
    assert_string_equal(cpt_str(s2, "id"), id);
    assert_int_equal((int)cp_get_num(s2, "latest_version", 0), 2);
    assert_int_equal((int)cp_get_num(s2, "default_version", 0), 2);
    assert_string_equal(cpt_str(s2, "instance_type"), "t3.medium");
    r = ec2_rec(e, "launch_templates", id);
    assert_string_equal(
        json_string_value(cpt_path(r, "_versions/2/LaunchTemplateData/InstanceType")), "t3.medium");
    assert_int_equal(json_array_size(json_object_get(r, "Tags")), 0);
    json_decref(r);

    cp_value *imp = cpt_import_ok(e, "aws_launch_template", id);
    static const char *const same[] = { "id",
                                        "name",
                                        "image_id",
                                        "instance_type",
                                        "latest_version",
                                        "vpc_security_group_ids",
                                        "iam_instance_profile",
                                        NULL };
    cpt_assert_same(imp, s2, same);
    cp_release(imp);
    cpt_delete_ok(e, "aws_launch_template", s2);
    assert_null(ec2_rec(e, "launch_templates", id));
    assert_null(cpt_read_ok(e, "aws_launch_template", s2));
    cpt_delete_ok(e, "aws_security_group", sg);
    cp_release(s);
    cp_release(s2);
    cp_release(sg);
}

/* ---- data sources --------------------------------------------------------------------------- */

/* Reads by LaunchTemplateId.N (the API has no id filter); a template
 * deleted behind our back reads as gone, not as an error. */
static void test_launch_template_read_by_id(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, "aws_launch_template",
                                "{\"name\": \"by-id\", \"image_id\": \"ami-0a1b2c3d4e5f60007\","
                                " \"instance_type\": \"t3.micro\"}");
    cp_value *r = cpt_read_ok(e, "aws_launch_template", s);
    assert_non_null(r);
    assert_string_equal(cpt_str(r, "id"), cpt_str(s, "id"));
    assert_string_equal(cpt_str(r, "name"), "by-id");
    assert_int_equal(
        cpt_boto(e, "ec2", "delete_launch_template(LaunchTemplateId='%s')", cpt_str(s, "id")), 0);
    assert_null(cpt_read_ok(e, "aws_launch_template", s));
    cp_release(s);
    cp_release(r);
}

static void test_ami_most_recent_and_filters(void **st)
{
    cpt_env *e = *st;
    cp_value *s;
    char *err;
    assert_int_equal(read_data(e, "aws_ami",
                               "{\"owners\": [\"amazon\"], \"most_recent\": true, "
                               "\"filter\": [{\"name\": \"name\", \"values\": [\"al2023-ami-*\"]}, "
                               "{\"name\": \"architecture\", \"values\": [\"x86_64\"]}]}",
                               &s, &err),
                     0);
    assert_string_equal(cpt_str(s, "id"), "ami-0a1b2c3d4e5f60005");
    assert_string_equal(cpt_str(s, "architecture"), "x86_64");
    assert_string_equal(cpt_str(s, "name"), "al2023-ami-2023.3.20240205.2-kernel-6.1-x86_64");
    assert_string_equal(cpt_str(s, "arn"), "arn:aws:ec2:us-east-1::image/ami-0a1b2c3d4e5f60005");
    cp_release(s);

    assert_int_equal(read_data(e, "aws_ami",
                               "{\"owners\": [\"amazon\"], \"most_recent\": true, "
                               "\"name_regex\": \"^amzn2-ami-ecs\"}",
                               &s, &err),
                     0);
    assert_string_equal(cpt_str(s, "id"), "ami-0a1b2c3d4e5f60007");
    cp_release(s);

    assert_int_equal(read_data(e, "aws_ami",
                               "{\"owners\": [\"amazon\"], \"filter\": [{\"name\": "
                               "\"name\", \"values\": [\"al2023-ami-*\"]}]}",
                               &s, &err),
                     -1);
    assert_non_null(strstr(err, "more than one AMI matches; set most_recent = true"));
    free(err);
    assert_int_equal(
        read_data(e, "aws_ami", "{\"owners\": [\"self\"], \"most_recent\": true}", &s, &err), -1);
    assert_non_null(strstr(err, "no AMI matches"));
    free(err);
}

static void test_availability_zones(void **st)
{
    cpt_env *e = *st;
    cp_value *s;
    char *err;
    assert_int_equal(read_data(e, "aws_availability_zones", "{\"state\": \"available\"}", &s, &err),
                     0);
    assert_string_equal(cpt_str(s, "id"), "us-east-1");
    const cp_value *names = cp_get_list(s, "names");
    assert_int_equal(cp_len(names), 3);
    assert_string_equal(cp_string_val(cp_list_get(names, 0)), "us-east-1a");
    assert_int_equal(cp_len(cp_get_list(s, "zone_ids")), 3);
    cp_release(s);
}

/* ---- aws_autoscaling_group ------------------------------------------------------------------- */

static bool autoscaling_emulated(cpt_env *e)
{
    json_t *ops = cpt_admin(e, "GET", "operations", NULL);
    bool yes = json_array_size(json_object_get(ops, "autoscaling")) > 0;
    json_decref(ops);
    return yes;
}

static void test_autoscaling_group(void **st)
{
    cpt_env *e = *st;
    if (!autoscaling_emulated(e)) {
        print_message("skipped: the emulator does not emulate EC2 Auto Scaling yet\n");
        skip();
    }
    cp_value *lt = cpt_create_ok(e, "aws_launch_template",
                                 "{\"name\": \"asg-lt\", \"image_id\": "
                                 "\"ami-0a1b2c3d4e5f60007\", \"instance_type\": \"t3.nano\"}");
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"hosts\", \"min_size\": 1, \"max_size\": 3, "
             "\"desired_capacity\": 2, \"launch_template\": [{\"id\": \"%s\", \"name\": null, "
             "\"version\": \"$Latest\"}], \"tag\": [{\"key\": \"Name\", \"value\": \"host\", "
             "\"propagate_at_launch\": true}]}",
             cpt_str(lt, "id"));
    cp_value *s = cpt_create_ok(e, "aws_autoscaling_group", cfg);
    assert_string_equal(cpt_str(s, "id"), "hosts");
    assert_int_equal((int)cp_get_num(s, "desired_capacity", 0), 2);
    cp_value *rd = cpt_read_ok(e, "aws_autoscaling_group", s);
    assert_true(cp_equal(rd, s));
    cp_release(rd);
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"hosts\", \"min_size\": 0, \"max_size\": 2, "
             "\"desired_capacity\": 1, \"launch_template\": [{\"id\": \"%s\", \"name\": null, "
             "\"version\": \"$Latest\"}]}",
             cpt_str(lt, "id"));
    cp_value *s2 = cpt_update_ok(e, "aws_autoscaling_group", s, cfg);
    assert_int_equal((int)cp_get_num(s2, "max_size", 0), 2);
    assert_int_equal(cp_len(cp_get_list(s2, "tag")), 0);
    cp_value *imp = cpt_import_ok(e, "aws_autoscaling_group", "hosts");
    static const char *const same[] = { "id", "min_size", "max_size", "desired_capacity", NULL };
    cpt_assert_same(imp, s2, same);
    cp_release(imp);
    cpt_delete_ok(e, "aws_autoscaling_group", s2);
    assert_null(cpt_read_ok(e, "aws_autoscaling_group", s2));
    cpt_delete_ok(e, "aws_launch_template", lt);
    cp_release(lt);
    cp_release(s);
    cp_release(s2);
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
        cmocka_unit_test_setup(test_launch_template_versions, reset),
        cmocka_unit_test_setup(test_launch_template_read_by_id, reset),
        cmocka_unit_test_setup(test_ami_most_recent_and_filters, reset),
        cmocka_unit_test_setup(test_availability_zones, reset),
        cmocka_unit_test_setup(test_autoscaling_group, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
