/*
 * route53_zone.c: aws_route53_zone — a hosted zone (id = zone id "Z…",
 * without "/hostedzone/"; import by it), public, or private when it has
 * vpc blocks (CreateHostedZone with the first VPC and
 * HostedZoneConfig.PrivateZone, AssociateVPCWithHostedZone for the rest).
 * comment, tags and the VPCs of a private zone change in place
 * (UpdateHostedZoneComment, ChangeTagsForResource, Associate… before
 * Disassociate…, so one VPC always remains); name, delegation_set_id and a
 * change between public and private (vpc blocks added to a public zone,
 * or all removed) force a new zone. CreateHostedZone's CallerReference
 * is the intent UUID, so an interrupted create is found again among the
 * zones of that name (ListHostedZonesByName). Delete removes every record
 * but the zone's own SOA and NS first when force_destroy is true.
 *
 * No batch read: GetHostedZone (name servers, VPCs) takes one zone a call;
 * ListHostedZones has neither.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/route53_common.h"

#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "util/xalloc.h"

#define DEFAULT_COMMENT "Managed by cpstack"

static const cp_schema_attr vpc_attrs[] = {
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = cp_prov_validate_nonempty,
      .description = "Id of a VPC the private zone answers in." },
    { .name = "vpc_region",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Region of the VPC. Default: the provider's region." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Domain of the zone, e.g. example.com (a final dot and case do not matter)." },
    { .name = "comment",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"Managed by cpstack\"",
      .description = "Comment of the zone. Default \"Managed by cpstack\"." },
    { .name = "delegation_set_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Id of a reusable delegation set whose name servers the zone uses (public "
                     "zones only)." },
    { .name = "force_destroy",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Delete the zone's records (all but its SOA and NS) before the zone." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the zone." },
    { .name = "vpc",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .block = vpc_attrs,
      .description = "A VPC of a private zone (a set; one at least makes the zone private). "
                     "VPCs are added and removed in place; adding the first to a public zone or "
                     "removing the last forces a new zone." },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "Zone id (Z…)." },
    { .name = "zone_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Zone id (Z…)." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the zone." },
    { .name = "name_servers",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The zone's name servers, to delegate the domain to." },
    { .name = "primary_name_server",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The name server of the zone's SOA record." },
    { NULL },
};

/* The region of a vpc block: its vpc_region, else the provider's. */
static const char *vpc_region_of(cp_provider_call *c, const cp_value *vpc)
{
    const char *r = cp_get_str(vpc, "vpc_region");
    return r ? r : aws_client_region(cp_aws_client(c));
}

/* Plan-time rules: no delegation set with VPCs (AWS: a private zone uses
 * none), each VPC once. */
static char *validate_zone(const cp_value *config)
{
    int vpc = cp_prov_presence(config, "vpc"), ds = cp_prov_presence(config, "delegation_set_id");
    if (vpc == 1 && ds == 1)
        return cp_xstrdup("delegation_set_id cannot be set with vpc blocks: a private zone uses no "
                          "reusable delegation set");
    const cp_value *l = vpc == 1 ? cp_get_list(config, "vpc") : NULL;
    for (size_t i = 0; l && i < cp_len(l); i++) {
        const char *a = cp_get_str(cp_list_get(l, i), "vpc_id");
        const char *ra = cp_get_str(cp_list_get(l, i), "vpc_region");
        for (size_t j = i + 1; a && j < cp_len(l); j++) {
            const char *b = cp_get_str(cp_list_get(l, j), "vpc_id");
            const char *rb = cp_get_str(cp_list_get(l, j), "vpc_region");
            if (b && strcmp(a, b) == 0 && (!ra || !rb || strcmp(ra, rb) == 0))
                return cp_xasprintf("vpc %s is listed twice", a);
        }
    }
    return NULL;
}

