/*
 * ec2_eip.c: aws_eip — an Elastic IP address in a VPC (id = the allocation
 * id, eipalloc-…), optionally associated with an instance. Changing
 * `instance` moves the association in place; delete disassociates and
 * releases the address.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <string.h>

static const char *validate_domain(const cp_value *v)
{
    return strcmp(cp_string_val(v), "vpc") ? "domain is \"vpc\" (EC2-Classic is retired)" : NULL;
}

static const cp_schema_attr attrs[] = {
    { .name = "domain",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"vpc\"",
      .validate = validate_domain,
      .description = "Must be vpc (EC2-Classic is retired). Default vpc." },
    { .name = "instance",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description =
          "Id of an instance to associate the address with. A change moves it in place." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the Elastic IP." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Allocation id of the address (eipalloc-…)." },
    { .name = "allocation_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Allocation id of the address (eipalloc-…); the same as id." },
    { .name = "association_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the association with an instance (eipassoc-…), when associated." },
    { .name = "public_ip",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The public IPv4 address." },
    { .name = "private_ip",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Private IPv4 address it maps to, when associated." },
    { NULL },
};

static const char *const eip_gone[] = { "InvalidAllocationID.NotFound", NULL };

static int eip_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr parent, const cp_value *prev,
                    cp_value **out)
{
    (void)c;
    (void)parent;
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", it, "allocationId");
    cp_set_xml(s, "allocation_id", it, "allocationId");
    cp_set_xml(s, "domain", it, "domain");
    cp_set_xml(s, "instance", it, "instanceId");
    cp_set_xml(s, "association_id", it, "associationId");
    cp_set_xml(s, "public_ip", it, "publicIp");
    cp_set_xml(s, "private_ip", it, "privateIpAddress");
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    *out = s;
    return 0;
}

static const ec2_describe eip_describe = {
    .action = "DescribeAddresses",
    .filter = "allocation-id",
    .items = "addressesSet/item",
    .id_elem = "allocationId",
    .fill = eip_fill,
};

static int eip_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &eip_describe, state, out);
}

/* Refresh of many: one Describe for up to 200 ids (ec2_common.h). */
static int eip_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    return ec2_read_many(c, &eip_describe, states, n, out);
}

static int eip_associate(cp_provider_call *c, const char *id, const char *instance)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "AllocationId", id);
    aws_params_add(p, "InstanceId", instance);
    int rc = ec2_call(c, "AssociateAddress", p, NULL, NULL);
    aws_params_free(p);
    return rc == 0 ? 0 : -1;
}

static int eip_disassociate(cp_provider_call *c, const cp_value *state)
{
    static const char *const gone[] = { "InvalidAssociationID.NotFound", NULL };
    const char *assoc = cp_get_str(state, "association_id");
    if (!assoc) return 0;
    aws_params *p = aws_params_new();
    aws_params_add(p, "AssociationId", assoc);
    int rc = ec2_call(c, "DisassociateAddress", p, gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

static int eip_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "Domain", "vpc");
    ec2_tag_spec_intent(p, "elastic-ip", config);
    xmlDocPtr doc;
    aws_set_no_resend(true); /* no idempotency token: a lost answer is looked up */
    int rc = ec2_call(c, "AllocateAddress", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "allocationId");
    xmlFreeDoc(doc);
    const char *inst = cp_get_str(config, "instance");
    if (inst) rc = eip_associate(c, cp_get_str(s, "id"), inst);
    return ec2_finish_take(c, rc, eip_read, s, state);
}

static int eip_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    const char *id = cp_get_str(old, "id"), *inst = cp_get_str(config, "instance");
    if (inst && cp_changed(old, config, "instance") &&
        (eip_disassociate(c, old) != 0 || eip_associate(c, id, inst) != 0))
        return -1;
    if (ec2_tags_update(c, id, old, config) != 0) return -1;
    return cp_aws_reread(c, eip_read, attrs, config, id, state);
}

static int eip_delete(cp_provider_call *c, const cp_value *state)
{
    if (eip_disassociate(c, state) != 0) return -1;
    return ec2_delete(c, "ReleaseAddress", "AllocationId", cp_get_str(state, "id"), eip_gone);
}

static int eip_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, eip_read, id, state);
}

/* An interrupted create is found by the intent tag it sent. */
static int eip_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return ec2_find_by_intent(c, &eip_describe, intent, state);
}

const cp_resource_type cp_aws_eip = {
    .name = "aws_eip",
    .description =
        "An Elastic IP address, optionally on an instance (import by allocation id)."
        " Deliberate differences from the Terraform AWS provider: domain defaults to vpc, the "
        "only value AWS still answers (Terraform leaves it computed).",
    .attrs = attrs,
    .create = eip_create,
    .read = eip_read,
    .read_batch = eip_read_batch,
    .update = eip_update,
    .delete = eip_delete,
    .import = eip_import,
    .recovery = CP_RECOVER_TAG,
    .find = eip_find,
};
