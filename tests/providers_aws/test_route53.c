/*
 * test_route53.c: aws_route53_zone and aws_route53_record
 * (src/providers/aws/route53_*.c) on both endpoints: a zone with its name
 * servers, comment and tags changed in place and behind cpstack's back,
 * import, find by CallerReference, force_destroy; records created (CREATE,
 * UPSERT with allow_overwrite, a CREATE of an existing record refused),
 * changed, imported by ZONEID_NAME_TYPE, deleted; the rules on ttl,
 * records and alias; data "aws_route53_zone" by name or zone_id, with
 * its "no match" and "several match" errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "providers/aws/aws_types.h"

#define ZONE   "aws_route53_zone"
#define RECORD "aws_route53_record"

/* The record sets of a zone as ListResourceRecordSets gives them (new reference). */
static json_t *rrsets(cpt_env *e, const char *zone)
{
    json_t *r = cpt_aws(e, "route53", "list_resource_record_sets(HostedZoneId='%s')", zone);
    json_t *l = json_incref(json_object_get(r, "ResourceRecordSets"));
    json_decref(r);
    return l;
}

static void test_zone_lifecycle(void **st)
{
    cpt_env *e = *st;
    cp_value *intent = cpt_val("{\"name\": \"example.com.\", \"tags\": {\"app\": \"web\"},"
                               " \"cpstack:intent\": \"0b0e6c1c-7d5c-4c1e-9a55-1d2f3e4a5b6c\"}");
    cp_value *none = cpt_find_ok(e, ZONE, intent);
    assert_null(none);
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, ZONE, intent, &s, &err) != 0) fail_msg("%s", err);
    const char *id = cpt_str(s, "id");
    assert_true(strlen(id) > 0);
    assert_null(strchr(id, '/'));
    assert_string_equal(cpt_str(s, "zone_id"), id);
    assert_string_equal(cpt_str(s, "name"), "example.com."); /* the same name: kept as written */
    assert_string_equal(cpt_str(s, "comment"), "Managed by cpstack");
    assert_false(cp_bool_val(cp_map_get(s, "force_destroy")));
    assert_true(cp_len(cp_map_get(s, "name_servers")) >= 1);
    assert_string_equal(cpt_str(s, "primary_name_server"),
                        cp_string_val(cp_list_get(cp_map_get(s, "name_servers"), 0)));
    char arn[128];
    snprintf(arn, sizeof arn, "arn:aws:route53:::hostedzone/%s", id);
    assert_string_equal(cpt_str(s, "arn"), arn);
    json_t *z = cpt_aws(e, "route53", "get_hosted_zone(Id='%s')", id);
    /* AWS keeps names lower-case; moto as written */
    assert_int_equal(strcasecmp(json_string_value(cpt_path(z, "HostedZone/Name")), "example.com."),
                     0);
    assert_string_equal(json_string_value(cpt_path(z, "HostedZone/Config/Comment")),
                        "Managed by cpstack");
    json_decref(z);
    json_t *t = cpt_aws(e, "route53",
                        "list_tags_for_resource(ResourceType='hostedzone', ResourceId='%s')", id);
    json_t *tm = cpt_tag_map(cpt_path(t, "ResourceTagSet/Tags"));
    assert_string_equal(json_string_value(json_object_get(tm, "app")), "web");
    json_decref(tm);
    json_decref(t);
    cp_value *found = cpt_find_ok(e, ZONE, intent);
    assert_non_null(found);
    assert_string_equal(cpt_str(found, "id"), id);
    cp_value *r = cpt_read_ok(e, ZONE, s);
    assert_true(cp_equal(r, s));

    /* changed behind cpstack's back */
    assert_int_equal(cpt_boto(e, "route53", "update_hosted_zone_comment(Id='%s', Comment='x')", id),
                     0);
    cp_value *drift = cpt_read_ok(e, ZONE, s);
    assert_string_equal(cpt_str(drift, "comment"), "x");

    cp_value *s2 = cpt_update_ok(e, ZONE, drift,
                                 "{\"name\": \"example.com\", \"comment\": \"web zone\","
                                 " \"tags\": {\"env\": \"prod\", \"t1\": \"1\", \"t2\": \"2\","
                                 " \"t3\": \"3\", \"t4\": \"4\", \"t5\": \"5\", \"t6\": \"6\","
                                 " \"t7\": \"7\", \"t8\": \"8\", \"t9\": \"9\", \"t10\": \"10\","
                                 " \"t11\": \"11\"}, \"force_destroy\": true}");
    assert_string_equal(cpt_str(s2, "id"), id);
    assert_string_equal(cpt_str(s2, "comment"), "web zone");
    t = cpt_aws(e, "route53", "list_tags_for_resource(ResourceType='hostedzone', ResourceId='%s')",
                id);
    tm = cpt_tag_map(cpt_path(t, "ResourceTagSet/Tags"));
    assert_null(json_object_get(tm, "app"));
    assert_string_equal(json_string_value(json_object_get(tm, "env")), "prod");
    assert_int_equal(json_object_size(tm), 12); /* in two calls: AWS takes 10 a call */
    json_decref(tm);
    json_decref(t);

    char zid_path[64];
    snprintf(zid_path, sizeof zid_path, "/hostedzone/%s", id);
    cp_value *imp = cpt_import_ok(e, ZONE, zid_path);
    cpt_assert_same(
        imp, s2,
        (const char *const[]){ "id", "zone_id", "arn", "comment", "name_servers", "tags", NULL });
    assert_string_equal(cpt_str(imp, "name"), "example.com");

    /* a record left in the zone: force_destroy deletes it first */
    char cfg[256];
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"www\", \"type\": \"A\", \"ttl\": 60,"
             " \"records\": [\"192.0.2.10\"]}",
             id);
    cp_value *rec = cpt_create_ok(e, RECORD, cfg);
    cpt_delete_ok(e, ZONE, s2);
    assert_null(cpt_read_ok(e, ZONE, s2));
    cpt_delete_ok(e, ZONE, s2); /* gone already: fine */
    assert_null(cpt_read_ok(e, RECORD, rec));

    cp_release(intent);
    cp_release(s);
    cp_release(found);
    cp_release(r);
    cp_release(drift);
    cp_release(s2);
    cp_release(imp);
    cp_release(rec);
}

