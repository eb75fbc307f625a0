/*
 * ec2_security_group.c: aws_security_group — a VPC security group (id =
 * sg-…) with its rules as sets of `ingress` and `egress` blocks. As in
 * Terraform, a new group loses AWS's default allow-all egress rule, so the
 * group allows exactly what the blocks say. An update revokes the blocks
 * no longer configured and authorizes the new ones. A read keeps the
 * configured spelling of a rule ("all" vs "-1", null vs []) when AWS's
 * answer means the same rule, so a refresh shows no change.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const cp_schema_attr rule_attrs[] = {
    { .name = "protocol",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = ec2_validate_protocol,
      .description =
          "tcp, udp, icmp, icmpv6, a protocol number 0-255, or -1 (or all) for every protocol." },
    { .name = "from_port",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .validate = ec2_validate_port,
      .description = "Start of the port range (ICMP type for icmp; -1 with protocol -1)." },
    { .name = "to_port",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .validate = ec2_validate_port,
      .description = "End of the port range (ICMP code for icmp; -1 with protocol -1)." },
    { .name = "cidr_blocks",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .description = "IPv4 ranges the rule allows, e.g. [\"0.0.0.0/0\"]." },
    { .name = "security_groups",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .description = "Ids of security groups whose members the rule allows." },
    { .name = "self",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Also allow members of this security group itself." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Description of the rule." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "Name of the group. Default: name_prefix (or cpstack-) and a unique suffix." },
    { .name = "name_prefix",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Prefix of a generated unique name; used when name is not set." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "\"Managed by cpstack\"",
      .description = "Description of the group. Default \"Managed by cpstack\"." },
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "Id of the VPC the group belongs to. Default: the region's default VPC." },
    { .name = "ingress",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_UNORDERED,
      .block = rule_attrs,
      .description = "Inbound rules (a set). Changes in place." },
    { .name = "egress",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_UNORDERED,
      .block = rule_attrs,
      .description =
          "Outbound rules (a set). AWS's default allow-all rule is removed: none set, none allowed." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the security group." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the security group (sg-…)." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the security group." },
    { .name = "owner_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the AWS account that owns the security group." },
    { NULL },
};

static const char *const sg_gone[] = { "InvalidGroup.NotFound", NULL };

/* ---- rules --------------------------------------------------------------------------- */

static const char *proto_norm(const char *p)
{
    if (!p || !strcmp(p, "all") || !strcmp(p, "-1")) return "-1";
    if (!strcmp(p, "6")) return "tcp";
    if (!strcmp(p, "17")) return "udp";
    if (!strcmp(p, "1")) return "icmp";
    return p;
}

/* Same members, ignoring order; null counts as empty. */
static bool same_set(const cp_value *a, const cp_value *b)
{
    size_t na = a ? cp_len(a) : 0, nb = b ? cp_len(b) : 0;
    if (na != nb) return false;
    for (size_t i = 0; i < na; i++) {
        bool found = false;
        for (size_t j = 0; j < nb && !found; j++)
            found = cp_equal(cp_list_get(a, i), cp_list_get(b, j));
        if (!found) return false;
    }
    return true;
}

static bool rule_same(const cp_value *a, const cp_value *b)
{
    const char *pa = proto_norm(cp_get_str(a, "protocol")),
               *pb = proto_norm(cp_get_str(b, "protocol"));
    const char *da = cp_get_str(a, "description"), *db = cp_get_str(b, "description");
    bool ports =
        !strcmp(pa, "-1") || (cp_get_num(a, "from_port", 0) == cp_get_num(b, "from_port", 0) &&
                              cp_get_num(a, "to_port", 0) == cp_get_num(b, "to_port", 0));
    return !strcmp(pa, pb) && ports && strcmp(da ? da : "", db ? db : "") == 0 &&
           cp_get_bool(a, "self", false) == cp_get_bool(b, "self", false) &&
           same_set(cp_get_list(a, "cidr_blocks"), cp_get_list(b, "cidr_blocks")) &&
           same_set(cp_get_list(a, "security_groups"), cp_get_list(b, "security_groups"));
}

static const cp_value *rule_in(const cp_value *rules, const cp_value *r)
{
    for (size_t i = 0; rules && i < cp_len(rules); i++)
        if (rule_same(cp_list_get(rules, i), r)) return cp_list_get(rules, i);
    return NULL;
}

