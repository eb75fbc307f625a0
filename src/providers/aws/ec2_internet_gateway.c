/*
 * ec2_internet_gateway.c: aws_internet_gateway — an internet gateway (id =
 * igw-…), attached to vpc_id when set. Changing vpc_id detaches it from the
 * old VPC and attaches it to the new one in place; delete detaches first.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <stdlib.h>

#include "util/xalloc.h"

static const cp_schema_attr attrs[] = {
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Id of the VPC to attach the gateway to. A change moves it in place." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the internet gateway." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the internet gateway (igw-…)." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the internet gateway." },
    { .name = "owner_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the AWS account that owns the internet gateway." },
    { NULL },
};

static const char *const igw_gone[] = { "InvalidInternetGatewayID.NotFound", NULL };

static int igw_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr parent, const cp_value *prev,
                    cp_value **out)
{
    (void)parent;
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", it, "internetGatewayId");
    cp_set_xml(s, "vpc_id", it, "attachmentSet/item/vpcId");
    cp_set_xml(s, "owner_id", it, "ownerId");
    char *what = cp_xasprintf("internet-gateway/%s", cp_get_str(s, "id"));
    cp_set_take(s, "arn", ec2_arn(c, cp_get_str(s, "owner_id"), what));
    free(what);
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    *out = s;
    return 0;
}

static const ec2_describe igw_describe = {
    .action = "DescribeInternetGateways",
    .filter = "internet-gateway-id",
    .items = "internetGatewaySet/item",
    .id_elem = "internetGatewayId",
    .fill = igw_fill,
};

static int igw_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &igw_describe, state, out);
}

static int igw_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    return ec2_read_many(c, &igw_describe, states, n, out);
}

/* action = AttachInternetGateway / DetachInternetGateway. */
static int igw_attach(cp_provider_call *c, const char *action, const char *id, const char *vpc_id,
                      const char *const *gone)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "InternetGatewayId", id);
    aws_params_add(p, "VpcId", vpc_id);
    int rc = ec2_call(c, action, p, gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

/* A retry of an attach whose answer was lost finds it attached (a read
 * afterwards shows where). */
static const char *const attached[] = { "Resource.AlreadyAssociated", NULL };

static int igw_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    ec2_tag_spec_intent(p, "internet-gateway", config);
    xmlDocPtr doc;
    aws_set_no_resend(true); /* no idempotency token: a lost answer is looked up */
    int rc = ec2_call(c, "CreateInternetGateway", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "internetGateway/internetGatewayId");
    xmlFreeDoc(doc);
    const char *vpc = cp_get_str(config, "vpc_id");
    if (vpc) rc = igw_attach(c, "AttachInternetGateway", cp_get_str(s, "id"), vpc, attached);
    return ec2_finish_take(c, rc, igw_read, s, state);
}

static int igw_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    static const char *const not_attached[] = { "Gateway.NotAttached", NULL };
    const char *id = cp_get_str(old, "id");
    const char *from = cp_get_str(old, "vpc_id"), *to = cp_get_str(config, "vpc_id");
    if (cp_changed(old, config, "vpc_id")) {
        if (from && igw_attach(c, "DetachInternetGateway", id, from, not_attached) != 0) return -1;
        if (to && igw_attach(c, "AttachInternetGateway", id, to, attached) != 0) return -1;
    }
    if (ec2_tags_update(c, id, old, config) != 0) return -1;
    return cp_aws_reread(c, igw_read, attrs, config, id, state);
}

static int igw_delete(cp_provider_call *c, const cp_value *state)
{
    static const char *const gone[] = { "Gateway.NotAttached", "InvalidInternetGatewayID.NotFound",
                                        NULL };
    const char *id = cp_get_str(state, "id"), *vpc = cp_get_str(state, "vpc_id");
    if (vpc && igw_attach(c, "DetachInternetGateway", id, vpc, gone) != 0) return -1;
    return ec2_delete(c, "DeleteInternetGateway", "InternetGatewayId", id, igw_gone);
}

static int igw_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, igw_read, id, state);
}

/* An interrupted create is found by the intent tag it sent. */
static int igw_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return ec2_find_by_intent(c, &igw_describe, intent, state);
}

const cp_resource_type cp_aws_internet_gateway = {
    .name = "aws_internet_gateway",
    .description = "An internet gateway, attached to a VPC (import by igw id).",
    .attrs = attrs,
    .create = igw_create,
    .read = igw_read,
    .update = igw_update,
    .delete = igw_delete,
    .import = igw_import,
    .read_batch = igw_read_batch,
    .recovery = CP_RECOVER_TAG,
    .find = igw_find,
};
