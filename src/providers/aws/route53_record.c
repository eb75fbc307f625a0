/*
 * route53_record.c: aws_route53_record — one record set of a hosted zone
 * (id = ZONEID_NAME_TYPE[_SETIDENTIFIER] as Terraform composes it, NAME the
 * full name without its final dot; import by that id). ttl, records,
 * alias, health_check_id and the routing policy (weighted, failover,
 * latency, geolocation, multivalue answer: one at most, each needing a
 * set_identifier) change in place (UPSERT); a new type or set_identifier
 * changes in place too, as Terraform does it: one change batch deleting the
 * record as AWS holds it and creating the new one. zone_id and name force a
 * new record. Create sends CREATE (UPSERT with allow_overwrite),
 * delete sends DELETE of the record as AWS holds it; both wait until the
 * change is INSYNC. The recovery key is the record's own name and type: an
 * interrupted create is found again by ListResourceRecordSets. Refresh reads
 * the records of one zone together (read_batch: one ListResourceRecordSets
 * of the zone, pages followed).
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/route53_common.h"

#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "util/xalloc.h"

static const cp_schema_attr alias_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "DNS name of the target (a load balancer's dns_name …)." },
    { .name = "zone_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Hosted zone id of the target." },
    { .name = "evaluate_target_health",
      .type = CP_AT_BOOL,
      .flags = CP_REQUIRED,
      .description = "Answer only while the target is healthy." },
    { NULL },
};

static const char *validate_failover(const cp_value *v)
{
    const char *s = cp_kind_of(v) == CP_STRING ? cp_string_val(v) : NULL;
    return s && strcmp(s, "PRIMARY") != 0 && strcmp(s, "SECONDARY") != 0
               ? "failover type is PRIMARY or SECONDARY"
               : NULL;
}

static const cp_schema_attr weighted_attrs[] = {
    { .name = "weight",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .description = "The share of answers (0-255) relative to the other weighted records." },
    { NULL },
};

static const cp_schema_attr failover_attrs[] = {
    { .name = "type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_failover,
      .description = "PRIMARY or SECONDARY." },
    { NULL },
};

static const cp_schema_attr latency_attrs[] = {
    { .name = "region",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "The AWS region whose latency this record answers for." },
    { NULL },
};

static const cp_schema_attr geo_attrs[] = {
    { .name = "continent",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Two-letter continent code (AF, AN, AS, EU, OC, NA, SA)." },
    { .name = "country",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Two-letter country code, or * for the default record." },
    { .name = "subdivision",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Subdivision (state) code of the country." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "zone_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Id of the hosted zone holding the record." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW | CP_DNS_NAME,
      .description = "Name of the record: a full name, or one relative to the zone (a final "
                     "dot and case do not matter)." },
    { .name = "type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Record type: A, AAAA, CAA, CNAME, MX, NS, PTR, SPF, SRV, TXT … (changes "
                     "in place: the old record is deleted and the new one created in one batch)." },
    { .name = "ttl",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .description = "Time to live in seconds (required unless alias is set)." },
    { .name = "records",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .description = "The record's values (a set; required unless alias is set)." },
    { .name = "alias",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = alias_attrs,
      .max_items = 1,
      .description = "An alias to an AWS resource instead of ttl and records." },
    { .name = "set_identifier",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tells apart records of the same name and type; required with a routing "
                     "policy (changes in place as type does)." },
    { .name = "weighted_routing_policy",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = weighted_attrs,
      .max_items = 1,
      .description = "Weighted routing: answers shared by weight among the records of this "
                     "name and type." },
    { .name = "failover_routing_policy",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = failover_attrs,
      .max_items = 1,
      .description = "Failover routing: the PRIMARY record while healthy, else the SECONDARY." },
    { .name = "latency_routing_policy",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = latency_attrs,
      .max_items = 1,
      .description = "Latency routing: the record of the region nearest the resolver." },
    { .name = "geolocation_routing_policy",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = geo_attrs,
      .max_items = 1,
      .description = "Geolocation routing: the record for the resolver's continent, country or "
                     "subdivision." },
    { .name = "multivalue_answer_routing_policy",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Multivalue answer routing: up to eight healthy records answer at random." },
    { .name = "health_check_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Id of the health check that decides whether this record answers." },
    { .name = "allow_overwrite",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Take over a record that exists already (UPSERT) instead of failing." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ZONEID_NAME_TYPE, plus _SETIDENTIFIER when set." },
    { .name = "fqdn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The record's full name." },
    { NULL },
};

static const char *const POLICIES[] = {
    "weighted_routing_policy",    "failover_routing_policy",          "latency_routing_policy",
    "geolocation_routing_policy", "multivalue_answer_routing_policy", NULL
};

/* The routing-policy rules AWS enforces: one policy at most, a
 * set_identifier with it and only with it, a geolocation by continent or
 * by country. */