/* Public <-> private is a new zone (AWS turns neither into the other). */
static const char *zone_replace_if(const cp_value *prior, const cp_value *planned)
{
    const cp_value *pv = cp_prov_field(prior, "vpc"), *nv = cp_prov_field(planned, "vpc");
    if ((pv && cp_contains_unknown(pv)) || (nv && cp_is_unknown(nv))) return NULL;
    bool was = pv && cp_kind_of(pv) == CP_LIST && cp_len(pv) > 0;
    bool is = nv && cp_kind_of(nv) == CP_LIST && cp_len(nv) > 0;
    return was != is ? "vpc" : NULL;
}

/* <VPC><VPCRegion>…</VPCRegion><VPCId>…</VPCId></VPC> */
static void vpc_xml(cp_buf *b, const char *id, const char *region)
{
    cp_buf_adds(b, "<VPC>");
    r53_xml_elem(b, "VPCRegion", region);
    r53_xml_elem(b, "VPCId", id);
    cp_buf_adds(b, "</VPC>");
}

/* AssociateVPCWithHostedZone (op "associatevpc") or Disassociate… ("disassociatevpc"),
 * then the wait for the change. */
static int vpc_change(cp_provider_call *c, const char *zone, bool associate, const char *id,
                      const char *region)
{
    const char *op = associate ? "AssociateVPCWithHostedZone" : "DisassociateVPCFromHostedZone";
    cp_buf b = { 0 };
    cp_buf_printf(&b, "<%sRequest xmlns=\"%s\">", op, R53_NS);
    vpc_xml(&b, id, region);
    cp_buf_printf(&b, "</%sRequest>", op);
    char *path =
        cp_xasprintf("hostedzone/%s/%s", zone, associate ? "associatevpc" : "disassociatevpc");
    xmlDocPtr doc;
    int rc = r53_call(c, op, "POST", path, NULL, &b, NULL, &doc);
    free(path);
    free(b.data);
    if (rc != 0) return -1;
    char *cid = r53_change_id(doc);
    xmlFreeDoc(doc);
    rc = r53_wait_change(c, cid, associate ? "the VPC's association" : "the VPC's disassociation");
    free(cid);
    return rc;
}

/* True when list l holds the VPC (id, region; a block without a region is the provider's). */
static bool vpc_listed(cp_provider_call *c, const cp_value *l, const char *id, const char *region)
{
    for (size_t i = 0; l && i < cp_len(l); i++) {
        const cp_value *v = cp_list_get(l, i);
        const char *vid = cp_get_str(v, "vpc_id");
        if (vid && strcmp(vid, id) == 0 && strcmp(vpc_region_of(c, v), region) == 0) return true;
    }
    return false;
}

/* The name servers of a private zone: its own NS record's values. */
static cp_value *private_name_servers(cp_provider_call *c, const char *zid, const char *name)
{
    aws_params *q = aws_params_new();
    aws_params_add(q, "name", name);
    aws_params_add(q, "type", "NS");
    aws_params_add(q, "maxitems", "1");
    char *path = cp_xasprintf("hostedzone/%s/rrset", zid);
    xmlDocPtr doc;
    int rc = r53_call(c, "ListResourceRecordSets", "GET", path, q, NULL, r53_zone_gone, &doc);
    free(path);
    aws_params_free(q);
    if (rc != 0) return cp_list_new();
    xmlNodePtr rr = aws_xml_find(aws_xml_root(doc), "ResourceRecordSets/ResourceRecordSet");
    char *t = rr ? aws_xml_text(rr, "Type") : NULL;
    cp_value *ns = rr && t && strcmp(t, "NS") == 0
                       ? cp_aws_xml_strings(rr, "ResourceRecords/ResourceRecord", "Value")
                       : cp_list_new();
    free(t);
    xmlFreeDoc(doc);
    /* "ns-1.awsdns-01.org." as a record value: without the final dot, as delegation sets */
    cp_value *out = cp_list_new();
    for (size_t i = 0; i < cp_len(ns); i++) {
        char *n = cp_xstrdup(cp_string_val(cp_list_get(ns, i)));
        size_t len = strlen(n);
        if (len && n[len - 1] == '.') n[len - 1] = '\0';
        cp_list_push_take(out, cp_string(n));
        free(n);
    }
    cp_release(ns);
    return out;
}

