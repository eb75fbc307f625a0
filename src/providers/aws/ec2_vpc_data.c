/*
 * ec2_vpc_data.c: data source aws_vpc — the one VPC matching id,
 * cidr_block, default, dhcp_options_id, state, tags and `filter` blocks
 * (DescribeVpcs). None or several matching is an error, as in Terraform.
 * id = the VPC id.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_lookup.h"

#include <stdlib.h>

#include "util/xalloc.h"

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Id of the VPC to find (vpc-…)." },
    { .name = "cidr_block",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "The VPC's primary IPv4 CIDR block." },
    { .name = "default",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "true: the region's default VPC; false: any other." },
    { .name = "dhcp_options_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Id of the VPC's DHCP options set." },
    { .name = "state",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "State of the VPC: pending or available." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Tags the VPC must have (each one a tag:KEY filter); the VPC's tags once "
                     "read." },
    { .name = "filter",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = ec2_lookup_filter_attrs,
      .description = "DescribeVpcs filters; the VPC must match all of them." },
    { .name = "arn", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "ARN of the VPC." },
    { .name = "instance_tenancy",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Tenancy of instances launched in it: default or dedicated." },
    { .name = "owner_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the account that owns the VPC." },
    { .name = "main_route_table_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the VPC's main route table." },
    { NULL },
};

static const ec2_lookup_arg args[] = {
    { "cidr_block", "cidr" },
    { "default", "isDefault" },
    { "dhcp_options_id", "dhcp-options-id" },
    { "state", "state" },
    { NULL, NULL },
};

static const ec2_lookup lookup = { "DescribeVpcs", "VpcId", "vpcSet/item", "VPC", args };

/* The main route table (DescribeRouteTables, association.main = true). */
static int main_table(cp_provider_call *c, const char *vpc, cp_value *s)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "Filter.1.Name", "vpc-id");
    aws_params_add(p, "Filter.1.Value.1", vpc);
    aws_params_add(p, "Filter.2.Name", "association.main");
    aws_params_add(p, "Filter.2.Value.1", "true");
    xmlDocPtr doc;
    int rc = ec2_call(c, "DescribeRouteTables", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_set_xml(s, "main_route_table_id", aws_xml_root(doc), "routeTableSet/item/routeTableId");
    xmlFreeDoc(doc);
    return 0;
}

static int vpc_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    xmlDocPtr doc;
    xmlNodePtr it;
    if (ec2_lookup_one(c, &lookup, config, &doc, &it) != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", it, "vpcId");
    cp_set_xml(s, "cidr_block", it, "cidrBlock");
    cp_set_xml_bool(s, "default", it, "isDefault", false);
    cp_set_xml(s, "dhcp_options_id", it, "dhcpOptionsId");
    cp_set_xml(s, "state", it, "state");
    cp_set_xml(s, "instance_tenancy", it, "instanceTenancy");
    cp_set_xml(s, "owner_id", it, "ownerId");
    cp_set_take(s, "tags", ec2_tags_read(it, NULL));
    char *what = cp_xasprintf("vpc/%s", cp_get_str(s, "id"));
    cp_set_take(s, "arn", ec2_arn(c, cp_get_str(s, "owner_id"), what));
    free(what);
    xmlFreeDoc(doc);
    if (main_table(c, cp_get_str(s, "id"), s) != 0) {
        cp_release(s);
        return -1;
    }
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_vpc_data = {
    .name = "aws_vpc",
    .description = "Finds one VPC by id, CIDR block, default, tags or filters (data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = vpc_read_data,
};
