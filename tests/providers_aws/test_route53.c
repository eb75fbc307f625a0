/*
 * test_route53.c: aws_route53_zone and aws_route53_record
 * (src/providers/aws/route53_*.c) on both endpoints: a zone with its name
 * servers, comment and tags changed in place and behind cpstack's back,
 * import, find by CallerReference, force_destroy; records created (CREATE,
 * UPSERT with allow_overwrite, a CREATE of an existing record refused),
 * changed, imported by ZONEID_NAME_TYPE, deleted; the rules on ttl,
 * records and alias; data "aws_route53_zone" by name or zone_id, with
 * its "no match" and "several match" errors; private zones (vpc blocks
 * added and removed in place, read back, public <-> private a
 * replacement); records with a set_identifier and a routing policy
 * (weighted, failover with a health check, latency, geolocation,
 * multivalue), the set identifier changed in place, the routing rules;
 * the batch refresh of records (one ListResourceRecordSets a zone).
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
#include "providers/aws/rules.h"

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

/* The VPC ids of GetHostedZone, sorted, joined by "," (malloc'd). */
static char *zone_vpcs(cpt_env *e, const char *zid)
{
    json_t *z = cpt_aws(e, "route53", "get_hosted_zone(Id='%s')", zid);
    json_t *l = json_object_get(z, "VPCs");
    char buf[256] = "";
    const char *ids[8];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(l) && n < 8; i++)
        ids[n++] = json_string_value(json_object_get(json_array_get(l, i), "VPCId"));
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(ids[j], ids[i]) < 0) {
                const char *t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
            }
    for (size_t i = 0; i < n; i++) {
        if (i) strncat(buf, ",", sizeof buf - strlen(buf) - 1);
        strncat(buf, ids[i], sizeof buf - strlen(buf) - 1);
    }
    json_decref(z);
    return strdup(buf);
}

static char *new_vpc(cpt_env *e, const char *cidr)
{
    json_t *r = cpt_aws(e, "ec2", "create_vpc(CidrBlock='%s')", cidr);
    const char *id = json_string_value(cpt_path(r, "Vpc/VpcId"));
    assert_non_null(id);
    char *out = strdup(id);
    json_decref(r);
    return out;
}

static void assert_vpcs(cpt_env *e, const char *zid, const char *want)
{
    char *got = zone_vpcs(e, zid);
    assert_string_equal(got, want);
    free(got);
}

