/*
 * test_validate_config.c: the whole-config rules (validate_config) of the
 * AWS types that have them — aws_lb_listener, aws_lb_listener_rule,
 * aws_db_instance, aws_s3_object, aws_lambda_function — called directly,
 * as the planner calls them once a block is evaluated. No emulator: the
 * rules never reach AWS. Each rule is checked broken, kept, and with the
 * attributes it depends on still unknown (which must pass: plan cannot
 * tell yet). In the JSON configs below the string "?" stands for an
 * unknown value.
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
#include "providers/registry.h"

/* The rule's message for config (NULL when it passes). */
static char *check(const char *type, const char *config)
{
    cp_registry *reg = cp_registry_builtin();
    const cp_resource_type *t = cp_registry_find(reg, type, false, NULL);
    cp_registry_free(reg);
    assert_non_null(t);
    assert_non_null(t->validate_config);
    json_error_t je;
    json_t *j = json_loads(config, 0, &je);
    if (!j) fail_msg("bad JSON in test (%s): %s", je.text, config);
    cp_value *v = cpt_config_from_json(j);
    json_decref(j);
    char *why = t->validate_config(v);
    cp_release(v);
    return why;
}

static void expect_ok(const char *type, const char *config)
{
    char *why = check(type, config);
    if (why) fail_msg("%s %s: unexpected: %s", type, config, why);
}

static void expect_error(const char *type, const char *config, const char *part)
{
    char *why = check(type, config);
    if (!why) fail_msg("%s %s: passed, expected an error with \"%s\"", type, config, part);
    if (!strstr(why, part))
        fail_msg("%s %s: got \"%s\", expected \"%s\" in it", type, config, why, part);
    assert_null(strchr(why, '\n'));
    free(why);
}

#define FWD                                                                                        \
    "{\"type\": \"forward\", \"target_group_arn\": \"arn:tg\", \"fixed_response\": [], \"redirect\": []}"

static void test_listener(void **st)
{
    (void)st;
    const char *T = "aws_lb_listener";
    expect_ok(T,
              "{\"protocol\": \"HTTP\", \"certificate_arn\": null, \"default_action\": [" FWD "]}");
    expect_error(
        T, "{\"protocol\": \"HTTPS\", \"certificate_arn\": null, \"default_action\": [" FWD "]}",
        "a HTTPS listener needs certificate_arn");
    expect_error(T, "{\"protocol\": \"TLS\", \"default_action\": [" FWD "]}",
                 "a TLS listener needs certificate_arn");
    expect_ok(
        T, "{\"protocol\": \"HTTPS\", \"certificate_arn\": \"arn:cert\", \"default_action\": [" FWD
           "]}");
    expect_ok(T, "{\"protocol\": \"HTTPS\", \"certificate_arn\": \"?\", \"default_action\": [" FWD
                 "]}");
    expect_ok(T, "{\"protocol\": \"?\", \"certificate_arn\": null, \"default_action\": [" FWD "]}");
    /* actions */
    expect_error(
        T,
        "{\"protocol\": \"HTTP\", \"default_action\": [{\"type\": \"forward\", \"target_group_arn\": null}]}",
        "invalid default_action: a \"forward\" action needs target_group_arn");
    expect_ok(
        T,
        "{\"protocol\": \"HTTP\", \"default_action\": [{\"type\": \"forward\", \"target_group_arn\": \"?\"}]}");
    expect_ok(
        T,
        "{\"protocol\": \"HTTP\", \"default_action\": [{\"type\": \"?\", \"target_group_arn\": null}]}");
    expect_ok(T, "{\"protocol\": \"HTTP\", \"default_action\": \"?\"}");
    expect_ok(T, "{\"protocol\": \"HTTP\", \"default_action\": [\"?\"]}");
    expect_error(T,
                 "{\"default_action\": [{\"type\": \"fixed-response\", \"fixed_response\": []}]}",
                 "a \"fixed-response\" action needs a fixed_response block");
    expect_ok(T,
              "{\"default_action\": [{\"type\": \"fixed-response\", \"fixed_response\": \"?\"}]}");
    expect_ok(
        T,
        "{\"default_action\": [{\"type\": \"fixed-response\", \"fixed_response\": [{\"content_type\": \"text/plain\"}]}]}");
    expect_error(T, "{\"default_action\": [{\"type\": \"redirect\", \"redirect\": null}]}",
                 "a \"redirect\" action needs a redirect block");
    expect_error(T,
                 "{\"default_action\": [{\"type\": \"forward\", \"target_group_arn\": \"arn:tg\","
                 " \"fixed_response\": [{\"content_type\": \"text/plain\"}]}]}",
                 "a fixed_response block belongs only in an action of type \"fixed-response\"");
    expect_error(
        T,
        "{\"default_action\": [{\"type\": \"fixed-response\", \"fixed_response\": [{\"status_code\": \"200\"}],"
        " \"redirect\": [{\"port\": \"443\"}]}]}",
        "a redirect block belongs only in an action of type \"redirect\"");
    /* the second action is checked too */
    expect_error(T, "{\"default_action\": [" FWD ", {\"type\": \"redirect\", \"redirect\": []}]}",
                 "needs a redirect block");
}

