/*
 * test_rules.c: AWS's input rules (src/providers/aws/rules.c and the table
 * rules_generated.c), called directly as plan and validate call them. Each
 * kind of rule is broken once and the message checked; valid and unknown
 * values pass; tags of S3 (charset), EC2 (any character) and IAM; and every
 * argument of every AWS type is named in rules_map.txt. In the JSON configs
 * below the string "?" stands for an unknown value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_json.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/rules.h"
#include "providers/provider.h"

static char *check_rt(const cp_resource_type *t, const char *config, char **where)
{
    json_error_t je;
    json_t *j = json_loads(config, 0, &je);
    if (!j) fail_msg("bad JSON in test (%s): %s", je.text, config);
    cp_value *v = cpt_config_from_json(j);
    json_decref(j);
    char *why = cp_aws_check_rules(t, v, where);
    cp_release(v);
    return why;
}

/* The AWS provider's resource type `name` (a data source for
 * "data.NAME", as rules name them), or NULL. */
static const cp_resource_type *aws_type(const char *name)
{
    bool data = !strncmp(name, "data.", 5);
    if (data) name += 5;
    for (const cp_resource_type *const *t = cp_provider_aws.types; *t; t++)
        if ((*t)->is_data == data && !strcmp((*t)->name, name)) return *t;
    return NULL;
}

static char *check(const char *type, const char *config, char **where)
{
    const cp_resource_type *t = aws_type(type);
    assert_non_null(t);
    return check_rt(t, config, where);
}

static void expect_ok(const char *type, const char *config)
{
    char *why = check(type, config, NULL);
    if (why) fail_msg("%s %s: unexpected: %s", type, config, why);
}

/* An error containing part, about the value at path where (as
 * cp_body_path_loc finds it in the block). */
static void expect_error(const char *type, const char *config, const char *where, const char *part)
{
    char *got_where = NULL;
    char *why = check(type, config, &got_where);
    if (!why) fail_msg("%s %s: passed, expected an error with \"%s\"", type, config, part);
    if (!strstr(why, part))
        fail_msg("%s %s: got \"%s\", expected \"%s\" in it", type, config, why, part);
    assert_null(strchr(why, '\n'));
    assert_non_null(got_where);
    if (strcmp(got_where, where) != 0)
        fail_msg("%s %s: about %s, expected %s", type, config, got_where, where);
    free(got_where);
    free(why);
}

static void test_pattern(void **st)
{
    (void)st;
    expect_error("aws_ecr_repository", "{\"name\": \"My_App\"}", "name",
                 "name \"My_App\" does not match AWS's rule for ecr CreateRepository "
                 "repositoryName (pattern [a-z0-9]+");
    expect_ok("aws_ecr_repository", "{\"name\": \"team/my-app\"}");
    expect_error("aws_lambda_permission", "{\"action\": \"lambda:Invoke*\"}", "action",
                 "does not match AWS's rule for lambda AddPermission Action");
    expect_ok("aws_lambda_permission", "{\"action\": \"lambda:InvokeFunction\"}");
    /* A pattern matched bytewise cannot judge non-ASCII text: it passes. */
    expect_ok("aws_cloudwatch_metric_alarm", "{\"namespace\": \"Caf\xc3\xa9\"}");
}

static void test_charset(void **st)
{
    (void)st;
    expect_error("aws_iam_role", "{\"name\": \"bad name!\"}", "name",
                 "name \"bad name!\" has ' ', which is not allowed by AWS's rule for iam "
                 "CreateRole RoleName (pattern [\\w+=,.@-]+): remove or replace it");
    expect_ok("aws_iam_role", "{\"name\": \"deploy+ci=1,a.b@c_d-e\"}");
    expect_error("aws_cloudwatch_log_group", "{\"name\": \"/app/a b\"}", "name",
                 "logs CreateLogGroup logGroupName");
}

static void test_length(void **st)
{
    (void)st;
    char cfg[200];
    snprintf(cfg, sizeof cfg, "{\"name\": \"%065d\"}", 0);
    expect_error("aws_iam_user", cfg, "name",
                 "is 65 characters long, outside AWS's rule for iam CreateUser UserName "
                 "(1-64 characters): shorten it");
    snprintf(cfg, sizeof cfg, "{\"name\": \"%064d\"}", 0);
    expect_ok("aws_iam_user", cfg);
    expect_error("aws_ecr_repository", "{\"name\": \"a\"}", "name",
                 "(2-256 characters): lengthen it");
    /* Characters, not bytes: 64 two-byte letters are still 64. */
    char many[200] = "{\"description\": \"";
    for (int i = 0; i < 64; i++) strcat(many, "\xc3\xa9");
    strcat(many, "\"}");
    expect_ok("aws_lambda_function", many);
}

