/*
 * test_ec2_templates.c: aws_launch_template (versions on update), the data
 * sources aws_ami and aws_availability_zones, and aws_autoscaling_group;
 * expectations come from the endpoint's Describe* answers, so the same
 * checks run on the emulator and on moto.
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
#include "util/xalloc.h"

static json_t *ec2_rec(cpt_env *e, const char *table, const char *id)
{
    return cpt_ec2(e, table, id);
}

/* The instance type version n of launch template id launches. */
static char *lt_version_type(cpt_env *e, const char *id, int n)
{
    json_t *r =
        cpt_aws(e, "ec2",
                "describe_launch_template_versions(LaunchTemplateId='%s', Versions=['%d'])", id, n);
    const char *t =
        json_string_value(cpt_path(json_array_get(json_object_get(r, "LaunchTemplateVersions"), 0),
                                   "LaunchTemplateData/InstanceType"));
    char *out = cp_xstrdup(t ? t : "(none)");
    json_decref(r);
    return out;
}

/* The images the endpoint lists for owner amazon whose name starts with
 * `prefix` (or ends with `suffix`), and the latest CreationDate among
 * them, which aws_ami's most_recent must pick from (moto gives many
 * images the same date). Returns the matching list (new reference). */
static json_t *images_like(cpt_env *e, const char *prefix, const char *suffix, const char *arch,
                           char *latest, size_t n)
{
    json_t *r = cpt_aws(e, "ec2", "describe_images(Owners=['amazon'])");
    json_t *out = json_array(), *img;
    size_t i;
    latest[0] = 0;
    json_array_foreach(json_object_get(r, "Images"), i, img)
    {
        const char *name = json_string_value(json_object_get(img, "Name"));
        const char *a = json_string_value(json_object_get(img, "Architecture"));
        const char *d = json_string_value(json_object_get(img, "CreationDate"));
        size_t ln = name ? strlen(name) : 0;
        if (!name || (prefix && strncmp(name, prefix, strlen(prefix)) != 0)) continue;
        if (suffix && (ln < strlen(suffix) || strcmp(name + ln - strlen(suffix), suffix) != 0))
            continue;
        if (arch && (!a || strcmp(a, arch) != 0)) continue;
        json_array_append(out, img);
        if (d && strcmp(d, latest) > 0) snprintf(latest, n, "%s", d);
    }
    json_decref(r);
    return out;
}

