/*
 * route53_zone_data.c: data "aws_route53_zone" — one hosted zone found by
 * zone_id or by name (ListHostedZonesByName, private_zone telling public
 * from private zones of the same name, vpc_id the private zone of that name
 * associated with a VPC, read from GetHostedZone): its id, name servers
 * and ARN.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/route53_common.h"

#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "util/xalloc.h"

static const cp_schema_attr attrs[] = {
    { .name = "zone_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Id of the zone (set this or name)." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Domain of the zone (set this or zone_id)." },
    { .name = "private_zone",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Look for a private zone instead of a public one." },
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "With name: the private zone of that name associated with this VPC "
                     "(private_zone is then implied)." },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "Id of the zone." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the zone." },
    { .name = "comment",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Comment of the zone." },
    { .name = "name_servers",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The zone's name servers." },
    { .name = "primary_name_server",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The first of the zone's name servers." },
    { NULL },
};

static char *validate_data(const cp_value *config)
{
    return cp_prov_exactly_one(config, (const char *const[]){ "zone_id", "name", NULL });
}

/* Whether private zone id is associated with VPC vpc (GetHostedZone's VPCs);
 * -1 after a failed call. */
static int zone_has_vpc(cp_provider_call *c, const char *id, const char *vpc)
{
    char *path = cp_xasprintf("hostedzone/%s", id);
    xmlDocPtr doc;
    int rc = r53_call(c, "GetHostedZone", "GET", path, NULL, NULL, r53_zone_gone, &doc);
    free(path);
    if (rc != 0) return rc < 0 ? -1 : 0;
    int has = 0;
    for (xmlNodePtr v = aws_xml_find(aws_xml_root(doc), "VPCs/VPC"); v && !has;
         v = aws_xml_next(v)) {
        char *vid = aws_xml_text(v, "VPCId");
        has = vid && strcmp(vid, vpc) == 0;
        free(vid);
    }
    xmlFreeDoc(doc);
    return has;
}

/* The id (malloc'd) of the one zone named want with PrivateZone = priv
 * (and, when vpc is not NULL, associated with that VPC). */
static int zone_by_name(cp_provider_call *c, const char *want, bool priv, const char *vpc,
                        char **id)
{
    *id = NULL;
    char *norm = r53_name_norm(want);
    aws_params *q = aws_params_new();
    aws_params_add(q, "dnsname", want);
    aws_params_add(q, "maxitems", "100");
    xmlDocPtr doc;
    int rc = r53_call(c, "ListHostedZonesByName", "GET", "hostedzonesbyname", q, NULL, NULL, &doc);
    aws_params_free(q);
    size_t matches = 0;
    if (rc == 0) {
        for (xmlNodePtr z = aws_xml_find(aws_xml_root(doc), "HostedZones/HostedZone"); z;
             z = aws_xml_next(z)) {
            char *raw = aws_xml_text(z, "Name"), *nm = r53_name_norm(raw);
            char *p = aws_xml_text(z, "Config/PrivateZone");
            bool is_priv = p && strcmp(p, "true") == 0;
            char *zid = NULL;
            int has = 1;
            if (nm && strcmp(nm, norm) == 0 && is_priv == priv && vpc) {
                char *raw_id = aws_xml_text(z, "Id");
                zid = r53_zone_id(raw_id);
                free(raw_id);
                has = zone_has_vpc(c, zid, vpc);
                if (has < 0) rc = -1;
            }
            free(zid);
            if (nm && strcmp(nm, norm) == 0 && is_priv == priv && has > 0) {
                matches++;
                if (!*id) {
                    char *raw_id = aws_xml_text(z, "Id");
                    *id = r53_zone_id(raw_id);
                    free(raw_id);
                }
            }
            free(raw);
            free(nm);
            free(p);
        }
        xmlFreeDoc(doc);
    }
    if (rc == 0 && matches == 0 && vpc)
        rc = cp_fail(c,
                     "%s: no private hosted zone named %s is associated with %s; check name and "
                     "vpc_id",
                     c->address, norm, vpc);
    else if (rc == 0 && matches == 0)
        rc = cp_fail(c, "%s: no %s hosted zone named %s; check name and private_zone", c->address,
                     priv ? "private" : "public", norm);
    else if (rc == 0 && matches > 1)
        rc = cp_fail(c, "%s: %zu %s hosted zones are named %s; set zone_id to choose one",
                     c->address, matches, priv ? "private" : "public", norm);
    free(norm);
    if (rc != 0) {
        free(*id);
        *id = NULL;
        return -1;
    }
    return 0;
}

static int zone_data_read(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    *state = NULL;
    char *msg = validate_data(config);
    if (msg) {
        int rc = cp_fail(c, "%s: %s", c->address, msg);
        free(msg);
        return rc;
    }
    char *id = NULL;
    if (cp_get_str(config, "zone_id"))
        id = r53_zone_id(cp_get_str(config, "zone_id"));
    else if (zone_by_name(c, cp_get_str(config, "name"),
                          cp_get_bool(config, "private_zone", false) ||
                              cp_get_str(config, "vpc_id"),
                          cp_get_str(config, "vpc_id"), &id) != 0)
        return -1;
    char *path = cp_xasprintf("hostedzone/%s", id);
    xmlDocPtr doc;
    int rc = r53_call(c, "GetHostedZone", "GET", path, NULL, NULL, r53_zone_gone, &doc);
    free(path);
    if (rc == 1) rc = cp_fail(c, "%s: no hosted zone %s; check zone_id", c->address, id);
    if (rc != 0) {
        free(id);
        return -1;
    }
    xmlNodePtr root = aws_xml_root(doc), hz = aws_xml_find(root, "HostedZone");
    cp_value *s = cp_state_start(attrs, config);
    char *raw = aws_xml_text(hz, "Name"), *name = r53_name_norm(raw);
    cp_set_str(s, "id", id);
    cp_set_str(s, "zone_id", id);
    cp_set_str(s, "name", name);
    char *arn = cp_xasprintf("arn:aws:route53:::hostedzone/%s", id);
    cp_set_str(s, "arn", arn);
    cp_set_xml(s, "comment", hz, "Config/Comment");
    cp_value *ns = cp_aws_xml_strings(root, "DelegationSet/NameServers/NameServer", NULL);
    cp_set_str(s, "primary_name_server", cp_len(ns) ? cp_string_val(cp_list_get(ns, 0)) : NULL);
    cp_set_take(s, "name_servers", ns);
    free(arn);
    free(raw);
    free(name);
    free(id);
    xmlFreeDoc(doc);
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_route53_zone_data = {
    .name = "aws_route53_zone",
    .description = "A Route 53 hosted zone found by zone_id or name (data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = zone_data_read,
    .validate_config = validate_data,
};