static char *validate_routing(const cp_value *config)
{
    const char *set[2] = { NULL, NULL };
    int n = 0;
    for (int i = 0; POLICIES[i]; i++) {
        int p = cp_prov_presence(config, POLICIES[i]);
        if (p < 0) return NULL;
        if (p && i == 4 && !cp_get_bool(config, POLICIES[i], false)) p = 0;
        if (p && n < 2) set[n] = POLICIES[i];
        n += p;
    }
    if (n > 1)
        return cp_xasprintf("only one routing policy may be set (%s and %s are both set)", set[0],
                            set[1]);
    int sid = cp_prov_presence(config, "set_identifier");
    if (sid < 0) return NULL;
    if (n == 1 && !sid) return cp_xasprintf("set_identifier is required with %s", set[0]);
    if (n == 0 && sid)
        return cp_xstrdup("set_identifier needs a routing policy (weighted_routing_policy, "
                          "failover_routing_policy, latency_routing_policy, "
                          "geolocation_routing_policy or multivalue_answer_routing_policy)");
    if (set[0] && strcmp(set[0], "multivalue_answer_routing_policy") == 0 &&
        cp_prov_presence(config, "alias") == 1)
        return cp_xstrdup("multivalue_answer_routing_policy cannot be set with alias");
    const cp_value *geo = cp_get_block(config, "geolocation_routing_policy");
    if (geo && cp_kind_of(geo) == CP_MAP) {
        int ct = cp_prov_presence(geo, "continent"), co = cp_prov_presence(geo, "country"),
            sd = cp_prov_presence(geo, "subdivision");
        if (ct < 0 || co < 0 || sd < 0) return NULL;
        if (ct && co)
            return cp_xstrdup("geolocation_routing_policy: continent cannot be set with country");
        if (!ct && !co)
            return cp_xstrdup("geolocation_routing_policy needs a continent or a country");
        if (sd && !co) return cp_xstrdup("geolocation_routing_policy: subdivision needs a country");
    }
    return NULL;
}

static char *validate_rr(const cp_value *config)
{
    int alias = cp_prov_presence(config, "alias"), recs = cp_prov_presence(config, "records"),
        ttl = cp_prov_presence(config, "ttl");
    if (alias < 0 || recs < 0 || ttl < 0) return NULL;
    if (alias && (recs || ttl)) return cp_xstrdup("alias cannot be set with ttl or records");
    if (!alias && !(recs && ttl)) return cp_xstrdup("set ttl and records, or an alias block");
    return validate_routing(config);
}

/* The full name (lower-case, no final dot): name as given when it ends in
 * the zone's name, else name.zone. */
static char *full_name(const char *name, const char *zone)
{
    char *n = r53_name_norm(name);
    size_t ln = strlen(n), lz = strlen(zone);
    if ((ln == lz && strcmp(n, zone) == 0) ||
        (ln > lz && strcmp(n + ln - lz, zone) == 0 && n[ln - lz - 1] == '.'))
        return n;
    char *f = *n ? cp_xasprintf("%s.%s", n, zone) : cp_xstrdup(zone);
    free(n);
    return f;
}

/* Whether record set n is the one of fqdn (lower-case, no final dot), type
 * and setid (may be NULL): its name as r53_name_norm gives it. */