/* aws_ami's answer s is one of `imgs` with CreationDate `latest`. */
static void assert_latest_of(const cp_value *s, json_t *imgs, const char *latest)
{
    json_t *img = cpt_find(imgs, "ImageId", cpt_str(s, "id"));
    assert_non_null(img);
    assert_string_equal(json_string_value(json_object_get(img, "CreationDate")), latest);
    assert_string_equal(cpt_str(s, "name"), json_string_value(json_object_get(img, "Name")));
    char arn[128];
    snprintf(arn, sizeof arn, "arn:aws:ec2:us-east-1::image/%s", cpt_str(s, "id"));
    assert_string_equal(cpt_str(s, "arn"), arn);
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
             "{\"name\": \"ecs-hosts\", \"image_id\": \"%s\", "
             "\"instance_type\": \"t3.small\", \"user_data\": \"IyEvYmluL3No\", "
             "\"vpc_security_group_ids\": [\"%s\"], \"iam_instance_profile\": [{\"name\": \"ecs\", "
             "\"arn\": null}], \"tags\": {\"a\": \"1\"}}",
             cpt_ami(e), cpt_str(sg, "id"));
    cp_value *s = cpt_create_ok(e, "aws_launch_template", cfg);
    const char *id = cpt_str(s, "id");
    assert_true(strncmp(id, "lt-", 3) == 0);
    assert_int_equal((int)cp_get_num(s, "latest_version", 0), 1);
    assert_non_null(strstr(cpt_str(s, "arn"), ":123456789012:launch-template/lt-"));
    assert_string_equal(cpt_str(cp_get_block(s, "iam_instance_profile"), "name"), "ecs");
    assert_string_equal(cp_string_val(cp_list_get(cp_get_list(s, "vpc_security_group_ids"), 0)),
                        cpt_str(sg, "id"));
    char *vt = lt_version_type(e, id, 1);
    assert_string_equal(vt, "t3.small");
    free(vt);
    cp_value *rd = cpt_read_ok(e, "aws_launch_template", s);
    assert_true(cp_equal(rd, s));
    cp_release(rd);

    snprintf(cfg, sizeof cfg,
             "{\"name\": \"ecs-hosts\", \"image_id\": \"%s\", "
             "\"instance_type\": \"t3.medium\", \"user_data\": \"IyEvYmluL3No\", "
             "\"vpc_security_group_ids\": [\"%s\"], \"iam_instance_profile\": [{\"name\": \"ecs\", "
             "\"arn\": null}], \"update_default_version\": true}",
             cpt_ami(e), cpt_str(sg, "id"));
    /* The answer to the new version is lost: the retry, with the same
     * ClientToken, gets that version back rather than making a third. */
    bool lose = cpt_emulator_only(e, "fault injection (/_emulator/faults)");
    if (lose)
        json_decref(cpt_admin(e, "POST", "faults",
                              "{\"next\": [{\"kind\": \"lost\", \"service\": \"ec2\", "
                              "\"operation\": \"CreateLaunchTemplateVersion\", \"count\": 1}]}"));
    cp_value *s2 = cpt_update_ok(e, "aws_launch_template", s, cfg);
    if (lose) {
        json_t *calls = cpt_admin(e, "GET", "calls", NULL);
        assert_int_equal(
            json_integer_value(cpt_path(calls, "faults/ec2:CreateLaunchTemplateVersion")), 1);
        json_decref(calls);
        json_decref(cpt_admin(e, "DELETE", "faults", NULL));
    }
    assert_string_equal(cpt_str(s2, "id"), id);
    assert_int_equal((int)cp_get_num(s2, "latest_version", 0), 2);
    assert_int_equal((int)cp_get_num(s2, "default_version", 0), 2);
    assert_string_equal(cpt_str(s2, "instance_type"), "t3.medium");
    vt = lt_version_type(e, id, 2);
    assert_string_equal(vt, "t3.medium");
    free(vt);
    /* DescribeTags: moto's DescribeLaunchTemplates keeps the tags it was
     * created with after DeleteTags (README's moto gaps) */
    json_t *r =
        cpt_aws(e, "ec2", "describe_tags(Filters=[{'Name': 'resource-id', 'Values': ['%s']}])", id);
    assert_non_null(json_object_get(r, "Tags"));
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
    char cfg[256];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"by-id\", \"image_id\": \"%s\", \"instance_type\": \"t3.micro\"}",
             cpt_ami(e));
    cp_value *s = cpt_create_ok(e, "aws_launch_template", cfg);
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
    char *err, latest[64];
    json_t *imgs = images_like(e, "al2023-ami-", NULL, "x86_64", latest, sizeof latest);
    assert_true(json_array_size(imgs) >= 2);
    assert_int_equal(read_data(e, "aws_ami",
                               "{\"owners\": [\"amazon\"], \"most_recent\": true, "
                               "\"filter\": [{\"name\": \"name\", \"values\": [\"al2023-ami-*\"]}, "
                               "{\"name\": \"architecture\", \"values\": [\"x86_64\"]}]}",
                               &s, &err),
                     0);
    assert_string_equal(cpt_str(s, "architecture"), "x86_64");
    assert_latest_of(s, imgs, latest);
    if (cpt_emulator_only(e, "the emulator's seeded images: the newest al2023 is ...60005"))
        assert_string_equal(cpt_str(s, "id"), "ami-0a1b2c3d4e5f60005");
    cp_release(s);
    json_decref(imgs);

    imgs = images_like(e, NULL, "-arm64", NULL, latest, sizeof latest);
    assert_true(json_array_size(imgs) >= 1);
    assert_int_equal(read_data(e, "aws_ami",
                               "{\"owners\": [\"amazon\"], \"most_recent\": true, "
                               "\"name_regex\": \"-arm64$\"}",
                               &s, &err),
                     0);
    assert_latest_of(s, imgs, latest);
    cp_release(s);
    json_decref(imgs);

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
    /* the zones the endpoint lists as available, in the same order */
    json_t *r = cpt_aws(e, "ec2",
                        "describe_availability_zones(Filters=[{'Name': 'state', "
                        "'Values': ['available']}])");
    json_t *azs = json_object_get(r, "AvailabilityZones");
    const cp_value *names = cp_get_list(s, "names");
    assert_true(json_array_size(azs) >= 2);
    assert_int_equal(cp_len(names), json_array_size(azs));
    assert_int_equal(cp_len(cp_get_list(s, "zone_ids")), json_array_size(azs));
    assert_string_equal(cp_string_val(cp_list_get(names, 0)), "us-east-1a");
    for (size_t i = 0; i < json_array_size(azs); i++)
        assert_non_null(cpt_find(azs, "ZoneName", cp_string_val(cp_list_get(names, i))));
    json_decref(r);
    cp_release(s);
}