static cp_value *tags_read(cp_provider_call *c, const char *id, const cp_value *prev)
{
    char *path = cp_xasprintf("tags/hostedzone/%s", id);
    xmlDocPtr doc;
    int rc = r53_call(c, "ListTagsForResource", "GET", path, NULL, NULL, NULL, &doc);
    free(path);
    if (rc != 0) return NULL;
    cp_value *t =
        cp_aws_tags_from_xml(aws_xml_find(aws_xml_root(doc), "ResourceTagSet/Tags"), "Tag");
    xmlFreeDoc(doc);
    return cp_tags_keep_take(t, prev);
}

/* ChangeTagsForResource takes at most 10 tags to add and 10 keys to remove
 * a call; a zone holds up to 50, so the changes go in calls of 10. */
static int tags_update(cp_provider_call *c, const char *id, const cp_value *old_tags,
                       const cp_value *new_tags)
{
    cp_value *removed = cp_tags_removed(old_tags, new_tags);
    size_t n_new = new_tags ? cp_len(new_tags) : 0, n_rm = cp_len(removed);
    char *path = cp_xasprintf("tags/hostedzone/%s", id);
    int rc = 0;
    for (size_t at = 0; rc == 0 && (at < n_new || at < n_rm); at += 10) {
        cp_buf b = { 0 };
        cp_buf_printf(&b, "<ChangeTagsForResourceRequest xmlns=\"%s\">", R53_NS);
        if (at < n_new) {
            cp_buf_adds(&b, "<AddTags>");
            for (size_t i = at; i < n_new && i < at + 10; i++) {
                cp_buf_adds(&b, "<Tag>");
                r53_xml_elem(&b, "Key", cp_map_key_at(new_tags, i));
                r53_xml_elem(&b, "Value", cp_string_val(cp_map_value_at(new_tags, i)));
                cp_buf_adds(&b, "</Tag>");
            }
            cp_buf_adds(&b, "</AddTags>");
        }
        if (at < n_rm) {
            cp_buf_adds(&b, "<RemoveTagKeys>");
            for (size_t i = at; i < n_rm && i < at + 10; i++)
                r53_xml_elem(&b, "Key", cp_string_val(cp_list_get(removed, i)));
            cp_buf_adds(&b, "</RemoveTagKeys>");
        }
        cp_buf_adds(&b, "</ChangeTagsForResourceRequest>");
        rc = r53_call(c, "ChangeTagsForResource", "POST", path, NULL, &b, NULL, NULL);
        free(b.data);
    }
    free(path);
    cp_release(removed);
    return rc == 0 ? 0 : -1;
}