static void test_records(void **st)
{
    cpt_env *e = *st;
    cp_value *zone = cpt_create_ok(e, ZONE, "{\"name\": \"example.org\"}");
    const char *zid = cpt_str(zone, "id");
    char cfg[512], want[128];
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"WWW.example.org\", \"type\": \"A\", \"ttl\": 300,"
             " \"records\": [\"192.0.2.1\", \"192.0.2.2\"]}",
             zid);
    cp_value *a = cpt_create_ok(e, RECORD, cfg);
    snprintf(want, sizeof want, "%s_www.example.org_A", zid);
    assert_string_equal(cpt_str(a, "id"), want);
    assert_string_equal(cpt_str(a, "fqdn"), "www.example.org");
    assert_string_equal(cpt_str(a, "name"), "WWW.example.org");
    assert_int_equal(cp_len(cp_map_get(a, "records")), 2);
    json_t *l = rrsets(e, zid);
    json_t *rr = cpt_find(l, "Name", "www.example.org.");
    assert_non_null(rr);
    assert_int_equal(json_integer_value(json_object_get(rr, "TTL")), 300);
    assert_int_equal(json_array_size(json_object_get(rr, "ResourceRecords")), 2);
    json_decref(l);
    cp_value *r = cpt_read_ok(e, RECORD, a);
    assert_true(cp_equal(r, a));

    /* a second CREATE of the same record is refused, in one line */
    cp_value *dup = cpt_val(cfg), *ds = NULL;
    char *err = NULL;
    assert_int_equal(cpt_create(e, RECORD, dup, &ds, &err), -1);
    assert_non_null(strstr(err, "InvalidChangeBatch"));
    assert_null(strchr(err, '\n'));
    free(err);
    err = NULL;
    cp_release(dup);
    cp_release(ds);

    /* changed in place: ttl and records (UPSERT) */
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"WWW.example.org\", \"type\": \"A\", \"ttl\": 60,"
             " \"records\": [\"192.0.2.3\"]}",
             zid);
    cp_value *a2 = cpt_update_ok(e, RECORD, a, cfg);
    assert_int_equal((int)cp_number_val(cp_map_get(a2, "ttl")), 60);
    assert_string_equal(cp_string_val(cp_list_get(cp_map_get(a2, "records"), 0)), "192.0.2.3");
    l = rrsets(e, zid);
    rr = cpt_find(l, "Name", "www.example.org.");
    assert_int_equal(json_integer_value(json_object_get(rr, "TTL")), 60);
    json_decref(l);

    /* a TXT record with a relative name, taken over with allow_overwrite */
    assert_int_equal(
        cpt_boto(e, "route53",
                 "change_resource_record_sets(HostedZoneId='%s', ChangeBatch={'Changes': "
                 "[{'Action': 'CREATE', 'ResourceRecordSet': {'Name': "
                 "'_acme-challenge.example.org', 'Type': 'TXT', 'TTL': 30, "
                 "'ResourceRecords': [{'Value': '\"old\"'}]}}]})",
                 zid),
        0);
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"_acme-challenge\", \"type\": \"TXT\", \"ttl\": 30,"
             " \"records\": [\"\\\"new\\\"\"], \"allow_overwrite\": true}",
             zid);
    cp_value *txt = cpt_create_ok(e, RECORD, cfg);
    assert_string_equal(cpt_str(txt, "fqdn"), "_acme-challenge.example.org");
    assert_string_equal(cp_string_val(cp_list_get(cp_map_get(txt, "records"), 0)), "\"new\"");

    /* import by Terraform's id, a name holding _ included */
    snprintf(want, sizeof want, "%s__acme-challenge.example.org_TXT", zid);
    cp_value *imp = cpt_import_ok(e, RECORD, want);
    cpt_assert_same(imp, txt,
                    (const char *const[]){ "id", "fqdn", "type", "ttl", "records", NULL });
    assert_string_equal(cpt_str(imp, "name"), "_acme-challenge.example.org");
    cp_value *bad = NULL;
    assert_int_equal(cpt_import(e, RECORD, "nonsense", &bad, &err), -1);
    assert_non_null(strstr(err, "ZONEID_NAME_TYPE"));
    free(err);
    err = NULL;

    /* an alias to another record of the zone */
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"example.org\", \"type\": \"A\", \"alias\":"
             " [{\"name\": \"www.example.org\", \"zone_id\": \"%s\","
             " \"evaluate_target_health\": false}]}",
             zid, zid);
    cp_value *alias = cpt_create_ok(e, RECORD, cfg);
    const cp_value *al = cp_list_get(cp_map_get(alias, "alias"), 0);
    assert_string_equal(cpt_str(al, "name"), "www.example.org");
    assert_true(cp_is_null(cp_map_get(alias, "ttl")));
    cp_value *ar = cpt_read_ok(e, RECORD, alias);
    assert_true(cp_equal(ar, alias));

    /* deleted behind cpstack's back: read says gone; delete is fine */
    cpt_delete_ok(e, RECORD, txt);
    assert_null(cpt_read_ok(e, RECORD, txt));
    cpt_delete_ok(e, RECORD, txt);
    cpt_delete_ok(e, RECORD, alias);
    cpt_delete_ok(e, RECORD, a2);
    l = rrsets(e, zid);
    assert_int_equal(json_array_size(l), 2); /* the zone's own SOA and NS */
    json_decref(l);

    /* a zone still holding records is not deleted without force_destroy */
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"mail\", \"type\": \"MX\", \"ttl\": 300,"
             " \"records\": [\"10 mx.example.org\"]}",
             zid);
    cp_value *mx = cpt_create_ok(e, RECORD, cfg);
    assert_int_equal(cpt_delete(e, ZONE, zone, &err), -1);
    assert_non_null(strstr(err, "HostedZoneNotEmpty"));
    assert_null(strchr(err, '\n'));
    free(err);
    cpt_delete_ok(e, RECORD, mx);
    cpt_delete_ok(e, ZONE, zone);

    cp_release(zone);
    cp_release(a);
    cp_release(r);
    cp_release(a2);
    cp_release(txt);
    cp_release(imp);
    cp_release(bad);
    cp_release(alias);
    cp_release(ar);
    cp_release(mx);
}