static bool rr_is(xmlNodePtr n, const char *fqdn, const char *type, const char *setid)
{
    char *raw = aws_xml_text(n, "Name"), *nm = r53_name_norm(raw);
    char *t = aws_xml_text(n, "Type"), *sid = aws_xml_text(n, "SetIdentifier");
    bool match = nm && fqdn && strcmp(nm, fqdn) == 0 && t && type && strcmp(t, type) == 0 &&
                 ((!setid && !sid) || (setid && sid && strcmp(setid, sid) == 0));
    free(raw);
    free(nm);
    free(t);
    free(sid);
    return match;
}

/* The record set (name, type, set identifier) as AWS holds it: *rr in *doc
 * (both NULL when there is none). */
static int rr_find(cp_provider_call *c, const char *zone, const char *fqdn, const char *type,
                   const char *setid, xmlDocPtr *doc, xmlNodePtr *rr)
{
    *doc = NULL;
    *rr = NULL;
    aws_params *q = aws_params_new();
    aws_params_add(q, "name", fqdn);
    aws_params_add(q, "type", type);
    if (setid) aws_params_add(q, "identifier", setid);
    aws_params_add(q, "maxitems", "10");
    char *path = cp_xasprintf("hostedzone/%s/rrset", zone);
    int rc = r53_call(c, "ListResourceRecordSets", "GET", path, q, NULL, r53_zone_gone, doc);
    free(path);
    aws_params_free(q);
    if (rc != 0) return rc;
    for (xmlNodePtr n = aws_xml_find(aws_xml_root(*doc), "ResourceRecordSets/ResourceRecordSet"); n;
         n = aws_xml_next(n)) {
        if (rr_is(n, fqdn, type, setid)) {
            *rr = n;
            return 0;
        }
    }
    xmlFreeDoc(*doc);
    *doc = NULL;
    return 0;
}

/* The record of a state (zone_id, name, type, set_identifier): 0 with
 * *fqdn (malloc'd), *doc and *rr, or with *rr NULL (nothing malloc'd) when
 * the zone or the record is gone; -1 with c->error set. */
static int rr_of_state(cp_provider_call *c, const cp_value *state, char **fqdn, xmlDocPtr *doc,
                       xmlNodePtr *rr)
{
    *fqdn = NULL;
    *doc = NULL;
    *rr = NULL;
    const char *zone = cp_get_str(state, "zone_id");
    char *zname;
    int rc = r53_zone_name(c, zone, &zname);
    if (rc != 0) return rc == 1 ? 0 : -1;
    *fqdn = full_name(cp_get_str(state, "name"), zname);
    free(zname);
    rc = rr_find(c, zone, *fqdn, cp_get_str(state, "type"), cp_get_str(state, "set_identifier"),
                 doc, rr);
    if (rc != 0 || !*rr) {
        free(*fqdn);
        *fqdn = NULL;
    }
    return rc == -1 ? -1 : 0;
}

static char *compose_id(const char *zone, const char *fqdn, const char *type, const char *setid)
{
    return setid ? cp_xasprintf("%s_%s_%s_%s", zone, fqdn, type, setid)
                 : cp_xasprintf("%s_%s_%s", zone, fqdn, type);
}

