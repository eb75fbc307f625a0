/*
 * test_acm_route53.c: aws_acm_certificate and aws_acm_certificate_validation
 * against the endpoint: a DNS-validated request shows in
 * DescribeCertificate with its validation records, read and import match,
 * tags change in place, the validation waits until ISSUED (the emulator
 * issues after `pending_polls` reads, moto after MOTO_ACM_VALIDATION_WAIT
 * seconds), a record missing from validation_record_fqdns is named, the
 * idempotency token finds an interrupted request again, and delete.
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

#define CERT       "aws_acm_certificate"
#define VALIDATION "aws_acm_certificate_validation"

static json_t *describe(cpt_env *e, const char *arn)
{
    return cpt_aws(e, "acm", "describe_certificate(CertificateArn='%s')", arn);
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

/* validation_record_fqdns from the state's domain_validation_options, as JSON. */
static void fqdns_json(const cp_value *cert, char *buf, size_t n, size_t skip)
{
    const cp_value *dvo = cp_get_list(cert, "domain_validation_options");
    size_t at = (size_t)snprintf(buf, n, "[");
    for (size_t i = 0; i < cp_len(dvo); i++) {
        if (i == skip) continue;
        at += (size_t)snprintf(buf + at, n - at, "%s\"%s\"", at > 1 ? ", " : "",
                               cpt_str(cp_list_get(dvo, i), "resource_record_name"));
    }
    snprintf(buf + at, n - at, "]");
}

static void test_certificate_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(e, CERT,
                                "{\"domain_name\": \"example.com\", \"subject_alternative_names\": "
                                "[\"www.example.com\"], \"validation_method\": \"DNS\", "
                                "\"tags\": {\"Name\": \"site\"}}");
    const char *arn = cpt_str(s, "arn");
    assert_non_null(strstr(arn, ":acm:us-east-1:"));
    assert_string_equal(cpt_str(s, "id"), arn);
    if (cpt_emulator_only(e, "moto issues a requested certificate after a fixed delay, which a "
                             "loaded machine may pass before the first read"))
        assert_string_equal(cpt_str(s, "status"), "PENDING_VALIDATION");
    else
        assert_true(!strcmp(cpt_str(s, "status"), "PENDING_VALIDATION") ||
                    !strcmp(cpt_str(s, "status"), "ISSUED"));
    assert_string_equal(cpt_str(s, "validation_method"), "DNS");
    assert_string_equal(cpt_str(s, "key_algorithm"), "RSA_2048");
    const cp_value *sans = cp_get_list(s, "subject_alternative_names");
    assert_int_equal(cp_len(sans), 1); /* domain_name itself left out */
    assert_string_equal(cp_string_val(cp_list_get(sans, 0)), "www.example.com");
    const cp_value *dvo = cp_get_list(s, "domain_validation_options");
    assert_int_equal(cp_len(dvo), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(cpt_str(cp_list_get(dvo, i), "resource_record_type"), "CNAME");
        assert_non_null(
            strstr(cpt_str(cp_list_get(dvo, i), "resource_record_name"), "example.com"));
    }
    json_t *d = describe(e, arn);
    assert_string_equal(json_string_value(cpt_path(d, "Certificate/DomainName")), "example.com");
    json_decref(d);
    /* read matches but for status, which AWS moves on by itself */
    cp_value *r = cpt_read_ok(e, CERT, s);
    static const char *const stable[] = { "id",
                                          "arn",
                                          "domain_name",
                                          "subject_alternative_names",
                                          "validation_method",
                                          "key_algorithm",
                                          "tags",
                                          "domain_validation_options",
                                          NULL };
    cpt_assert_same(r, s, stable);
    cp_release(r);
    cp_value *imp = cpt_import_ok(e, CERT, arn);
    static const char *const same[] = { "id", "domain_name", "validation_method", "key_algorithm",
                                        NULL };
    cpt_assert_same(imp, s, same);
    cp_release(imp);

    /* tags change in place */
    cp_value *s2 =
        cpt_update_ok(e, CERT, s,
                      "{\"domain_name\": \"example.com\", \"subject_alternative_names\": "
                      "[\"www.example.com\"], \"validation_method\": \"DNS\", "
                      "\"tags\": {\"Team\": \"web\"}}");
    assert_string_equal(cpt_str(s2, "id"), arn);
    json_t *t = cpt_aws(e, "acm", "list_tags_for_certificate(CertificateArn='%s')", arn);
    json_t *tags = cpt_tag_map(json_object_get(t, "Tags"));
    assert_null(json_object_get(tags, "Name"));
    assert_string_equal(json_string_value(json_object_get(tags, "Team")), "web");
    json_decref(tags);
    json_decref(t);

    /* a validation naming one record only is refused, naming the other */
    char fq[512], cfg[1024];
    fqdns_json(s2, fq, sizeof fq, 1);
    snprintf(cfg, sizeof cfg, "{\"certificate_arn\": \"%s\", \"validation_record_fqdns\": %s}", arn,
             fq);
    cp_value *bad_cfg = cpt_val(cfg), *none = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, VALIDATION, bad_cfg, &none, &err), -1);
    assert_non_null(strstr(err, "validation_record_fqdns lacks"));
    free(err);
    cp_release(bad_cfg);

    /* the validation waits until ISSUED */
    fqdns_json(s2, fq, sizeof fq, (size_t)-1);
    snprintf(cfg, sizeof cfg, "{\"certificate_arn\": \"%s\", \"validation_record_fqdns\": %s}", arn,
             fq);
    cp_value *v = cpt_create_ok(e, VALIDATION, cfg);
    assert_string_equal(cpt_str(v, "id"), arn);
    d = describe(e, arn);
    assert_string_equal(json_string_value(cpt_path(d, "Certificate/Status")), "ISSUED");
    json_decref(d);
    assert_read_equal(e, VALIDATION, v);
    r = cpt_read_ok(e, CERT, s2);
    assert_string_equal(cpt_str(r, "status"), "ISSUED");
    cp_release(r);

    /* deleted: gone for both */
    cpt_delete_ok(e, VALIDATION, v);
    cpt_delete_ok(e, CERT, s2);
    d = describe(e, arn);
    assert_string_equal(cpt_aws_error(d), "ResourceNotFoundException");
    json_decref(d);
    assert_null(cpt_read_ok(e, CERT, s2));
    assert_null(cpt_read_ok(e, VALIDATION, v));
    cpt_delete_ok(e, CERT, s2); /* already gone: fine */
    cp_release(s);
    cp_release(s2);
    cp_release(v);
}