static int zone_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *id = cp_get_str(state, "id");
    char *path = cp_xasprintf("hostedzone/%s", id);
    xmlDocPtr doc;
    int rc = r53_call(c, "GetHostedZone", "GET", path, NULL, NULL, r53_zone_gone, &doc);
    free(path);
    if (rc == 1) return 0;
    if (rc != 0) return -1;
    xmlNodePtr root = aws_xml_root(doc), hz = aws_xml_find(root, "HostedZone");
    cp_value *s = cp_state_complete(attrs, state);
    char *zid_raw = aws_xml_text(hz, "Id"), *zid = r53_zone_id(zid_raw);
    char *name_raw = aws_xml_text(hz, "Name"), *name = r53_name_norm(name_raw);
    char *prev = r53_name_norm(cp_get_str(state, "name"));
    if (!(prev && name && strcmp(prev, name) == 0)) cp_set_str(s, "name", name);
    cp_set_str(s, "id", zid);
    cp_set_str(s, "zone_id", zid);
    char *arn = cp_xasprintf("arn:aws:route53:::hostedzone/%s", zid ? zid : "");
    cp_set_str(s, "arn", arn);
    free(arn);
    cp_set_xml(s, "comment", hz, "Config/Comment");
    char *dsid = aws_xml_text(root, "DelegationSet/Id"); /* moto: an empty Id */
    cp_set_str(s, "delegation_set_id", dsid && *dsid ? dsid : NULL);
    free(dsid);
    char *priv = aws_xml_text(hz, "Config/PrivateZone");
    bool is_private = priv && strcmp(priv, "true") == 0;
    free(priv);
    cp_value *vpcs = cp_list_new();
    for (xmlNodePtr v = is_private ? aws_xml_find(root, "VPCs/VPC") : NULL; v;
         v = aws_xml_next(v)) {
        cp_value *m = cp_map_new();
        cp_set_xml(m, "vpc_id", v, "VPCId");
        cp_set_xml(m, "vpc_region", v, "VPCRegion");
        cp_list_push_take(vpcs, m);
    }
    cp_set_take(s, "vpc", vpcs);
    cp_value *ns = is_private
                       ? private_name_servers(c, zid, name_raw)
                       : cp_aws_xml_strings(root, "DelegationSet/NameServers/NameServer", NULL);
    cp_set_str(s, "primary_name_server", cp_len(ns) ? cp_string_val(cp_list_get(ns, 0)) : NULL);
    cp_set_take(s, "name_servers", ns);
    if (!cp_prov_is_set(state, "force_destroy")) cp_set_bool(s, "force_destroy", false);
    xmlFreeDoc(doc);
    free(prev);
    free(name_raw);
    free(name);
    cp_value *tags = tags_read(c, zid, cp_map_get(state, "tags"));
    free(zid_raw);
    free(zid);
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

static int zone_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, validate_zone, config) != 0) return -1;
    const cp_value *vpcs = cp_get_list(config, "vpc");
    const cp_value *first = vpcs && cp_len(vpcs) ? cp_list_get(vpcs, 0) : NULL;
    char token[37];
    const char *ref = cp_intent_uuid(config);
    if (!ref) {
        aws_client_token(token);
        ref = token;
    }
    cp_buf b = { 0 };
    cp_buf_printf(&b, "<CreateHostedZoneRequest xmlns=\"%s\">", R53_NS);
    r53_xml_elem(&b, "Name", cp_get_str(config, "name"));
    if (first) vpc_xml(&b, cp_get_str(first, "vpc_id"), vpc_region_of(c, first));
    r53_xml_elem(&b, "CallerReference", ref);
    cp_buf_adds(&b, "<HostedZoneConfig>");
    r53_xml_elem(&b, "Comment", cp_get_str_or(config, "comment", DEFAULT_COMMENT));
    if (first) cp_buf_adds(&b, "<PrivateZone>true</PrivateZone>");
    cp_buf_adds(&b, "</HostedZoneConfig>");
    r53_xml_elem(&b, "DelegationSetId", cp_get_str(config, "delegation_set_id"));
    cp_buf_adds(&b, "</CreateHostedZoneRequest>");
    xmlDocPtr doc;
    int rc = r53_call(c, "CreateHostedZone", "POST", "hostedzone", NULL, &b, NULL, &doc);
    free(b.data);
    if (rc != 0) return -1;
    char *raw = aws_xml_text(aws_xml_root(doc), "HostedZone/Id"), *zid = r53_zone_id(raw);
    xmlFreeDoc(doc);
    free(raw);
    if (!zid)
        return cp_fail(c, "%s: CreateHostedZone answered without a zone id; run apply again",
                       c->address);
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", zid);
    rc = tags_update(c, zid, NULL, cp_get_map(config, "tags"));
    for (size_t i = 1; rc == 0 && vpcs && i < cp_len(vpcs); i++) {
        const cp_value *v = cp_list_get(vpcs, i);
        rc = vpc_change(c, zid, true, cp_get_str(v, "vpc_id"), vpc_region_of(c, v));
    }
    free(zid);
    return cp_aws_finish_take(c, rc, zone_read, s, "the hosted zone", state);
}

