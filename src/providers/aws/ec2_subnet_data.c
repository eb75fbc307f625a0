/*
 * ec2_subnet_data.c: data sources aws_subnet — the one subnet matching id,
 * vpc_id, availability_zone, cidr_block, default_for_az, state, tags and
 * `filter` blocks (none or several is an error, as in Terraform; id = the
 * subnet id) — and aws_subnets — the ids of every subnet matching tags and
 * `filter` blocks (none is fine; id = the region).
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_lookup.h"

#include <stdlib.h>

#include "util/xalloc.h"

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Id of the subnet to find (subnet-…)." },
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Id of the VPC the subnet is in." },
    { .name = "availability_zone",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Zone of the subnet, e.g. eu-west-1a." },
    { .name = "availability_zone_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Zone id of the subnet, e.g. euw1-az1." },
    { .name = "cidr_block",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "The subnet's IPv4 CIDR block." },
    { .name = "default_for_az",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "true: the default subnet of its zone (in the default VPC)." },
    { .name = "state",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "State of the subnet: pending or available." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Tags the subnet must have; the subnet's tags once read." },
    { .name = "filter",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = ec2_lookup_filter_attrs,
      .description = "DescribeSubnets filters; the subnet must match all of them." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the subnet." },
    { .name = "map_public_ip_on_launch",
      .type = CP_AT_BOOL,
      .flags = CP_COMPUTED,
      .description = "Whether instances launched in it get a public IP." },
    { .name = "available_ip_address_count",
      .type = CP_AT_NUMBER,
      .flags = CP_COMPUTED,
      .description = "Unused private IPv4 addresses in the subnet." },
    { .name = "owner_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the account that owns the subnet." },
    { NULL },
};

static const ec2_lookup_arg args[] = {
    { "vpc_id", "vpc-id" },
    { "availability_zone", "availabilityZone" },
    { "availability_zone_id", "availability-zone-id" },
    { "cidr_block", "cidrBlock" },
    { "default_for_az", "defaultForAz" },
    { "state", "state" },
    { NULL, NULL },
};

static const ec2_lookup lookup = { "DescribeSubnets", "SubnetId", "subnetSet/item", "subnet",
                                   args };

static int subnet_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    xmlDocPtr doc;
    xmlNodePtr it;
    if (ec2_lookup_one(c, &lookup, config, &doc, &it) != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    static const char *const fields[][2] = {
        { "id", "subnetId" },
        { "vpc_id", "vpcId" },
        { "availability_zone", "availabilityZone" },
        { "availability_zone_id", "availabilityZoneId" },
        { "cidr_block", "cidrBlock" },
        { "state", "state" },
        { "owner_id", "ownerId" },
        { "arn", "subnetArn" },
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        cp_set_xml(s, fields[i][0], it, fields[i][1]);
    cp_set_xml_bool(s, "default_for_az", it, "defaultForAz", false);
    cp_set_xml_bool(s, "map_public_ip_on_launch", it, "mapPublicIpOnLaunch", false);
    cp_set_xml_num(s, "available_ip_address_count", it, "availableIpAddressCount", 0);
    cp_set_take(s, "tags", ec2_tags_read(it, NULL));
    if (!cp_get_str(s, "arn")) {
        char *what = cp_xasprintf("subnet/%s", cp_get_str(s, "id"));
        cp_set_take(s, "arn", ec2_arn(c, cp_get_str(s, "owner_id"), what));
        free(what);
    }
    xmlFreeDoc(doc);
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_subnet_data = {
    .name = "aws_subnet",
    .description = "Finds one subnet by id, VPC, zone, CIDR block, tags or filters (data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = subnet_read_data,
};

/* ---- aws_subnets ---------------------------------------------------------------------------- */

static const cp_schema_attr subnets_attrs[] = {
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags the subnets must have (each one a tag:KEY filter)." },
    { .name = "filter",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = ec2_lookup_filter_attrs,
      .description = "DescribeSubnets filters, e.g. name = \"vpc-id\"; a subnet must match all." },
    { .name = "ids",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Ids of the matching subnets (empty when none matches)." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The region's name." },
    { NULL },
};

static const ec2_lookup subnets_lookup = { "DescribeSubnets", NULL, "subnetSet/item", "subnet",
                                           NULL };

static int subnets_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    xmlDocPtr doc;
    size_t n;
    if (ec2_lookup_run(c, &subnets_lookup, config, &doc, &n) != 0) return -1;
    cp_value *s = cp_state_start(subnets_attrs, config);
    cp_set_take(s, "ids", cp_aws_xml_strings(aws_xml_root(doc), "subnetSet/item", "subnetId"));
    cp_set_str(s, "id", aws_client_region(cp_aws_client(c)));
    xmlFreeDoc(doc);
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_subnets_data = {
    .name = "aws_subnets",
    .description = "The ids of every subnet matching tags and filters (data source).",
    .attrs = subnets_attrs,
    .is_data = true,
    .read_data = subnets_read_data,
};
