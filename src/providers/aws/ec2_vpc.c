/*
 * ec2_vpc.c: aws_vpc — a VPC (id = vpc-…). The CIDR block and tenancy are
 * fixed at creation; DNS support/hostnames and tags change in place. A
 * read also finds the VPC's main route table and default security group,
 * which AWS creates with it.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include "util/xalloc.h"

#include <stdlib.h>

static const cp_schema_attr attrs[] = {
    { .name = "cidr_block",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = ec2_validate_cidr,
      .description = "IPv4 address range of the VPC, e.g. 10.0.0.0/16." },
    { .name = "instance_tenancy",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"default\"",
      .validate = ec2_validate_tenancy,
      .description =
          "Tenancy of instances launched in the VPC: default, dedicated or host. Default default." },
    { .name = "enable_dns_support",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "true",
      .description =
          "Whether the Amazon-provided DNS server resolves names in the VPC. Default true." },
    { .name = "enable_dns_hostnames",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Whether instances with public IPs get public DNS hostnames. Default false." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the VPC." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the VPC (vpc-…)." },
    { .name = "arn", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "ARN of the VPC." },
    { .name = "owner_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the AWS account that owns the VPC." },
    { .name = "main_route_table_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the main route table AWS created with the VPC." },
    { .name = "default_route_table_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the VPC's default route table (the main one)." },
    { .name = "default_security_group_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the default security group AWS created with the VPC." },
    { NULL },
};

static const char *const vpc_gone[] = { "InvalidVpcID.NotFound", NULL };

/* DescribeVpcAttribute(attr) → <Attr><value>…</value></Attr>. */
static int vpc_attr(cp_provider_call *c, cp_value *s, const char *id, const char *attr,
                    const char *elem, const char *key)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "VpcId", id);
    aws_params_add(p, "Attribute", attr);
    xmlDocPtr doc;
    int rc = ec2_call(c, "DescribeVpcAttribute", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    xmlNodePtr v = aws_xml_find(aws_xml_root(doc), elem);
    cp_set_xml_bool(s, key, v, "value", false);
    xmlFreeDoc(doc);
    return 0;
}

/* The `field` of the first `items` that action finds in this VPC with
 * filter name=value, stored at key. */
static int vpc_find(cp_provider_call *c, cp_value *s, const char *vpc_id, const char *action,
                    const char *name, const char *value, const char *items, const char *field,
                    const char *key)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "Filter.1.Name", "vpc-id");
    aws_params_add(p, "Filter.1.Value.1", vpc_id);
    aws_params_add(p, "Filter.2.Name", name);
    aws_params_add(p, "Filter.2.Value.1", value);
    xmlDocPtr doc;
    int rc = ec2_call(c, action, p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_set_xml(s, key, aws_xml_find(aws_xml_root(doc), items), field);
    xmlFreeDoc(doc);
    return 0;
}

static int vpc_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr parent, const cp_value *prev,
                    cp_value **out)
{
    (void)parent;
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", it, "vpcId");
    cp_set_xml(s, "cidr_block", it, "cidrBlock");
    cp_set_xml(s, "instance_tenancy", it, "instanceTenancy");
    cp_set_xml(s, "owner_id", it, "ownerId");
    const char *id = cp_get_str(s, "id");
    char *what = cp_xasprintf("vpc/%s", id);
    cp_set_take(s, "arn", ec2_arn(c, cp_get_str(s, "owner_id"), what));
    free(what);
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    if (vpc_attr(c, s, id, "enableDnsSupport", "enableDnsSupport", "enable_dns_support") ||
        vpc_attr(c, s, id, "enableDnsHostnames", "enableDnsHostnames", "enable_dns_hostnames") ||
        vpc_find(c, s, id, "DescribeRouteTables", "association.main", "true", "routeTableSet/item",
                 "routeTableId", "main_route_table_id") ||
        vpc_find(c, s, id, "DescribeSecurityGroups", "group-name", "default",
                 "securityGroupInfo/item", "groupId", "default_security_group_id")) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "default_route_table_id", cp_retain(cp_map_get(s, "main_route_table_id")));
    *out = s;
    return 0;
}