static void test_zone_data(void **st)
{
    cpt_env *e = *st;
    char *err = NULL;
    cp_value *d = NULL;
    assert_int_equal(cpt_read_data(e, ZONE, "{\"name\": \"example.net\"}", &d, &err), -1);
    assert_non_null(strstr(err, "no public hosted zone named example.net"));
    assert_null(strchr(err, '\n'));
    free(err);
    err = NULL;
    cp_value *z = cpt_create_ok(e, ZONE, "{\"name\": \"example.net\", \"comment\": \"net\"}");
    cp_value *byname = cpt_read_data_ok(e, ZONE, "{\"name\": \"example.net.\"}");
    assert_string_equal(cpt_str(byname, "zone_id"), cpt_str(z, "id"));
    assert_string_equal(cpt_str(byname, "comment"), "net");
    assert_string_equal(cpt_str(byname, "arn"), cpt_str(z, "arn"));
    assert_true(cp_equal(cp_map_get(byname, "name_servers"), cp_map_get(z, "name_servers")));
    char cfg[128];
    snprintf(cfg, sizeof cfg, "{\"zone_id\": \"%s\"}", cpt_str(z, "id"));
    cp_value *byid = cpt_read_data_ok(e, ZONE, cfg);
    assert_string_equal(cpt_str(byid, "name"), "example.net");
    assert_int_equal(
        cpt_read_data(e, ZONE, "{\"name\": \"example.net\", \"private_zone\": true}", &d, &err),
        -1);
    assert_non_null(strstr(err, "no private hosted zone"));
    free(err);
    err = NULL;
    cp_value *z2 = cpt_create_ok(e, ZONE, "{\"name\": \"example.net\"}");
    assert_int_equal(cpt_read_data(e, ZONE, "{\"name\": \"example.net\"}", &d, &err), -1);
    assert_non_null(strstr(err, "2 public hosted zones are named example.net"));
    assert_null(strchr(err, '\n'));
    free(err);
    cpt_delete_ok(e, ZONE, z);
    cpt_delete_ok(e, ZONE, z2);
    cp_release(z);
    cp_release(z2);
    cp_release(byname);
    cp_release(byid);
}