static void test_private_zone(void **st)
{
    cpt_env *e = *st;
    char *v1 = new_vpc(e, "10.1.0.0/16"), *v2 = new_vpc(e, "10.2.0.0/16");
    char both[64], cfg[256];
    snprintf(both, sizeof both, "%s,%s", strcmp(v1, v2) < 0 ? v1 : v2,
             strcmp(v1, v2) < 0 ? v2 : v1);
    snprintf(cfg, sizeof cfg, "{\"name\": \"internal.example\", \"vpc\": [{\"vpc_id\": \"%s\"}]}",
             v1);
    cp_value *z = cpt_create_ok(e, ZONE, cfg);
    const char *zid = cpt_str(z, "id");
    const cp_value *vl = cp_map_get(z, "vpc");
    assert_int_equal(cp_len(vl), 1);
    assert_string_equal(cpt_str(cp_list_get(vl, 0), "vpc_id"), v1);
    assert_string_equal(cpt_str(cp_list_get(vl, 0), "vpc_region"),
                        "us-east-1"); /* the provider's */
    json_t *g = cpt_aws(e, "route53", "get_hosted_zone(Id='%s')", zid);
    assert_true(json_is_true(cpt_path(g, "HostedZone/Config/PrivateZone")));
    assert_null(json_object_get(g, "DelegationSet"));
    json_decref(g);
    assert_vpcs(e, zid, v1);
    assert_true(cp_len(cp_map_get(z, "name_servers")) >= 1); /* the zone's own NS record */
    cp_value *r = cpt_read_ok(e, ZONE, z);
    assert_true(cp_equal(r, z));

    /* a second VPC, then the first removed: in place, the zone stays */
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"internal.example\", \"vpc\": [{\"vpc_id\": \"%s\"},"
             " {\"vpc_id\": \"%s\", \"vpc_region\": \"us-east-1\"}]}",
             v1, v2);
    cp_value *z2 = cpt_update_ok(e, ZONE, z, cfg);
    assert_string_equal(cpt_str(z2, "id"), zid);
    assert_int_equal(cp_len(cp_map_get(z2, "vpc")), 2);
    assert_vpcs(e, zid, both);
    snprintf(cfg, sizeof cfg, "{\"name\": \"internal.example\", \"vpc\": [{\"vpc_id\": \"%s\"}]}",
             v2);
    cp_value *z3 = cpt_update_ok(e, ZONE, z2, cfg);
    assert_vpcs(e, zid, v2);
    assert_string_equal(cpt_str(cp_list_get(cp_map_get(z3, "vpc"), 0), "vpc_id"), v2);

    /* associated behind cpstack's back: read shows it, import too */
    assert_int_equal(cpt_boto(e, "route53",
                              "associate_vpc_with_hosted_zone(HostedZoneId='%s', "
                              "VPC={'VPCRegion': 'us-east-1', 'VPCId': '%s'})",
                              zid, v1),
                     0);
    cp_value *drift = cpt_read_ok(e, ZONE, z3);
    assert_int_equal(cp_len(cp_map_get(drift, "vpc")), 2);
    cp_value *imp = cpt_import_ok(e, ZONE, zid);
    assert_int_equal(cp_len(cp_map_get(imp, "vpc")), 2);

    /* public <-> private is a replacement at plan time, refused by update */
    const cp_resource_type *t = cpt_type(ZONE);
    cp_value *pub = cpt_val("{\"name\": \"internal.example\", \"vpc\": []}");
    assert_string_equal(t->replace_if(z3, pub), "vpc");
    assert_string_equal(t->replace_if(pub, z3), "vpc");
    assert_null(t->replace_if(z3, z2));
    assert_null(t->replace_if(pub, pub));
    cp_value *unk = cpt_val("{\"name\": \"internal.example\"}");
    cp_map_set_take(unk, "vpc", cp_unknown());
    assert_null(t->replace_if(pub, unk)); /* cannot tell yet */
    char *err = NULL;
    cp_value *bad = NULL;
    assert_int_equal(cpt_update(e, ZONE, drift, pub, &bad, &err), -1);
    assert_non_null(strstr(err, "cannot turn public in place"));
    assert_null(strchr(err, '\n'));
    free(err);
    err = NULL;
    cp_release(bad);
    bad = NULL;
    if (cpt_emulator_only(e, "moto makes a private zone with a VPC that does not exist")) {
        cp_value *nov = cpt_val("{\"name\": \"other.example\", \"vpc\": [{\"vpc_id\":"
                                " \"vpc-0000000000000000f\"}]}");
        assert_int_equal(cpt_create(e, ZONE, nov, &bad, &err), -1);
        assert_non_null(strstr(err, "InvalidVPCId"));
        assert_null(strchr(err, '\n'));
        free(err);
        err = NULL;
        cp_release(nov);
        cp_release(bad);
        bad = NULL;
    }
    cpt_delete_ok(e, ZONE, drift);
    assert_null(cpt_read_ok(e, ZONE, drift));

    cp_release(z);
    cp_release(r);
    cp_release(z2);
    cp_release(z3);
    cp_release(drift);
    cp_release(imp);
    cp_release(pub);
    cp_release(unk);
    free(v1);
    free(v2);
}