static const ec2_describe vpc_describe = {
    .action = "DescribeVpcs",
    .filter = "vpc-id",
    .items = "vpcSet/item",
    .id_elem = "vpcId",
    .fill = vpc_fill,
};

static int vpc_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &vpc_describe, state, out);
}

static int vpc_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    return ec2_read_many(c, &vpc_describe, states, n, out);
}

/* ModifyVpcAttribute takes one attribute per call. */
static int vpc_set_dns(cp_provider_call *c, const char *id, const cp_value *old,
                       const cp_value *config)
{
    static const struct {
        const char *key, *param;
        bool def;
    } dns[] = {
        { "enable_dns_support", "EnableDnsSupport.Value", true },
        { "enable_dns_hostnames", "EnableDnsHostnames.Value", false },
    };
    for (size_t i = 0; i < 2; i++) {
        bool want = cp_get_bool(config, dns[i].key, dns[i].def);
        if (cp_get_bool(old, dns[i].key, dns[i].def) == want) continue;
        aws_params *p = aws_params_new();
        aws_params_add(p, "VpcId", id);
        ec2_params_bool(p, dns[i].param, want);
        int rc = ec2_call(c, "ModifyVpcAttribute", p, NULL, NULL);
        aws_params_free(p);
        if (rc != 0) return -1;
    }
    return 0;
}

static int vpc_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "CidrBlock", cp_get_str(config, "cidr_block"));
    const char *tenancy = cp_get_str(config, "instance_tenancy");
    if (tenancy) aws_params_add(p, "InstanceTenancy", tenancy);
    ec2_tag_spec_intent(p, "vpc", config);
    xmlDocPtr doc;
    aws_set_no_resend(true); /* no idempotency token: a lost answer is looked up */
    int rc = ec2_call(c, "CreateVpc", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "vpc/vpcId");
    xmlFreeDoc(doc);
    cp_value *defaults = cp_map_new(); /* what AWS gives a new VPC */
    cp_set_bool(defaults, "enable_dns_support", true);
    rc = vpc_set_dns(c, cp_get_str(s, "id"), defaults, config);
    cp_release(defaults);
    return ec2_finish_take(c, rc, vpc_read, s, state);
}

static int vpc_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    const char *id = cp_get_str(old, "id");
    if (vpc_set_dns(c, id, old, config) != 0 || ec2_tags_update(c, id, old, config) != 0) return -1;
    return cp_aws_reread(c, vpc_read, attrs, config, id, state);
}

static int vpc_delete(cp_provider_call *c, const cp_value *state)
{
    return ec2_delete(c, "DeleteVpc", "VpcId", cp_get_str(state, "id"), vpc_gone);
}

static int vpc_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, vpc_read, id, state);
}

/* An interrupted create is found by the intent tag it sent. */
static int vpc_find_intent(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return ec2_find_by_intent(c, &vpc_describe, intent, state);
}

const cp_resource_type cp_aws_vpc = {
    .name = "aws_vpc",
    .description =
        "A VPC (import by vpc id)."
        " Deliberate differences from the Terraform AWS provider: a change of instance_tenancy "
        "replaces the VPC (Terraform moves dedicated to default in place); enable_dns_hostnames "
        "defaults to false, AWS's default for a new VPC (Terraform keeps what AWS has when it is "
        "left out).",
    .attrs = attrs,
    .create = vpc_create,
    .read = vpc_read,
    .update = vpc_update,
    .delete = vpc_delete,
    .import = vpc_import,
    .read_batch = vpc_read_batch,
    .recovery = CP_RECOVER_TAG,
    .find = vpc_find_intent,
};
