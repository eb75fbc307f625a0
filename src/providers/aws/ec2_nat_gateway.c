/*
 * ec2_nat_gateway.c: aws_nat_gateway — a public NAT gateway in a subnet
 * with an Elastic IP (id = nat-…). Create waits until it is available,
 * delete until it is deleted; a deleted gateway reads as gone. Only tags
 * change in place.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char *validate_connectivity(const cp_value *v)
{
    return !strcmp(cp_string_val(v), "public")
               ? NULL
               : "connectivity_type must be \"public\": private NAT gateways are not supported yet";
}

static const cp_schema_attr attrs[] = {
    { .name = "allocation_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Allocation id of the Elastic IP the gateway uses (an aws_eip's id)." },
    { .name = "subnet_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Id of the public subnet to place the gateway in." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the NAT gateway." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the NAT gateway (nat-…)." },
    { .name = "connectivity_type",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"public\"",
      .validate = validate_connectivity,
      .description = "Connectivity type: public (default, as in Terraform). Terraform's private NAT"
                     " gateways (no Elastic IP) are not supported yet." },
    { .name = "network_interface_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the network interface AWS created for the gateway." },
    { .name = "private_ip",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Private IPv4 address of the gateway in the subnet." },
    { .name = "public_ip",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Public IPv4 address of the gateway (the Elastic IP's)." },
    { .name = "state",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "State of the gateway, e.g. available." },
    { NULL },
};

static bool nat_deleted(xmlNodePtr it)
{
    char *st = aws_xml_text(it, "state");
    bool gone = st && !strcmp(st, "deleted");
    free(st);
    return gone;
}

static int nat_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr parent, const cp_value *prev,
                    cp_value **out)
{
    (void)c;
    (void)parent;
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", it, "natGatewayId");
    cp_set_xml(s, "subnet_id", it, "subnetId");
    cp_set_xml(s, "state", it, "state");
    cp_set_xml(s, "connectivity_type", it, "connectivityType");
    if (!cp_get_str(s, "connectivity_type")) cp_set_str(s, "connectivity_type", "public");
    xmlNodePtr addr = aws_xml_find(it, "natGatewayAddressSet/item");
    cp_set_xml(s, "allocation_id", addr, "allocationId");
    cp_set_xml(s, "network_interface_id", addr, "networkInterfaceId");
    cp_set_xml(s, "private_ip", addr, "privateIp");
    cp_set_xml(s, "public_ip", addr, "publicIp");
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    *out = s;
    return 0;
}

static const ec2_describe nat_describe = {
    .action = "DescribeNatGateways",
    .filter = "nat-gateway-id",
    .items = "natGatewaySet/item",
    .id_elem = "natGatewayId",
    .fill = nat_fill,
    .gone = nat_deleted,
};

static int nat_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &nat_describe, state, out);
}

/* Refresh of many: one Describe for up to 200 ids (ec2_common.h). */
static int nat_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    return ec2_read_many(c, &nat_describe, states, n, out);
}

typedef struct nat_wait {
    const char *id;
    bool deleting;
} nat_wait;

static int nat_check(cp_provider_call *c, void *ud, bool *done)
{
    const nat_wait *w = ud;
    cp_value *s;
    if (ec2_read_id(c, &nat_describe, w->id, NULL, &s) != 0) return -1;
    const char *st = s ? cp_get_str(s, "state") : NULL;
    *done = w->deleting ? !s : st && !strcmp(st, "available");
    int rc = 0;
    if (!w->deleting && (!s || !strcmp(st ? st : "", "failed")))
        rc = cp_fail(c,
                     "%s: NAT gateway %s failed to become available; check the subnet and "
                     "the Elastic IP in the VPC console",
                     c->address, w->id);
    cp_release(s);
    return rc;
}

static int nat_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    char token[37];
    aws_client_token(token);
    aws_params *p = aws_params_new();
    aws_params_add(p, "AllocationId", cp_get_str(config, "allocation_id"));
    aws_params_add(p, "SubnetId", cp_get_str(config, "subnet_id"));
    aws_params_add(p, "ConnectivityType", cp_get_str_or(config, "connectivity_type", "public"));
    aws_params_add(p, "ClientToken", cp_intent_uuid(config) ? cp_intent_uuid(config) : token);
    ec2_tag_spec_intent(p, "natgateway", config);
    xmlDocPtr doc;
    int rc = ec2_call(c, "CreateNatGateway", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "natGateway/natGatewayId");
    xmlFreeDoc(doc);
    nat_wait w = { cp_get_str(s, "id"), false };
    char *what = cp_xasprintf("NAT gateway %s to be available", w.id);
    rc = cp_aws_wait(c, what, 600, 5000, nat_check, &w);
    free(what);
    return ec2_finish_take(c, rc, nat_read, s, state);
}

static int nat_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    const char *id = cp_get_str(old, "id");
    if (ec2_tags_update(c, id, old, config) != 0) return -1;
    return cp_aws_reread(c, nat_read, attrs, config, id, state);
}

static int nat_delete(cp_provider_call *c, const cp_value *state)
{
    static const char *const gone[] = { "NatGatewayNotFound", NULL };
    nat_wait w = { cp_get_str(state, "id"), true };
    aws_params *p = aws_params_new();
    aws_params_add(p, "NatGatewayId", w.id);
    int rc = ec2_call(c, "DeleteNatGateway", p, gone, NULL);
    aws_params_free(p);
    if (rc != 0) return rc < 0 ? -1 : 0;
    char *what = cp_xasprintf("NAT gateway %s to be deleted", w.id);
    rc = cp_aws_wait(c, what, 600, 5000, nat_check, &w);
    free(what);
    return rc;
}

static int nat_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, nat_read, id, state);
}

/* An interrupted create is found by its intent tag (= its ClientToken). */
static int nat_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return ec2_find_by_intent(c, &nat_describe, intent, state);
}

const cp_resource_type cp_aws_nat_gateway = {
    .name = "aws_nat_gateway",
    .description =
        "A public NAT gateway; waits until available (import by nat id)."
        " Deliberate differences from the Terraform AWS provider: only public gateways, so "
        "allocation_id is required and connectivity_type must be public.",
    .attrs = attrs,
    .create = nat_create,
    .read = nat_read,
    .read_batch = nat_read_batch,
    .update = nat_update,
    .delete = nat_delete,
    .import = nat_import,
    .recovery = CP_RECOVER_TOKEN,
    .find = nat_find,
};