/* ---- aws_autoscaling_group ------------------------------------------------------------------- */

static void test_autoscaling_group(void **st)
{
    cpt_env *e = *st;
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"asg-lt\", \"image_id\": \"%s\", \"instance_type\": \"t3.nano\"}",
             cpt_ami(e));
    cp_value *lt = cpt_create_ok(e, "aws_launch_template", cfg);
    /* AWS needs a subnet (or zones) for the group: ValidationError without */
    cp_value *vpc = cpt_create_ok(e, "aws_vpc", "{\"cidr_block\": \"10.40.0.0/16\"}");
    snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\", \"cidr_block\": \"10.40.1.0/24\"}",
             cpt_str(vpc, "id"));
    cp_value *sub = cpt_create_ok(e, "aws_subnet", cfg);
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"hosts\", \"min_size\": 1, \"max_size\": 3, "
             "\"desired_capacity\": 2, \"vpc_zone_identifier\": [\"%s\"], "
             "\"launch_template\": [{\"id\": \"%s\", \"name\": null, "
             "\"version\": \"$Latest\"}], \"tag\": [{\"key\": \"Name\", \"value\": \"host\", "
             "\"propagate_at_launch\": true}]}",
             cpt_str(sub, "id"), cpt_str(lt, "id"));
    cp_value *s = cpt_create_ok(e, "aws_autoscaling_group", cfg);
    assert_string_equal(cpt_str(s, "id"), "hosts");
    assert_int_equal((int)cp_get_num(s, "desired_capacity", 0), 2);
    cp_value *rd = cpt_read_ok(e, "aws_autoscaling_group", s);
    assert_true(cp_equal(rd, s));
    cp_release(rd);
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"hosts\", \"min_size\": 0, \"max_size\": 2, "
             "\"desired_capacity\": 1, \"vpc_zone_identifier\": [\"%s\"], "
             "\"launch_template\": [{\"id\": \"%s\", \"name\": null, "
             "\"version\": \"$Latest\"}]}",
             cpt_str(sub, "id"), cpt_str(lt, "id"));
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
    cpt_delete_ok(e, "aws_subnet", sub);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_release(sub);
    cp_release(vpc);
    cp_release(lt);
    cp_release(s);
    cp_release(s2);
}

/* Refresh of many groups: one DescribeAutoScalingGroups naming them all (tags included);
 * a group it leaves out is gone. 1 request for 5. */
static void test_autoscaling_group_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 4 };
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"batch-lt\", \"image_id\": \"%s\", \"instance_type\": \"t3.nano\"}",
             cpt_ami(e));
    cp_value *lt = cpt_create_ok(e, "aws_launch_template", cfg);
    cp_value *vpc = cpt_create_ok(e, "aws_vpc", "{\"cidr_block\": \"10.41.0.0/16\"}");
    snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\", \"cidr_block\": \"10.41.1.0/24\"}",
             cpt_str(vpc, "id"));
    cp_value *sub = cpt_create_ok(e, "aws_subnet", cfg);
    const cp_value *states[N + 1];
    cp_value *made[N + 1], *out[N + 1];
    for (int i = 0; i < N; i++) {
        snprintf(cfg, sizeof cfg,
                 "{\"name\": \"batch-asg-%d\", \"min_size\": 0, \"max_size\": 3, "
                 "\"desired_capacity\": %d, \"vpc_zone_identifier\": [\"%s\"], "
                 "\"launch_template\": [{\"id\": \"%s\", \"name\": null, "
                 "\"version\": \"$Latest\"}]}",
                 i, i % 3, cpt_str(sub, "id"), cpt_str(lt, "id"));
        made[i] = cpt_create_ok(e, "aws_autoscaling_group", cfg);
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"batch-asg-never\"}");
    states[N] = made[N];
    long calls = cpt_read_batch_ok(e, "aws_autoscaling_group", states, N + 1, out);
    assert_null(out[N]);
    assert_int_equal((int)cp_get_num(out[2], "desired_capacity", -1), 2);
    if (calls >= 0) assert_int_equal(calls, 1);
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != N) cpt_delete_ok(e, "aws_autoscaling_group", made[i]);
        cp_release(made[i]);
    }
    cpt_delete_ok(e, "aws_launch_template", lt);
    cpt_delete_ok(e, "aws_subnet", sub);
    cpt_delete_ok(e, "aws_vpc", vpc);
    cp_release(sub);
    cp_release(vpc);
    cp_release(lt);
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
        cmocka_unit_test_setup(test_autoscaling_group_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
