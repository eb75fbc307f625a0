/*
 * ec2_security_group_data.c: data source aws_security_group — the one
 * security group matching id, name, vpc_id, tags and `filter` blocks
 * (DescribeSecurityGroups; none or several is an error, as in Terraform).
 * id = the group id.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_lookup.h"

#include <stdlib.h>

#include "util/xalloc.h"

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Id of the group to find (sg-…)." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Name of the group." },
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Id of the VPC the group is in." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Tags the group must have; the group's tags once read." },
    { .name = "filter",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = ec2_lookup_filter_attrs,
      .description = "DescribeSecurityGroups filters; the group must match all of them." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the group." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Description of the group." },
    { NULL },
};

static const ec2_lookup_arg args[] = {
    { "name", "group-name" },
    { "vpc_id", "vpc-id" },
    { NULL, NULL },
};

static const ec2_lookup lookup = { "DescribeSecurityGroups", "GroupId", "securityGroupInfo/item",
                                   "security group", args };

static int sg_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    xmlDocPtr doc;
    xmlNodePtr it;
    if (ec2_lookup_one(c, &lookup, config, &doc, &it) != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", it, "groupId");
    cp_set_xml(s, "name", it, "groupName");
    cp_set_xml(s, "vpc_id", it, "vpcId");
    cp_set_xml(s, "description", it, "groupDescription");
    cp_set_take(s, "tags", ec2_tags_read(it, NULL));
    char *owner = aws_xml_text(it, "ownerId");
    char *what = cp_xasprintf("security-group/%s", cp_get_str(s, "id"));
    cp_set_take(s, "arn", ec2_arn(c, owner, what));
    free(what);
    free(owner);
    xmlFreeDoc(doc);
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_security_group_data = {
    .name = "aws_security_group",
    .description = "Finds one security group by id, name, VPC, tags or filters (data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = sg_read_data,
};
