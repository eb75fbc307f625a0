/*
 * ec2_route_table_association.c: aws_route_table_association — a subnet
 * associated with a route table (id = rtbassoc-…). Both ends are
 * force-new. Import takes "subnet-…/rtb-…" (Terraform's form) or the
 * association id.
 *
 * Reads go through ec2_read_many: DescribeRouteTables filtered by
 * association.route-table-association-id (up to 200 ids a call, pages
 * followed), each association matched by its id inside its table.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const cp_schema_attr attrs[] = {
    { .name = "subnet_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Id of the subnet to associate." },
    { .name = "route_table_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Id of the route table the subnet uses." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the association (rtbassoc-…)." },
    { NULL },
};

/* The association of this subnet among the table's; NULL when none. */
static xmlNodePtr assoc_find(xmlNodePtr table, const char *subnet)
{
    for (xmlNodePtr a = aws_xml_find(table, "associationSet/item"); a; a = aws_xml_next(a)) {
        char *v = aws_xml_text(a, "subnetId");
        bool hit = v && !strcmp(v, subnet);
        free(v);
        if (hit) return a;
    }
    return NULL;
}

/* The state of association a (every read builds it here). */
static cp_value *assoc_state(xmlNodePtr a)
{
    cp_value *s = cp_map_new();
    cp_set_xml(s, "id", a, "routeTableAssociationId");
    cp_set_xml(s, "subnet_id", a, "subnetId");
    cp_set_xml(s, "route_table_id", a, "routeTableId");
    return s;
}

static int assoc_fill(cp_provider_call *c, xmlNodePtr item, xmlNodePtr parent, const cp_value *prev,
                      cp_value **out)
{
    (void)c;
    (void)parent;
    (void)prev;
    *out = assoc_state(item);
    return 0;
}

static const ec2_describe assoc_describe = {
    .action = "DescribeRouteTables",
    .filter = "association.route-table-association-id",
    .items = "routeTableSet/item",
    .nested = "associationSet/item",
    .id_elem = "routeTableAssociationId",
    .fill = assoc_fill,
};

/* Describe the table(s) by filter name=value; *out = state of the
 * association of subnet among them. */
static int assoc_lookup(cp_provider_call *c, const char *filter, const char *value,
                        const char *subnet, cp_value **out)
{
    *out = NULL;
    aws_params *p = aws_params_new();
    aws_params_add(p, "Filter.1.Name", filter);
    aws_params_add(p, "Filter.1.Value.1", value);
    xmlDocPtr doc;
    int rc = ec2_call(c, "DescribeRouteTables", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    for (xmlNodePtr t = aws_xml_find(aws_xml_root(doc), "routeTableSet/item"); t && !*out;
         t = aws_xml_next(t)) {
        xmlNodePtr a = assoc_find(t, subnet);
        if (a) *out = assoc_state(a);
    }
    xmlFreeDoc(doc);
    return 0;
}

static int rta_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &assoc_describe, state, out);
}

static int rta_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    return ec2_read_many(c, &assoc_describe, states, n, out);
}

static int rta_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "SubnetId", cp_get_str(config, "subnet_id"));
    aws_params_add(p, "RouteTableId", cp_get_str(config, "route_table_id"));
    xmlDocPtr doc;
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = ec2_call(c, "AssociateRouteTable", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "associationId");
    xmlFreeDoc(doc);
    return ec2_finish_take(c, 0, rta_read, s, state);
}

static int rta_delete(cp_provider_call *c, const cp_value *state)
{
    static const char *const gone[] = { "InvalidAssociationID.NotFound", NULL };
    return ec2_delete(c, "DisassociateRouteTable", "AssociationId", cp_get_str(state, "id"), gone);
}

static int rta_import(cp_provider_call *c, const char *id, cp_value **state)
{
    const char *slash = strchr(id, '/');
    if (!slash) return cp_aws_import_via_read(c, rta_read, id, state);
    char *subnet = cp_xstrndup(id, (size_t)(slash - id));
    int rc = assoc_lookup(c, "route-table-id", slash + 1, subnet, state);
    free(subnet);
    if (rc == 0 && !*state)
        return cp_fail(c,
                       "%s: cannot import \"%s\": that subnet is not associated with that route "
                       "table; check both ids",
                       c->address, id);
    return rc;
}

/* An interrupted create is found by its two ends: the subnet's association
 * with the route table (a subnet has one). */
static int rta_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    *state = NULL;
    const char *rtb = cp_get_str(intent, "route_table_id"),
               *subnet = cp_get_str(intent, "subnet_id");
    if (!rtb || !subnet)
        return cp_fail(c, "%s: the intent of the interrupted create names no subnet and table",
                       c->address);
    return assoc_lookup(c, "route-table-id", rtb, subnet, state);
}

const cp_resource_type cp_aws_route_table_association = {
    .name = "aws_route_table_association",
    .description =
        "Associates a subnet with a route table (import by subnet-id/rtb-id)."
        " Deliberate differences from the Terraform AWS provider: subnets only (gateway_id is not "
        "supported), so subnet_id is required.",
    .attrs = attrs,
    .create = rta_create,
    .read = rta_read,
    .read_batch = rta_read_batch,
    .delete = rta_delete,
    .import = rta_import,
    .recovery = CP_RECOVER_ID,
    .find = rta_find,
};