/* The state of record set rr (full name fqdn) for the previous state. */
static cp_value *rr_state(const cp_value *state, const char *fqdn, xmlNodePtr rr)
{
    const char *zone = cp_get_str(state, "zone_id"), *type = cp_get_str(state, "type");
    const char *setid = cp_get_str(state, "set_identifier");
    cp_value *s = cp_state_complete(attrs, state);
    char *id = compose_id(zone, fqdn, type, setid);
    cp_set_str(s, "id", id);
    cp_set_str(s, "fqdn", fqdn);
    free(id);
    xmlNodePtr alias = aws_xml_find(rr, "AliasTarget");
    if (alias) {
        cp_value *a = cp_map_new();
        char *dns = aws_xml_text(alias, "DNSName"), *dn = r53_name_norm(dns);
        cp_set_str(a, "name", dn);
        free(dns);
        free(dn);
        cp_set_xml(a, "zone_id", alias, "HostedZoneId");
        cp_set_xml_bool(a, "evaluate_target_health", alias, "EvaluateTargetHealth", false);
        cp_value *l = cp_list_new();
        cp_list_push_take(l, a);
        cp_set_take(s, "alias", l);
        cp_set_take(s, "ttl", cp_null());
        cp_set_take(s, "records", cp_null());
    } else {
        cp_set_take(s, "alias", cp_list_new());
        cp_set_xml_num(s, "ttl", rr, "TTL", 0);
        cp_set_take(s, "records",
                    cp_aws_xml_strings(rr, "ResourceRecords/ResourceRecord", "Value"));
    }
    if (!cp_prov_is_set(state, "allow_overwrite")) cp_set_bool(s, "allow_overwrite", false);
    char *sid = aws_xml_text(rr, "SetIdentifier");
    cp_set_str(s, "set_identifier", sid);
    free(sid);
    cp_value *weighted = cp_list_new(), *failover = cp_list_new(), *latency = cp_list_new(),
             *geo = cp_list_new();
    if (aws_xml_find(rr, "Weight")) {
        cp_value *m = cp_map_new();
        cp_set_xml_num(m, "weight", rr, "Weight", 0);
        cp_list_push_take(weighted, m);
    }
    if (aws_xml_find(rr, "Failover")) {
        cp_value *m = cp_map_new();
        cp_set_xml(m, "type", rr, "Failover");
        cp_list_push_take(failover, m);
    }
    if (aws_xml_find(rr, "Region")) {
        cp_value *m = cp_map_new();
        cp_set_xml(m, "region", rr, "Region");
        cp_list_push_take(latency, m);
    }
    xmlNodePtr gl = aws_xml_find(rr, "GeoLocation");
    if (gl) {
        cp_value *m = cp_map_new();
        cp_set_xml(m, "continent", gl, "ContinentCode");
        cp_set_xml(m, "country", gl, "CountryCode");
        cp_set_xml(m, "subdivision", gl, "SubdivisionCode");
        cp_list_push_take(geo, m);
    }
    cp_set_take(s, "weighted_routing_policy", weighted);
    cp_set_take(s, "failover_routing_policy", failover);
    cp_set_take(s, "latency_routing_policy", latency);
    cp_set_take(s, "geolocation_routing_policy", geo);
    cp_set_xml_bool(s, "multivalue_answer_routing_policy", rr, "MultiValueAnswer", false);
    cp_set_xml(s, "health_check_id", rr, "HealthCheckId");
    return s;
}