static void test_enum(void **st)
{
    (void)st;
    expect_error("aws_iam_access_key", "{\"status\": \"Enabled\"}", "status",
                 "status \"Enabled\" is not one of the values of AWS's rule for iam "
                 "UpdateAccessKey Status (Active, Inactive, Expired): use one of them");
    expect_ok("aws_iam_access_key", "{\"status\": \"Inactive\"}");
    /* Enums AWS extends often are not checked: a new instance type passes. */
    expect_ok("aws_instance", "{\"instance_type\": \"z99.hyper\"}");
    expect_ok("aws_lambda_function", "{\"runtime\": \"python9.99\"}");
}

static void test_range(void **st)
{
    (void)st;
    expect_error("aws_lb_target_group", "{\"port\": 70000}", "port",
                 "port 70000 is outside AWS's rule for elbv2 CreateTargetGroup Port (1-65535): "
                 "change it");
    expect_error("aws_lambda_function", "{\"memory_size\": 256.5}", "memory_size",
                 "is not a whole number");
    expect_error("aws_iam_role", "{\"max_session_duration\": 60}", "max_session_duration",
                 "(3600-43200)");
    expect_error("aws_lb_target_group", "{\"health_check\": [{\"interval\": 1}]}",
                 "health_check[0].interval",
                 "health_check[0].interval 1 is outside AWS's rule for elbv2 CreateTargetGroup "
                 "HealthCheckIntervalSeconds (5-300)");
    expect_ok("aws_lb_target_group", "{\"port\": 8080, \"health_check\": [{\"interval\": 30}]}");
}

static void test_items(void **st)
{
    (void)st;
    expect_error("aws_cloudwatch_metric_alarm",
                 "{\"alarm_actions\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]}", "alarm_actions",
                 "alarm_actions has 6 entries, outside AWS's rule for cloudwatch PutMetricAlarm "
                 "AlarmActions (at most 5 entries): remove some");
    expect_ok("aws_cloudwatch_metric_alarm", "{\"alarm_actions\": [\"a\", \"b\"]}");
    /* An element of a list is checked too. */
    expect_error("aws_cloudwatch_metric_alarm", "{\"alarm_actions\": [\"a\", \"\"]}",
                 "alarm_actions[1]", "alarm_actions[1] \"\" is 0 characters long");
}

/* REQUIRED fires only for an argument the schema neither requires,
 * computes nor defaults: here a security group whose schema had no
 * default description. */
static void test_required(void **st)
{
    (void)st;
    static const cp_schema_attr attrs[] = {
        { .name = "description", .type = CP_AT_STRING, .flags = CP_OPTIONAL },
        { .name = "name", .type = CP_AT_STRING, .flags = CP_OPTIONAL | CP_COMPUTED },
        { 0 },
    };
    cp_resource_type rt = { .name = "aws_security_group", .attrs = attrs };
    char *where = NULL;
    char *why = check_rt(&rt, "{\"description\": null, \"name\": null}", &where);
    assert_non_null(why);
    assert_string_equal(why, "description is not set, but it is required by AWS's rule for ec2 "
                             "CreateSecurityGroup Description (required): set it");
    assert_string_equal(where, "description");
    free(where);
    free(why);
    assert_null(check_rt(&rt, "{\"description\": \"web\", \"name\": null}", NULL));
    assert_null(check_rt(&rt, "{\"description\": \"?\"}", NULL));
    /* The real schema defaults it, so null passes there. */
    expect_ok("aws_security_group", "{\"description\": null}");
}

static void test_s3_tags(void **st)
{
    (void)st;
    expect_error("aws_s3_bucket", "{\"tags\": {\"Schedule\": \"30 2 * * 0\"}}",
                 "tags[\"Schedule\"]",
                 "tags[\"Schedule\"] \"30 2 * * 0\" has '*', which is not allowed by AWS's rule "
                 "for s3 tags (letters, digits, whitespace and _ . : / = + - @): remove or "
                 "replace it");
    expect_error("aws_s3_object", "{\"tags\": {\"a*b\": \"x\"}}", "tags",
                 "tags key \"a*b\" has '*'");
    expect_error("aws_s3_bucket", "{\"tags\": {\"aws:cost\": \"x\"}}", "tags",
                 "keys starting with \"aws:\" are reserved for AWS");
    expect_ok("aws_s3_bucket", "{\"tags\": {\"Name\": \"my bucket\", \"a:b/c\": \"d=e+f-g@h_i.j\", "
                               "\"Caf\xc3\xa9\": \"\xc3\xa9t\xc3\xa9\"}}");
    /* S3 objects take 10 tags at most. */
    char cfg[600] = "{\"tags\": {";
    for (int i = 0; i < 11; i++) {
        char t[32];
        snprintf(t, sizeof t, "%s\"k%d\": \"v\"", i ? ", " : "", i);
        strcat(cfg, t);
    }
    strcat(cfg, "}}");
    expect_error("aws_s3_object", cfg, "tags", "tags has 11 entries, outside AWS's rule for s3");
}

