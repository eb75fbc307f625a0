/*
 * ec2_route_table.c: aws_route_table — a route table of a VPC (id =
 * rtb-…) with its routes as a set of `route` blocks. An update deletes the
 * routes no longer configured, replaces those whose target changed and
 * creates the new ones. The VPC's "local" route is AWS's and never shown.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const cp_schema_attr route_attrs[] = {
    { .name = "cidr_block",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = ec2_validate_cidr,
      .description = "Destination IPv4 range, e.g. 0.0.0.0/0." },
    { .name = "gateway_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Target internet gateway id (igw-…). Set this or nat_gateway_id." },
    { .name = "nat_gateway_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Target NAT gateway id (nat-…). Set this or gateway_id." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Id of the VPC the route table belongs to." },
    { .name = "route",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_UNORDERED,
      .block = route_attrs,
      .description =
          "Routes (a set): a destination cidr_block to a gateway. The VPC's local route is implicit." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the route table." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the route table (rtb-…)." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the route table." },
    { .name = "owner_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the AWS account that owns the route table." },
    { NULL },
};

static const char *const rtb_gone[] = { "InvalidRouteTableID.NotFound", NULL };

static cp_value *routes_read(xmlNodePtr it)
{
    cp_value *l = cp_list_new();
    for (xmlNodePtr r = aws_xml_find(it, "routeSet/item"); r; r = aws_xml_next(r)) {
        char *gw = aws_xml_text(r, "gatewayId"), *origin = aws_xml_text(r, "origin");
        bool skip = (gw && !strcmp(gw, "local")) || (origin && strcmp(origin, "CreateRoute"));
        free(gw);
        free(origin);
        if (skip) continue;
        cp_value *m = cp_map_new();
        cp_set_xml(m, "cidr_block", r, "destinationCidrBlock");
        cp_set_xml(m, "gateway_id", r, "gatewayId");
        cp_set_xml(m, "nat_gateway_id", r, "natGatewayId");
        cp_list_push_take(l, m);
    }
    return l;
}

static int rtb_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr parent, const cp_value *prev,
                    cp_value **out)
{
    (void)parent;
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", it, "routeTableId");
    cp_set_xml(s, "vpc_id", it, "vpcId");
    cp_set_xml(s, "owner_id", it, "ownerId");
    char *what = cp_xasprintf("route-table/%s", cp_get_str(s, "id"));
    cp_set_take(s, "arn", ec2_arn(c, cp_get_str(s, "owner_id"), what));
    free(what);
    cp_set_take(s, "route", routes_read(it));
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    *out = s;
    return 0;
}

static const ec2_describe rtb_describe = {
    .action = "DescribeRouteTables",
    .filter = "route-table-id",
    .items = "routeTableSet/item",
    .id_elem = "routeTableId",
    .fill = rtb_fill,
};

static int rtb_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &rtb_describe, state, out);
}

static int rtb_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    return ec2_read_many(c, &rtb_describe, states, n, out);
}

/* The route of list with this destination, or NULL. */
static const cp_value *route_for(const cp_value *list, const char *cidr)
{
    for (size_t i = 0; list && i < cp_len(list); i++) {
        const char *d = cp_get_str(cp_list_get(list, i), "cidr_block");
        if (d && !strcmp(d, cidr)) return cp_list_get(list, i);
    }
    return NULL;
}

/* action = CreateRoute / ReplaceRoute / DeleteRoute for route r. */
static int route_call(cp_provider_call *c, const char *action, const char *id, const cp_value *r)
{
    static const char *const gone[] = { "InvalidRoute.NotFound", NULL };
    aws_params *p = aws_params_new();
    aws_params_add(p, "RouteTableId", id);
    aws_params_add(p, "DestinationCidrBlock", cp_get_str(r, "cidr_block"));
    if (strcmp(action, "DeleteRoute") != 0) {
        if (cp_get_str(r, "gateway_id"))
            aws_params_add(p, "GatewayId", cp_get_str(r, "gateway_id"));
        if (cp_get_str(r, "nat_gateway_id"))
            aws_params_add(p, "NatGatewayId", cp_get_str(r, "nat_gateway_id"));
    }
    static const char *const there[] = { "RouteAlreadyExists", NULL }; /* a lost answer's retry */
    int rc = ec2_call(c, action, p, strcmp(action, "DeleteRoute") ? there : gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

/* Brings the table's routes from old (a list, may be NULL) to want. */
static int routes_sync(cp_provider_call *c, const char *id, const cp_value *old,
                       const cp_value *want)
{
    for (size_t i = 0; old && i < cp_len(old); i++) {
        const cp_value *r = cp_list_get(old, i);
        if (!route_for(want, cp_get_str(r, "cidr_block")) && route_call(c, "DeleteRoute", id, r))
            return -1;
    }
    for (size_t i = 0; want && i < cp_len(want); i++) {
        const cp_value *r = cp_list_get(want, i),
                       *was = route_for(old, cp_get_str(r, "cidr_block"));
        if (was && cp_equal(was, r)) continue;
        if (route_call(c, was ? "ReplaceRoute" : "CreateRoute", id, r) != 0) return -1;
    }
    return 0;
}

static int rtb_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "VpcId", cp_get_str(config, "vpc_id"));
    ec2_tag_spec_intent(p, "route-table", config);
    xmlDocPtr doc;
    aws_set_no_resend(true); /* no idempotency token: a lost answer is looked up */
    int rc = ec2_call(c, "CreateRouteTable", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "routeTable/routeTableId");
    xmlFreeDoc(doc);
    rc = routes_sync(c, cp_get_str(s, "id"), NULL, cp_get_list(config, "route"));
    return ec2_finish_take(c, rc, rtb_read, s, state);
}

static int rtb_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    const char *id = cp_get_str(old, "id");
    if (cp_get_list(config, "route") &&
        routes_sync(c, id, cp_get_list(old, "route"), cp_get_list(config, "route")) != 0)
        return -1;
    if (ec2_tags_update(c, id, old, config) != 0) return -1;
    return cp_aws_reread(c, rtb_read, attrs, config, id, state);
}

static int rtb_delete(cp_provider_call *c, const cp_value *state)
{
    return ec2_delete(c, "DeleteRouteTable", "RouteTableId", cp_get_str(state, "id"), rtb_gone);
}

static int rtb_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, rtb_read, id, state);
}

/* An interrupted create is found by the intent tag it sent. */
static int rtb_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return ec2_find_by_intent(c, &rtb_describe, intent, state);
}

const cp_resource_type cp_aws_route_table = {
    .name = "aws_route_table",
    .description = "A VPC route table with its routes (import by rtb id).",
    .attrs = attrs,
    .create = rtb_create,
    .read = rtb_read,
    .update = rtb_update,
    .delete = rtb_delete,
    .import = rtb_import,
    .read_batch = rtb_read_batch,
    .recovery = CP_RECOVER_TAG,
    .find = rtb_find,
};
