/*
 * ec2_subnet.c: aws_subnet — a subnet of a VPC (id = subnet-…). VPC, CIDR
 * block and availability zone are fixed; map_public_ip_on_launch and tags
 * change in place. Delete waits while instances or NAT gateways in the
 * subnet are still going away (DependencyViolation).
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

static const cp_schema_attr attrs[] = {
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Id of the VPC the subnet belongs to." },
    { .name = "cidr_block",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = ec2_validate_cidr,
      .description = "IPv4 range inside the VPC's, e.g. 10.0.1.0/24." },
    { .name = "availability_zone",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "Availability zone of the subnet, e.g. eu-west-1a. Default: chosen by AWS." },
    { .name = "map_public_ip_on_launch",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Give instances launched in the subnet a public IPv4 address." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the subnet." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the subnet (subnet-…)." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the subnet." },
    { .name = "availability_zone_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description =
          "Zone id of the availability zone, e.g. euw1-az1 (the same in every account)." },
    { .name = "owner_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the AWS account that owns the subnet." },
    { NULL },
};

static const char *const subnet_gone[] = { "InvalidSubnetID.NotFound", NULL };

static int subnet_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr parent, const cp_value *prev,
                       cp_value **out)
{
    (void)c;
    (void)parent;
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", it, "subnetId");
    cp_set_xml(s, "vpc_id", it, "vpcId");
    cp_set_xml(s, "cidr_block", it, "cidrBlock");
    cp_set_xml(s, "availability_zone", it, "availabilityZone");
    cp_set_xml(s, "availability_zone_id", it, "availabilityZoneId");
    cp_set_xml_bool(s, "map_public_ip_on_launch", it, "mapPublicIpOnLaunch", false);
    cp_set_xml(s, "arn", it, "subnetArn");
    cp_set_xml(s, "owner_id", it, "ownerId");
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    *out = s;
    return 0;
}

static const ec2_describe subnet_describe = {
    .action = "DescribeSubnets",
    .filter = "subnet-id",
    .items = "subnetSet/item",
    .id_elem = "subnetId",
    .fill = subnet_fill,
};

static int subnet_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &subnet_describe, state, out);
}

static int subnet_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                             cp_value **out)
{
    return ec2_read_many(c, &subnet_describe, states, n, out);
}

static int subnet_set_public(cp_provider_call *c, const char *id, bool on)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "SubnetId", id);
    ec2_params_bool(p, "MapPublicIpOnLaunch.Value", on);
    int rc = ec2_call(c, "ModifySubnetAttribute", p, NULL, NULL);
    aws_params_free(p);
    return rc == 0 ? 0 : -1;
}

static int subnet_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "VpcId", cp_get_str(config, "vpc_id"));
    aws_params_add(p, "CidrBlock", cp_get_str(config, "cidr_block"));
    const char *az = cp_get_str(config, "availability_zone");
    if (az) aws_params_add(p, "AvailabilityZone", az);
    ec2_tag_spec_intent(p, "subnet", config);
    xmlDocPtr doc;
    aws_set_no_resend(true); /* no idempotency token: a lost answer is looked up */
    int rc = ec2_call(c, "CreateSubnet", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "subnet/subnetId");
    xmlFreeDoc(doc);
    if (cp_get_bool(config, "map_public_ip_on_launch", false))
        rc = subnet_set_public(c, cp_get_str(s, "id"), true);
    return ec2_finish_take(c, rc, subnet_read, s, state);
}

static int subnet_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                         cp_value **state)
{
    const char *id = cp_get_str(old, "id");
    bool pub = cp_get_bool(config, "map_public_ip_on_launch", false);
    if ((pub != cp_get_bool(old, "map_public_ip_on_launch", false) &&
         subnet_set_public(c, id, pub)) ||
        ec2_tags_update(c, id, old, config) != 0)
        return -1;
    return cp_aws_reread(c, subnet_read, attrs, config, id, state);
}

static int subnet_delete(cp_provider_call *c, const cp_value *state)
{
    return ec2_delete(c, "DeleteSubnet", "SubnetId", cp_get_str(state, "id"), subnet_gone);
}

static int subnet_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, subnet_read, id, state);
}

/* An interrupted create is found by the intent tag it sent. */
static int subnet_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return ec2_find_by_intent(c, &subnet_describe, intent, state);
}

const cp_resource_type cp_aws_subnet = {
    .name = "aws_subnet",
    .description = "A subnet of a VPC (import by subnet id).",
    .attrs = attrs,
    .create = subnet_create,
    .read = subnet_read,
    .update = subnet_update,
    .delete = subnet_delete,
    .import = subnet_import,
    .read_batch = subnet_read_batch,
    .recovery = CP_RECOVER_TAG,
    .find = subnet_find,
};