static int zone_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                       cp_value **state)
{
    const char *id = cp_get_str(old, "id");
    if (cp_changed(old, config, "comment")) {
        cp_buf b = { 0 };
        cp_buf_printf(&b, "<UpdateHostedZoneCommentRequest xmlns=\"%s\">", R53_NS);
        r53_xml_elem(&b, "Comment", cp_get_str_or(config, "comment", ""));
        cp_buf_adds(&b, "</UpdateHostedZoneCommentRequest>");
        char *path = cp_xasprintf("hostedzone/%s", id);
        int rc = r53_call(c, "UpdateHostedZoneComment", "POST", path, NULL, &b, NULL, NULL);
        free(path);
        free(b.data);
        if (rc != 0) return -1;
    }
    if (cp_changed(old, config, "tags") &&
        tags_update(c, id, cp_get_map(old, "tags"), cp_get_map(config, "tags")) != 0)
        return -1;
    const cp_value *ov = cp_get_list(old, "vpc"), *nv = cp_get_list(config, "vpc");
    size_t n_old = ov ? cp_len(ov) : 0, n_new = nv ? cp_len(nv) : 0;
    if ((n_old > 0) != (n_new > 0))
        return cp_fail(c,
                       "%s: a hosted zone cannot turn %s in place; the change needs a new zone "
                       "(plan again)",
                       c->address, n_old ? "public" : "private");
    /* add first, then remove: a private zone keeps one VPC at least */
    for (size_t i = 0; nv && i < cp_len(nv); i++) {
        const cp_value *v = cp_list_get(nv, i);
        const char *vid = cp_get_str(v, "vpc_id"), *reg = vpc_region_of(c, v);
        if (vid && !vpc_listed(c, ov, vid, reg) && vpc_change(c, id, true, vid, reg) != 0)
            return -1;
    }
    for (size_t i = 0; ov && i < cp_len(ov); i++) {
        const cp_value *v = cp_list_get(ov, i);
        const char *vid = cp_get_str(v, "vpc_id"), *reg = vpc_region_of(c, v);
        if (vid && !vpc_listed(c, nv, vid, reg) && vpc_change(c, id, false, vid, reg) != 0)
            return -1;
    }
    return cp_aws_reread(c, zone_read, attrs, config, id, state);
}

/* force_destroy: DELETE every record set but the zone's own SOA and NS, a
 * page at a time (the records as ListResourceRecordSets gives them). */
static int zone_empty(cp_provider_call *c, const char *id)
{
    char *zone_name = NULL;
    int rc = r53_zone_name(c, id, &zone_name);
    if (rc != 0) return rc == 1 ? 0 : -1;
    char *path = cp_xasprintf("hostedzone/%s/rrset", id);
    for (int pages = 0; rc == 0 && pages < 1000; pages++) {
        xmlDocPtr doc;
        rc = r53_call(c, "ListResourceRecordSets", "GET", path, NULL, NULL, r53_zone_gone, &doc);
        if (rc != 0) break;
        cp_buf b = { 0 };
        size_t n = 0;
        cp_buf_printf(&b, "<ChangeResourceRecordSetsRequest xmlns=\"%s\"><ChangeBatch><Changes>",
                      R53_NS);
        for (xmlNodePtr rr =
                 aws_xml_find(aws_xml_root(doc), "ResourceRecordSets/ResourceRecordSet");
             rr; rr = aws_xml_next(rr)) {
            char *raw = aws_xml_text(rr, "Name"), *nm = r53_name_norm(raw);
            char *type = aws_xml_text(rr, "Type");
            bool apex = nm && strcmp(nm, zone_name) == 0 && type &&
                        (strcmp(type, "SOA") == 0 || strcmp(type, "NS") == 0);
            free(raw);
            free(nm);
            free(type);
            if (apex) continue;
            xmlBufferPtr xb = xmlBufferCreate();
            xmlNodeDump(xb, rr->doc, rr, 0, 0);
            cp_buf_adds(&b, "<Change><Action>DELETE</Action>");
            cp_buf_adds(&b, (const char *)xmlBufferContent(xb));
            cp_buf_adds(&b, "</Change>");
            xmlBufferFree(xb);
            n++;
        }
        xmlFreeDoc(doc);
        cp_buf_adds(&b, "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>");
        if (n == 0) {
            free(b.data);
            break;
        }
        char *cpath = cp_xasprintf("hostedzone/%s/rrset/", id);
        xmlDocPtr ans;
        rc = r53_call(c, "ChangeResourceRecordSets", "POST", cpath, NULL, &b, NULL, &ans);
        free(cpath);
        free(b.data);
        if (rc == 0) {
            char *cid = r53_change_id(ans);
            rc = r53_wait_change(c, cid, "the deletion of the zone's records");
            free(cid);
            xmlFreeDoc(ans);
        }
    }
    free(path);
    free(zone_name);
    return rc == 1 ? 0 : rc;
}