/* One IpPermissions.N entry for rule r of group gid. */
static void rule_params(aws_params *p, size_t n, const cp_value *r, const char *gid)
{
    const char *proto = proto_norm(cp_get_str(r, "protocol")), *desc = cp_get_str(r, "description");
    char num[16];
    aws_params_addf(p, proto, "IpPermissions.%zu.IpProtocol", n);
    if (strcmp(proto, "-1") != 0) {
        snprintf(num, sizeof num, "%d", (int)cp_get_num(r, "from_port", 0));
        aws_params_addf(p, num, "IpPermissions.%zu.FromPort", n);
        snprintf(num, sizeof num, "%d", (int)cp_get_num(r, "to_port", 0));
        aws_params_addf(p, num, "IpPermissions.%zu.ToPort", n);
    }
    const cp_value *cidrs = cp_get_list(r, "cidr_blocks"),
                   *groups = cp_get_list(r, "security_groups");
    for (size_t i = 0; cidrs && i < cp_len(cidrs); i++) {
        aws_params_addf(p, cp_string_val(cp_list_get(cidrs, i)),
                        "IpPermissions.%zu.IpRanges.%zu.CidrIp", n, i + 1);
        if (desc) aws_params_addf(p, desc, "IpPermissions.%zu.IpRanges.%zu.Description", n, i + 1);
    }
    size_t k = 0;
    for (size_t i = 0; groups && i < cp_len(groups); i++) {
        aws_params_addf(p, cp_string_val(cp_list_get(groups, i)),
                        "IpPermissions.%zu.Groups.%zu.GroupId", n, ++k);
        if (desc) aws_params_addf(p, desc, "IpPermissions.%zu.Groups.%zu.Description", n, k);
    }
    if (cp_get_bool(r, "self", false)) {
        aws_params_addf(p, gid, "IpPermissions.%zu.Groups.%zu.GroupId", n, ++k);
        if (desc) aws_params_addf(p, desc, "IpPermissions.%zu.Groups.%zu.Description", n, k);
    }
}

/* Authorize (or revoke) the rules of `rules` not matched in `except`
 * (may be NULL), in one call. kind: "Ingress" / "Egress". */
static int rules_call(cp_provider_call *c, const char *verb, const char *kind, const char *gid,
                      const cp_value *rules, const cp_value *except)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "GroupId", gid);
    size_t n = 0;
    for (size_t i = 0; rules && i < cp_len(rules); i++)
        if (!rule_in(except, cp_list_get(rules, i)))
            rule_params(p, ++n, cp_list_get(rules, i), gid);
    int rc = 0;
    if (n > 0) {
        static const char *const gone[] = { "InvalidPermission.NotFound", NULL };
        /* a retry of a batch whose answer was lost finds it all there */
        static const char *const there[] = { "InvalidPermission.Duplicate", NULL };
        char *action = cp_xasprintf("%sSecurityGroup%s", verb, kind);
        rc = ec2_call(c, action, p, strcmp(verb, "Revoke") ? there : gone, NULL);
        free(action);
    }
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

/* The rules of an ipPermissions list, in the spelling of prev's where one
 * means the same. */
static cp_value *rules_read(xmlNodePtr list, const char *gid, const cp_value *prev)
{
    cp_value *l = cp_list_new();
    for (xmlNodePtr it = aws_xml_find(list, "item"); list && it; it = aws_xml_next(it)) {
        cp_value *r = cp_map_new();
        cp_set_xml(r, "protocol", it, "ipProtocol");
        cp_set_xml_num(r, "from_port", it, "fromPort", 0);
        cp_set_xml_num(r, "to_port", it, "toPort", 0);
        cp_set_take(r, "cidr_blocks", cp_aws_xml_strings(it, "ipRanges/item", "cidrIp"));
        cp_value *groups = cp_aws_xml_strings(it, "groups/item", "groupId"),
                 *others = cp_list_new();
        bool self = false;
        for (size_t i = 0; i < cp_len(groups); i++) {
            const cp_value *g = cp_list_get(groups, i);
            if (!strcmp(cp_string_val(g), gid))
                self = true;
            else
                cp_list_push_take(others, cp_retain(g));
        }
        cp_release(groups);
        cp_set_take(r, "security_groups", others);
        cp_set_bool(r, "self", self);
        char *d = aws_xml_text(it, "ipRanges/item/description");
        if (!d) d = aws_xml_text(it, "groups/item/description");
        cp_set_take(r, "description", d ? cp_string_take(d) : cp_null());
        const cp_value *same = rule_in(prev, r);
        cp_list_push_take(l, same ? cp_retain(same) : cp_retain(r));
        cp_release(r);
    }
    return l;
}

/* AWS's default rule of a new VPC group: all traffic out to anywhere. */
static cp_value *allow_all_egress(void)
{
    cp_value *r = cp_map_new(), *cidrs = cp_list_new(), *l = cp_list_new();
    cp_list_push_take(cidrs, cp_string("0.0.0.0/0"));
    cp_set_str(r, "protocol", "-1");
    cp_set_take(r, "cidr_blocks", cidrs);
    cp_list_push_take(l, r);
    return l;
}

/* ---- the type ---------------------------------------------------------------------------- */