static char *validate_config(const char *json)
{
    cp_value *v = cpt_val(json);
    char *msg = cpt_type(RECORD)->validate_config(v);
    cp_release(v);
    return msg;
}

static void test_rules(void **st)
{
    (void)st;
    char *m = validate_config("{\"zone_id\": \"Z1\", \"name\": \"a\", \"type\": \"A\"}");
    assert_non_null(m);
    assert_non_null(strstr(m, "ttl and records"));
    free(m);
    m = validate_config("{\"zone_id\": \"Z1\", \"name\": \"a\", \"type\": \"A\", \"ttl\": 5,"
                        " \"records\": [\"192.0.2.1\"], \"alias\": [{\"name\": \"b\","
                        " \"zone_id\": \"Z1\", \"evaluate_target_health\": true}]}");
    assert_non_null(m);
    assert_non_null(strstr(m, "alias cannot be set"));
    free(m);
    assert_null(validate_config("{\"zone_id\": \"Z1\", \"name\": \"a\", \"type\": \"A\","
                                " \"ttl\": 5, \"records\": [\"192.0.2.1\"]}"));
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
        cmocka_unit_test_setup(test_zone_lifecycle, reset),
        cmocka_unit_test_setup(test_records, reset),
        cmocka_unit_test_setup(test_zone_data, reset),
        cmocka_unit_test(test_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