/* The record sets of the zone named name (type A … as given), as "setid=weight" etc. */
static json_t *rrset_of(json_t *l, const char *name, const char *setid)
{
    for (size_t i = 0; i < json_array_size(l); i++) {
        json_t *r = json_array_get(l, i);
        const char *n = json_string_value(json_object_get(r, "Name"));
        const char *s = json_string_value(json_object_get(r, "SetIdentifier"));
        if (n && strcasecmp(n, name) == 0 && s && strcmp(s, setid) == 0) return r;
    }
    return NULL;
}

static void test_routing(void **st)
{
    cpt_env *e = *st;
    cp_value *zone = cpt_create_ok(e, ZONE, "{\"name\": \"example.org\"}");
    const char *zid = cpt_str(zone, "id");
    char cfg[512], want[128];
#define WEIGHTED(sid, w, ip)                                                                       \
    (snprintf(cfg, sizeof cfg,                                                                     \
              "{\"zone_id\": \"%s\", \"name\": \"api\", \"type\": \"A\", \"ttl\": 60,"             \
              " \"records\": [\"%s\"], \"set_identifier\": \"%s\","                                \
              " \"weighted_routing_policy\": [{\"weight\": %d}]}",                                 \
              zid, ip, sid, w),                                                                    \
     cfg)
    cp_value *blue = cpt_create_ok(e, RECORD, WEIGHTED("blue", 90, "192.0.2.1"));
    cp_value *green = cpt_create_ok(e, RECORD, WEIGHTED("green", 10, "192.0.2.2"));
    snprintf(want, sizeof want, "%s_api.example.org_A_blue", zid);
    assert_string_equal(cpt_str(blue, "id"), want);
    assert_string_equal(cpt_str(blue, "set_identifier"), "blue");
    assert_int_equal((int)cp_number_val(cp_map_get(
                         cp_list_get(cp_map_get(blue, "weighted_routing_policy"), 0), "weight")),
                     90);
    assert_int_equal(cp_len(cp_map_get(blue, "failover_routing_policy")), 0);
    assert_false(cp_bool_val(cp_map_get(blue, "multivalue_answer_routing_policy")));
    cp_value *r = cpt_read_ok(e, RECORD, green); /* the set with its own identifier */
    assert_true(cp_equal(r, green));
    json_t *l = rrsets(e, zid);
    assert_int_equal(
        json_integer_value(json_object_get(rrset_of(l, "api.example.org.", "blue"), "Weight")), 90);
    assert_int_equal(
        json_integer_value(json_object_get(rrset_of(l, "api.example.org.", "green"), "Weight")),
        10);
    json_decref(l);

    /* the weight changed in place; then the set identifier, in place too */
    cp_value *green2 = cpt_update_ok(e, RECORD, green, WEIGHTED("green", 20, "192.0.2.2"));
    l = rrsets(e, zid);
    assert_int_equal(
        json_integer_value(json_object_get(rrset_of(l, "api.example.org.", "green"), "Weight")),
        20);
    json_decref(l);
    cp_value *teal = cpt_update_ok(e, RECORD, green2, WEIGHTED("teal", 20, "192.0.2.2"));
    snprintf(want, sizeof want, "%s_api.example.org_A_teal", zid);
    assert_string_equal(cpt_str(teal, "id"), want);
    l = rrsets(e, zid);
    assert_null(rrset_of(l, "api.example.org.", "green"));
    assert_non_null(rrset_of(l, "api.example.org.", "teal"));
    assert_non_null(rrset_of(l, "api.example.org.", "blue"));
    json_decref(l);
    assert_null(cpt_read_ok(e, RECORD, green2)); /* the old set is gone */
    cp_value *imp = cpt_import_ok(e, RECORD, want);
    cpt_assert_same(imp, teal,
                    (const char *const[]){ "id", "set_identifier", "weighted_routing_policy",
                                           "records", "ttl", NULL });

    /* failover with a health check */
    json_t *hc = cpt_aws(e, "route53",
                         "create_health_check(CallerReference='hc-1', HealthCheckConfig="
                         "{'IPAddress': '192.0.2.9', 'Port': 80, 'Type': 'HTTP', "
                         "'ResourcePath': '/'})");
    const char *hid = json_string_value(cpt_path(hc, "HealthCheck/Id"));
    assert_non_null(hid);
    snprintf(
        cfg, sizeof cfg,
        "{\"zone_id\": \"%s\", \"name\": \"www\", \"type\": \"A\", \"ttl\": 60,"
        " \"records\": [\"192.0.2.3\"], \"set_identifier\": \"www-primary\","
        " \"failover_routing_policy\": [{\"type\": \"PRIMARY\"}], \"health_check_id\": \"%s\"}",
        zid, hid);
    cp_value *prim = cpt_create_ok(e, RECORD, cfg);
    assert_string_equal(cpt_str(prim, "health_check_id"), hid);
    assert_string_equal(
        cpt_str(cp_list_get(cp_map_get(prim, "failover_routing_policy"), 0), "type"), "PRIMARY");
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"www\", \"type\": \"A\", \"ttl\": 60,"
             " \"records\": [\"192.0.2.4\"], \"set_identifier\": \"www-secondary\","
             " \"failover_routing_policy\": [{\"type\": \"SECONDARY\"}]}",
             zid);
    cp_value *sec = cpt_create_ok(e, RECORD, cfg);
    assert_true(cp_is_null(cp_map_get(sec, "health_check_id")));
    l = rrsets(e, zid);
    json_t *pj = rrset_of(l, "www.example.org.", "www-primary");
    assert_string_equal(json_string_value(json_object_get(pj, "Failover")), "PRIMARY");
    assert_string_equal(json_string_value(json_object_get(pj, "HealthCheckId")), hid);
    json_decref(l);

    /* latency, geolocation, multivalue */
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"lat\", \"type\": \"A\", \"ttl\": 60,"
             " \"records\": [\"192.0.2.5\"], \"set_identifier\": \"lat-eu\","
             " \"latency_routing_policy\": [{\"region\": \"eu-west-1\"}]}",
             zid);
    cp_value *lat = cpt_create_ok(e, RECORD, cfg);
    assert_string_equal(
        cpt_str(cp_list_get(cp_map_get(lat, "latency_routing_policy"), 0), "region"), "eu-west-1");
    cp_value *lr = cpt_read_ok(e, RECORD, lat);
    assert_true(cp_equal(lr, lat));
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"geo\", \"type\": \"A\", \"ttl\": 60,"
             " \"records\": [\"192.0.2.6\"], \"set_identifier\": \"geo-eu\","
             " \"geolocation_routing_policy\": [{\"continent\": \"EU\"}]}",
             zid);
    cp_value *geo = cpt_create_ok(e, RECORD, cfg);
    const cp_value *gb = cp_list_get(cp_map_get(geo, "geolocation_routing_policy"), 0);
    assert_string_equal(cpt_str(gb, "continent"), "EU");
    assert_true(cp_is_null(cp_map_get(gb, "country")));
    cp_value *gr = cpt_read_ok(e, RECORD, geo);
    assert_true(cp_equal(gr, geo));
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"mv\", \"type\": \"A\", \"ttl\": 60,"
             " \"records\": [\"192.0.2.7\"], \"set_identifier\": \"mv-1\","
             " \"multivalue_answer_routing_policy\": true}",
             zid);
    cp_value *mv = cpt_create_ok(e, RECORD, cfg);
    assert_true(cp_bool_val(cp_map_get(mv, "multivalue_answer_routing_policy")));
    l = rrsets(e, zid);
    assert_true(
        json_is_true(json_object_get(rrset_of(l, "mv.example.org.", "mv-1"), "MultiValueAnswer")));
    json_decref(l);

    if (cpt_emulator_only(e, "moto accepts a simple record beside weighted ones")) {
        snprintf(cfg, sizeof cfg,
                 "{\"zone_id\": \"%s\", \"name\": \"api\", \"type\": \"A\", \"ttl\": 60,"
                 " \"records\": [\"192.0.2.8\"]}",
                 zid);
        cp_value *simple = cpt_val(cfg), *ss = NULL;
        char *err = NULL;
        assert_int_equal(cpt_create(e, RECORD, simple, &ss, &err), -1);
        assert_non_null(strstr(err, "InvalidChangeBatch"));
        assert_null(strchr(err, '\n'));
        free(err);
        cp_release(simple);
        cp_release(ss);
    }

    /* a new type changes in place too: the old set deleted, the new made, in one batch */
    snprintf(cfg, sizeof cfg,
             "{\"zone_id\": \"%s\", \"name\": \"spf\", \"type\": \"TXT\", \"ttl\": 60,"
             " \"records\": [\"\\\"v=spf1 -all\\\"\"]}",
             zid);
    cp_value *txt = cpt_create_ok(e, RECORD, cfg);
    char *at = strstr(cfg, "TXT");
    memcpy(at, "SPF", 3);
    cp_value *spf = cpt_update_ok(e, RECORD, txt, cfg);
    snprintf(want, sizeof want, "%s_spf.example.org_SPF", zid);
    assert_string_equal(cpt_str(spf, "id"), want);
    l = rrsets(e, zid);
    json_t *sr = cpt_find(l, "Name", "spf.example.org.");
    assert_non_null(sr);
    assert_string_equal(json_string_value(json_object_get(sr, "Type")), "SPF");
    assert_int_equal(json_array_size(l), 10); /* SOA, NS, 2 weighted, 2 failover, 3 more, spf */
    json_decref(l);
    cpt_delete_ok(e, RECORD, spf);
    cp_release(txt);
    cp_release(spf);

    cpt_delete_ok(e, RECORD, blue);
    cpt_delete_ok(e, RECORD, teal);
    cpt_delete_ok(e, RECORD, prim);
    cpt_delete_ok(e, RECORD, sec);
    cpt_delete_ok(e, RECORD, lat);
    cpt_delete_ok(e, RECORD, geo);
    cpt_delete_ok(e, RECORD, mv);
    l = rrsets(e, zid);
    assert_int_equal(json_array_size(l), 2); /* the zone's own SOA and NS */
    json_decref(l);
    cpt_delete_ok(e, ZONE, zone);