/* The idempotency token and the intent tag find an interrupted request. */
static void test_certificate_found_by_intent(void **st)
{
    cpt_env *e = *st;
    static const char cfg[] =
        "{\"domain_name\": \"api.example.org\", \"validation_method\": "
        "\"DNS\", \"" CP_INTENT_KEY "\": \"6f1c0b8e-2d4a-4c1e-9a57-0b3d2e4f5a61\"}";
    cp_value *s = cpt_create_ok(e, CERT, cfg);
    cp_value *again = cpt_create_ok(e, CERT, cfg); /* the same token: the same certificate */
    assert_string_equal(cpt_str(again, "id"), cpt_str(s, "id"));
    cp_release(again);
    cp_value *intent = cpt_val(cfg), *found = NULL;
    cp_provider_call c = { .client = cpt_client(e), .address = CERT ".test" };
    assert_int_equal(cpt_type(CERT)->find(&c, intent, &found), 0);
    assert_non_null(found);
    assert_string_equal(cpt_str(found, "id"), cpt_str(s, "id"));
    const cp_value *tags = cp_get_map(found, "tags");
    assert_true(!tags || !cp_map_get(tags, CP_INTENT_KEY));
    cp_release(found);
    cpt_delete_ok(e, CERT, s);
    found = NULL;
    assert_int_equal(cpt_type(CERT)->find(&c, intent, &found), 0);
    assert_null(found);
    free(c.error);
    cp_release(intent);
    cp_release(s);
}

/* data "aws_acm_certificate" of cfg: 0 with *out, or -1 with *err (malloc'd). */
static int cert_data(cpt_env *e, const char *cfg_json, cp_value **out, char **err)
{
    const cp_resource_type *t = NULL;
    for (const cp_resource_type *const *p = cp_provider_aws.types; *p && !t; p++)
        if ((*p)->is_data && !strcmp((*p)->name, CERT)) t = *p;
    assert_non_null(t);
    cp_provider_call c = { .client = cpt_client(e), .address = "data." CERT ".test" };
    cp_value *cfg = cpt_val(cfg_json);
    *out = NULL;
    int rc = t->read_data(&c, cfg, out);
    cp_release(cfg);
    *err = c.error;
    return rc;
}

/* Two issued certificates for one domain: ambiguous unless most_recent. */
static void test_certificate_data(void **st)
{
    cpt_env *e = *st;
    static const char req[] = "{\"domain_name\": \"data.example.net\", \"validation_method\": "
                              "\"DNS\"}";
    cp_value *a = cpt_create_ok(e, CERT, req), *b = cpt_create_ok(e, CERT, req), *out, *va, *vb;
    char cfg[512], *err = NULL;
    assert_int_equal(cert_data(e,
                               "{\"domain\": \"data.example.net\", \"statuses\": "
                               "[\"PENDING_VALIDATION\", \"ISSUED\"], \"most_recent\": true}",
                               &out, &err),
                     0);
    cp_release(out);
    snprintf(cfg, sizeof cfg, "{\"certificate_arn\": \"%s\"}", cpt_str(a, "arn"));
    va = cpt_create_ok(e, VALIDATION, cfg);
    snprintf(cfg, sizeof cfg, "{\"certificate_arn\": \"%s\"}", cpt_str(b, "arn"));
    vb = cpt_create_ok(e, VALIDATION, cfg);
    assert_int_equal(cert_data(e, "{\"domain\": \"data.example.net\"}", &out, &err), -1);
    assert_non_null(strstr(err, "most_recent"));
    free(err);
    assert_int_equal(
        cert_data(e, "{\"domain\": \"data.example.net\", \"most_recent\": true}", &out, &err), 0);
    assert_string_equal(cpt_str(out, "status"), "ISSUED");
    assert_true(!strcmp(cpt_str(out, "arn"), cpt_str(a, "arn")) ||
                !strcmp(cpt_str(out, "arn"), cpt_str(b, "arn")));
    cp_release(out);
    assert_int_equal(cert_data(e, "{\"domain\": \"none.example.net\"}", &out, &err), -1);
    assert_non_null(strstr(err, "no ACM certificate for none.example.net"));
    free(err);
    cpt_delete_ok(e, CERT, a);
    cpt_delete_ok(e, CERT, b);
    cp_value *vals[] = { a, b, va, vb };
    for (size_t i = 0; i < 4; i++) cp_release(vals[i]);
}

static int setup(void **st)
{
    setenv("MOTO_ACM_VALIDATION_WAIT", "2", 1); /* moto issues requested certificates after 2 s */
    *st = cpt_start();
    return *st ? 0 : -1;
}
static int teardown(void **st)
{
    cpt_stop(*st);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_certificate_lifecycle),
        cmocka_unit_test(test_certificate_found_by_intent),
        cmocka_unit_test(test_certificate_data),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