static int sg_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr parent, const cp_value *prev,
                   cp_value **out)
{
    (void)parent;
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", it, "groupId");
    cp_set_xml(s, "name", it, "groupName");
    cp_set_xml(s, "description", it, "groupDescription");
    cp_set_xml(s, "vpc_id", it, "vpcId");
    cp_set_xml(s, "owner_id", it, "ownerId");
    const char *id = cp_get_str(s, "id");
    char *what = cp_xasprintf("security-group/%s", id);
    cp_set_take(s, "arn", ec2_arn(c, cp_get_str(s, "owner_id"), what));
    free(what);
    cp_set_take(s, "ingress",
                rules_read(aws_xml_find(it, "ipPermissions"), id, cp_get_list(prev, "ingress")));
    cp_set_take(
        s, "egress",
        rules_read(aws_xml_find(it, "ipPermissionsEgress"), id, cp_get_list(prev, "egress")));
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    *out = s;
    return 0;
}

static const ec2_describe sg_describe = {
    .action = "DescribeSecurityGroups",
    .filter = "group-id",
    .items = "securityGroupInfo/item",
    .id_elem = "groupId",
    .fill = sg_fill,
};

static int sg_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &sg_describe, state, out);
}

static int sg_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                         cp_value **out)
{
    return ec2_read_many(c, &sg_describe, states, n, out);
}

static char *sg_name(const cp_value *config)
{
    const char *name = cp_get_str(config, "name"), *prefix = cp_get_str(config, "name_prefix");
    return name ? cp_xstrdup(name) : ec2_unique_name(prefix ? prefix : "cpstack-");
}

static int sg_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    char *name = sg_name(config);
    const char *desc = cp_get_str(config, "description"), *vpc = cp_get_str(config, "vpc_id");
    aws_params *p = aws_params_new();
    aws_params_add(p, "GroupName", name);
    aws_params_add(p, "GroupDescription", desc ? desc : "Managed by cpstack");
    if (vpc) aws_params_add(p, "VpcId", vpc);
    ec2_tag_spec_intent(p, "security-group", config);
    xmlDocPtr doc;
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = ec2_call(c, "CreateSecurityGroup", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    free(name);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "groupId");
    xmlFreeDoc(doc);
    const char *id = cp_get_str(s, "id");
    cp_value *allow_all = allow_all_egress();
    rc = rules_call(c, "Revoke", "Egress", id, allow_all, NULL);
    cp_release(allow_all);
    if (rc == 0)
        rc = rules_call(c, "Authorize", "Ingress", id, cp_get_list(config, "ingress"), NULL);
    if (rc == 0) rc = rules_call(c, "Authorize", "Egress", id, cp_get_list(config, "egress"), NULL);
    return ec2_finish_take(c, rc, sg_read, s, state);
}

static int sg_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    static const char *const kinds[][2] = { { "ingress", "Ingress" }, { "egress", "Egress" } };
    const char *id = cp_get_str(old, "id");
    for (size_t i = 0; i < 2; i++) {
        const cp_value *was = cp_get_list(old, kinds[i][0]),
                       *want = cp_get_list(config, kinds[i][0]);
        if (!want) continue; /* not configured: left as it is */
        if (rules_call(c, "Revoke", kinds[i][1], id, was, want) != 0 ||
            rules_call(c, "Authorize", kinds[i][1], id, want, was) != 0)
            return -1;
    }
    if (ec2_tags_update(c, id, old, config) != 0) return -1;
    return cp_aws_reread(c, sg_read, attrs, config, id, state);
}

static int sg_delete(cp_provider_call *c, const cp_value *state)
{
    return ec2_delete(c, "DeleteSecurityGroup", "GroupId", cp_get_str(state, "id"), sg_gone);
}

static int sg_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, sg_read, id, state);
}

/* An interrupted create is found by its name in its VPC: core makes the
 * name up (name_prefix or cpstack-, and a unique suffix) before the call,
 * so a group with an AWS-made name is never created twice. */
static int sg_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    const char *vpc = cp_get_str(intent, "vpc_id");
    const char *const f[] = { "group-name", cp_get_str(intent, "name"), vpc ? "vpc-id" : NULL, vpc,
                              NULL };
    return ec2_find_by(c, &sg_describe, f, intent, state);
}

const cp_resource_type cp_aws_security_group = {
    .name = "aws_security_group",
    .description =
        "A VPC security group with ingress/egress rules (import by sg id)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-); description defaults to "
        "\"Managed by cpstack\" (Terraform: \"Managed by Terraform\"; a description change "
        "replaces the group, so set it when importing a group Terraform made).",
    .attrs = attrs,
    .create = sg_create,
    .read = sg_read,
    .update = sg_update,
    .delete = sg_delete,
    .import = sg_import,
    .read_batch = sg_read_batch,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .recovery_prefix = "name_prefix",
    .find = sg_find,
};