static void test_ec2_tags(void **st)
{
    (void)st;
    /* EC2 allows any character in its tags. */
    expect_ok("aws_vpc", "{\"tags\": {\"Schedule\": \"30 2 * * 0 <x>\"}}");
    expect_error("aws_instance", "{\"tags\": {\"aws:x\": \"1\"}}", "tags", "rename it");
    char cfg[300];
    snprintf(cfg, sizeof cfg, "{\"tags\": {\"Name\": \"%0257d\"}}", 0);
    expect_error("aws_subnet", cfg, "tags[\"Name\"]", "(at most 256 characters): shorten it");
}

static void test_iam_tags(void **st)
{
    (void)st;
    expect_error("aws_iam_role", "{\"tags\": {\"team\": \"a&b\"}}", "tags[\"team\"]",
                 "tags[\"team\"] \"a&b\" has '&', which is not allowed by AWS's rule for iam "
                 "CreateRole Tags[].Value");
    expect_error("aws_iam_user", "{\"tags\": {\"\": \"x\"}}", "tags",
                 "tags key \"\" is 0 characters");
    expect_ok("aws_iam_policy", "{\"tags\": {\"team\": \"ops@example.com\"}}");
}

static void test_unknown_passes(void **st)
{
    (void)st;
    expect_ok("aws_s3_bucket", "{\"tags\": \"?\"}");
    expect_ok("aws_s3_bucket", "{\"tags\": {\"Schedule\": \"?\"}}");
    expect_ok("aws_iam_role", "{\"name\": \"?\", \"max_session_duration\": \"?\"}");
    expect_ok("aws_lb_target_group", "{\"health_check\": \"?\"}");
    expect_ok("aws_lb_target_group", "{\"health_check\": [\"?\"]}");
    expect_ok("aws_cloudwatch_metric_alarm", "{\"alarm_actions\": [\"?\", \"?\"]}");
}

static void test_sensitive_hidden(void **st)
{
    (void)st;
    const cp_resource_type *t = aws_type("aws_iam_role");
    cp_value *m = cp_map_new();
    cp_value *secret = cp_string("top secret!");
    cp_map_set_take(m, "name", cp_mark_sensitive(secret));
    cp_release(secret);
    char *why = cp_aws_check_rules(t, m, NULL);
    cp_release(m);
    assert_non_null(why);
    assert_null(strstr(why, "secret"));
    assert_non_null(strstr(why, "name (sensitive value) has"));
    free(why);
}

/* Every non-computed argument of every AWS type is in rules_map.txt. */
static bool covered(const char *type, const char *path)
{
    char want[300];
    snprintf(want, sizeof want, "%s.%s", type, path);
    for (const char *const *c = cp_aws_rules_covered; *c; c++)
        if (!strcmp(*c, want)) return true;
    return false;
}

static int uncovered(const char *type, const cp_schema_attr *attrs, const char *prefix)
{
    int missing = 0;
    for (const cp_schema_attr *a = attrs; a->name; a++) {
        if (!(a->flags & (CP_REQUIRED | CP_OPTIONAL))) continue;
        char path[256], elem[260];
        snprintf(path, sizeof path, "%s%s", prefix, a->name);
        snprintf(elem, sizeof elem, "%s[]", path);
        if (!covered(type, path) && !covered(type, elem)) {
            print_error("rules_map.txt has no line for %s.%s\n", type, path);
            missing++;
        }
        if (a->type == CP_AT_BLOCKS) {
            strcat(elem, ".");
            missing += uncovered(type, a->block, elem);
        }
    }
    return missing;
}

static void test_every_argument_mapped(void **st)
{
    (void)st;
    int missing = 0, types = 0;
    assert_non_null(cp_provider_aws.validate_instance);
    for (const cp_resource_type *const *t = cp_provider_aws.types; *t; t++) {
        char name[128];
        snprintf(name, sizeof name, "%s%s", (*t)->is_data ? "data." : "", (*t)->name);
        types += !(*t)->is_data;
        missing += uncovered(name, (*t)->attrs, "");
    }
    assert_true(types > 40);
    assert_int_equal(missing, 0);
}

/* The schema attribute at a rule path ("name", "ingress[].from_port"),
 * or NULL (map keys and values have none). */