static int zone_delete(cp_provider_call *c, const cp_value *state)
{
    const char *id = cp_get_str(state, "id");
    if (cp_get_bool(state, "force_destroy", false) && zone_empty(c, id) != 0) return -1;
    char *path = cp_xasprintf("hostedzone/%s", id);
    int rc = r53_call(c, "DeleteHostedZone", "DELETE", path, NULL, NULL, r53_zone_gone, NULL);
    free(path);
    return rc == -1 ? -1 : 0;
}

static int zone_import(cp_provider_call *c, const char *id, cp_value **state)
{
    char *zid = r53_zone_id(id);
    int rc = cp_aws_import_via_read(c, zone_read, zid, state);
    free(zid);
    return rc;
}

/* An interrupted create: the zone of that name whose CallerReference is the intent UUID. */
static int zone_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    *state = NULL;
    const char *uuid = cp_intent_uuid(intent);
    if (!uuid || !cp_get_str(intent, "name")) return 0;
    aws_params *q = aws_params_new();
    aws_params_add(q, "dnsname", cp_get_str(intent, "name")); /* as written: moto matches case */
    aws_params_add(q, "maxitems", "100");
    xmlDocPtr doc;
    int rc = r53_call(c, "ListHostedZonesByName", "GET", "hostedzonesbyname", q, NULL, NULL, &doc);
    aws_params_free(q);
    char *found = NULL;
    if (rc == 0) {
        for (xmlNodePtr z = aws_xml_find(aws_xml_root(doc), "HostedZones/HostedZone"); z && !found;
             z = aws_xml_next(z)) {
            char *ref = aws_xml_text(z, "CallerReference");
            char *raw = aws_xml_text(z, "Id");
            if (ref && strcmp(ref, uuid) == 0) found = r53_zone_id(raw);
            free(ref);
            free(raw);
        }
        xmlFreeDoc(doc);
    }
    if (rc != 0) return -1;
    rc = found ? cp_aws_find_with_id(c, zone_read, intent, found, state) : 0;
    free(found);
    return rc;
}

const cp_resource_type cp_aws_route53_zone = {
    .name = "aws_route53_zone",
    .description =
        "A Route 53 hosted zone with its name servers, public, or private to the VPCs of its vpc "
        "blocks (import by zone id). Deliberate difference from the Terraform AWS provider: "
        "comment defaults to \"Managed by cpstack\" (Terraform: \"Managed by Terraform\").",
    .attrs = attrs,
    .create = zone_create,
    .read = zone_read,
    .update = zone_update,
    .delete = zone_delete,
    .import = zone_import,
    .validate_config = validate_zone,
    .replace_if = zone_replace_if,
    .recovery = CP_RECOVER_TOKEN,
    .find = zone_find,
};