static int rr_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    char *fqdn;
    xmlDocPtr doc;
    xmlNodePtr rr;
    int rc = rr_of_state(c, state, &fqdn, &doc, &rr);
    if (rc != 0 || !rr) return rc;
    *out = rr_state(state, fqdn, rr);
    free(fqdn);
    xmlFreeDoc(doc);
    return 0;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * By hosted zone: GetHostedZone once (the zone's name and ResourceRecordSetCount), then
 * ListResourceRecordSets of the whole zone, pages of 300 followed (NextRecordName /
 * NextRecordType / NextRecordIdentifier) until every record asked for is found, each
 * matched by name, type and set identifier as read() matches it. It is the very call
 * read() makes (read() starts it at the record's own name), so a record it omits is gone;
 * a zone that is gone takes its records with it. read() costs two calls a record
 * (GetHostedZone, ListResourceRecordSets); a zone that would take more pages than it
 * has records to read is read record by record after the one GetHostedZone, so the
 * batch never makes more calls than read() of each. */
enum { RR_PAGE = 300 }; /* the most ListResourceRecordSets gives at once */

/* The zone's name and record count (GetHostedZone): 0, 1 when gone, -1. */
static int zone_info(cp_provider_call *c, const char *zone, char **name, long *count)
{
    *name = NULL;
    *count = 0;
    char *path = cp_xasprintf("hostedzone/%s", zone);
    xmlDocPtr doc;
    int rc = r53_call(c, "GetHostedZone", "GET", path, NULL, NULL, r53_zone_gone, &doc);
    free(path);
    if (rc != 0) return rc;
    char *n = aws_xml_text(aws_xml_root(doc), "HostedZone/Name");
    char *cnt = aws_xml_text(aws_xml_root(doc), "HostedZone/ResourceRecordSetCount");
    *name = r53_name_norm(n);
    *count = cnt ? strtol(cnt, NULL, 10) : 0;
    free(n);
    free(cnt);
    xmlFreeDoc(doc);
    return *name ? 0 : 1;
}

/* Matches one page's record sets to the zone's instances (idx[0..k), full
 * names fq[]) not found yet; returns how many it found. */
static size_t match_page(xmlDocPtr doc, const cp_value *const *states, const size_t *idx,
                         char *const *fq, size_t k, cp_value **out)
{
    size_t found = 0;
    for (xmlNodePtr n = aws_xml_find(aws_xml_root(doc), "ResourceRecordSets/ResourceRecordSet"); n;
         n = aws_xml_next(n)) {
        for (size_t j = 0; j < k; j++) {
            const cp_value *st = states[idx[j]];
            if (out[idx[j]] ||
                !rr_is(n, fq[j], cp_get_str(st, "type"), cp_get_str(st, "set_identifier")))
                continue;
            out[idx[j]] = rr_state(st, fq[j], n);
            found++;
        }
    }
    return found;
}

/* Every record set of the zone, pages followed until all k are found: 0, or -1. */
static int zone_list(cp_provider_call *c, const char *zone, const cp_value *const *states,
                     const size_t *idx, char *const *fq, size_t k, cp_value **out)
{
    char *next[3] = { NULL, NULL, NULL }; /* name, type, identifier */
    size_t left = k;
    int rc;
    do {
        aws_params *q = aws_params_new();
        if (next[0]) aws_params_add(q, "name", next[0]);
        if (next[1]) aws_params_add(q, "type", next[1]);
        if (next[2]) aws_params_add(q, "identifier", next[2]);
        aws_params_add(q, "maxitems", "300");
        for (int i = 0; i < 3; i++) {
            free(next[i]);
            next[i] = NULL;
        }
        char *path = cp_xasprintf("hostedzone/%s/rrset", zone);
        xmlDocPtr doc;
        rc = r53_call(c, "ListResourceRecordSets", "GET", path, q, NULL, r53_zone_gone, &doc);
        free(path);
        aws_params_free(q);
        if (rc != 0) break;
        size_t got = match_page(doc, states, idx, fq, k, out);
        left = got < left ? left - got : 0;
        xmlNodePtr root = aws_xml_root(doc);
        char *trunc = aws_xml_text(root, "IsTruncated");
        if (trunc && strcmp(trunc, "true") == 0) {
            next[0] = aws_xml_text(root, "NextRecordName");
            next[1] = aws_xml_text(root, "NextRecordType");
            next[2] = aws_xml_text(root, "NextRecordIdentifier");
        }
        free(trunc);
        xmlFreeDoc(doc);
    } while (next[0] && left > 0);
    for (int i = 0; i < 3; i++) free(next[i]);
    if (rc == 1) /* the zone went away while listed: its records with it */
        for (size_t j = 0; j < k; j++) {
            cp_release(out[idx[j]]);
            out[idx[j]] = NULL;
        }
    return rc < 0 ? -1 : 0;
}

/* The instances idx[0..k) of one zone. */
static int zone_batch(cp_provider_call *c, const char *zone, const cp_value *const *states,
                      const size_t *idx, size_t k, cp_value **out)
{
    char *zname;
    long count;
    int rc = zone_info(c, zone, &zname, &count);
    if (rc != 0) return rc < 0 ? -1 : 0; /* gone: every record of it is gone */
    char **fq = cp_xcalloc(k, sizeof *fq);
    for (size_t j = 0; j < k; j++) fq[j] = full_name(cp_get_str(states[idx[j]], "name"), zname);
    free(zname);
    size_t pages = count > 0 ? (size_t)((count + RR_PAGE - 1) / RR_PAGE) : 1;
    if (pages <= k) {
        rc = zone_list(c, zone, states, idx, fq, k, out);
    } else { /* a big zone and few records: one ListResourceRecordSets each, as read() */
        for (size_t j = 0; rc == 0 && j < k; j++) {
            const cp_value *st = states[idx[j]];
            xmlDocPtr doc;
            xmlNodePtr rr;
            rc = rr_find(c, zone, fq[j], cp_get_str(st, "type"), cp_get_str(st, "set_identifier"),
                         &doc, &rr);
            if (rc == 0 && rr) out[idx[j]] = rr_state(st, fq[j], rr);
            xmlFreeDoc(doc);
            rc = rc < 0 ? -1 : 0;
        }
    }
    for (size_t j = 0; j < k; j++) free(fq[j]);
    free(fq);
    return rc;
}

static int rr_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                         cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    bool *done = cp_xcalloc(n ? n : 1, sizeof *done);
    size_t *idx = cp_xcalloc(n ? n : 1, sizeof *idx);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (done[i]) continue;
        const char *zone = cp_get_str(states[i], "zone_id");
        size_t k = 0;
        for (size_t j = i; j < n; j++) {
            const char *z = cp_get_str(states[j], "zone_id");
            if (done[j] || (z != zone && (!z || !zone || strcmp(z, zone) != 0))) continue;
            done[j] = true;
            idx[k++] = j;
        }
        if (zone) {
            rc = zone_batch(c, zone, states, idx, k, out);
            continue;
        }
        for (size_t j = 0; rc == 0 && j < k; j++) rc = rr_read(c, states[idx[j]], &out[idx[j]]);
    }
    free(done);
    free(idx);
    return rc == 0 ? 0 : cp_aws_batch_fail(out, n);
}