static const cp_schema_attr *attr_at(const cp_schema_attr *attrs, const char *path)
{
    char seg[128];
    while (attrs) {
        size_t n = strcspn(path, ".[{");
        if (n >= sizeof seg) return NULL;
        memcpy(seg, path, n);
        seg[n] = '\0';
        const cp_schema_attr *a = cp_schema_find(attrs, seg);
        if (!a) return NULL;
        path += n;
        while (*path == '[' || *path == ']') path++;
        if (!*path) return a;
        if (*path == '{') return NULL;
        path++; /* '.' */
        attrs = a->block;
    }
    return NULL;
}

/* Terraform's semantics: an argument the provider computes or defaults is
 * never reported missing. Every argument AWS requires (a REQUIRED rule) is
 * required, computed or defaulted in its schema, so no REQUIRED rule can
 * fire at plan time on the real types; the ones that could, were the
 * schema to lose its default or computed flag, are the 21 below: names
 * made up when left out, AWS's defaults (status Active, a description),
 * and the next free listener rule priority. */
static void test_required_never_fires(void **st)
{
    (void)st;
    static const char *const guarded[] = {
        "aws_iam_access_key.status",
        "aws_iam_user_policy.name",
        "aws_iam_role.name",
        "aws_iam_role_policy.name",
        "aws_iam_policy.name",
        "aws_iam_instance_profile.name",
        "aws_s3_bucket.bucket",
        "aws_security_group.name",
        "aws_security_group.description",
        "aws_key_pair.key_name",
        "aws_launch_template.name",
        "aws_lambda_permission.statement_id",
        "aws_cloudwatch_log_group.name",
        "aws_lb.name",
        "aws_lb_target_group.name",
        "aws_lb_listener_rule.priority",
        "aws_db_subnet_group.name",
        "aws_db_subnet_group.description",
        "aws_db_instance.identifier",
        "aws_autoscaling_group.name",
        "aws_sns_topic.name",
        "aws_sqs_queue.name",
        "aws_secretsmanager_secret.name",
        "aws_cloudwatch_event_rule.name",
        "aws_cloudwatch_event_target.target_id",
        NULL,
    };
    size_t required = 0, seen = 0;
    for (const cp_aws_rule *r = cp_aws_rules; r->type; r++) {
        if (r->kind != CP_AWS_RULE_REQUIRED) continue;
        required++;
        const cp_schema_attr *a = attr_at(aws_type(r->type)->attrs, r->path);
        if (!a) fail_msg("%s.%s: no such argument", r->type, r->path);
        if (a->flags & CP_REQUIRED) continue;
        if (!(a->flags & CP_COMPUTED) && !a->default_json)
            fail_msg("%s.%s: AWS requires it (%s) but the schema neither requires, computes nor "
                     "defaults it",
                     r->type, r->path, r->source);
        char name[160];
        snprintf(name, sizeof name, "%s.%s", r->type, r->path);
        bool listed = false;
        for (size_t i = 0; guarded[i]; i++) listed = listed || !strcmp(guarded[i], name);
        if (!listed) fail_msg("%s: a new optional argument AWS requires; review it", name);
        seen++;
    }
    assert_true(required > 50);
    assert_int_equal(seen, sizeof guarded / sizeof *guarded - 1); /* each is still required */
    /* the names Terraform makes up are not reported missing */
    expect_ok("aws_s3_bucket", "{\"bucket\": null}");
    expect_ok("aws_iam_role", "{\"name\": null, \"assume_role_policy\": \"{}\"}");
    expect_ok("aws_lb", "{\"name\": null}");
}

/* Every rule's ERE compiles, and the table names only real types. */
static void test_table_sane(void **st)
{
    (void)st;
    size_t n = 0;
    for (const cp_aws_rule *r = cp_aws_rules; r->type; r++, n++) {
        assert_non_null(aws_type(r->type));
        assert_non_null(r->source);
        if (r->kind == CP_AWS_RULE_ENUM) assert_non_null(r->values);
    }
    assert_true(n > 300);
    assert_true(cp_aws_rules_untranslated >= 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern),
        cmocka_unit_test(test_charset),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_enum),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_items),
        cmocka_unit_test(test_required),
        cmocka_unit_test(test_required_never_fires),
        cmocka_unit_test(test_s3_tags),
        cmocka_unit_test(test_ec2_tags),
        cmocka_unit_test(test_iam_tags),
        cmocka_unit_test(test_unknown_passes),
        cmocka_unit_test(test_sensitive_hidden),
        cmocka_unit_test(test_every_argument_mapped),
        cmocka_unit_test(test_table_sane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