#undef WEIGHTED
    json_decref(hc);
    cp_release(zone);
    cp_release(blue);
    cp_release(green);
    cp_release(r);
    cp_release(green2);
    cp_release(teal);
    cp_release(imp);
    cp_release(prim);
    cp_release(sec);
    cp_release(lat);
    cp_release(lr);
    cp_release(geo);
    cp_release(gr);
    cp_release(mv);
}

/* Refresh of many records: one GetHostedZone and one ListResourceRecordSets of each zone
 * (pages of 300 followed: the zone holds 300 more records), each record matched by name,
 * type and set identifier and equal to what read() gives (cpt_read_batch_ok checks it);
 * a record deleted behind cpstack's back and one of a zone that does not exist are gone.
 * A big zone with one record to read costs what read() costs. */
static void test_record_read_batch(void **st)
{
    cpt_env *e = *st;
    cp_value *za = cpt_create_ok(e, ZONE, "{\"name\": \"batch.example\"}");
    cp_value *zb = cpt_create_ok(e, ZONE, "{\"name\": \"other.example\"}");
    const char *a = cpt_str(za, "id"), *b = cpt_str(zb, "id");
    assert_int_equal(cpt_boto(e, "route53",
                              "change_resource_record_sets(HostedZoneId='%s', ChangeBatch={"
                              "'Changes': [{'Action': 'CREATE', 'ResourceRecordSet': {'Name': "
                              "'h%%03d.batch.example' %% i, 'Type': 'A', 'TTL': 60, "
                              "'ResourceRecords': [{'Value': '192.0.2.9'}]}} for i in "
                              "range(300)]})",
                              a),
                     0);
    enum { N = 8 };
    char cfg[N][512];
    snprintf(cfg[0], sizeof cfg[0],
             "{\"zone_id\": \"%s\", \"name\": \"WWW.batch.example.\", \"type\": \"A\", \"ttl\": "
             "300, \"records\": [\"192.0.2.1\", \"192.0.2.2\"]}",
             a);
    snprintf(cfg[1], sizeof cfg[1],
             "{\"zone_id\": \"%s\", \"name\": \"api\", \"type\": \"A\", \"ttl\": 60, \"records\": "
             "[\"192.0.2.3\"], \"set_identifier\": \"blue\", \"weighted_routing_policy\": "
             "[{\"weight\": 90}]}",
             a);
    snprintf(cfg[2], sizeof cfg[2],
             "{\"zone_id\": \"%s\", \"name\": \"api\", \"type\": \"A\", \"ttl\": 60, \"records\": "
             "[\"192.0.2.4\"], \"set_identifier\": \"green\", \"weighted_routing_policy\": "
             "[{\"weight\": 10}]}",
             a);
    snprintf(
        cfg[3], sizeof cfg[3],
        "{\"zone_id\": \"%s\", \"name\": \"geo\", \"type\": \"TXT\", \"ttl\": 30, \"records\": "
        "[\"\\\"eu\\\"\"], \"set_identifier\": \"eu\", \"geolocation_routing_policy\": "
        "[{\"continent\": \"EU\"}]}",
        a);
    snprintf(
        cfg[4], sizeof cfg[4],
        "{\"zone_id\": \"%s\", \"name\": \"zz-alias\", \"type\": \"A\", \"alias\": [{\"name\": "
        "\"www.batch.example\", \"zone_id\": \"%s\", \"evaluate_target_health\": true}]}",
        a, a);
    snprintf(cfg[5], sizeof cfg[5],
             "{\"zone_id\": \"%s\", \"name\": \"gone\", \"type\": \"CNAME\", \"ttl\": 60, "
             "\"records\": [\"www.batch.example\"]}",
             a);
    snprintf(cfg[6], sizeof cfg[6],
             "{\"zone_id\": \"%s\", \"name\": \"www\", \"type\": \"A\", \"ttl\": 120, \"records\": "
             "[\"198.51.100.1\"]}",
             b);
    cp_value *made[N];
    const cp_value *states[N];
    for (int i = 0; i < N - 1; i++) states[i] = made[i] = cpt_create_ok(e, RECORD, cfg[i]);
    states[7] = made[7] = cpt_val("{\"zone_id\": \"ZNOSUCHZONE1\", \"name\": \"www\", \"type\": "
                                  "\"A\", \"ttl\": 60, \"records\": [\"192.0.2.1\"]}");
    /* behind cpstack's back: one record deleted, one changed */
    assert_int_equal(cpt_boto(e, "route53",
                              "change_resource_record_sets(HostedZoneId='%s', ChangeBatch={"
                              "'Changes': [{'Action': 'DELETE', 'ResourceRecordSet': {'Name': "
                              "'gone.batch.example', 'Type': 'CNAME', 'TTL': 60, "
                              "'ResourceRecords': [{'Value': 'www.batch.example'}]}}, "
                              "{'Action': 'UPSERT', 'ResourceRecordSet': {'Name': "
                              "'api.batch.example', 'Type': 'A', 'TTL': 60, 'SetIdentifier': "
                              "'green', 'Weight': 20, 'ResourceRecords': [{'Value': "
                              "'192.0.2.4'}]}}]})",
                              a),
                     0);
    cp_value *out[N];
    long calls = cpt_read_batch_ok(e, RECORD, states, N, out);
    for (int i = 0; i < N; i++)
        if (i != 5 && i != 7) assert_non_null(out[i]);
    assert_null(out[5]);
    assert_null(out[7]);
    assert_string_equal(cpt_str(out[0], "fqdn"), "www.batch.example");
    assert_int_equal(cp_len(cp_map_get(out[0], "records")), 2);
    assert_int_equal((int)cp_number_val(cp_map_get(
                         cp_list_get(cp_map_get(out[2], "weighted_routing_policy"), 0), "weight")),
                     20);
    assert_string_equal(cpt_str(out[2], "set_identifier"), "green");
    assert_string_equal(
        cpt_str(cp_list_get(cp_map_get(out[3], "geolocation_routing_policy"), 0), "continent"),
        "EU");
    assert_true(cp_bool_val(
        cp_map_get(cp_list_get(cp_map_get(out[4], "alias"), 0), "evaluate_target_health")));
    assert_string_equal(cpt_str(out[6], "zone_id"), b);
    /* zone a: GetHostedZone + 2 pages; zone b: 2; the zone that is not there: 1 (read()
     * of each would make 16) */
    if (calls >= 0) assert_int_equal(calls, 6);
    /* one record of the big zone: GetHostedZone and one ListResourceRecordSets, as read() */
    cp_value *one = NULL;
    calls = cpt_read_batch_ok(e, RECORD, states, 1, &one);
    assert_true(cp_equal(one, out[0]));
    if (calls >= 0) assert_int_equal(calls, 2);
    cp_release(one);
    for (int i = 0; i < N; i++) {
        cp_release(out[i]);
        if (i != 5 && i != 7) cpt_delete_ok(e, RECORD, made[i]);
        cp_release(made[i]);
    }
    cp_release(za);
    cp_release(zb);
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
#define RR                                                                                         \
    "\"zone_id\": \"Z1\", \"name\": \"a\", \"type\": \"A\", \"ttl\": 5, \"records\": [\"192.0.2.1\"]"
    static const struct {
        const char *json, *want;
    } bad[] = {
        { "{" RR ", \"weighted_routing_policy\": [{\"weight\": 1}]}",
          "set_identifier is required with weighted_routing_policy" },
        { "{" RR ", \"set_identifier\": \"x\"}", "set_identifier needs a routing policy" },
        { "{" RR ", \"set_identifier\": \"x\", \"multivalue_answer_routing_policy\": false}",
          "set_identifier needs a routing policy" },
        { "{" RR ", \"set_identifier\": \"x\", \"weighted_routing_policy\": [{\"weight\": 1}],"
          " \"failover_routing_policy\": [{\"type\": \"PRIMARY\"}]}",
          "only one routing policy may be set (weighted_routing_policy and "
          "failover_routing_policy are both set)" },
        { "{" RR ", \"set_identifier\": \"x\", \"geolocation_routing_policy\": [{\"continent\":"
          " \"EU\", \"country\": \"DE\"}]}",
          "continent cannot be set with country" },
        { "{" RR ", \"set_identifier\": \"x\", \"geolocation_routing_policy\": [{}]}",
          "needs a continent or a country" },
        { "{" RR ", \"set_identifier\": \"x\", \"geolocation_routing_policy\":"
          " [{\"continent\": \"NA\", \"subdivision\": \"WA\"}]}",
          "subdivision needs a country" },
        { "{\"zone_id\": \"Z1\", \"name\": \"a\", \"type\": \"A\", \"set_identifier\": \"x\","
          " \"multivalue_answer_routing_policy\": true, \"alias\": [{\"name\": \"b\", \"zone_id\":"
          " \"Z1\", \"evaluate_target_health\": true}]}",
          "multivalue_answer_routing_policy cannot be set with alias" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        m = validate_config(bad[i].json);
        if (!m || !strstr(m, bad[i].want)) fail_msg("case %zu: %s", i, m ? m : "(accepted)");
        assert_null(strchr(m, '\n'));
        free(m);
    }
    assert_null(validate_config("{" RR ", \"set_identifier\": \"x\","
                                " \"geolocation_routing_policy\": [{\"country\": \"US\","
                                " \"subdivision\": \"WA\"}]}"));
    /* an unknown policy block cannot be judged yet */
    cp_value *u = cpt_val("{" RR "}");
    cp_map_set_take(u, "weighted_routing_policy", cp_unknown());
    m = cpt_type(RECORD)->validate_config(u);
    assert_null(m);
    cp_release(u);

    /* botocore's rules at plan: weight 0-255, the failover and region enums */
    static const struct {
        const char *type, *json, *want;
    } aws[] = {
        { RECORD,
          "{" RR ", \"set_identifier\": \"x\", \"weighted_routing_policy\": [{\"weight\": 256}]}",
          "255" },
        { RECORD,
          "{" RR
          ", \"set_identifier\": \"x\", \"failover_routing_policy\": [{\"type\": \"TERTIARY\"}]}",
          "SECONDARY" },
        { RECORD,
          "{" RR
          ", \"set_identifier\": \"x\", \"latency_routing_policy\": [{\"region\": \"mars-1\"}]}",
          "eu-west-1" },
        { RECORD,
          "{" RR
          ", \"set_identifier\": \"x\", \"geolocation_routing_policy\": [{\"continent\": \"EUR\"}]}",
          "continent" },
        { ZONE,
          "{\"name\": \"a.example\", \"vpc\": [{\"vpc_id\": \"vpc-1\", \"vpc_region\": \"mars-1\"}]}",
          "us-east-1" },
    };
    for (size_t i = 0; i < sizeof aws / sizeof aws[0]; i++) {
        cp_value *c = cpt_val(aws[i].json);
        char *where = NULL;
        m = cp_aws_check_rules(cpt_type(aws[i].type), c, &where);
        if (!m || !strstr(m, aws[i].want)) fail_msg("rule %zu: %s", i, m ? m : "(accepted)");
        assert_null(strchr(m, '\n'));
        assert_non_null(where);
        free(where);
        free(m);
        cp_release(c);
    }
    cp_value *okc = cpt_val(
        "{" RR ", \"set_identifier\": \"x\", \"weighted_routing_policy\": [{\"weight\": 255}]}");
    m = cp_aws_check_rules(cpt_type(RECORD), okc, NULL);
    if (m) fail_msg("weight 255: %s", m);
    cp_release(okc);

    /* the zone's rules */
    const cp_resource_type *zt = cpt_type(ZONE);
    cp_value *v = cpt_val("{\"name\": \"a.example\", \"delegation_set_id\": \"N1\","
                          " \"vpc\": [{\"vpc_id\": \"vpc-1\"}]}");
    m = zt->validate_config(v);
    assert_non_null(m);
    assert_non_null(strstr(m, "delegation_set_id cannot be set with vpc"));
    free(m);
    cp_release(v);
    v = cpt_val("{\"name\": \"a.example\", \"vpc\": [{\"vpc_id\": \"vpc-1\"},"
                " {\"vpc_id\": \"vpc-2\"}, {\"vpc_id\": \"vpc-1\"}]}");
    m = zt->validate_config(v);
    assert_non_null(m);
    assert_string_equal(m, "vpc vpc-1 is listed twice");
    free(m);
    cp_release(v);
    v = cpt_val("{\"name\": \"a.example\", \"vpc\": [{\"vpc_id\": \"vpc-1\","
                " \"vpc_region\": \"us-east-1\"}, {\"vpc_id\": \"vpc-1\", \"vpc_region\":"
                " \"eu-west-1\"}]}");
    assert_null(zt->validate_config(v));
    cp_release(v);
#undef RR
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
        cmocka_unit_test_setup(test_private_zone, reset),
        cmocka_unit_test_setup(test_routing, reset),
        cmocka_unit_test_setup(test_record_read_batch, reset),
        cmocka_unit_test(test_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