/* One change of the record as config says it: <Change>…</Change>. */
static void change_xml(cp_buf *b, const char *action, const char *fqdn, const cp_value *config)
{
    cp_buf_printf(b, "<Change><Action>%s</Action><ResourceRecordSet>", action);
    r53_xml_elem(b, "Name", fqdn);
    r53_xml_elem(b, "Type", cp_get_str(config, "type"));
    r53_xml_elem(b, "SetIdentifier", cp_get_str(config, "set_identifier"));
    const cp_value *w = cp_get_block(config, "weighted_routing_policy");
    if (w) cp_buf_printf(b, "<Weight>%.0f</Weight>", cp_get_num(w, "weight", 0));
    const cp_value *lat = cp_get_block(config, "latency_routing_policy");
    if (lat) r53_xml_elem(b, "Region", cp_get_str(lat, "region"));
    const cp_value *geo = cp_get_block(config, "geolocation_routing_policy");
    if (geo) {
        cp_buf_adds(b, "<GeoLocation>");
        r53_xml_elem(b, "ContinentCode", cp_get_str(geo, "continent"));
        r53_xml_elem(b, "CountryCode", cp_get_str(geo, "country"));
        r53_xml_elem(b, "SubdivisionCode", cp_get_str(geo, "subdivision"));
        cp_buf_adds(b, "</GeoLocation>");
    }
    const cp_value *fo = cp_get_block(config, "failover_routing_policy");
    if (fo) r53_xml_elem(b, "Failover", cp_get_str(fo, "type"));
    if (cp_get_bool(config, "multivalue_answer_routing_policy", false))
        cp_buf_adds(b, "<MultiValueAnswer>true</MultiValueAnswer>");
    const cp_value *alias = cp_get_block(config, "alias");
    if (alias) {
        cp_buf_adds(b, "<AliasTarget>");
        r53_xml_elem(b, "HostedZoneId", cp_get_str(alias, "zone_id"));
        r53_xml_elem(b, "DNSName", cp_get_str(alias, "name"));
        cp_buf_printf(b, "<EvaluateTargetHealth>%s</EvaluateTargetHealth>",
                      cp_get_bool(alias, "evaluate_target_health", false) ? "true" : "false");
        cp_buf_adds(b, "</AliasTarget>");
    } else {
        cp_buf_printf(b, "<TTL>%.0f</TTL><ResourceRecords>", cp_get_num(config, "ttl", 300));
        const cp_value *recs = cp_get_list(config, "records");
        for (size_t i = 0; recs && i < cp_len(recs); i++) {
            cp_buf_adds(b, "<ResourceRecord>");
            r53_xml_elem(b, "Value", cp_string_val(cp_list_get(recs, i)));
            cp_buf_adds(b, "</ResourceRecord>");
        }
        cp_buf_adds(b, "</ResourceRecords>");
    }
    r53_xml_elem(b, "HealthCheckId", cp_get_str(config, "health_check_id"));
    cp_buf_adds(b, "</ResourceRecordSet></Change>");
}