static void test_listener_rule(void **st)
{
    (void)st;
    const char *T = "aws_lb_listener_rule";
    const char *path = "[{\"values\": [\"/api/*\"]}]",
               *host = "[{\"values\": [\"a.example.com\"]}]";
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"action\": [" FWD
             "], \"condition\": [{\"path_pattern\": %s, \"host_header\": []}]}",
             path);
    expect_ok(T, cfg);
    snprintf(cfg, sizeof cfg,
             "{\"action\": [" FWD
             "], \"condition\": [{\"path_pattern\": %s, \"host_header\": %s}]}",
             path, host);
    expect_error(
        T, cfg,
        "each condition block holds exactly one of path_pattern or host_header (one has both)");
    expect_error(T,
                 "{\"action\": [" FWD
                 "], \"condition\": [{\"path_pattern\": [], \"host_header\": null}]}",
                 "(one has neither)");
    snprintf(cfg, sizeof cfg,
             "{\"action\": [" FWD
             "], \"condition\": [{\"path_pattern\": \"?\", \"host_header\": %s}]}",
             host);
    expect_ok(T, cfg);
    expect_ok(T, "{\"action\": [" FWD "], \"condition\": [\"?\"]}");
    expect_ok(T, "{\"action\": [" FWD "], \"condition\": \"?\"}");
    snprintf(cfg, sizeof cfg,
             "{\"action\": [{\"type\": \"forward\"}], \"condition\": [{\"path_pattern\": %s}]}",
             path);
    expect_error(T, cfg, "invalid action: a \"forward\" action needs target_group_arn");
    snprintf(cfg, sizeof cfg,
             "{\"action\": [{\"type\": \"redirect\", \"redirect\": [{\"port\": \"443\"}]}],"
             " \"condition\": [{\"host_header\": %s}]}",
             host);
    expect_ok(T, cfg);
}

static void test_db_instance(void **st)
{
    (void)st;
    const char *T = "aws_db_instance";
    expect_error(T, "{\"skip_final_snapshot\": false, \"final_snapshot_identifier\": null}",
                 "final_snapshot_identifier is required when skip_final_snapshot is false");
    expect_error(T, "{\"identifier\": \"db\"}",
                 "set final_snapshot_identifier, or skip_final_snapshot = true");
    expect_ok(T, "{\"skip_final_snapshot\": true, \"final_snapshot_identifier\": null}");
    expect_ok(T, "{\"skip_final_snapshot\": false, \"final_snapshot_identifier\": \"db-final\"}");
    expect_ok(T, "{\"skip_final_snapshot\": false, \"final_snapshot_identifier\": \"?\"}");
    expect_ok(T, "{\"skip_final_snapshot\": \"?\", \"final_snapshot_identifier\": null}");
}

static void test_s3_object(void **st)
{
    (void)st;
    const char *T = "aws_s3_object";
    expect_ok(
        T,
        "{\"bucket\": \"b\", \"key\": \"k\", \"content\": \"hi\", \"source\": null, \"content_base64\": null}");
    expect_ok(T, "{\"bucket\": \"b\", \"key\": \"k\", \"source\": \"f.txt\"}");
    expect_error(
        T,
        "{\"bucket\": \"b\", \"key\": \"k\", \"source\": null, \"content\": null, \"content_base64\": null}",
        "set exactly one of source, content or content_base64 (none is set)");
    expect_error(T,
                 "{\"bucket\": \"b\", \"key\": \"k\", \"source\": \"f.txt\", \"content\": \"hi\"}",
                 "(source and content are both set)");
    expect_ok(T, "{\"bucket\": \"b\", \"key\": \"k\", \"content\": \"?\"}");
    expect_ok(T, "{\"bucket\": \"b\", \"key\": \"k\", \"content\": \"?\", \"source\": \"f.txt\"}");
    expect_error(
        T,
        "{\"bucket\": \"b\", \"key\": \"k\", \"content\": \"?\", \"source\": \"f.txt\", \"content_base64\": \"aGk=\"}",
        "(source and content_base64 are both set)");
}

static void test_lambda_function(void **st)
{
    (void)st;
    const char *T = "aws_lambda_function";
    expect_ok(T, "{\"function_name\": \"f\", \"filename\": \"f.zip\", \"source_dir\": null}");
    expect_ok(T, "{\"function_name\": \"f\", \"source_dir\": \"src\"}");
    expect_error(
        T, "{\"function_name\": \"f\", \"filename\": \"f.zip\", \"source_dir\": \"src\"}",
        "set exactly one of filename or source_dir (filename and source_dir are both set)");
    expect_error(T, "{\"function_name\": \"f\"}",
                 "set exactly one of filename or source_dir (none is set)");
    expect_ok(T, "{\"function_name\": \"f\", \"filename\": \"?\"}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listener),        cmocka_unit_test(test_listener_rule),
        cmocka_unit_test(test_db_instance),     cmocka_unit_test(test_s3_object),
        cmocka_unit_test(test_lambda_function),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