/* ChangeResourceRecordSets with one change (body: the <Change>), then the
 * wait: 0, -1 when the wait failed (the change was taken), -2 when the
 * change call failed (it may not have been made; c->error set either way). */
static int rr_change(cp_provider_call *c, const char *zone, const char *change, const char *what)
{
    cp_buf b = { 0 };
    cp_buf_printf(&b, "<ChangeResourceRecordSetsRequest xmlns=\"%s\"><ChangeBatch><Changes>%s",
                  R53_NS, change);
    cp_buf_adds(&b, "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>");
    char *path = cp_xasprintf("hostedzone/%s/rrset/", zone);
    xmlDocPtr doc;
    /* sent once: a CREATE sent again would be refused as existing; a lost answer is looked up */
    aws_set_no_resend(true);
    int rc = r53_call(c, "ChangeResourceRecordSets", "POST", path, NULL, &b, NULL, &doc);
    aws_set_no_resend(false);
    free(path);
    free(b.data);
    if (rc != 0) return -2;
    char *cid = r53_change_id(doc);
    xmlFreeDoc(doc);
    rc = r53_wait_change(c, cid, what);
    free(cid);
    return rc;
}

/* The DELETE change of the record as AWS holds it (rr of doc). */
static char *delete_change(xmlDocPtr doc, xmlNodePtr rr)
{
    xmlBufferPtr xb = xmlBufferCreate();
    xmlNodeDump(xb, doc, rr, 0, 0);
    char *change = cp_xasprintf("<Change><Action>DELETE</Action>%s</Change>",
                                (const char *)xmlBufferContent(xb));
    xmlBufferFree(xb);
    return change;
}

/* The record as config says it, sent with action; before (may be NULL) a
 * change sent first in the same batch. */
static int rr_write(cp_provider_call *c, const char *action, const cp_value *config,
                    const char *before, cp_value **state)
{
    char *err = validate_rr(config);
    if (err) {
        int rc = cp_fail(c, "%s: %s", c->address, err);
        free(err);
        return rc;
    }
    const char *zone = cp_get_str(config, "zone_id");
    char *zname;
    int rc = r53_zone_name(c, zone, &zname);
    if (rc == 1) return cp_fail(c, "%s: no hosted zone %s; check zone_id", c->address, zone);
    if (rc != 0) return -1;
    char *fqdn = full_name(cp_get_str(config, "name"), zname);
    free(zname);
    cp_buf ch = { 0 };
    if (before) cp_buf_adds(&ch, before);
    change_xml(&ch, action, fqdn, config);
    rc = rr_change(c, zone, ch.data, "the record's change");
    free(ch.data);
    if (rc == -2) { /* nothing known to exist: the engine looks it up if the answer was lost */
        free(fqdn);
        return -1;
    }
    cp_value *s = cp_state_start(attrs, config);
    char *id =
        compose_id(zone, fqdn, cp_get_str(config, "type"), cp_get_str(config, "set_identifier"));
    cp_set_str(s, "id", id);
    free(id);
    free(fqdn);
    return cp_aws_finish_take(c, rc, rr_read, s, "the record", state);
}

static int rr_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    return rr_write(c, cp_get_bool(config, "allow_overwrite", false) ? "UPSERT" : "CREATE", config,
                    NULL, state);
}

static bool str_differs(const char *a, const char *b)
{
    return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

/* Same type and set identifier: UPSERT. A new one of either names another
 * record set: the old one is deleted and the new one created in one batch. */
static int rr_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    if (!str_differs(cp_get_str(old, "type"), cp_get_str(config, "type")) &&
        !str_differs(cp_get_str(old, "set_identifier"), cp_get_str(config, "set_identifier")))
        return rr_write(c, "UPSERT", config, NULL, state);
    char *fqdn;
    xmlDocPtr doc;
    xmlNodePtr rr;
    if (rr_of_state(c, old, &fqdn, &doc, &rr) != 0) return -1;
    char *before = rr ? delete_change(doc, rr) : NULL;
    free(fqdn);
    xmlFreeDoc(doc);
    int rc = rr_write(c, cp_get_bool(config, "allow_overwrite", false) ? "UPSERT" : "CREATE",
                      config, before, state);
    free(before);
    return rc;
}

static int rr_delete(cp_provider_call *c, const cp_value *state)
{
    char *fqdn;
    xmlDocPtr doc;
    xmlNodePtr rr;
    int rc = rr_of_state(c, state, &fqdn, &doc, &rr);
    if (rc != 0 || !rr) return rc;
    free(fqdn);
    /* DELETE names the record exactly as AWS holds it */
    char *change = delete_change(doc, rr);
    xmlFreeDoc(doc);
    rc = rr_change(c, cp_get_str(state, "zone_id"), change, "the record's deletion");
    free(change);
    return rc < 0 ? -1 : rc;
}

static const char *const TYPES[] = { "A",   "AAAA",  "CAA",  "CNAME", "DS",  "HTTPS",
                                     "MX",  "NAPTR", "NS",   "PTR",   "SOA", "SPF",
                                     "SRV", "SSHFP", "SVCB", "TLSA",  "TXT", NULL };

/* ZONEID_NAME_TYPE[_SETID]: the type is the last _TYPE segment followed by
 * the end or by _ (names may hold _ themselves, as _acme-challenge). */
static int rr_import(cp_provider_call *c, const char *id, cp_value **state)
{
    *state = NULL;
    const char *u = strchr(id, '_'), *type_at = NULL;
    size_t tlen = 0;
    for (const char *p = id + strlen(id); u && p > u; p--) {
        if (*p != '_') continue;
        for (int i = 0; TYPES[i]; i++) {
            size_t n = strlen(TYPES[i]);
            if (strncmp(p + 1, TYPES[i], n) == 0 && (p[1 + n] == '\0' || p[1 + n] == '_')) {
                type_at = p + 1;
                tlen = n;
                break;
            }
        }
        if (type_at) break;
    }
    if (!u || !type_at || type_at - 1 <= u + 1)
        return cp_fail(c,
                       "%s: import id %s is not ZONEID_NAME_TYPE[_SETIDENTIFIER] (e.g. "
                       "Z123_www.example.com_A)",
                       c->address, id);
    cp_value *s = cp_map_new();
    char *zone = cp_xstrndup(id, (size_t)(u - id));
    char *name = cp_xstrndup(u + 1, (size_t)(type_at - 1 - (u + 1)));
    char *type = cp_xstrndup(type_at, tlen);
    cp_set_str(s, "id", id);
    cp_set_str(s, "zone_id", zone);
    cp_set_str(s, "name", name);
    cp_set_str(s, "type", type);
    if (type_at[tlen] == '_') cp_set_str(s, "set_identifier", type_at + tlen + 1);
    free(zone);
    free(name);
    free(type);
    int rc = rr_read(c, s, state);
    cp_release(s);
    if (rc == 0 && !*state) return cp_fail(c, "%s: no record %s to import", c->address, id);
    return rc;
}

static int rr_find_again(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return rr_read(c, intent, state);
}

const cp_resource_type cp_aws_route53_record = {
    .name = "aws_route53_record",
    .description = "A record set of a Route 53 hosted zone, simple routing or one routing policy "
                   "(weighted, failover, latency, geolocation, multivalue answer) with its "
                   "set_identifier (import by ZONEID_NAME_TYPE[_SETIDENTIFIER]). Deliberate "
                   "differences from the Terraform AWS provider: no cidr_routing_policy nor "
                   "geoproximity_routing_policy yet.",
    .attrs = attrs,
    .create = rr_create,
    .read = rr_read,
    .read_batch = rr_read_batch,
    .update = rr_update,
    .delete = rr_delete,
    .import = rr_import,
    .validate_config = validate_rr,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rr_find_again,
};
